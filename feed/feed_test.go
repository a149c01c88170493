package feed_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"resepsjon/activation/activationtest"
	"resepsjon/feed"
	"resepsjon/lookup"
	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/nhnmock"
	"resepsjon/persontjeneste/nhnmock/population"
	"resepsjon/register"
	"resepsjon/store"
)

type harness struct {
	t    *testing.T
	path string
	db   *store.DB
	p    *activationtest.Practice
	look *lookup.Service
	f    *feed.Follower
	now  time.Time
}

// newHarness is a practice activated against a mock of size persons, with
// its register in a real SQLite file.
func newHarness(t *testing.T, size int) *harness {
	t.Helper()
	h := &harness{t: t, path: filepath.Join(t.TempDir(), "resepsjon.db"), now: time.Now().UTC()}
	h.open()
	h.p = activationtest.New(t, h.db, activationtest.Options{Size: size})
	h.follower()
	return h
}

func (h *harness) clock() time.Time { return h.now }

func (h *harness) open() {
	h.t.Helper()
	db, err := store.Open(context.Background(), h.path, nil, store.WithClock(h.clock))
	if err != nil {
		h.t.Fatal(err)
	}
	h.db = db
	h.t.Cleanup(func() { db.Close() })
}

func (h *harness) follower() {
	h.t.Helper()
	look, err := lookup.New(lookup.Config{Connection: h.p.Conn, Clients: h.db, Audit: h.db, OSUser: "resepsjonist", Now: h.clock})
	if err != nil {
		h.t.Fatal(err)
	}
	f, err := feed.New(feed.Config{Connection: h.p.Conn, Lookup: look, Store: h.db, Settings: h.db, Now: h.clock})
	if err != nil {
		h.t.Fatal(err)
	}
	h.look, h.f = look, f
}

