package store

import (
	"context"
	"database/sql"
	"fmt"

	"resepsjon/register"
)

// importProgressEvery is how many clients an import writes between two
// progress reports.
const importProgressEvery = 500

const (
	sqlClientKeys = `SELECT id, nin, given_name, family_name, birth_date FROM clients`
	sqlAllClients = `SELECT ` + clientColumns + ` FROM clients ORDER BY sort_key, id`
)

// ClientKeys lists every client's id, identity number, name and birth date:
// what an import's duplicate check compares against.
func (db *DB) ClientKeys(ctx context.Context) ([]register.ClientKey, error) {
	rows, err := db.r.QueryContext(ctx, sqlClientKeys)
	if err != nil {
		return nil, fmt.Errorf("list client keys: %w", err)
	}
	defer rows.Close()
	var out []register.ClientKey
	for rows.Next() {
		var k register.ClientKey
		if err := rows.Scan(&k.ID, &k.NIN, &k.GivenName, &k.FamilyName, &k.BirthDate); err != nil {
			return nil, fmt.Errorf("list client keys: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list client keys: %w", err)
	}
	return out, nil
}

// EachClient calls fn with every client in name order, from one consistent
// snapshot; an error from fn stops the walk and is returned.
func (db *DB) EachClient(ctx context.Context, fn func(register.Client) error) error {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("list clients: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, sqlAllClients)
	if err != nil {
		return fmt.Errorf("list clients: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanClient(rows)
		if err != nil {
			return fmt.Errorf("list clients: %w", err)
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list clients: %w", err)
	}
	return nil
}

// ImportClientsAudited stores cs like ImportClients and the audit row e in
// the same transaction: all of them or none. progress, when not nil, is
// called with the number of clients written so far every few hundred
// clients and at the end (before the commit).
func (db *DB) ImportClientsAudited(ctx context.Context, cs []register.Client, e register.AuditEntry, progress func(done int)) error {
	if err := duplicateInList(cs); err != nil {
		return fmt.Errorf("import clients: %w", err)
	}
	now := db.now().UTC()
	err := db.write(ctx, func(tx *sql.Tx) error {
		for i, c := range cs {
			if _, err := db.insertClient(ctx, tx, c, now); err != nil {
				return fmt.Errorf("client %d: %w", i, err)
			}
			if progress != nil && (i+1)%importProgressEvery == 0 {
				progress(i + 1)
			}
		}
		if progress != nil {
			progress(len(cs))
		}
		_, err := db.insertAudit(ctx, tx, e)
		return err
	})
	if err != nil {
		return fmt.Errorf("import clients: %w", err)
	}
	db.log.InfoContext(ctx, "clients imported", "count", len(cs))
	return nil
}
