//go:build unix

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
	"github.com/chromedp/chromedp/kb"

	"resepsjon/instance"
)

// chromiumPath is where Debian installs chromium.
const chromiumPath = "/usr/bin/chromium"

// stepTimeout bounds every single browser step; a stuck step fails the test
// instead of hanging it.
const stepTimeout = 20 * time.Second

// builtBinary is the resepsjon executable that TestMain builds once; binary
// is the same for the browser tests, empty when chromium is missing
// (nothing to test with). Both are set before any test runs and never
// changed afterwards.
var builtBinary, binary string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "resepsjon-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: temp dir:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	builtBinary = filepath.Join(dir, "resepsjon")
	if err := build(builtBinary); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	if _, err := os.Stat(chromiumPath); err == nil {
		binary = builtBinary
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

// serverInfo is the instance file the app writes into its data directory
// (server.json; demo-server.json for the demo).
type serverInfo struct {
	URL   string `json:"url"`
	Port  int    `json:"port"`
	PID   int    `json:"pid"`
	Token string `json:"token"`
}

// appConfig says how to start the app.
type appConfig struct {
	// Command is "serve" (the default) or "demo".
	Command string
	// Args are further flags after the ones the harness always passes
	// (--no-browser --data-dir DIR --port 0).
	Args []string
	// Env are further environment variables (KEY=value). The harness drops
	// every inherited RESEPSJON_* variable so the developer's own settings
	// never leak into a test.
	Env []string
	// ServerFile is the instance file's name in the data directory; the
	// default follows the command (server.json, demo-server.json).
	ServerFile string
	// DataDir is the data directory; a fresh temporary one when empty.
	DataDir string
}

// server is one running resepsjon process.
type server struct {
	serverInfo
	dataDir string
	out     *lockedBuffer // what the process printed (stdout and stderr)
	// exited gets the process's exit once; whoever reads it puts it back
	// for the next reader (the cleanup).
	exited chan error
}

// waitExit waits up to timeout for the process to end on its own and
// returns how it ended.
func (s *server) waitExit(t *testing.T, timeout time.Duration) error {
	t.Helper()
	select {
	case err := <-s.exited:
		s.exited <- err
		return err
	case <-time.After(timeout):
		t.Fatalf("resepsjon still runs %v later\n%s", timeout, s.out.String())
		return nil
	}
}

// startServer runs "resepsjon serve" on a free port with a fresh data
// directory.
func startServer(t *testing.T) *server {
	t.Helper()
	return startApp(t, appConfig{Command: "serve"})
}

// startDemo runs "resepsjon demo" (synthetic data, its own demo.db) on a free
// port with a fresh data directory.
func startDemo(t *testing.T) *server {
	t.Helper()
	return startApp(t, appConfig{Command: "demo"})
}

// startApp runs the binary as cfg says, waits until its instance file names
// it, and stops it with SIGTERM when the test ends, checking that it exits
// cleanly.
func startApp(t *testing.T, cfg appConfig) *server {
	t.Helper()
	requireChromium(t)
	if cfg.Command == "" {
		cfg.Command = "serve"
	}
	if cfg.ServerFile == "" {
		cfg.ServerFile = "server.json"
		if cfg.Command == "demo" {
			cfg.ServerFile = "demo-server.json"
		}
	}
	dataDir := cfg.DataDir
	if dataDir == "" {
		dataDir = t.TempDir()
	}
	args := append([]string{cfg.Command, "--no-browser", "--data-dir", dataDir, "--port", "0"}, cfg.Args...)
	cmd := exec.Command(binary, args...)
	cmd.Env = append(appEnv(), cfg.Env...)
	out := &lockedBuffer{}
	cmd.Stdout = out
	cmd.Stderr = out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start resepsjon %s: %v", cfg.Command, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	t.Cleanup(func() {
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
			t.Errorf("SIGTERM: %v", err)
		}
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("resepsjon %s did not exit cleanly after SIGTERM: %v\n%s", cfg.Command, err, out.String())
			}
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			t.Errorf("resepsjon %s still ran 15 s after SIGTERM; killed\n%s", cfg.Command, out.String())
		}
		if t.Failed() {
			t.Logf("resepsjon %s output:\n%s", cfg.Command, out.String())
		}
	})

	// The app is a child process: its server file is the sign that it
	// serves, looked at until it names the child.
	path := filepath.Join(dataDir, cfg.ServerFile)
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case err := <-exited:
			exited <- err // for the cleanup
			t.Fatalf("resepsjon %s exited before it served: %v\n%s", cfg.Command, err, out.String())
		default:
		}
		var info serverInfo
		data, err := os.ReadFile(path)
		if err == nil && json.Unmarshal(data, &info) == nil && info.PID == cmd.Process.Pid && info.URL != "" {
			return &server{serverInfo: info, dataDir: dataDir, out: out, exited: exited}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s in %s after 60 s\n%s", cfg.ServerFile, dataDir, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// appEnv is this process's environment without RESEPSJON_* variables, with
// the demo mock's trickle of changes off (tests make their own) and no tray
// icon (a desktop's tray host must not get the tests' icons).
func appEnv() []string {
	env := []string{"RESEPSJON_DEMO_TRICKLE=0", "RESEPSJON_NO_TRAY=1"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RESEPSJON_") {
			env = append(env, kv)
		}
	}
	return env
}

