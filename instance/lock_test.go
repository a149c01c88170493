package instance

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A child process started by TestLockAcrossProcesses holds the lock until
// its stdin closes.
func TestMain(m *testing.M) {
	if path := os.Getenv("RESEPSJON_TEST_HOLD_LOCK"); path != "" {
		l, err := Acquire(path)
		if err != nil {
			os.Stdout.WriteString("error: " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("locked\n")
		buf := make([]byte, 1)
		os.Stdin.Read(buf)
		l.Release()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestAcquireIsExclusive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "resepsjon.lock")
	l, err := Acquire(path)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("lock file mode %v, %v; want 0600", st.Mode().Perm(), err)
	}
	if _, err := Acquire(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Acquire: %v, want ErrLocked", err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("lock file after Release: %v, want it removed", err)
	}
	l2, err := Acquire(path)
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	l2.Release()
}

// The lock is the operating system's: another process cannot take it, and
// it is free again when that process ends.
func TestLockAcrossProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "resepsjon.lock")
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), "RESEPSJON_TEST_HOLD_LOCK="+path)
	stdin, err := child.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { child.Process.Kill(); child.Wait() })
	buf := make([]byte, 64)
	n, _ := stdout.Read(buf)
	if got := string(buf[:n]); !strings.HasPrefix(got, "locked") {
		t.Fatalf("child: %q", got)
	}
	if _, err := Acquire(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("Acquire while another process holds the lock: %v, want ErrLocked", err)
	}
	// Killed, not released: the operating system lets go of the lock.
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	stdin.Close()
	l, err := Acquire(path)
	if err != nil {
		t.Fatalf("Acquire after the holder was killed: %v", err)
	}
	l.Release()
}

func healthServer(t *testing.T, launch http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/health":
			w.Write([]byte(`{"status":"ok"}`))
		case "/api/launch":
			if launch != nil && r.Header.Get("Authorization") == "Bearer secret" {
				launch(w, r)
				return
			}
			http.Error(w, "no", http.StatusUnauthorized)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestHolder(t *testing.T) {
	srv := healthServer(t, nil)
	ctx := context.Background()
	t.Run("free lock", func(t *testing.T) {
		dir := t.TempDir()
		lockPath, serverPath := filepath.Join(dir, "resepsjon.lock"), filepath.Join(dir, "server.json")
		if err := Write(serverPath, Info{URL: srv.URL, PID: os.Getpid(), Token: "secret"}); err != nil {
			t.Fatal(err)
		}
		if _, err := Holder(ctx, lockPath, serverPath, time.Second); !errors.Is(err, ErrNotLocked) {
			t.Fatalf("Holder of a free lock: %v, want ErrNotLocked", err)
		}
	})
	t.Run("held, server file written after the lock", func(t *testing.T) {
		dir := t.TempDir()
		lockPath, serverPath := filepath.Join(dir, "resepsjon.lock"), filepath.Join(dir, "server.json")
		l, err := Acquire(lockPath)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Release()
		// The holder writes its server file a moment later: the delay is
		// the situation under test (Holder must wait for the file, with
		// nothing to be told by), not a wait for an event.
		go func() {
			time.Sleep(300 * time.Millisecond)
			Write(serverPath, Info{URL: srv.URL, PID: os.Getpid(), Token: "secret"})
		}()
		info, err := Holder(ctx, lockPath, serverPath, 5*time.Second)
		if err != nil || info.URL != srv.URL {
			t.Fatalf("Holder = %+v, %v", info, err)
		}
	})
	t.Run("held, only a server file from before the lock", func(t *testing.T) {
		dir := t.TempDir()
		lockPath, serverPath := filepath.Join(dir, "resepsjon.lock"), filepath.Join(dir, "server.json")
		if err := Write(serverPath, Info{URL: srv.URL, PID: os.Getpid(), Token: "secret"}); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-time.Hour)
		os.Chtimes(serverPath, old, old)
		l, err := Acquire(lockPath)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Release()
		if _, err := Holder(ctx, lockPath, serverPath, 500*time.Millisecond); !errors.Is(err, ErrNoAnswer) {
			t.Fatalf("Holder with a leftover server file: %v, want ErrNoAnswer", err)
		}
	})
	t.Run("held, server does not answer", func(t *testing.T) {
		dir := t.TempDir()
		lockPath, serverPath := filepath.Join(dir, "resepsjon.lock"), filepath.Join(dir, "server.json")
		l, err := Acquire(lockPath)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Release()
		if err := Write(serverPath, Info{URL: "http://127.0.0.1:1", PID: os.Getpid(), Token: "secret"}); err != nil {
			t.Fatal(err)
		}
		if _, err := Holder(ctx, lockPath, serverPath, 500*time.Millisecond); !errors.Is(err, ErrNoAnswer) {
			t.Fatalf("Holder with a silent server: %v, want ErrNoAnswer", err)
		}
	})
}

func TestLaunchURL(t *testing.T) {
	tests := []struct {
		url, want string
	}{
		{"http://127.0.0.1:8710", "http://127.0.0.1:8710/?token=abc"},
		{"http://127.0.0.1:8710/", "http://127.0.0.1:8710/?token=abc"},
		{"http://[::1]:8710", "http://[::1]:8710/?token=abc"},
		{"https://evil.example/", ""},
		{"http://127.0.0.1:8710/evil", ""},
		{"http://127.0.0.1:8710/?next=https://evil.example", ""},
		{"http://user@127.0.0.1:8710", ""},
		{"http://127.0.0.1", ""},
		{"javascript:alert(1)", ""},
		{"", ""},
	}
	for _, tc := range tests {
		got, err := Info{URL: tc.url}.LaunchURL("abc")
		if tc.want == "" {
			if err == nil {
				t.Errorf("LaunchURL for %q = %q, want an error", tc.url, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("LaunchURL for %q = %q, %v; want %q", tc.url, got, err, tc.want)
		}
	}
}

// Whatever address the server answers with, the launcher opens only the
// one it builds from the server file.
func TestRequestLaunchTokenIgnoresTheAnsweredURL(t *testing.T) {
	srv := healthServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"url":"https://evil.example/steal","token":"one-time"}`))
	})
	info := Info{URL: srv.URL, Token: "secret"}
	tok, err := RequestLaunchToken(context.Background(), info)
	if err != nil {
		t.Fatal(err)
	}
	got, err := info.LaunchURL(tok)
	if err != nil || got != srv.URL+"/?token=one-time" {
		t.Fatalf("launch URL %q, %v", got, err)
	}
	if _, err := RequestLaunchToken(context.Background(), Info{URL: srv.URL, Token: "wrong"}); err == nil {
		t.Fatal("a refused launch request gave a token")
	}
}
