package persontjeneste

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// recorded is one request the fake API received.
type recorded struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Form   url.Values // parsed form body, nil without one
}

// reply is what the fake API answers.
type reply struct {
	status int
	body   string
	header map[string]string
	drop   bool // close the connection without answering
}

// fakeAPI is a loopback Persontjenesten that records requests, checks each
// against the contract and answers from a script; it also checks that each
// scripted answer is one the contract allows.
type fakeAPI struct {
	t        *testing.T
	contract *contract
	srv      *httptest.Server
	respond  func(n int, r recorded) reply

	mu       sync.Mutex
	requests []recorded
}

func newFakeAPI(t *testing.T, c *contract, respond func(n int, r recorded) reply) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, contract: c, respond: respond}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		f.t.Errorf("read request body: %v", err)
		return
	}
	rec := recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone()}
	if len(body) > 0 {
		if rec.Form, err = url.ParseQuery(string(body)); err != nil {
			f.t.Errorf("request body is not form-encoded: %v", err)
		}
	}
	f.mu.Lock()
	n := len(f.requests)
	f.requests = append(f.requests, rec)
	f.mu.Unlock()

	var in *openapi3filter.RequestValidationInput
	if f.contract != nil {
		if in, err = f.contract.checkRequest(r, body); err != nil {
			f.t.Errorf("request %s %s breaks the contract: %v", r.Method, r.URL.Path, err)
		}
	}
	rep := f.respond(n, rec)
	if rep.drop {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			f.t.Errorf("hijack: %v", err)
			return
		}
		conn.Close()
		return
	}
	header := http.Header{}
	if rep.body != "" {
		header.Set("Content-Type", "application/json")
	}
	for k, v := range rep.header {
		header.Set(k, v)
	}
	if in != nil {
		if err := f.contract.checkResponse(in, rep.status, header, []byte(rep.body)); err != nil {
			f.t.Errorf("canned %d answer to %s breaks the contract: %v", rep.status, r.URL.Path, err)
		}
	}
	for k, v := range header {
		w.Header()[k] = v
	}
	w.WriteHeader(rep.status)
	io.WriteString(w, rep.body)
}

func (f *fakeAPI) recorded() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

// sleeps records the delays a client asked to wait, without waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) delays() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.d)
}

