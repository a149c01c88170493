package lookup

import (
	"fmt"
	"testing"
	"time"

	"resepsjon/register"
)

// TestFetchMemory: a fetch handed out as a draft is recalled by its person
// id and fetch time, for fetchMemoryTTL and among the newest
// fetchMemorySize; anything else (another time, a made-up fetch, no person
// id) gives no base.
func TestFetchMemory(t *testing.T) {
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	str := func(s string) *string { return &s }
	draft := func(person string, at time.Time) register.Client {
		return register.Client{PersonID: person, FetchedAt: &at, FetchedPhone: str("+4741111111"), FetchedEmail: str(person + "@example.no")}
	}
	var m fetchMemory
	m.remember(draft("a", now), now)
	m.remember(register.Client{FetchedAt: &now, FetchedEmail: str("x")}, now) // no person id: not kept

	cases := []struct {
		name   string
		c      register.Client
		at     time.Time
		wantOK bool
	}{
		{"the same fetch", draft("a", now), now.Add(time.Hour), true},
		{"the same instant in another zone", draft("a", now.In(time.FixedZone("CET", 3600))), now, true},
		{"another fetch time", draft("a", now.Add(time.Nanosecond)), now, false},
		{"another person", draft("b", now), now, false},
		{"no fetch", register.Client{PersonID: "a"}, now, false},
		{"too old", draft("a", now), now.Add(fetchMemoryTTL + time.Second), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			phone, email, ok := m.recall(tc.c, tc.at)
			if ok != tc.wantOK {
				t.Fatalf("recalled %v, want %v", ok, tc.wantOK)
			}
			if ok && (*phone != "+4741111111" || *email != "a@example.no") {
				t.Errorf("base %q %q", *phone, *email)
			}
			if !ok && (phone != nil || email != nil) {
				t.Errorf("a base for an unknown fetch: %v %v", phone, email)
			}
		})
	}

	// The oldest give way when the memory is full.
	for i := range fetchMemorySize {
		m.remember(draft(fmt.Sprint("p", i), now.Add(time.Duration(i))), now)
	}
	if _, _, ok := m.recall(draft("a", now), now); ok {
		t.Error("the oldest fetch is still remembered past the memory's size")
	}
	if _, _, ok := m.recall(draft(fmt.Sprint("p", fetchMemorySize-1), now.Add(time.Duration(fetchMemorySize-1))), now); !ok {
		t.Error("the newest fetch is forgotten")
	}
	if len(m.entries) != fetchMemorySize || len(m.order) != fetchMemorySize {
		t.Errorf("memory holds %d (%d in order), want %d", len(m.entries), len(m.order), fetchMemorySize)
	}
}
