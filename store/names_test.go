package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"resepsjon/register"
	"resepsjon/store/storetest"
)

// manyHits is more hits than fit a sorted window cheaply: pages past it are
// found by walking the name order.
const manyHits = 400

// pageIDs are the ids of a page's results.
func pageIDs(p register.Page) []int64 {
	ids := make([]int64, len(p.Results))
	for i, c := range p.Results {
		ids[i] = c.ID
	}
	return ids
}

// compareWithIndex checks that the search index in memory answers q exactly
// as SQLite's search index (FTS5) does: the same total and the same page,
// with the same list columns.
func compareWithIndex(t *testing.T, db *DB, q string, limit, offset int) {
	t.Helper()
	ctx := context.Background()
	mq := parseQuery(q)
	if mq.none {
		t.Fatalf("%q matches nobody by its form", q)
	}
	got, ok, err := db.searchMemory(ctx, mq, limit, offset)
	if err != nil || !ok {
		t.Fatalf("search in memory: %v, %v", ok, err)
	}
	// Both ways through the search index: walking the name order and
	// sorting the hits (search chooses one by walkNameOrder).
	for _, walk := range []bool{true, false} {
		want, err := db.searchFTS(ctx, mq, limit, offset, func(int, int, int, int) bool { return walk })
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Results, want.Results) && slices.Equal(pageIDs(got), pageIDs(want)) {
			t.Errorf("%q: the list columns in memory differ from the rows: %+v, want %+v", q, got.Results, want.Results)
		}
		if got.Total != want.Total || !slices.Equal(pageIDs(got), pageIDs(want)) {
			t.Errorf("%q limit %d offset %d: name index total %d %v, search index (walk %v) total %d %v",
				q, limit, offset, got.Total, pageIDs(got), walk, want.Total, pageIDs(want))
		}
	}
}

// TestNameIndexMatchesSearchIndex runs many name queries through both the
// name index and the search index on a synthetic register, before and after
// a mix of creates, imports, renames and deletes.
func TestNameIndexMatchesSearchIndex(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	cs := storetest.Clients(7, 3000)
	// Names that share prefixes and repeat a token in one client.
	cs = append(cs,
		register.Client{GivenName: "Hans", FamilyName: "Hansen"},
		register.Client{GivenName: "Hans Hansen", FamilyName: "Hansen-Hans"},
		register.Client{GivenName: "Åse", MiddleName: "Øyen", FamilyName: "Ærø"},
		register.Client{GivenName: "Zoë", FamilyName: "O'Brien"},
	)
	if err := db.ImportClients(ctx, cs); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	var queries []string
	pick := func() register.Client { return cs[r.IntN(len(cs))] }
	for range 60 {
		c := pick()
		toks := nameTokens(nil, fold(c.GivenName+" "+c.FamilyName))
		tok := []rune(toks[r.IntN(len(toks))])
		queries = append(queries, string(tok[:min(len(tok), 1+r.IntN(5))]))
		fam := []rune(pick().FamilyName)
		queries = append(queries, c.GivenName+" "+string(fam[:min(len(fam), 3)]))
	}
	queries = append(queries, "hans", "h", "hansen hans", "åse ærø", "zoë o", "brien", "qqqq", "e", "a b")
	// Numbers, dates and mixed queries, as typed at the desk.
	for range 40 {
		c := pick()
		nin, phone := digitsOf(c.NIN), phoneKey(c.Phone)
		if nin != "" {
			queries = append(queries, nin, nin[:1+r.IntN(10)], nin[:6]+" "+nin[6:])
		}
		if phone != "" {
			queries = append(queries, phone, phone[:min(len(phone), 1+r.IntN(5))], c.Phone, "+47 "+phone, "0047"+phone)
		}
		if c.BirthDate != "" {
			y, m, d := c.BirthDate[:4], c.BirthDate[5:7], c.BirthDate[8:]
			queries = append(queries, d+"."+m+"."+y, d+m+y, y+m+d, y, c.BirthDate, strings.ToLower(c.FamilyName[:2])+" "+y)
		}
		if nin != "" {
			queries = append(queries, strings.ToLower(c.GivenName)+" "+nin[:4])
		}
	}
	queries = append(queries, "0", "4", "9", "19", "1985", "+4", "0047", "00")
	run := func() {
		t.Helper()
		for _, q := range queries {
			compareWithIndex(t, db, q, DefaultLimit, 0)
		}
		for _, q := range []string{"hans", "e", "a", ""} {
			for _, off := range []int{0, 7, 49, 50, 180, 2500, 5000} {
				compareWithIndex(t, db, q, 1+r.IntN(MaxLimit), off)
			}
		}
	}
	run()

	// Writes one by one (few changes: inserted in place) ...
	for i := range 40 {
		id := int64(1 + r.IntN(len(cs)))
		c, err := db.GetClient(ctx, id)
		if err != nil {
			continue // deleted already
		}
		switch i % 4 {
		case 0:
			c.FamilyName = pick().FamilyName
			c.GivenName = "Hans"
			if _, err := db.UpdateClient(ctx, c); err != nil {
				t.Fatal(err)
			}
		case 1:
			if err := db.DeleteClient(ctx, c.ID, c.Version); err != nil {
				t.Fatal(err)
			}
		case 2:
			c.MiddleName = ""
			c.FamilyName = "Aa"
			if _, err := db.UpdateClient(ctx, c); err != nil {
				t.Fatal(err)
			}
		case 3:
			mustCreate(t, db, register.Client{GivenName: pick().GivenName, FamilyName: "Østby-Hansen"})
		}
	}
	// ... and a large import (re-sorted in one go).
	if err := db.ImportClients(ctx, storetest.Clients(8, 500)); err != nil {
		t.Fatal(err)
	}
	run()

	// A freshly opened database loads the same index from the file.
	path := db.path
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openAt(t, path)
	run()
}

