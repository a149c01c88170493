package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"resepsjon/app"
)

// waitFeed asks the app's change feed to poll until ok holds. The poll runs
// in the app, a child process, after the 202: its status is read a moment
// later, and the feed asked again until it holds.
func waitFeed(t *testing.T, s *server, what string, ok func(app.FeedStatus) bool) app.FeedStatus {
	t.Helper()
	var st app.FeedStatus
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		if code := s.api(t, http.MethodPost, "/api/persontjenesten/feed/poll", map[string]any{}, nil); code != http.StatusAccepted {
			t.Fatalf("POST /api/persontjenesten/feed/poll: %d", code)
		}
		time.Sleep(300 * time.Millisecond)
		st = app.FeedStatus{}
		if code := s.api(t, http.MethodGet, "/api/persontjenesten/feed", nil, &st); code != http.StatusOK {
			t.Fatalf("GET /api/persontjenesten/feed: %d", code)
		}
		if ok(st) {
			return st
		}
	}
	t.Fatalf("the feed never got to %s: %+v", what, st)
	return st
}

// TestChangeFeed: in the demo, after the mock moves a client, the feed
// updates the client by itself; the Persontjenesten page shows the feed's
// status and the client in «Endret fra Folkeregisteret» with a link, and
// the client's card says «Oppdatert fra Folkeregisteret» with the date.
func TestChangeFeed(t *testing.T) {
	s, b := openDemo(t)
	base := mockURL(t, ptStatusOf(t, s))
	waitFeed(t, s, "its start", func(st app.FeedStatus) bool { return st.Started })

	p := freshPersons(t, s, base, 1)[0]
	var draft struct {
		Draft map[string]any `json:"draft"`
	}
	if code := s.api(t, http.MethodPost, "/api/persontjenesten/lookup", map[string]string{"nin": p.NIN}, &draft); code != http.StatusOK {
		t.Fatalf("lookup: %d", code)
	}
	var created struct {
		ID     int64  `json:"id"`
		Street string `json:"streetAddress"`
	}
	if code := s.api(t, http.MethodPost, "/api/clients", draft.Draft, &created); code != http.StatusCreated {
		t.Fatalf("create: %d", code)
	}
	mockControl(t, base, http.MethodPost, "/_mock/persons/move", map[string]string{"nin": p.NIN})
	st := waitFeed(t, s, "the move", func(st app.FeedStatus) bool { return st.ClientsUpdated >= 1 })
	if len(st.Changes) == 0 || st.Changes[0].ClientID != created.ID || st.Changes[0].Kinds[0] != "moved" {
		t.Fatalf("feed changes %+v, want client %d moved", st.Changes, created.ID)
	}
	var after struct {
		Street string `json:"streetAddress"`
	}
	s.api(t, http.MethodGet, fmt.Sprintf("/api/clients/%d", created.ID), nil, &after)
	if after.Street == created.Street {
		t.Errorf("the client's address is still %q", after.Street)
	}

	row := fmt.Sprintf(`#pt-feed-changes li[data-client-id="%d"]`, created.ID)
	b.do(chromedp.Navigate(s.URL + "/#/persontjenesten"))
	b.waitFor("the feed's list", fmt.Sprintf(`!!document.querySelector(%s)`, jsString(row)))
	if got := b.text(row); !strings.Contains(got, "Flyttet") {
		t.Errorf("the list line %q does not say Flyttet", got)
	}
	if got := b.text("#pt-feed-updated"); got == "0" || got == "" {
		t.Errorf("clients updated shows %q", got)
	}
	if got := b.text("#pt-feed-state"); !strings.HasPrefix(got, "På") {
		t.Errorf("feed state %q", got)
	}
	if !eval[bool](b, `document.querySelector('#pt-feed-enabled').checked`) {
		t.Error("the feed's switch is off")
	}
	if b.visible("#pt-feed-error") {
		t.Errorf("an error is shown: %q", b.text("#pt-feed-error"))
	}
	b.checkLayout("change feed card")

	// The link leads to the client, whose card says when the feed updated it.
	b.click(row + " a")
	b.waitFor("the card's feed line", `!!document.querySelector('#feed-updated') && !document.querySelector('#feed-updated').hidden`)
	today := time.Now().Format("02.01.2006")
	if got := b.text("#feed-updated"); got != "Oppdatert fra Folkeregisteret "+today {
		t.Errorf("card line %q", got)
	}

	// Both screens at both sizes and in both languages.
	card := fmt.Sprintf("/#/clients/%d", created.ID)
	screens := []struct{ name, hash, ready string }{
		{"feed", "/#/persontjenesten", fmt.Sprintf(`!!document.querySelector(%s)`, jsString(row))},
		{"feed-card", card, `!!document.querySelector('#feed-updated') && !document.querySelector('#feed-updated').hidden`},
	}
	for _, lang := range []string{"nb", "en"} {
		eval[bool](b, fmt.Sprintf(`(localStorage.setItem('resepsjon.language', %s), true)`, jsString(lang)))
		for _, size := range [][2]int64{{1366, 768}, {1920, 1080}} {
			b.do(chromedp.EmulateViewport(size[0], size[1]))
			for _, sc := range screens {
				b.do(chromedp.Navigate(s.URL + sc.hash))
				b.reload()
				b.waitFor(sc.name, sc.ready)
				if sc.name == "feed" {
					eval[bool](b, `(document.querySelector("#pt-feed").scrollIntoView(), true)`)
				}
				b.checkLayout(fmt.Sprintf("%s %s %dx%d", sc.name, lang, size[0], size[1]))
				b.screenshot(fmt.Sprintf("feed-%s-%s-%d", sc.name, lang, size[0]))
			}
		}
	}
	eval[bool](b, `(localStorage.setItem('resepsjon.language', 'nb'), true)`)
}

