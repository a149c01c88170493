package nhnmock

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"resepsjon/persontjeneste/nhnmock/population"
)

// control sends a JSON request to the control API.
func (e *env) control(method, path string, body any) resp {
	e.t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequest(method, e.base+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return e.do(req)
}

// TestControlChangesProduceEvents: a move, a death and a name change through
// the control API each produce an event with a higher sequence number, which
// the API's event feed and the person's sequenceNumber show.
func TestControlChangesProduceEvents(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.token(singleClientID, ScopeLegalBasis, nil)
	nins := e.pop.SampleNINs(40)
	var living []string
	for _, n := range nins {
		p, _ := e.pop.ByNIN(n)
		if p.Death == nil && len(p.ResidentialAddress) > 0 {
			living = append(living, n)
		}
	}
	if len(living) < 3 {
		t.Fatalf("only %d living residents among the samples", len(living))
	}
	start := e.pop.LatestSequence()
	steps := []struct {
		path      string
		body      personChangeJSON
		eventType string
		check     func(p population.Person) bool
	}{
		{"/_mock/persons/move", personChangeJSON{NIN: living[0]}, population.EventChangeInResidentialAddress,
			func(p population.Person) bool { return len(p.ResidentialAddress) >= 2 }},
		{"/_mock/persons/rename", personChangeJSON{NIN: living[1], GivenName: "Åshild", MiddleName: "Bø", FamilyName: "Ødegård-Lie"},
			population.EventChangeInName, func(p population.Person) bool {
				n := p.CurrentName()
				return n.GivenName == "Åshild" && n.MiddleName == "Bø" && n.FamilyName == "Ødegård-Lie" && len(p.Name) >= 2
			}},
		{"/_mock/persons/die", personChangeJSON{NIN: living[2], Date: "2025-03-01"}, population.EventPersonIsDeceased,
			func(p population.Person) bool {
				return p.Death != nil && p.Death.DeceasedDate.Format(time.DateOnly) == "2025-03-01"
			}},
	}
	last := start
	for _, s := range steps {
		e.clock.Advance(time.Minute)
		r := e.control(http.MethodPost, s.path, s.body)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d %s", s.path, r.status, r.body)
		}
		var ev population.Event
		if err := json.Unmarshal(r.body, &ev); err != nil {
			t.Fatal(err)
		}
		seq, err := strconv.ParseInt(ev.SequenceNumber, 10, 64)
		if err != nil || seq <= last {
			t.Errorf("%s: sequence %q after %d, want increasing", s.path, ev.SequenceNumber, last)
		}
		last = seq
		if ev.EventType != s.eventType {
			t.Errorf("%s: event type %q, want %q", s.path, ev.EventType, s.eventType)
		}
		p, _ := e.pop.ByNIN(s.body.NIN)
		if p.ID != ev.PersonID || p.SequenceNumber != seq || !s.check(p) {
			t.Errorf("%s: person after the change: id %v, sequence %d, check %v", s.path, p.ID == ev.PersonID, p.SequenceNumber, s.check(p))
		}
	}

	// The feed over the API lists the three events in order, from the first new one.
	r := e.api(apiReq{method: http.MethodGet, path: "/api/legal-basis/event", token: tok,
		query: url.Values{"sequenceNumber": {strconv.FormatInt(start+1, 10)}}})
	var feed population.EventDocumentSearchResult
	if err := json.Unmarshal(r.body, &feed); err != nil || r.status != http.StatusOK {
		t.Fatalf("event feed: %d %s", r.status, r.body)
	}
	if len(feed.Results) != 3 {
		t.Fatalf("feed has %d events, want 3: %+v", len(feed.Results), feed.Results)
	}
	for i, s := range steps {
		if feed.Results[i].EventType != s.eventType {
			t.Errorf("feed[%d] = %s, want %s", i, feed.Results[i].EventType, s.eventType)
		}
	}
	r = e.api(apiReq{method: http.MethodGet, path: "/api/legal-basis/event/latest", token: tok})
	if latest := r.json(t); latest["sequenceNumber"] != strconv.FormatInt(last, 10) {
		t.Errorf("latest event %v, want sequence %d", latest, last)
	}

	// Changes that cannot happen are refused.
	for _, bad := range []struct {
		path string
		body personChangeJSON
	}{
		{"/_mock/persons/move", personChangeJSON{NIN: living[2]}}, // deceased
		{"/_mock/persons/die", personChangeJSON{NIN: "00000000000"}},
		{"/_mock/persons/rename", personChangeJSON{NIN: living[0]}}, // no name
		{"/_mock/persons/die", personChangeJSON{NIN: living[0], Date: "1.3.2025"}},
		{"/_mock/persons/move", personChangeJSON{}},
	} {
		if r := e.control(http.MethodPost, bad.path, bad.body); r.status != http.StatusBadRequest {
			t.Errorf("%s %+v: %d, want 400", bad.path, bad.body, r.status)
		}
	}
	if got := e.pop.LatestSequence(); got != last {
		t.Errorf("refused changes moved the sequence to %d from %d", got, last)
	}
}