// printedLaunchURL is the one-time launch URL the app printed at start (with
// --no-browser it prints the address instead of opening a browser): the
// address a receptionist would open.
func (s *server) printedLaunchURL(t *testing.T) string {
	t.Helper()
	prefix := s.URL + "/?token="
	// The child process's output is read until the line is there.
	deadline := time.Now().Add(10 * time.Second)
	for {
		for _, line := range strings.Split(s.out.String(), "\n") {
			if i := strings.Index(line, prefix); i >= 0 {
				return strings.TrimSpace(line[i:])
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the app printed no launch URL starting with %s:\n%s", prefix, s.out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// launchURL is a fresh one-time launch URL from the running app (POST
// /api/launch with the bearer token, as a second launch asks for one).
func (s *server) launchURL(t *testing.T) string {
	t.Helper()
	var out struct {
		URL string `json:"url"`
	}
	if status := s.api(t, http.MethodPost, "/api/launch", nil, &out); status != http.StatusOK {
		t.Fatalf("POST /api/launch: status %d", status)
	}
	if !strings.HasPrefix(out.URL, s.URL+"/?token=") {
		t.Fatalf("POST /api/launch: unexpected URL %q", out.URL)
	}
	return out.URL
}

// api calls the app's JSON API as a script does, with the bearer token from
// the instance file. body (when not nil) is sent as JSON; a 2xx answer is
// decoded into out (when not nil). It returns the status code.
func (s *server) api(t *testing.T, method, path string, body, out any) int {
	t.Helper()
	status, data := sendJSON(t, method, s.URL+path, "Bearer "+s.Token, body)
	if out != nil && status/100 == 2 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: decode answer %q: %v", method, path, data, err)
		}
	}
	return status
}

// sendJSON sends one request with body (when not nil) as JSON and the
// Authorization header auth (when not empty), and returns the status code
// and the answer's body.
func sendJSON(t *testing.T, method, url, auth string, body any) (int, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatalf("%s %s: encode body: %v", method, url, err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read answer: %v", method, url, err)
	}
	return resp.StatusCode, data
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

// waitShown waits until an element matching selector is on the page and
// shown, looking again after a navigation: a click that submits a form or
// follows a link to another server replaces the document, and a look made
// while it is being replaced fails (the node or the script's context is
// gone) where a person would simply wait for the new page.
func (b *browser) waitShown(selector string) {
	b.t.Helper()
	b.waitAcrossNavigation(selector+" to be shown", fmt.Sprintf(`(() => { const el = document.querySelector(%s); return !!el && el.getClientRects().length > 0; })()`, jsString(selector)))
}

// waitAcrossNavigation waits until expr is true, looking again when a look
// fails because the document is being replaced (see waitShown).
func (b *browser) waitAcrossNavigation(what, expr string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	var last error
	for {
		lctx, lcancel := context.WithTimeout(ctx, 2*time.Second)
		ok, err := chromedp.Run(lctx, chromedp.Evaluate[bool](expr))
		lcancel()
		if err == nil && ok {
			return
		}
		last = err
		select {
		case <-ctx.Done():
			b.t.Fatalf("waiting for %s: %v (last look: %v)", what, ctx.Err(), last)
		case <-time.After(50 * time.Millisecond):
		}
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

// retype replaces the text of an input or textarea the way a user does:
// select all, delete, type. (chromedp.Clear only resets the value
// attribute, which a field the user typed in no longer shows.)
func (b *browser) retype(selector, text string) {
	b.t.Helper()
	b.do(
		chromedp.WaitVisible(chromedp.CSS(selector)),
		chromedp.Focus(chromedp.CSS(selector)),
	)
	if !eval[bool](b, fmt.Sprintf(`(() => { const el = document.querySelector(%s); el.select(); return document.activeElement === el; })()`, jsString(selector))) {
		b.t.Fatalf("retype %s: the field did not take the focus", selector)
	}
	b.press(kb.Backspace)
	if got := b.value(selector); got != "" {
		b.t.Fatalf("retype %s: the field still holds %q after select all + Backspace", selector, got)
	}
	b.do(chromedp.SendKeys(chromedp.CSS(selector), text))
}

// click clicks the first visible element matching selector.
//
// A page that redraws between finding the element and clicking it (a
// status answer arriving) replaces the node; the click then looks the
// selector up again, as a person would click the redrawn button.
func (b *browser) click(selector string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	for {
		err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(selector), chromedp.NodeVisible))
		if err == nil {
			return
		}
		if !strings.Contains(err.Error(), "find node with given id") || ctx.Err() != nil {
			b.t.Fatalf("browser: click %s: %v", selector, err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
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

// open navigates to url and waits until the app's shell is on screen.
func (b *browser) open(url string) {
	b.t.Helper()
	b.do(chromedp.Navigate(url))
	b.waitFor("the app's shell", `!!document.querySelector('#main') && !!document.querySelector('#nav a')`)
}

// reload reloads the page and waits for the app's shell again.
func (b *browser) reload() {
	b.t.Helper()
	b.do(chromedp.Reload())
	// The reload may still be replacing the document when the first look
	// is made ("Inspected target navigated or closed", now and then in CI).
	b.waitAcrossNavigation("the app's shell after reload", `!!document.querySelector('#main') && !!document.querySelector('#nav a')`)
}

// press sends keys (e.g. kb.Enter, kb.Escape, kb.Tab) to the element that
// has the focus, as a keyboard does.
func (b *browser) press(keys string) {
	b.t.Helper()
	b.do(chromedp.KeyEvent(keys))
}

// focus puts the keyboard focus on the element matching selector.
func (b *browser) focus(selector string) {
	b.t.Helper()
	b.do(chromedp.Focus(chromedp.CSS(selector), chromedp.NodeVisible))
}

// visible reports whether the element matching selector is rendered.
func (b *browser) visible(selector string) bool {
	b.t.Helper()
	return eval[bool](b, fmt.Sprintf(`(() => { const el = document.querySelector(%s); return !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'; })()`, jsString(selector)))
}

// checkFocusVisible fails the test unless the focused element shows a
// visible focus indicator: it matches :focus-visible and draws an outline
// (or a box-shadow ring) of some width.
func (b *browser) checkFocusVisible(what string) {
	b.t.Helper()
	got := eval[string](b, `(() => {
		const el = document.activeElement;
		if (!el || el === document.body) return 'nothing has the focus';
		const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
		if (!el.matches(':focus-visible')) return name + ' does not match :focus-visible';
		const s = getComputedStyle(el);
		const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
		const ring = s.boxShadow && s.boxShadow !== 'none';
		return outline || ring ? '' : name + ' has no focus indicator (outline ' + s.outlineStyle + ' ' + s.outlineWidth + ')';
	})()`)
	if got != "" {
		b.t.Errorf("visible focus on %s: %s", what, got)
	}
}

// checkLayout fails the test when the screen scrolls sideways or when a
// visible text has less contrast than WCAG AA asks (4.5:1, 3:1 for large
// text) against the background it is drawn on. what names the screen.
func (b *browser) checkLayout(what string) {
	b.t.Helper()
	if over := eval[int](b, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
		b.t.Errorf("%s scrolls sideways by %d px at 1280×720", what, over)
	}
	problems := eval[[]string](b, contrastScript)
	for _, p := range problems {
		b.t.Errorf("%s: low contrast: %s", what, p)
	}
}

// contrastScript lists visible elements whose own text has too little
// contrast against the nearest opaque background behind it.
const contrastScript = `(() => {
	const parse = (c) => {
		const m = c.match(/rgba?\(([^)]+)\)/);
		if (!m) return null;
		const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
		return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
	};
	const lum = (c) => {
		const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
		return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
	};
	const over = (top, bottom) => ({
		r: top.r * top.a + bottom.r * (1 - top.a),
		g: top.g * top.a + bottom.g * (1 - top.a),
		b: top.b * top.a + bottom.b * (1 - top.a),
		a: 1,
	});
	const background = (el) => {
		const layers = [];
		for (let e = el; e; e = e.parentElement) {
			const c = parse(getComputedStyle(e).backgroundColor);
			if (c && c.a > 0) {
				layers.push(c);
				if (c.a >= 1) break;
			}
		}
		let bg = { r: 255, g: 255, b: 255, a: 1 };
		for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
		return bg;
	};
	const out = [];
	const root = document.querySelector('dialog[open]') || document.body;
	for (const el of root.querySelectorAll('*')) {
		const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
		if (!own || el.getClientRects().length === 0) continue;
		const s = getComputedStyle(el);
		if (s.visibility === 'hidden' || parseFloat(s.opacity) === 0) continue;
		if (el.closest('.visually-hidden')) continue;
		const fg0 = parse(s.color);
		if (!fg0) continue;
		const bg = background(el);
		const fg = over(fg0, bg);
		const l1 = lum(fg), l2 = lum(bg);
		const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
		const size = parseFloat(s.fontSize);
		const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
		if (ratio < (large ? 3 : 4.5)) {
			out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).split(' ').join('.') : '') +
				' "' + el.textContent.trim().slice(0, 40) + '" ' + ratio.toFixed(2) + ':1 (' + s.color + ' on rgb(' + [bg.r, bg.g, bg.b].map(Math.round).join(', ') + '))');
		}
	}
	return out;
})()`

// wholeBinary is the program TestMain built, for the whole-process tests
// that need no browser (crash safety, logs, file permissions).
func wholeBinary(t *testing.T) string {
	t.Helper()
	if builtBinary == "" {
		t.Fatal("the program was not built")
	}
	return builtBinary
}

// startServe runs "resepsjon serve" from bin on a free port in dataDir and
// returns the process, its instance file, its output and its exit; the
// process is killed when the test ends if it still runs.
func startServe(t *testing.T, bin, dataDir string) (*exec.Cmd, instance.Info, *lockedBuffer, chan error) {
	t.Helper()
	out := &lockedBuffer{}
	proc := exec.Command(bin, "serve", "--no-browser", "--data-dir", dataDir, "--port", "0")
	proc.Env = appEnv()
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

// waitForServerFile waits until the instance file at path names proc: the
// child process's file is looked at every 50 ms.
func waitForServerFile(t *testing.T, path string, proc *exec.Cmd, out *lockedBuffer) instance.Info {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if info, err := instance.Read(path); err == nil && info.PID == proc.Process.Pid {
			return info
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no %s after 30 s; output:\n%s", path, out.String())
	return instance.Info{}
}
