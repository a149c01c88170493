package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"resepsjon/app"
	"resepsjon/config"
	"resepsjon/lookup"
	"resepsjon/nin"
	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/persontjeneste/nhnmock"
	"resepsjon/persontjeneste/nhnmock/population"
	"resepsjon/register"
)

const ptClientID = "resepsjon-test"

// ptHarness is the real app against the in-process NHN mock, with a real
// SQLite file.
type ptHarness struct {
	*testApp
	mock *nhnmock.Mock
	nhn  *httptest.Server // the mock's server, which a test may stop
	pop  *population.Population
	keys *helseid.MemoryKeyStore
	// orgs: the practice (delegation and agreement), one without
	// delegation, one without agreement.
	orgOK, orgNoDelegation, orgNoAgreement string
	// front, when set, stands before the mock's handler (a test that lets
	// time pass with each call).
	front *atomic.Pointer[func(http.ResponseWriter, *http.Request, http.Handler)]
}

func validOrgs(t testing.TB, n int) []string {
	t.Helper()
	var out []string
	for v := 310000010; len(out) < n; v++ {
		if org, err := nin.ParseOrgNumber(strconv.Itoa(v)); err == nil {
			out = append(out, org)
		}
	}
	return out
}

func newPTHarness(t *testing.T) *ptHarness {
	t.Helper()
	return newPTHarnessWith(t, nil, nil)
}

// newPTHarnessWith is newPTHarness with hooks that may change the mock's
// Config and the app's Config before each is built.
func newPTHarnessWith(t *testing.T, mockConfig func(*nhnmock.Config), configure func(*testConfig)) *ptHarness {
	t.Helper()
	pop, err := population.New(population.Config{Seed: 1, Size: 500})
	if err != nil {
		t.Fatal(err)
	}
	orgs := validOrgs(t, 3)
	mcfg := nhnmock.Config{
		Population:  pop,
		Delegations: []string{orgs[0], orgs[2]},
		Agreements:  []string{orgs[0], orgs[1]},
	}
	if mockConfig != nil {
		mockConfig(&mcfg)
	}
	m, err := nhnmock.New(mcfg)
	if err != nil {
		t.Fatal(err)
	}
	front := &atomic.Pointer[func(http.ResponseWriter, *http.Request, http.Handler)]{}
	mockHandler := m.Handler()
	nhn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f := front.Load(); f != nil {
			(*f)(w, r, mockHandler)
			return
		}
		mockHandler.ServeHTTP(w, r)
	}))
	t.Cleanup(nhn.Close)

	keys := helseid.NewMemoryKeyStore()
	a := newTestAppWith(t, func(cfg *testConfig) {
		cfg.Keys, cfg.OSUser = keys, "resepsjonist"
		cfg.NHN = config.NHN{
			Mock:       config.NHNEnvironment{ID: "mock", Authority: nhn.URL + "/", APIBaseURL: nhn.URL},
			APIVersion: "2", LegalBasis: true, Timeout: 10 * time.Second, HelseIDTimeout: 5 * time.Second,
		}
		if configure != nil {
			configure(cfg)
		}
	})
	return &ptHarness{testApp: a, mock: m, nhn: nhn, pop: pop, keys: keys, orgOK: orgs[0], orgNoDelegation: orgs[1], orgNoAgreement: orgs[2], front: front}
}

func (h *ptHarness) status(r reply) app.PersontjenestenStatus {
	h.t.Helper()
	if r.status != http.StatusOK {
		h.t.Fatalf("status %d: %s", r.status, r.body)
	}
	var s app.PersontjenestenStatus
	r.decode(h.t, &s)
	return s
}

// setUp stores the practice settings and a key generated through the API,
// registered in the mock as the practice's vendor (multi-tenant) client.
func (h *ptHarness) setUp(org string) app.PersontjenestenStatus {
	h.t.Helper()
	st := h.status(h.do(http.MethodPut, "/api/persontjenesten/settings", map[string]any{
		"practice": map[string]string{"orgNumber": org, "name": "Testklinikken"},
		"helseid":  map[string]string{"environment": "mock", "clientId": ptClientID, "tenancy": "multi"},
	}))
	r := h.do(http.MethodPost, "/api/persontjenesten/key", map[string]any{"generate": map[string]string{"alg": "ES256"}})
	if r.status != http.StatusOK {
		h.t.Fatalf("key: %d %s", r.status, r.body)
	}
	var key app.HelseIDKey
	r.decode(h.t, &key)
	if key.KeyID == "" || key.Alg != "ES256" || strings.Contains(string(key.PublicJWK), `"d"`) {
		h.t.Fatalf("key answer %s", r.body)
	}
	if err := h.mock.RegisterClient(nhnmock.RegisteredClient{ClientID: ptClientID, PublicJWK: key.PublicJWK,
		Tenancy: nhnmock.TenancyMulti, Scopes: []string{nhnmock.ScopeLegalBasis}}); err != nil {
		h.t.Fatal(err)
	}
	return st
}

