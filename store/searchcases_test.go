package store

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"resepsjon/register"
	"resepsjon/store/storetest"
)

// searchCasesFile holds searches and the clients the store answered them
// with, for the client list's own filtering in the browser
// (ui/pages/client-match.js), which must answer them the same (node --test
// ui/_test/).
const searchCasesFile = "../ui/_test/search-cases.json"

type searchCases struct {
	Note    string                   `json:"note"`
	Clients []register.ClientSummary `json:"clients"`
	Cases   []searchCase             `json:"cases"`
}

type searchCase struct {
	Q   string  `json:"q"`
	IDs []int64 `json:"ids"`
}

// TestSearchCasesForTheBrowser answers the searches of searchCasesFile with
// the store and checks that the file holds those answers. With
// UPDATE_SEARCH_CASES=1 in the environment it writes the file instead.
func TestSearchCasesForTheBrowser(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	cs := storetest.Clients(21, 160)
	cs = append(cs,
		register.Client{GivenName: "Hans", FamilyName: "Hansen", Phone: "+47 912 34 567", BirthDate: "1990-01-02"},
		register.Client{GivenName: "Hans Hansen", FamilyName: "Hansen-Hans", Phone: "0047 41 23 45 67"},
		register.Client{GivenName: "Åse", MiddleName: "Øyen", FamilyName: "Ærø", Phone: "+46 8 123 456 78"},
		register.Client{GivenName: "Zoë", FamilyName: "O'Brien", Phone: "4791234000", BirthDate: "2000-02-29"},
		register.Client{GivenName: "Anne-Marie", FamilyName: "d'Aubigné", BirthDate: "1985-12-31"},
		register.Client{GivenName: "Ola", FamilyName: "Nordmann", Phone: "22 22 22 22", BirthDate: "1850-01-01"},
		register.Client{GivenName: "Åsmund", FamilyName: "Aasen", Phone: "+1 555 0100"},
		register.Client{GivenName: "Ünal", FamilyName: "Öztürk", BirthDate: "1979-07-07"},
	)
	if err := db.ImportClients(ctx, cs); err != nil {
		t.Fatal(err)
	}
	all, err := db.SearchClients(ctx, register.Query{Limit: MaxLimit})
	if err != nil {
		t.Fatal(err)
	}

	var queries []string
	if os.Getenv("UPDATE_SEARCH_CASES") != "" {
		queries = searchCaseQueries(all.Results)
	} else {
		b, err := os.ReadFile(searchCasesFile)
		if err != nil {
			t.Fatal(err)
		}
		var file searchCases
		if err := json.Unmarshal(b, &file); err != nil {
			t.Fatal(err)
		}
		for _, c := range file.Cases {
			queries = append(queries, c.Q)
		}
	}
	out := searchCases{
		Note:    "Written by TestSearchCasesForTheBrowser (store/searchcases_test.go, UPDATE_SEARCH_CASES=1): searches and the ids the store answered, in name order.",
		Clients: all.Results,
	}
	for _, q := range queries {
		page, err := db.SearchClients(ctx, register.Query{Q: q, Limit: MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != len(page.Results) {
			t.Fatalf("%q: %d of %d: the register is larger than a page", q, len(page.Results), page.Total)
		}
		ids := make([]int64, 0, len(page.Results))
		for _, c := range page.Results {
			ids = append(ids, c.ID)
		}
		out.Cases = append(out.Cases, searchCase{Q: q, IDs: ids})
	}
	// One client and one case a line, so that a change shows as a diff of lines.
	var buf bytes.Buffer
	line := func(v any, last bool) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		buf.WriteString("  ")
		buf.Write(b)
		if !last {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	note, _ := json.Marshal(out.Note)
	buf.WriteString("{\n \"note\": " + string(note) + ",\n \"clients\": [\n")
	for i, c := range out.Clients {
		line(c, i == len(out.Clients)-1)
	}
	buf.WriteString(" ],\n \"cases\": [\n")
	for i, c := range out.Cases {
		line(c, i == len(out.Cases)-1)
	}
	buf.WriteString(" ]\n}\n")
	if os.Getenv("UPDATE_SEARCH_CASES") != "" {
		if err := os.WriteFile(searchCasesFile, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile(searchCasesFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, buf.Bytes()) {
		t.Fatalf("%s is not what the store answers now: run UPDATE_SEARCH_CASES=1 go test ./store -run SearchCasesForTheBrowser, and check the browser's rules (node --test ui/_test/)", searchCasesFile)
	}
}

// searchCaseQueries are searches as typed at the desk, from the clients'
// names, numbers and dates, letter by letter, and awkward input.
func searchCaseQueries(cs []register.ClientSummary) []string {
	r := rand.New(rand.NewPCG(17, 17))
	seen := map[string]bool{}
	var qs []string
	add := func(q string) {
		if !seen[q] {
			seen[q] = true
			qs = append(qs, q)
		}
	}
	prefixes := func(s string, most int) {
		rs := []rune(s)
		for i := 1; i <= min(len(rs), most); i++ {
			add(string(rs[:i]))
		}
	}
	for i := range 40 {
		c := cs[r.IntN(len(cs))]
		prefixes(c.FamilyName, 7)
		prefixes(strings.ToLower(c.GivenName)+" "+c.FamilyName, 20)
		if i%4 == 0 {
			add(strings.ToUpper(c.FamilyName[:min(3, len(c.FamilyName))]) + " " + c.GivenName)
		}
		if d := digitsOf(c.NIN); d != "" {
			prefixes(d, 11)
			add(d[:6] + " " + d[6:])
		}
		if p := c.Phone; p != "" {
			prefixes(p, 16)
			add(phoneKey(p))
			add("+47 " + phoneKey(p)[:min(4, len(phoneKey(p)))])
			add("0047" + phoneKey(p))
		}
		if b := c.BirthDate; b != "" {
			y, m, d := b[:4], b[5:7], b[8:]
			prefixes(d+"."+m+"."+y, 10)
			prefixes(d+m+y, 8)
			add(y + m + d)
			add(b)
			add(y)
			add(strings.TrimLeft(d, "0") + "." + strings.TrimLeft(m, "0") + "." + y)
			add(d + "/" + m + "/" + y)
			add(strings.ToLower(c.GivenName[:2]) + " " + y)
		}
	}
	for _, q := range []string{
		"", " ", "h", "ha", "han", "hans", "hanse", "hansen", "hansen h", "hans hansen", "hansen-hans",
		"ola-", "o'b", "o'brien", "d'aub", "aubi", "aubigne", "anne-m", "anne marie", "marie anne",
		"å", "Å", "a\u030a", "åse ærø", "ærø", "øyen", "aa", "aas", "ünal", "unal", "öz", "zoë", "zoe",
		"+47 9", "+47 912", "+4791234567", "0047", "0047 4", "00", "0", "4", "47", "479", "4791234000",
		"+46", "+46 8", "468", "+1 555", "1555",
		"1985", "1850", "1849", "2100", "2101", "31.12.1985", "1985-12-31", "31121985", "19851231",
		"29.02.2000", "29022000", "30.02.2000", "2000-02-30", "02.01.1990", "2.1.1990", "1990-1-2",
		"12345678901234567890", "123456789012", "1234567890123456", "+47123456789012345",
		"hans 1990", "hans 912", "912 34 567", "22 22", "ola 22", "nordmann 1850",
		"\"hans\"", "hans*", "h OR a", "NEAR(a b)", "a:b", "-hans", "(ola)", "ola!", "ola,nordmann",
		"a b c d e f g h i j k l m n o p q r s t u v w x y z æ ø å aa bb cc dd ee",
		"ola\u00a0nordmann", "ola\tnordmann",
	} {
		add(q)
	}
	return qs
}
