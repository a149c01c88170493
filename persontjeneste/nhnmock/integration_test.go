package nhnmock

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/persontjeneste/nhnmock/population"
)

// The app's own HelseID client, registered with the mock by each test.
const (
	appSingleClientID = "resepsjon-app-single"
	appMultiClientID  = "resepsjon-app-multi"
)

// app is the real token client and Persontjenesten client, talking to the
// mock over loopback exactly as the app does, with every request and answer
// on the Persontjenesten side checked against the contract.
type app struct {
	tokens   *helseid.TokenClient
	client   *persontjeneste.Client
	wire     *contractTransport
	sleepsMu sync.Mutex
	sleeps   []time.Duration // backoff waits the client asked for (not slept)
}

// appOptions adjust an app.
type appOptions struct {
	multi   bool   // multi-tenant client instead of single-tenant
	org     string // organisation; default orgParent (single) or orgMulti (multi)
	alg     string // key algorithm; default ES256
	timeout time.Duration
	retries int
}

func (e *env) newApp(o appOptions) *app {
	e.t.Helper()
	alg := o.alg
	if alg == "" {
		alg = helseid.AlgES256
	}
	key, err := helseid.GenerateKey(alg)
	if err != nil {
		e.t.Fatal(err)
	}
	pub, err := key.PublicJWK()
	if err != nil {
		e.t.Fatal(err)
	}
	reg := RegisteredClient{ClientID: appSingleClientID, PublicJWK: pub, Tenancy: TenancySingle,
		OrgNumbers: []string{orgParent, orgChild}, Scopes: []string{ScopeLegalBasis}}
	cfg := helseid.Config{
		Authority:  e.issuer(),
		ClientID:   appSingleClientID,
		Key:        key,
		Scopes:     []string{ScopeLegalBasis},
		Tenancy:    helseid.TenancySingle,
		OrgNumber:  orgParent,
		HTTPClient: &http.Client{Timeout: 10 * time.Second},
		Now:        e.clock.Now,
	}
	if o.multi {
		reg.ClientID, reg.Tenancy, reg.OrgNumbers = appMultiClientID, TenancyMulti, nil
		cfg.ClientID, cfg.Tenancy, cfg.OrgNumber = appMultiClientID, helseid.TenancyMulti, orgMulti
	}
	if o.org != "" {
		cfg.OrgNumber = o.org
	}
	if err := e.mock.RegisterClient(reg); err != nil {
		e.t.Fatal(err)
	}
	tokens, err := helseid.NewTokenClient(cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	a := &app{tokens: tokens, wire: &contractTransport{t: e.t, base: http.DefaultTransport, requests: true}}
	timeout := o.timeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	client, err := persontjeneste.New(persontjeneste.Config{
		BaseURL:    e.base,
		HTTP:       &http.Client{Timeout: 20 * time.Second, Transport: &helseid.Transport{Tokens: tokens, Base: a.wire}},
		LegalBasis: true,
		Timeout:    timeout,
		Retry: persontjeneste.RetryPolicy{MaxAttempts: o.retries, Sleep: func(ctx context.Context, d time.Duration) error {
			a.sleepsMu.Lock()
			a.sleeps = append(a.sleeps, d)
			a.sleepsMu.Unlock()
			return ctx.Err()
		}},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	a.client = client
	return a
}

func (a *app) waits() []time.Duration {
	a.sleepsMu.Lock()
	defer a.sleepsMu.Unlock()
	return append([]time.Duration(nil), a.sleeps...)
}

// checkContractRan fails when the contract is required but nothing was
// validated (so a broken wiring cannot pass silently).
func (a *app) checkContractRan(t *testing.T) {
	t.Helper()
	if _, err := loadContract(); err != nil {
		return // reported by the transport or TestContractLoads
	}
	if a.wire.requested.Load() == 0 || a.wire.validated.Load() == 0 {
		t.Errorf("contract checked %d requests and %d answers, want both > 0", a.wire.requested.Load(), a.wire.validated.Load())
	}
}

// TestAppHandshakeAndTokenReuse: the real clients run the nonce handshake
// (one 400 use_dpop_nonce, then a token), and 200 calls from 20 goroutines
// share that one token: the mock sees exactly one token acquisition.
func TestAppHandshakeAndTokenReuse(t *testing.T) {
	skipWithoutContract(t)
	e := newEnv(t, nil)
	a := e.newApp(appOptions{})
	nins := e.pop.SampleNINs(20)

	var wg sync.WaitGroup
	var failures atomic.Int64
	for g := range 20 {
		wg.Go(func() {
			for i := range 10 {
				p, err := a.client.GetByNIN(t.Context(), nins[(g+i)%len(nins)], nil, false)
				if err != nil || p.ID == "" {
					failures.Add(1)
					t.Errorf("GetByNIN: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	if failures.Load() > 0 {
		t.FailNow()
	}
	c := e.mock.Counters()
	if c.TokensIssued != 1 || c.TokenRequests != 2 {
		t.Errorf("token endpoint saw %d requests and issued %d tokens; want one acquisition: "+
			"the nonce challenge and the request with the nonce", c.TokenRequests, c.TokensIssued)
	}
	if c.Errors["use_dpop_nonce"] != 1 || len(c.Errors) != 1 {
		t.Errorf("errors = %v, want only the one use_dpop_nonce of the handshake", c.Errors)
	}
	if got := c.APICalls["legal-basis get-by-nin"]; got != 200 {
		t.Errorf("API calls = %d, want 200", got)
	}
	if s := a.tokens.Stats(); s.Fetches != 1 || s.Requests != 2 || s.NonceRetries != 1 || s.Discoveries != 1 {
		t.Errorf("token client stats = %+v", s)
	}
	if n := a.wire.requested.Load(); n != 200 {
		t.Errorf("contract checked %d requests, want 200", n)
	}
	a.checkContractRan(t)
}

// TestAppEveryOperation calls every client operation against the mock; the
// wire transport validates each request and answer against the contract.
func TestAppEveryOperation(t *testing.T) {
	skipWithoutContract(t)
	e := newEnv(t, nil)
	a := e.newApp(appOptions{})
	ctx := t.Context()
	edges := e.pop.EdgeCases()

	p, err := a.client.GetByNIN(ctx, edges[population.EdgeRenamed], persontjeneste.AllInformationParts(), true)
	if err != nil {
		t.Fatalf("GetByNIN: %v", err)
	}
	if _, err := a.client.GetByID(ctx, p.ID, nil, false); err != nil {
		t.Errorf("GetByID: %v", err)
	}
	// A former D-number still finds the person, now under the fødselsnummer.
	former, err := a.client.GetByNIN(ctx, edges[population.EdgeFormerDNumber], nil, false)
	if err != nil {
		t.Fatalf("GetByNIN(former D-number): %v", err)
	}
	if d := persontjeneste.ToClient(former, e.clock.Now()); d.NIN == edges[population.EdgeFormerDNumber] || d.NIN == "" {
		t.Errorf("draft NIN for a former D-number person = %q, want the new fødselsnummer", d.NIN)
	}
	nins := e.pop.SampleNINs(5)
	bulk, err := a.client.BulkByNIN(ctx, nins, nil)
	if err != nil || len(bulk) != len(nins) {
		t.Errorf("BulkByNIN: %d persons, %v", len(bulk), err)
	}
	if byID, err := a.client.BulkByID(ctx, []string{p.ID}, nil); err != nil || len(byID) != 1 {
		t.Errorf("BulkByID: %d persons, %v", len(byID), err)
	}
	draft := persontjeneste.ToClient(p, e.clock.Now())
	found, err := a.client.Search(ctx, persontjeneste.SearchQuery{FamilyName: draft.FamilyName, BirthDate: draft.BirthDate}, nil)
	if err != nil || len(found) == 0 {
		t.Errorf("Search: %d persons, %v", len(found), err)
	}
	died := false
	for _, n := range nins {
		if _, err := e.pop.Die(n, e.clock.Now()); err == nil {
			died = true
			break
		} else if !errors.Is(err, population.ErrDeceased) {
			t.Fatal(err)
		}
	}
	if !died {
		t.Fatal("no living person among the samples")
	}
	latest, err := a.client.LatestEvent(ctx)
	if err != nil || latest.EventType != population.EventPersonIsDeceased {
		t.Errorf("LatestEvent = %+v, %v", latest, err)
	}
	if evs, err := a.client.Events(ctx, 1, nil); err != nil || len(evs) == 0 {
		t.Errorf("Events: %d, %v", len(evs), err)
	}
	_, err = a.client.GetByNIN(ctx, "00000000000", nil, false)
	if !errors.Is(err, persontjeneste.ErrNotFound) {
		t.Errorf("unknown person: %v, want ErrNotFound", err)
	}
	a.checkContractRan(t)
}

// TestAppKeyAlgorithms: keys of every algorithm the app can generate get a
// token and an answer from the mock.
func TestAppKeyAlgorithms(t *testing.T) {
	for _, alg := range []string{helseid.AlgRS256, helseid.AlgPS256, helseid.AlgES256, helseid.AlgRS512} {
		t.Run(alg, func(t *testing.T) {
			e := newEnv(t, nil)
			a := e.newApp(appOptions{alg: alg})
			if _, err := a.client.LatestEvent(t.Context()); err != nil {
				t.Fatalf("%s: %v", alg, err)
			}
		})
	}
}

// TestAppNoDelegation: a multi-tenant request for an organisation that has
// not delegated is refused by HelseID; the client reports it as
// helseid.IsNoDelegation (and ErrUnauthorized), without retrying.
func TestAppNoDelegation(t *testing.T) {
	e := newEnv(t, nil)
	a := e.newApp(appOptions{multi: true, org: orgMultiUndelegated})
	_, err := a.client.GetByNIN(t.Context(), e.pop.SampleNINs(1)[0], nil, false)
	if !helseid.IsNoDelegation(err) {
		t.Fatalf("err = %v, want no delegation", err)
	}
	if !errors.Is(err, persontjeneste.ErrUnauthorized) || errors.Is(err, persontjeneste.ErrUnavailable) {
		t.Errorf("err = %v: want ErrUnauthorized, not ErrUnavailable", err)
	}
	if c := e.mock.Counters(); c.TokenRequests != 2 || c.Errors["unauthorized_client"] != 1 || len(c.APICalls) != 0 {
		t.Errorf("counters = %+v: want one refused acquisition and no API call", c)
	}
	if w := a.waits(); len(w) != 0 {
		t.Errorf("retried a refusal: waits %v", w)
	}
	// Once the organisation delegates, the same client works.
	e.mock.SetDelegation(orgMultiUndelegated, true)
	e.mock.SetAgreement(orgMultiUndelegated, true)
	if _, err := a.client.LatestEvent(t.Context()); err != nil {
		t.Errorf("after delegation: %v", err)
	}
}

// TestAppNoAgreement: an organisation without an access agreement gets 403
// ProblemDetails, which the client reports as ErrNoAccess.
func TestAppNoAgreement(t *testing.T) {
	skipWithoutContract(t)
	e := newEnv(t, nil)
	a := e.newApp(appOptions{multi: true, org: orgNoAgreement})
	_, err := a.client.LatestEvent(t.Context())
	if !errors.Is(err, persontjeneste.ErrNoAccess) {
		t.Fatalf("err = %v, want ErrNoAccess", err)
	}
	var se *persontjeneste.StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusForbidden || se.Problem == nil || se.Problem.Status == nil || *se.Problem.Status != http.StatusForbidden {
		t.Errorf("err = %#v, want a 403 with ProblemDetails", err)
	}
	a.checkContractRan(t)
}

// TestAppTokenRejectedIsRenewedOnce: when the API refuses a cached token with
// invalid_token (here: HelseID's signing key changed), the transport drops
// it, fetches a new one and repeats the call once.
func TestAppTokenRejectedIsRenewedOnce(t *testing.T) {
	e := newEnv(t, nil)
	var current atomic.Pointer[Mock]
	current.Store(e.mock)
	swap := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		current.Load().Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(swap.Close)
	e.base = swap.URL
	a := e.newApp(appOptions{})
	if _, err := a.client.LatestEvent(t.Context()); err != nil {
		t.Fatal(err)
	}
	// A new mock over the same population: same clients, new token key.
	fresh, err := New(Config{Population: e.pop, Delegations: []string{orgMulti}, Agreements: []string{orgParent}, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	key := a.tokens.Key()
	pub, _ := key.PublicJWK()
	if err := fresh.RegisterClient(RegisteredClient{ClientID: appSingleClientID, PublicJWK: pub, Tenancy: TenancySingle,
		OrgNumbers: []string{orgParent}, Scopes: []string{ScopeLegalBasis}}); err != nil {
		t.Fatal(err)
	}
	current.Store(fresh)
	if _, err := a.client.LatestEvent(t.Context()); err != nil {
		t.Fatalf("call after the key change: %v", err)
	}
	c := fresh.Counters()
	if c.Errors["invalid_token"] != 1 || c.APICalls["legal-basis event-latest"] != 2 || c.TokensIssued != 1 {
		t.Errorf("counters = %+v: want one invalid_token, a new token and the call repeated once", c)
	}
	if s := a.tokens.Stats(); s.Fetches != 2 || s.Discoveries != 1 {
		t.Errorf("token stats = %+v: want a second token and discovery still cached", s)
	}

}

// TestAppNonceRotation: with a rotating nonce the API demands it; the
// transport retries once with the nonce from the 401, remembers it for the
// next calls, and after the next rotation retries once again.
func TestAppNonceRotation(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.NonceRotation = 30 * time.Second })
	a := e.newApp(appOptions{})
	for range 5 {
		if _, err := a.client.LatestEvent(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	c := e.mock.Counters()
	// One nonce challenge at the token endpoint, one on the API's first call.
	if c.Errors["use_dpop_nonce"] != 2 || c.APICalls["legal-basis event-latest"] != 6 {
		t.Errorf("after 5 calls: errors %v, calls %v: want one API nonce challenge", c.Errors, c.APICalls)
	}
	e.clock.Advance(31 * time.Second)
	if _, err := a.client.LatestEvent(t.Context()); err != nil {
		t.Fatalf("after rotation: %v", err)
	}
	c = e.mock.Counters()
	if c.Errors["use_dpop_nonce"] != 3 || c.APICalls["legal-basis event-latest"] != 8 {
		t.Errorf("after rotation: errors %v, calls %v: want one more challenge and retry", c.Errors, c.APICalls)
	}
	if c.TokensIssued != 1 {
		t.Errorf("tokens issued %d, want 1", c.TokensIssued)
	}
}

// TestAppFaults: each injected fault reaches the client as the typed error
// it acts on, and the retryable ones are retried.
func TestAppFaults(t *testing.T) {
	t.Run("latency beyond the timeout", func(t *testing.T) {
		e := newEnv(t, nil)
		// Room enough for the first call's discovery and token under -race
		// on a busy machine, well below the injected latency.
		a := e.newApp(appOptions{timeout: 750 * time.Millisecond, retries: 1})
		if _, err := a.client.LatestEvent(t.Context()); err != nil {
			t.Fatal(err)
		}
		e.mock.SetFaults(Faults{Latency: 2 * time.Second})
		_, err := a.client.LatestEvent(t.Context())
		if !errors.Is(err, persontjeneste.ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want ErrUnavailable from the deadline", err)
		}
	})
	t.Run("latency within the timeout", func(t *testing.T) {
		e := newEnv(t, func(c *Config) { c.Faults.Latency = 20 * time.Millisecond })
		a := e.newApp(appOptions{})
		start := time.Now()
		if _, err := a.client.LatestEvent(t.Context()); err != nil {
			t.Fatal(err)
		}
		// Discovery, two token requests and the call, each delayed.
		if d := time.Since(start); d < 4*20*time.Millisecond {
			t.Errorf("4 delayed round trips took %v, less than the injected latency", d)
		}
	})
	t.Run("5xx error rate is retried", func(t *testing.T) {
		e := newEnv(t, nil)
		a := e.newApp(appOptions{})
		if _, err := a.client.LatestEvent(t.Context()); err != nil {
			t.Fatal(err)
		}
		e.mock.SetFaults(Faults{ErrorRate: 0.5})
		for range 4 {
			if _, err := a.client.LatestEvent(t.Context()); err != nil {
				t.Fatalf("with 50%% errors: %v", err)
			}
		}
		c := e.mock.Counters()
		// Requests alternate ok/fail: 1 ok; 2 fail, 3 ok; 4 fail, 5 ok; 6 fail, 7 ok.
		if c.Errors["fault_5xx"] != 3 || len(a.waits()) != 3 {
			t.Errorf("fault_5xx %d, waits %v: want every other request failed and retried", c.Errors["fault_5xx"], a.waits())
		}
	})
	t.Run("5xx on every request", func(t *testing.T) {
		e := newEnv(t, nil)
		a := e.newApp(appOptions{retries: 3})
		if _, err := a.client.LatestEvent(t.Context()); err != nil {
			t.Fatal(err)
		}
		e.mock.SetFaults(Faults{ErrorRate: 1})
		_, err := a.client.LatestEvent(t.Context())
		var se *persontjeneste.StatusError
		if !errors.Is(err, persontjeneste.ErrUnavailable) || !errors.As(err, &se) || se.StatusCode != http.StatusInternalServerError {
			t.Errorf("err = %v, want ErrUnavailable with HTTP 500", err)
		}
		if c := e.mock.Counters(); c.Errors["fault_5xx"] != 3 || len(a.waits()) != 2 {
			t.Errorf("fault_5xx %d, waits %v: want 3 attempts", c.Errors["fault_5xx"], a.waits())
		}
	})
	t.Run("429 honours Retry-After", func(t *testing.T) {
		e := newEnv(t, nil)
		a := e.newApp(appOptions{})
		if _, err := a.client.LatestEvent(t.Context()); err != nil {
			t.Fatal(err)
		}
		e.mock.SetFaults(Faults{RateLimitEvery: 2, RetryAfter: 2 * time.Second})
		for range 2 {
			if _, err := a.client.LatestEvent(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		if w := a.waits(); len(w) != 1 || w[0] != 2*time.Second {
			t.Errorf("waits %v, want one wait of the Retry-After of 2s", w)
		}
		if c := e.mock.Counters(); c.Errors["fault_429"] != 1 {
			t.Errorf("fault_429 = %d", c.Errors["fault_429"])
		}
	})
	t.Run("429 with a long Retry-After is returned", func(t *testing.T) {
		e := newEnv(t, nil)
		a := e.newApp(appOptions{})
		if _, err := a.client.LatestEvent(t.Context()); err != nil {
			t.Fatal(err)
		}
		e.mock.SetFaults(Faults{RateLimitEvery: 1, RetryAfter: time.Minute})
		_, err := a.client.LatestEvent(t.Context())
		var rl *persontjeneste.RateLimitedError
		if !errors.As(err, &rl) || rl.RetryAfter != time.Minute {
			t.Errorf("err = %v, want RateLimitedError after 1m", err)
		}
		if w := a.waits(); len(w) != 0 {
			t.Errorf("waited %v for a Retry-After beyond the limit", w)
		}
	})
	t.Run("HelseID down", func(t *testing.T) {
		e := newEnv(t, func(c *Config) { c.Faults.HelseIDDown = true })
		a := e.newApp(appOptions{retries: 2})
		_, err := a.client.LatestEvent(t.Context())
		if !helseid.IsUnavailable(err) || !errors.Is(err, persontjeneste.ErrUnavailable) {
			t.Errorf("err = %v, want HelseID unavailable", err)
		}
		if c := e.mock.Counters(); len(c.APICalls) != 0 || c.Errors["fault_down"] == 0 {
			t.Errorf("counters %+v: want HelseID refusals and no API call", c)
		}
		// Back up: the next call works.
		e.mock.SetFaults(Faults{})
		e.clock.Advance(2 * time.Second) // past the token client's failure backoff
		if _, err := a.client.LatestEvent(t.Context()); err != nil {
			t.Errorf("after HelseID is back: %v", err)
		}
	})
	t.Run("Persontjenesten down", func(t *testing.T) {
		e := newEnv(t, func(c *Config) { c.Faults.PersontjenestenDown = true })
		a := e.newApp(appOptions{retries: 2})
		_, err := a.client.LatestEvent(t.Context())
		var se *persontjeneste.StatusError
		if !errors.Is(err, persontjeneste.ErrUnavailable) || !errors.As(err, &se) || se.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("err = %v, want ErrUnavailable with HTTP 503", err)
		}
		if helseid.IsUnavailable(err) {
			t.Error("Persontjenesten being down is reported as HelseID down")
		}
		if c := e.mock.Counters(); c.Errors["fault_down"] != 2 || c.TokensIssued != 1 {
			t.Errorf("counters %+v: want two refused attempts after a token", c)
		}
	})
}
