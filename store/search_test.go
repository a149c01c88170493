package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"resepsjon/register"
)

// searchFixture is a small register with the letters, numbers and spellings
// the search must understand.
var searchFixture = []register.Client{
	{GivenName: "Kari", FamilyName: "Nordmann", NIN: "14078512345", BirthDate: "1985-07-14", Phone: "+47 912 34 567"},
	{GivenName: "Ola-Kristian", MiddleName: "Ødegård", FamilyName: "Hansen", NIN: "31019054321", BirthDate: "1990-01-31", Phone: "41234567"},
	// Given name stored decomposed (NFD): A + combining ring above.
	{GivenName: "A\u030ase", FamilyName: "Bråten", BirthDate: "1972-03-05", Phone: "0046 70 123 45 67"},
	{GivenName: "Per", FamilyName: "Aas", NIN: "24120199999", BirthDate: "2001-12-24"},
	{GivenName: "Émile", FamilyName: "Ås", Phone: "22 33 44 55"},
	{GivenName: "Karianne", FamilyName: "Nordby", Phone: "+4790000001"},
}

func seedSearch(t *testing.T) (*DB, map[string]int64) {
	t.Helper()
	db := openTest(t)
	ids := map[string]int64{}
	for _, c := range searchFixture {
		ids[c.FamilyName] = mustCreate(t, db, c).ID
	}
	return db, ids
}

func TestSearchClients(t *testing.T) {
	db, ids := seedSearch(t)
	all := []string{"Aas", "Bråten", "Hansen", "Nordby", "Nordmann", "Ås"}
	tests := []struct {
		q    string
		want []string // family names, in result order
	}{
		// Names: words in any order, as prefixes, any case.
		{"kari", []string{"Nordby", "Nordmann"}},
		{"kari nordmann", []string{"Nordmann"}},
		{"NORDMANN KARI", []string{"Nordmann"}},
		{"nor kar", []string{"Nordby", "Nordmann"}},
		{"nordm k", []string{"Nordmann"}},
		{"  kari   nordmann  ", []string{"Nordmann"}},
		{"hansen ola", []string{"Hansen"}},
		{"kristian", []string{"Hansen"}},
		{"Ola-Kristian", []string{"Hansen"}},
		{"ødeg", []string{"Hansen"}},
		{"ØDEGÅRD", []string{"Hansen"}},
		{"ol ola", []string{"Hansen"}},
		{"emile", nil}, // é is not e
		{"émile", []string{"Ås"}},
		{"E\u0301mile", []string{"Ås"}}, // NFD query, NFC name
		// æ, ø, å: å is its own letter, not "aa"; NFC and NFD alike.
		{"åse", []string{"Bråten"}},
		{"a\u030ase", []string{"Bråten"}}, // NFD query, NFD name
		{"A\u030aSE", []string{"Bråten"}},
		{"å", []string{"Bråten", "Ås"}},
		{"aa", []string{"Aas"}},
		{"bra", nil},
		{"brå", []string{"Bråten"}},
		// Identity numbers: whole, as a prefix, with spaces.
		{"14078512345", []string{"Nordmann"}},
		{"140785 12345", []string{"Nordmann"}},
		{"140785", []string{"Nordmann"}},
		{"14078512346", nil},
		// Phone numbers as people type them.
		{"91234567", []string{"Nordmann"}},
		{"912 34 567", []string{"Nordmann"}},
		{"+47 912 34 567", []string{"Nordmann"}},
		{"+4791234567", []string{"Nordmann"}},
		{"004791234567", []string{"Nordmann"}},
		{"4791234567", []string{"Nordmann"}},
		{"912", []string{"Nordmann"}},
		{"412 34 567", []string{"Hansen"}},
		{"+46 70 123", []string{"Bråten"}},
		{"004670123", []string{"Bråten"}},
		{"22334455", []string{"Ås"}},
		{"900", []string{"Nordby"}},
		// Birth dates.
		{"14.07.1985", []string{"Nordmann"}},
		{"14.7.1985", []string{"Nordmann"}},
		{"14/07/1985", []string{"Nordmann"}},
		{"1985-07-14", []string{"Nordmann"}},
		{"14071985", []string{"Nordmann"}},
		{"31.1.1990", []string{"Hansen"}},
		{"5.3.1972", []string{"Bråten"}},
		{"1985", []string{"Nordmann"}},
		{"15.07.1985", nil},
		{"31.02.1985", nil},
		// Combinations: every part must match.
		{"kari 1985", []string{"Nordmann"}},
		{"kari 14.07.1985", []string{"Nordmann"}},
		{"kari 1990", nil},
		{"hansen 412", []string{"Hansen"}},
		// Everyone, nobody, and FTS5 syntax taken as text.
		{"", all},
		{"   ", all},
		{"zzz", nil},
		{"12345678901234567890", nil},
		{`"kari" OR ola`, nil},
		{"kari*", []string{"Nordby", "Nordmann"}},
		{`nordmann"`, []string{"Nordmann"}},
		{"NEAR(kari)", nil},
		{"family_name:kari", nil},
		{"(kari)", []string{"Nordby", "Nordmann"}},
		{"-kari", []string{"Nordby", "Nordmann"}},
		{"^kari", []string{"Nordby", "Nordmann"}},
		{strings.Repeat("a ", 100), []string{"Aas"}},
		{strings.Repeat("ab ac ", 20), nil},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			page, err := db.SearchClients(context.Background(), register.Query{Q: tt.q})
			if err != nil {
				t.Fatalf("SearchClients(%q): %v", tt.q, err)
			}
			got := []string{}
			for _, c := range page.Results {
				got = append(got, c.FamilyName)
				if c.ID != ids[c.FamilyName] {
					t.Errorf("result %s has id %d, want %d", c.FamilyName, c.ID, ids[c.FamilyName])
				}
			}
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if !slices.Equal(got, want) || page.Total != len(want) {
				t.Errorf("SearchClients(%q) = %v (total %d), want %v", tt.q, got, page.Total, want)
			}
		})
	}
}

