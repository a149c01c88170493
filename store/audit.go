package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"resepsjon/register"
)

const sqlInsertAudit = `INSERT INTO audit_log (time, os_user, action, query, results, person_ids, outcome, error_code)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?)`

// RecordAudit writes one audit row on its own.
func (db *DB) RecordAudit(ctx context.Context, e register.AuditEntry) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = db.insertAudit(ctx, tx, e)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("record audit: %w", err)
	}
	return id, nil
}

// PutSettingsAudited stores settings (key → value) and the audit row of the
// lookup that caused them in one transaction: both or neither.
func (db *DB) PutSettingsAudited(ctx context.Context, settings map[string]string, e register.AuditEntry) error {
	for key := range settings {
		if err := checkSettingKey(key); err != nil {
			return err
		}
	}
	now := db.now().UTC().Format(timeLayout)
	err := db.write(ctx, func(tx *sql.Tx) error {
		for key, value := range settings {
			if _, err := tx.StmtContext(ctx, db.stmts.putSetting).ExecContext(ctx, key, value, now); err != nil {
				return fmt.Errorf("put setting %q: %w", key, err)
			}
		}
		_, err := db.insertAudit(ctx, tx, e)
		return err
	})
	if err != nil {
		return fmt.Errorf("save settings with audit: %w", err)
	}
	return nil
}

func (db *DB) insertAudit(ctx context.Context, tx *sql.Tx, e register.AuditEntry) (int64, error) {
	if e.Action == "" || e.Outcome == "" {
		return 0, errors.New("audit entry needs an action and an outcome")
	}
	if e.Time.IsZero() {
		e.Time = db.now()
	}
	ids := e.PersonIDs
	if ids == nil {
		ids = []string{}
	}
	idsJSON, err := json.Marshal(ids)
	if err != nil {
		return 0, fmt.Errorf("audit person ids: %w", err)
	}
	res, err := tx.ExecContext(ctx, sqlInsertAudit, e.Time.UTC().Format(timeLayout), e.OSUser, e.Action, e.Query,
		e.Results, string(idsJSON), e.Outcome, e.ErrorCode)
	if err != nil {
		return 0, fmt.Errorf("insert audit row: %w", err)
	}
	return res.LastInsertId()
}

// ListAudit returns the audit rows matching f, newest first.
func (db *DB) ListAudit(ctx context.Context, f register.AuditFilter) (register.AuditPage, error) {
	var where []string
	var args []any
	if !f.From.IsZero() {
		from := time.Date(f.From.Year(), f.From.Month(), f.From.Day(), 0, 0, 0, 0, f.From.Location()).UTC()
		where = append(where, "time >= ?")
		args = append(args, from.Format(timeLayout))
	}
	if !f.To.IsZero() {
		to := time.Date(f.To.Year(), f.To.Month(), f.To.Day(), 0, 0, 0, 0, f.To.Location()).AddDate(0, 0, 1).UTC()
		// Times are stored as text with four-digit years and compared as
		// text: an end in year 10000 would sort before them all. No entry
		// is that late, so such an end bounds nothing.
		if to.Year() <= 9999 {
			where = append(where, "time < ?")
			args = append(args, to.Format(timeLayout))
		}
	}
	if f.Action != "" {
		where = append(where, "action = ?")
		args = append(args, f.Action)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	// The count and the page come from one snapshot: a row logged between
	// them must not make the total disagree with the rows.
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return register.AuditPage{}, fmt.Errorf("list audit rows: %w", err)
	}
	defer tx.Rollback()
	page := register.AuditPage{Entries: []register.AuditEntry{}}
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM audit_log"+cond, args...).Scan(&page.Total); err != nil {
		return register.AuditPage{}, fmt.Errorf("count audit rows: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	q := `SELECT id, time, os_user, action, query, results, person_ids, outcome, error_code FROM audit_log` +
		cond + ` ORDER BY time DESC, id DESC LIMIT ? OFFSET ?`
	rows, err := tx.QueryContext(ctx, q, append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return register.AuditPage{}, fmt.Errorf("list audit rows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e register.AuditEntry
		var at, ids string
		if err := rows.Scan(&e.ID, &at, &e.OSUser, &e.Action, &e.Query, &e.Results, &ids, &e.Outcome, &e.ErrorCode); err != nil {
			return register.AuditPage{}, fmt.Errorf("read audit row: %w", err)
		}
		if e.Time, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return register.AuditPage{}, fmt.Errorf("audit row %d time: %w", e.ID, err)
		}
		if err := json.Unmarshal([]byte(ids), &e.PersonIDs); err != nil {
			return register.AuditPage{}, fmt.Errorf("audit row %d person ids: %w", e.ID, err)
		}
		page.Entries = append(page.Entries, e)
	}
	if err := rows.Err(); err != nil {
		return register.AuditPage{}, fmt.Errorf("list audit rows: %w", err)
	}
	return page, nil
}
