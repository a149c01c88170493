//go:build linux

package main

import (
	"bufio"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// privateBus starts a D-Bus session bus of the test's own (so no tray host
// of the desktop or of another test answers) and returns its address.
func privateBus(t *testing.T) string {
	t.Helper()
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but dbus-daemon is missing (apt-get install dbus)")
		}
		t.Skip("dbus-daemon is not installed")
	}
	cmd := exec.Command(daemon, "--session", "--nofork", "--print-address=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	return strings.TrimSpace(line)
}

// trayEnv is the environment for the program under test: no RESEPSJON_*
// settings, the given session bus (none when empty), and PATH starting
// with bin.
func trayEnv(bus, bin string) []string {
	env := []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")}
	if bus != "" {
		env = append(env, "DBUS_SESSION_BUS_ADDRESS="+bus)
	}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RESEPSJON_") && !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") &&
			!strings.HasPrefix(kv, "PATH=") {
			env = append(env, kv)
		}
	}
	return env
}

// fakeWatcher is a StatusNotifier tray host: it takes the items that
// register and hands over the bus name of each.
type fakeWatcher struct{ items chan string }

func (w *fakeWatcher) RegisterStatusNotifierItem(sender dbus.Sender, path string) *dbus.Error {
	w.items <- string(sender) + " " + path
	return nil
}

func startWatcher(t *testing.T, bus string) *fakeWatcher {
	t.Helper()
	conn, err := dbus.Connect(bus)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	w := &fakeWatcher{items: make(chan string, 4)}
	if err := conn.Export(w, "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName("org.kde.StatusNotifierWatcher", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("request watcher name: %v %v", reply, err)
	}
	return w
}

// startTrayApp starts "resepsjon serve" with env and returns it, its
// output and its exit.
func startTrayApp(t *testing.T, bin, dataDir string, env []string, args ...string) (*exec.Cmd, *lockedBuffer, chan error) {
	t.Helper()
	out := newLockedBuffer()
	proc := exec.Command(bin, append([]string{"serve", "--no-browser", "--data-dir", dataDir, "--port", "0"}, args...)...)
	proc.Env = env
	proc.Stdout, proc.Stderr = out, out
	if err := proc.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- proc.Wait() }()
	t.Cleanup(func() { proc.Process.Kill() })
	return proc, out, exited
}

func waitExit(t *testing.T, exited chan error, out *lockedBuffer) {
	t.Helper()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("still running 30 s after quitting\n%s", out.String())
	}
}

// TestTrayNotShown: without a session bus, without a tray host on it, or
// turned off, the app serves without a tray icon, says why in its log, and
// stops cleanly.
func TestTrayNotShown(t *testing.T) {
	bin := buildBinary(t)
	bus := privateBus(t) // no StatusNotifierWatcher on it
	tests := []struct {
		name   string
		bus    string
		args   []string
		reason string
	}{
		{"no session bus", "", nil, "no D-Bus session bus"},
		{"no tray host", bus, nil, "no tray host (StatusNotifierWatcher)"},
		{"turned off", bus, []string{"--no-tray"}, "turned off by the no_tray setting"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dataDir := t.TempDir()
			proc, out, exited := startTrayApp(t, bin, dataDir, trayEnv(tc.bus, t.TempDir()), tc.args...)
			info := waitForServerFile(t, filepath.Join(dataDir, "server.json"), proc, out)
			if code, body := get(t, info.URL+"/api/health", ""); code != 200 {
				t.Fatalf("health %d %s", code, body)
			}
			out.waitFor(tc.reason, 10*time.Second)
			if log := out.String(); !strings.Contains(log, "no tray icon") || !strings.Contains(log, tc.reason) ||
				strings.Contains(log, "tray icon shown") {
				t.Fatalf("log does not say why there is no tray (%q):\n%s", tc.reason, log)
			}
			proc.Process.Signal(syscall.SIGTERM)
			waitExit(t, exited, out)
			assertCleanStop(t, dataDir)
		})
	}
}

