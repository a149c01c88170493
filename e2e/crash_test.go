//go:build unix

package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"resepsjon/register"
	"resepsjon/store"
)

// Bounds of the crash test: rounds of traffic each ended by SIGKILL, and
// operations per worker and round.
const (
	crashRounds     = 5
	crashWorkers    = 4
	crashOpsPerWork = 120
)

// crashClient is what the test knows of one client. Each client belongs to
// one worker, which has at most one request for it in flight, so its
// history is a line: the last acknowledged state plus at most one write
// whose outcome the kill left unknown.
type crashClient struct {
	family  string // unique; never changed after the create
	id      int64  // 0 until the create is known to have happened
	version int64  // last acknowledged version (0: create not acknowledged)
	notes   string // notes of that version
	phone   string

	pending      bool // a write was in flight when the process died
	pendingNotes string
	pendingPhone string
}

// crashLedger records what the API acknowledged and refused.
type crashLedger struct {
	mu      sync.Mutex
	clients map[string]*crashClient // by family name
	refused []string                // notes or family names of writes the API refused
	acks    int                     // acknowledged writes in the current round
}

func (l *crashLedger) ack() {
	l.mu.Lock()
	l.acks++
	l.mu.Unlock()
}

func (l *crashLedger) acked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.acks
}

func (l *crashLedger) refuse(marker string) {
	l.mu.Lock()
	l.refused = append(l.refused, marker)
	l.mu.Unlock()
}

// crashAPI is one worker's connection to the running program.
type crashAPI struct {
	base, token string
	http        *http.Client
}

// call returns the status and body, or err when no answer came (the
// process died under the request).
func (a crashAPI) call(method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, data, nil
}

// crashWorker writes through the API until its operations are done or the
// process dies. It returns a description of anything the API answered that
// it should not have.
func crashWorker(api crashAPI, l *crashLedger, round, worker int, mine []*crashClient, rng *rand.Rand) (newClients []*crashClient, problems []string) {
	for op := range crashOpsPerWork {
		marker := fmt.Sprintf("r%d-w%d-o%d", round, worker, op)
		kind := rng.IntN(10)
		switch {
		case kind < 3 || len(mine) == 0: // create
			c := &crashClient{family: "Krasjtest-" + marker, notes: "opprettet " + marker, phone: fmt.Sprintf("9%07d", rng.IntN(1e7))}
			l.mu.Lock()
			l.clients[c.family] = c
			l.mu.Unlock()
			mine = append(mine, c)
			newClients = append(newClients, c)
			status, body, err := api.call("POST", "/api/clients", register.Client{GivenName: "Kari", FamilyName: c.family, Notes: c.notes, Phone: c.phone})
			if err != nil {
				c.pending, c.pendingNotes, c.pendingPhone = true, c.notes, c.phone
				return newClients, problems
			}
			if status != http.StatusCreated {
				problems = append(problems, fmt.Sprintf("create %s: %d %s", marker, status, body))
				continue
			}
			var got register.Client
			if err := json.Unmarshal(body, &got); err != nil {
				problems = append(problems, fmt.Sprintf("create %s: %v", marker, err))
				continue
			}
			c.id, c.version = got.ID, got.Version
			l.ack()
		case kind < 8: // update one of mine
			c := mine[rng.IntN(len(mine))]
			if c.version == 0 {
				continue // its create was not acknowledged
			}
			notes, phone := "endret "+marker, fmt.Sprintf("4%07d", rng.IntN(1e7))
			status, body, err := api.call("PUT", "/api/clients/"+strconv.FormatInt(c.id, 10), register.Client{
				GivenName: "Kari", FamilyName: c.family, Notes: notes, Phone: phone, Version: c.version})
			if err != nil {
				c.pending, c.pendingNotes, c.pendingPhone = true, notes, phone
				return newClients, problems
			}
			if status != http.StatusOK {
				problems = append(problems, fmt.Sprintf("update %s: %d %s", marker, status, body))
				continue
			}
			var got register.Client
			if err := json.Unmarshal(body, &got); err != nil || got.Version != c.version+1 {
				problems = append(problems, fmt.Sprintf("update %s: version %d after %d (%v)", marker, got.Version, c.version, err))
				continue
			}
			c.version, c.notes, c.phone = got.Version, notes, phone
			l.ack()
		case kind == 8: // a stale save: must be refused and leave no trace
			c := mine[rng.IntN(len(mine))]
			if c.version == 0 {
				continue
			}
			notes := "foreldet " + marker
			l.refuse(notes)
			status, body, err := api.call("PUT", "/api/clients/"+strconv.FormatInt(c.id, 10), register.Client{
				GivenName: "Kari", FamilyName: c.family, Notes: notes, Version: c.version + 1000})
			if err != nil {
				return newClients, problems
			}
			if status != http.StatusConflict {
				problems = append(problems, fmt.Sprintf("stale update %s: %d %s", marker, status, body))
			}
		default: // an invalid client: must be refused and leave no trace
			family := "Avvist-" + marker
			l.refuse(family)
			status, body, err := api.call("POST", "/api/clients", register.Client{GivenName: "Kari", FamilyName: family, NIN: "12345678901"})
			if err != nil {
				return newClients, problems
			}
			if status != http.StatusBadRequest {
				problems = append(problems, fmt.Sprintf("invalid create %s: %d %s", marker, status, body))
			}
		}
	}
	return newClients, problems
}