func (h *ptHarness) activate() app.PersontjenestenStatus {
	h.t.Helper()
	h.setUp(h.orgOK)
	st := h.status(h.do(http.MethodPost, "/api/persontjenesten/activate", nil))
	if !st.Activated {
		h.t.Fatalf("not activated: %+v", st)
	}
	return st
}

func TestPersontjenestenActivation(t *testing.T) {
	t.Parallel()
	h := newPTHarness(t)

	st := h.status(h.do(http.MethodGet, "/api/persontjenesten/status", nil))
	if st.Activated || st.Delegation.State != "unchecked" || st.Access.State != "unchecked" {
		t.Fatalf("fresh status %+v", st)
	}
	if !slices.Equal(st.InformationParts, persontjeneste.DefaultInformationParts()) || len(st.AvailableParts) < len(st.DefaultParts) {
		t.Errorf("parts: chosen %v, available %d", st.InformationParts, len(st.AvailableParts))
	}
	if r := h.do(http.MethodPost, "/api/persontjenesten/activate", nil); r.status != http.StatusBadRequest ||
		r.apiError(t).FieldCodes["practice.orgNumber"] != register.CodeRequired || r.apiError(t).FieldCodes["helseid.key"] == "" {
		t.Fatalf("activate without settings: %d %s", r.status, r.body)
	}

	r := h.do(http.MethodPut, "/api/persontjenesten/settings", map[string]any{"practice": map[string]string{"orgNumber": "310000011"}})
	if e := r.apiError(t); r.status != http.StatusBadRequest || e.FieldCodes["practice.orgNumber"] != "org.checksum" || e.Fields["practice.orgNumber"] == "" {
		t.Fatalf("bad org number: %d %s", r.status, r.body)
	}

	h.setUp(h.orgOK)
	st = h.status(h.do(http.MethodPost, "/api/persontjenesten/activate", nil))
	if !st.Activated || st.Delegation.State != "ok" || st.Access.State != "ok" || st.Delegation.CheckedAt == nil || st.Access.CheckedAt == nil {
		t.Fatalf("activation: %+v", st)
	}
	if st.HelseID.Alg != "ES256" || st.HelseID.KeyID == "" || len(st.HelseID.PublicJWK) < 10 {
		t.Errorf("key in status: %+v", st.HelseID)
	}

	// Changing the organisation number resets both checks.
	changeOrg := func(org string) app.PersontjenestenStatus {
		t.Helper()
		return h.status(h.do(http.MethodPut, "/api/persontjenesten/settings", map[string]any{
			"practice": map[string]string{"orgNumber": org, "name": "Testklinikken"}}))
	}
	st = changeOrg(h.orgNoDelegation)
	if st.Activated || st.Delegation.State != "unchecked" || st.Access.State != "unchecked" || st.Delegation.CheckedAt != nil {
		t.Fatalf("after org change: %+v", st)
	}
	if r := h.do(http.MethodPost, "/api/persontjenesten/search", map[string]string{"nin": h.pop.SampleNINs(1)[0]}); r.status != http.StatusConflict ||
		r.apiError(t).Code != "not_activated" {
		t.Fatalf("search after org change: %d %s", r.status, r.body)
	}

	st = h.status(h.do(http.MethodPost, "/api/persontjenesten/refresh", nil))
	if st.Activated || st.Delegation.State != "failed" || st.Delegation.Code != "no_delegation" ||
		st.Delegation.Message == "" || st.Delegation.Help == "" || !strings.Contains(st.Delegation.Link, "altinn") {
		t.Fatalf("no delegation: %+v", st.Delegation)
	}
	if st.Access.State != "unchecked" {
		t.Errorf("access checked without a token: %+v", st.Access)
	}

	changeOrg(h.orgNoAgreement)
	st = h.status(h.do(http.MethodPost, "/api/persontjenesten/activate", nil))
	if st.Activated || st.Delegation.State != "ok" || st.Access.State != "failed" || st.Access.Code != "no_agreement" ||
		st.Access.Message == "" || st.Access.Link == "" {
		t.Fatalf("no agreement: %+v / %+v", st.Delegation, st.Access)
	}

	// A wrong client id is "wrong client id or key not registered".
	h.status(h.do(http.MethodPut, "/api/persontjenesten/settings", map[string]any{
		"practice": map[string]string{"orgNumber": h.orgOK}, "helseid": map[string]string{"clientId": "no-such-client"}}))
	st = h.status(h.do(http.MethodPost, "/api/persontjenesten/activate", nil))
	if st.Delegation.Code != "invalid_client" || st.Delegation.Link == "" {
		t.Fatalf("wrong client id: %+v", st.Delegation)
	}

	// English texts on request.
	h.status(h.do(http.MethodPut, "/api/persontjenesten/settings", map[string]any{"helseid": map[string]string{"clientId": ptClientID}}))
	st = h.status(h.do(http.MethodPost, "/api/persontjenesten/refresh", nil, func(r *http.Request) { r.Header.Set("Accept-Language", "en") }))
	if !st.Activated || !strings.Contains(st.Access.Message, "access") {
		t.Fatalf("refresh back to the practice: %+v", st)
	}

	// HelseID down: the activation stays with the last confirmed checks
	// (the failed attempt is reported beside them, see
	// TestPersontjenestenRefreshKeepsActivationThroughOutage).
	h.mock.SetFaults(nhnmock.Faults{HelseIDDown: true})
	st = h.status(h.do(http.MethodPost, "/api/persontjenesten/refresh", nil))
	if !st.Activated || st.Delegation.State != "ok" || !strings.Contains(st.Delegation.Message, "HelseID") {
		t.Fatalf("HelseID down: %+v", st.Delegation)
	}
	h.mock.SetFaults(nhnmock.Faults{})

	// Deactivate removes the key from the key store.
	st = h.status(h.do(http.MethodPost, "/api/persontjenesten/refresh", nil))
	kid := st.HelseID.KeyID
	st = h.status(h.do(http.MethodPost, "/api/persontjenesten/deactivate", nil))
	if st.Activated || st.HelseID.KeyID != "" {
		t.Fatalf("deactivated: %+v", st)
	}
	if _, err := h.keys.Load(context.Background(), kid); err == nil {
		t.Error("key still in the key store after deactivation")
	}

	// Every check was audited, the failed ones too.
	rows := h.audit("")
	var activations, failed int
	for _, row := range rows {
		if row.Action == "activate" || row.Action == "refresh" {
			activations++
			if row.Outcome == "error" {
				failed++
			}
		}
	}
	if activations != 7 || failed != 4 {
		t.Errorf("activation audit rows %d (failed %d), want 7 (4)", activations, failed)
	}
}

