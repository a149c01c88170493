package store

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"resepsjon/register"
)

// TestWritesRefusedAfterTheFileMoved: when the register file is deleted,
// renamed or replaced while open, every write is refused with
// register.ErrRegisterMoved and logged at error level, instead of being
// acknowledged into a file that is gone.
func TestWritesRefusedAfterTheFileMoved(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		move func(t *testing.T, path string)
	}{
		{"deleted", func(t *testing.T, path string) {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(path + suffix)
			}
		}},
		{"renamed", func(t *testing.T, path string) {
			if err := os.Rename(path, path+".old"); err != nil {
				t.Fatal(err)
			}
		}},
		{"replaced", func(t *testing.T, path string) {
			if err := os.Rename(path, path+".old"); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "resepsjon.db")
			var logBuf bytes.Buffer
			db, err := Open(ctx, path, slog.New(slog.NewTextHandler(&logBuf, nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			kari := mustCreate(t, db, register.Client{GivenName: "Kari", FamilyName: "Nordmann"})
			tc.move(t, path)
			_, err = db.CreateClient(ctx, register.Client{GivenName: "Ola", FamilyName: "Nordmann"})
			if !errors.Is(err, register.ErrRegisterMoved) {
				t.Fatalf("create after the file was %s: %v, want ErrRegisterMoved", tc.name, err)
			}
			if err := db.DeleteClient(ctx, kari.ID, 0); !errors.Is(err, register.ErrRegisterMoved) {
				t.Fatalf("delete: %v, want ErrRegisterMoved", err)
			}
			if err := db.PutSetting(ctx, "x", "y"); !errors.Is(err, register.ErrRegisterMoved) {
				t.Fatalf("setting: %v, want ErrRegisterMoved", err)
			}
			if !strings.Contains(logBuf.String(), "level=ERROR") || !strings.Contains(logBuf.String(), "moved or deleted") {
				t.Errorf("not logged at error level:\n%s", logBuf.String())
			}
		})
	}
}

// TestDiskFullAndReadOnly: SQLite's "disk full" and "read-only" come back
// as register.ErrDiskFull and register.ErrReadOnly, nothing is lost, and
// writes work again once there is room.
func TestDiskFullAndReadOnly(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	kari := mustCreate(t, db, register.Client{GivenName: "Kari", FamilyName: "Nordmann"})
	// A real SQLITE_FULL: the file may not grow by another page.
	var pages int
	if err := db.w.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, "PRAGMA max_page_count = "+strconv.Itoa(pages)); err != nil {
		t.Fatal(err)
	}
	var err error
	for i := 0; i < 500 && err == nil; i++ {
		_, err = db.CreateClient(ctx, register.Client{GivenName: "Ola", FamilyName: "Nordmann", Notes: strings.Repeat("notat ", 500)})
	}
	if !errors.Is(err, register.ErrDiskFull) {
		t.Fatalf("create on a full disk: %v, want ErrDiskFull", err)
	}
	if got, err := db.GetClient(ctx, kari.ID); err != nil || got.GivenName != "Kari" {
		t.Fatalf("Kari after the full disk: %+v, %v", got, err)
	}
	if _, err := db.w.ExecContext(ctx, "PRAGMA max_page_count = 1073741823"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateClient(ctx, register.Client{GivenName: "Per", FamilyName: "Nordmann"}); err != nil {
		t.Fatalf("create with room again: %v", err)
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}

	// SQLITE_READONLY, as from a file that became read-only.
	if _, err := db.w.ExecContext(ctx, "PRAGMA query_only = 1"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateClient(ctx, register.Client{GivenName: "Ola", FamilyName: "Nordmann"}); !errors.Is(err, register.ErrReadOnly) {
		t.Fatalf("create on a read-only register: %v, want ErrReadOnly", err)
	}
	if _, err := db.w.ExecContext(ctx, "PRAGMA query_only = 0"); err != nil {
		t.Fatal(err)
	}
}

// TestOpenRefusesAReadOnlyRegister: the check Open makes before serving
// refuses a register that cannot be written with register.ErrReadOnly.
func TestOpenRefusesAReadOnlyRegister(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "resepsjon.db")
	db := openAt(t, path)
	if err := db.checkWritable(ctx); err != nil {
		t.Fatalf("a writable register: %v", err)
	}
	if _, err := db.w.ExecContext(ctx, "PRAGMA query_only = 1"); err != nil {
		t.Fatal(err)
	}
	if err := db.checkWritable(ctx); !errors.Is(err, register.ErrReadOnly) {
		t.Fatalf("check of a read-only register: %v, want ErrReadOnly", err)
	}
	if _, err := db.w.ExecContext(ctx, "PRAGMA query_only = 0"); err != nil {
		t.Fatal(err)
	}
	// The file's mode stops writes for everyone but root.
	if os.Geteuid() != 0 {
		other := filepath.Join(t.TempDir(), "resepsjon.db")
		db2, err := Open(ctx, other, nil)
		if err != nil {
			t.Fatal(err)
		}
		db2.Close()
		if err := os.Chmod(other, 0o400); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(ctx, other, nil); !errors.Is(err, register.ErrReadOnly) {
			t.Fatalf("Open of a read-only file: %v, want ErrReadOnly", err)
		}
	}
}