func newTestClient(t *testing.T, f *fakeAPI, s *sleeps, edit func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		BaseURL:    f.srv.URL,
		HTTP:       f.srv.Client(),
		LegalBasis: true,
		Timeout:    5 * time.Second,
		Retry:      RetryPolicy{Sleep: s.sleep},
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func jsonReply(body string) reply { return reply{status: http.StatusOK, body: body} }

func problem(status int, title, detail string) string {
	b, _ := json.Marshal(ProblemDetails{Type: "https://tools.ietf.org/html/rfc9110", Title: title, Status: &status, Detail: detail})
	return string(b)
}

func TestClientCalls(t *testing.T) {
	c := loadContract(t)
	defaultParts := url.Values{"informationParts": partStrings(DefaultInformationParts())}
	const nin = "05898540032"
	const personID = "b9dc63e3c1e325f7bee6d09801e19dfa8efccdf57ec9b4cc892cde7848847203"

	tests := []struct {
		name        string
		edit        func(*Config)
		call        func(ctx context.Context, c *Client) (any, error)
		reply       reply
		wantMethod  string
		wantPath    string
		wantQuery   url.Values
		wantForm    url.Values // nil: no body expected
		wantVersion string
		check       func(t *testing.T, got any)
	}{
		{
			name:  "get by nin with default parts",
			call:  func(ctx context.Context, c *Client) (any, error) { return c.GetByNIN(ctx, nin, nil, false) },
			reply: jsonReply(fixtureOrdinary), wantMethod: http.MethodPost, wantPath: "/api/legal-basis/person/get-by-nin",
			wantQuery: defaultParts, wantForm: url.Values{"nin": {nin}}, wantVersion: "2",
			check: func(t *testing.T, got any) {
				if p := got.(Person); p.ID != personID || !p.HasNIN(nin) {
					t.Errorf("person = %+v", p)
				}
			},
		},
		{
			name: "get by nin with history and chosen parts",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetByNIN(ctx, " 08877910017 ", []InformationPart{"Name", "NorwegianIdentificationNumber"}, true)
			},
			reply: jsonReply(fixtureDNumberToFnr), wantMethod: http.MethodPost, wantPath: "/api/legal-basis/person/get-by-nin",
			wantQuery: url.Values{"informationParts": {"Name", "NorwegianIdentificationNumber"}, "includeHistory": {"true"}},
			wantForm:  url.Values{"nin": {"08877910017"}}, wantVersion: "2",
			check: func(t *testing.T, got any) {
				if p := got.(Person); !p.HasNIN("48877910000") {
					t.Errorf("historic D-number missing from %+v", p.NorwegianIdentificationNumber)
				}
			},
		},
		{
			name: "get by id",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetByID(ctx, personID, []InformationPart{"Name"}, false)
			},
			reply: jsonReply(fixtureOrdinary), wantMethod: http.MethodGet, wantPath: "/api/legal-basis/person/" + personID,
			wantQuery: url.Values{"informationParts": {"Name"}}, wantVersion: "2",
			check: func(t *testing.T, got any) {
				if p := got.(Person); len(p.Name) != 1 || p.Name[0].GivenName != "Åse" {
					t.Errorf("name = %+v", p.Name)
				}
			},
		},
		{
			name:  "no legal basis route and api version 3",
			edit:  func(cfg *Config) { cfg.LegalBasis = false; cfg.APIVersion = "3" },
			call:  func(ctx context.Context, c *Client) (any, error) { return c.GetByID(ctx, personID, nil, true) },
			reply: jsonReply(fixtureOrdinary), wantMethod: http.MethodGet, wantPath: "/api/no-legal-basis/person/" + personID,
			wantQuery: url.Values{"informationParts": partStrings(DefaultInformationParts()), "includeHistory": {"true"}}, wantVersion: "3",
			check: func(t *testing.T, got any) {
				if got.(Person).ID != personID {
					t.Errorf("person id = %q", got.(Person).ID)
				}
			},
		},
		{
			name: "bulk by nin leaves out unknown numbers",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.BulkByNIN(ctx, []string{nin, "00000000000", "30926615021"}, nil)
			},
			reply:      jsonReply("[" + fixtureOrdinary + "," + fixtureKRR + "]"),
			wantMethod: http.MethodPost, wantPath: "/api/legal-basis/person/bulk-by-nin", wantQuery: defaultParts,
			wantForm: url.Values{"nins": {nin, "00000000000", "30926615021"}}, wantVersion: "2",
			check: func(t *testing.T, got any) {
				ps := got.([]Person)
				if len(ps) != 2 || !ps[0].HasNIN(nin) || !ps[1].HasNIN("30926615021") {
					t.Errorf("persons = %+v", ps)
				}
			},
		},
		{
			name: "bulk by id",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.BulkByID(ctx, []string{personID}, []InformationPart{"Name", "Status"})
			},
			reply:      jsonReply("[" + fixtureOrdinary + "]"),
			wantMethod: http.MethodPost, wantPath: "/api/legal-basis/person/bulk-by-id",
			wantQuery: url.Values{"informationParts": {"Name", "Status"}},
			wantForm:  url.Values{"personIds": {personID}}, wantVersion: "2",
			check: func(t *testing.T, got any) {
				if ps := got.([]Person); len(ps) != 1 || ps[0].ID != personID {
					t.Errorf("persons = %+v", ps)
				}
			},
		},
		{
			name: "search",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Search(ctx, SearchQuery{GivenName: " Åse", FamilyName: "Prøvesen", BirthDate: "1985-09-05", PostalCode: "0150"}, nil)
			},
			reply:      jsonReply(`{"results":[` + fixtureOrdinary + `,` + fixtureSeparatePostal + `]}`),
			wantMethod: http.MethodPost, wantPath: "/api/legal-basis/search/person", wantQuery: defaultParts,
			wantForm:    url.Values{"GivenName": {"Åse"}, "FamilyName": {"Prøvesen"}, "BirthDate": {"1985-09-05"}, "PostalCode": {"0150"}},
			wantVersion: "2",
			check: func(t *testing.T, got any) {
				if ps := got.([]Person); len(ps) != 2 {
					t.Errorf("got %d persons, want 2", len(ps))
				}
			},
		},
		{
			name: "search without matches",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Search(ctx, SearchQuery{FullName: "Ingen Slik", MunicipalityNumber: "0301"}, []InformationPart{"Name"})
			},
			reply:      jsonReply(`{"results":[]}`),
			wantMethod: http.MethodPost, wantPath: "/api/legal-basis/search/person", wantQuery: url.Values{"informationParts": {"Name"}},
			wantForm: url.Values{"FullName": {"Ingen Slik"}, "MunicipalityNumber": {"0301"}}, wantVersion: "2",
			check: func(t *testing.T, got any) {
				if ps := got.([]Person); len(ps) != 0 {
					t.Errorf("got %d persons, want none", len(ps))
				}
			},
		},
		{
			name: "events from a sequence number, filtered",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Events(ctx, 42, []string{"ChangeInName", "PersonIsDeceased"})
			},
			reply: jsonReply(`{"results":[{"sequenceNumber":"42","personId":"` + personID + `","eventType":"ChangeInName"},` +
				`{"sequenceNumber":"57","personId":"` + personID + `","eventType":"PersonIsDeceased"}]}`),
			wantMethod: http.MethodGet, wantPath: "/api/legal-basis/event",
			wantQuery:   url.Values{"sequenceNumber": {"42"}, "eventTypes": {"ChangeInName", "PersonIsDeceased"}},
			wantVersion: "2",
			check: func(t *testing.T, got any) {
				evs := got.([]EventDocument)
				if len(evs) != 2 {
					t.Fatalf("got %d events", len(evs))
				}
				if seq, err := evs[1].Sequence(); err != nil || seq != 57 || evs[1].EventType != "PersonIsDeceased" {
					t.Errorf("second event = %+v (sequence %d, %v)", evs[1], seq, err)
				}
			},
		},
		{
			name:       "events from the start",
			call:       func(ctx context.Context, c *Client) (any, error) { return c.Events(ctx, 0, nil) },
			reply:      jsonReply(`{"results":[]}`),
			wantMethod: http.MethodGet, wantPath: "/api/legal-basis/event", wantQuery: url.Values{}, wantVersion: "2",
			check: func(t *testing.T, got any) {
				if evs := got.([]EventDocument); len(evs) != 0 {
					t.Errorf("events = %+v", evs)
				}
			},
		},
		{
			name:       "latest event",
			call:       func(ctx context.Context, c *Client) (any, error) { return c.LatestEvent(ctx) },
			reply:      jsonReply(`{"sequenceNumber":"9000001","personId":"` + personID + `","eventType":"ChangeInResidentialAddress"}`),
			wantMethod: http.MethodGet, wantPath: "/api/legal-basis/event/latest", wantQuery: url.Values{}, wantVersion: "2",
			check: func(t *testing.T, got any) {
				if seq, err := got.(EventDocument).Sequence(); err != nil || seq != 9000001 {
					t.Errorf("sequence = %d, %v", seq, err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t, c, func(int, recorded) reply { return tt.reply })
			client := newTestClient(t, f, &sleeps{}, tt.edit)
			got, err := tt.call(context.Background(), client)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			tt.check(t, got)
			reqs := f.recorded()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != tt.wantMethod || r.Path != tt.wantPath {
				t.Errorf("request = %s %s, want %s %s", r.Method, r.Path, tt.wantMethod, tt.wantPath)
			}
			if !equalValues(r.Query, tt.wantQuery) {
				t.Errorf("query = %v, want %v", r.Query, tt.wantQuery)
			}
			if got := r.Header.Get("api-version"); got != tt.wantVersion {
				t.Errorf("api-version = %q, want %q", got, tt.wantVersion)
			}
			if got := r.Header.Get("Accept"); got != "application/json" {
				t.Errorf("Accept = %q", got)
			}
			if tt.wantForm == nil {
				if r.Form != nil || r.Header.Get("Content-Type") != "" {
					t.Errorf("unexpected body %v (Content-Type %q)", r.Form, r.Header.Get("Content-Type"))
				}
				return
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
				t.Errorf("Content-Type = %q", ct)
			}
			if !equalValues(r.Form, tt.wantForm) {
				t.Errorf("form = %v, want %v", r.Form, tt.wantForm)
			}
		})
	}
}