func (h *ptHarness) audit(query string) []app.AuditRow {
	h.t.Helper()
	r := h.do(http.MethodGet, "/api/audit?limit=500"+query, nil)
	if r.status != http.StatusOK {
		h.t.Fatalf("audit: %d %s", r.status, r.body)
	}
	var out app.AuditPage
	r.decode(h.t, &out)
	if out.Total != len(out.Results) {
		h.t.Fatalf("audit total %d, %d rows", out.Total, len(out.Results))
	}
	return out.Results
}

func (h *ptHarness) search(body any) []lookup.Match {
	h.t.Helper()
	r := h.do(http.MethodPost, "/api/persontjenesten/search", body)
	if r.status != http.StatusOK {
		h.t.Fatalf("search %v: %d %s", body, r.status, r.body)
	}
	var out app.SearchAnswer
	r.decode(h.t, &out)
	if out.Total != len(out.Results) {
		h.t.Fatalf("total %d, %d results", out.Total, len(out.Results))
	}
	return out.Results
}

func (h *ptHarness) lookup(body any) app.LookupAnswer {
	h.t.Helper()
	r := h.do(http.MethodPost, "/api/persontjenesten/lookup", body)
	if r.status != http.StatusOK {
		h.t.Fatalf("lookup %v: %d %s", body, r.status, r.body)
	}
	var out app.LookupAnswer
	r.decode(h.t, &out)
	return out
}

