package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"resepsjon/register"
)

// try is a request that may run on any goroutine: it returns errors instead
// of failing the test.
func try(c *http.Client, method, u string, body []byte, header map[string]string) (reply, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		return reply{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, err
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

func TestTwoSessionsEditingTheSameClient(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	browser, _ := browserSession(t, a) // the receptionist's tab (cookie)
	script := &http.Client{Timeout: 10 * time.Second}
	bearer := map[string]string{"Authorization": "Bearer " + a.token}
	sameOrigin := map[string]string{"Origin": a.base}

	r := a.do("POST", "/api/clients", validClient(t))
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var created register.Client
	r.decode(t, &created)
	u := a.base + "/api/clients/" + strconv.FormatInt(created.ID, 10)

	// Both open the client.
	var first, second register.Client
	send(t, browser, "GET", u, "", nil).decode(t, &first)
	send(t, script, "GET", u, "", bearer).decode(t, &second)
	if first.Version != 1 || second.Version != 1 {
		t.Fatalf("versions %d %d", first.Version, second.Version)
	}

	// The first saves a new phone number.
	first.Phone = "480 11 222"
	r = send(t, browser, "PUT", u, string(mustJSON(t, first)), sameOrigin)
	if r.status != http.StatusOK {
		t.Fatalf("first save: %d %s", r.status, r.body)
	}
	var afterFirst register.Client
	r.decode(t, &afterFirst)

	// The second saves what it typed on top of the version it read.
	second.Notes = "Ringte 23.11. Ønsker time etter kl. 15."
	second.Email = "kari@eksempel.no"
	r = send(t, script, "PUT", u, string(mustJSON(t, second)), bearer)
	if r.status != http.StatusConflict {
		t.Fatalf("stale save: %d %s", r.status, r.body)
	}
	e := r.apiError(t)
	if e.Code != "conflict" || e.CurrentVersion != 2 || e.Message == "" {
		t.Fatalf("conflict error %+v", e)
	}
	stored, err := a.db.GetClient(context.Background(), created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Version != 2 || stored.Phone != "480 11 222" || stored.Notes != created.Notes || stored.Email != created.Email {
		t.Fatalf("the refused save changed the client: %+v", stored)
	}
	if !stored.UpdatedAt.Equal(afterFirst.UpdatedAt) {
		t.Fatalf("the refused save touched updatedAt")
	}

	// The second session still has what it typed; it reloads, re-applies
	// it to the current version and saves: nothing of either is lost.
	var current register.Client
	send(t, script, "GET", u, "", bearer).decode(t, &current)
	current.Notes, current.Email = second.Notes, second.Email
	r = send(t, script, "PUT", u, string(mustJSON(t, current)), bearer)
	if r.status != http.StatusOK {
		t.Fatalf("save after reload: %d %s", r.status, r.body)
	}
	final, _ := a.db.GetClient(context.Background(), created.ID)
	if final.Version != 3 || final.Phone != "480 11 222" || final.Notes != second.Notes || final.Email != second.Email {
		t.Fatalf("final %+v", final)
	}

	// A stale delete is refused too and keeps the client.
	r = send(t, browser, "DELETE", u+"?version=2", "", sameOrigin)
	if r.status != http.StatusConflict || r.apiError(t).CurrentVersion != 3 {
		t.Fatalf("stale delete: %d %s", r.status, r.body)
	}
	if _, err := a.db.GetClient(context.Background(), created.ID); err != nil {
		t.Fatalf("stale delete removed the client: %v", err)
	}
}

func TestSimultaneousSavesOneWins(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	r := a.do("POST", "/api/clients", validClient(t))
	var c register.Client
	r.decode(t, &c)
	u := a.base + "/api/clients/" + strconv.FormatInt(c.ID, 10)
	client := &http.Client{Timeout: 30 * time.Second}
	bearer := map[string]string{"Authorization": "Bearer " + a.token}

	const editors = 12
	type result struct {
		i     int
		reply reply
		err   error
	}
	results := make(chan result, editors)
	start := make(chan struct{})
	for i := range editors {
		edit := c
		edit.Notes = fmt.Sprintf("endring fra økt %d", i)
		body := mustJSON(t, edit)
		go func() {
			<-start
			r, err := try(client, "PUT", u, body, bearer)
			results <- result{i, r, err}
		}()
	}
	close(start)
	winner := -1
	for range editors {
		res := <-results
		switch {
		case res.err != nil:
			t.Errorf("editor %d: %v", res.i, res.err)
		case res.reply.status == http.StatusOK:
			if winner >= 0 {
				t.Errorf("editors %d and %d both saved version 1", winner, res.i)
			}
			winner = res.i
		case res.reply.status == http.StatusConflict:
		default:
			t.Errorf("editor %d: %d %s", res.i, res.reply.status, res.reply.body)
		}
	}
	stored, _ := a.db.GetClient(context.Background(), c.ID)
	if winner < 0 || stored.Version != 2 || stored.Notes != fmt.Sprintf("endring fra økt %d", winner) {
		t.Fatalf("winner %d, stored %+v", winner, stored)
	}
}

// readers hammers GET /api/clients with searches until stop is closed and
// reports every answer that is not a 200 with a sane page.
type readers struct {
	ok atomic.Int64
	// busy is set while a long write runs; during counts the reads that
	// started and were answered while it was set.
	busy   atomic.Bool
	during atomic.Int64
	mu     sync.Mutex
	failed []string
	totals map[int]bool // totals seen for the empty query
	wg     sync.WaitGroup
	// answered gets a tick (dropped when one is waiting) after every
	// answer, good or bad.
	answered chan struct{}
}

// waitAnswered waits until n reads have been answered well, a read has
// failed, or timeout has passed.
func (rd *readers) waitAnswered(n int64, timeout time.Duration) {
	deadline := time.After(timeout)
	for rd.ok.Load() < n {
		rd.mu.Lock()
		failed := len(rd.failed) > 0
		rd.mu.Unlock()
		if failed {
			return
		}
		select {
		case <-rd.answered:
		case <-deadline:
			return
		}
	}
}

func startReaders(a *testApp, n int, stop <-chan struct{}) *readers {
	rd := &readers{totals: map[int]bool{}, answered: make(chan struct{}, 1)}
	queries := []string{"", "nordmann", "kari", "ola hansen", "14.03.1985", "912", "ø", "å", "berg-"}
	client := &http.Client{Timeout: 60 * time.Second}
	bearer := map[string]string{"Authorization": "Bearer " + a.token}
	for w := range n {
		rd.wg.Add(1)
		go func() {
			defer rd.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				q := queries[(w+i)%len(queries)]
				busyAtStart := rd.busy.Load()
				r, err := try(client, "GET", a.base+"/api/clients?limit=20&q="+url.QueryEscape(q), nil, bearer)
				var page register.Page
				switch {
				case err != nil:
					rd.fail(fmt.Sprintf("q=%q: %v", q, err))
				case r.status != http.StatusOK:
					rd.fail(fmt.Sprintf("q=%q: %d %s", q, r.status, r.body))
				case strings.Contains(strings.ToLower(string(r.body)), "locked"):
					rd.fail(fmt.Sprintf("q=%q: %s", q, r.body))
				case json.Unmarshal(r.body, &page) != nil:
					rd.fail(fmt.Sprintf("q=%q: undecodable %.200s", q, r.body))
				default:
					rd.ok.Add(1)
					if busyAtStart && rd.busy.Load() {
						rd.during.Add(1)
					}
					if q == "" {
						rd.mu.Lock()
						rd.totals[page.Total] = true
						rd.mu.Unlock()
					}
				}
				select {
				case rd.answered <- struct{}{}:
				default:
				}
			}
		}()
	}
	return rd
}

func (rd *readers) fail(s string) {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	if len(rd.failed) < 20 {
		rd.failed = append(rd.failed, s)
	}
}

func TestReadersDuringLongWrites(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	// Some clients to find and to update.
	var seed []register.Client
	for i := range 50 {
		c := validClient(t)
		c.NIN = synthetic(t, "1985-03-14", 100+i*7)
		c.GivenName = fmt.Sprintf("Kari %d", i)
		if err := register.Validate(&c); err != nil {
			continue // a number of the sequence taken twice: skip
		}
		seed = append(seed, c)
	}
	seed = uniqueByNIN(seed)
	if err := a.db.ImportClients(ctx, seed); err != nil {
		t.Fatal(err)
	}
	before := len(seed)

	stop := make(chan struct{})
	rd := startReaders(a, 4, stop)

	// A big import in one transaction (the app's writer connection) ...
	var big []register.Client
	for i := range 20000 {
		big = append(big, register.Client{GivenName: "Ola", MiddleName: strconv.Itoa(i), FamilyName: "Hansen", Phone: "912 34 567"})
	}
	importDone := make(chan error, 1)
	go func() {
		rd.busy.Store(true)
		err := a.db.ImportClients(ctx, big)
		rd.busy.Store(false)
		importDone <- err
	}()

	// ... while the receptionist saves through the API: every save queues
	// behind the import and succeeds.
	client := &http.Client{Timeout: 60 * time.Second}
	bearer := map[string]string{"Authorization": "Bearer " + a.token}
	page, err := a.db.SearchClients(ctx, register.Query{Q: "kari", Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		for _, c := range page.Results {
			cur, err := a.db.GetClient(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			cur.Notes = fmt.Sprintf("runde %d", round)
			r, err := try(client, "PUT", a.base+"/api/clients/"+strconv.FormatInt(c.ID, 10), mustJSON(t, cur), bearer)
			if err != nil || r.status != http.StatusOK {
				t.Fatalf("save during import: %v %d %s", err, r.status, r.body)
			}
		}
	}
	if err := <-importDone; err != nil {
		t.Fatalf("import: %v", err)
	}
	close(stop)
	rd.wg.Wait()
	for _, f := range rd.failed {
		t.Error("reader:", f)
	}
	// Readers do not wait for the writer: many searches were answered
	// while the import's transaction was open.
	if rd.during.Load() < 10 {
		t.Fatalf("only %d of %d searches were answered while the import ran", rd.during.Load(), rd.ok.Load())
	}
	// The import is one transaction: readers saw the register before it or
	// after it, never half of it.
	for total := range rd.totals {
		if total != before && total != before+len(big) {
			t.Errorf("a reader saw %d clients: neither %d nor %d", total, before, before+len(big))
		}
	}
	t.Logf("%d searches answered, %d of them during the %d-client import and %d saves", rd.ok.Load(), rd.during.Load(), len(big), 3*len(page.Results))
}

// TestReadersWhileAnotherProcessHoldsTheWriteLock holds SQLite's write lock
// from a second connection (as a backup tool or a second program would)
// until readers have been answered: reads go on, and a save through the API
// waits for the lock instead of reporting "database is locked".
func TestReadersWhileAnotherProcessHoldsTheWriteLock(t *testing.T) {
	t.Parallel()
	dbPath := filepath.Join(t.TempDir(), "resepsjon.db")
	a := newTestAppAt(t, dbPath, nil)
	ctx := context.Background()
	r := a.do("POST", "/api/clients", validClient(t))
	var c register.Client
	r.decode(t, &c)

	other, err := sql.Open("sqlite", "file:"+filepath.ToSlash(dbPath)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES ('lock-test', 'x', '2026-11-23T09:00:00Z')"); err != nil {
		t.Fatal(err)
	}

	stop := make(chan struct{})
	rd := startReaders(a, 3, stop)
	// The save starts while the lock is held.
	saved := make(chan reply, 1)
	go func() {
		c.Notes = "lagret mens en annen skrev"
		r, err := try(&http.Client{Timeout: 60 * time.Second}, "PUT", a.base+"/api/clients/"+strconv.FormatInt(c.ID, 10),
			mustJSON(t, c), map[string]string{"Authorization": "Bearer " + a.token})
		if err != nil {
			r = reply{status: -1, body: []byte(err.Error())}
		}
		saved <- r
	}()
	// Readers are answered while the write lock is held.
	rd.waitAnswered(30, 30*time.Second)
	heldReads := rd.ok.Load()
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	res := <-saved
	close(stop)
	rd.wg.Wait()
	for _, f := range rd.failed {
		t.Error("reader:", f)
	}
	if heldReads < 30 {
		t.Fatalf("only %d reads were answered while another connection held the write lock", heldReads)
	}
	if res.status != http.StatusOK || strings.Contains(strings.ToLower(string(res.body)), "locked") {
		t.Fatalf("save while locked: %d %s", res.status, res.body)
	}
}

func uniqueByNIN(cs []register.Client) []register.Client {
	seen := map[string]bool{}
	var out []register.Client
	for _, c := range cs {
		if !seen[c.NIN] {
			seen[c.NIN] = true
			out = append(out, c)
		}
	}
	return out
}
