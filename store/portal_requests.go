package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"resepsjon/portal"
	"resepsjon/register"
)

// The portal's access requests and the patients' messages (the «Innboks»).

const requestColumns = `id, name, nin, email, consultation, booking, renewal, wants_electronic_reply, language, verified, acr,
	status, received_at, decided_at, decided_by, reason, coalesce(client_id, 0), client_source, version`

func scanRequest(sc interface{ Scan(...any) error }) (portal.StoredRequest, error) {
	var r portal.StoredRequest
	var received string
	var decided sql.NullString
	if err := sc.Scan(&r.ID, &r.Name, &r.NIN, &r.Email, &r.Rights.Consultation, &r.Rights.Booking, &r.Rights.Renewal,
		&r.WantsElectronicReply, &r.Language, &r.Verified, &r.ACR, &r.Status, &received, &decided, &r.DecidedBy, &r.Reason,
		&r.ClientID, &r.ClientSource, &r.Version); err != nil {
		return portal.StoredRequest{}, err
	}
	var err error
	if r.ReceivedAt, err = parseTime(received); err != nil {
		return portal.StoredRequest{}, err
	}
	if decided.Valid {
		t, err := parseTime(decided.String)
		if err != nil {
			return portal.StoredRequest{}, err
		}
		r.DecidedAt = &t
	}
	return r, nil
}

// PutRequest stores a new access request and its audit row.
func (db *DB) PutRequest(ctx context.Context, r portal.StoredRequest, a portal.Audit) (portal.StoredRequest, error) {
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO portal_requests (name, nin, email, consultation, booking, renewal,
			wants_electronic_reply, language, verified, acr, status, received_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
			r.Name, r.NIN, r.Email, r.Rights.Consultation, r.Rights.Booking, r.Rights.Renewal, r.WantsElectronicReply, r.Language,
			r.Verified, r.ACR, string(r.Status), fmtTime(r.ReceivedAt))
		if err != nil {
			return fmt.Errorf("insert access request: %w", err)
		}
		if r.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		r.Version = 1
		return db.insertPortalAudit(ctx, tx, a)
	})
	if err != nil {
		return portal.StoredRequest{}, fmt.Errorf("store access request: %w", err)
	}
	return r, nil
}

