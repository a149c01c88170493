package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"resepsjon/outbox"
	"resepsjon/portal"
	"resepsjon/register"
)

// The portal's storage: portal.Store and outbox.Store on the same file.

const portalUserColumns = `u.id, u.client_id, u.email, u.consultation, u.booking, u.renewal, u.wants_electronic_reply,
	u.language, u.password_hash, u.activated_at, u.created_at, u.updated_at, u.version`

func scanPortalUser(sc interface{ Scan(...any) error }, extra ...any) (portal.User, error) {
	var u portal.User
	var activated sql.NullString
	var created, updated string
	dest := append([]any{&u.ID, &u.ClientID, &u.Email, &u.Rights.Consultation, &u.Rights.Booking, &u.Rights.Renewal,
		&u.WantsElectronicReply, &u.Language, &u.PasswordHash, &activated, &created, &updated, &u.Version}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return portal.User{}, err
	}
	var err error
	if u.CreatedAt, err = parseTime(created); err != nil {
		return portal.User{}, err
	}
	if u.UpdatedAt, err = parseTime(updated); err != nil {
		return portal.User{}, err
	}
	if activated.Valid {
		t, err := parseTime(activated.String)
		if err != nil {
			return portal.User{}, err
		}
		u.ActivatedAt = &t
	}
	return u, nil
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// Apply writes one portal change in one transaction (see portal.Change).
func (db *DB) Apply(ctx context.Context, ch portal.Change) (portal.User, error) {
	var out portal.User
	err := db.write(ctx, func(tx *sql.Tx) error {
		for key, value := range ch.Settings {
			if err := checkSettingKey(key); err != nil {
				return err
			}
			if _, err := tx.StmtContext(ctx, db.stmts.putSetting).ExecContext(ctx, key, value, fmtTime(db.now())); err != nil {
				return fmt.Errorf("put setting %q: %w", key, err)
			}
		}
		userID := ch.DeleteUserID
		if ch.User != nil {
			u, err := putPortalUser(ctx, tx, *ch.User)
			if err != nil {
				return err
			}
			out, userID = u, u.ID
		}
		if ch.Request != nil {
			if err := putRequest(ctx, tx, *ch.Request); err != nil {
				return err
			}
		}
		if ch.Inquiry != nil {
			if err := putInquiry(ctx, tx, *ch.Inquiry); err != nil {
				return err
			}
		}
		if ch.DeleteUserID != 0 {
			// The outbox keeps its rows (user_id becomes NULL); links and
			// sessions go with the user.
			if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE user_id = ? AND state <> 'sent'`, ch.DeleteUserID); err != nil {
				return fmt.Errorf("drop unsent mail: %w", err)
			}
			res, err := tx.ExecContext(ctx, `DELETE FROM portal_users WHERE id = ?`, ch.DeleteUserID)
			if err != nil {
				return fmt.Errorf("delete portal user: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return portal.ErrNoUser
			}
		}
		now := fmtTime(ch.Audit.Time)
		if ch.Audit.Time.IsZero() {
			now = fmtTime(db.now())
		}
		for _, p := range ch.VoidLinks {
			if _, err := tx.ExecContext(ctx, `UPDATE portal_links SET voided_at = ? WHERE user_id = ? AND purpose = ?
				AND used_at IS NULL AND voided_at IS NULL`, now, userID, p); err != nil {
				return fmt.Errorf("void links: %w", err)
			}
		}
		if ch.Link != nil {
			l := *ch.Link
			if l.UserID == 0 {
				l.UserID = userID
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO portal_links (hash, user_id, purpose, created_at, expires_at)
				VALUES (?, ?, ?, ?, ?)`, l.Hash, l.UserID, l.Purpose, fmtTime(l.CreatedAt), fmtTime(l.ExpiresAt)); err != nil {
				return fmt.Errorf("insert link: %w", err)
			}
		}
		for _, m := range ch.Messages {
			if m.UserID == 0 {
				m.UserID = userID
			}
			if err := db.insertMessage(ctx, tx, m); err != nil {
				return err
			}
		}
		if ch.EndSessions && userID != 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM portal_sessions WHERE user_id = ?`, userID); err != nil {
				return fmt.Errorf("end sessions: %w", err)
			}
		}
		if ch.Audit.Action != "" {
			return db.insertPortalAudit(ctx, tx, ch.Audit)
		}
		return nil
	})
	if err != nil {
		return portal.User{}, fmt.Errorf("portal change: %w", err)
	}
	return out, nil
}

func putPortalUser(ctx context.Context, tx *sql.Tx, u portal.User) (portal.User, error) {
	var activated any
	if u.ActivatedAt != nil {
		activated = fmtTime(*u.ActivatedAt)
	}
	key := strings.ToLower(u.Email)
	if u.ID == 0 {
		u.Version = 1
		res, err := tx.ExecContext(ctx, `INSERT INTO portal_users (client_id, email, email_key, consultation, booking, renewal,
			wants_electronic_reply, language, password_hash, activated_at, created_at, updated_at, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, u.ClientID, u.Email, key, u.Rights.Consultation, u.Rights.Booking,
			u.Rights.Renewal, u.WantsElectronicReply, u.Language, u.PasswordHash, activated, fmtTime(u.CreatedAt), fmtTime(u.UpdatedAt))
		if err != nil {
			return portal.User{}, portalConstraint(err)
		}
		if u.ID, err = res.LastInsertId(); err != nil {
			return portal.User{}, err
		}
		return u, nil
	}
	res, err := tx.ExecContext(ctx, `UPDATE portal_users SET email = ?, email_key = ?, consultation = ?, booking = ?, renewal = ?,
		wants_electronic_reply = ?, language = ?, password_hash = ?, activated_at = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`, u.Email, key, u.Rights.Consultation, u.Rights.Booking, u.Rights.Renewal,
		u.WantsElectronicReply, u.Language, u.PasswordHash, activated, fmtTime(u.UpdatedAt), u.ID, u.Version)
	if err != nil {
		return portal.User{}, portalConstraint(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var current int64
		if err := tx.QueryRowContext(ctx, `SELECT version FROM portal_users WHERE id = ?`, u.ID).Scan(&current); errors.Is(err, sql.ErrNoRows) {
			return portal.User{}, portal.ErrNoUser
		} else if err != nil {
			return portal.User{}, err
		}
		return portal.User{}, &register.ConflictError{Current: current}
	}
	u.Version++
	return u, nil
}

// portalConstraint maps the unique constraints to the portal's errors.
func portalConstraint(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "portal_users.email_key"):
		return portal.ErrEmailTaken
	case strings.Contains(msg, "portal_users.client_id"):
		return portal.ErrExists
	case strings.Contains(msg, "FOREIGN KEY"):
		return register.ErrNotFound
	}
	return err
}

