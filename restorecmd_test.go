package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"resepsjon/instance"

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

// TestRestoreFromTheAppRestarts asks the running program to restore a
// backup: it answers, restarts by itself into the restored register (a new
// session token, the same data directory), keeps the register it replaced
// and logs the restore. A damaged backup is refused and nothing restarts.
func TestRestoreFromTheAppRestarts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the program")
	}
	bin := buildBinary(t)
	dataDir, folder := t.TempDir(), t.TempDir()
	proc, info, out, exited := startServe(t, bin, dataDir)
	api := scriptAPI{t: t, base: info.URL, header: map[string]string{"Authorization": "Bearer " + info.Token}, client: &http.Client{Timeout: 30 * time.Second}}
	mustCall := func(method, path string, body any, want int) []byte {
		t.Helper()
		code, b := api.call(method, path, body)
		if code != want {
			t.Fatalf("%s %s: %d %s\n%s", method, path, code, b, out.String())
		}
		return b
	}
	mustCall("POST", "/api/clients", register.Client{GivenName: "Før", FamilyName: "Kopien"}, 201)
	mustCall("PUT", "/api/backup/settings", map[string]any{"folder": folder, "schedule": "daily", "atShutdown": true,
		"retention": map[string]int{"Daily": 7, "Weekly": 4, "Monthly": 12}}, 200)
	var res struct {
		File struct{ Path string }
	}
	if err := json.Unmarshal(mustCall("POST", "/api/backup/run", nil, 200), &res); err != nil || res.File.Path == "" {
		t.Fatalf("backup: %v", err)
	}
	mustCall("POST", "/api/clients", register.Client{GivenName: "Etter", FamilyName: "Kopien"}, 201)

	// A damaged copy: refused, the program keeps running as it was.
	bad := filepath.Join(folder, "skadet.db")
	b, _ := os.ReadFile(res.File.Path)
	b[len(b)/2] ^= 0xff
	os.WriteFile(bad, b, 0o600)
	os.WriteFile(bad+".sha256", []byte(strings.Repeat("0", 64)+"  skadet.db\n"), 0o600)
	if code, body := api.call("POST", "/api/backup/restore", map[string]any{"path": bad}); code != 400 || !strings.Contains(string(body), "restore.checksum_mismatch") {
		t.Fatalf("damaged: %d %s", code, body)
	}

	mustCall("POST", "/api/backup/restore", map[string]any{"path": res.File.Path}, 202)
	// The same process (on Unix it replaces itself) serves again with a
	// new token; it prints its address just after writing the server
	// file, so each write of output is the moment to look again.
	deadline := time.After(60 * time.Second)
	var again instance.Info
	for {
		if i, err := instance.Read(filepath.Join(dataDir, "server.json")); err == nil && i.Token != info.Token && i.PID == proc.Process.Pid {
			again = i
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the program exited instead of restarting: %v\n%s", err, out.String())
		case <-out.wrote:
		case <-deadline:
			t.Fatalf("no restart after 60 s\n%s", out.String())
		}
	}
	api = scriptAPI{t: t, base: again.URL, header: map[string]string{"Authorization": "Bearer " + again.Token}, client: &http.Client{Timeout: 30 * time.Second}}
	var page register.Page
	if err := json.Unmarshal(mustCall("GET", "/api/clients?q=Kopien", nil, 200), &page); err != nil || page.Total != 1 || page.Results[0].GivenName != "Før" {
		t.Fatalf("restored register: %+v %v", page, err)
	}
	var audit struct {
		Total int `json:"total"`
	}
	json.Unmarshal(mustCall("GET", "/api/audit?action=restore", nil, 200), &audit)
	if audit.Total != 1 {
		t.Errorf("%d restore rows in the log", audit.Total)
	}
	kept, _ := filepath.Glob(filepath.Join(dataDir, "resepsjon-before-restore-*.db"))
	if len(kept) != 1 {
		t.Fatalf("kept copies: %v", kept)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "restore-pending.json")); err == nil {
		t.Error("the restore note is still there")
	}
	proc.Process.Signal(syscall.SIGTERM)
	if err := <-exited; err != nil {
		t.Fatalf("exit after the restart: %v\n%s", err, out.String())
	}
}
