package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"resepsjon/register"
)

// Checker looks at a database file without changing it (the store's
// CheckDatabaseFile).
type Checker func(ctx context.Context, path string) (register.DatabaseCheck, error)

// RestoreError means a backup cannot be restored; Code says why, for the
// user (see the restore.* codes). The current register is untouched.
type RestoreError struct {
	Code string
	Err  error
}

// Codes of a RestoreError.
const (
	CodeChecksumMissing  = "restore.checksum_missing"
	CodeChecksumMismatch = "restore.checksum_mismatch"
	CodePassphrase       = "restore.passphrase_needed"
	CodeWrongPassphrase  = "restore.wrong_passphrase"
	CodeNotRegister      = "restore.not_register"
	CodeSchemaNewer      = "restore.schema_newer"
	CodeDamaged          = "restore.damaged"
	CodeUnreadable       = "restore.unreadable"
)

func (e *RestoreError) Error() string {
	if e.Err != nil {
		return "restore: " + e.Code + ": " + e.Err.Error()
	}
	return "restore: " + e.Code
}

func (e *RestoreError) Unwrap() error { return e.Err }

// RestoreOptions say how to treat a backup.
type RestoreOptions struct {
	// Passphrase opens an encrypted backup; empty: the one in the keyring.
	Passphrase string
	// WithoutChecksum accepts a backup that has no checksum file (a copy
	// made by hand). A checksum that does not match is refused always.
	WithoutChecksum bool
}

// Staged is a backup checked and unpacked next to the register, ready to be
// swapped in.
type Staged struct {
	Path   string // the unencrypted copy in the work directory
	Source string // the backup it came from
	Check  register.DatabaseCheck
}

// Discard removes the staged copy (a restore that is not carried out).
func (s Staged) Discard() { os.Remove(s.Path) }

// Prepare checks the backup at src and puts an unencrypted copy of it in the
// work directory: the checksum, the passphrase of an encrypted backup, that
// it is a client register, that its schema is not newer than this program,
// and the integrity check. Any problem is a *RestoreError, and nothing of the
// current register is touched.
func (s *Service) Prepare(ctx context.Context, src string, opt RestoreOptions, check Checker) (Staged, error) {
	if _, err := os.Stat(src); err != nil {
		return Staged{}, &RestoreError{Code: CodeUnreadable, Err: err}
	}
	switch err := VerifyChecksum(src); {
	case errors.Is(err, ErrChecksumMissing):
		if !opt.WithoutChecksum {
			return Staged{}, &RestoreError{Code: CodeChecksumMissing}
		}
	case errors.Is(err, ErrChecksumMismatch):
		return Staged{}, &RestoreError{Code: CodeChecksumMismatch}
	case err != nil:
		return Staged{}, &RestoreError{Code: CodeUnreadable, Err: err}
	}
	enc, err := IsEncrypted(src)
	if err != nil {
		return Staged{}, &RestoreError{Code: CodeUnreadable, Err: err}
	}
	staged := filepath.Join(s.cfg.WorkDir, fmt.Sprintf(".restore-%d.db", s.cfg.Clock().UnixNano()))
	if enc {
		pass := opt.Passphrase
		if pass == "" && s.cfg.Passphrases != nil {
			pass, _ = s.cfg.Passphrases.Get(ctx)
		}
		if pass == "" {
			return Staged{}, &RestoreError{Code: CodePassphrase}
		}
		if err := decryptFile(src, staged, pass); err != nil {
			os.Remove(staged)
			if errors.Is(err, ErrWrongPassphrase) {
				return Staged{}, &RestoreError{Code: CodeWrongPassphrase}
			}
			return Staged{}, &RestoreError{Code: CodeDamaged, Err: err}
		}
	} else if err := copyNew(staged, src); err != nil {
		os.Remove(staged)
		return Staged{}, &RestoreError{Code: CodeUnreadable, Err: err}
	}
	c, err := check(ctx, staged)
	switch {
	case err != nil:
		os.Remove(staged)
		return Staged{}, &RestoreError{Code: CodeUnreadable, Err: err}
	case !c.IsRegister:
		os.Remove(staged)
		return Staged{}, &RestoreError{Code: CodeNotRegister}
	case c.SchemaVersion > c.KnownSchemaVersion:
		os.Remove(staged)
		return Staged{}, &RestoreError{Code: CodeSchemaNewer, Err: fmt.Errorf("schema version %d, this program knows %d", c.SchemaVersion, c.KnownSchemaVersion)}
	case len(c.Problems) > 0:
		os.Remove(staged)
		return Staged{}, &RestoreError{Code: CodeDamaged, Err: fmt.Errorf("%d problems, first: %s", len(c.Problems), c.Problems[0])}
	}
	return Staged{Path: staged, Source: src, Check: c}, nil
}

// copyNew copies src to a new file dst (mode 0600) and syncs it.
func copyNew(dst, src string) error {
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		out.Close()
		return err
	}
	defer in.Close()
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// KeptName is the name under which a restore keeps the register it replaces,
// in the data directory.
func KeptName(t time.Time) string {
	return "resepsjon-before-restore-" + t.UTC().Format(fileLayout) + ".db"
}

// Swap puts the staged copy in place of the register at dbPath. The register
// must be closed, and kept must already hold a good copy of it (the caller
// makes that with the store's Backup while it is open): the register is
// never replaced without one. The swap is a rename in the same folder, so a
// crash leaves either the old register or the new one, never neither. The
// old register's WAL and shared-memory files are removed first: they belong
// to the old file and must not be replayed into the new one.
func Swap(dbPath string, staged Staged, kept string) error {
	if kept != "" {
		if _, err := os.Stat(kept); err != nil {
			return fmt.Errorf("restore: the current register was not kept: %w", err)
		}
	} else if _, err := os.Stat(dbPath); err == nil {
		return errors.New("restore: the current register must be kept before it is replaced")
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(staged.Path, dbPath); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}
