package tray

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"resepsjon/messages"
)

func TestMenuIn(t *testing.T) {
	tests := []struct {
		lang        string
		demo        bool
		open, quit  string
		tooltipCode string
	}{
		{"nb", false, "Åpne Resepsjon", "Avslutt", "tray.tooltip"},
		{"en", false, "Open Resepsjon", "Quit", "tray.tooltip"},
		{"nb", true, "Åpne Resepsjon", "Avslutt", "tray.tooltip_demo"},
		{"en", true, "Open Resepsjon", "Quit", "tray.tooltip_demo"},
		{"", false, "Åpne Resepsjon", "Avslutt", "tray.tooltip"}, // bokmål unless English is asked for
	}
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			m := MenuIn(tc.lang, tc.demo)
			if len(m.Items) != 2 || m.Items[0].Action != Open || m.Items[1].Action != Quit {
				t.Fatalf("items = %+v, want Open then Quit", m.Items)
			}
			if m.Items[0].Label != tc.open || m.Items[1].Label != tc.quit {
				t.Errorf("labels = %q, %q; want %q, %q", m.Items[0].Label, m.Items[1].Label, tc.open, tc.quit)
			}
			want, _ := messages.Lookup(tc.tooltipCode)
			if m.Tooltip != want.In(tc.lang) || m.Tooltip == "" {
				t.Errorf("tooltip = %q, want %q", m.Tooltip, want.In(tc.lang))
			}
			if m.Title != "Resepsjon" {
				t.Errorf("title = %q", m.Title)
			}
		})
	}
}

func TestDecide(t *testing.T) {
	present := func(context.Context, string) (bool, error) { return true, nil }
	absent := func(context.Context, string) (bool, error) { return false, nil }
	broken := func(context.Context, string) (bool, error) { return false, errors.New("connection refused") }
	hangs := func(ctx context.Context, _ string) (bool, error) {
		<-ctx.Done()
		// Simulated work: a probe that takes a while longer after its
		// context ended; Decide must not wait for it.
		time.Sleep(50 * time.Millisecond)
		return true, nil
	}
	windows := Situation{Command: "serve", Available: true}
	linux := Situation{Command: "serve", Available: true, NeedsBus: true, BusAddress: "unix:path=/run/user/1000/bus"}
	with := func(s Situation, change func(*Situation)) Situation { change(&s); return s }
	tests := []struct {
		name       string
		s          Situation
		probe      HostProbe
		show       bool
		reasonHas  string
		probeAsked bool
	}{
		{"windows serve", windows, nil, true, "", false},
		{"windows demo", with(windows, func(s *Situation) { s.Command = "demo" }), nil, true, "", false},
		{"turned off", with(windows, func(s *Situation) { s.Off = true }), nil, false, "no_tray", false},
		{"subcommand key", with(windows, func(s *Situation) { s.Command = "key" }), nil, false, "only the app", false},
		{"subcommand mock", with(linux, func(s *Situation) { s.Command = "mock" }), present, false, "only the app", false},
		{"subcommand backup", with(windows, func(s *Situation) { s.Command = "backup" }), nil, false, "only the app", false},
		{"subcommand refresh", with(windows, func(s *Situation) { s.Command = "refresh" }), nil, false, "only the app", false},
		{"subcommand version", with(windows, func(s *Situation) { s.Command = "version" }), nil, false, "only the app", false},
		{"macOS", Situation{Command: "serve"}, nil, false, "operating system", false},
		{"linux with a host", linux, present, true, "", true},
		{"linux without a host", linux, absent, false, "StatusNotifierWatcher", true},
		{"linux without a session bus", with(linux, func(s *Situation) { s.BusAddress = "" }), present, false, "DBUS_SESSION_BUS_ADDRESS", false},
		{"linux bus refuses", linux, broken, false, "could not be asked", true},
		{"linux bus hangs", linux, hangs, false, "did not answer", true},
		{"linux turned off", with(linux, func(s *Situation) { s.Off = true }), present, false, "no_tray", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			asked := false
			var probe HostProbe
			if tc.probe != nil {
				probe = func(ctx context.Context, addr string) (bool, error) {
					asked = true
					if addr != tc.s.BusAddress {
						t.Errorf("probe asked at %q, want %q", addr, tc.s.BusAddress)
					}
					return tc.probe(ctx, addr)
				}
			}
			ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
			defer cancel()
			d := Decide(ctx, tc.s, probe)
			if d.Show != tc.show {
				t.Fatalf("Show = %v (%s), want %v", d.Show, d.Reason, tc.show)
			}
			if !strings.Contains(d.Reason, tc.reasonHas) || (!tc.show && d.Reason == "") {
				t.Errorf("reason %q, want it to mention %q", d.Reason, tc.reasonHas)
			}
			if tc.name != "linux bus hangs" && asked != tc.probeAsked {
				t.Errorf("probe asked = %v, want %v", asked, tc.probeAsked)
			}
		})
	}
}

