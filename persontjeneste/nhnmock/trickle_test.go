package nhnmock

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"resepsjon/persontjeneste/nhnmock/population"
)

// TestTrickle: the demo's trickle changes only the persons it is given,
// one change an interval, each change an event in the feed, and stops with
// its context; a zero interval makes none. It runs on synctest's clock, so
// the intervals are exact and take no time.
func TestTrickle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pop, err := population.New(population.Config{Seed: 7, Size: 120})
		if err != nil {
			t.Fatal(err)
		}
		m, err := New(Config{Population: pop})
		if err != nil {
			t.Fatal(err)
		}
		// Living persons: the register changes nothing of the dead.
		var nins []string
		ids := map[string]bool{}
		for _, n := range pop.SampleNINs(20) {
			if p, _ := pop.ByNIN(n); p.Death == nil && len(nins) < 3 {
				nins = append(nins, n)
				ids[p.ID] = true
			}
		}
		before := pop.LatestSequence()
		m.Trickle(context.Background(), nins, 0, nil) // returns at once
		if pop.LatestSequence() != before {
			t.Fatal("a zero interval made changes")
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			m.Trickle(ctx, nins, 5*time.Millisecond, nil)
		}()
		time.Sleep(16 * time.Millisecond) // three intervals, on synctest's clock
		synctest.Wait()
		if n := pop.LatestSequence() - before; n != 3 {
			t.Fatalf("%d changes in three intervals, want 3", n)
		}
		cancel()
		<-done
		events := pop.Events(before+1, 0)
		if len(events) != 3 {
			t.Fatalf("%d events", len(events))
		}
		for _, ev := range events {
			if !ids[ev.PersonID] || !slices.Contains([]string{"ChangeInResidentialAddress", "ChangeInName"}, ev.EventType) {
				t.Errorf("event %+v is not a trickle change of the given persons", ev)
			}
		}
		last := pop.LatestSequence()
		time.Sleep(time.Second) // synctest's clock: no real time passes
		synctest.Wait()
		if pop.LatestSequence() != last {
			t.Error("the trickle went on after its context ended")
		}
	})
}

// TestControlNewNumberAndProtect: the control API's new-number and protect
// answer with their events, as NHN's feed names them; a bad level is 400.
func TestControlNewNumberAndProtect(t *testing.T) {
	e := newEnv(t, nil)
	nins := e.pop.SampleNINs(40)
	var alive []string
	for _, n := range nins {
		if p, _ := e.pop.ByNIN(n); p.Death == nil {
			alive = append(alive, n)
		}
	}
	for _, tc := range []struct {
		path string
		body map[string]string
		want string
	}{
		{"/_mock/persons/new-number", map[string]string{"nin": alive[0]}, "ChangeInNorwegianIdentificationNumber"},
		{"/_mock/persons/protect", map[string]string{"nin": alive[1]}, "ChangeInAddressProtection"},
		{"/_mock/persons/protect", map[string]string{"nin": alive[2], "level": "Confidential"}, "ChangeInAddressProtection"},
	} {
		r := e.control(http.MethodPost, tc.path, tc.body)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d %s", tc.path, r.status, r.body)
		}
		if got := r.json(t)["eventType"]; got != tc.want {
			t.Errorf("%s: event type %v, want %s", tc.path, got, tc.want)
		}
	}
	if r := e.control(http.MethodPost, "/_mock/persons/protect", map[string]string{"nin": alive[3], "level": "Hemmelig"}); r.status != http.StatusBadRequest {
		t.Errorf("an unknown level: %d", r.status)
	}
}