// importClients imports the persons with these numbers as clients, as a
// lookup drafts them, in one transaction.
func (h *harness) importClients(nins []string) []register.Client {
	h.t.Helper()
	ctx := context.Background()
	api, st, err := h.p.Conn.Client(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	persons, err := api.BulkByNIN(ctx, nins, st.Settings.InformationParts)
	if err != nil {
		h.t.Fatal(err)
	}
	drafts := make([]register.Client, 0, len(persons))
	for _, p := range persons {
		drafts = append(drafts, lookup.NewDraft(p, st.Settings.InformationParts, h.now))
	}
	if err := h.db.ImportClients(ctx, drafts); err != nil {
		h.t.Fatal(err)
	}
	cs, err := h.db.ClientsWithNIN(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	return cs
}

// poll runs one poll and fails the test on an error.
func (h *harness) poll() feed.Result {
	h.t.Helper()
	res, err := h.f.Poll(context.Background())
	if err != nil {
		h.t.Fatalf("poll: %v", err)
	}
	return res
}

// ordinary are clients the mock can move, rename and protect: alive,
// resident, with an address and no protection.
func ordinary(cs []register.Client) []register.Client {
	var out []register.Client
	for _, c := range cs {
		if c.Status == persontjeneste.StatusResident && c.DeathDate == "" && c.City != "" &&
			c.AddressProtection == register.AddressProtectionNone && (c.NINType == register.NINTypeNational || c.NINType == register.NINTypeSynthetic) {
			out = append(out, c)
		}
	}
	return out
}

// TestFirstPollStartsAtTheNewestEvent: activation replays no history.
func TestFirstPollStartsAtTheNewestEvent(t *testing.T) {
	h := newHarness(t, 300)
	res := h.poll()
	latest, _ := h.p.Pop.LatestEvent()
	if !res.Started || res.Next != latest.Sequence+1 || res.Events != 0 {
		t.Fatalf("first poll %+v, newest event %d", res, latest.Sequence)
	}
	if c := h.p.Mock.Counters().APICalls["legal-basis event"]; c != 0 {
		t.Errorf("the first poll read %d pages of history", c)
	}
	// Nothing new: a poll reads one (empty) page and changes nothing.
	if res := h.poll(); res.Started || res.Events != 0 || res.Next != latest.Sequence+1 {
		t.Errorf("second poll %+v", res)
	}
}

// TestAnotherEnvironmentStartsAfresh: a position read in NHN's test
// environment means nothing in production; after a change of environment
// the feed starts again at the newest event instead of reading from it.
func TestAnotherEnvironmentStartsAfresh(t *testing.T) {
	h := newHarness(t, 300)
	ctx := context.Background()
	h.poll()
	latest, _ := h.p.Pop.LatestEvent()
	if env, ok, err := h.db.GetSetting(ctx, "feed.environment"); err != nil || !ok || env == "" {
		t.Fatalf("the feed's environment was not noted: %q %v %v", env, ok, err)
	}
	// As if the position had been read in another environment, far ahead.
	if err := h.db.PutSetting(ctx, "feed.environment", "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.ApplyFeed(ctx, register.FeedBatch{From: latest.Sequence + 1, Next: latest.Sequence + 5000, RunAt: h.now}); err != nil {
		t.Fatal(err)
	}
	res := h.poll()
	if !res.Started || res.Next != latest.Sequence+1 {
		t.Fatalf("poll after the environment changed %+v, want a fresh start at %d", res, latest.Sequence+1)
	}
	if env, _, _ := h.db.GetSetting(ctx, "feed.environment"); env == "test" {
		t.Error("the feed's environment was not updated")
	}
	// The same environment again: the position is kept.
	if res := h.poll(); res.Started || res.Next != latest.Sequence+1 {
		t.Errorf("next poll %+v", res)
	}
}

// TestPollAppliesExactlyTheClientsChanges is the main case: 5,000
// clients; the mock moves 50, kills 5, renames 10, gives 3 new numbers and
// protects 2 addresses, and makes 10,000 events for persons who are not
// clients. One poll applies exactly those changes, with audit rows, and no
// call is made for the 10,000.
func TestPollAppliesExactlyTheClientsChanges(t *testing.T) {
	if testing.Short() {
		t.Skip("5,000 clients and 10,000 events")
	}
	h := newHarness(t, 20_000)
	ctx := context.Background()
	all := h.p.Pop.SampleNINs(20_000)
	clientNINs := make([]string, 0, 5000)
	others := make([]string, 0, 15_000)
	for i, n := range all {
		if i%4 == 0 && len(clientNINs) < 5000 {
			clientNINs = append(clientNINs, n)
		} else {
			others = append(others, n)
		}
	}
	clients := h.importClients(clientNINs)
	if len(clients) != 5000 {
		t.Fatalf("%d clients imported", len(clients))
	}
	h.poll() // activation: start at the newest event

	ok := ordinary(clients)
	if len(ok) < 70 {
		t.Fatalf("%d ordinary clients", len(ok))
	}
	want := map[int64]string{} // client id -> kind
	pick := func(n int, kind string, change func(c register.Client) error) {
		t.Helper()
		for range n {
			c := ok[0]
			ok = ok[1:]
			if err := change(c); err != nil {
				t.Fatalf("%s %d: %v", kind, c.ID, err)
			}
			want[c.ID] = kind
		}
	}
	pop := h.p.Pop
	pick(50, "moved", func(c register.Client) error { _, err := pop.MoveRandom(c.NIN); return err })
	pick(5, "deceased", func(c register.Client) error { _, err := pop.Die(c.NIN, h.now.AddDate(0, 0, -1)); return err })
	pick(10, "renamed", func(c register.Client) error {
		_, err := pop.Rename(c.NIN, c.GivenName, "", "Ødegård-Berntsen")
		return err
	})
	pick(3, "new_number", func(c register.Client) error { _, err := pop.NewNumber(c.NIN); return err })
	pick(2, "protected", func(c register.Client) error {
		_, err := pop.Protect(c.NIN, population.ProtectionStrictlyConfidential)
		return err
	})
	moved := 0
	for _, n := range others {
		if moved == 10_000 {
			break
		}
		if _, err := pop.MoveRandom(n); err == nil {
			moved++
		}
	}
	if moved != 10_000 {
		t.Fatalf("only %d other persons could move", moved)
	}
	before := h.p.Mock.Counters().APICalls
	h.now = h.now.Add(time.Minute)
	res := h.poll()
	after := h.p.Mock.Counters().APICalls

	if res.Events != 10_070 || len(res.Updated) != 70 || len(res.Kept) != 0 {
		t.Fatalf("poll: %d events, %d updated, %d kept", res.Events, len(res.Updated), len(res.Kept))
	}
	if d := after["legal-basis bulk-by-id"] - before["legal-basis bulk-by-id"]; d != 1 || res.Calls != 1 {
		t.Errorf("%d bulk-by-id calls (result says %d), want 1: the 70 clients' events are on one page", d, res.Calls)
	}
	for _, route := range []string{"legal-basis person", "legal-basis get-by-nin", "legal-basis bulk-by-nin"} {
		if after[route] != before[route] {
			t.Errorf("%s called %d times", route, after[route]-before[route])
		}
	}
	if d := after["legal-basis event"] - before["legal-basis event"]; d != 11 {
		t.Errorf("%d event pages read, want 11", d)
	}
	for _, ch := range res.Updated {
		kind, ok := want[ch.ClientID]
		if !ok {
			t.Errorf("client %d updated but not changed by the mock", ch.ClientID)
			continue
		}
		if !slices.Contains(ch.Kinds, kind) {
			t.Errorf("client %d: kinds %v, want %s", ch.ClientID, ch.Kinds, kind)
		}
	}
	now, err := h.db.ClientsWithNIN(ctx)
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for _, c := range now {
		kind, isChanged := want[c.ID]
		switch {
		case !isChanged && c.Version != 1:
			t.Errorf("client %d not changed by the mock has version %d", c.ID, c.Version)
		case isChanged:
			changed++
			if c.Version != 2 {
				t.Errorf("client %d (%s): version %d", c.ID, kind, c.Version)
			}
			switch kind {
			case "deceased":
				if c.DeathDate == "" {
					t.Errorf("client %d: no death date", c.ID)
				}
			case "renamed":
				if c.FamilyName != "Ødegård-Berntsen" {
					t.Errorf("client %d: family name %q", c.ID, c.FamilyName)
				}
			case "protected":
				if c.AddressProtection != register.AddressProtectionStrictlyConfidential || c.StreetAddress != "" || c.City != "" {
					t.Errorf("client %d: protected address kept: %+v", c.ID, c)
				}
			}
		}
	}
	// A client with a new number is found by it (its old one is gone).
	for _, c := range clients {
		if want[c.ID] == "new_number" {
			if _, err := h.db.ClientByNIN(ctx, c.NIN); !errors.Is(err, register.ErrNotFound) {
				t.Errorf("client %d still has its old number: %v", c.ID, err)
			}
		}
	}
	if changed != 70 {
		t.Errorf("%d changed clients, want 70", changed)
	}
	audit, err := h.db.ListAudit(ctx, register.AuditFilter{Action: register.ActionUpdate})
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]bool{}
	for _, e := range audit.Entries {
		if strings.HasPrefix(e.Query, "feed ") && e.Outcome == register.OutcomeOK {
			rows[e.PersonIDs[0]] = true
		}
	}
	if len(rows) != 70 || audit.Total != 70 {
		t.Errorf("%d feed audit rows (%d update rows), want 70", len(rows), audit.Total)
	}
	lines, err := h.f.Changes(ctx, 0, 100)
	if err != nil || len(lines) != 70 {
		t.Fatalf("%d lines in «Endret fra Folkeregisteret», %v", len(lines), err)
	}
	st, err := h.f.Status(ctx)
	if err != nil || st.EventsRead != 10_070 || st.ClientsUpdated != 70 || st.ErrCode != "" || st.LastRunAt == nil {
		t.Errorf("status %+v, %v", st, err)
	}
}

// TestEditedAfterTheChangeIsKept: a client edited in Resepsjon after the
// register's change is not overwritten, and is listed.
func TestEditedAfterTheChangeIsKept(t *testing.T) {
	h := newHarness(t, 300)
	ctx := context.Background()
	clients := ordinary(h.importClients(h.p.Pop.SampleNINs(40)))
	h.poll()
	edited, plain := clients[0], clients[1]
	for _, c := range []register.Client{edited, plain} {
		if _, err := h.p.Pop.MoveRandom(c.NIN); err != nil {
			t.Fatal(err)
		}
	}
	// The receptionist corrects the address after the move was registered
	// (and well after the client was fetched).
	h.now = h.now.Add(10 * time.Minute)
	edited.StreetAddress = "Storgata 1 (skrevet inn)"
	edited, err := h.db.UpdateClient(ctx, edited)
	if err != nil {
		t.Fatal(err)
	}
	res := h.poll()
	if len(res.Updated) != 1 || res.Updated[0].ClientID != plain.ID || len(res.Kept) != 1 || res.Kept[0].ClientID != edited.ID {
		t.Fatalf("updated %+v, kept %+v", res.Updated, res.Kept)
	}
	got, _ := h.db.GetClient(ctx, edited.ID)
	if got.StreetAddress != "Storgata 1 (skrevet inn)" || got.Version != edited.Version {
		t.Errorf("the edited client was overwritten: %q v%d", got.StreetAddress, got.Version)
	}
	lines, err := h.f.Changes(ctx, edited.ID, 10)
	if err != nil || len(lines) != 1 || lines[0].Outcome != register.FeedKept || !slices.Contains(lines[0].Kinds, "moved") {
		t.Errorf("lines for the edited client: %+v, %v", lines, err)
	}
	if lines[0].Name == "" {
		t.Error("the line has no client name")
	}
}

// TestRestartContinuesFromTheStoredPosition: a poll stopped in the middle
// of a page saves nothing of that page; after a restart (the register
// opened again, a new follower) the next poll applies each change once.
func TestRestartContinuesFromTheStoredPosition(t *testing.T) {
	h := newHarness(t, 3000)
	ctx := context.Background()
	imported := h.importClients(h.p.Pop.SampleNINs(600))
	clients := ordinary(imported)
	h.poll()
	// Page one: 30 moves of clients; page two (after 1000 events): 20 more.
	others := h.p.Pop.SampleNINs(3000)
	isClient := map[string]bool{}
	for _, c := range imported {
		isClient[c.NIN] = true
	}
	moveOthers := func(n int) {
		for _, o := range others {
			if n == 0 {
				return
			}
			if !isClient[o] {
				if _, err := h.p.Pop.MoveRandom(o); err == nil {
					n--
				}
			}
		}
	}
	for _, c := range clients[:30] {
		if _, err := h.p.Pop.MoveRandom(c.NIN); err != nil {
			t.Fatal(err)
		}
	}
	moveOthers(1000)
	for _, c := range clients[30:50] {
		if _, err := h.p.Pop.MoveRandom(c.NIN); err != nil {
			t.Fatal(err)
		}
	}
	start, _, _ := h.db.FeedState(ctx)

	// The poll is stopped right after page one is saved, in the middle of
	// page two (as when the process is killed there).
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopping := &stopAfterFirstPage{FeedStore: h.db, stop: cancel}
	f, err := feed.New(feed.Config{Connection: h.p.Conn, Lookup: h.look, Store: stopping, Settings: h.db, Now: h.clock})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Poll(pctx); err == nil {
		t.Fatal("the stopped poll reported no error")
	}
	h.p.Mock.SetFaults(nhnmock.Faults{})
	mid, _, _ := h.db.FeedState(ctx)
	if mid.NextSequence <= start.NextSequence || mid.ClientsUpdated != 30 {
		t.Fatalf("after the stopped poll: position %d (from %d), %d updated", mid.NextSequence, start.NextSequence, mid.ClientsUpdated)
	}

	// Restart: the register opened again, a new follower (the practice's
	// settings are read through the first connection, which stays open).
	h.open()
	h.follower()
	res := h.poll()
	if len(res.Updated) != 20 {
		t.Fatalf("after the restart %d updated, want 20", len(res.Updated))
	}
	lines, err := h.f.Changes(ctx, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	per := map[int64]int{}
	for _, l := range lines {
		per[l.ClientID]++
	}
	for _, c := range clients[:50] {
		if per[c.ID] != 1 {
			t.Errorf("client %d applied %d times", c.ID, per[c.ID])
		}
	}
	if len(per) != 50 {
		t.Errorf("%d clients changed, want 50", len(per))
	}
}

// stopAfterFirstPage cancels the poll once the first page with changes is
// saved.
type stopAfterFirstPage struct {
	register.FeedStore
	stop  context.CancelFunc
	saved int
}

func (s *stopAfterFirstPage) ApplyFeed(ctx context.Context, b register.FeedBatch) (register.FeedApplied, error) {
	out, err := s.FeedStore.ApplyFeed(ctx, b)
	if err == nil && len(b.Updates) > 0 {
		s.saved++
		if s.saved == 1 {
			s.stop()
		}
	}
	return out, err
}

// TestFaults: when NHN fails during a poll the position does not pass an
// event that was not applied, the status says what happened, and the wait
// grows.
func TestFaults(t *testing.T) {
	h := newHarness(t, 300)
	ctx := context.Background()
	clients := ordinary(h.importClients(h.p.Pop.SampleNINs(40)))
	h.poll()
	tokens := h.p.Mock.Counters().TokensIssued
	if _, err := h.p.Pop.MoveRandom(clients[0].NIN); err != nil {
		t.Fatal(err)
	}
	before, _, _ := h.db.FeedState(ctx)
	for name, tc := range map[string]struct {
		faults nhnmock.Faults
		code   string
	}{
		"persontjenesten down": {nhnmock.Faults{PersontjenestenDown: true}, lookup.CodeUnavailable},
		"every call 500":       {nhnmock.Faults{ErrorRate: 1}, lookup.CodeUnavailable},
		"429 with a long Retry-After": {nhnmock.Faults{RateLimitEvery: 1, RetryAfter: 90 * time.Second},
			lookup.CodeRateLimited},
		"token refused": {nhnmock.Faults{RejectProof: true}, lookup.CodeTokenRejected},
	} {
		t.Run(name, func(t *testing.T) {
			h.p.Mock.SetFaults(tc.faults)
			defer h.p.Mock.SetFaults(nhnmock.Faults{})
			_, err := h.f.Poll(ctx)
			var fail *lookup.Failure
			if !errors.As(err, &fail) || fail.Code != tc.code {
				t.Fatalf("poll: %v, want %s", err, tc.code)
			}
			st, _ := h.f.Status(ctx)
			if st.ErrCode != tc.code || st.NextSequence != before.NextSequence || st.ClientsUpdated != 0 {
				t.Errorf("status %+v", st)
			}
			if tc.code == lookup.CodeRateLimited {
				if d := h.f.Backoff(1, err); d < 90*time.Second {
					t.Errorf("wait %s after a 429 asking for 90 s", d)
				}
			}
		})
	}
	// NHN is back: the change is applied, the error cleared.
	res := h.poll()
	if len(res.Updated) != 1 {
		t.Fatalf("after the faults: %+v", res)
	}
	st, _ := h.f.Status(ctx)
	if st.ErrCode != "" || st.ClientsUpdated != 1 {
		t.Errorf("status after recovery %+v", st)
	}
	_ = tokens
}

// TestTokenReusedAcrossPolls: polls share one HelseID token while it lasts.
func TestTokenReusedAcrossPolls(t *testing.T) {
	h := newHarness(t, 300)
	h.poll()
	issued := h.p.Mock.Counters().TokensIssued
	for range 3 {
		h.poll()
	}
	if got := h.p.Mock.Counters().TokensIssued; got != issued {
		t.Errorf("%d new tokens for three polls", got-issued)
	}
}

func TestNewRefusesMissingDependencies(t *testing.T) {
	if _, err := feed.New(feed.Config{}); err == nil {
		t.Fatal("New without dependencies succeeded")
	}
}

// TestBackoff: the wait doubles per failed poll up to the cap, and is at
// least what a 429 asked for.
func TestBackoff(t *testing.T) {
	h := newHarness(t, 60)
	f, err := feed.New(feed.Config{Connection: h.p.Conn, Lookup: h.look, Store: h.db, Settings: h.db,
		Interval: time.Minute, MaxBackoff: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	down := &lookup.Failure{Code: lookup.CodeUnavailable, Err: persontjeneste.ErrUnavailable}
	limited := &lookup.Failure{Code: lookup.CodeRateLimited, Err: &persontjeneste.RateLimitedError{RetryAfter: 30 * time.Minute}}
	for _, tc := range []struct {
		n    int
		err  error
		want time.Duration
	}{
		{1, down, time.Minute},
		{2, down, 2 * time.Minute},
		{3, down, 4 * time.Minute},
		{4, down, 8 * time.Minute},
		{5, down, 10 * time.Minute},
		{50, down, 10 * time.Minute},
		{1, limited, 30 * time.Minute},
	} {
		if got := f.Backoff(tc.n, tc.err); got != tc.want {
			t.Errorf("after %d failures (%v): %s, want %s", tc.n, tc.err, got, tc.want)
		}
	}
}