// TestTrayMenu: with a tray host on the session bus the app registers its
// icon; the menu says «Åpne Resepsjon» and «Avslutt»; «Åpne Resepsjon»
// opens the browser signed in, «Avslutt» stops the program cleanly.
func TestTrayMenu(t *testing.T) {
	bin := buildBinary(t)
	bus := privateBus(t)
	w := startWatcher(t, bus)
	// The browser: an xdg-open that writes down the address it is given.
	fakeBin, opened := t.TempDir(), filepath.Join(t.TempDir(), "opened")
	script := "#!/bin/sh\necho \"$1\" >> " + opened + "\n"
	if err := os.WriteFile(filepath.Join(fakeBin, "xdg-open"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	dataDir := t.TempDir()
	proc, out, exited := startTrayApp(t, bin, dataDir, trayEnv(bus, fakeBin))
	info := waitForServerFile(t, filepath.Join(dataDir, "server.json"), proc, out)

	var item string
	select {
	case item = <-w.items:
	case <-time.After(20 * time.Second):
		t.Fatalf("no tray icon registered with the host\n%s", out.String())
	}
	name, path, _ := strings.Cut(item, " ")
	if path != "/StatusNotifierItem" {
		t.Fatalf("registered %q", item)
	}
	conn, err := dbus.Connect(bus)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var title string
	if err := conn.Object(name, "/StatusNotifierItem").Call("org.freedesktop.DBus.Properties.Get", 0,
		"org.kde.StatusNotifierItem", "Title").Store(&title); err != nil || title != "Resepsjon" {
		t.Fatalf("title %q, %v", title, err)
	}
	labels := trayMenu(t, conn, name)
	if len(labels) != 2 || labels["Åpne Resepsjon"] == 0 || labels["Avslutt"] == 0 {
		t.Fatalf("menu %v, want «Åpne Resepsjon» and «Avslutt»", labels)
	}

	click := func(id int32) {
		t.Helper()
		call := conn.Object(name, "/StatusNotifierItem/menu").Call("com.canonical.dbusmenu.Event", 0,
			id, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix()))
		if call.Err != nil {
			t.Fatalf("click %d: %v", id, call.Err)
		}
	}
	click(labels["Åpne Resepsjon"])
	// The browser the child process starts is a script that writes the
	// address to a file: the test reads the file until it is complete.
	var url string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(opened); err == nil && strings.HasSuffix(string(b), "\n") {
			url = strings.TrimSpace(string(b))
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.HasPrefix(url, info.URL+"/?token=") {
		t.Fatalf("the browser was opened at %q, want a launch address of %s\n%s", url, info.URL, out.String())
	}
	// The launch address signs the browser in (once).
	noRedirect := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(resp.Cookies()) == 0 {
		t.Fatalf("the launch address set no session cookie (status %d)", resp.StatusCode)
	}
	if strings.Contains(out.String(), url) {
		t.Error("the tray's launch address reached the log")
	}

	click(labels["Avslutt"])
	waitExit(t, exited, out)
	assertCleanStop(t, dataDir)
	if log := out.String(); !strings.Contains(log, "tray icon shown") || !strings.Contains(log, "quit requested from the tray") {
		t.Fatalf("log:\n%s", log)
	}
}

// trayMenu reads the tray's menu (com.canonical.dbusmenu) and returns each
// item's id by its label.
func trayMenu(t *testing.T, conn *dbus.Conn, name string) map[string]int32 {
	t.Helper()
	var (
		revision uint32
		layout   struct {
			ID       int32
			Props    map[string]dbus.Variant
			Children []dbus.Variant
		}
	)
	if err := conn.Object(name, "/StatusNotifierItem/menu").Call("com.canonical.dbusmenu.GetLayout", 0,
		int32(0), int32(-1), []string{}).Store(&revision, &layout); err != nil {
		t.Fatalf("GetLayout: %v", err)
	}
	labels := map[string]int32{}
	for _, child := range layout.Children {
		fields, ok := child.Value().([]any)
		if !ok || len(fields) < 2 {
			t.Fatalf("menu item %v", child)
		}
		id, _ := fields[0].(int32)
		props, _ := fields[1].(map[string]dbus.Variant)
		if label, ok := props["label"].Value().(string); ok && id != 0 {
			labels[label] = id
		}
	}
	return labels
}

// assertCleanStop: after a clean stop the server file and the lock are
// gone.
func assertCleanStop(t *testing.T, dataDir string) {
	t.Helper()
	for _, name := range []string{"server.json", "resepsjon.lock"} {
		if _, err := os.Stat(filepath.Join(dataDir, name)); !os.IsNotExist(err) {
			t.Errorf("%s still there after the stop (%v)", name, err)
		}
	}
}
