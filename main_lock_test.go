package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"resepsjon/instance"
)

// testEnv runs commands in this process with a short hand-over wait.
func testEnv(stdout, stderr *bytes.Buffer) *environment {
	return &environment{stdin: strings.NewReader(""), stdout: stdout, stderr: stderr,
		getenv: func(string) string { return "" }, handOverWait: time.Second}
}

// A register whose lock another process holds is never opened or served,
// for the real register and for the demo alike; the message says it is in
// use and what to do.
func TestLockedRegisterIsNotServed(t *testing.T) {
	for _, tc := range []struct {
		cmd, lock, db, server string
	}{
		{"serve", "resepsjon.lock", "resepsjon.db", "server.json"},
		{"demo", "demo.lock", "demo.db", "demo-server.json"},
	} {
		t.Run(tc.cmd, func(t *testing.T) {
			dataDir := t.TempDir()
			lock, err := instance.Acquire(filepath.Join(dataDir, tc.lock))
			if err != nil {
				t.Fatal(err)
			}
			defer lock.Release()
			// Without the lock this would serve until the context ends.
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var stdout, stderr bytes.Buffer
			err = testEnv(&stdout, &stderr).dispatch(ctx, tc.cmd,
				[]string{"--no-browser", "--data-dir", dataDir, "--port", "0"})
			if err == nil || !strings.Contains(err.Error(), "allerede i bruk") || !strings.Contains(err.Error(), "already in use") {
				t.Fatalf("%s with the register locked: %v\n%s", tc.cmd, err, stdout.String())
			}
			if exitCode(err) == 0 {
				t.Fatal("exit code 0")
			}
			for _, name := range []string{tc.db, tc.server} {
				if _, err := os.Stat(filepath.Join(dataDir, name)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s exists: the locked register was opened (%v)", name, err)
				}
			}
		})
	}
}

// Two launches at the same moment: exactly one serves, the other opens the
// browser on it (here: prints its launch address) and exits.
func TestSimultaneousLaunchesServeOnce(t *testing.T) {
	bin := buildBinary(t)
	for round := range 2 {
		dataDir := t.TempDir()
		outs := []*lockedBuffer{newLockedBuffer(), newLockedBuffer()}
		procs := make([]*exec.Cmd, 2)
		exited := make(chan int, 2)
		for i := range procs {
			procs[i] = exec.Command(bin, "--no-browser", "--data-dir", dataDir, "--port", "0")
			procs[i].Stdout, procs[i].Stderr = outs[i], outs[i]
		}
		for i, p := range procs {
			if err := p.Start(); err != nil {
				t.Fatal(err)
			}
			go func() {
				if err := p.Wait(); err != nil {
					t.Errorf("round %d: launch %d: %v\n%s", round, i, err, outs[i].String())
				}
				exited <- i
			}()
		}
		var loser int
		select {
		case loser = <-exited:
		case <-time.After(30 * time.Second):
			procs[0].Process.Kill()
			procs[1].Process.Kill()
			t.Fatalf("round %d: both launches still running after 30 s: two servers\n%s\n%s", round, outs[0], outs[1])
		}
		winner := procs[1-loser]
		info := waitForServerFile(t, filepath.Join(dataDir, "server.json"), winner, outs[1-loser])
		if !strings.Contains(outs[loser].String(), info.URL+"/?token=") {
			t.Errorf("round %d: the second launch did not hand over to %s:\n%s", round, info.URL, outs[loser])
		}
		if strings.Contains(outs[loser].String(), "msg=serving") {
			t.Errorf("round %d: the second launch served:\n%s", round, outs[loser])
		}
		winner.Process.Signal(syscall.SIGTERM)
		<-exited
	}
}

// A running instance whose server file is damaged is still the register's
// holder: a second launch does not start another server, it says the
// register is in use.
func TestSecondLaunchWithDamagedServerFile(t *testing.T) {
	bin := buildBinary(t)
	dataDir := t.TempDir()
	out := newLockedBuffer()
	proc := exec.Command(bin, "--no-browser", "--data-dir", dataDir, "--port", "0")
	proc.Stdout, proc.Stderr = out, out
	if err := proc.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { proc.Process.Signal(syscall.SIGTERM); proc.Wait() }()
	serverFile := filepath.Join(dataDir, "server.json")
	waitForServerFile(t, serverFile, proc, out)
	if err := os.WriteFile(serverFile, []byte("{damaged"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	err := testEnv(&stdout, &stderr).dispatch(ctx, "serve",
		[]string{"--no-browser", "--data-dir", dataDir, "--port", "0"})
	if err == nil || !strings.Contains(err.Error(), "already in use") {
		t.Fatalf("second launch: %v\n%s", err, stdout.String())
	}
	if b, _ := os.ReadFile(serverFile); string(b) != "{damaged" {
		t.Fatalf("the second launch wrote server.json: %s", b)
	}
}

// A server.json naming a live process and a server that answers is not
// trusted when nobody holds the register's lock: the fake server (on the
// old port, after a crash) gets no token and its address is never opened;
// this launch serves the register itself.
func TestFakeServerFromStaleServerFileIsNotTrusted(t *testing.T) {
	var sawToken atomic.Bool
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.Header.Get("Authorization"), "stale-token") {
			sawToken.Store(true)
		}
		switch r.URL.Path {
		case "/api/health":
			w.Write([]byte(`{"status":"ok"}`))
		default:
			w.Write([]byte(`{"url":"https://evil.example/phish","token":"fake"}`))
		}
	}))
	defer fake.Close()
	dataDir := t.TempDir()
	serverFile := filepath.Join(dataDir, "server.json")
	if err := instance.Write(serverFile, instance.Info{URL: fake.URL, PID: os.Getpid(), Token: "stale-token"}); err != nil {
		t.Fatal(err)
	}
	bin := buildBinary(t)
	out := newLockedBuffer()
	proc := exec.Command(bin, "--no-browser", "--data-dir", dataDir, "--port", "0")
	proc.Stdout, proc.Stderr = out, out
	if err := proc.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { proc.Process.Signal(syscall.SIGTERM); proc.Wait() }()
	info := waitForServerFile(t, serverFile, proc, out)
	// The launch address is printed just after server.json is written.
	out.waitFor("/?token=", 10*time.Second)
	if info.URL == fake.URL || !strings.Contains(out.String(), info.URL+"/?token=") {
		t.Fatalf("the launch did not serve the register itself:\n%s", out)
	}
	if strings.Contains(out.String(), "evil.example") || strings.Contains(out.String(), fake.URL) {
		t.Fatalf("the fake server's address was opened:\n%s", out)
	}
	if sawToken.Load() {
		t.Fatal("the stale token was sent to the fake server")
	}
}

func TestServerURL(t *testing.T) {
	for _, tc := range []struct {
		host string
		want string
	}{
		{"127.0.0.1", "http://127.0.0.1:8710"},
		{"localhost", "http://localhost:8710"},
		{"::1", "http://[::1]:8710"},
		{"::ffff:127.0.0.1", "http://[::ffff:127.0.0.1]:8710"},
	} {
		got := serverURL(tc.host, 8710)
		if got != tc.want {
			t.Errorf("serverURL(%q) = %q, want %q", tc.host, got, tc.want)
		}
		if _, err := (instance.Info{URL: got}).LaunchURL("t"); err != nil {
			t.Errorf("serverURL(%q) = %q is not a usable address: %v", tc.host, got, err)
		}
	}
}
