package app_test

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"resepsjon/register"
	"resepsjon/store/storetest"
)

// The list answers only what the list shows; the full record stays on
// GET /api/clients/{id}.
func TestClientListIsSlim(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	in := validClient(t)
	in.Notes = "allergisk mot lateks"
	in.Email = "kari@example.org"
	in.StreetAddress = "Storgata 12 B"
	in.Status = "Deceased"
	in.DeathDate = "2024-01-31"
	in.AddressProtection = register.AddressProtectionConfidential
	r := a.do("POST", "/api/clients", in)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var created register.Client
	r.decode(t, &created)

	r = a.do("GET", "/api/clients?q=nordmann", nil)
	if r.status != 200 || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("list: %d %q %s", r.status, r.header.Get("Content-Type"), r.body)
	}
	var raw struct {
		Results []map[string]json.RawMessage `json:"results"`
		Total   int                          `json:"total"`
	}
	r.decode(t, &raw)
	if raw.Total != 1 || len(raw.Results) != 1 {
		t.Fatalf("list: %s", r.body)
	}
	var keys []string
	for k := range raw.Results[0] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"addressProtection", "birthDate", "city", "deathDate", "familyName", "givenName", "id", "middleName", "nin", "phone", "status", "version"}
	if !slices.Equal(keys, want) {
		t.Errorf("list fields %v, want %v", keys, want)
	}
	var page register.Page
	r.decode(t, &page)
	if got, want := page.Results[0], created.Summary(); got != want {
		t.Errorf("list row %+v, want %+v", got, want)
	}

	r = a.do("GET", "/api/clients/"+strconv.FormatInt(created.ID, 10), nil)
	var full register.Client
	r.decode(t, &full)
	if full.Notes != in.Notes || full.Email != in.Email || full.StreetAddress != in.StreetAddress {
		t.Errorf("full record lost fields: %+v", full)
	}

	// No match is an empty array, not null.
	if r := a.do("GET", "/api/clients?q=ingensteds", nil); string(r.body) != `{"results":[],"total":0}` {
		t.Errorf("no hits: %s", r.body)
	}
}

// GET /api/clients/ahead answers every one-character search as
// GET /api/clients would, in register.AheadSearches' order.
func TestClientListAhead(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	if err := a.db.ImportClients(context.Background(), storetest.Clients(17, 400)); err != nil {
		t.Fatal(err)
	}
	r := a.do("GET", "/api/clients/ahead?limit=3", nil)
	if r.status != 200 || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("ahead: %d %s", r.status, r.body)
	}
	var got struct {
		Answers []struct {
			Q string `json:"q"`
			register.Page
		} `json:"answers"`
	}
	r.decode(t, &got)
	want := []rune(register.AheadSearches)
	if len(got.Answers) != len(want) {
		t.Fatalf("%d answers, want %d", len(got.Answers), len(want))
	}
	hits := 0
	for i, ans := range got.Answers {
		if ans.Q != string(want[i]) {
			t.Fatalf("answer %d is for %q, want %q", i, ans.Q, string(want[i]))
		}
		r := a.do("GET", "/api/clients?limit=3&q="+url.QueryEscape(ans.Q), nil)
		var page register.Page
		r.decode(t, &page)
		if ans.Total != page.Total || !slices.Equal(ans.Results, page.Results) {
			t.Errorf("%q ahead: %+v\nasked: %+v", ans.Q, ans.Page, page)
		}
		if ans.Results == nil {
			t.Errorf("%q: results is null, not an array", ans.Q)
		}
		hits += len(ans.Results)
	}
	if hits == 0 {
		t.Fatal("no answer had a row: the comparison proved nothing")
	}
	if r := a.do("GET", "/api/clients/ahead?limit=201", nil); r.status != 400 || r.apiError(t).Code != "invalid_input" {
		t.Errorf("limit 201: %d %s", r.status, r.body)
	}
}
