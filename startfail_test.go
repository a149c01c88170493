package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"resepsjon/instance"
	"resepsjon/messages"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/register"
	"resepsjon/store"
)

// recordingAlert stands in for the native dialog.
type recordingAlert struct {
	shown []string // "title\ntext"
}

func (a *recordingAlert) Show(_ context.Context, title, text string) error {
	a.shown = append(a.shown, title+"\n"+text)
	return nil
}

// serveWithoutConsole runs "resepsjon serve" as a double-clicked program
// would: no console, failures to the dialog.
func serveWithoutConsole(t *testing.T, args ...string) (*recordingAlert, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := newEnvironment(&stdout, &stderr, func(string) string { return "" })
	rec := &recordingAlert{}
	env.alert, env.console = rec, false
	err := env.run(t.Context(), append([]string{"serve", "--no-browser"}, args...))
	return rec, err
}

// wantDialog checks that exactly one dialog was shown with the kind's text
// from the catalogue in both languages.
func wantDialog(t *testing.T, rec *recordingAlert, kind, logFile string) {
	t.Helper()
	if len(rec.shown) != 1 {
		t.Fatalf("%d dialogs shown, want 1: %q", len(rec.shown), rec.shown)
	}
	got := rec.shown[0]
	title, ok := messages.Lookup(startFailureTitle)
	m, ok2 := messages.Lookup(kind)
	if !ok || !ok2 {
		t.Fatalf("the catalogue lacks %s or %s", startFailureTitle, kind)
	}
	for _, want := range []string{title.NB, title.EN, m.NB, m.EN} {
		if !strings.Contains(got, want) {
			t.Errorf("dialog for %s lacks %q:\n%s", kind, want, got)
		}
	}
	if logFile != "" && !strings.Contains(got, logFile) {
		t.Errorf("dialog does not name the log file %s:\n%s", logFile, got)
	}
}

func TestStartFailureDatabaseTooNew(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "resepsjon.db")
	db, err := store.Open(t.Context(), dbPath, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("PRAGMA user_version = 9999"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	rec, err := serveWithoutConsole(t, "--data-dir", dir, "--port", "0")
	var tooNew *store.SchemaTooNewError
	if !errors.As(err, &tooNew) {
		t.Fatalf("serve: %v, want SchemaTooNewError", err)
	}
	wantDialog(t, rec, failDBTooNew, filepath.Join(dir, "resepsjon.log"))
	logText, _ := os.ReadFile(filepath.Join(dir, "resepsjon.log"))
	if !strings.Contains(string(logText), "kind="+failDBTooNew) {
		t.Errorf("the log file does not record the failure:\n%s", logText)
	}
}

func TestStartFailurePortsTaken(t *testing.T) {
	// Hold 20 ports from a free one on; any of them taken by another
	// program counts as taken too.
	first, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := first.Addr().(*net.TCPAddr).Port
	if base+19 > 65535 {
		first.Close()
		t.Skip("no room above the free port") // the kernel picked the top of the range
	}
	held := []net.Listener{first}
	for p := base + 1; p < base+20; p++ {
		if ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p)); err == nil {
			held = append(held, ln)
		}
	}
	defer func() {
		for _, ln := range held {
			ln.Close()
		}
	}()
	dir := t.TempDir()
	rec, err := serveWithoutConsole(t, "--data-dir", dir, "--port", strconv.Itoa(base))
	var pt *portsTakenError
	if !errors.As(err, &pt) || pt.from != base || pt.to != base+19 {
		t.Fatalf("serve: %v, want the ports %d–%d taken", err, base, base+19)
	}
	wantDialog(t, rec, failPortsTaken, filepath.Join(dir, "resepsjon.log"))
}

