package app_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"testing"

	"resepsjon/register"
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