func (db *DB) insertMessage(ctx context.Context, tx *sql.Tx, m outbox.Message) error {
	var user any
	if m.UserID != 0 {
		user = m.UserID
	}
	created := m.CreatedAt
	if created.IsZero() {
		created = db.now()
	}
	next := m.NextAttemptAt
	if next.IsZero() {
		next = created
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (user_id, kind, recipient, subject, text_body, html_body, message_id,
		created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, user, m.Kind, m.To, m.Subject, m.Text, m.HTML,
		m.MessageID, fmtTime(created), fmtTime(next)); err != nil {
		return fmt.Errorf("queue mail: %w", err)
	}
	return nil
}

// insertPortalAudit writes a portal action to the audit log: the actor as
// the OS user, the client and what was done as the query.
func (db *DB) insertPortalAudit(ctx context.Context, tx *sql.Tx, a portal.Audit) error {
	if a.Outcome == "" {
		a.Outcome = "ok"
	}
	if a.Time.IsZero() {
		a.Time = db.now()
	}
	query := a.Detail
	if a.ClientID != 0 {
		query = fmt.Sprintf("klient %d: %s", a.ClientID, a.Detail)
	}
	if _, err := tx.ExecContext(ctx, sqlInsertAudit, fmtTime(a.Time), a.Actor, a.Action, query, 0, "[]", a.Outcome, a.Error); err != nil {
		return fmt.Errorf("insert audit row: %w", err)
	}
	return nil
}

// AccountByClient is the client's portal account with its newest mail.
func (db *DB) AccountByClient(ctx context.Context, clientID int64) (portal.Account, error) {
	accs, err := db.accounts(ctx, "u.client_id = ?", clientID)
	if err != nil {
		return portal.Account{}, err
	}
	if len(accs) == 0 {
		return portal.Account{}, portal.ErrNoUser
	}
	return accs[0], nil
}

// Accounts lists portal accounts by client name, filtered.
func (db *DB) Accounts(ctx context.Context, f portal.Filter) ([]portal.Account, error) {
	cond, args := "1 = 1", []any{}
	if q := strings.TrimSpace(strings.ToLower(f.Q)); q != "" {
		cond = "(u.email_key LIKE ? ESCAPE '\\' OR lower(c.given_name || ' ' || c.middle_name || ' ' || c.family_name) LIKE ? ESCAPE '\\')"
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q) + "%"
		args = append(args, like, like)
	}
	accs, err := db.accounts(ctx, cond, args...)
	if err != nil {
		return nil, err
	}
	if f.Status == "" {
		return accs, nil
	}
	out := accs[:0]
	for _, a := range accs {
		if a.Status == f.Status {
			out = append(out, a)
		}
	}
	return out, nil
}

