package store

import (
	"context"
	"testing"
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