// equalValues compares url.Values, keeping the order of repeated keys.
func equalValues(a, b url.Values) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		if !slices.Equal(va, b[k]) {
			return false
		}
	}
	return true
}

func TestLocalRefusalsSendNothing(t *testing.T) {
	f := newFakeAPI(t, nil, func(int, recorded) reply {
		t.Error("a request was sent")
		return jsonReply("{}")
	})
	client := newTestClient(t, f, &sleeps{}, nil)
	ctx := context.Background()
	var iq *InvalidQueryError
	var sr *SearchRuleError
	tests := []struct {
		name  string
		call  func() error
		check func(error) bool
	}{
		{"empty nin", func() error { _, err := client.GetByNIN(ctx, "  ", nil, false); return err }, func(e error) bool { return errors.As(e, &iq) }},
		{"nin too long", func() error { _, err := client.GetByNIN(ctx, "0589854003200", nil, false); return err }, func(e error) bool { return errors.As(e, &iq) }},
		{"empty id", func() error { _, err := client.GetByID(ctx, "", nil, false); return err }, func(e error) bool { return errors.As(e, &iq) }},
		{"unknown part", func() error { _, err := client.GetByID(ctx, "x", []InformationPart{"Navn"}, false); return err }, func(e error) bool {
			return errors.As(e, &iq) && strings.Contains(iq.Detail, "Navn")
		}},
		{"empty bulk identifier", func() error { _, err := client.BulkByNIN(ctx, []string{"05898540032", ""}, nil); return err }, func(e error) bool { return errors.As(e, &iq) }},
		{"bulk nin too long", func() error {
			_, err := client.BulkByNIN(ctx, []string{"05898540032", "0589854003200"}, nil)
			return err
		}, func(e error) bool { return errors.As(e, &iq) && strings.Contains(iq.Detail, "1 to 12") }},
		{"bulk id too long", func() error { _, err := client.BulkByID(ctx, []string{strings.Repeat("a", 65)}, nil); return err }, func(e error) bool {
			return errors.As(e, &iq) && strings.Contains(iq.Detail, "1 to 64")
		}},
		{"search breaking a rule", func() error { _, err := client.Search(ctx, SearchQuery{FamilyName: "Testesen"}, nil); return err }, func(e error) bool {
			return errors.As(e, &sr) && sr.Rule == RuleNarrowingRequired
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil || !tt.check(err) {
				t.Errorf("error = %v", err)
			}
		})
	}
	if ps, err := client.BulkByNIN(ctx, nil, nil); err != nil || ps != nil {
		t.Errorf("empty bulk = %v, %v; want nil, nil", ps, err)
	}
}