func TestSearchFindsChangedNames(t *testing.T) {
	db, ids := seedSearch(t)
	ctx := context.Background()
	c, err := db.GetClient(ctx, ids["Nordmann"])
	if err != nil {
		t.Fatal(err)
	}
	c.FamilyName, c.Phone, c.NIN, c.BirthDate = "Østby", "99 88 77 66", "", "1985-07-15"
	if _, err := db.UpdateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{
		"nordmann": 0, "østby kari": 1, "912 34 567": 0, "99887766": 1,
		"14078512345": 0, "14.07.1985": 0, "15.07.1985": 1,
	} {
		page, err := db.SearchClients(ctx, register.Query{Q: q})
		if err != nil || page.Total != want {
			t.Errorf("after update, %q: total %d, %v; want %d", q, page.Total, err, want)
		}
	}
}

// TestSearchOrder checks the Norwegian alphabet: Æ, Ø, Å after Z, accents
// and case ignored, family name before given name.
func TestSearchOrder(t *testing.T) {
	db := openTest(t)
	names := [][2]string{ // family, given; in the expected order
		{"Aas", "Per"}, {"Berg", "Anne"}, {"Berg", "Ola"}, {"berg", "Per"}, {"Berg-Hansen", "Liv"},
		{"Bergh", "Kari"}, {"Éclair", "Eva"}, {"Eide", "Jon"}, {"Zahl", "Ida"},
		{"Ærø", "Emma"}, {"Ødegård", "Siri"}, {"Østby", "Tor"}, {"Ås", "Gro"}, {"Åsen", "Bodil"},
	}
	// Store them in a shuffled order so ids do not give the answer.
	for _, i := range []int{7, 3, 12, 0, 9, 5, 13, 1, 10, 4, 8, 2, 11, 6} {
		mustCreate(t, db, register.Client{FamilyName: names[i][0], GivenName: names[i][1]})
	}
	page, err := db.SearchClients(context.Background(), register.Query{})
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, c := range page.Results {
		got = append(got, c.FamilyName+" "+c.GivenName)
	}
	for _, n := range names {
		want = append(want, n[0]+" "+n[1])
	}
	if !slices.Equal(got, want) {
		t.Errorf("order\n got %v\nwant %v", got, want)
	}
}

// TestSearchPaging pages through result sets of every size the search
// handles differently (a few hits, many, most of the register) and checks
// the pages against the expected order computed here.
func TestSearchPaging(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	families := []string{"Ås", "Berg", "Øvre", "Lie", "Aune", "Zahl", "Ærø"}
	givens := []string{"Kari", "Ola"}
	const n = 2100
	type entry struct {
		key string
		id  int64
		c   register.Client
	}
	cs := make([]register.Client, n)
	for i := range cs {
		cs[i] = register.Client{
			GivenName:  givens[i%2],
			FamilyName: families[i%7],
			MiddleName: fmt.Sprintf("M%c", 'a'+rune(i%23)),
		}
		if i%30 == 0 {
			cs[i].MiddleName = "Sjelden"
		}
	}
	if err := db.ImportClients(ctx, cs); err != nil {
		t.Fatal(err)
	}
	stored := make([]entry, 0, n)
	for id := int64(1); id <= n; id++ {
		c, err := db.GetClient(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, entry{sortKey(c.FamilyName, c.GivenName, c.MiddleName), id, c})
	}
	slices.SortFunc(stored, func(a, b entry) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return int(a.id - b.id)
	})
	tests := []struct {
		q     string
		match func(register.Client) bool
	}{
		{"", func(register.Client) bool { return true }},
		{"kari", func(c register.Client) bool { return c.GivenName == "Kari" }},                          // 1050: ordered index walk
		{"ola ås", func(c register.Client) bool { return c.GivenName == "Ola" && c.FamilyName == "Ås" }}, // 150: direct
		{"berg", func(c register.Client) bool { return c.FamilyName == "Berg" }},                         // 300: direct, at the limit
		{"sjelden", func(c register.Client) bool { return c.MiddleName == "Sjelden" }},                   // 70
		{"ma", func(c register.Client) bool { return c.MiddleName == "Ma" }},
		{"m", func(c register.Client) bool { return c.MiddleName != "Sjelden" }}, // 2030
		{"kari m", func(c register.Client) bool { return c.GivenName == "Kari" && c.MiddleName != "Sjelden" }},
		{"z", func(c register.Client) bool { return c.FamilyName == "Zahl" }},
		{"ola æ", func(c register.Client) bool { return c.GivenName == "Ola" && c.FamilyName == "Ærø" }},
	}
	for _, tt := range tests {
		var want []int64
		for _, e := range stored {
			if tt.match(e.c) {
				want = append(want, e.id)
			}
		}
		for _, limit := range []int{50, 7, MaxLimit} {
			t.Run(fmt.Sprintf("%q limit %d", tt.q, limit), func(t *testing.T) {
				var got []int64
				for offset := 0; ; offset += limit {
					page, err := db.SearchClients(ctx, register.Query{Q: tt.q, Limit: limit, Offset: offset})
					if err != nil {
						t.Fatal(err)
					}
					if page.Total != len(want) {
						t.Fatalf("offset %d: total %d, want %d", offset, page.Total, len(want))
					}
					if len(page.Results) > limit {
						t.Fatalf("offset %d: %d results, limit %d", offset, len(page.Results), limit)
					}
					for _, c := range page.Results {
						got = append(got, c.ID)
					}
					if len(page.Results) < limit {
						break
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("paged results differ from the expected order (%d vs %d ids)", len(got), len(want))
				}
			})
		}
	}
}

