package persontjeneste

import (
	"encoding/json"
	"sort"
	"testing"
	"time"
)

// BenchmarkToClient maps each contract fixture person to a client draft: the
// work the app does per person after the HTTP call. "decode" adds reading the
// person's JSON, as a lookup does.
func BenchmarkToClient(b *testing.B) {
	fixtures := personFixtures()
	names := make([]string, 0, len(fixtures))
	for name := range fixtures {
		names = append(names, name)
	}
	sort.Strings(names)
	persons := make([]Person, len(names))
	for i, name := range names {
		if err := json.Unmarshal([]byte(fixtures[name]), &persons[i]); err != nil {
			b.Fatalf("fixture %s: %v", name, err)
		}
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	b.Run("map", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			c := ToClient(persons[i%len(persons)], now)
			if c.FetchedAt == nil {
				b.Fatal("no FetchedAt")
			}
			i++
		}
	})
	b.Run("decode+map", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			var p Person
			if err := json.Unmarshal([]byte(fixtures[names[i%len(names)]]), &p); err != nil {
				b.Fatal(err)
			}
			c := ToClient(p, now)
			if c.FetchedAt == nil {
				b.Fatal("no FetchedAt")
			}
			i++
		}
	})
}