func (h *ptHarness) create(c register.Client) register.Client {
	h.t.Helper()
	r := h.do(http.MethodPost, "/api/clients", c)
	if r.status != http.StatusCreated {
		h.t.Fatalf("create: %d %s", r.status, r.body)
	}
	var out register.Client
	r.decode(h.t, &out)
	return out
}

func (h *ptHarness) update(id int64) app.UpdateAnswer {
	h.t.Helper()
	r := h.do(http.MethodPost, fmt.Sprintf("/api/clients/%d/persontjenesten/update", id), nil)
	if r.status != http.StatusOK {
		h.t.Fatalf("update %d: %d %s", id, r.status, r.body)
	}
	var out app.UpdateAnswer
	r.decode(h.t, &out)
	return out
}

// registerPerson is the mock's current record of a person, as the app maps it.
func (h *ptHarness) registerPerson(number string) (population.Person, register.Client) {
	h.t.Helper()
	p, ok := h.pop.ByNIN(number)
	if !ok {
		h.t.Fatalf("no person %s in the mock", number)
	}
	raw, err := json.Marshal(p)
	if err != nil {
		h.t.Fatal(err)
	}
	var wire persontjeneste.Person
	if err := json.Unmarshal(raw, &wire); err != nil {
		h.t.Fatal(err)
	}
	return p, persontjeneste.ToClient(wire, time.Now())
}

func TestPersontjenestenSearchLookupCreate(t *testing.T) {
	t.Parallel()
	h := newPTHarness(t)
	h.activate()

	// A person with an address, found by name and birth date.
	var want register.Client
	for _, n := range h.pop.SampleNINs(50) {
		if _, c := h.registerPerson(n); c.City != "" && c.AddressProtection == register.AddressProtectionNone && c.Status != "Deceased" {
			want = c
			break
		}
	}
	if want.NIN == "" {
		t.Fatal("no ordinary person among the samples")
	}
	results := h.search(map[string]string{"familyName": want.FamilyName, "birthDate": want.BirthDate})
	i := slices.IndexFunc(results, func(m lookup.Match) bool { return m.PersonID == want.PersonID })
	if i < 0 {
		t.Fatalf("search by %s %s did not find the person: %+v", want.FamilyName, want.BirthDate, results)
	}
	if m := results[i]; m.NIN != want.NIN || m.City != want.City || m.Badges == nil || m.ExistingClientID != nil {
		t.Errorf("match %+v, want nin %s city %s", m, want.NIN, want.City)
	}

	got := h.lookup(map[string]string{"personId": want.PersonID})
	d := got.Draft
	if d.NIN != want.NIN || d.FamilyName != want.FamilyName || d.StreetAddress != want.StreetAddress || d.PersonID != want.PersonID ||
		d.FetchedAt == nil || d.SequenceNumber == nil || d.ID != 0 || got.ExistingClientID != nil || d.Notes != "" {
		t.Fatalf("draft %+v, want %+v", d, want)
	}
	d.Notes = "Kom via henvisning."
	created := h.create(d)
	if created.PersonID != want.PersonID || created.FetchedAt == nil || created.SequenceNumber == nil || *created.SequenceNumber != *d.SequenceNumber {
		t.Fatalf("provenance not stored: %+v", created)
	}
	stored, err := h.db.GetClient(context.Background(), created.ID)
	if err != nil || stored.PersonID != want.PersonID || stored.FetchedAt == nil || stored.SequenceNumber == nil {
		t.Fatalf("stored provenance: %+v, %v", stored, err)
	}

	// Now the person is in the register: the search and lookup say so.
	results = h.search(map[string]string{"nin": want.NIN})
	if len(results) != 1 || results[0].ExistingClientID == nil || *results[0].ExistingClientID != created.ID {
		t.Fatalf("search by nin after create: %+v", results)
	}
	if got := h.lookup(map[string]string{"nin": want.NIN}); got.ExistingClientID == nil || *got.ExistingClientID != created.ID {
		t.Errorf("lookup existing: %+v", got.ExistingClientID)
	}
	// Nothing changed in the register: no changes, notes untouched.
	if u := h.update(created.ID); len(u.Changes) != 0 || u.Draft.Notes != "Kom via henvisning." || u.Draft.Version != created.Version {
		t.Errorf("update right after import: %+v", u)
	}

	// No match is an empty list.
	if r := h.search(map[string]string{"familyName": "Qxwzyk", "birthDate": "1950-01-01"}); len(r) != 0 {
		t.Errorf("nonsense name found %v", r)
	}
	// Local validation names what is missing, before any call.
	calls := h.mock.Counters().APICalls["legal-basis search"]
	r := h.do(http.MethodPost, "/api/persontjenesten/search", map[string]string{"familyName": "Hansen"})
	if e := r.apiError(t); r.status != http.StatusBadRequest || e.FieldCodes["narrowing"] != "search.narrowing_required" || e.Fields["narrowing"] == "" {
		t.Errorf("search without narrowing: %d %s", r.status, r.body)
	}
	r = h.do(http.MethodPost, "/api/persontjenesten/search", map[string]string{"nin": "12345678901"})
	if e := r.apiError(t); r.status != http.StatusBadRequest || e.FieldCodes["nin"] != "nin.checksum" {
		t.Errorf("search with a bad number: %d %s", r.status, r.body)
	}
	if after := h.mock.Counters().APICalls["legal-basis search"]; after != calls {
		t.Errorf("invalid searches reached the API (%d -> %d)", calls, after)
	}

	// A valid number nobody has: the lookup is 404 person_not_found.
	var unknown string
	for ind := 400; unknown == ""; ind++ {
		if ind == 900 {
			t.Fatal("every synthetic number tried is in the population")
		}
		n := synthetic(t, "1961-06-15", ind)
		if _, taken := h.pop.ByNIN(n); !taken {
			unknown = n
		}
	}
	r = h.do(http.MethodPost, "/api/persontjenesten/lookup", map[string]string{"nin": unknown})
	if r.status != http.StatusNotFound || r.apiError(t).Code != "person_not_found" {
		t.Errorf("unknown person: %d %s", r.status, r.body)
	}
	if res := h.search(map[string]string{"nin": unknown}); len(res) != 0 {
		t.Errorf("unknown person found by search: %v", res)
	}
}