func TestErrorMapping(t *testing.T) {
	c := loadContract(t)
	const nin = "05898540032"
	tests := []struct {
		name         string
		reply        reply
		wantRequests int
		check        func(t *testing.T, err error)
	}{
		{
			name:         "400 with problem details",
			reply:        reply{status: 400, body: problem(400, "Bad Request", "Nin must be 11 digits")},
			wantRequests: 1,
			check: func(t *testing.T, err error) {
				var iq *InvalidQueryError
				if !errors.As(err, &iq) || !strings.Contains(iq.Detail, "Nin must be 11 digits") || iq.Problem == nil {
					t.Errorf("error = %v, want *InvalidQueryError with the API's detail", err)
				}
			},
		},
		{
			name:         "404 person not found",
			reply:        reply{status: 404, body: problem(404, "Not Found", "Person not found")},
			wantRequests: 1,
			check: func(t *testing.T, err error) {
				var se *StatusError
				if !errors.Is(err, ErrNotFound) || !errors.As(err, &se) || se.Problem == nil || se.Problem.Detail != "Person not found" {
					t.Errorf("error = %v, want ErrNotFound with problem details", err)
				}
			},
		},
		{
			name:         "401 token refused",
			reply:        reply{status: 401, header: map[string]string{"WWW-Authenticate": `DPoP error="invalid_token"`}},
			wantRequests: 1,
			check: func(t *testing.T, err error) {
				if !errors.Is(err, ErrTokenRejected) || errors.Is(err, ErrUnauthorized) {
					t.Errorf("error = %v, want ErrTokenRejected (a HelseID/DPoP problem, not missing access)", err)
				}
			},
		},
		{
			name:         "401 proof refused",
			reply:        reply{status: 401, header: map[string]string{"WWW-Authenticate": `DPoP error="invalid_dpop_proof", error_description="bad iat", algs="ES256"`}},
			wantRequests: 1,
			check: func(t *testing.T, err error) {
				if !errors.Is(err, ErrTokenRejected) || errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrUnavailable) {
					t.Errorf("error = %v, want ErrTokenRejected", err)
				}
			},
		},
		{
			name:         "401 without a token error",
			reply:        reply{status: 401, header: map[string]string{"WWW-Authenticate": `DPoP algs="ES256"`}},
			wantRequests: 1,
			check: func(t *testing.T, err error) {
				if !errors.Is(err, ErrUnauthorized) {
					t.Errorf("error = %v, want ErrUnauthorized", err)
				}
			},
		},
		{
			name:         "403 no access agreement",
			reply:        reply{status: 403, body: problem(403, "Forbidden", "Organisation has not accepted the terms")},
			wantRequests: 1,
			check: func(t *testing.T, err error) {
				if !errors.Is(err, ErrNoAccess) || !strings.Contains(err.Error(), "accepted the terms") {
					t.Errorf("error = %v, want ErrNoAccess with the detail", err)
				}
			},
		},
		{
			name:         "429 asking for a longer wait than allowed",
			reply:        reply{status: 429, header: map[string]string{"Retry-After": "120"}},
			wantRequests: 1,
			check: func(t *testing.T, err error) {
				var rl *RateLimitedError
				if !errors.As(err, &rl) || rl.RetryAfter != 120*time.Second {
					t.Errorf("error = %v, want *RateLimitedError{120s}", err)
				}
			},
		},
		{
			name:         "500 after every attempt",
			reply:        reply{status: 500, body: problem(500, "Internal Server Error", "")},
			wantRequests: 3,
			check: func(t *testing.T, err error) {
				var se *StatusError
				if !errors.Is(err, ErrUnavailable) || !errors.As(err, &se) || se.StatusCode != 500 {
					t.Errorf("error = %v, want ErrUnavailable", err)
				}
			},
		},
		{
			name:         "503 without body",
			reply:        reply{status: 503},
			wantRequests: 3,
			check: func(t *testing.T, err error) {
				if !errors.Is(err, ErrUnavailable) {
					t.Errorf("error = %v, want ErrUnavailable", err)
				}
			},
		},
		{
			name:         "other 4xx",
			reply:        reply{status: 415, body: problem(415, "Unsupported Media Type", "")},
			wantRequests: 1,
			check: func(t *testing.T, err error) {
				var se *StatusError
				if !errors.As(err, &se) || se.StatusCode != 415 || !errors.Is(err, ErrRejected) || errors.Is(err, ErrUnavailable) {
					t.Errorf("error = %v, want a *StatusError 415 that is ErrRejected", err)
				}
			},
		},
		{
			name:         "422 refused, not retried",
			reply:        reply{status: 422, body: problem(422, "Unprocessable Entity", "informationParts cannot be combined")},
			wantRequests: 1,
			check: func(t *testing.T, err error) {
				var se *StatusError
				if !errors.Is(err, ErrRejected) || errors.Is(err, ErrUnavailable) || !errors.As(err, &se) ||
					se.Problem == nil || se.Problem.Detail != "informationParts cannot be combined" {
					t.Errorf("error = %v, want ErrRejected with the ProblemDetails", err)
				}
			},
		},
		{
			name:         "undecodable success",
			reply:        reply{status: 200, body: `{"name": "not a list"}`},
			wantRequests: 1,
			check: func(t *testing.T, err error) {
				if err == nil || !strings.Contains(err.Error(), "decode response") {
					t.Errorf("error = %v, want a decode error", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			contractForCase := c
			if tt.reply.status == 200 {
				contractForCase = nil // deliberately broken answer
			}
			f := newFakeAPI(t, contractForCase, func(int, recorded) reply { return tt.reply })
			client := newTestClient(t, f, &sleeps{}, nil)
			_, err := client.GetByNIN(context.Background(), nin, nil, false)
			if err == nil {
				t.Fatal("no error")
			}
			tt.check(t, err)
			if !strings.Contains(err.Error(), "get person by identity number") {
				t.Errorf("error %q lacks the operation", err)
			}
			if strings.Contains(err.Error(), nin) {
				t.Errorf("error %q carries the identity number", err)
			}
			if n := len(f.recorded()); n != tt.wantRequests {
				t.Errorf("got %d requests, want %d", n, tt.wantRequests)
			}
		})
	}
}

func TestNetworkErrorsAndTimeouts(t *testing.T) {
	t.Run("connection dropped, then answered", func(t *testing.T) {
		f := newFakeAPI(t, nil, func(n int, r recorded) reply {
			if n == 0 {
				return reply{drop: true}
			}
			return jsonReply(fixtureOrdinary)
		})
		s := &sleeps{}
		client := newTestClient(t, f, s, nil)
		p, err := client.GetByNIN(context.Background(), "05898540032", nil, false)
		if err != nil {
			t.Fatalf("GetByNIN: %v", err)
		}
		if p.ID == "" || len(f.recorded()) != 2 || len(s.delays()) != 1 {
			t.Errorf("person %q after %d requests and %d sleeps; want a person after 2 and 1", p.ID, len(f.recorded()), len(s.delays()))
		}
	})
	t.Run("attempt timeout is unavailability", func(t *testing.T) {
		release := make(chan struct{})
		f := newFakeAPI(t, nil, func(int, recorded) reply {
			<-release
			return jsonReply(fixtureOrdinary)
		})
		t.Cleanup(func() { close(release) })
		client := newTestClient(t, f, &sleeps{}, func(cfg *Config) {
			cfg.Timeout = 20 * time.Millisecond
			cfg.Retry.MaxAttempts = 1
		})
		_, err := client.GetByID(context.Background(), "abc", nil, false)
		if !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error = %v, want ErrUnavailable wrapping the deadline", err)
		}
	})
	t.Run("server gone", func(t *testing.T) {
		f := newFakeAPI(t, nil, func(int, recorded) reply { return jsonReply("{}") })
		client := newTestClient(t, f, &sleeps{}, nil)
		f.srv.Close()
		_, err := client.LatestEvent(context.Background())
		if !errors.Is(err, ErrUnavailable) {
			t.Errorf("error = %v, want ErrUnavailable", err)
		}
	})
}

