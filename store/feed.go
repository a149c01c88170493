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

// FeedState is where the change feed stands; ok is false before its first
// poll.
func (db *DB) FeedState(ctx context.Context) (register.FeedState, bool, error) {
	var st register.FeedState
	var lastRun, lastErr sql.NullString
	err := db.r.QueryRowContext(ctx, `SELECT next_sequence, last_run_at, events_read, clients_updated,
		last_error_code, last_error_at FROM feed_state WHERE id = 1`).
		Scan(&st.NextSequence, &lastRun, &st.EventsRead, &st.ClientsUpdated, &st.LastErrorCode, &lastErr)
	if errors.Is(err, sql.ErrNoRows) {
		return register.FeedState{}, false, nil
	}
	if err != nil {
		return register.FeedState{}, false, fmt.Errorf("read feed state: %w", err)
	}
	if st.LastRunAt, err = parseNullTime(lastRun); err != nil {
		return register.FeedState{}, false, fmt.Errorf("feed last run: %w", err)
	}
	if st.LastErrorAt, err = parseNullTime(lastErr); err != nil {
		return register.FeedState{}, false, fmt.Errorf("feed last error: %w", err)
	}
	return st, true, nil
}

func parseNullTime(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// StartFeed sets the feed's first position unless it has one.
func (db *DB) StartFeed(ctx context.Context, next int64) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO feed_state (id, next_sequence) VALUES (1, ?) ON CONFLICT (id) DO NOTHING`, next)
		return err
	})
	if err != nil {
		return fmt.Errorf("start feed: %w", err)
	}
	return nil
}

// RecordFeedError notes why the last poll failed; "" clears it.
func (db *DB) RecordFeedError(ctx context.Context, code string, at time.Time) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		var when any
		if code != "" {
			when = at.UTC().Format(timeLayout)
		}
		_, err := tx.ExecContext(ctx, `UPDATE feed_state SET last_error_code = ?, last_error_at = ?, last_run_at = ? WHERE id = 1`,
			code, when, at.UTC().Format(timeLayout))
		return err
	})
	if err != nil {
		return fmt.Errorf("record feed error: %w", err)
	}
	return nil
}

// personIDChunk keeps each IN list well below SQLite's variable limit.
const personIDChunk = 500

// ClientsByPersonID lists the clients with these person ids, by id, through
// the clients_person_id index.
func (db *DB) ClientsByPersonID(ctx context.Context, ids []string) ([]register.Client, error) {
	var out []register.Client
	for len(ids) > 0 {
		n := min(len(ids), personIDChunk)
		chunk := ids[:n]
		ids = ids[n:]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		q := `SELECT ` + clientColumns + ` FROM clients WHERE person_id IN (?` + strings.Repeat(",?", len(chunk)-1) + `) AND person_id <> '' ORDER BY id`
		rows, err := db.r.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("clients by person id: %w", err)
		}
		if out, err = readClients(rows, out); err != nil {
			return nil, fmt.Errorf("clients by person id: %w", err)
		}
	}
	return out, nil
}

// ApplyFeed saves one page of the feed in one transaction: the updates with
// their audit rows and lines, the kept lines, and the new position.
func (db *DB) ApplyFeed(ctx context.Context, b register.FeedBatch) (register.FeedApplied, error) {
	var out register.FeedApplied
	err := db.write(ctx, func(tx *sql.Tx) error {
		out = register.FeedApplied{}
		var next int64
		if err := tx.QueryRowContext(ctx, `SELECT next_sequence FROM feed_state WHERE id = 1`).Scan(&next); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return register.ErrFeedMoved
			}
			return err
		}
		if next != b.From {
			return register.ErrFeedMoved
		}
		for _, u := range b.Updates {
			_, err := db.updateInTx(ctx, tx, u.Client)
			var conflict *register.ConflictError
			var dup *register.DuplicateError
			switch {
			case err == nil:
			case errors.As(err, &conflict), errors.As(err, &dup), errors.Is(err, register.ErrNotFound):
				// Changed or deleted since read: nothing of it was
				// written (the checks come before any write).
				ch := u.Change
				ch.Outcome = register.FeedKept
				if !errors.Is(err, register.ErrNotFound) {
					if err := insertFeedChange(ctx, tx, ch); err != nil {
						return err
					}
				}
				out.Kept = append(out.Kept, ch)
				continue
			default:
				return fmt.Errorf("client %d: %w", u.Client.ID, err)
			}
			if _, err := db.insertAudit(ctx, tx, u.Audit); err != nil {
				return err
			}
			ch := u.Change
			ch.Outcome = register.FeedUpdated
			if err := insertFeedChange(ctx, tx, ch); err != nil {
				return err
			}
			out.Updated = append(out.Updated, ch)
		}
		for _, ch := range b.Kept {
			ch.Outcome = register.FeedKept
			if err := insertFeedChange(ctx, tx, ch); err != nil {
				return err
			}
			out.Kept = append(out.Kept, ch)
		}
		_, err := tx.ExecContext(ctx, `UPDATE feed_state SET next_sequence = ?, last_run_at = ?,
			events_read = events_read + ?, clients_updated = clients_updated + ?, last_error_code = '', last_error_at = NULL
			WHERE id = 1`, b.Next, b.RunAt.UTC().Format(timeLayout), b.Events, len(out.Updated))
		return err
	})
	if err != nil {
		return register.FeedApplied{}, fmt.Errorf("apply feed from %d: %w", b.From, err)
	}
	return out, nil
}

func insertFeedChange(ctx context.Context, tx *sql.Tx, ch register.FeedChange) error {
	kinds, err := json.Marshal(nonNil(ch.Kinds))
	if err != nil {
		return err
	}
	fields, err := json.Marshal(nonNil(ch.Fields))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO feed_changes (time, client_id, sequence, outcome, kinds, fields) VALUES (?, ?, ?, ?, ?, ?)`,
		ch.Time.UTC().Format(timeLayout), ch.ClientID, ch.Sequence, ch.Outcome, string(kinds), string(fields))
	if err != nil {
		return fmt.Errorf("feed change: %w", err)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// FeedChanges lists the feed's changes, newest first, with each client's
// name as it is now; clientID 0 means all clients.
func (db *DB) FeedChanges(ctx context.Context, clientID int64, limit int) ([]register.FeedChange, error) {
	if limit <= 0 {
		limit = 50
	}
	rows, err := db.r.QueryContext(ctx, `SELECT f.id, f.time, f.client_id, f.sequence, f.outcome, f.kinds, f.fields,
		coalesce(c.given_name, ''), coalesce(c.middle_name, ''), coalesce(c.family_name, '')
		FROM feed_changes f LEFT JOIN clients c ON c.id = f.client_id
		WHERE ?1 = 0 OR f.client_id = ?1 ORDER BY f.id DESC LIMIT ?2`, clientID, limit)
	if err != nil {
		return nil, fmt.Errorf("feed changes: %w", err)
	}
	defer rows.Close()
	out := []register.FeedChange{}
	for rows.Next() {
		var ch register.FeedChange
		var at, kinds, fields, given, middle, family string
		if err := rows.Scan(&ch.ID, &at, &ch.ClientID, &ch.Sequence, &ch.Outcome, &kinds, &fields, &given, &middle, &family); err != nil {
			return nil, fmt.Errorf("feed changes: %w", err)
		}
		if ch.Time, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, fmt.Errorf("feed change time: %w", err)
		}
		if err := json.Unmarshal([]byte(kinds), &ch.Kinds); err != nil {
			return nil, fmt.Errorf("feed change kinds: %w", err)
		}
		if err := json.Unmarshal([]byte(fields), &ch.Fields); err != nil {
			return nil, fmt.Errorf("feed change fields: %w", err)
		}
		ch.Name = strings.Join(strings.Fields(given+" "+middle+" "+family), " ")
		out = append(out, ch)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feed changes: %w", err)
	}
	return out, nil
}

// ResetFeed forgets the feed's position (the statistics go with it), so
// the next poll starts at the newest event. The demo does this at every
// start, since its mock's feed starts afresh; the changes list stays.
func (db *DB) ResetFeed(ctx context.Context) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM feed_state`)
		return err
	})
	if err != nil {
		return fmt.Errorf("reset feed: %w", err)
	}
	return nil
}