// TestControlFaultsAndOrganisations drives faults, delegations, agreements and
// client registration through the control API.
func TestControlFaultsAndOrganisations(t *testing.T) {
	e := newEnv(t, nil)
	r := e.control(http.MethodPut, "/_mock/faults", faultsJSON{Latency: "5ms", ErrorRate: 0.25, RateLimitEvery: 3, RetryAfter: "2s"})
	if r.status != http.StatusOK {
		t.Fatalf("PUT faults: %d %s", r.status, r.body)
	}
	want := Faults{Latency: 5 * time.Millisecond, ErrorRate: 0.25, RateLimitEvery: 3, RetryAfter: 2 * time.Second}
	if got := e.mock.Faults(); got != want {
		t.Errorf("faults = %+v, want %+v", got, want)
	}
	var got faultsJSON
	if err := json.Unmarshal(e.control(http.MethodGet, "/_mock/faults", nil).body, &got); err != nil || got.RetryAfter != "2s" || got.Latency != "5ms" {
		t.Errorf("GET faults = %+v, %v", got, err)
	}
	for _, bad := range []faultsJSON{{ErrorRate: 2}, {Latency: "soon"}, {RateLimitEvery: -1}, {RetryAfter: "-1s"}} {
		if r := e.control(http.MethodPut, "/_mock/faults", bad); r.status != http.StatusBadRequest {
			t.Errorf("PUT faults %+v: %d, want 400", bad, r.status)
		}
	}
	e.control(http.MethodPut, "/_mock/faults", faultsJSON{HelseIDDown: true})
	req, _ := http.NewRequest(http.MethodGet, e.base+pathDiscovery, nil)
	if r := e.do(req); r.status != http.StatusServiceUnavailable || r.json(t)["error"] != "temporarily_unavailable" {
		t.Errorf("discovery with HelseID down: %d %s", r.status, r.body)
	}
	e.control(http.MethodPut, "/_mock/faults", faultsJSON{})

	// Delegation and agreement switch the multi-tenant client's access.
	tokenFor := func(org string) resp {
		return e.tokenRequest(tokenReq{clientID: multiClientID, claims: func(c map[string]any) {
			c["authorization_details"] = multiTenantDetails(org, "")
		}})
	}
	e.primeNonce()
	wantOAuthError(t, tokenFor(orgMultiUndelegated), "unauthorized_client", "delegated")
	ok := true
	if r := e.control(http.MethodPost, "/_mock/delegations", orgFlagJSON{Org: orgMultiUndelegated, OK: &ok}); r.status != http.StatusOK {
		t.Fatalf("delegation: %d %s", r.status, r.body)
	}
	tr := tokenFor(orgMultiUndelegated)
	if tr.status != http.StatusOK {
		t.Fatalf("token after delegation: %d %s", tr.status, tr.body)
	}
	tok, _ := tr.json(t)["access_token"].(string)
	wantProblem(t, e.api(apiReq{method: http.MethodGet, path: "/api/legal-basis/event/latest", token: tok}), http.StatusForbidden, "access agreement")
	e.control(http.MethodPost, "/_mock/agreements", orgFlagJSON{Org: orgMultiUndelegated, OK: &ok})
	if r := e.api(apiReq{method: http.MethodGet, path: "/api/legal-basis/event/latest", token: tok}); r.status != http.StatusOK {
		t.Errorf("after the agreement: %d %s", r.status, r.body)
	}
	if r := e.control(http.MethodPost, "/_mock/agreements", orgFlagJSON{Org: "123456789", OK: &ok}); r.status != http.StatusBadRequest {
		t.Errorf("invalid organisation number accepted: %d", r.status)
	}

	// A client registered through the control API can get a token.
	key := newECKey(t)
	if r := e.control(http.MethodPost, "/_mock/clients", clientJSON{ClientID: "registered-later", PublicJWK: key.publicJSON(t),
		Tenancy: TenancySingle, OrgNumbers: []string{orgParent}, Scopes: []string{ScopeLegalBasis}}); r.status != http.StatusCreated {
		t.Fatalf("register client: %d %s", r.status, r.body)
	}
	e.keys["registered-later"] = key
	if r := e.tokenRequest(tokenReq{clientID: "registered-later"}); r.status != http.StatusOK {
		t.Errorf("token for the registered client: %d %s", r.status, r.body)
	}

	var counters Counters
	if err := json.Unmarshal(e.control(http.MethodGet, "/_mock/counters", nil).body, &counters); err != nil || counters.TokensIssued != 2 {
		t.Errorf("counters = %+v, %v", counters, err)
	}
}

