package feed_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"resepsjon/activation/activationtest"
	"resepsjon/feed"
	"resepsjon/lookup"
	"resepsjon/register"
	"resepsjon/store"
)

// benchPractice is a register of clients imported from a mock of twice as
// many persons, its feed started at the mock's newest event.
func benchPractice(b *testing.B, clients int) (*harness, []register.Client) {
	b.Helper()
	h := &harness{path: filepath.Join(b.TempDir(), "resepsjon.db"), now: time.Now().UTC()}
	db, err := store.Open(context.Background(), h.path, nil, store.WithClock(h.clock))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	h.db = db
	h.p = activationtest.New(b, db, activationtest.Options{Size: 2 * clients})
	look, err := lookup.New(lookup.Config{Connection: h.p.Conn, Clients: db, Audit: db, Now: h.clock})
	if err != nil {
		b.Fatal(err)
	}
	f, err := feed.New(feed.Config{Connection: h.p.Conn, Lookup: look, Store: db, Settings: db, Now: h.clock})
	if err != nil {
		b.Fatal(err)
	}
	h.look, h.f = look, f
	ctx := context.Background()
	api, st, err := h.p.Conn.Client(ctx)
	if err != nil {
		b.Fatal(err)
	}
	all := h.p.Pop.SampleNINs(2 * clients)
	var nins []string
	for i := 0; i < len(all); i += 2 {
		nins = append(nins, all[i])
	}
	persons, err := api.BulkByNIN(ctx, nins, st.Settings.InformationParts)
	if err != nil {
		b.Fatal(err)
	}
	drafts := make([]register.Client, 0, len(persons))
	for _, p := range persons {
		drafts = append(drafts, lookup.NewDraft(p, st.Settings.InformationParts, h.now))
	}
	if err := db.ImportClients(ctx, drafts); err != nil {
		b.Fatal(err)
	}
	cs, err := db.ClientsWithNIN(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := f.Poll(ctx); err != nil {
		b.Fatal(err)
	}
	return h, cs
}

// BenchmarkPoll100kEvents is one poll over 100,000 events, 100 of them for
// clients of a 10,000-client register, against the in-process mock with
// no latency: the time and the calls made (event pages and bulk-by-id).
// Each iteration puts the 100 clients back as they were and the feed at
// the first event, so every poll saves the 100 updates.
func BenchmarkPoll100kEvents(b *testing.B) {
	h, cs := benchPractice(b, 10_000)
	ctx := context.Background()
	changed := ordinary(cs)[:100]
	for _, c := range changed {
		if _, err := h.p.Pop.MoveRandom(c.NIN); err != nil {
			b.Fatal(err)
		}
	}
	isClient := map[string]bool{}
	for _, c := range cs {
		isClient[c.NIN] = true
	}
	others := h.p.Pop.SampleNINs(20_000)
	for moved := 0; moved < 99_900; {
		for _, n := range others {
			if moved == 99_900 {
				break
			}
			if isClient[n] {
				continue
			}
			if _, err := h.p.Pop.MoveRandom(n); err == nil {
				moved++
			}
		}
	}
	start, _, err := h.db.FeedState(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var pages, calls int64
	for b.Loop() {
		b.StopTimer()
		for _, orig := range changed {
			cur, err := h.db.GetClient(ctx, orig.ID)
			if err != nil {
				b.Fatal(err)
			}
			if cur.Version != orig.Version {
				back := orig
				back.Version = cur.Version
				if _, err := h.db.UpdateClient(ctx, back); err != nil {
					b.Fatal(err)
				}
			}
		}
		if err := h.db.ResetFeed(ctx); err != nil {
			b.Fatal(err)
		}
		if err := h.db.StartFeed(ctx, start.NextSequence); err != nil {
			b.Fatal(err)
		}
		before := h.p.Mock.Counters().APICalls
		b.StartTimer()
		res, err := h.f.Poll(ctx)
		b.StopTimer()
		if err != nil || res.Events != 100_000 || len(res.Updated) != 100 {
			b.Fatalf("poll: %d events, %d updated, %v", res.Events, len(res.Updated), err)
		}
		after := h.p.Mock.Counters().APICalls
		pages += after["legal-basis event"] - before["legal-basis event"]
		calls += after["legal-basis bulk-by-id"] - before["legal-basis bulk-by-id"]
		for _, c := range changed {
			cur, _ := h.db.GetClient(ctx, c.ID)
			c.Version = cur.Version
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(pages)/float64(b.N), "event-pages/poll")
	b.ReportMetric(float64(calls)/float64(b.N), "person-calls/poll")
}

// BenchmarkEventToClient is the time from a change in the mock to the
// client being saved when a poll runs right after it: the feed's own part
// of the lag (the rest is the wait for the next poll, at most the
// interval).
func BenchmarkEventToClient(b *testing.B) {
	h, all := benchPractice(b, 1_000)
	cs := ordinary(all)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		c := cs[i%len(cs)]
		i++
		if _, err := h.p.Pop.MoveRandom(c.NIN); err != nil {
			b.Fatal(err)
		}
		res, err := h.f.Poll(ctx)
		if err != nil || len(res.Updated)+len(res.Kept) != 1 {
			b.Fatalf("poll: %+v, %v", res, err)
		}
	}
}
