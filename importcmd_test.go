package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"resepsjon/clientfile"
	"resepsjon/register"
	"resepsjon/store"
	"resepsjon/store/storetest"
)

func writeClientList(t *testing.T, path string, cs []register.Client) {
	t.Helper()
	var buf bytes.Buffer
	w, err := clientfile.NewCSVWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if err := w.WriteRow(clientfile.Row(c)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func countClients(t *testing.T, dataDir string) int {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(dataDir, "resepsjon.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	page, err := db.SearchClients(context.Background(), register.Query{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

func TestImportCommand(t *testing.T) {
	dataDir, dir := t.TempDir(), t.TempDir()
	list := filepath.Join(dir, "klienter.csv")
	cs := storetest.Clients(21, 50)
	cs = append(cs, register.Client{GivenName: "", FamilyName: "Uten fornavn"}, cs[3])
	writeClientList(t, list, cs)
	report := filepath.Join(dir, "avvist.csv")
	getenv := func(string) string { return "" }

	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"import", "--data-dir", dataDir, "--dry-run", "--refused", report, list}, &out, &errOut, getenv)
	if err != nil {
		t.Fatalf("dry run: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{"52 rader / rows (CSV, utf-8-bom, semikolon / semicolon)", "Fødselsnummer            → Fødselsnummer",
		"Blir opprettet: 50, finnes fra før: 1, ugyldige: 1", "53: Står allerede i filen (", "Prøvekjøring: ingenting er importert."} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out.String())
		}
	}
	if n := countClients(t, dataDir); n != 0 {
		t.Fatalf("dry run imported %d clients", n)
	}
	rep, err := os.ReadFile(report)
	if err != nil || bytes.Count(rep, []byte("\r\n")) != 3 {
		t.Fatalf("report: %q, %v", rep, err)
	}

	out.Reset()
	if err := run(context.Background(), []string{"import", "--data-dir", dataDir, list}, &out, &errOut, getenv); err != nil {
		t.Fatalf("import: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "Ferdig: 50 klienter er importert.") {
		t.Errorf("import output:\n%s", out.String())
	}
	if n := countClients(t, dataDir); n != 50 {
		t.Fatalf("register holds %d clients, want 50", n)
	}

	// A file that is no client list is refused in plain words.
	bad := filepath.Join(dir, "gammel.xls")
	os.WriteFile(bad, append([]byte{0xD0, 0xCF, 0x11, 0xE0}, make([]byte, 64)...), 0o600)
	err = run(context.Background(), []string{"import", "--data-dir", dataDir, bad}, &out, &errOut, getenv)
	if err == nil || !strings.Contains(err.Error(), "En gammel .xls-fil må lagres som .xlsx eller CSV først.") {
		t.Errorf("old .xls: %v", err)
	}
}

// TestImportKilledMidway kills the import command while it writes: the
// register holds none of the file's clients afterwards.
func TestImportKilledMidway(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program and imports 30,000 clients")
	}
	bin := buildBinary(t)
	dataDir, dir := t.TempDir(), t.TempDir()
	list := filepath.Join(dir, "klienter.csv")
	writeClientList(t, list, storetest.Clients(22, 30_000))

	cmd := exec.Command(bin, "import", "--data-dir", dataDir, list)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	killed := false
	for sc.Scan() {
		// The first progress line: some clients are written, not all.
		if line := sc.Text(); strings.HasPrefix(line, "  ") && strings.HasSuffix(line, " / 30000") && !strings.HasPrefix(line, "  30000") {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
			break
		}
	}
	cmd.Wait()
	if !killed {
		t.Fatal("the import finished before it could be killed")
	}
	if n := countClients(t, dataDir); n != 0 {
		t.Fatalf("register holds %d clients after the import was killed, want 0", n)
	}
}
