package store

import (
	"context"
	"database/sql"
	"fmt"

	"resepsjon/register"
)

const sqlClientsWithNIN = `SELECT ` + clientColumns + ` FROM clients WHERE nin <> '' ORDER BY id`

// ClientsWithNIN returns every client that has an identity number, by id.
// It is what a refresh of the whole register from Persontjenesten starts
// from: each client with the version it was read at.
func (db *DB) ClientsWithNIN(ctx context.Context) ([]register.Client, error) {
	rows, err := db.r.QueryContext(ctx, sqlClientsWithNIN)
	if err != nil {
		return nil, fmt.Errorf("list clients with identity number: %w", err)
	}
	out, err := readClients(rows, nil)
	if err != nil {
		return nil, fmt.Errorf("list clients with identity number: %w", err)
	}
	return out, nil
}

// UpdateClientAudited saves c like UpdateClient and writes the audit row of
// the lookup that caused the change in the same transaction: both or
// neither. The version check is the same: a client saved by someone else
// since c was read gives *register.ConflictError and nothing is written.
func (db *DB) UpdateClientAudited(ctx context.Context, c register.Client, e register.AuditEntry) (register.Client, error) {
	var saved register.Client
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		if saved, err = db.updateInTx(ctx, tx, c); err != nil {
			return err
		}
		_, err = db.insertAudit(ctx, tx, e)
		return err
	})
	if err != nil {
		return register.Client{}, fmt.Errorf("update client %d with audit: %w", c.ID, err)
	}
	return saved, nil
}

// readClients appends the clients of rows to dst and closes rows.
func readClients(rows *sql.Rows, dst []register.Client) ([]register.Client, error) {
	defer rows.Close()
	for rows.Next() {
		c, err := scanClient(rows)
		if err != nil {
			return dst, err
		}
		dst = append(dst, c)
	}
	return dst, rows.Err()
}
