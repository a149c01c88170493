package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"resepsjon/instance"
	"resepsjon/messages"
	"resepsjon/register"
	"resepsjon/store"
)

// buildBinary builds the real program once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "resepsjon")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// lockedBuffer is a bytes.Buffer safe for the process's writer goroutine.
type lockedBuffer struct {
	mu    chan struct{}
	buf   bytes.Buffer
	wrote chan struct{} // a tick after each write (dropped when one waits)
}

func newLockedBuffer() *lockedBuffer {
	return &lockedBuffer{mu: make(chan struct{}, 1), wrote: make(chan struct{}, 1)}
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu <- struct{}{}
	defer func() { <-b.mu }()
	defer func() {
		select {
		case b.wrote <- struct{}{}:
		default:
		}
	}()
	return b.buf.Write(p)
}

// waitFor waits until the output holds s, or timeout passes; it reports
// whether s came.
func (b *lockedBuffer) waitFor(s string, timeout time.Duration) bool {
	deadline := time.After(timeout)
	for !strings.Contains(b.String(), s) {
		select {
		case <-b.wrote:
		case <-deadline:
			return false
		}
	}
	return true
}
func (b *lockedBuffer) String() string {
	b.mu <- struct{}{}
	defer func() { <-b.mu }()
	return b.buf.String()
}

func waitForServerFile(t *testing.T, path string, proc *exec.Cmd, out *lockedBuffer) instance.Info {
	t.Helper()
	// With --no-browser the program prints its address after it writes
	// the server file (once the search index is loaded), so each write of
	// output is the moment to look again.
	deadline := time.After(30 * time.Second)
	for {
		if info, err := instance.Read(path); err == nil && info.PID == proc.Process.Pid {
			return info
		}
		select {
		case <-out.wrote:
		case <-deadline:
			t.Fatalf("no %s after 30 s; output:\n%s", path, out.String())
			return instance.Info{}
		}
	}
}

func get(t *testing.T, url, token string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

func TestProcessLifecycle(t *testing.T) {
	bin := buildBinary(t)
	dataDir := filepath.Join(t.TempDir(), "data")
	out := newLockedBuffer()
	proc := exec.Command(bin, "--no-browser", "--data-dir", dataDir, "--port", "0", "--log-level", "debug")
	proc.Stdout, proc.Stderr = out, out
	if err := proc.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- proc.Wait() }()
	t.Cleanup(func() { proc.Process.Kill() })

	serverFile := filepath.Join(dataDir, "server.json")
	info := waitForServerFile(t, serverFile, proc, out)
	st, err := os.Stat(serverFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("server.json mode %v, %v; want 0600", st.Mode().Perm(), err)
	}
	if st, err := os.Stat(dataDir); err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("data dir mode %v; want 0700", st.Mode().Perm())
	}
	if !strings.HasPrefix(info.URL, "http://127.0.0.1:") || info.Token == "" {
		t.Fatalf("server.json %+v", info)
	}
	if code, body := get(t, info.URL+"/api/health", ""); code != 200 {
		t.Fatalf("health %d %s", code, body)
	}
	if code, _ := get(t, info.URL+"/api/clients", ""); code != 401 {
		t.Fatalf("clients without token: %d", code)
	}
	code, body := get(t, info.URL+"/api/clients", info.Token)
	var page struct {
		Results []json.RawMessage `json:"results"`
		Total   int               `json:"total"`
	}
	if code != 200 || json.Unmarshal(body, &page) != nil || page.Total != 0 {
		t.Fatalf("clients: %d %s", code, body)
	}
	// The address comes once the search index is loaded, after the server
	// file.
	if !out.waitFor(info.URL+"/?token=", 30*time.Second) {
		t.Errorf("the launch URL was not printed with --no-browser:\n%s", out.String())
	}
	if strings.Contains(out.String(), info.Token) {
		t.Errorf("the server token reached the output")
	}
	// The address is printed (the browser opened) once the search index
	// is loaded.
	if loaded, ready := strings.Index(out.String(), "search index loaded"), strings.Index(out.String(), info.URL+"/?token="); loaded < 0 || loaded > ready {
		t.Errorf("the address was printed before the search index was loaded:\n%s", out.String())
	}

	// A second launch finds the running instance, prints a fresh launch URL
	// and exits 0 without starting a second server.
	second := exec.Command(bin, "--no-browser", "--data-dir", dataDir, "--port", "0")
	secondOut, err := second.CombinedOutput()
	if err != nil {
		t.Fatalf("second launch: %v\n%s", err, secondOut)
	}
	if !strings.Contains(string(secondOut), info.URL+"/?token=") {
		t.Errorf("second launch did not print the running instance's launch URL:\n%s", secondOut)
	}
	if again, err := instance.Read(serverFile); err != nil || again.PID != proc.Process.Pid {
		t.Fatalf("server.json after second launch: %+v %v", again, err)
	}

	// SIGTERM shuts down gracefully and removes server.json.
	if err := proc.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, out.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit 20 s after SIGTERM")
	}
	if _, err := os.Stat(serverFile); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("server.json still there after shutdown: %v", err)
	}
}

