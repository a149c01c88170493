//go:build unix

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath is where Debian installs chromium.
const chromiumPath = "/usr/bin/chromium"

// stepTimeout bounds every single browser step; a stuck step fails the test
// instead of hanging it.
const stepTimeout = 20 * time.Second

// binary is the resepsjon executable that TestMain builds once; it is set
// before any test runs and never changed afterwards. Empty when chromium is
// missing (nothing to test with).
var binary string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	if _, err := os.Stat(chromiumPath); err == nil {
		dir, err := os.MkdirTemp("", "resepsjon-e2e-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "e2e: temp dir:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		binary = filepath.Join(dir, "resepsjon")
		if err := build(binary); err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
			return 1
		}
	}
	return m.Run()
}

// build compiles the module root (the parent of this directory).
func build(out string) error {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("build resepsjon: go tool not in PATH: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool, "build", "-o", out, "..")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build resepsjon: %w\n%s", err, stderr.String())
	}
	return nil
}

// requireChromium skips the test without a browser, except in CI.
func requireChromium(t *testing.T) {
	t.Helper()
	if binary != "" {
		return
	}
	msg := "chromium not found at " + chromiumPath + " (apt-get install chromium)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// lockedBuffer collects the server's output; the process writes while the
// test may read.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serverInfo is <data-dir>/server.json.
type serverInfo struct {
	URL   string `json:"url"`
	Port  int    `json:"port"`
	PID   int    `json:"pid"`
	Token string `json:"token"`
}

// server is one running resepsjon process.
type server struct {
	serverInfo
	dataDir string
}

// startServer runs the binary on a free port with a fresh data directory and
// stops it with SIGTERM when the test ends, checking that it exits cleanly.
func startServer(t *testing.T) *server {
	t.Helper()
	dataDir := t.TempDir()
	cmd := exec.Command(binary, "--no-browser", "--data-dir", dataDir, "--port", "0")
	out := &lockedBuffer{}
	cmd.Stdout = out
	cmd.Stderr = out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start resepsjon: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	t.Cleanup(func() {
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Errorf("SIGTERM: %v", err)
		}
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("resepsjon did not exit cleanly after SIGTERM: %v\n%s", err, out.String())
			}
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			t.Errorf("resepsjon still ran 15 s after SIGTERM; killed\n%s", out.String())
		}
		if t.Failed() {
			t.Logf("server output:\n%s", out.String())
		}
	})

	path := filepath.Join(dataDir, "server.json")
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-exited:
			exited <- err // for the cleanup
			t.Fatalf("resepsjon exited before it served: %v\n%s", err, out.String())
		default:
		}
		var info serverInfo
		data, err := os.ReadFile(path)
		if err == nil && json.Unmarshal(data, &info) == nil && info.PID == cmd.Process.Pid && info.URL != "" {
			return &server{serverInfo: info, dataDir: dataDir}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no server.json in %s after 30 s\n%s", dataDir, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// launchURL is the address that logs the browser in: "/?token=..." sets the
// session cookie. The server may hand out one-time launch tokens (POST
// /api/launch with the bearer token from server.json); without that
// endpoint, the token from server.json is used directly.
func (s *server) launchURL(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/api/launch", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("launch: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("launch: %v", err)
	}
	switch resp.StatusCode {
	case http.StatusOK:
		var out struct {
			URL string `json:"url"`
		}
		if err := json.Unmarshal(body, &out); err != nil || !strings.HasPrefix(out.URL, s.URL+"/?token=") {
			t.Fatalf("launch: unexpected answer %q (%v)", body, err)
		}
		return out.URL
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		return s.URL + "/?token=" + s.Token
	default:
		t.Fatalf("launch: status %d: %s", resp.StatusCode, body)
		return ""
	}
}

// browser is one headless chromium with one tab.
type browser struct {
	t   *testing.T
	ctx context.Context

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

// newBrowser starts chromium with the project's fixed flags, a fresh profile
// and a 1280×720 viewport (the reception PC's smallest screen).
func newBrowser(t *testing.T) *browser {
	t.Helper()
	requireChromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	b := &browser{t: t, ctx: ctx}
	// The first Do starts the browser; its context must have no deadline,
	// or the browser dies with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	b.do(chromedp.EmulateViewport(1280, 720))
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
		}
	}()
	t.Cleanup(b.checkConsole)
	return b
}

// checkConsole fails the test on script errors and on anything the
// Content-Security-Policy blocked (an inline style or handler slipped in).
func (b *browser) checkConsole() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.console {
		if m.IsException() || strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "Content-Security-Policy") {
			b.t.Errorf("browser console: %s: %s (%s:%d)", m.Type, m.Text, m.URL, m.Line)
		}
	}
}

// do runs steps with a timeout and fails the test on error.
func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// run runs one action that returns a value, with a timeout.
func run[T any](b *browser, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("browser: %v", err)
	}
	return v
}

// eval evaluates a JavaScript expression in the page; promises are awaited.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	return run(b, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// waitFor waits until the JavaScript expression is truthy. what says in
// words what was awaited, for the failure message.
func (b *browser) waitFor(what, expr string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(stepTimeout-time.Second)))
	if err != nil {
		html, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		b.t.Fatalf("waiting for %s: %v\npage text:\n%s", what, err, html)
	}
}

// waitText waits until the element's text contains want.
func (b *browser) waitText(selector, want string) {
	b.t.Helper()
	b.waitFor(fmt.Sprintf("%q in %s", want, selector), fmt.Sprintf(
		`(() => { const el = document.querySelector(%s); return !!el && el.textContent.includes(%s); })()`,
		jsString(selector), jsString(want)))
}

// text is the trimmed textContent of the first element matching selector.
func (b *browser) text(selector string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(document.querySelector(%s)?.textContent ?? "<missing>").trim()`, jsString(selector)))
}

// value is the value of the form control matching selector.
func (b *browser) value(selector string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`document.querySelector(%s)?.value ?? "<missing>"`, jsString(selector)))
}

// attr is an attribute of the element matching selector ("" when absent).
func (b *browser) attr(selector, name string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`document.querySelector(%s)?.getAttribute(%s) ?? ""`, jsString(selector), jsString(name)))
}

// focused is the id of the element that has the keyboard focus.
func (b *browser) focused() string {
	b.t.Helper()
	return eval[string](b, `document.activeElement ? document.activeElement.id : ""`)
}

// retype replaces the text of an input the way a user does: select all, type.
func (b *browser) retype(selector, text string) {
	b.t.Helper()
	b.do(
		chromedp.WaitVisible(chromedp.CSS(selector)),
		chromedp.Clear(chromedp.CSS(selector)),
		chromedp.SendKeys(chromedp.CSS(selector), text),
	)
}

// click clicks the first visible element matching selector.
func (b *browser) click(selector string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(selector), chromedp.NodeVisible))
}

// screenshot saves the viewport as <RESEPSJON_SCREENSHOTS>/<name>.png when
// the variable is set.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("RESEPSJON_SCREENSHOTS")
	if dir == "" {
		return
	}
	// Let transitions and the caret settle so the picture shows the state.
	b.do(chromedp.Sleep(150 * time.Millisecond))
	png := run(b, chromedp.CaptureScreenshot())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatalf("screenshot dir: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
}

// jsString quotes s as a JavaScript string literal (JSON strings are valid
// JavaScript; marshalling a string cannot fail).
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}
