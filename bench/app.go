package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"resepsjon/instance"
	"resepsjon/loopback"
)

// buildApp builds the module in the current directory into bin.
func buildApp(ctx context.Context, bin string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build: %w\n%s", err, out.String())
	}
	return nil
}

// app is a running instance of the binary.
type app struct {
	cmd   *exec.Cmd
	info  instance.Info
	base  *url.URL
	waitc chan error
	log   output
}

// output is the app's stdout and stderr, written by the process's copying
// goroutine and read by the program.
type output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// waitAddress waits until the app prints its address, as it does with
// --no-browser where it would otherwise open the browser: a line of its own
// that starts with the address of server.json.
func (a *app) waitAddress(ctx context.Context) error {
	for {
		for line := range strings.Lines(a.log.String()) {
			if strings.HasPrefix(strings.TrimSpace(line), a.info.URL) {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the app did not print its address: %w\napp output:\n%s", ctx.Err(), a.log.String())
		case err := <-a.waitc:
			a.waitc <- err
			return fmt.Errorf("the app exited before printing its address: %v\napp output:\n%s", err, a.log.String())
		case <-time.After(time.Millisecond):
		}
	}
}

// startApp starts the binary on a free loopback port with dataDir and waits
// until /api/health answers 200. ready is the time from exec to that answer.
func startApp(ctx context.Context, bin, dataDir string) (a *app, ready time.Duration, err error) {
	serverJSON := filepath.Join(dataDir, "server.json")
	if _, err := os.Stat(serverJSON); err == nil {
		return nil, 0, fmt.Errorf("%s exists: an instance is still running there", serverJSON)
	}
	a = &app{waitc: make(chan error, 1)}
	a.cmd = exec.Command(bin, "--no-browser", "--data-dir", dataDir, "--port", "0", "--log-level", "warn")
	a.cmd.Stdout, a.cmd.Stderr = &a.log, &a.log
	a.cmd.Env = appEnv()
	start := time.Now()
	if err := a.cmd.Start(); err != nil {
		return nil, 0, fmt.Errorf("start app: %w", err)
	}
	go func() { a.waitc <- a.cmd.Wait() }()
	fail := func(err error) (*app, time.Duration, error) {
		a.stop()
		return nil, 0, fmt.Errorf("%w\napp output:\n%s", err, a.log.String())
	}
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if time.Now().After(deadline) {
			return fail(errors.New("the app did not answer /api/health within 30 s"))
		}
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		select {
		case err := <-a.waitc:
			a.waitc <- err
			return fail(fmt.Errorf("the app exited: %v", err))
		default:
		}
		if a.base == nil {
			info, err := instance.Read(serverJSON)
			if err == nil && info.PID == a.cmd.Process.Pid {
				u, err := url.Parse(info.URL)
				if err != nil {
					return fail(fmt.Errorf("server.json url: %w", err))
				}
				if !loopback.IsHost(u.Hostname()) {
					return fail(fmt.Errorf("the app serves on %s, not loopback: refusing to load it", u.Host))
				}
				a.info, a.base = info, u
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) && !strings.Contains(err.Error(), "unexpected end") {
				return fail(err)
			}
		}
		if a.base != nil {
			resp, err := client.Get(a.base.JoinPath("/api/health").String())
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return a, time.Since(start), nil
				}
			}
		}
		time.Sleep(500 * time.Microsecond)
	}
}

// appEnv is the environment without RESEPSJON_* settings, so that only the
// flags above configure the measured app.
func appEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RESEPSJON_") {
			env = append(env, kv)
		}
	}
	return env
}

// stop sends SIGTERM and waits up to 10 s, then kills.
func (a *app) stop() error {
	if a == nil || a.cmd.Process == nil {
		return nil
	}
	_ = a.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-a.waitc:
		return err
	case <-time.After(10 * time.Second):
		_ = a.cmd.Process.Kill()
		<-a.waitc
		return errors.New("the app did not stop within 10 s of SIGTERM")
	}
}

// memory is the process's resident set from /proc (Linux): total, and the
// part backed by files (mapped database pages, the binary) and anonymous
// memory (the Go heap, SQLite's page caches). Zero where not available.
type memory struct {
	rss, file, anon int64 // KiB
}

func (a *app) memory() memory {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", a.cmd.Process.Pid))
	if err != nil {
		return memory{}
	}
	defer f.Close()
	var m memory
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		v, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
		switch key {
		case "VmRSS":
			m.rss = v
		case "RssFile":
			m.file = v
		case "RssAnon":
			m.anon = v
		}
	}
	return m
}

// coldStarts starts and stops the app n times on dataDir and returns the
// times from exec to the first 200 on /api/health, sorted.
func coldStarts(ctx context.Context, bin, dataDir string, n int) ([]time.Duration, error) {
	var out []time.Duration
	for range n {
		a, ready, err := startApp(ctx, bin, dataDir)
		if err != nil {
			return nil, err
		}
		if err := a.stop(); err != nil {
			return nil, fmt.Errorf("stop: %w", err)
		}
		out = append(out, ready)
	}
	slices.Sort(out)
	return out, nil
}

// cpu is the CPU time (user and system) the app has used so far, from
// /proc (Linux); zero where not available.
func (a *app) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", a.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// The fields after the command name, which is in parentheses.
	_, rest, ok := strings.Cut(string(b), ") ")
	if !ok {
		return 0
	}
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	// Clock ticks; USER_HZ is 100 on every Linux the program runs on.
	return time.Duration(utime+stime) * (time.Second / 100)
}

// selfCPU is the CPU time the load program has used so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
