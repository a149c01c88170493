package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"resepsjon/register"
)

func TestNameIndexKeys(t *testing.T) {
	var x nameIndex
	x.loaded.Store(true)
	x.apply([]nameChange{newNameChange(3, "B", "", "B"), newNameChange(5, "A", "", "A"), newNameChange(7, "C", "", "C")})
	x.apply([]nameChange{{id: 7}})
	hits, missing := x.keys([]int64{3, 5, 7, 8, 0, -4, 100})
	if want := []hit{{3, sortKey("B", "B", "")}, {5, sortKey("A", "A", "")}}; !slices.Equal(hits, want) {
		t.Errorf("hits = %v, want %v", hits, want)
	}
	if want := []int64{7, 8, 0, -4, 100}; !slices.Equal(missing, want) {
		t.Errorf("missing = %v, want %v", missing, want)
	}
}

func TestFirstHits(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 5, 300, 3000} {
		for _, k := range []int{0, 1, 10, 50, 257, 5000} {
			hits := make([]hit, n)
			for i := range hits {
				// Few distinct keys, so ties are broken by id.
				hits[i] = hit{id: int64(r.IntN(1_000_000)), key: fmt.Sprintf("k%02d", r.IntN(20))}
			}
			want := slices.Clone(hits)
			slices.SortFunc(want, compareHits)
			want = want[:min(k, n)]
			got := firstHits(slices.Clone(hits), k)
			if len(got) != len(want) || (len(want) > 0 && !slices.Equal(got, want)) {
				t.Errorf("n=%d k=%d: first hits differ from a full sort", n, k)
			}
		}
	}
}

func TestParseIDs(t *testing.T) {
	tests := []struct {
		in      string
		want    []int64
		wantErr bool
	}{
		{"[]", nil, false},
		{"[7]", []int64{7}, false},
		{"[1,22,333]", []int64{1, 22, 333}, false},
		{" [4,5] ", []int64{4, 5}, false},
		{"", nil, true},
		{"[1,,2]", nil, true},
		{"[1,x]", nil, true},
		{"1,2", nil, true},
	}
	for _, tt := range tests {
		got, err := parseIDs(tt.in)
		if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
			t.Errorf("parseIDs(%q) = %v, %v; want %v (error %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err == nil {
			if back, _ := parseIDs(idList(got)); !slices.Equal(back, got) {
				t.Errorf("idList round trip of %v gives %v", got, back)
			}
		}
	}
}

// manyKari stores n clients "Kari Hansen". A search for "kari" is answered by
// the name index (searchNames); TestNumberSearchOrderWhileWriting covers the
// hit sets larger than manyHits.
func manyKari(t *testing.T, db *DB, n int) {
	t.Helper()
	cs := make([]register.Client, n)
	for i := range cs {
		cs[i] = register.Client{GivenName: "Kari", FamilyName: "Hansen"}
	}
	if err := db.ImportClients(context.Background(), cs); err != nil {
		t.Fatal(err)
	}
}

func firstFamily(t *testing.T, db *DB, q string) (string, int) {
	t.Helper()
	page, err := db.SearchClients(context.Background(), register.Query{Q: q, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Results) == 0 {
		return "", page.Total
	}
	return page.Results[0].FamilyName, page.Total
}

func TestSearchOrderFollowsWrites(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	manyKari(t, db, manyHits+100)
	n := manyHits + 100
	if fam, total := firstFamily(t, db, "kari"); fam != "Hansen" || total != n {
		t.Fatalf("first %q of %d", fam, total)
	}
	// A rename moves the client to the front at once.
	c, err := db.GetClient(ctx, 200)
	if err != nil {
		t.Fatal(err)
	}
	c.FamilyName = "Aaberg"
	c, err = db.UpdateClient(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if fam, total := firstFamily(t, db, "kari"); fam != "Aaberg" || total != n {
		t.Errorf("after renaming: first %q of %d, want Aaberg of %d", fam, total, n)
	}
	// A new client goes to its place.
	mustCreate(t, db, register.Client{GivenName: "Kari", FamilyName: "Aa"})
	if fam, total := firstFamily(t, db, "kari"); fam != "Aa" || total != n+1 {
		t.Errorf("after creating: first %q of %d, want Aa of %d", fam, total, n+1)
	}
	// A deleted one is gone.
	if err := db.DeleteClient(ctx, c.ID, c.Version); err != nil {
		t.Fatal(err)
	}
	page, err := db.SearchClients(ctx, register.Query{Q: "kari", Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != n || page.Results[0].FamilyName != "Aa" || page.Results[1].FamilyName != "Hansen" {
		t.Errorf("after deleting: total %d, first %q, %q", page.Total, page.Results[0].FamilyName, page.Results[1].FamilyName)
	}
}

func TestSearchOrderLoadedAfterReopen(t *testing.T) {
	// The name index of a freshly opened database is loaded from the file.
	path := t.TempDir() + "/resepsjon.db"
	db := openAt(t, path)
	manyKari(t, db, manyHits+10)
	c, err := db.GetClient(context.Background(), 42)
	if err != nil {
		t.Fatal(err)
	}
	c.FamilyName = "Aase"
	if _, err := db.UpdateClient(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db2 := openAt(t, path)
	if fam, _ := firstFamily(t, db2, "kari"); fam != "Aase" {
		t.Errorf("after reopening: first %q, want Aase", fam)
	}
	if fam, _ := firstFamily(t, db2, "kari hansen"); fam != "Hansen" {
		t.Errorf("after reopening: first %q, want Hansen", fam)
	}
}

func TestSearchWhileWriting(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	const n = manyHits + 200
	manyKari(t, db, n)
	var wg sync.WaitGroup
	// Writers rename clients back and forth; readers page through "kari".
	for w := range 2 {
		wg.Go(func() {
			for i := range 40 {
				id := int64(1 + (w*40+i)%n)
				c, err := db.GetClient(ctx, id)
				if err != nil {
					t.Error(err)
					return
				}
				c.FamilyName = []string{"Aas", "Østby"}[i%2]
				if _, err := db.UpdateClient(ctx, c); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for range 3 {
		wg.Go(func() {
			for range 20 {
				page, err := db.SearchClients(ctx, register.Query{Q: "kari", Limit: 100, Offset: 150})
				if err != nil {
					t.Error(err)
					return
				}
				if page.Total != n || len(page.Results) != 100 {
					t.Errorf("total %d, %d results; want %d and 100", page.Total, len(page.Results), n)
					return
				}
			}
		})
	}
	wg.Wait()
	// Once the writes are done the order is exact again.
	page, err := db.SearchClients(ctx, register.Query{Q: "kari", Limit: MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(page.Results); i++ {
		a, b := page.Results[i-1], page.Results[i]
		if compareHits(hit{a.ID, sortKey(a.FamilyName, a.GivenName, a.MiddleName)}, hit{b.ID, sortKey(b.FamilyName, b.GivenName, b.MiddleName)}) > 0 {
			t.Fatalf("results %d and %d out of order: %s %d, %s %d", i-1, i, a.FamilyName, a.ID, b.FamilyName, b.ID)
		}
	}
}