// putRequest saves a request's decision when its version is the stored one.
func putRequest(ctx context.Context, tx *sql.Tx, r portal.StoredRequest) error {
	var decided, client any
	if r.DecidedAt != nil {
		decided = fmtTime(*r.DecidedAt)
	}
	if r.ClientID != 0 {
		client = r.ClientID
	}
	res, err := tx.ExecContext(ctx, `UPDATE portal_requests SET status = ?, decided_at = ?, decided_by = ?, reason = ?, client_id = ?,
		client_source = ?, version = version + 1 WHERE id = ? AND version = ?`, string(r.Status), decided, r.DecidedBy, r.Reason, client,
		r.ClientSource, r.ID, r.Version)
	if err != nil {
		return fmt.Errorf("update access request: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var current int64
		if err := tx.QueryRowContext(ctx, `SELECT version FROM portal_requests WHERE id = ?`, r.ID).Scan(&current); errors.Is(err, sql.ErrNoRows) {
			return portal.ErrNoRequest
		} else if err != nil {
			return err
		}
		return &register.ConflictError{Current: current}
	}
	return nil
}

// RequestByID is one access request.
func (db *DB) RequestByID(ctx context.Context, id int64) (portal.StoredRequest, error) {
	r, err := scanRequest(db.r.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM portal_requests WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return portal.StoredRequest{}, portal.ErrNoRequest
	}
	if err != nil {
		return portal.StoredRequest{}, fmt.Errorf("read access request: %w", err)
	}
	return r, nil
}

// Requests lists access requests, newest first.
func (db *DB) Requests(ctx context.Context, f portal.RequestFilter) ([]portal.StoredRequest, error) {
	q, args := `SELECT `+requestColumns+` FROM portal_requests`, []any{}
	if f.Status != "" {
		q += ` WHERE status = ?`
		args = append(args, string(f.Status))
	}
	rows, err := db.r.QueryContext(ctx, q+` ORDER BY received_at DESC, id DESC LIMIT 1000`, args...)
	if err != nil {
		return nil, fmt.Errorf("list access requests: %w", err)
	}
	defer rows.Close()
	out := []portal.StoredRequest{}
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, fmt.Errorf("read access request: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

const inquiryColumns = `q.id, coalesce(q.user_id, 0), q.client_id, q.kind, q.body, q.preferred, q.medicine, q.status, q.answer,
	q.answered_at, q.answered_by, q.answered_electronically, q.created_at, q.updated_at, q.version,
	c.given_name, c.middle_name, c.family_name, coalesce(u.wants_electronic_reply, 0)`

const inquiryFrom = ` FROM portal_inquiries q JOIN clients c ON c.id = q.client_id LEFT JOIN portal_users u ON u.id = q.user_id`

func scanInquiry(sc interface{ Scan(...any) error }) (portal.InboxItem, error) {
	var it portal.InboxItem
	var answered sql.NullString
	var created, updated, given, middle, family string
	q := &it.Inquiry
	if err := sc.Scan(&q.ID, &q.UserID, &q.ClientID, &q.Kind, &q.Text, &q.Preferred, &q.Medicine, &q.Status, &q.Answer,
		&answered, &q.AnsweredBy, &q.AnsweredElectronically, &created, &updated, &q.Version, &given, &middle, &family,
		&it.WantsElectronicReply); err != nil {
		return portal.InboxItem{}, err
	}
	var err error
	if q.CreatedAt, err = parseTime(created); err != nil {
		return portal.InboxItem{}, err
	}
	if q.UpdatedAt, err = parseTime(updated); err != nil {
		return portal.InboxItem{}, err
	}
	if answered.Valid {
		t, err := parseTime(answered.String)
		if err != nil {
			return portal.InboxItem{}, err
		}
		q.AnsweredAt = &t
	}
	it.ClientName = strings.Join(strings.Fields(given+" "+middle+" "+family), " ")
	return it, nil
}

// PutInquiry stores a new message from a patient and its audit row.
func (db *DB) PutInquiry(ctx context.Context, q portal.Inquiry, a portal.Audit) (portal.Inquiry, error) {
	err := db.write(ctx, func(tx *sql.Tx) error {
		var user any
		if q.UserID != 0 {
			user = q.UserID
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO portal_inquiries (user_id, client_id, kind, body, preferred, medicine, status,
			created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, user, q.ClientID, string(q.Kind), q.Text,
			q.Preferred, q.Medicine, string(q.Status), fmtTime(q.CreatedAt), fmtTime(q.UpdatedAt))
		if err != nil {
			return fmt.Errorf("insert message: %w", err)
		}
		if q.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		q.Version = 1
		return db.insertPortalAudit(ctx, tx, a)
	})
	if err != nil {
		return portal.Inquiry{}, fmt.Errorf("store message: %w", err)
	}
	return q, nil
}

// putInquiry saves a message's status and answer when its version is the
// stored one.
func putInquiry(ctx context.Context, tx *sql.Tx, q portal.Inquiry) error {
	var answered any
	if q.AnsweredAt != nil {
		answered = fmtTime(*q.AnsweredAt)
	}
	res, err := tx.ExecContext(ctx, `UPDATE portal_inquiries SET status = ?, answer = ?, answered_at = ?, answered_by = ?,
		answered_electronically = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`, string(q.Status), q.Answer,
		answered, q.AnsweredBy, q.AnsweredElectronically, fmtTime(q.UpdatedAt), q.ID, q.Version)
	if err != nil {
		return fmt.Errorf("update message: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var current int64
		if err := tx.QueryRowContext(ctx, `SELECT version FROM portal_inquiries WHERE id = ?`, q.ID).Scan(&current); errors.Is(err, sql.ErrNoRows) {
			return portal.ErrNoInquiry
		} else if err != nil {
			return err
		}
		return &register.ConflictError{Current: current}
	}
	return nil
}

// InquiryByID is one message with the client's name.
func (db *DB) InquiryByID(ctx context.Context, id int64) (portal.InboxItem, error) {
	it, err := scanInquiry(db.r.QueryRowContext(ctx, `SELECT `+inquiryColumns+inquiryFrom+` WHERE q.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return portal.InboxItem{}, portal.ErrNoInquiry
	}
	if err != nil {
		return portal.InboxItem{}, fmt.Errorf("read message: %w", err)
	}
	return it, nil
}

// Inquiries lists messages, newest first.
func (db *DB) Inquiries(ctx context.Context, f portal.InboxFilter) ([]portal.InboxItem, error) {
	var conds []string
	var args []any
	if f.Status != "" {
		conds, args = append(conds, "q.status = ?"), append(args, string(f.Status))
	}
	if f.ClientID != 0 {
		conds, args = append(conds, "q.client_id = ?"), append(args, f.ClientID)
	}
	q := `SELECT ` + inquiryColumns + inquiryFrom
	if len(conds) > 0 {
		q += ` WHERE ` + strings.Join(conds, " AND ")
	}
	rows, err := db.r.QueryContext(ctx, q+` ORDER BY q.created_at DESC, q.id DESC LIMIT 1000`, args...)
	if err != nil {
		return nil, fmt.Errorf("list messages: %w", err)
	}
	defer rows.Close()
	out := []portal.InboxItem{}
	for rows.Next() {
		it, err := scanInquiry(rows)
		if err != nil {
			return nil, fmt.Errorf("read message: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}
