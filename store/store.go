// Package store keeps the practice's client register in one SQLite file
// (modernc.org/sqlite, no cgo): schema migrations, clients with optimistic
// versioning, the receptionist's one-box search, settings, and online backups.
//
// A DB holds two connection pools on the same file: one connection for
// writes, so writers queue in Go instead of meeting SQLITE_BUSY, and a small
// read-only pool, so that in WAL mode readers never wait for the writer.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
	sqlite3 "modernc.org/sqlite/lib"

	"resepsjon/register"
)

// Pool sizes and per-connection settings.
const (
	readConns = 4
	// busyTimeoutMS bounds how long a connection waits for a lock another
	// process (a second instance, a backup tool) holds before SQLITE_BUSY.
	busyTimeoutMS = 5000
	// mmapBytes is 0: no memory mapping. Each connection that maps the
	// file is counted again in the process's resident memory for every page
	// it touched (about 180 MiB after a load run at 100,000 clients with
	// five connections), while reads through the operating system's page
	// cache cost searches about a sixth more CPU under load, because name
	// searches are answered by the in-memory name index and read only the
	// rows of their page (see docs/PERFORMANCE.md, "Memory").
	mmapBytes = 0
	// cacheKiB is each connection's own page cache (negative = KiB in
	// SQLite): enough for the search index's inner pages and a page of rows.
	cacheKiB = 1 << 10
)

// SchemaTooNewError means the database file was written by a newer version of
// the program: it has more migrations applied than this binary knows. The file
// is left untouched.
type SchemaTooNewError struct {
	Have int // the file's schema version (PRAGMA user_version)
	Know int // the newest schema version this binary knows
}

func (e *SchemaTooNewError) Error() string {
	return fmt.Sprintf("database schema version %d is newer than this program knows (%d): use a newer version of the program", e.Have, e.Know)
}

// DB is the client register's database. It is safe for concurrent use.
type DB struct {
	w *sql.DB // exactly one connection: all writes
	r *sql.DB // read-only connections: all reads
	// watch is one read-only connection that only reads PRAGMA
	// data_version, which changes when any other connection (this
	// process's writer, or another process) commits: the name index uses it
	// to notice writes it did not make.
	watch *sql.DB
	log   *slog.Logger
	path  string
	file  os.FileInfo // the database file as opened: see checkFile
	stmts statements
	names nameIndex
	// now is the clock behind every time the store writes (created and
	// updated times, audit times, portal session expiry).
	now register.Clock
}

// Option changes how Open sets up the store.
type Option func(*DB)

// WithClock makes the store take its times from now instead of time.Now, so
// that the app, the store and tests agree on one clock.
func WithClock(now register.Clock) Option {
	return func(db *DB) {
		if now != nil {
			db.now = now
		}
	}
}

// Open opens the database at path, creating the file (mode 0600) if it does
// not exist, and brings its schema up to date. The parent directory must
// exist. A file with a newer schema than this binary knows is not modified and
// yields *SchemaTooNewError.
func Open(ctx context.Context, path string, logger *slog.Logger, opts ...Option) (*DB, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	migs, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := createFile(abs); err != nil {
		return nil, err
	}
	// Look before writing anything: even switching to WAL writes the file.
	have, err := readSchemaVersion(ctx, abs)
	if err != nil {
		return nil, err
	}
	if have > len(migs) {
		return nil, &SchemaTooNewError{Have: have, Know: len(migs)}
	}

	if err := useWAL(ctx, abs, logger); err != nil {
		return nil, err
	}

	w, err := sql.Open("sqlite", dsn(abs, false))
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := migrate(ctx, w, migs, logger); err != nil {
		w.Close()
		return nil, err
	}

	r, err := sql.Open("sqlite", dsn(abs, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	r.SetMaxOpenConns(readConns)
	r.SetMaxIdleConns(readConns)
	r.SetConnMaxLifetime(0)
	r.SetConnMaxIdleTime(0)

	watch, err := sql.Open("sqlite", dsn(abs, true))
	if err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	watch.SetMaxOpenConns(1)
	watch.SetMaxIdleConns(1)
	watch.SetConnMaxLifetime(0)
	watch.SetConnMaxIdleTime(0)

	db := &DB{w: w, r: r, watch: watch, log: logger, path: abs, now: time.Now}
	for _, o := range opts {
		o(db)
	}
	if err := db.stmts.prepare(ctx, w, r); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.reindex(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if db.file, err = os.Stat(abs); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	// Refuse to start on a register that cannot be written, rather than
	// failing at the first save.
	if err := db.checkWritable(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes both connection pools. Closing the last connection checkpoints
// the WAL into the main file.
func (db *DB) Close() error {
	db.names.stopLoad()
	serr := db.stmts.close()
	rerr := db.r.Close()
	verr := db.watch.Close()
	werr := db.w.Close()
	if err := errors.Join(serr, rerr, verr, werr); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

// checkWritable writes the time of opening into the store's settings: a
// register that cannot be written is refused at start (register.ErrReadOnly,
// register.ErrDiskFull) rather than at the first save.
func (db *DB) checkWritable(ctx context.Context) error {
	opened := time.Now().UTC().Format(timeLayout)
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.StmtContext(ctx, db.stmts.putSetting).ExecContext(ctx, settingOpenedAt, opened, opened)
		return err
	})
	if err != nil {
		return fmt.Errorf("open database: check that it can be written: %w", err)
	}
	return nil
}

// checkFile reports register.ErrRegisterMoved when the database file is no
// longer at its path (moved, renamed or deleted, or replaced by another
// file) while it is open: SQLite would go on writing to the open file, and
// those writes would be lost at the next start.
func (db *DB) checkFile() error {
	now, err := os.Stat(db.path)
	if err != nil || !os.SameFile(now, db.file) {
		db.log.Error("the register file was moved or deleted while in use; refusing writes", "path", db.path, "err", err)
		return register.ErrRegisterMoved
	}
	return nil
}

// storageError marks the SQLite errors the receptionist can act on with
// the register's error values: a full disk and a read-only file.
func storageError(err error) error {
	var se interface{ Code() int }
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_FULL:
		return fmt.Errorf("%w: %w", register.ErrDiskFull, err)
	case sqlite3.SQLITE_READONLY:
		return fmt.Errorf("%w: %w", register.ErrReadOnly, err)
	}
	return err
}

// dataVersion reads PRAGMA data_version on the watch connection.
func (db *DB) dataVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := db.watch.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("data version: %w", err)
	}
	return v, nil
}

// createFile creates an empty database file with mode 0600 unless one exists,
// so that SQLite (and its -wal and -shm files, which copy the main file's
// mode) never creates it with the umask's wider default.
func createFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create database file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("create database file: %w", err)
	}
	return nil
}