func (db *DB) accounts(ctx context.Context, cond string, args ...any) ([]portal.Account, error) {
	q := `SELECT ` + portalUserColumns + `, c.given_name, c.middle_name, c.family_name,
		m.id, m.kind, m.recipient, m.subject, m.created_at, m.state, m.attempts, m.next_attempt_at, m.sent_at, m.last_error
		FROM portal_users u JOIN clients c ON c.id = u.client_id
		LEFT JOIN outbox m ON m.id = (SELECT max(id) FROM outbox WHERE user_id = u.id)
		WHERE ` + cond + ` ORDER BY c.sort_key, u.id`
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list portal users: %w", err)
	}
	defer rows.Close()
	out := []portal.Account{}
	for rows.Next() {
		var given, middle, family string
		var mid sql.NullInt64
		var kind, to, subject, created, state, next, sent, lastErr sql.NullString
		var attempts sql.NullInt64
		u, err := scanPortalUser(rows, &given, &middle, &family, &mid, &kind, &to, &subject, &created, &state, &attempts, &next, &sent, &lastErr)
		if err != nil {
			return nil, fmt.Errorf("read portal user: %w", err)
		}
		a := portal.Account{User: u, ClientName: strings.Join(strings.Fields(given+" "+middle+" "+family), " ")}
		if mid.Valid {
			m := &outbox.Message{ID: mid.Int64, UserID: u.ID, Kind: kind.String, To: to.String, Subject: subject.String,
				State: state.String, Attempts: int(attempts.Int64), LastError: lastErr.String}
			if m.CreatedAt, err = parseTime(created.String); err != nil {
				return nil, err
			}
			if m.NextAttemptAt, err = parseTime(next.String); err != nil {
				return nil, err
			}
			if sent.Valid {
				t, err := parseTime(sent.String)
				if err != nil {
					return nil, err
				}
				m.SentAt = &t
			}
			a.LastMail = m
		}
		a.Status = portal.StatusOf(u, a.LastMail)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list portal users: %w", err)
	}
	return out, nil
}

