package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"resepsjon/register"
)

// Run states as stored; "running" is a run whose program stopped before
// it ended.
const (
	runRunning = "running"
	runFailed  = "failed"
)

// StartRun records a run over these clients.
func (db *DB) StartRun(ctx context.Context, id string, clientIDs []int64, at time.Time) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		// An older unfinished run is superseded by a new one.
		if _, err := tx.ExecContext(ctx, `UPDATE refresh_runs SET state = 'superseded' WHERE state IN (?, ?)`, runRunning, runFailed); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM refresh_run_clients WHERE run_id IN (SELECT id FROM refresh_runs WHERE state <> ?)`, runRunning); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO refresh_runs (id, started_at, state, total) VALUES (?, ?, ?, ?)`,
			id, at.UTC().Format(timeLayout), runRunning, len(clientIDs)); err != nil {
			return err
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO refresh_run_clients (run_id, client_id) VALUES (?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, c := range clientIDs {
			if _, err := ins.ExecContext(ctx, id, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("start run: %w", err)
	}
	return nil
}

// MarkRunDone marks clients of the run done.
func (db *DB) MarkRunDone(ctx context.Context, id string, clientIDs []int64) error {
	if len(clientIDs) == 0 {
		return nil
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		return markDone(ctx, tx, id, clientIDs)
	})
	if err != nil {
		return fmt.Errorf("mark run clients done: %w", err)
	}
	return nil
}

func markDone(ctx context.Context, tx *sql.Tx, id string, clientIDs []int64) error {
	upd, err := tx.PrepareContext(ctx, `UPDATE refresh_run_clients SET done = 1 WHERE run_id = ? AND client_id = ?`)
	if err != nil {
		return err
	}
	defer upd.Close()
	for _, c := range clientIDs {
		if _, err := upd.ExecContext(ctx, id, c); err != nil {
			return err
		}
	}
	return nil
}

// UpdateClientInRun saves c with its audit row and marks it done in the
// run, in one transaction.
func (db *DB) UpdateClientInRun(ctx context.Context, c register.Client, e register.AuditEntry, runID string) (register.Client, error) {
	var saved register.Client
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		if saved, err = db.updateInTx(ctx, tx, c); err != nil {
			return err
		}
		if _, err = db.insertAudit(ctx, tx, e); err != nil {
			return err
		}
		return markDone(ctx, tx, runID, []int64{c.ID})
	})
	if err != nil {
		return register.Client{}, fmt.Errorf("update client %d in run: %w", c.ID, err)
	}
	return saved, nil
}

// FinishRun records how the run ended; a finished run's client list goes.
func (db *DB) FinishRun(ctx context.Context, id, state string, at time.Time) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE refresh_runs SET state = ?, finished_at = ? WHERE id = ?`, state, at.UTC().Format(timeLayout), id); err != nil {
			return err
		}
		if state == runFailed {
			return nil // a failed run can be finished later
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM refresh_run_clients WHERE run_id = ?`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("finish run: %w", err)
	}
	return nil
}

// UnfinishedRun is the newest run that did not end or failed, with the
// clients it has not done (those since deleted left out).
func (db *DB) UnfinishedRun(ctx context.Context) (register.Run, bool, error) {
	var r register.Run
	var started string
	err := db.r.QueryRowContext(ctx, `SELECT id, started_at, state, total FROM refresh_runs WHERE state IN (?, ?)
		ORDER BY started_at DESC LIMIT 1`, runRunning, runFailed).Scan(&r.ID, &started, &r.State, &r.Total)
	if errors.Is(err, sql.ErrNoRows) {
		return register.Run{}, false, nil
	}
	if err != nil {
		return register.Run{}, false, fmt.Errorf("unfinished run: %w", err)
	}
	if r.StartedAt, err = time.Parse(time.RFC3339Nano, started); err != nil {
		return register.Run{}, false, fmt.Errorf("unfinished run: %w", err)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT rc.client_id, rc.done FROM refresh_run_clients rc
		JOIN clients c ON c.id = rc.client_id WHERE rc.run_id = ? ORDER BY rc.client_id`, r.ID)
	if err != nil {
		return register.Run{}, false, fmt.Errorf("unfinished run: %w", err)
	}
	defer rows.Close()
	r.Pending = []int64{}
	for rows.Next() {
		var id int64
		var done bool
		if err := rows.Scan(&id, &done); err != nil {
			return register.Run{}, false, fmt.Errorf("unfinished run: %w", err)
		}
		if !done {
			r.Pending = append(r.Pending, id)
		}
	}
	if err := rows.Err(); err != nil {
		return register.Run{}, false, fmt.Errorf("unfinished run: %w", err)
	}
	r.Done = r.Total - len(r.Pending)
	return r, true, nil
}