func TestPersontjenestenEdgeCases(t *testing.T) {
	t.Parallel()
	h := newPTHarness(t)
	h.activate()
	edges := h.pop.EdgeCases()

	t.Run("deceased", func(t *testing.T) {
		got := h.lookup(map[string]string{"nin": edges[population.EdgeDeceased]})
		if got.Draft.Status != "Deceased" || got.Draft.DeathDate == "" || !slices.Contains(got.Badges, persontjeneste.BadgeDeceased) {
			t.Fatalf("deceased draft %+v badges %v", got.Draft, got.Badges)
		}
		// A client stored before the death gets status and date as changes.
		c := got.Draft
		c.Status, c.DeathDate = "", ""
		created := h.create(c)
		u := h.update(created.ID)
		if !sameFields(u.Changes, "status", "deathDate") || u.Draft.Status != "Deceased" {
			t.Errorf("deceased update: %+v", u.Changes)
		}
	})

	t.Run("strictly confidential", func(t *testing.T) {
		number := edges[population.EdgeStrictlyConfidential]
		got := h.lookup(map[string]string{"nin": number})
		d := got.Draft
		if d.AddressProtection != register.AddressProtectionStrictlyConfidential || d.StreetAddress != "" || d.PostalCode != "" ||
			d.City != "" || d.MunicipalityNumber != "" || d.PostalAddress != "" {
			t.Fatalf("strictly confidential draft has an address: %+v", d)
		}
		created := h.create(d)
		stored, err := h.db.GetClient(context.Background(), created.ID)
		if err != nil || stored.StreetAddress != "" || stored.City != "" || stored.AddressProtection != register.AddressProtectionStrictlyConfidential {
			t.Fatalf("stored %+v %v", stored, err)
		}
		// A client stored with an address before the protection: the
		// update removes it and sets the marker.
		if r := h.do(http.MethodDelete, fmt.Sprintf("/api/clients/%d?version=%d", created.ID, created.Version), nil); r.status != http.StatusNoContent {
			t.Fatalf("delete: %d", r.status)
		}
		old := d
		old.AddressProtection = register.AddressProtectionNone
		old.StreetAddress, old.PostalCode, old.City, old.MunicipalityNumber = "Gamleveien 3", "0150", "Oslo", "0301"
		created = h.create(old)
		u := h.update(created.ID)
		if !sameFields(u.Changes, "addressProtection", "streetAddress", "postalCode", "city", "municipalityNumber") {
			t.Errorf("changes %+v", u.Changes)
		}
		if u.Draft.StreetAddress != "" || u.Draft.City != "" || u.Draft.AddressProtection != register.AddressProtectionStrictlyConfidential {
			t.Errorf("update draft keeps the address: %+v", u.Draft)
		}
	})

	t.Run("former D-number followed", func(t *testing.T) {
		dnr := edges[population.EdgeFormerDNumber]
		_, current := h.registerPerson(dnr)
		if current.NIN == dnr {
			t.Fatal("the edge case has no new number")
		}
		c := current
		c.NIN, c.NINType = dnr, ""
		created := h.create(c)
		if created.NINType != register.NINTypeSyntheticD {
			t.Fatalf("stored type %s", created.NINType)
		}
		u := h.update(created.ID)
		if !sameFields(u.Changes, "nin", "ninType") || u.Draft.NIN != current.NIN || u.Draft.ID != created.ID {
			t.Fatalf("changes %+v draft nin %s, want %s", u.Changes, u.Draft.NIN, current.NIN)
		}
		// Saving the proposal stores the current number.
		r := h.do(http.MethodPut, fmt.Sprintf("/api/clients/%d", created.ID), u.Draft)
		var saved register.Client
		r.decode(t, &saved)
		if r.status != http.StatusOK || saved.NIN != current.NIN || saved.NINType != register.NINTypeSynthetic {
			t.Fatalf("save: %d %s", r.status, r.body)
		}
	})

	t.Run("moved", func(t *testing.T) {
		var number string
		for _, n := range h.pop.SampleNINs(80)[40:] {
			if _, c := h.registerPerson(n); c.City != "" && c.AddressProtection == register.AddressProtectionNone && c.Status == "Resident" {
				number = n
				break
			}
		}
		if number == "" {
			t.Fatal("no resident among the samples")
		}
		created := h.create(h.lookup(map[string]string{"nin": number}).Draft)
		if _, err := h.pop.MoveRandom(number); err != nil {
			t.Fatal(err)
		}
		_, moved := h.registerPerson(number)
		u := h.update(created.ID)
		want := lookup.Diff(created, moved)
		if len(want) == 0 {
			t.Fatal("the move changed nothing")
		}
		for _, ch := range u.Changes {
			switch ch.Field.Name {
			case "streetAddress", "postalCode", "city", "municipalityNumber", "postalAddress":
			default:
				t.Errorf("a move changed %s", ch.Field.Name)
			}
		}
		if len(u.Changes) != len(want) {
			t.Fatalf("changes %+v, want %+v", u.Changes, want)
		}
		for i := range want {
			if u.Changes[i] != want[i] {
				t.Errorf("change %d: %+v, want %+v", i, u.Changes[i], want[i])
			}
		}
		if u.Draft.StreetAddress != moved.StreetAddress || u.Draft.Version != created.Version || *u.Draft.SequenceNumber <= *created.SequenceNumber {
			t.Errorf("draft %+v", u.Draft)
		}
	})

	t.Run("information parts", func(t *testing.T) {
		st := h.status(h.do(http.MethodPut, "/api/persontjenesten/settings", map[string]any{
			"informationParts": []string{"Name", "NorwegianIdentificationNumber", "Birth"}}))
		if !st.Activated || !slices.Equal(st.InformationParts, []persontjeneste.InformationPart{"Birth", "NorwegianIdentificationNumber", "Name"}) {
			t.Fatalf("parts %v activated %v", st.InformationParts, st.Activated)
		}
		number := h.pop.SampleNINs(7)[6]
		_, full := h.registerPerson(number)
		got := h.lookup(map[string]string{"nin": number})
		if got.Draft.FamilyName != full.FamilyName || got.Draft.StreetAddress != "" || got.Draft.City != "" || got.Draft.Gender != "" {
			t.Errorf("draft with three parts: %+v", got.Draft)
		}
		// With fewer parts an update never proposes to erase the rest.
		created := h.create(full)
		if u := h.update(created.ID); len(u.Changes) != 0 {
			t.Errorf("changes with fewer parts: %+v", u.Changes)
		}
		r := h.do(http.MethodPut, "/api/persontjenesten/settings", map[string]any{"informationParts": []string{"Nonsense"}})
		if r.status != http.StatusBadRequest || r.apiError(t).FieldCodes["informationParts"] == "" {
			t.Errorf("unknown part: %d %s", r.status, r.body)
		}
		h.status(h.do(http.MethodPut, "/api/persontjenesten/settings", map[string]any{"informationParts": persontjeneste.DefaultInformationParts()}))
	})
}