func TestSearchLimits(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	cs := make([]register.Client, MaxLimit+20)
	for i := range cs {
		cs[i] = register.Client{GivenName: "Kari", FamilyName: "Hansen"}
	}
	if err := db.ImportClients(ctx, cs); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		limit, offset int
		wantLen       int
	}{
		{0, 0, DefaultLimit},
		{-5, 0, DefaultLimit},
		{10, 0, 10},
		{MaxLimit + 100, 0, MaxLimit},
		{10, -3, 10},
		{50, MaxLimit, 20},
		{50, len(cs), 0},
		{50, len(cs) + 1000, 0},
	}
	for _, q := range []string{"", "kari hansen"} {
		for _, tt := range tests {
			page, err := db.SearchClients(ctx, register.Query{Q: q, Limit: tt.limit, Offset: tt.offset})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Results) != tt.wantLen || page.Total != len(cs) || page.Results == nil {
				t.Errorf("q %q limit %d offset %d: %d results (nil: %v), total %d; want %d of %d",
					q, tt.limit, tt.offset, len(page.Results), page.Results == nil, page.Total, tt.wantLen, len(cs))
			}
		}
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"kari nordmann", "+47 912 34 567", "14.07.1985", `"x" OR y*`, "a\u030a", "0047", "ol ola", "1985-13-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		mq := parseQuery(q)
		if mq.none && mq.expr != "" {
			t.Fatalf("parseQuery(%q): none with expression %q", q, mq.expr)
		}
		// Only quoted letters and digits, names of our columns and the
		// operators we write reach FTS5.
		rest := mq.expr
		for _, tok := range []string{"names : ", "nin : ", "phone : ", "birth : ", " AND ", " OR ", "(", ")", "*"} {
			rest = strings.ReplaceAll(rest, tok, "")
		}
		for _, part := range strings.Split(rest, `"`) {
			if strings.ContainsAny(part, ` :*()^-+'`) {
				t.Fatalf("parseQuery(%q) = %q: unquoted syntax %q", q, mq.expr, part)
			}
		}
	})
}

func TestParseQueryReachesSQLite(t *testing.T) {
	// Every expression parseQuery writes must be valid FTS5.
	db := openTest(t)
	for _, q := range []string{"kari", "+47 912", "0047", "1985", "14.07.1985", "a b c d e f", "ø-å", "x\u0301", "١٢٣", "ǅ", "ß"} {
		if _, err := db.SearchClients(context.Background(), register.Query{Q: q}); err != nil {
			t.Errorf("SearchClients(%q): %v", q, err)
		}
	}
}

func TestWalkNameOrder(t *testing.T) {
	for _, tc := range []struct {
		total, offset, limit, size int
		want                       bool
	}{
		{0, 0, 50, 100_000, false},
		{10, 0, 50, 0, false},
		{1, 0, 50, 100_000, false},           // one hit: read it
		{22_000, 0, 50, 100_000, true},       // one letter: the page is in the first few hundred entries
		{500, 0, 50, 100_000, false},         // a rare name: 10,000 entries against 500 rows × 8
		{1_600, 0, 50, 100_000, true},        // a common family name: 3,125 entries against 1,600 rows × 8
		{22_000, 95_000, 50, 100_000, false}, // deep in the hits: sorting them is cheaper
		{100_000, 99_950, 50, 100_000, true}, // everyone: the walk is the order
	} {
		if got := walkNameOrder(tc.total, tc.offset, tc.limit, tc.size); got != tc.want {
			t.Errorf("walkNameOrder(%d, %d, %d, %d) = %v, want %v", tc.total, tc.offset, tc.limit, tc.size, got, tc.want)
		}
	}
}
