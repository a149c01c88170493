package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"resepsjon/register"
)

func TestMigrationsNumbered(t *testing.T) {
	migs, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(migs) < 2 {
		t.Fatalf("%d migrations, want at least 2", len(migs))
	}
	for i, m := range migs {
		if m.version != i+1 || m.sql == "" {
			t.Errorf("migration %d: version %d, %d bytes", i, m.version, len(m.sql))
		}
	}
}

// openRaw opens the file without migrating, as an older program would.
func openRaw(t *testing.T, path string) *sql.DB {
	t.Helper()
	if err := createFile(path); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	return raw
}

func TestOpenFreshDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "resepsjon.db")
	migs, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	db := openAt(t, path)
	if v := schemaVersion(t, path); v != len(migs) {
		t.Errorf("schema version %d, want %d", v, len(migs))
	}
	// Every migration's objects are there and usable.
	ctx := context.Background()
	mustCreate(t, db, register.Client{GivenName: "Kari"})
	if err := db.PutSetting(ctx, "k", "v"); err != nil {
		t.Error(err)
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}

func TestOpenMigratesOlderDatabase(t *testing.T) {
	ctx := context.Background()
	migs, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	for have := 1; have < len(migs); have++ {
		path := filepath.Join(t.TempDir(), "resepsjon.db")
		raw := openRaw(t, path)
		if err := migrate(ctx, raw, migs[:have], slog.New(slog.DiscardHandler)); err != nil {
			t.Fatalf("apply %d migrations: %v", have, err)
		}
		// A client written by the older program (migration 1 has the table).
		_, err := raw.ExecContext(ctx, `INSERT INTO clients (id, given_name, family_name, version, created_at, updated_at, sort_key)
			VALUES (7, 'Kari', 'Nordmann', 3, '2024-01-02T03:04:05.000000000Z', '2024-02-03T04:05:06.000000000Z', ?)`,
			sortKey("Nordmann", "Kari", ""))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.ExecContext(ctx, `INSERT INTO clients_fts (rowid, names) VALUES (7, 'kari nordmann')`); err != nil {
			t.Fatal(err)
		}
		if err := raw.Close(); err != nil {
			t.Fatal(err)
		}
		if v := schemaVersion(t, path); v != have {
			t.Fatalf("schema version %d before Open, want %d", v, have)
		}

		db := openAt(t, path)
		if v := schemaVersion(t, path); v != len(migs) {
			t.Errorf("from %d: schema version %d after Open, want %d", have, v, len(migs))
		}
		c, err := db.GetClient(ctx, 7)
		if err != nil || c.GivenName != "Kari" || c.Version != 3 {
			t.Errorf("from %d: the older client after migrating: %+v, %v", have, c, err)
		}
		if page, err := db.SearchClients(ctx, register.Query{Q: "nordm kari"}); err != nil || page.Total != 1 {
			t.Errorf("from %d: search after migrating: total %d, %v", have, page.Total, err)
		}
		if err := db.PutSetting(ctx, "k", "v"); err != nil {
			t.Errorf("from %d: settings after migrating: %v", have, err)
		}
		if got := mustCreate(t, db, register.Client{GivenName: "Ny"}); got.ID != 8 {
			t.Errorf("from %d: new client id %d, want 8", have, got.ID)
		}
	}
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "resepsjon.db")
	db := openAt(t, path)
	c := mustCreate(t, db, register.Client{GivenName: "Kari", FamilyName: "Nordmann"})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// openAt's cleanup closes it again, which must not fail.
	db2 := openAt(t, path)
	got, err := db2.GetClient(context.Background(), c.ID)
	if err != nil || got.GivenName != "Kari" {
		t.Errorf("after reopening: %+v, %v", got, err)
	}
}

func TestOpenConcurrently(t *testing.T) {
	// Two programs starting at once on a fresh file both end up with a
	// migrated database; neither applies a step twice.
	path := filepath.Join(t.TempDir(), "resepsjon.db")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	dbs := make([]*DB, 4)
	for i := range dbs {
		wg.Go(func() {
			dbs[i], errs[i] = Open(context.Background(), path, nil)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
			continue
		}
		dbs[i].Close()
	}
	migs, _ := loadMigrations()
	if v := schemaVersion(t, path); v != len(migs) {
		t.Errorf("schema version %d, want %d", v, len(migs))
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	ctx := context.Background()
	migs, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "resepsjon.db")
	raw := openRaw(t, path)
	defer raw.Close()
	broken := append(migs[:1:1], migration{version: 2, name: "0002_broken.sql",
		sql: "CREATE TABLE half_done (a TEXT); INSERT INTO no_such_table VALUES (1);"})
	if err := migrate(ctx, raw, broken, slog.New(slog.DiscardHandler)); err == nil {
		t.Fatal("a failing migration succeeded")
	}
	var v, n int
	if err := raw.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if err := raw.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if v != 1 || n != 0 {
		t.Errorf("after a failed step 2: user_version %d, half_done tables %d; want 1 and 0", v, n)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	migs, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, wal := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "resepsjon.db")
		db := openAt(t, path)
		mustCreate(t, db, register.Client{GivenName: "Kari"})
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		raw := openRaw(t, path)
		if !wal {
			if _, err := raw.ExecContext(ctx, "PRAGMA journal_mode = DELETE"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := raw.ExecContext(ctx, "PRAGMA user_version = 999"); err != nil {
			t.Fatal(err)
		}
		if err := raw.Close(); err != nil {
			t.Fatal(err)
		}
		before, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := os.Stat(path)

		_, err = Open(ctx, path, nil)
		var tooNew *SchemaTooNewError
		if !errors.As(err, &tooNew) {
			t.Fatalf("wal=%v: Open = %v, want *SchemaTooNewError", wal, err)
		}
		if tooNew.Have != 999 || tooNew.Know != len(migs) {
			t.Errorf("wal=%v: SchemaTooNewError%+v, want Have 999 and Know %d", wal, *tooNew, len(migs))
		}
		after, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		fi2, _ := os.Stat(path)
		if !bytes.Equal(before, after) || !fi2.ModTime().Equal(fi.ModTime()) {
			t.Errorf("wal=%v: Open changed the newer database file", wal)
		}
		if _, err := os.Stat(path + "-wal"); err == nil {
			if b, _ := os.ReadFile(path + "-wal"); len(b) > 0 {
				t.Errorf("wal=%v: Open wrote %d bytes of WAL", wal, len(b))
			}
		}
	}
}

func TestSchemaTooNewErrorMessage(t *testing.T) {
	msg := (&SchemaTooNewError{Have: 5, Know: 3}).Error()
	for _, want := range []string{"5", "3", "newer version"} {
		if !bytes.Contains([]byte(msg), []byte(want)) {
			t.Errorf("message %q does not mention %q", msg, want)
		}
	}
}
