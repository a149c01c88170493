package clientimport_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"resepsjon/clientfile"
	"resepsjon/clientimport"
	"resepsjon/store"
	"resepsjon/store/storetest"
)

// BenchmarkImport100k reads a CSV of 100,000 synthetic clients, runs the dry
// run and imports them into an empty register: the whole move-in. See
// docs/PERFORMANCE.md for the command and the figures.
func BenchmarkImport100k(b *testing.B) {
	const n = 100_000
	var buf bytes.Buffer
	w, err := clientfile.NewCSVWriter(&buf)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range storetest.Clients(31, n) {
		w.WriteRow(clientfile.Row(c))
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		db, err := store.Open(ctx, filepath.Join(b.TempDir(), "resepsjon.db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		tab, err := clientfile.Read(data)
		if err != nil {
			b.Fatal(err)
		}
		plan, err := clientimport.DryRun(ctx, db, tab, clientfile.GuessMapping(tab.Header))
		if err != nil {
			b.Fatal(err)
		}
		res, err := clientimport.Import(ctx, db, plan, clientimport.Request{FileName: "bench.csv"}, nil)
		// A few generated clients without an identity number share a
		// name and birth date with another: the dry run calls them
		// duplicates.
		if err != nil || res.Created != plan.Create || plan.Create < n-100 {
			b.Fatalf("imported %d of %d planned, %v", res.Created, plan.Create, err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}