// TestNameIndexApply checks the index's own bookkeeping when a batch
// touches a client twice or deletes what it stored.
func TestNameIndexApply(t *testing.T) {
	ctx := context.Background()
	db := openTest(t) // for its data version only: the commits below write nothing
	var x nameIndex
	x.loaded.Store(true)
	seen, err := db.dataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	x.seen = seen
	batch := make([]nameChange, 0, bulkApply+3)
	family := func(i int) string { return "Nord" + string(rune('z'-i%26)) + string(rune('z'-i/26)) }
	for i := range bulkApply {
		batch = append(batch, newNameChange(int64(i+1), "Kari", "", family(i)))
	}
	batch = append(batch,
		newNameChange(1, "Ola", "", "Aas"),  // stored twice in one batch
		nameChange{id: 2},                   // stored, then deleted
		newNameChange(2, "Per", "", "Berg"), // and stored again
		nameChange{id: 3},
	)
	if err := x.commit(ctx, db, batch, func() error { return nil }); err != nil {
		t.Fatal(err)
	}
	x.commit(ctx, db, []nameChange{newNameChange(5, "Kari", "", "A"), {id: 6}}, func() error { return nil })
	x.commit(ctx, db, []nameChange{newNameChange(6, "Kari", "", "Ny")}, func() error { return nil })
	x.commit(ctx, db, []nameChange{newNameChange(7, "X", "", "Y")}, func() error { return fmt.Errorf("commit failed") })

	if len(x.byName) != bulkApply-1 {
		t.Fatalf("%d clients in name order, want %d", len(x.byName), bulkApply-1)
	}
	if !slices.IsSortedFunc(x.byName, x.compareIDs) {
		t.Error("name order not sorted")
	}
	if x.byName[0] != 5 || x.byName[1] != 1 {
		t.Errorf("first in name order %v, want 5 (A) then 1 (Aas)", x.byName[:2])
	}
	for _, tc := range []struct {
		q     string
		total int
	}{{"kari", bulkApply - 3}, {"ola", 1}, {"per berg", 1}, {"x", 0}, {"nord", bulkApply - 5}, {"ny", 1}} {
		total, _ := x.find(parseQuery(tc.q).words, 10, 0)
		if total != tc.total {
			t.Errorf("%q: total %d, want %d", tc.q, total, tc.total)
		}
	}
	if slices.Contains(x.tokens, "y") || slices.Contains(x.tokens, strings.ToLower(family(0))) {
		t.Errorf("tokens of uncommitted or replaced names kept: %v", x.tokens)
	}
}

