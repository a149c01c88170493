package store

import (
	"context"
	"math/rand/v2"
	"testing"

	"resepsjon/register"
	"resepsjon/store/storetest"
)

// TestLoadWhileWriting writes while a load reads the rows (between its
// snapshot and the end of its read): the writes do not wait for the load,
// and the loaded index holds them, as the search index in SQLite does.
func TestLoadWhileWriting(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	cs := storetest.Clients(11, 800)
	if err := db.ImportClients(ctx, cs); err != nil {
		t.Fatal(err)
	}
	path := db.path
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, many := range []bool{false, true} { // changes applied one by one, or re-sorted at once
		db = openAt(t, path)
		r := rand.New(rand.NewPCG(5, 6))
		wrote := 0
		db.names.afterSnapshot = func() {
			db.names.afterSnapshot = nil
			n := 6
			if many {
				n = bulkApply + 10
			}
			for i := range n {
				id := int64(1 + r.IntN(len(cs)))
				c, err := db.GetClient(ctx, id)
				if err != nil {
					continue // deleted already
				}
				switch i % 3 {
				case 0:
					c.GivenName, c.FamilyName, c.Phone = "Hans", "Aaberg", "+47 912 00 "+string(rune('0'+i%10))+"1"
					_, err = db.UpdateClient(ctx, c)
				case 1:
					err = db.DeleteClient(ctx, c.ID, c.Version)
				case 2:
					_, err = db.CreateClient(ctx, register.Client{GivenName: "Åse", FamilyName: "Zahl", BirthDate: "1990-01-0" + string(rune('1'+i%9))})
				}
				if err != nil {
					t.Fatal(err)
				}
				wrote++
			}
		}
		if err := db.names.load(ctx, db); err != nil {
			t.Fatal(err)
		}
		if wrote == 0 || !db.names.loaded.Load() {
			t.Fatalf("wrote %d, loaded %v", wrote, db.names.loaded.Load())
		}
		for _, q := range []string{"", "hans", "aaberg", "åse zahl", "zahl", "h", "e", "912", "1990", "01.01.1990"} {
			for _, off := range []int{0, 40, 300} {
				compareWithIndex(t, db, q, MaxLimit, off)
			}
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLoadedRowCut reads the load query's texts, and refuses broken ones.
func TestLoadedRowCut(t *testing.T) {
	var r loadedRow
	if err := cutLoadedRow([]byte("3,2,3,0,1,0,0,0,0,0,0:12abcd"), &r); err != nil || r.version != 3 ||
		string(r.text[0]) != "12" || string(r.text[1]) != "abc" || string(r.text[3]) != "d" {
		t.Fatalf("%v %+v", err, r)
	}
	for _, bad := range []string{"", "3", "3,1:", "3,1,1,1,1,1,1,1,1,1,1:abc", "3,0,0,0,0,0,0,0,0,0,0:x", "3,0,0,0,0,0,0,0,0,0,0,0:", "3,x,0,0,0,0,0,0,0,0,0:"} {
		if err := cutLoadedRow([]byte(bad), &r); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestPhoneKey pins the indexed form of phone numbers.
func TestPhoneKey(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"912 34 567", "91234567"},
		{"+47 912 34 567", "91234567"},
		{"0047 91234567", "91234567"},
		{"4791234567", "91234567"},
		{"479123456", "479123456"},
		{"+46 8 123 456", "468123456"},
		{"0046 8 123 456", "468123456"},
		{" +4791234567", "91234567"},
		{"+47", "47"},
		{"00", ""},
		{"", ""},
	} {
		if got := phoneKey(c.in); got != c.want {
			t.Errorf("phoneKey(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
