package app_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"resepsjon/app"
	"resepsjon/buildinfo"
)

func TestAppInfoForAbout(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "resepsjon.db")
	a := newTestAppAt(t, dbPath, func(c *testConfig) {
		c.Build = buildinfo.Info{Version: "v1.4.0", Commit: "0123abcd", Date: "2026-12-04T10:00:00Z", Go: "go1.26", OS: "windows/amd64"}
		c.DataDir, c.DBPath = dir, dbPath
	})
	var info app.AppInfo
	r := a.do(http.MethodGet, "/api/app", nil)
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	r.decode(t, &info)
	st, err := os.Stat(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if info.Version != "v1.4.0" || info.Commit != "0123abcd" || info.Built != "2026-12-04T10:00:00Z" ||
		info.Go != "go1.26" || info.Platform != "windows/amd64" || info.DataDir != dir {
		t.Errorf("app info %+v does not carry the build and data directory", info)
	}
	if info.DBBytes < st.Size() {
		t.Errorf("dbBytes %d, want at least the file's %d bytes", info.DBBytes, st.Size())
	}
	if info.CanQuit || info.UpdateAllRunning {
		t.Errorf("canQuit %v, updateAllRunning %v: want both false without Quit and without a run", info.CanQuit, info.UpdateAllRunning)
	}
	if r := a.do(http.MethodPost, "/api/quit", nil); r.status != http.StatusNotFound {
		t.Errorf("quit without a Quit function: status %d, want 404", r.status)
	}
}

func TestQuit(t *testing.T) {
	t.Parallel()
	quit := make(chan struct{}, 1)
	a := newTestAppWith(t, func(c *testConfig) { c.Quit = func() { quit <- struct{}{} } })
	if r := a.do(http.MethodPost, "/api/quit", nil, noAuth); r.status != http.StatusUnauthorized {
		t.Errorf("quit without a session: status %d, want 401", r.status)
	}
	if r := a.do(http.MethodPost, "/api/quit", nil, func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }); r.status != http.StatusForbidden {
		t.Errorf("quit from another origin: status %d, want 403", r.status)
	}
	select {
	case <-quit:
		t.Fatal("a refused request stopped the program")
	default:
	}
	r := a.do(http.MethodPost, "/api/quit", nil)
	if r.status != http.StatusAccepted {
		t.Fatalf("quit: status %d: %s", r.status, r.body)
	}
	select {
	case <-quit:
	case <-time.After(5 * time.Second):
		t.Fatal("quit answered but did not ask the program to stop")
	}
	var info struct{ CanQuit bool }
	a.do(http.MethodGet, "/api/app", nil).decode(t, &info)
	if !info.CanQuit {
		t.Error("canQuit false with a Quit function")
	}
}

func TestAppInfoNamesThePractice(t *testing.T) {
	t.Parallel()
	h := newPTHarness(t)
	var info struct{ Practice string }
	h.do(http.MethodGet, "/api/app", nil).decode(t, &info)
	if info.Practice != "" {
		t.Errorf("practice %q before any settings, want empty", info.Practice)
	}
	h.status(h.do(http.MethodPut, "/api/persontjenesten/settings", map[string]any{
		"practice": map[string]string{"orgNumber": h.orgOK, "name": "Testklinikken"},
	}))
	h.do(http.MethodGet, "/api/app", nil).decode(t, &info)
	if info.Practice != "Testklinikken" {
		t.Errorf("practice %q, want the name from the settings", info.Practice)
	}
}

// queue is an outbox with or without queued mail.
type queue struct{ queued bool }

func (q queue) NextDue(context.Context) (time.Time, bool, error) {
	if !q.queued {
		return time.Time{}, false, nil
	}
	return time.Now(), true, nil
}

// TestAppInfoSaysMailIsUnsent: «Avslutt» warns when portal mail waits in
// the outbox, and only then.
func TestAppInfoSaysMailIsUnsent(t *testing.T) {
	t.Parallel()
	for _, queued := range []bool{false, true} {
		a := newTestAppWith(t, func(c *testConfig) { c.Portal.Queue = queue{queued} })
		var info struct{ UnsentMail bool }
		a.do(http.MethodGet, "/api/app", nil).decode(t, &info)
		if info.UnsentMail != queued {
			t.Errorf("unsentMail %v with mail queued %v", info.UnsentMail, queued)
		}
	}
}