// fakeBackend records the menu and blocks in Run until Stop, as the tray
// library does; stuck makes Run ignore Stop, byItself makes it return at
// once.
type fakeBackend struct {
	stuck, byItself bool
	started         chan func(Action)
	stop            chan struct{}
	stopOnce        sync.Once
	mu              sync.Mutex
	menu            Menu
	runs, stops     int
}

func newFake() *fakeBackend {
	return &fakeBackend{started: make(chan func(Action), 1), stop: make(chan struct{})}
}

func (f *fakeBackend) Run(m Menu, clicked func(Action)) {
	f.mu.Lock()
	f.menu, f.runs = m, f.runs+1
	f.mu.Unlock()
	f.started <- clicked
	if f.byItself {
		return
	}
	if f.stuck {
		select {}
	}
	<-f.stop
}

func (f *fakeBackend) Stop() {
	f.mu.Lock()
	f.stops++
	f.mu.Unlock()
	f.stopOnce.Do(func() { close(f.stop) })
}

// fakeApp stands for serveWith: it serves until quit, like the app.
type fakeApp struct {
	quit     chan struct{}
	quitOnce sync.Once
	launches int
	mu       sync.Mutex
	result   error
}

func newApp() *fakeApp { return &fakeApp{quit: make(chan struct{})} }

func (a *fakeApp) serve(serving func(Serving)) error {
	serving(Serving{
		LaunchURL: func() (string, error) {
			a.mu.Lock()
			defer a.mu.Unlock()
			a.launches++
			return "http://127.0.0.1:8710/?token=one-time", nil
		},
		Quit: func() { a.quitOnce.Do(func() { close(a.quit) }) },
	})
	<-a.quit
	return a.result
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// runAsync runs r with serve and returns Run's result channel.
func runAsync(r Runner, serve func(func(Serving)) error) chan error {
	done := make(chan error, 1)
	go func() { done <- r.Run(serve) }()
	return done
}

func waitErr(t *testing.T, done chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
		return nil
	}
}

func TestRunnerQuitFromTheTray(t *testing.T) {
	b, app := newFake(), newApp()
	app.result = errors.New("served and stopped")
	done := runAsync(Runner{Backend: b, Menu: MenuIn("nb", false), Log: quietLog()}, app.serve)
	clicked := <-b.started
	clicked(Quit)
	if err := waitErr(t, done); err != app.result {
		t.Fatalf("Run = %v, want the app's result", err)
	}
	if b.runs != 1 || b.stops != 1 {
		t.Errorf("runs=%d stops=%d, want 1 and 1", b.runs, b.stops)
	}
	if b.menu.Items[1].Label != "Avslutt" {
		t.Errorf("menu = %+v", b.menu)
	}
}