func TestRetries(t *testing.T) {
	c := loadContract(t)
	base := 200 * time.Millisecond
	tests := []struct {
		name         string
		script       []reply // the last one repeats
		edit         func(*Config)
		wantErr      func(error) bool
		wantRequests int
		checkDelays  func(t *testing.T, d []time.Duration)
	}{
		{
			name:         "5xx then success",
			script:       []reply{{status: 503}, jsonReply(fixtureOrdinary)},
			wantRequests: 2,
			checkDelays: func(t *testing.T, d []time.Duration) {
				if len(d) != 1 || d[0] < base/2 || d[0] > base {
					t.Errorf("delays = %v, want one in [%v, %v]", d, base/2, base)
				}
			},
		},
		{
			name:         "429 with Retry-After is honoured",
			script:       []reply{{status: 429, header: map[string]string{"Retry-After": "2"}}, jsonReply(fixtureOrdinary)},
			wantRequests: 2,
			checkDelays: func(t *testing.T, d []time.Duration) {
				if !slices.Equal(d, []time.Duration{2 * time.Second}) {
					t.Errorf("delays = %v, want [2s]", d)
				}
			},
		},
		{
			name:         "429 without Retry-After backs off",
			script:       []reply{{status: 429}, {status: 429}, jsonReply(fixtureOrdinary)},
			wantRequests: 3,
			checkDelays: func(t *testing.T, d []time.Duration) {
				if len(d) != 2 || d[1] < base || d[1] > 2*base {
					t.Errorf("delays = %v, want the second in [%v, %v]", d, base, 2*base)
				}
			},
		},
		{
			name:         "400 is never retried",
			script:       []reply{{status: 400, body: problem(400, "Bad Request", "invalid nin")}},
			wantErr:      func(err error) bool { var iq *InvalidQueryError; return errors.As(err, &iq) },
			wantRequests: 1,
			checkDelays: func(t *testing.T, d []time.Duration) {
				if len(d) != 0 {
					t.Errorf("delays = %v, want none", d)
				}
			},
		},
		{
			name:         "attempts are bounded and back off exponentially",
			script:       []reply{{status: 502}},
			edit:         func(cfg *Config) { cfg.Retry.MaxAttempts = 4 },
			wantErr:      func(err error) bool { return errors.Is(err, ErrUnavailable) },
			wantRequests: 4,
			checkDelays: func(t *testing.T, d []time.Duration) {
				if len(d) != 3 {
					t.Fatalf("delays = %v, want 3", d)
				}
				for i, got := range d {
					step := base << i
					if got < step/2 || got > step {
						t.Errorf("delay %d = %v, want in [%v, %v]", i, got, step/2, step)
					}
				}
			},
		},
		{
			name:   "backoff is capped",
			script: []reply{{status: 500}},
			edit: func(cfg *Config) {
				cfg.Retry = RetryPolicy{MaxAttempts: 6, BaseDelay: time.Second, MaxDelay: 3 * time.Second, Sleep: cfg.Retry.Sleep}
			},
			wantErr:      func(err error) bool { return errors.Is(err, ErrUnavailable) },
			wantRequests: 6,
			checkDelays: func(t *testing.T, d []time.Duration) {
				for _, got := range d {
					if got > 3*time.Second {
						t.Errorf("delay %v above the 3s cap", got)
					}
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t, c, func(n int, r recorded) reply { return tt.script[min(n, len(tt.script)-1)] })
			s := &sleeps{}
			client := newTestClient(t, f, s, tt.edit)
			_, err := client.GetByNIN(context.Background(), "05898540032", nil, false)
			if tt.wantErr == nil && err != nil {
				t.Fatalf("GetByNIN: %v", err)
			}
			if tt.wantErr != nil && !tt.wantErr(err) {
				t.Fatalf("error = %v", err)
			}
			reqs := f.recorded()
			if len(reqs) != tt.wantRequests {
				t.Errorf("got %d requests, want %d", len(reqs), tt.wantRequests)
			}
			for i, r := range reqs {
				// Every attempt carries the whole body again.
				if got := r.Form.Get("nin"); got != "05898540032" {
					t.Errorf("attempt %d sent nin %q", i+1, got)
				}
			}
			tt.checkDelays(t, s.delays())
		})
	}
}