// TestControlListings: the edge cases and sample numbers the demo and tests use.
func TestControlListings(t *testing.T) {
	e := newEnv(t, nil)
	var edges map[string]string
	if err := json.Unmarshal(e.control(http.MethodGet, "/_mock/edge-cases", nil).body, &edges); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{population.EdgeDeceased, population.EdgeEmigrated, population.EdgeStrictlyConfidential,
		population.EdgeConfidential, population.EdgeFormerDNumber, population.EdgeRenamed} {
		if _, found := e.pop.ByNIN(edges[name]); !found {
			t.Errorf("edge case %s (%q) is not a person", name, edges[name])
		}
	}
	var sample []string
	if err := json.Unmarshal(e.control(http.MethodGet, "/_mock/sample-nins?n=7", nil).body, &sample); err != nil || len(sample) != 7 {
		t.Errorf("sample-nins = %v, %v", sample, err)
	}
	if r := e.control(http.MethodGet, "/_mock/sample-nins?n=0", nil); r.status != http.StatusBadRequest {
		t.Errorf("n=0: %d", r.status)
	}
	if r := e.control(http.MethodGet, "/_mock/nothing", nil); r.status != http.StatusNotFound {
		t.Errorf("unknown control endpoint: %d", r.status)
	}
	req, _ := http.NewRequest(http.MethodPost, e.base+"/_mock/persons/die", bytes.NewReader([]byte("nin=1")))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := e.do(req); r.status != http.StatusUnsupportedMediaType {
		t.Errorf("form post to the control API: %d, want 415", r.status)
	}
}

// TestControlLoopbackOnly: the control API refuses callers from elsewhere.
func TestControlLoopbackOnly(t *testing.T) {
	e := newEnv(t, nil)
	req := httptest.NewRequest(http.MethodGet, "/_mock/counters", nil)
	req.RemoteAddr = "192.0.2.10:40000"
	rec := httptest.NewRecorder()
	e.mock.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Errorf("remote caller: %d, want 403", rec.Code)
	}
}

// TestNewConfigErrors: configurations the mock cannot run with.
func TestNewConfigErrors(t *testing.T) {
	pop, err := population.New(population.Config{Seed: 1, Size: 60})
	if err != nil {
		t.Fatal(err)
	}
	key := newECKey(t)
	for name, cfg := range map[string]Config{
		"no population":        {},
		"short token lifetime": {Population: pop, TokenLifetime: time.Millisecond},
		"negative rotation":    {Population: pop, NonceRotation: -time.Second},
		"base URL scheme":      {Population: pop, BaseURL: "ftp://x"},
		"error rate":           {Population: pop, Faults: Faults{ErrorRate: 1.5}},
		"bad delegation":       {Population: pop, Delegations: []string{"123"}},
		"bad agreement":        {Population: pop, Agreements: []string{"310000010"}},
		"client without id":    {Population: pop, Clients: []RegisteredClient{{PublicJWK: key.publicJSON(t), Tenancy: TenancyMulti}}},
		"unknown tenancy": {Population: pop, Clients: []RegisteredClient{{ClientID: "x", PublicJWK: key.publicJSON(t),
			Tenancy: "both"}}},
		"single without org": {Population: pop, Clients: []RegisteredClient{{ClientID: "x", PublicJWK: key.publicJSON(t),
			Tenancy: TenancySingle}}},
		"private JWK": {Population: pop, Clients: []RegisteredClient{{ClientID: "x", PublicJWK: privateJWK(t, key),
			Tenancy: TenancyMulti}}},
		"no JWK": {Population: pop, Clients: []RegisteredClient{{ClientID: "x", Tenancy: TenancyMulti}}},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted the configuration", name)
		}
	}
}

func privateJWK(t *testing.T, k *testKey) []byte {
	t.Helper()
	jwk := k.publicJWK()
	jwk.Key = k.priv
	b, err := json.Marshal(jwk)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMockRefusesForeignHosts: a web page whose DNS name was re-pointed at
// 127.0.0.1 reaches the mock from the local browser with its own name in
// Host. The control API refuses it, and a mock started on loopback refuses
// every such request.
func TestMockRefusesForeignHosts(t *testing.T) {
	e := newEnv(t, nil)
	for _, host := range []string{"evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.evil.example:1"} {
		req := httptest.NewRequest(http.MethodPut, "/_mock/faults", bytes.NewReader([]byte(`{"persontjenestenDown":true}`)))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = "127.0.0.1:40000"
		req.Host = host
		rec := httptest.NewRecorder()
		e.mock.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("control API with Host %q: %d, want 403", host, rec.Code)
		}
	}
	if f := e.mock.Faults(); f.PersontjenestenDown {
		t.Fatal("a refused request changed the faults")
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := Start(ctx, "127.0.0.1:0", e.mock, ServeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(srv.URL)
	for _, tc := range []struct {
		host string
		want int
	}{
		{"evil.example:" + u.Port(), http.StatusForbidden},
		{u.Host, http.StatusOK},
		{"localhost:" + u.Port(), http.StatusOK},
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/_mock/counters", nil)
		req.Host = tc.host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("started mock, Host %q: %d, want %d", tc.host, resp.StatusCode, tc.want)
		}
	}
}
