package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"resepsjon/register"
	"resepsjon/store/storetest"
)

func TestBackup(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	cs := storetest.Clients(11, 300)
	if err := db.ImportClients(ctx, cs); err != nil {
		t.Fatal(err)
	}
	if err := db.PutSetting(ctx, "practice.name", "Fysio Ås"); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "kopi.db")

	// Writers carry on while the copy is taken.
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := db.CreateClient(ctx, register.Client{GivenName: "Under", FamilyName: "Kopiering"}); err != nil {
				t.Errorf("write during backup: %v", err)
				return
			}
		}
	})
	err := db.Backup(ctx, dest)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}

	fi, err := os.Stat(dest)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("backup mode %o, want 600", perm)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".*.tmp"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	cp := openAt(t, dest)
	if err := cp.IntegrityCheck(ctx); err != nil {
		t.Errorf("IntegrityCheck of the copy: %v", err)
	}
	page, err := cp.SearchClients(ctx, register.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total < len(cs) {
		t.Errorf("copy has %d clients, want at least %d", page.Total, len(cs))
	}
	for _, c := range cs[:20] {
		if c.NIN == "" {
			continue
		}
		if page, err := cp.SearchClients(ctx, register.Query{Q: c.NIN}); err != nil || page.Total != 1 {
			t.Errorf("copy: search by identity number: total %d, %v", page.Total, err)
		}
	}
	if v, ok, err := cp.GetSetting(ctx, "practice.name"); err != nil || !ok || v != "Fysio Ås" {
		t.Errorf("copy: setting = %q, %v, %v", v, ok, err)
	}
}

func TestBackupRefusesExistingDestination(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	mustCreate(t, db, register.Client{GivenName: "Kari"})
	dir := t.TempDir()
	existing := filepath.Join(dir, "finnes.db")
	if err := os.WriteFile(existing, []byte("viktig"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "lenke.db")
	if err := os.Symlink(filepath.Join(dir, "ingen"), link); err != nil {
		t.Fatal(err)
	}
	for _, dest := range []string{existing, link} {
		if err := db.Backup(ctx, dest); !errors.Is(err, ErrBackupExists) {
			t.Errorf("Backup(%s) = %v, want ErrBackupExists", filepath.Base(dest), err)
		}
	}
	if b, _ := os.ReadFile(existing); string(b) != "viktig" {
		t.Errorf("the existing file was changed to %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "ingen")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Backup wrote through a dangling symlink")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("%d files in the directory, want 2", len(entries))
	}
}

func TestBackupMissingDirectory(t *testing.T) {
	db := openTest(t)
	if err := db.Backup(context.Background(), filepath.Join(t.TempDir(), "nei", "kopi.db")); err == nil {
		t.Error("Backup into a missing directory succeeded")
	}
}

func TestIntegrityCheck(t *testing.T) {
	ctx := context.Background()
	t.Run("healthy", func(t *testing.T) {
		db := openTest(t)
		if err := db.ImportClients(ctx, storetest.Clients(2, 200)); err != nil {
			t.Fatal(err)
		}
		c := mustCreate(t, db, register.Client{GivenName: "Kari"})
		c.GivenName = "Karin"
		if _, err := db.UpdateClient(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteClient(ctx, 3, 0); err != nil {
			t.Fatal(err)
		}
		if err := db.IntegrityCheck(ctx); err != nil {
			t.Errorf("IntegrityCheck: %v", err)
		}
	})
	t.Run("client missing from the search index", func(t *testing.T) {
		db := openTest(t)
		c := mustCreate(t, db, register.Client{GivenName: "Kari"})
		if err := db.write(ctx, func(tx *sql.Tx) error { return db.unindexClient(ctx, tx, c.ID) }); err != nil {
			t.Fatal(err)
		}
		err := db.IntegrityCheck(ctx)
		var ie *IntegrityError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "search index") {
			t.Errorf("IntegrityCheck = %v, want *IntegrityError about the search index", err)
		}
	})
	t.Run("damaged file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "resepsjon.db")
		db := openAt(t, path)
		if err := db.ImportClients(ctx, storetest.Clients(3, 2000)); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		// Overwrite a page in the middle of the file (not the header).
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := f.Stat()
		junk := []byte(strings.Repeat("\xff\x00\x13", 4096/3))
		if _, err := f.WriteAt(junk, fi.Size()/2/4096*4096); err != nil {
			t.Fatal(err)
		}
		f.Close()
		if err := checkFile(ctx, path); err == nil {
			t.Error("checkFile found nothing wrong with a damaged file")
		}
	})
}
