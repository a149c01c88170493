package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"resepsjon/register"
)

// TestMain removes the directory that benchmarks share their seeded
// database in (see benchDB).
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "store-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "create benchmark directory:", err)
		os.Exit(2)
	}
	benchDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// openTest opens a fresh database in a test's temporary directory and closes
// it when the test ends.
func openTest(t testing.TB, opts ...Option) *DB {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "resepsjon.db"), opts...)
}

func openAt(t testing.TB, path string, opts ...Option) *DB {
	t.Helper()
	db, err := Open(context.Background(), path, slog.New(slog.DiscardHandler), opts...)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

// mustCreate stores c and returns it as stored.
func mustCreate(t testing.TB, db *DB, c register.Client) register.Client {
	t.Helper()
	out, err := db.CreateClient(context.Background(), c)
	if err != nil {
		t.Fatalf("CreateClient(%s %s): %v", c.GivenName, c.FamilyName, err)
	}
	return out
}

func schemaVersion(t testing.TB, path string) int {
	t.Helper()
	v, err := readSchemaVersion(context.Background(), path)
	if err != nil {
		t.Fatalf("read schema version: %v", err)
	}
	return v
}

func TestOpenCreatesPrivateWALFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "resepsjon.db")
	db := openAt(t, path)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("database file mode = %o, want 600", perm)
	}
	ctx := context.Background()
	var mode string
	if err := db.w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	for name, pool := range map[string]*sql.DB{"writer": db.w, "reader": db.r} {
		var fk, busy int
		if err := pool.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := pool.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
			t.Fatal(err)
		}
		if fk != 1 || busy != busyTimeoutMS {
			t.Errorf("%s: foreign_keys=%d busy_timeout=%d, want 1 and %d", name, fk, busy, busyTimeoutMS)
		}
	}
	// The read pool must refuse writes.
	if _, err := db.r.ExecContext(ctx, "DELETE FROM clients"); err == nil {
		t.Error("a write through the read pool succeeded")
	}
}

func TestOpenMissingDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "resepsjon.db")
	_, err := Open(context.Background(), path, nil)
	if err == nil {
		t.Fatal("Open in a missing directory succeeded")
	}
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error %v is not os.ErrNotExist", err)
	}
}

// stepClock is a test clock that moves on by step each time it is read.
type stepClock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func (c *stepClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.t
	c.t = c.t.Add(c.step)
	return t
}

// The store writes every time from the clock it was given: created and
// updated times and audit times, so tests and the app agree on one clock.
func TestStoreTakesItsClock(t *testing.T) {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	clock := &stepClock{t: start, step: time.Minute}
	db := openTest(t, WithClock(clock.now))
	ctx := context.Background()

	c := mustCreate(t, db, fullClient())
	if !c.CreatedAt.Equal(start) || !c.UpdatedAt.Equal(start) {
		t.Errorf("created %v, updated %v; want both %v", c.CreatedAt, c.UpdatedAt, start)
	}
	c.Notes = "ny merknad"
	u, err := db.UpdateClient(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if want := start.Add(time.Minute); !u.UpdatedAt.Equal(want) || !u.CreatedAt.Equal(start) {
		t.Errorf("after update: created %v, updated %v; want %v, %v", u.CreatedAt, u.UpdatedAt, start, want)
	}
	if _, err := db.RecordAudit(ctx, register.AuditEntry{Action: "lookup", Outcome: "ok"}); err != nil {
		t.Fatal(err)
	}
	page, err := db.ListAudit(ctx, register.AuditFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if want := start.Add(2 * time.Minute); len(page.Entries) != 1 || !page.Entries[0].Time.Equal(want) {
		t.Errorf("audit entries %+v, want one at %v", page.Entries, want)
	}
}
