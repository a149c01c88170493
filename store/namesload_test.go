package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

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
	for _, c := range []struct{ many, split bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
		// Changes applied one by one, or re-sorted at once; the rows read
		// in one go, or in two halves at once.
		many := c.many
		db = openAt(t, path)
		if c.split {
			db.names.splitAt = 100
		}
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

// TestLoadOddRow: a text holding the load query's separator (written past
// validation) is read column by column, and the index holds it as it is.
func TestLoadOddRow(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	if err := db.ImportClients(ctx, storetest.Clients(1, 300)); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{1, 150, 300} {
		if _, err := db.w.ExecContext(ctx, "UPDATE clients SET city = 'Ås\x1fby', family_name = 'Ødegård\x1fBerg' WHERE id = ?", id); err != nil {
			t.Fatal(err)
		}
	}
	path := db.path
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, split := range []bool{false, true} {
		db = openAt(t, path)
		if split {
			db.names.splitAt = 100
		}
		if err := db.names.load(ctx, db); err != nil {
			t.Fatal(err)
		}
		page, err := db.SearchClients(ctx, register.Query{Q: "ødegård", Limit: MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		odd := 0
		for _, c := range page.Results {
			if c.ID == 1 || c.ID == 150 || c.ID == 300 {
				odd++
				if c.City != "Ås\x1fby" || c.FamilyName != "Ødegård\x1fBerg" {
					t.Errorf("split %v: client %d: %q %q", split, c.ID, c.City, c.FamilyName)
				}
			}
		}
		if odd != 3 {
			t.Errorf("split %v: %d of the 3 changed clients found", split, odd)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLoadedRowCut reads the load query's texts, and refuses broken ones.
func TestLoadedRowCut(t *testing.T) {
	var r loadedRow
	if err := cutLoadedRow([]byte("3\x1f12\x1fabc\x1f\x1fd\x1f\x1f\x1f\x1f\x1f\x1f"), &r); err != nil || r.version != 3 ||
		string(r.text[0]) != "12" || string(r.text[1]) != "abc" || string(r.text[3]) != "d" || string(r.text[9]) != "" {
		t.Fatalf("%v %+v", err, r)
	}
	for _, c := range []struct {
		in      string
		oddText bool // a text holds the separator: read again column by column
	}{
		{"", true},
		{"3", true},
		{"3\x1fa\x1fb", true},
		{"3" + strings.Repeat("\x1f", 11), true},
		{"x" + strings.Repeat("\x1f", 10), false},
		{strings.Repeat("\x1f", 10), false},
	} {
		err := cutLoadedRow([]byte(c.in), &r)
		if err == nil || errors.Is(err, errFieldSep) != c.oddText {
			t.Errorf("%q: %v", c.in, err)
		}
	}
}

// FuzzLoadedRowCut: ten texts joined as loadQuery joins them come back as
// they were, unless one holds the separator, which is refused.
func FuzzLoadedRowCut(f *testing.F) {
	f.Add(int64(1), "12345678901", "Kari", "", "Nordmann", "1990-01-01", "+47 912 34 567", "Oslo", "", "bosatt", "")
	f.Add(int64(-7), "", "a\x1fb", "", "", "", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, version int64, a, b, c, d, e, g, h, i, j, k string) {
		texts := []string{a, b, c, d, e, g, h, i, j, k}
		line := strconv.FormatInt(version, 10) + "\x1f" + strings.Join(texts, "\x1f")
		var r loadedRow
		err := cutLoadedRow([]byte(line), &r)
		if strings.Contains(strings.Join(texts, ""), "\x1f") {
			if !errors.Is(err, errFieldSep) {
				t.Fatalf("%q: %v, want the separator refused", line, err)
			}
			return
		}
		if err != nil || r.version != version {
			t.Fatalf("%q: %v, version %d", line, err, r.version)
		}
		for n, x := range r.text {
			if string(x) != texts[n] {
				t.Fatalf("text %d: %q, want %q", n, x, texts[n])
			}
		}
	})
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

// TestSearchAheadWaitsForTheLoad: searches asked ahead wait for a
// background load of the index (held here between its snapshot and its
// read), then answer from it as SearchClients does; SearchClients meanwhile
// answers through SQLite at once.
func TestSearchAheadWaitsForTheLoad(t *testing.T) {
	ctx := context.Background()
	db, release := heldLoad(t, storetest.Clients(23, 600))
	qs := []register.Query{{Q: "a", Limit: 5}, {Q: "h", Limit: 50, Offset: 3}, {Q: "9"}, {Q: "zzzz"}, {Q: "", Limit: 1}, {Q: strings.Repeat("1", 20)}}
	type answer struct {
		pages []register.Page
		err   error
	}
	done := make(chan answer, 1)
	go func() {
		p, err := db.SearchClientsAhead(ctx, qs)
		done <- answer{p, err}
	}()
	// SearchClients does not wait: SQLite answers while the load is held.
	want := make([]register.Page, len(qs))
	for i, q := range qs {
		p, err := db.SearchClients(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = p
	}
	select {
	case a := <-done:
		t.Fatalf("answered before the index was loaded: %+v %v", a.pages, a.err)
	default:
	}
	if db.names.loaded.Load() {
		t.Fatal("the index loaded while the load was held")
	}
	release()
	a := <-done
	if a.err != nil {
		t.Fatal(a.err)
	}
	if !db.names.loaded.Load() {
		t.Fatal("answered, but the index is not loaded")
	}
	for i, q := range qs {
		got := a.pages[i]
		if got.Total != want[i].Total || !slices.EqualFunc(got.Results, want[i].Results, func(x, y register.ClientSummary) bool { return x.ID == y.ID }) || got.Results == nil {
			t.Errorf("%+v: ahead %d %v, SQLite %d %v", q, got.Total, pageIDs(got), want[i].Total, pageIDs(want[i]))
		}
	}
	if want[0].Total == 0 || len(want[1].Results) == 0 {
		t.Fatalf("the searches found nobody: %+v", want[:2])
	}
	// Cancelled while waiting: the context's error.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.SearchClientsAhead(cctx, qs); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestLoadPausesForSearches: while a search answered by SQLite runs, the
// background load waits between rows (in the read, the build and the
// sorts), and goes on when the last search ends; a cancelled load does not
// wait.
func TestLoadPausesForSearches(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	if err := db.ImportClients(ctx, storetest.Clients(29, 3*pauseEvery)); err != nil {
		t.Fatal(err)
	}
	path := db.path
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, split := range []bool{false, true} {
		db := openAt(t, path)
		if split {
			db.names.splitAt = 2
		}
		// Two searches overlap; the load goes on only after both.
		first := db.names.pause.search()
		second := db.names.pause.search()
		done := make(chan error, 1)
		go func() { done <- db.names.load(ctx, db) }()
		wait := func(what string) {
			t.Helper()
			select {
			case err := <-done:
				t.Fatalf("split %v: the load ended %s: %v", split, what, err)
			case <-time.After(300 * time.Millisecond):
			}
		}
		wait("while two searches ran")
		first()
		wait("while a search ran")
		second()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("split %v: the load did not go on after the searches", split)
		}
		if !db.names.loaded.Load() {
			t.Fatalf("split %v: not loaded", split)
		}
		compareWithIndex(t, db, "a", 20, 0)
	}

	// A search that never ends holds a load only until its context ends.
	db = openAt(t, path)
	end := db.names.pause.search()
	defer end()
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- db.names.load(cctx, db) }()
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a cancelled load went on waiting")
	}
}

// TestSortPausing sorts as slices.SortFunc does, and waits while a search
// runs.
func TestSortPausing(t *testing.T) {
	var pause loadPause
	r := rand.New(rand.NewPCG(1, 2))
	s := make([]int, 20*pauseCompares)
	for i := range s {
		s[i] = r.IntN(1000)
	}
	want := slices.Clone(s)
	slices.Sort(want)
	end := pause.search()
	done := make(chan struct{})
	go func() {
		sortPausing(context.Background(), s, func(a, b int) int { return a - b }, &pause)
		close(done)
	}()
	select {
	case <-done:
		t.Fatal("the sort ended while a search ran")
	case <-time.After(200 * time.Millisecond):
	}
	end()
	<-done
	if !slices.Equal(s, want) {
		t.Error("not sorted")
	}
}

// heldLoad opens a register of clients anew and starts its background load
// of the index, held between its snapshot and its read until release is
// called (at the latest when the test ends, before the register closes).
func heldLoad(t *testing.T, clients []register.Client) (db *DB, release func()) {
	t.Helper()
	db = openTest(t)
	if err := db.ImportClients(context.Background(), clients); err != nil {
		t.Fatal(err)
	}
	path := db.path
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openAt(t, path)
	held, let := make(chan struct{}), make(chan struct{})
	release = sync.OnceFunc(func() { close(let) })
	t.Cleanup(release)
	db.names.afterSnapshot = func() {
		close(held)
		<-let
	}
	db.LoadSearchIndex()
	<-held
	return db, release
}

// TestWaitSearchIndex: WaitSearchIndex waits for the background load, and
// gives up when its context ends first.
func TestWaitSearchIndex(t *testing.T) {
	ctx := context.Background()
	db, release := heldLoad(t, storetest.Clients(5, 50))
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if db.WaitSearchIndex(short) {
		t.Fatal("WaitSearchIndex said loaded while the load was held")
	}
	if short.Err() == nil {
		t.Fatal("WaitSearchIndex returned before its context ended while the load was held")
	}
	release()
	if !db.WaitSearchIndex(ctx) {
		t.Fatal("WaitSearchIndex said not loaded after the load ended")
	}
	if !db.names.loaded.Load() {
		t.Fatal("the index is not loaded")
	}
}