func TestStaleServerFileIsReplaced(t *testing.T) {
	bin := buildBinary(t)
	dataDir := t.TempDir()
	serverFile := filepath.Join(dataDir, "server.json")
	// A pid that cannot be alive and a URL nothing listens on.
	if err := instance.Write(serverFile, instance.Info{URL: "http://127.0.0.1:1", Port: 1, PID: 1 << 30, Token: "old"}); err != nil {
		t.Fatal(err)
	}
	out := newLockedBuffer()
	proc := exec.Command(bin, "--no-browser", "--data-dir", dataDir, "--port", "0")
	proc.Stdout, proc.Stderr = out, out
	if err := proc.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { proc.Process.Signal(syscall.SIGTERM); proc.Wait() }()
	info := waitForServerFile(t, serverFile, proc, out)
	if info.Token == "old" {
		t.Fatal("stale server.json kept")
	}
}

func TestInvalidConfigExitsBeforeServing(t *testing.T) {
	dataDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dataDir, "config.yaml"), []byte("port: 99999\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"--no-browser", "--data-dir", dataDir}, &stdout, &stderr, func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "port") {
		t.Fatalf("want an error naming port, got %v", err)
	}
	if exitCode(err) == 0 {
		t.Fatal("exit code 0 for an invalid config")
	}
	if _, err := os.Stat(filepath.Join(dataDir, "server.json")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("server.json written for an invalid config")
	}
}

func TestUnknownCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"frobnicate"}, &stdout, &stderr, func(string) string { return "" })
	if exitCode(err) != 2 {
		t.Fatalf("exit code %d for %v", exitCode(err), err)
	}
}

// TestCommandLineMistakes: a wrong command line is a usage error (exit 2)
// before anything is opened or served, shown in bokmål and English.
func TestCommandLineMistakes(t *testing.T) {
	dataDir := t.TempDir()
	for _, tc := range []struct {
		args   []string
		nb, en string // in the error as the terminal shows it
	}{
		{[]string{"frobnicate"}, "Ukjent kommando «frobnicate»", `unknown command "frobnicate"`},
		{[]string{"backup", "--data-dir", dataDir}, "Bruk: resepsjon backup FIL", "usage: resepsjon backup FILE"},
		{[]string{"backup", "--data-dir", dataDir, "a.db", "b.db"}, "Uventet argument «b.db»", `unexpected argument "b.db"`},
		{[]string{"backup", "--no-such-flag", "a.db"}, "Ukjent flagg: --no-such-flag", "unknown flag: --no-such-flag"},
		{[]string{"backup", "-z", "a.db"}, "Ukjent flagg: -z", "unknown flag: -z"},
		{[]string{"serve", "--data-dir", dataDir, "extra"}, "Uventet argument «extra»", `unexpected argument "extra"`},
		{[]string{"demo", "--port", "x"}, "Ugyldig verdi «x» for --port", `invalid value "x" for --port`},
		{[]string{"demo", "--port"}, "Flagget --port må ha en verdi", "flag --port needs a value"},
		{[]string{"mock", "extra"}, "Uventet argument «extra»", `unexpected argument "extra"`},
		{[]string{"mock", "--tenancy", "both"}, "--tenancy «both»: bruk single eller multi", `--tenancy "both": use single or multi`},
		{[]string{"key"}, "key: kommandoen mangler", "key: missing command"},
		{[]string{"key", "rotate"}, "key: ukjent kommando «rotate»", `key: unknown command "rotate"`},
		{[]string{"key", "show", "--data-dir", dataDir, "extra"}, "Uventet argument «extra»", `unexpected argument "extra"`},
		{[]string{"key", "import", "--data-dir", dataDir}, "Bruk: resepsjon key import FIL", "usage: resepsjon key import FILE"},
		{[]string{"import", "--data-dir", dataDir}, "Bruk: resepsjon import", "usage: resepsjon import"},
		{[]string{"restore", "--data-dir", dataDir}, "Bruk: resepsjon restore", "usage: resepsjon restore"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), tc.args, &stdout, &stderr, func(string) string { return "" })
		var ue *usageError
		if !errors.As(err, &ue) || exitCode(err) != 2 {
			t.Errorf("%q: %v (exit %d), want a usage error", tc.args, err, exitCode(err))
			continue
		}
		if shown := messages.Terminal(err); !strings.Contains(shown, tc.nb) || !strings.Contains(shown, tc.en) {
			t.Errorf("%q: shown as %q, want %q and %q", tc.args, shown, tc.nb, tc.en)
		}
	}
	if entries, err := os.ReadDir(dataDir); err != nil || len(entries) != 0 {
		t.Errorf("data directory touched by a wrong command line: %v %v", entries, err)
	}
}