func sameFields(changes []lookup.Change, fields ...string) bool {
	var got []string
	for _, c := range changes {
		got = append(got, c.Field.Name)
	}
	slices.Sort(got)
	fields = slices.Clone(fields)
	slices.Sort(fields)
	return slices.Equal(got, fields)
}

func TestPersontjenestenNotActivated(t *testing.T) {
	t.Parallel()
	h := newPTHarness(t)
	number := h.pop.SampleNINs(1)[0]
	created := h.create(register.Client{NIN: number, GivenName: "Test", FamilyName: "Person"})
	for _, req := range []struct{ path, body string }{
		{"/api/persontjenesten/search", `{"nin":"` + number + `"}`},
		{"/api/persontjenesten/lookup", `{"nin":"` + number + `"}`},
		{fmt.Sprintf("/api/clients/%d/persontjenesten/update", created.ID), ""},
	} {
		var body any
		if req.body != "" {
			body = req.body
		}
		r := h.do(http.MethodPost, req.path, body)
		if e := r.apiError(t); r.status != http.StatusConflict || e.Code != "not_activated" || e.Message == "" {
			t.Errorf("%s: %d %s", req.path, r.status, r.body)
		}
	}
	if n := len(h.mock.Counters().APICalls); n != 0 {
		t.Errorf("the API was called %d ways before activation", n)
	}
}