// TestUnfinishedRunIsOffered: an "Oppdater alle" run cut off by a crash
// (SIGKILL) is offered on the Persontjenesten page after the restart, and
// «Fullfør oppdateringen» finishes it.
func TestUnfinishedRunIsOffered(t *testing.T) {
	requireChromium(t)
	dir := t.TempDir()
	// The first instance is started by hand: the test kills it.
	first := exec.Command(binary, "demo", "--no-browser", "--data-dir", dir, "--port", "0")
	first.Env = appEnv()
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = first.Process.Kill() })
	// The first instance is a child process: its server file, then its
	// health answer, are looked at until it serves.
	var s *server
	for deadline := time.Now().Add(30 * time.Second); ; {
		var info serverInfo
		data, err := os.ReadFile(filepath.Join(dir, "demo-server.json"))
		if err == nil && json.Unmarshal(data, &info) == nil && info.PID == first.Process.Pid {
			s = &server{serverInfo: info}
			if st, _ := sendJSON(t, http.MethodGet, info.URL+"/api/health", "", nil); st == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the first instance did not start")
		}
		time.Sleep(100 * time.Millisecond)
	}
	base := mockURL(t, ptStatusOf(t, s))
	mockControl(t, base, http.MethodPut, "/_mock/faults", map[string]any{"latency": "20s"})
	if code := s.api(t, http.MethodPost, "/api/persontjenesten/refresh-all", map[string]any{}, nil); code != http.StatusAccepted {
		t.Fatalf("start: %d", code)
	}
	// The 202 comes after the run is recorded in the register (with the
	// 20 s latency its first bulk call is still waiting): killed now, it
	// is left unfinished.
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()

	s = startApp(t, appConfig{Command: "demo", DataDir: dir})
	var job app.BulkJob
	if s.api(t, http.MethodGet, "/api/persontjenesten/refresh-all", nil, &job); job.Unfinished == nil || job.Unfinished.Total == 0 {
		t.Fatalf("after the restart: %+v", job)
	}
	b := newBrowser(t)
	b.open(s.launchURL(t))
	b.do(chromedp.Navigate(s.URL + "/#/persontjenesten"))
	b.waitFor("the offer", `!!document.querySelector('#pt-bulk-unfinished') && !document.querySelector('#pt-bulk-unfinished').hidden`)
	if got := b.text("#pt-bulk-unfinished"); !strings.Contains(got, "avbrutt") {
		t.Errorf("the offer says %q", got)
	}
	b.checkLayout("unfinished run offered")
	b.screenshot("feed-unfinished-run-nb")
	b.click("#pt-bulk-resume")
	// The run is in the child process: its API is asked until it is done.
	for deadline := time.Now().Add(30 * time.Second); ; {
		s.api(t, http.MethodGet, "/api/persontjenesten/refresh-all", nil, &job)
		if job.State == "done" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the resumed run did not finish: %+v", job)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !job.Resumed || job.Unfinished != nil {
		t.Errorf("after finishing: %+v", job)
	}
	b.waitFor("the offer gone", `document.querySelector('#pt-bulk-unfinished').hidden`)
}
