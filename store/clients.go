package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"resepsjon/register"
)

// timeLayout is fixed-width UTC, so stored times sort as text.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// clientColumns are the columns scanClient reads, in its order.
const clientColumns = `id, nin, nin_type, given_name, middle_name, family_name, birth_date,
	gender, status, death_date, address_protection, street_address, postal_code, city,
	municipality_number, postal_address, phone, email, notes, person_id, fetched_at,
	sequence_number, version, created_at, updated_at, fetched_phone, fetched_email`

const (
	sqlGetClient   = `SELECT ` + clientColumns + ` FROM clients WHERE id = ?`
	sqlClientByNIN = `SELECT ` + clientColumns + ` FROM clients WHERE nin = ? AND nin <> ''`
	// A new client's id is above every id ever used, also those of deleted
	// clients: an id in an open form, a bookmark or a log must never lead
	// to another person (a stale edit of a deleted client could otherwise
	// pass the version check of a new one). The schema's INTEGER PRIMARY
	// KEY alone would reuse the highest id after it is deleted, so deletes
	// record it under settingDeletedMaxID.
	sqlInsert = `INSERT INTO clients (id, nin, nin_type, given_name, middle_name, family_name,
	birth_date, gender, status, death_date, address_protection, street_address, postal_code,
	city, municipality_number, postal_address, phone, email, notes, person_id, fetched_at,
	sequence_number, version, created_at, updated_at, sort_key, fetched_phone, fetched_email)
	VALUES (1 + max(coalesce((SELECT max(id) FROM clients), 0),
		coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = '` + settingDeletedMaxID + `'), 0)),
	?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	sqlRecordDeleted = `INSERT INTO settings (key, value, updated_at) VALUES ('` + settingDeletedMaxID + `', ?1, ?2)
	ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER)), updated_at = excluded.updated_at`
	sqlUpdate = `UPDATE clients SET nin = ?, nin_type = ?, given_name = ?, middle_name = ?,
	family_name = ?, birth_date = ?, gender = ?, status = ?, death_date = ?,
	address_protection = ?, street_address = ?, postal_code = ?, city = ?,
	municipality_number = ?, postal_address = ?, phone = ?, email = ?, notes = ?,
	person_id = ?, fetched_at = ?, sequence_number = ?, version = ?, created_at = ?,
	updated_at = ?, sort_key = ?, fetched_phone = ?, fetched_email = ?
	WHERE id = ?`
	sqlVersion = `SELECT version, created_at FROM clients WHERE id = ?`
	// sqlFetched is the stored fetch a save compares with: a save that does
	// not carry a new fetch keeps the stored contact base.
	sqlFetched   = `SELECT fetched_at, fetched_phone, fetched_email FROM clients WHERE id = ?`
	sqlNINOwner  = `SELECT id FROM clients WHERE nin = ? AND nin <> '' AND id <> ?`
	sqlDelete    = `DELETE FROM clients WHERE id = ?`
	sqlFTSInsert = `INSERT INTO clients_fts (rowid, names, nin, phone, birth) VALUES (?, ?, ?, ?, ?)`
	// The search index row is removed with FTS5's delete command and the
	// tokens it was written with (made again from the client row before it
	// changes), so that with secure-delete they leave the index pages at
	// once (see migration 0005).
	sqlFTSDelete = `INSERT INTO clients_fts (clients_fts, rowid, names, nin, phone, birth) VALUES ('delete', ?, ?, ?, ?, ?)`
	sqlIndexed   = `SELECT given_name, middle_name, family_name, nin, phone, birth_date FROM clients WHERE id = ?`
)

// CreateClient stores a new client and returns it with its id, version 1 and
// creation time. A client whose identity number is already registered gives
// *register.DuplicateError.
func (db *DB) CreateClient(ctx context.Context, c register.Client) (register.Client, error) {
	var out register.Client
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = db.insertClient(ctx, tx, c, db.now().UTC())
		return err
	})
	if err != nil {
		return register.Client{}, fmt.Errorf("create client: %w", err)
	}
	return out, nil
}

// ImportClients stores many new clients in one transaction: all of them or,
// on any error, none. An identity number that is already registered gives
// *register.DuplicateError with the existing client's id; one that occurs
// twice in cs gives *register.DuplicateError with ExistingID 0. The error
// names the index in cs of the client that failed.
func (db *DB) ImportClients(ctx context.Context, cs []register.Client) error {
	if err := duplicateInList(cs); err != nil {
		return fmt.Errorf("import clients: %w", err)
	}
	now := db.now().UTC()
	err := db.write(ctx, func(tx *sql.Tx) error {
		for i, c := range cs {
			if _, err := db.insertClient(ctx, tx, c, now); err != nil {
				return fmt.Errorf("client %d: %w", i, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("import clients: %w", err)
	}
	db.log.InfoContext(ctx, "clients imported", "count", len(cs))
	return nil
}

// duplicateInList refuses a list in which two clients have the same
// identity number: *register.DuplicateError with ExistingID 0.
func duplicateInList(cs []register.Client) error {
	seen := make(map[string]int, len(cs))
	for i, c := range cs {
		if c.NIN == "" {
			continue
		}
		if j, ok := seen[c.NIN]; ok {
			return fmt.Errorf("client %d has the identity number of client %d: %w", i, j, &register.DuplicateError{})
		}
		seen[c.NIN] = i
	}
	return nil
}

func (db *DB) insertClient(ctx context.Context, tx *sql.Tx, c register.Client, now time.Time) (register.Client, error) {
	if err := db.checkNIN(ctx, tx, c.NIN, 0); err != nil {
		return register.Client{}, err
	}
	c.ID = 0
	c.Version = 1
	c.CreatedAt = now
	c.UpdatedAt = now
	c.FetchedAt = utcCopy(c.FetchedAt)
	c.SequenceNumber = int64Copy(c.SequenceNumber)
	res, err := tx.StmtContext(ctx, db.stmts.insert).ExecContext(ctx, clientArgs(c)...)
	if err != nil {
		return register.Client{}, err
	}
	c.ID, err = res.LastInsertId()
	if err != nil {
		return register.Client{}, err
	}
	if err := db.indexClient(ctx, tx, c); err != nil {
		return register.Client{}, err
	}
	return c, nil
}

// GetClient returns the client with this id, or register.ErrNotFound.
func (db *DB) GetClient(ctx context.Context, id int64) (register.Client, error) {
	c, err := scanClient(db.stmts.get.QueryRowContext(ctx, id))
	if err != nil {
		return register.Client{}, fmt.Errorf("get client %d: %w", id, err)
	}
	return c, nil
}

// ClientByNIN returns the client with this identity number (11 digits), or
// register.ErrNotFound.
func (db *DB) ClientByNIN(ctx context.Context, nin string) (register.Client, error) {
	c, err := scanClient(db.stmts.byNIN.QueryRowContext(ctx, nin))
	if err != nil {
		return register.Client{}, fmt.Errorf("client by identity number: %w", err)
	}
	return c, nil
}

// UpdateClient saves c over the stored client with c.ID. c.Version is the
// version the caller read: if the stored version differs, nothing is saved
// and *register.ConflictError carries the stored version. On success the
// version is one higher, UpdatedAt is now, CreatedAt is kept. A missing client
// gives register.ErrNotFound, an identity number another client has
// *register.DuplicateError.
func (db *DB) UpdateClient(ctx context.Context, c register.Client) (register.Client, error) {
	var saved register.Client
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		saved, err = db.updateInTx(ctx, tx, c)
		return err
	})
	if err != nil {
		return register.Client{}, fmt.Errorf("update client %d: %w", c.ID, err)
	}
	return saved, nil
}

// updateInTx is the body of every client update: the version check, the
// identity-number check, the row and its search index. It returns c as
// stored (new version and timestamps).
func (db *DB) updateInTx(ctx context.Context, tx *sql.Tx, c register.Client) (register.Client, error) {
	stored, created, err := db.storedVersion(ctx, tx, c.ID)
	if err != nil {
		return c, err
	}
	if stored != c.Version {
		return c, &register.ConflictError{Current: stored}
	}
	if err := db.checkNIN(ctx, tx, c.NIN, c.ID); err != nil {
		return c, err
	}
	if err := db.keepFetchedContact(ctx, tx, &c); err != nil {
		return c, err
	}
	c.Version = stored + 1
	c.CreatedAt = created
	c.UpdatedAt = db.now().UTC()
	c.FetchedAt = utcCopy(c.FetchedAt)
	c.SequenceNumber = int64Copy(c.SequenceNumber)
	if err := db.unindexClient(ctx, tx, c.ID); err != nil {
		return c, err
	}
	args := append(clientArgs(c), c.ID)
	if _, err := tx.StmtContext(ctx, db.stmts.update).ExecContext(ctx, args...); err != nil {
		return c, err
	}
	return c, db.indexClient(ctx, tx, c)
}

// keepFetchedContact applies register.KeepFetchedContact with the stored
// fetch: only a save that carries a new fetch writes the contact base.
func (db *DB) keepFetchedContact(ctx context.Context, tx *sql.Tx, c *register.Client) error {
	var fetched, phone, email sql.NullString
	if err := tx.StmtContext(ctx, db.stmts.fetched).QueryRowContext(ctx, c.ID).Scan(&fetched, &phone, &email); err != nil {
		return fmt.Errorf("stored fetch: %w", err)
	}
	var stored register.Client
	if fetched.Valid {
		t, err := time.Parse(time.RFC3339Nano, fetched.String)
		if err != nil {
			return fmt.Errorf("stored fetched_at: %w", err)
		}
		stored.FetchedAt = &t
	}
	stored.FetchedPhone, stored.FetchedEmail = nullString(phone), nullString(email)
	register.KeepFetchedContact(stored, c)
	return nil
}

// DeleteClient deletes the client with this id. version is the version the
// caller read (0: delete whatever is stored); a different stored version
// gives *register.ConflictError, a missing client register.ErrNotFound.
func (db *DB) DeleteClient(ctx context.Context, id, version int64) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		stored, _, err := db.storedVersion(ctx, tx, id)
		if err != nil {
			return err
		}
		if version != 0 && stored != version {
			return &register.ConflictError{Current: stored}
		}
		if err := db.unindexClient(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.StmtContext(ctx, db.stmts.delete).ExecContext(ctx, id); err != nil {
			return err
		}
		db.names.stage(nameChange{id: id})
		if _, err := tx.StmtContext(ctx, db.stmts.recordDeleted).ExecContext(ctx, id, db.now().UTC().Format(timeLayout)); err != nil {
			return fmt.Errorf("record deleted id: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete client %d: %w", id, err)
	}
	return nil
}

// write runs fn in a write transaction on the single writer connection.
//
// Before it begins, it checks that the database file is still where it was
// opened (register.ErrRegisterMoved). A full disk or a read-only file come
// back as register.ErrDiskFull or register.ErrReadOnly.
func (db *DB) write(ctx context.Context, fn func(*sql.Tx) error) error {
	if db.file != nil {
		if err := db.checkFile(); err != nil {
			return err
		}
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return storageError(fmt.Errorf("begin: %w", err))
	}
	if err := fn(tx); err != nil {
		db.names.takeStaged()
		if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
			return storageError(errors.Join(err, fmt.Errorf("rollback: %w", rerr)))
		}
		return storageError(err)
	}
	// The search's name index changes together with the commit.
	if err := db.names.commit(ctx, db, db.names.takeStaged(), tx.Commit); err != nil {
		return storageError(fmt.Errorf("commit: %w", err))
	}
	return nil
}

func (db *DB) storedVersion(ctx context.Context, tx *sql.Tx, id int64) (int64, time.Time, error) {
	var v int64
	var created string
	err := tx.StmtContext(ctx, db.stmts.version).QueryRowContext(ctx, id).Scan(&v, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, register.ErrNotFound
	}
	if err != nil {
		return 0, time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339Nano, created)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("stored created_at: %w", err)
	}
	return v, t, nil
}

// checkNIN reports *register.DuplicateError when a client other than self
// has this identity number. The unique index would refuse it too, but could
// not say which client has it.
func (db *DB) checkNIN(ctx context.Context, tx *sql.Tx, nin string, self int64) error {
	if nin == "" {
		return nil
	}
	var other int64
	err := tx.StmtContext(ctx, db.stmts.ninOwner).QueryRowContext(ctx, nin, self).Scan(&other)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check identity number: %w", err)
	}
	return &register.DuplicateError{ExistingID: other}
}

// unindexClient removes the client's search index row, with the tokens of
// the stored row: call it before the row changes.
func (db *DB) unindexClient(ctx context.Context, tx *sql.Tx, id int64) error {
	var given, middle, family, nin, phone, birth string
	if err := tx.StmtContext(ctx, db.stmts.indexed).QueryRowContext(ctx, id).Scan(&given, &middle, &family, &nin, &phone, &birth); err != nil {
		return fmt.Errorf("unindex: %w", err)
	}
	d := docFor(given, middle, family, nin, phone, birth)
	if _, err := tx.StmtContext(ctx, db.stmts.ftsDelete).ExecContext(ctx, id, d.names, d.nin, d.phone, d.birth); err != nil {
		return fmt.Errorf("unindex: %w", err)
	}
	return nil
}

// reindex fills the search index afresh from the clients when a migration
// asked for it (the store.reindex setting), in one transaction.
func (db *DB) reindex(ctx context.Context) error {
	if _, ok, err := db.GetSetting(ctx, settingReindex); err != nil || !ok {
		return err
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO clients_fts (clients_fts) VALUES ('delete-all')`); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, given_name, middle_name, family_name, nin, phone, birth_date FROM clients`)
		if err != nil {
			return err
		}
		defer rows.Close()
		ins := tx.StmtContext(ctx, db.stmts.ftsInsert)
		for rows.Next() {
			var id int64
			var given, middle, family, nin, phone, birth string
			if err := rows.Scan(&id, &given, &middle, &family, &nin, &phone, &birth); err != nil {
				return err
			}
			d := docFor(given, middle, family, nin, phone, birth)
			if _, err := ins.ExecContext(ctx, id, d.names, d.nin, d.phone, d.birth); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, settingReindex)
		return err
	})
	if err != nil {
		return fmt.Errorf("rebuild the search index: %w", err)
	}
	db.log.InfoContext(ctx, "search index rebuilt")
	return nil
}

// indexClient writes the client's search index row (rowid = client id).
func (db *DB) indexClient(ctx context.Context, tx *sql.Tx, c register.Client) error {
	d := docFor(c.GivenName, c.MiddleName, c.FamilyName, c.NIN, c.Phone, c.BirthDate)
	if _, err := tx.StmtContext(ctx, db.stmts.ftsInsert).ExecContext(ctx, c.ID, d.names, d.nin, d.phone, d.birth); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	db.names.stage(newClientChange(c.Summary()))
	return nil
}

// clientArgs are the values of sqlInsert, and of sqlUpdate without the id.
func clientArgs(c register.Client) []any {
	var fetched, seq any
	if c.FetchedAt != nil {
		fetched = c.FetchedAt.UTC().Format(timeLayout)
	}
	if c.SequenceNumber != nil {
		seq = *c.SequenceNumber
	}
	return []any{c.NIN, c.NINType, c.GivenName, c.MiddleName, c.FamilyName,
		c.BirthDate, c.Gender, c.Status, c.DeathDate, c.AddressProtection, c.StreetAddress,
		c.PostalCode, c.City, c.MunicipalityNumber, c.PostalAddress, c.Phone, c.Email,
		c.Notes, c.PersonID, fetched, seq, c.Version,
		c.CreatedAt.UTC().Format(timeLayout), c.UpdatedAt.UTC().Format(timeLayout),
		sortKey(c.FamilyName, c.GivenName, c.MiddleName), nullable(c.FetchedPhone), nullable(c.FetchedEmail)}
}

// nullable is *p, or NULL.
func nullable(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

// nullString is s's text, or nil for NULL.
func nullString(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	v := s.String
	return &v
}

type scanner interface{ Scan(dest ...any) error }

// scanClient reads one row of clientColumns; no row is register.ErrNotFound.
func scanClient(row scanner) (register.Client, error) {
	var c register.Client
	var fetched, fetchedPhone, fetchedEmail sql.NullString
	var seq sql.NullInt64
	var created, updated string
	err := row.Scan(&c.ID, &c.NIN, &c.NINType, &c.GivenName, &c.MiddleName, &c.FamilyName,
		&c.BirthDate, &c.Gender, &c.Status, &c.DeathDate, &c.AddressProtection,
		&c.StreetAddress, &c.PostalCode, &c.City, &c.MunicipalityNumber, &c.PostalAddress,
		&c.Phone, &c.Email, &c.Notes, &c.PersonID, &fetched, &seq, &c.Version,
		&created, &updated, &fetchedPhone, &fetchedEmail)
	if errors.Is(err, sql.ErrNoRows) {
		return register.Client{}, register.ErrNotFound
	}
	if err != nil {
		return register.Client{}, err
	}
	if c.CreatedAt, err = time.Parse(time.RFC3339Nano, created); err != nil {
		return register.Client{}, fmt.Errorf("client %d created_at: %w", c.ID, err)
	}
	if c.UpdatedAt, err = time.Parse(time.RFC3339Nano, updated); err != nil {
		return register.Client{}, fmt.Errorf("client %d updated_at: %w", c.ID, err)
	}
	if fetched.Valid {
		t, err := time.Parse(time.RFC3339Nano, fetched.String)
		if err != nil {
			return register.Client{}, fmt.Errorf("client %d fetched_at: %w", c.ID, err)
		}
		c.FetchedAt = &t
	}
	if seq.Valid {
		c.SequenceNumber = &seq.Int64
	}
	c.FetchedPhone, c.FetchedEmail = nullString(fetchedPhone), nullString(fetchedEmail)
	return c, nil
}

// utcCopy returns a copy of *t in UTC, so the returned client neither shares
// the caller's pointer nor differs from what a later read returns.
func utcCopy(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func int64Copy(p *int64) *int64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