func TestPersontjenestenUnavailable(t *testing.T) {
	t.Parallel()
	h := newPTHarness(t)
	h.activate()
	number := h.pop.SampleNINs(3)[2]
	created := h.create(h.lookup(map[string]string{"nin": number}).Draft)
	before := len(h.audit(""))

	h.mock.SetFaults(nhnmock.Faults{PersontjenestenDown: true})
	r := h.do(http.MethodPost, fmt.Sprintf("/api/clients/%d/persontjenesten/update", created.ID), nil)
	if e := r.apiError(t); r.status != http.StatusServiceUnavailable || e.Code != "nhn_unavailable" || e.Message == "" {
		t.Fatalf("update while down: %d %s", r.status, r.body)
	}
	r = h.do(http.MethodPost, "/api/persontjenesten/search", map[string]string{"familyName": "Hansen", "municipalityNumber": "0301"})
	if r.status != http.StatusServiceUnavailable || r.apiError(t).Code != "nhn_unavailable" {
		t.Fatalf("search while down: %d %s", r.status, r.body)
	}
	h.mock.SetFaults(nhnmock.Faults{})

	stored, err := h.db.GetClient(context.Background(), created.ID)
	if err != nil || stored.Version != created.Version || stored.UpdatedAt != created.UpdatedAt {
		t.Errorf("client changed while NHN was down: %+v %v", stored, err)
	}
	rows := h.audit("")
	if len(rows) != before+2 {
		t.Fatalf("audit rows %d -> %d, want 2 more", before, len(rows))
	}
	for _, row := range rows[:2] {
		if row.Outcome != "error" || row.ErrorCode != "nhn_unavailable" {
			t.Errorf("audit row while down: %+v", row)
		}
	}
}

// auditWatch passes audit rows on to the log and then to the test.
type auditWatch struct {
	register.AuditLog
	written chan register.AuditEntry
}

func (w auditWatch) RecordAudit(ctx context.Context, e register.AuditEntry) (int64, error) {
	id, err := w.AuditLog.RecordAudit(ctx, e)
	select {
	case w.written <- e:
	default: // the test reads only the rows it waits for
	}
	return id, err
}