func TestBackupCommand(t *testing.T) {
	bin := buildBinary(t)
	dataDir := t.TempDir()
	out := newLockedBuffer()
	proc := exec.Command(bin, "--no-browser", "--data-dir", dataDir, "--port", "0")
	proc.Stdout, proc.Stderr = out, out
	if err := proc.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { proc.Process.Signal(syscall.SIGTERM); proc.Wait() }()
	info := waitForServerFile(t, filepath.Join(dataDir, "server.json"), proc, out)
	body := `{"givenName":"Kari","familyName":"Nordmann"}`
	req, _ := http.NewRequest("POST", info.URL+"/api/clients", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+info.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("create: %v %v", resp, err)
	}
	resp.Body.Close()

	dest := filepath.Join(t.TempDir(), "copy.db")
	// The backup runs while the server is up (WAL: readers do not block).
	cmd := exec.Command(bin, "backup", "--data-dir", dataDir, dest)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("backup: %v\n%s", err, b)
	}
	if st, err := os.Stat(dest); err != nil || st.Size() == 0 {
		t.Fatalf("backup file: %v", err)
	}
	// Refuses to overwrite.
	if b, err := exec.Command(bin, "backup", "--data-dir", dataDir, dest).CombinedOutput(); err == nil {
		t.Fatalf("backup over an existing file succeeded:\n%s", b)
	}
	copyDB, err := store.Open(context.Background(), dest, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer copyDB.Close()
	page, err := copyDB.SearchClients(context.Background(), register.Query{Q: "nordmann"})
	if err != nil || page.Total != 1 {
		t.Fatalf("backup holds %d matching clients, %v", page.Total, err)
	}
}

// startServe runs "resepsjon serve" from bin on a free port in dataDir and
// returns the process, its instance file, its output and its exit; the
// process is killed when the test ends if it still runs.
func startServe(t *testing.T, bin, dataDir string) (*exec.Cmd, instance.Info, *lockedBuffer, chan error) {
	t.Helper()
	out := newLockedBuffer()
	proc := exec.Command(bin, "serve", "--no-browser", "--data-dir", dataDir, "--port", "0")
	proc.Stdout, proc.Stderr = out, out
	if err := proc.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- proc.Wait() }()
	t.Cleanup(func() { _ = proc.Process.Kill() })
	info := waitForServerFile(t, filepath.Join(dataDir, "server.json"), proc, out)
	return proc, info, out, exited
}

// scriptAPI calls the running program's JSON API as a script does.
type scriptAPI struct {
	t      *testing.T
	base   string
	header map[string]string
	client *http.Client
}

// call sends body (JSON, or []byte as it is) and returns the status and
// the answer.
func (a scriptAPI) call(method, path string, body any) (int, []byte) {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range a.header {
		req.Header.Set(k, v)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}