// UserByID returns the portal user or portal.ErrNoUser.
func (db *DB) UserByID(ctx context.Context, id int64) (portal.User, error) {
	return db.userWhere(ctx, "u.id = ?", id)
}

// UserByEmail returns the portal user with this address (any case).
func (db *DB) UserByEmail(ctx context.Context, email string) (portal.User, error) {
	return db.userWhere(ctx, "u.email_key = ?", strings.ToLower(strings.TrimSpace(email)))
}

func (db *DB) userWhere(ctx context.Context, cond string, args ...any) (portal.User, error) {
	u, err := scanPortalUser(db.r.QueryRowContext(ctx, `SELECT `+portalUserColumns+` FROM portal_users u WHERE `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return portal.User{}, portal.ErrNoUser
	}
	if err != nil {
		return portal.User{}, fmt.Errorf("read portal user: %w", err)
	}
	return u, nil
}

// LinkUser is the user of an unused, unexpired link.
func (db *DB) LinkUser(ctx context.Context, hash, purpose string, now time.Time) (portal.User, error) {
	u, err := scanPortalUser(db.r.QueryRowContext(ctx, `SELECT `+portalUserColumns+` FROM portal_links l
		JOIN portal_users u ON u.id = l.user_id WHERE l.hash = ? AND l.purpose = ? AND l.used_at IS NULL
		AND l.voided_at IS NULL AND l.expires_at > ?`, hash, purpose, fmtTime(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return portal.User{}, portal.ErrLinkInvalid
	}
	if err != nil {
		return portal.User{}, fmt.Errorf("read link: %w", err)
	}
	return u, nil
}

// UseLink consumes a link (see portal.Store): the check and the use are one
// statement, so a link can be used once however many tabs try at once.
func (db *DB) UseLink(ctx context.Context, hash, purpose string, now time.Time, passwordHash string, a portal.Audit) (portal.User, error) {
	var u portal.User
	err := db.write(ctx, func(tx *sql.Tx) error {
		var userID int64
		err := tx.QueryRowContext(ctx, `UPDATE portal_links SET used_at = ? WHERE hash = ? AND purpose = ?
			AND used_at IS NULL AND voided_at IS NULL AND expires_at > ? RETURNING user_id`,
			fmtTime(now), hash, purpose, fmtTime(now)).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return portal.ErrLinkInvalid
		}
		if err != nil {
			return fmt.Errorf("use link: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE portal_links SET voided_at = ? WHERE user_id = ? AND purpose = ?
			AND used_at IS NULL AND voided_at IS NULL`, fmtTime(now), userID, purpose); err != nil {
			return fmt.Errorf("void links: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE portal_users SET password_hash = ?, updated_at = ?, version = version + 1,
			activated_at = coalesce(activated_at, ?) WHERE id = ?`, passwordHash, fmtTime(now), fmtTime(now), userID); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM portal_sessions WHERE user_id = ?`, userID); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		if u, err = scanPortalUser(tx.QueryRowContext(ctx, `SELECT `+portalUserColumns+` FROM portal_users u WHERE u.id = ?`, userID)); err != nil {
			return fmt.Errorf("read portal user: %w", err)
		}
		a.ClientID = u.ClientID
		return db.insertPortalAudit(ctx, tx, a)
	})
	if err != nil {
		if errors.Is(err, portal.ErrLinkInvalid) {
			return portal.User{}, portal.ErrLinkInvalid
		}
		return portal.User{}, fmt.Errorf("use link: %w", err)
	}
	return u, nil
}

// CreateSession stores a patient's session by the hash of its token.
func (db *DB) CreateSession(ctx context.Context, hash string, userID int64, expires time.Time) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		// Expired sessions are cleared on the way.
		if _, err := tx.ExecContext(ctx, `DELETE FROM portal_sessions WHERE expires_at <= ?`, fmtTime(db.now())); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO portal_sessions (hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			hash, userID, fmtTime(db.now()), fmtTime(expires))
		return err
	})
	if err != nil {
		return fmt.Errorf("create portal session: %w", err)
	}
	return nil
}

// SessionUser is the user of an unexpired session, or portal.ErrNoSession.
func (db *DB) SessionUser(ctx context.Context, hash string, now time.Time) (portal.User, error) {
	u, err := scanPortalUser(db.r.QueryRowContext(ctx, `SELECT `+portalUserColumns+` FROM portal_sessions s
		JOIN portal_users u ON u.id = s.user_id WHERE s.hash = ? AND s.expires_at > ?`, hash, fmtTime(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return portal.User{}, portal.ErrNoSession
	}
	if err != nil {
		return portal.User{}, fmt.Errorf("read portal session: %w", err)
	}
	return u, nil
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM portal_sessions WHERE hash = ?`, hash)
		return err
	})
}

// RetryMail queues the user's unsent mail for now.
func (db *DB) RetryMail(ctx context.Context, userID int64, now time.Time, a portal.Audit) (int, error) {
	var n int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'queued', next_attempt_at = ? WHERE user_id = ? AND state <> 'sent'`,
			fmtTime(now), userID)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return db.insertPortalAudit(ctx, tx, a)
	})
	if err != nil {
		return 0, fmt.Errorf("retry mail: %w", err)
	}
	return int(n), nil
}

// DueMessages returns queued messages due at now, oldest first.
func (db *DB) DueMessages(ctx context.Context, now time.Time, limit int) ([]outbox.Message, error) {
	return db.messages(ctx, `WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`, fmtTime(now), limit)
}

// Messages lists the newest outbox messages (for the demo's viewer and
// tests), newest first.
func (db *DB) Messages(ctx context.Context, limit int) ([]outbox.Message, error) {
	return db.messages(ctx, `ORDER BY id DESC LIMIT ?`, limit)
}

func (db *DB) messages(ctx context.Context, tail string, args ...any) ([]outbox.Message, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, coalesce(user_id, 0), kind, recipient, subject, text_body, html_body,
		message_id, created_at, state, attempts, next_attempt_at, sent_at, last_error FROM outbox `+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []outbox.Message
	for rows.Next() {
		var m outbox.Message
		var created, next string
		var sent sql.NullString
		if err := rows.Scan(&m.ID, &m.UserID, &m.Kind, &m.To, &m.Subject, &m.Text, &m.HTML, &m.MessageID, &created,
			&m.State, &m.Attempts, &next, &sent, &m.LastError); err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		if m.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		if m.NextAttemptAt, err = parseTime(next); err != nil {
			return nil, err
		}
		if sent.Valid {
			t, err := parseTime(sent.String)
			if err != nil {
				return nil, err
			}
			m.SentAt = &t
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MarkSent records delivery and blanks the bodies (they may hold a link).
func (db *DB) MarkSent(ctx context.Context, id int64, at time.Time) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, last_error = '',
			text_body = '', html_body = '' WHERE id = ?`, fmtTime(at), id)
		return err
	})
}

// MarkAttemptFailed records a failed attempt; a zero next means failed for
// good (until «Prøv igjen»).
func (db *DB) MarkAttemptFailed(ctx context.Context, id int64, reason string, next time.Time) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		var err error
		if next.IsZero() {
			_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?`, reason, id)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ? AND state = 'queued'`,
				reason, fmtTime(next), id)
		}
		return err
	})
}

// NextDue is the earliest next attempt of a queued message.
func (db *DB) NextDue(ctx context.Context) (time.Time, bool, error) {
	var at sql.NullString
	if err := db.r.QueryRowContext(ctx, `SELECT min(next_attempt_at) FROM outbox WHERE state = 'queued'`).Scan(&at); err != nil {
		return time.Time{}, false, fmt.Errorf("next due mail: %w", err)
	}
	if !at.Valid {
		return time.Time{}, false, nil
	}
	t, err := parseTime(at.String)
	return t, err == nil, err
}