func TestPersontjenestenCancel(t *testing.T) {
	t.Parallel()
	written := make(chan register.AuditEntry, 256)
	h := newPTHarnessWith(t, nil, func(c *testConfig) {
		c.WrapAudit = func(l register.AuditLog) register.AuditLog { return auditWatch{AuditLog: l, written: written} }
	})
	h.activate()
	person, ok := h.pop.ByNIN(h.pop.SampleNINs(1)[0])
	if !ok {
		t.Fatal("no sample person")
	}
	h.mock.SetFaults(nhnmock.Faults{Latency: 30 * time.Second})
	defer h.mock.SetFaults(nhnmock.Faults{})

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.base+"/api/persontjenesten/lookup",
		strings.NewReader(`{"personId":"`+person.ID+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+h.token)
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("the request was answered (%d) instead of cancelled", resp.StatusCode)
	}
	// The server notices the closed request, stops the call and logs it,
	// well before the mock would have answered.
	for {
		select {
		case e := <-written:
			if e.Action != register.ActionLookup {
				continue
			}
			if rows := h.audit("&action=lookup"); len(rows) != 1 || rows[0].Outcome != "error" || rows[0].ErrorCode != "cancelled" {
				t.Fatalf("cancelled lookup audited as %+v", rows)
			}
			return
		case <-time.After(10 * time.Second):
			t.Fatal("the cancelled lookup was not audited before the mock would have answered")
		}
	}
}

func TestPersontjenestenKeys(t *testing.T) {
	t.Parallel()
	h := newPTHarness(t)
	h.setUp(h.orgOK)

	// Import a key made elsewhere (JWK): it becomes the active key and
	// replaces the generated one, which leaves the key store.
	before := h.status(h.do(http.MethodGet, "/api/persontjenesten/status", nil)).HelseID.KeyID
	k, err := helseid.GenerateKey(helseid.AlgRS256)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := k.PrivateJWK()
	if err != nil {
		t.Fatal(err)
	}
	r := h.do(http.MethodPost, "/api/persontjenesten/key", map[string]any{"import": map[string]string{"key": string(priv)}})
	var got struct {
		KeyID string `json:"keyId"`
		Alg   string `json:"alg"`
	}
	r.decode(t, &got)
	if r.status != http.StatusOK || got.KeyID != k.KID() || got.Alg != helseid.AlgRS256 || strings.Contains(string(r.body), `"d"`) {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	st := h.status(h.do(http.MethodGet, "/api/persontjenesten/status", nil))
	if st.HelseID.KeyID != k.KID() || st.Activated || st.Delegation.State != "unchecked" {
		t.Errorf("status after import %+v", st)
	}
	if _, err := h.keys.Load(context.Background(), before); err == nil {
		t.Error("the replaced key is still in the key store")
	}
	// The new key is not registered in HelseID yet: "wrong client id or key".
	st = h.status(h.do(http.MethodPost, "/api/persontjenesten/activate", nil))
	if st.Delegation.Code != "invalid_client" {
		t.Errorf("unregistered key: %+v", st.Delegation)
	}

	for _, body := range []map[string]any{
		{"import": map[string]string{"key": "-----BEGIN PRIVATE KEY-----\nbm9wZQ==\n-----END PRIVATE KEY-----\n"}},
		{"import": map[string]string{"key": ""}},
		{"generate": map[string]string{"alg": "HS256"}},
		{},
	} {
		r := h.do(http.MethodPost, "/api/persontjenesten/key", body)
		if r.status != http.StatusBadRequest || r.apiError(t).Code != "invalid_input" {
			t.Errorf("key %v: %d %s", body, r.status, r.body)
		}
	}
}

func TestPersontjenestenInvalidScope(t *testing.T) {
	t.Parallel()
	h := newPTHarness(t)
	h.setUp(h.orgOK)
	// The client is registered without the Persontjenesten scope.
	st := h.status(h.do(http.MethodGet, "/api/persontjenesten/status", nil))
	if err := h.mock.RegisterClient(nhnmock.RegisteredClient{ClientID: ptClientID, PublicJWK: st.HelseID.PublicJWK,
		Tenancy: nhnmock.TenancyMulti, Scopes: []string{nhnmock.ScopeNoLegalBasis}}); err != nil {
		t.Fatal(err)
	}
	st = h.status(h.do(http.MethodPost, "/api/persontjenesten/activate", nil))
	if st.Activated || st.Delegation.Code != "invalid_scope" || st.Delegation.Help == "" {
		t.Fatalf("without the scope: %+v", st.Delegation)
	}
}

func TestPersontjenestenWithoutKeyring(t *testing.T) {
	t.Parallel()
	a := newTestApp(t) // no key store: as on a machine without a keyring
	r := a.do(http.MethodPost, "/api/persontjenesten/key", map[string]any{"generate": map[string]string{"alg": "ES256"}})
	if e := r.apiError(t); r.status != http.StatusServiceUnavailable || e.Code != "keyring_unavailable" || e.Message == "" {
		t.Fatalf("generate without keyring: %d %s", r.status, r.body)
	}
}
