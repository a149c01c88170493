package backup_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"resepsjon/backup"
	"resepsjon/store"
)

// TestKeyringPassphrase keeps the passphrase in the real OS keyring (Secret
// Service); .ci/run provides one and sets RESEPSJON_KEYRING_TEST=1.
func TestKeyringPassphrase(t *testing.T) {
	if os.Getenv("RESEPSJON_KEYRING_TEST") != "1" {
		const why = "needs RESEPSJON_KEYRING_TEST=1 and a Secret Service (bash .ci/run sets both up)"
		if os.Getenv("CI") == "true" {
			t.Fatal(why + "; it is required under CI=true")
		}
		t.Skip(why)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	k := backup.KeyringPassphrases{Account: "backup-passphrase-test"}
	t.Cleanup(func() { k.Delete(context.Background()) })
	if _, err := k.Get(ctx); !errors.Is(err, backup.ErrNoPassphrase) {
		t.Fatalf("before Set: %v, want ErrNoPassphrase", err)
	}
	if err := k.Set(ctx, "en lang og hemmelig passfrase"); err != nil {
		t.Fatal(err)
	}
	if p, err := k.Get(ctx); err != nil || p != "en lang og hemmelig passfrase" {
		t.Fatalf("Get: %q, %v", p, err)
	}
	// An encrypted backup made with the keyring's passphrase opens with it.
	f := newFixture(t, 3)
	svc := backup.New(backup.Config{Copier: f.db, Settings: f.db, Passphrases: k, WorkDir: f.dir, ScryptWorkFactor: 10})
	set := backup.DefaultSettings()
	set.Folder, set.Encrypt = f.folder, true
	if err := svc.SaveSettings(ctx, set, ""); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st, err := svc.Prepare(ctx, res.File.Path, backup.RestoreOptions{}, store.CheckDatabaseFile)
	if err != nil || st.Check.Clients != 3 {
		t.Fatalf("restore with the keyring's passphrase: %+v, %v", st.Check, err)
	}
	st.Discard()
	if err := k.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get(ctx); !errors.Is(err, backup.ErrNoPassphrase) {
		t.Fatalf("after Delete: %v", err)
	}
}
