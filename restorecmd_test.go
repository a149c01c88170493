package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"resepsjon/register"
	"resepsjon/store"
	"resepsjon/store/storetest"
)

// TestRestoreCommand: a backup made with "resepsjon backup" is restored over
// a register that changed since; the register before is kept, the restore
// is in the audit log, and the HelseID reminder is printed.
func TestRestoreCommand(t *testing.T) {
	ctx := context.Background()
	dataDir, dir := t.TempDir(), t.TempDir()
	getenv := func(string) string { return "" }
	db, err := store.Open(ctx, filepath.Join(dataDir, "resepsjon.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ImportClients(ctx, storetest.Clients(51, 12)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	dest := filepath.Join(dir, "kopi.db")
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"backup", "--data-dir", dataDir, dest}, &out, &errOut, getenv); err != nil {
		t.Fatalf("backup: %v", err)
	}
	if _, err := os.Stat(dest + ".sha256"); err != nil {
		t.Fatalf("backup command wrote no checksum file: %v", err)
	}
	db, _ = store.Open(ctx, filepath.Join(dataDir, "resepsjon.db"), nil)
	db.ImportClients(ctx, storetest.Clients(52, 3))
	db.Close()

	// A damaged copy is refused in plain words and changes nothing.
	bad := filepath.Join(dir, "skadet.db")
	b, _ := os.ReadFile(dest)
	b[len(b)/2] ^= 0xff
	os.WriteFile(bad, b, 0o600)
	os.WriteFile(bad+".sha256", []byte(strings.Repeat("0", 64)+"  skadet.db\n"), 0o600)
	err = run(ctx, []string{"restore", "--data-dir", dataDir, bad}, &out, &errOut, getenv)
	if err == nil || !strings.Contains(err.Error(), "Kopien stemmer ikke med sjekksummen") {
		t.Fatalf("damaged copy: %v", err)
	}
	if n := countClients(t, dataDir); n != 15 {
		t.Fatalf("register holds %d clients after a refused restore, want 15", n)
	}

	out.Reset()
	if err := run(ctx, []string{"restore", "--data-dir", dataDir, dest}, &out, &errOut, getenv); err != nil {
		t.Fatalf("restore: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{"Registeret er gjenopprettet: 12 klienter", "resepsjon-before-restore-", "HelseID-nøkkelen"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if n := countClients(t, dataDir); n != 12 {
		t.Fatalf("restored register holds %d clients, want 12", n)
	}
	kept, _ := filepath.Glob(filepath.Join(dataDir, "resepsjon-before-restore-*.db"))
	if len(kept) != 1 {
		t.Fatalf("kept copies: %v", kept)
	}
	db, _ = store.Open(ctx, filepath.Join(dataDir, "resepsjon.db"), nil)
	defer db.Close()
	audit, err := db.ListAudit(ctx, register.AuditFilter{Action: register.ActionRestore})
	if err != nil || audit.Total != 1 || audit.Entries[0].Query != "kopi.db" || audit.Entries[0].Results != 12 {
		t.Fatalf("audit %+v, %v", audit, err)
	}
}
