package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"resepsjon/register"
)

// ErrBackupExists means the backup destination already exists; Backup never
// overwrites a file.
var ErrBackupExists = errors.New("backup destination already exists")

// IntegrityError lists what PRAGMA integrity_check found wrong.
type IntegrityError struct {
	Problems []string
}

func (e *IntegrityError) Error() string {
	return "database integrity check failed: " + strings.Join(e.Problems, "; ")
}

// Backup writes a consistent copy of the database to dest while the database
// stays in use: VACUUM INTO a temporary file next to dest, an integrity check
// of the copy, then the copy is moved to dest (mode 0600). An existing dest is
// never overwritten: that gives ErrBackupExists.
func (db *DB) Backup(ctx context.Context, dest string) error {
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("backup to %s: %w", dest, ErrBackupExists)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	// An empty file is a valid VACUUM INTO target; creating it ourselves
	// gives it mode 0600 and a name nobody else uses.
	f, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*.tmp")
	if err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	tmp := f.Name()
	keep := false
	defer func() {
		if !keep {
			os.Remove(tmp)
		}
	}()
	if err := f.Close(); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}

	if err := db.vacuumInto(ctx, tmp); err != nil {
		return fmt.Errorf("backup to %s: copy: %w", dest, err)
	}
	if err := checkFile(ctx, tmp); err != nil {
		return fmt.Errorf("backup to %s: check copy: %w", dest, err)
	}
	// A hard link fails instead of replacing a dest created meanwhile.
	if err := os.Link(tmp, dest); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("backup to %s: %w", dest, ErrBackupExists)
		}
		// File systems without hard links: look again, then rename.
		if _, err := os.Lstat(dest); !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("backup to %s: %w", dest, ErrBackupExists)
		}
		if err := os.Rename(tmp, dest); err != nil {
			return fmt.Errorf("backup to %s: %w", dest, err)
		}
	}
	db.log.InfoContext(ctx, "database backed up", "dest", dest)
	return nil
}

// vacuumInto copies the database into the empty file dest. The read pool
// cannot do it (query_only forbids writing the copy), and the writer must stay
// free for the app, so the copy gets a connection of its own: it reads a
// consistent snapshot while writers carry on in the WAL.
func (db *DB) vacuumInto(ctx context.Context, dest string) error {
	c, err := sql.Open("sqlite", dsn(db.path, false))
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetMaxOpenConns(1)
	_, err = c.ExecContext(ctx, "VACUUM INTO ?", dest)
	return err
}

// checkFile opens a database file read-only and runs the integrity check.
func checkFile(ctx context.Context, path string) error {
	c, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return err
	}
	defer c.Close()
	return integrityCheck(ctx, c)
}

// IntegrityCheck runs PRAGMA integrity_check over the database and the
// search index; problems are returned as *IntegrityError.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	// On the writer connection: run on a pooled read-only connection right
	// after writes, PRAGMA integrity_check was seen to report "fts5:
	// corruption found" for an index that a fresh connection (and the
	// writer) found intact.
	if err := integrityCheck(ctx, db.w); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	// The FTS5 check (an INSERT command) writes nothing but needs a
	// writable connection.
	if _, err := db.w.ExecContext(ctx, `INSERT INTO clients_fts (clients_fts, rank) VALUES ('integrity-check', 0)`); err != nil {
		return fmt.Errorf("integrity check: %w", &IntegrityError{Problems: []string{"search index: " + err.Error()}})
	}
	var clients, indexed int
	err := db.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM clients), (SELECT count(*) FROM clients_fts)`).Scan(&clients, &indexed)
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if clients != indexed {
		return fmt.Errorf("integrity check: %w", &IntegrityError{Problems: []string{
			fmt.Sprintf("search index has %d rows for %d clients", indexed, clients)}})
	}
	return nil
}

func integrityCheck(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return &IntegrityError{Problems: problems}
	}
	return nil
}

// CheckDatabaseFile looks at a database file without changing it: whether it
// is a client register (SQLite with a clients table), its schema version
// against the newest this program knows, the integrity check, and the number
// of clients. A file that is not SQLite at all is reported as no register,
// not as an error; errors are for files that cannot be read.
func CheckDatabaseFile(ctx context.Context, path string) (register.DatabaseCheck, error) {
	migs, err := loadMigrations()
	if err != nil {
		return register.DatabaseCheck{}, err
	}
	out := register.DatabaseCheck{KnownSchemaVersion: len(migs)}
	head := make([]byte, 16)
	f, err := os.Open(path)
	if err != nil {
		return out, fmt.Errorf("check database file: %w", err)
	}
	n, _ := io.ReadFull(f, head)
	f.Close()
	if string(head[:n]) != "SQLite format 3\x00" {
		return out, nil
	}
	c, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return out, fmt.Errorf("check database file: %w", err)
	}
	defer c.Close()
	// From here on the file says it is SQLite: what cannot be read is
	// damage.
	var tables int
	err = c.QueryRowContext(ctx, "PRAGMA user_version").Scan(&out.SchemaVersion)
	if err == nil {
		err = c.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'clients'`).Scan(&tables)
	}
	if err != nil {
		out.IsRegister, out.Problems = true, []string{err.Error()}
		return out, nil
	}
	if tables == 0 {
		return out, nil
	}
	out.IsRegister = true
	if out.SchemaVersion > out.KnownSchemaVersion {
		return out, nil // a newer program's tables: not ours to judge
	}
	var ie *IntegrityError
	if err := integrityCheck(ctx, c); errors.As(err, &ie) {
		out.Problems = ie.Problems
		return out, nil
	} else if err != nil {
		out.Problems = []string{err.Error()}
		return out, nil
	}
	if err := c.QueryRowContext(ctx, `SELECT count(*) FROM clients`).Scan(&out.Clients); err != nil {
		out.Problems = []string{err.Error()}
	}
	return out, nil
}