func TestRunnerOpenUsesAFreshLaunchURL(t *testing.T) {
	b, app := newFake(), newApp()
	var opened []string
	var mu sync.Mutex
	open := func(url string) error { mu.Lock(); defer mu.Unlock(); opened = append(opened, url); return nil }
	done := runAsync(Runner{Backend: b, Menu: MenuIn("en", false), Open: open, Log: quietLog()}, app.serve)
	clicked := <-b.started
	clicked(Open)
	clicked(Open)
	mu.Lock()
	if len(opened) != 2 || app.launches != 2 || !strings.Contains(opened[0], "/?token=") {
		t.Errorf("opened %v with %d launch URLs, want two", opened, app.launches)
	}
	mu.Unlock()
	select {
	case <-done:
		t.Fatal("Run returned while the app serves")
	default:
	}
	clicked(Quit)
	if err := waitErr(t, done); err != nil {
		t.Fatal(err)
	}
}

func TestRunnerOpenFailureIsLoggedWithoutTheAddress(t *testing.T) {
	b, app := newFake(), newApp()
	var logs strings.Builder
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return logs.Write(p) }), nil))
	done := runAsync(Runner{Backend: b, Menu: MenuIn("nb", false), Log: log,
		Open: func(string) error { return errors.New("no browser") }}, app.serve)
	clicked := <-b.started
	clicked(Open)
	clicked(Quit)
	if err := waitErr(t, done); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(logs.String(), "could not open the browser") || strings.Contains(logs.String(), "one-time") {
		t.Errorf("log = %s", logs.String())
	}
}

type writerFunc func([]byte) (int, error)

func (w writerFunc) Write(p []byte) (int, error) { return w(p) }

func TestRunnerAppStopsByItself(t *testing.T) {
	// The UI's «Avslutt» (or Ctrl+C) stops the app: the tray closes too.
	b, app := newFake(), newApp()
	done := runAsync(Runner{Backend: b, Menu: MenuIn("nb", false), Log: quietLog()}, app.serve)
	<-b.started
	close(app.quit)
	if err := waitErr(t, done); err != nil {
		t.Fatal(err)
	}
	if b.stops != 1 {
		t.Errorf("stops = %d, want 1", b.stops)
	}
}

func TestRunnerNoTrayWhenTheAppDoesNotServe(t *testing.T) {
	// A second launch hands over to the running one, or start-up fails:
	// no tray icon.
	b := newFake()
	want := errors.New("register in use")
	done := runAsync(Runner{Backend: b, Menu: MenuIn("nb", false), Log: quietLog()},
		func(func(Serving)) error { return want })
	if err := waitErr(t, done); err != want {
		t.Fatalf("Run = %v, want %v", err, want)
	}
	if b.runs != 0 {
		t.Errorf("tray ran %d times, want never", b.runs)
	}
}

func TestRunnerTrayClosesFirst(t *testing.T) {
	// The tray's loop ends by itself: the app goes on until it stops.
	b, app := newFake(), newApp()
	b.byItself = true
	done := runAsync(Runner{Backend: b, Menu: MenuIn("nb", false), Log: quietLog()}, app.serve)
	<-b.started
	select {
	case <-done:
		t.Fatal("Run returned while the app serves")
	case <-time.After(100 * time.Millisecond):
	}
	close(app.quit)
	if err := waitErr(t, done); err != nil {
		t.Fatal(err)
	}
}

func TestRunnerStuckTray(t *testing.T) {
	// The tray's loop does not end after the app stopped: Stuck gets the
	// app's result so the program can exit with it.
	b, app := newFake(), newApp()
	b.stuck = true
	app.result = errors.New("the app's result")
	stuck := make(chan error, 1)
	go Runner{Backend: b, Menu: MenuIn("nb", false), Log: quietLog(), StopWait: 50 * time.Millisecond,
		Stuck: func(err error) { stuck <- err }}.Run(app.serve)
	clicked := <-b.started
	clicked(Quit)
	select {
	case err := <-stuck:
		if err != app.result {
			t.Errorf("Stuck(%v), want the app's result", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Stuck was not called")
	}
}

func TestActionString(t *testing.T) {
	for a, want := range map[Action]string{Open: "open", Quit: "quit", 0: "unknown"} {
		if a.String() != want {
			t.Errorf("%d: %q, want %q", a, a.String(), want)
		}
	}
}