// crashRow is a client row read straight from the file.
type crashRow struct {
	id      int64
	version int64
	notes   string
	phone   string
}

// checkCrashedDatabase opens the file the killed process left, runs
// PRAGMA integrity_check and the store's own check (search index included),
// and returns every client row by family name.
func checkCrashedDatabase(t *testing.T, path string) map[string]crashRow {
	t.Helper()
	ctx := context.Background()
	raw, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var res string
	if err := raw.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Fatalf("PRAGMA integrity_check after SIGKILL: %q %v", res, err)
	}
	rows, err := raw.QueryContext(ctx, "SELECT id, family_name, version, notes, phone FROM clients")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]crashRow{}
	for rows.Next() {
		var r crashRow
		var family string
		if err := rows.Scan(&r.id, &family, &r.version, &r.notes, &r.phone); err != nil {
			t.Fatal(err)
		}
		if _, dup := out[family]; dup {
			t.Fatalf("client %q stored twice", family)
		}
		out[family] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	db, err := store.Open(ctx, path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("open after SIGKILL: %v", err)
	}
	defer db.Close()
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Fatalf("store integrity check after SIGKILL: %v", err)
	}
	return out
}

// reconcile compares the file with the ledger: every acknowledged write is
// there, no refused write is, a write cut off by the kill is there entirely
// or not at all, and nothing else is there. It resolves the cut-off writes.
func reconcile(t *testing.T, l *crashLedger, stored map[string]crashRow) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	refused := map[string]bool{}
	for _, r := range l.refused {
		refused[r] = true
	}
	for family, row := range stored {
		if refused[family] || refused[row.notes] {
			t.Errorf("%s: holds a write the API refused (%q)", family, row.notes)
		}
	}
	for family, c := range l.clients {
		row, ok := stored[family]
		delete(stored, family)
		switch {
		case c.version == 0 && !c.pending:
			if ok {
				t.Errorf("%s: stored, but its create was refused", family)
			}
		case c.version == 0: // create cut off
			if ok {
				if row.version != 1 || row.notes != c.pendingNotes || row.phone != c.pendingPhone {
					t.Errorf("%s: half a create: %+v", family, row)
				}
				c.id, c.version, c.notes, c.phone = row.id, 1, c.pendingNotes, c.pendingPhone
			}
		case !ok:
			t.Errorf("%s: acknowledged (version %d) but gone after the crash", family, c.version)
		case row.id != c.id:
			t.Errorf("%s: id %d, acknowledged %d", family, row.id, c.id)
		case row.version == c.version:
			if row.notes != c.notes || row.phone != c.phone {
				t.Errorf("%s: version %d holds %q/%q, acknowledged %q/%q", family, row.version, row.notes, row.phone, c.notes, c.phone)
			}
		case c.pending && row.version == c.version+1:
			if row.notes != c.pendingNotes || row.phone != c.pendingPhone {
				t.Errorf("%s: half an update: %+v", family, row)
			}
			c.version, c.notes, c.phone = row.version, c.pendingNotes, c.pendingPhone
		default:
			t.Errorf("%s: version %d stored, acknowledged %d (write in flight: %v)", family, row.version, c.version, c.pending)
		}
		c.pending = false
	}
	for family, row := range stored {
		t.Errorf("%s: stored (%+v) but never written", family, row)
	}
}

