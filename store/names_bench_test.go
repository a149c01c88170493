package store

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"resepsjon/register"
)

// BenchmarkNameIndexApply is the in-memory part of one client write on a
// loaded 100k name index: the rename of a client, applied while the gate is
// held (the commit itself is left out).
func BenchmarkNameIndexApply(b *testing.B) {
	db := benchDB(b)
	if err := db.names.load(context.Background(), db); err != nil {
		b.Fatal(err)
	}
	names := [][2]string{{"Kari", "Aas"}, {"Ola", "Østby"}, {"Per", "Moe"}}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		n := names[i%len(names)]
		c := newNameChange(int64(1+i%benchClients), n[0], "", n[1])
		if err := db.names.commit(context.Background(), db, []nameChange{c}, func() error { return nil }); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSearchIndexLoad is the whole load of the index at 100k clients
// (reading the rows and building), as the background load at start does it.
func BenchmarkSearchIndexLoad(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		db.names.loaded.Store(false)
		if err := db.names.load(ctx, db); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteWhileLoading is one client write made just after the
// background load of the index started at 100k clients (as a receptionist
// saving right after the app started): the time the write takes, load
// included where it waits for it. Reports ms/write.
func BenchmarkWriteWhileLoading(b *testing.B) {
	ctx := context.Background()
	measureWhileLoading(b, "ms/write", func(db *DB) func() {
		c, err := db.GetClient(ctx, 1)
		if err != nil {
			b.Fatal(err)
		}
		return func() {
			c.GivenName = "Kari"
			if _, err := db.UpdateClient(ctx, c); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSearchWhileLoading is the first key's search made just after the
// background load of the index started at 100k clients (a receptionist
// typing right after the app started): one letter, answered by SQLite while
// the load runs beside it. Reports ms/search.
func BenchmarkSearchWhileLoading(b *testing.B) {
	ctx := context.Background()
	measureWhileLoading(b, "ms/search", func(db *DB) func() {
		return func() {
			page, err := db.SearchClients(ctx, register.Query{Q: "h"})
			if err != nil || page.Total == 0 {
				b.Fatalf("search: %d, %v", page.Total, err)
			}
			if db.names.loaded.Load() {
				b.Fatal("the index was loaded before the search")
			}
		}
	})
}

// measureWhileLoading opens the 100k register afresh for each round, gets
// the work to time from setup (untimed), starts the background load of the
// index, and runs the work once the load has taken its snapshot and is
// about to read the rows. It reports the work's mean time as unit.
func measureWhileLoading(b *testing.B, unit string, setup func(db *DB) func()) {
	ctx := context.Background()
	path := benchDB(b).path
	var total time.Duration
	for b.Loop() {
		b.StopTimer()
		db, err := Open(ctx, path, slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		work := setup(db)
		reading := make(chan struct{})
		db.names.afterSnapshot = func() { close(reading) }
		b.StartTimer()
		db.LoadSearchIndex()
		<-reading
		start := time.Now()
		work()
		total += time.Since(start)
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), unit)
}