func TestRetryStopsWithContext(t *testing.T) {
	t.Run("cancelled during backoff", func(t *testing.T) {
		f := newFakeAPI(t, nil, func(int, recorded) reply { return reply{status: 503} })
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		client := newTestClient(t, f, nil, func(cfg *Config) {
			cfg.Retry.Sleep = func(ctx context.Context, d time.Duration) error {
				cancel() // the user closes the dialog while the client waits
				<-ctx.Done()
				return ctx.Err()
			}
		})
		_, err := client.GetByNIN(ctx, "05898540032", nil, false)
		if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrUnavailable) {
			t.Errorf("error = %v, want context.Canceled with the last failure", err)
		}
		if n := len(f.recorded()); n != 1 {
			t.Errorf("got %d requests, want 1", n)
		}
	})
	t.Run("real timer interrupted", func(t *testing.T) {
		f := newFakeAPI(t, nil, func(int, recorded) reply { return reply{status: 500} })
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		client := newTestClient(t, f, nil, func(cfg *Config) {
			cfg.Retry = RetryPolicy{BaseDelay: time.Hour, MaxDelay: time.Hour}
		})
		stop := time.AfterFunc(10*time.Millisecond, cancel)
		defer stop.Stop()
		_, err := client.LatestEvent(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error = %v, want context.Canceled", err)
		}
	})
	t.Run("deadline before the backoff ends", func(t *testing.T) {
		f := newFakeAPI(t, nil, func(int, recorded) reply { return reply{status: 500} })
		s := &sleeps{}
		client := newTestClient(t, f, s, func(cfg *Config) { cfg.Retry.BaseDelay = time.Hour; cfg.Retry.MaxDelay = time.Hour })
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, err := client.LatestEvent(ctx)
		if !errors.Is(err, ErrUnavailable) || len(s.delays()) != 0 || len(f.recorded()) != 1 {
			t.Errorf("error = %v after %d sleeps and %d requests; want ErrUnavailable at once", err, len(s.delays()), len(f.recorded()))
		}
	})
}