// TestCrashSafety kills the real program with SIGKILL in the middle of
// concurrent creates and saves, restarts it, and checks the file and that
// the API's answers were true: acknowledged writes are there, refused ones
// are not, and the one cut off is all there or not at all.
func TestCrashSafety(t *testing.T) {
	bin := wholeBinary(t)
	dataDir := filepath.Join(t.TempDir(), "data")
	dbPath := filepath.Join(dataDir, "resepsjon.db")
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 6))
	l := &crashLedger{clients: map[string]*crashClient{}}
	owned := make([][]*crashClient, crashWorkers)

	for round := range crashRounds {
		proc, info, out, exited := startServe(t, bin, dataDir)
		l.mu.Lock()
		l.acks = 0
		l.mu.Unlock()

		var wg sync.WaitGroup
		var mu sync.Mutex
		var problems []string
		for w := range crashWorkers {
			wg.Add(1)
			wrng := rand.New(rand.NewPCG(rng.Uint64(), uint64(w)))
			api := crashAPI{base: info.URL, token: info.Token, http: &http.Client{Timeout: 20 * time.Second}}
			go func() {
				defer wg.Done()
				added, p := crashWorker(api, l, round, w, owned[w], wrng)
				mu.Lock()
				owned[w] = append(owned[w], added...)
				problems = append(problems, p...)
				mu.Unlock()
			}()
		}
		allDone := make(chan struct{})
		go func() { wg.Wait(); close(allDone) }()
		// Kill at a random moment in the traffic: after a random number
		// of acknowledged writes, plus a random fraction of a write.
		killAt := 10 + rng.IntN(crashWorkers*crashOpsPerWork/3)
	wait:
		for l.acked() < killAt {
			select {
			case <-allDone:
				break wait
			case <-time.After(time.Millisecond):
			}
		}
		time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
		acksAtKill := l.acked()
		if err := proc.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-exited
		wg.Wait()
		for _, p := range problems {
			t.Errorf("round %d: %s", round, p)
		}
		if t.Failed() {
			t.Fatalf("output of the killed program:\n%s", out.String())
		}
		inFlight := 0
		for _, c := range l.clients {
			if c.pending {
				inFlight++
			}
		}
		reconcile(t, l, checkCrashedDatabase(t, dbPath))
		t.Logf("round %d: killed after %d acknowledged writes, %d writes cut off; %d clients", round, acksAtKill, inFlight, len(l.clients))
		if t.Failed() {
			t.FailNow()
		}
	}

	// After the last crash the program starts and answers what the ledger
	// holds.
	proc, info, out, exited := startServe(t, bin, dataDir)
	api := crashAPI{base: info.URL, token: info.Token, http: &http.Client{Timeout: 20 * time.Second}}
	known := 0
	for family, c := range l.clients {
		if c.version == 0 {
			continue
		}
		known++
		status, body, err := api.call("GET", "/api/clients/"+strconv.FormatInt(c.id, 10), nil)
		var got register.Client
		if err != nil || status != http.StatusOK || json.Unmarshal(body, &got) != nil {
			t.Fatalf("%s: %d %s %v", family, status, body, err)
		}
		if got.FamilyName != family || got.Version != c.version || got.Notes != c.notes || got.Phone != c.phone {
			t.Errorf("%s: API gives %+v, acknowledged version %d %q", family, got, c.version, c.notes)
		}
	}
	status, body, err := api.call("GET", "/api/clients?q=krasjtest&limit=1", nil)
	var page register.Page
	if err != nil || status != http.StatusOK || json.Unmarshal(body, &page) != nil || page.Total != known {
		t.Errorf("search after the crashes: %d %s (want total %d)", status, body, known)
	}
	if err := proc.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-exited; err != nil {
		t.Fatalf("exit: %v\n%s", err, out.String())
	}
	if known == 0 {
		t.Fatal("no write was acknowledged in any round")
	}
}