// useWAL switches the database file to WAL mode, which the file keeps from
// then on. It is done once, on a connection of its own, before the store's
// pools open, and tried again while another process holds the write lock:
// switching reads the file header under a shared lock and then asks for the
// write lock, and when another connection already holds that (another
// program switching the same new file at the same moment), SQLite refuses at
// once with SQLITE_BUSY instead of calling the busy handler, because waiting
// while holding the shared lock could deadlock. Two programs starting at once
// on a new file, or the program and `resepsjon backup` or `refresh`, met that
// as "database is locked". Each new try starts with no lock held, so the busy
// timeout applies again, and finds the file in WAL mode once the other
// connection has switched it.
func useWAL(ctx context.Context, path string, logger *slog.Logger) error {
	c, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer c.Close()
	c.SetMaxOpenConns(1)
	ctx, cancel := context.WithTimeout(ctx, busyTimeoutMS*time.Millisecond)
	defer cancel()
	wait := time.Millisecond
	for {
		var mode string
		err := c.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode)
		if err == nil {
			if !strings.EqualFold(mode, "wal") {
				// Some file systems cannot share the WAL's index: the
				// store still works, with readers waiting for writers.
				logger.WarnContext(ctx, "the database could not use WAL mode", "mode", mode)
			}
			return nil
		}
		if !isBusy(err) {
			return fmt.Errorf("open database: switch to WAL mode: %w", storageError(err))
		}
		// The lock is another program's: there is no event in this
		// process to wait for, so look again after a short pause.
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("open database: switch to WAL mode: %w", err)
		case <-t.C:
		}
		wait = min(2*wait, 50*time.Millisecond)
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY (any extended code).
func isBusy(err error) bool {
	var se interface{ Code() int }
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// readSchemaVersion reads PRAGMA user_version through a read-only connection.
func readSchemaVersion(ctx context.Context, path string) (int, error) {
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// dsn builds a modernc.org/sqlite URI for path. The _pragma parameters are run
// by the driver on every new connection, so every pooled connection has them.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", fmt.Sprintf("mmap_size(%d)", mmapBytes))
	q.Add("_pragma", fmt.Sprintf("cache_size(-%d)", cacheKiB))
	// Deleted content is overwritten with zeros, so a deleted client's
	// identity number and notes do not stay readable in the file.
	q.Add("_pragma", "secure_delete(1)")
	if readOnly {
		q.Set("mode", "ro")
		q.Add("_pragma", "query_only(1)")
	} else {
		// No journal_mode here: WAL is a property of the file, set once
		// by useWAL when the store opens.
		q.Add("_pragma", "synchronous(NORMAL)")
		// Take the write lock at BEGIN: a deferred transaction that reads
		// first and upgrades later can fail with SQLITE_BUSY at once when
		// another process writes in between.
		q.Set("_txlock", "immediate")
	}
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: file:///C:/...
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	return u.String()
}

// The store is what the use cases keep their data in.
var (
	_ register.ClientStore   = (*DB)(nil)
	_ register.SettingsStore = (*DB)(nil)
	_ register.AuditLog      = (*DB)(nil)
)