// bulkResponder answers a bulk-by-nin call with one person per number, each
// carrying only its identification number.
func bulkResponder(r recorded) reply {
	var b strings.Builder
	b.WriteString("[")
	for i, nin := range r.Form["nins"] {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":"id-%s","sequenceNumber":%d,"norwegianIdentificationNumber":[{"isValid":true,"status":"InUse","identificationNumber":%q,"identificationNumberType":"NationalIdentityNumber"}]}`, nin, i+1, nin)
	}
	b.WriteString("]")
	return jsonReply(b.String())
}

func syntheticNINs(n int) []string {
	nins := make([]string, n)
	for i := range nins {
		nins[i] = fmt.Sprintf("%011d", 10000000000+i) // shape only; the client does not check digits
	}
	return nins
}

func TestBulkSplitting(t *testing.T) {
	c := loadContract(t)
	nins := syntheticNINs(250)
	// The first chunk is answered last, so order can only be kept on purpose.
	others := make(chan struct{}, 2)
	f := newFakeAPI(t, c, func(n int, r recorded) reply {
		if r.Form.Get("nins") == nins[0] {
			for range 2 {
				<-others
			}
		} else {
			defer func() { others <- struct{}{} }()
		}
		return bulkResponder(r)
	})
	client := newTestClient(t, f, &sleeps{}, nil)
	persons, err := client.BulkByNIN(context.Background(), nins, []InformationPart{"NorwegianIdentificationNumber"})
	if err != nil {
		t.Fatalf("BulkByNIN: %v", err)
	}
	reqs := f.recorded()
	var sizes []int
	for _, r := range reqs {
		sizes = append(sizes, len(r.Form["nins"]))
	}
	slices.Sort(sizes)
	if !slices.Equal(sizes, []int{50, 100, 100}) {
		t.Errorf("call sizes = %v, want 100, 100 and 50", sizes)
	}
	if len(persons) != len(nins) {
		t.Fatalf("got %d persons, want %d", len(persons), len(nins))
	}
	for i, p := range persons {
		if !p.HasNIN(nins[i]) {
			t.Fatalf("person %d has %+v, want %s: order lost", i, p.NorwegianIdentificationNumber, nins[i])
		}
	}
}

func TestBulkConcurrencyIsBounded(t *testing.T) {
	var inFlight, peak atomic.Int32
	f := newFakeAPI(t, nil, func(n int, r recorded) reply {
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			old := peak.Load()
			if cur <= old || peak.CompareAndSwap(old, cur) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond) // simulated work, so that calls overlap
		return bulkResponder(r)
	})
	client := newTestClient(t, f, &sleeps{}, nil)
	persons, err := client.BulkByNIN(context.Background(), syntheticNINs(1000), nil)
	if err != nil {
		t.Fatalf("BulkByNIN: %v", err)
	}
	if len(persons) != 1000 || len(f.recorded()) != 10 {
		t.Errorf("got %d persons from %d calls, want 1000 from 10", len(persons), len(f.recorded()))
	}
	if p := peak.Load(); p > BulkConcurrency {
		t.Errorf("%d calls in flight at once, want at most %d", p, BulkConcurrency)
	}
}

func TestBulkStopsAtFirstError(t *testing.T) {
	nins := syntheticNINs(950)
	f := newFakeAPI(t, nil, func(n int, r recorded) reply {
		if r.Form.Get("nins") == nins[0] {
			return reply{status: 400, body: problem(400, "Bad Request", "invalid nin in list")}
		}
		time.Sleep(2 * time.Millisecond) // simulated work: the other calls are in flight when the first fails
		return bulkResponder(r)
	})
	client := newTestClient(t, f, &sleeps{}, nil)
	persons, err := client.BulkByNIN(context.Background(), nins, nil)
	var iq *InvalidQueryError
	if !errors.As(err, &iq) || persons != nil {
		t.Fatalf("got %d persons, error %v; want none and *InvalidQueryError", len(persons), err)
	}
	if !strings.Contains(err.Error(), "items 1-100") {
		t.Errorf("error %q does not say which items failed", err)
	}
	if n := len(f.recorded()); n >= 10 {
		t.Errorf("all %d calls were made despite the failure", n)
	}
}