func TestStartFailureRegisterInUse(t *testing.T) {
	// Another process holds the register's lock (here: this test) and
	// never writes server.json: a second launch cannot hand over.
	dir := t.TempDir()
	lock, err := instance.Acquire(dataFiles(dir, false).lock)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	var stdout, stderr bytes.Buffer
	env := newEnvironment(&stdout, &stderr, func(string) string { return "" })
	rec := &recordingAlert{}
	env.alert, env.console, env.handOverWait = rec, false, 300*time.Millisecond
	err = env.run(t.Context(), []string{"serve", "--no-browser", "--data-dir", dir, "--port", "0"})
	var inUse *registerInUseError
	if !errors.As(err, &inUse) {
		t.Fatalf("serve: %v, want registerInUseError", err)
	}
	wantDialog(t, rec, failNotAnswering, filepath.Join(dir, "resepsjon.log"))
}

func TestStartFailureDataDir(t *testing.T) {
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	rec, err := serveWithoutConsole(t, "--data-dir", notADir, "--port", "0")
	if err == nil {
		t.Fatal("serve with a file as data directory succeeded")
	}
	wantDialog(t, rec, failDataDir, "")
}

func TestFailureKindsAndTexts(t *testing.T) {
	tests := []struct {
		err  error
		kind string
	}{
		{&portsTakenError{from: 8080, to: 8099, err: errors.New("address in use")}, failPortsTaken},
		{fmt.Errorf("open database: %w", &store.SchemaTooNewError{Have: 9, Know: 3}), failDBTooNew},
		{fmt.Errorf("load key %q from keyring: %w", "kid", fmt.Errorf("%w: %w", helseid.ErrNoKeyring, errors.New("dbus: no session"))), failNoKeyring},
		{errRegisterInUse(instance.ErrNoAnswer), failNotAnswering},
		{&dataDirError{errors.New("permission denied")}, failDataDir},
		{errors.New("disk I/O error"), failOther},
		// A coded error of another kind shows its own catalogue text too.
		{messages.Errorf(register.ErrDiskFull, "cli.serve.disk_full", "/data/resepsjon.db"), failOther},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			err := &startError{logFile: "/data/resepsjon.log", err: tt.err}
			if got := failureKind(err); got != tt.kind {
				t.Fatalf("kind %s, want %s", got, tt.kind)
			}
			title, text := failureText(err)
			m, ok := messages.Lookup(tt.kind)
			if !ok || m.NB == "" || m.EN == "" || !strings.Contains(text, m.NB) || !strings.Contains(text, m.EN) {
				t.Errorf("text lacks the catalogue's bokmål or English:\n%s", text)
			}
			if title != "Resepsjon kan ikke starte / Resepsjon cannot start" || !strings.Contains(text, "Logg: /data/resepsjon.log / Log: /data/resepsjon.log") {
				t.Errorf("title %q, text %q: want the title and the log file", title, text)
			}
			var coded *messages.Coded
			if tt.kind == failOther && errors.As(tt.err, &coded) {
				full, _ := messages.Lookup(coded.Code)
				if !strings.Contains(text, fmt.Sprintf(full.NB, coded.Args...)) || !strings.Contains(text, fmt.Sprintf(full.EN, coded.Args...)) {
					t.Errorf("the coded error's own text is missing: %s", text)
				}
			} else if tt.kind == failOther && !strings.Contains(text, "disk I/O error") {
				t.Errorf("an unexpected error's own words are missing: %s", text)
			}
		})
	}
}

func TestNoDialogOnAConsoleOrForUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	env := newEnvironment(&stdout, &stderr, func(string) string { return "" })
	rec := &recordingAlert{}
	env.alert, env.console = rec, true
	notADir := filepath.Join(t.TempDir(), "file")
	os.WriteFile(notADir, nil, 0o600)
	if err := env.run(t.Context(), []string{"serve", "--no-browser", "--data-dir", notADir}); err == nil {
		t.Fatal("want an error")
	}
	env.console = false
	if err := env.run(t.Context(), []string{"serve", "--no-such-flag"}); err == nil {
		t.Fatal("want a usage error")
	}
	if len(rec.shown) != 0 {
		t.Errorf("dialogs shown %q: want none on a console or for a usage mistake", rec.shown)
	}
}