// TestNameSearchWhileWriting searches while other goroutines create,
// rename, delete and import clients: every page is consistent with its
// total and holds only clients that match, so the index and the rows read
// always describe the same committed state.
func TestNameSearchWhileWriting(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	manyKari(t, db, 120)
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 60 {
			c := mustCreate(t, db, register.Client{GivenName: "Kari", FamilyName: fmt.Sprintf("Berg%d", i)})
			c.GivenName = "Per"
			c, err := db.UpdateClient(ctx, c)
			if err != nil {
				t.Error(err)
				return
			}
			if i%2 == 0 {
				if err := db.DeleteClient(ctx, c.ID, c.Version); err != nil {
					t.Error(err)
					return
				}
			}
		}
	})
	wg.Go(func() {
		for i := range 5 {
			cs := make([]register.Client, bulkApply+i)
			for j := range cs {
				cs[j] = register.Client{GivenName: "Kari", FamilyName: "Aal"}
			}
			if err := db.ImportClients(ctx, cs); err != nil {
				t.Error(err)
				return
			}
		}
	})
	for range 3 {
		wg.Go(func() {
			for i := range 40 {
				q := []string{"kari", "per", "kari aa"}[i%3]
				page, err := db.SearchClients(ctx, register.Query{Q: q, Limit: MaxLimit, Offset: i % 2 * 20})
				if err != nil {
					t.Error(err)
					return
				}
				if want := min(MaxLimit, max(page.Total-i%2*20, 0)); len(page.Results) != want {
					t.Errorf("%q: %d results of %d, want %d", q, len(page.Results), page.Total, want)
					return
				}
				for _, c := range page.Results {
					if !strings.Contains(strings.ToLower(c.GivenName+" "+c.FamilyName), strings.Fields(q)[0]) {
						t.Errorf("%q: result %s %s does not match", q, c.GivenName, c.FamilyName)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	for _, q := range []string{"kari", "per", "kari aa", "berg"} {
		compareWithIndex(t, db, q, MaxLimit, 0)
	}
}

// TestNumberSearchOrderWhileWriting pages through a phone-number prefix
// with more hits than SQLite sorts itself (ordered with the name index's
// keys) while clients are renamed: every page is in exact name order,
// because no write commits between the search's snapshot and its ordering.
func TestNumberSearchOrderWhileWriting(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	const n = manyHits + 100
	cs := make([]register.Client, n)
	for i := range cs {
		cs[i] = register.Client{GivenName: "Kari", FamilyName: fmt.Sprintf("Berg%c", 'a'+i%26), Phone: fmt.Sprintf("4000%04d", i)}
	}
	if err := db.ImportClients(ctx, cs); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 80 {
			c, err := db.GetClient(ctx, int64(1+i*5%n))
			if err != nil {
				t.Error(err)
				return
			}
			c.FamilyName = []string{"Aas", "Østby", "Moe"}[i%3]
			if _, err := db.UpdateClient(ctx, c); err != nil {
				t.Error(err)
				return
			}
		}
	})
	for range 2 {
		wg.Go(func() {
			for i := range 30 {
				page, err := db.SearchClients(ctx, register.Query{Q: "4000", Limit: 100, Offset: i % 3 * 100})
				if err != nil {
					t.Error(err)
					return
				}
				if page.Total != n || len(page.Results) != 100 {
					t.Errorf("total %d, %d results; want %d and 100", page.Total, len(page.Results), n)
					return
				}
				for j := 1; j < len(page.Results); j++ {
					a, b := page.Results[j-1], page.Results[j]
					if compareHits(hit{a.ID, sortKey(a.FamilyName, a.GivenName, a.MiddleName)}, hit{b.ID, sortKey(b.FamilyName, b.GivenName, b.MiddleName)}) > 0 {
						t.Errorf("results %d and %d out of order: %s %d, %s %d", j-1, j, a.FamilyName, a.ID, b.FamilyName, b.ID)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