func TestNew(t *testing.T) {
	hc := &http.Client{}
	tests := []struct {
		name    string
		cfg     Config
		wantErr bool
	}{
		{"valid", Config{BaseURL: "https://et.persontjenesten.test.nhn.no", HTTP: hc}, false},
		{"valid with path prefix", Config{BaseURL: "http://127.0.0.1:8080/pt/", HTTP: hc}, false},
		{"no HTTP client", Config{BaseURL: "https://et.persontjenesten.test.nhn.no"}, true},
		{"relative URL", Config{BaseURL: "/api", HTTP: hc}, true},
		{"other scheme", Config{BaseURL: "ftp://example.org", HTTP: hc}, true},
		{"with query", Config{BaseURL: "https://example.org/?x=1", HTTP: hc}, true},
		{"unparsable", Config{BaseURL: "https://exa mple.org:port", HTTP: hc}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.cfg)
			if (err != nil) != tt.wantErr {
				t.Fatalf("New error = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if c.apiVersion != "2" || c.timeout != 15*time.Second || c.retry.MaxAttempts != 3 ||
				c.retry.BaseDelay != 200*time.Millisecond || c.retry.MaxDelay != 3*time.Second || c.prefix != "/api/no-legal-basis" {
				t.Errorf("defaults not applied: %+v", c)
			}
		})
	}
}

func TestLogsCarryNoIdentityNumbers(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	const nin = "05898540032"
	f := newFakeAPI(t, nil, func(n int, r recorded) reply {
		if n == 0 {
			return reply{status: 503, body: problem(503, "Service Unavailable", "try later")}
		}
		return jsonReply(fixtureOrdinary)
	})
	client := newTestClient(t, f, &sleeps{}, func(cfg *Config) { cfg.Logger = logger })
	if _, err := client.GetByNIN(context.Background(), nin, nil, false); err != nil {
		t.Fatalf("GetByNIN: %v", err)
	}
	out := buf.String()
	if !strings.Contains(out, "retrying") || !strings.Contains(out, "status=200") {
		t.Errorf("log lacks the retry or the call:\n%s", out)
	}
	if strings.Contains(out, nin) {
		t.Errorf("log carries the identity number:\n%s", out)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"3", 3 * time.Second},
		{" 10 ", 10 * time.Second},
		{"0", 0},
		{"-5", 0},
		{"1.5", 0},
		{"99999999999999999", 24 * time.Hour},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"soon", 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, s := range []string{"", "3", "-1", "Sat, 01 Mar 2025 12:01:00 GMT", "9223372036854775807"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d := parseRetryAfter(s, now); d < 0 || d > 24*time.Hour {
			t.Errorf("parseRetryAfter(%q) = %v, outside [0, 24h]", s, d)
		}
	})
}

func TestDecodeProblem(t *testing.T) {
	tests := []struct {
		name, contentType, body string
		wantDetail              string
		wantNil                 bool
	}{
		{"json", "application/json", `{"title":"Bad Request","detail":"d"}`, "d", false},
		{"problem json", "application/problem+json; charset=utf-8", `{"detail":"d2"}`, "d2", false},
		{"html error page", "text/html", `<html>oops</html>`, "", true},
		{"empty", "application/json", ``, "", true},
		{"not an object", "application/json", `["x"]`, "", true},
		{"empty object", "application/json", `{}`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := decodeProblem(tt.contentType, []byte(tt.body))
			if (p == nil) != tt.wantNil || (p != nil && p.Detail != tt.wantDetail) {
				t.Errorf("decodeProblem = %+v", p)
			}
		})
	}
}

func TestEventSequence(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    int64
		wantErr bool
	}{{"1", 1, false}, {" 9000001 ", 9000001, false}, {"", 0, true}, {"x", 0, true}} {
		got, err := EventDocument{SequenceNumber: tt.in}.Sequence()
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("Sequence(%q) = %d, %v", tt.in, got, err)
		}
	}
}

func TestErrorMessages(t *testing.T) {
	status := 404
	tests := []struct {
		err  error
		want string
	}{
		{&InvalidQueryError{}, "invalid query"},
		{&InvalidQueryError{Detail: "x"}, "invalid query: x"},
		{&RateLimitedError{}, "Persontjenesten rate limit reached"},
		{&RateLimitedError{RetryAfter: time.Minute}, "Persontjenesten rate limit reached, retry after 1m0s"},
		{&StatusError{StatusCode: 404, kind: ErrNotFound, Problem: &ProblemDetails{Title: "Not Found", Status: &status, Detail: "no such person"}},
			"HTTP 404: not found in Persontjenesten (Not Found: no such person)"},
		{&StatusError{StatusCode: 418}, "HTTP 418"},
		{&SearchRuleError{Rule: RuleBirthDate, Field: "birthDate"}, "search rule birth_date not met by birthDate"},
		{&SearchRuleError{Rule: RuleNarrowingRequired}, "search rule narrowing_required not met"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func partStrings(parts []InformationPart) []string {
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = string(p)
	}
	return out
}
