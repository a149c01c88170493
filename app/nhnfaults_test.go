package app_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"resepsjon/app"
	"resepsjon/nin"
	"resepsjon/persontjeneste/nhnmock"
	"resepsjon/register"
)

// syncBuffer collects log output from many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// faultOptions tune the mock and the app's NHN timeouts for one test.
type faultOptions struct {
	tokenLifetime  time.Duration // 0: the mock's default
	nonceRotation  time.Duration
	timeout        time.Duration // the app's bound on a whole lookup
	helseIDTimeout time.Duration
	// apiCallTakes is how far the clock moves with each Persontjenesten
	// call (0: not at all), so a run of calls outlasts a token without
	// waiting for it.
	apiCallTakes time.Duration
}

// faultHarness is the app against the NHN mock with every app log line
// captured.
type faultHarness struct {
	*ptHarness
	logs *syncBuffer
	// clock is the one clock of the app's token client and the mock: token
	// lifetimes and nonce periods pass when the test advances it.
	clock *fakeClock
}

func newFaultHarness(t *testing.T, o faultOptions) *faultHarness {
	t.Helper()
	if o.timeout == 0 {
		o.timeout = 10 * time.Second
	}
	if o.helseIDTimeout == 0 {
		o.helseIDTimeout = 5 * time.Second
	}
	logs := &syncBuffer{}
	clock := &fakeClock{now: time.Now()}
	pt := newPTHarnessWith(t, func(c *nhnmock.Config) {
		c.TokenLifetime, c.NonceRotation, c.Now = o.tokenLifetime, o.nonceRotation, clock.Now
	}, func(c *testConfig) {
		c.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		c.NHN.Timeout, c.NHN.HelseIDTimeout = o.timeout, o.helseIDTimeout
		c.TokenNow = clock.Now
	})
	h := &faultHarness{ptHarness: pt, logs: logs, clock: clock}
	if o.apiCallTakes > 0 {
		f := func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				clock.Advance(o.apiCallTakes)
			}
			next.ServeHTTP(w, r)
		}
		pt.front.Store(&f)
	}
	// Whatever the test did, the app's log holds no identity number, token,
	// DPoP proof or key.
	t.Cleanup(func() { h.checkLog(t) })
	return h
}

var (
	logNIN = regexp.MustCompile(`\d{11}`)
	logJWT = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`)
	logKey = regexp.MustCompile(`(?i)PRIVATE KEY|"d"\s*:\s*"|\bDPoP\s+eyJ|Bearer\s+\S{20,}`)
)

func (h *faultHarness) checkLog(t *testing.T) {
	t.Helper()
	log := h.logs.String()
	for _, m := range logNIN.FindAllString(log, -1) {
		if _, err := nin.Parse(m); err == nil {
			t.Errorf("identity number in the log: %s", m)
		}
	}
	for _, m := range logJWT.FindAllString(log, -1) {
		t.Errorf("token or proof in the log: %s", m)
	}
	for _, m := range logKey.FindAllString(log, -1) {
		t.Errorf("key material or credentials in the log: %s", m)
	}
	if strings.Contains(log, h.token) {
		t.Error("the session token is in the log")
	}
}

// lookupNIN asks the app to fetch a person by identity number.
func (h *faultHarness) lookupNIN(number string) reply {
	h.t.Helper()
	return h.do(http.MethodPost, "/api/persontjenesten/lookup", map[string]string{"nin": number})
}

// wantNHNError checks an NHN failure answer: the status, the code, and a
// message in both languages that says what to do.
func (h *faultHarness) wantNHNError(r reply, status int, code string) {
	h.t.Helper()
	if r.status != status {
		h.t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	e := r.apiError(h.t)
	if e.Code != code || e.Message == "" {
		h.t.Fatalf("error %+v, want code %s with a message", e, code)
	}
}

// apiCalls is how many Persontjenesten calls reached the mock, faults
// included.
func apiCalls(c nhnmock.Counters) int64 {
	var n int64
	for _, v := range c.APICalls {
		n += v
	}
	for k, v := range c.Errors {
		if strings.HasPrefix(k, "fault_") {
			n += v
		}
	}
	return n
}

// clientUnchanged fails when the stored client differs from c.
func (h *faultHarness) clientUnchanged(c register.Client) {
	h.t.Helper()
	stored, err := h.db.GetClient(context.Background(), c.ID)
	if err != nil || stored.Version != c.Version || !stored.UpdatedAt.Equal(c.UpdatedAt) {
		h.t.Fatalf("client changed by a failed Persontjenesten call: %+v %v", stored, err)
	}
}

// lastAudit is the newest audit row.
func (h *faultHarness) lastAudit() app.AuditRow {
	h.t.Helper()
	rows := h.audit("")
	if len(rows) == 0 {
		h.t.Fatal("no audit rows")
	}
	return rows[0]
}

func TestNHNFaultTimeout(t *testing.T) {
	t.Parallel()
	h := newFaultHarness(t, faultOptions{timeout: time.Second})
	h.activate()
	numbers := h.pop.SampleNINs(2)
	created := h.create(h.lookup(map[string]string{"nin": numbers[0]}).Draft)

	h.mock.SetFaults(nhnmock.Faults{Latency: 4 * time.Second})
	defer h.mock.SetFaults(nhnmock.Faults{})
	// While a lookup waits for Persontjenesten, the register answers.
	slow := make(chan reply, 1)
	go func() {
		r, err := try(&http.Client{Timeout: 60 * time.Second}, http.MethodPost, h.base+"/api/persontjenesten/lookup",
			mustJSON(t, map[string]string{"nin": numbers[1]}), map[string]string{"Authorization": "Bearer " + h.token})
		if err != nil {
			r = reply{status: -1, body: []byte(err.Error())}
		}
		slow <- r
	}()
	for range 5 {
		if r := h.do(http.MethodGet, "/api/clients?q=", nil); r.status != http.StatusOK {
			t.Fatalf("register while NHN is slow: %d %s", r.status, r.body)
		}
	}
	select {
	case r := <-slow:
		t.Fatalf("the slow lookup answered (%d) before the register searches", r.status)
	default:
	}
	// The lookup gives up at the app's timeout with a clear message,
	// long before the mock would have answered.
	h.wantNHNError(<-slow, http.StatusServiceUnavailable, "nhn_unavailable")
	if row := h.lastAudit(); row.Outcome != "error" || row.ErrorCode != "nhn_unavailable" {
		t.Fatalf("audit %+v", row)
	}
	// A refresh of an existing client times out the same way and leaves it.
	r := h.do(http.MethodPost, fmt.Sprintf("/api/clients/%d/persontjenesten/update", created.ID), nil)
	h.wantNHNError(r, http.StatusServiceUnavailable, "nhn_unavailable")
	h.clientUnchanged(created)
	// In English too.
	r = h.do(http.MethodPost, "/api/persontjenesten/lookup", map[string]string{"nin": numbers[1]},
		func(r *http.Request) { r.Header.Set("Accept-Language", "en") })
	if e := r.apiError(t); !strings.Contains(e.Message, "Try again") {
		t.Errorf("English message %q does not say what to do", e.Message)
	}
}

func TestNHNFaultServerErrors(t *testing.T) {
	t.Parallel()
	h := newFaultHarness(t, faultOptions{})
	h.activate()
	numbers := h.pop.SampleNINs(3)
	created := h.create(h.lookup(map[string]string{"nin": numbers[0]}).Draft)

	// A burst: every other call fails. The retry hides it from the user.
	h.mock.SetFaults(nhnmock.Faults{ErrorRate: 0.5})
	before := h.mock.Counters()
	for _, n := range numbers[1:3] {
		if r := h.lookupNIN(n); r.status != http.StatusOK {
			t.Fatalf("lookup through a 5xx burst: %d %s", r.status, r.body)
		}
	}
	after := h.mock.Counters()
	if n := after.Errors["fault_5xx"] - before.Errors["fault_5xx"]; n < 1 {
		t.Fatalf("the burst did not hit the lookup (%d faults)", n)
	}

	// Down for good: a bounded number of attempts, then a clear answer.
	h.mock.SetFaults(nhnmock.Faults{ErrorRate: 1})
	before = h.mock.Counters()
	h.wantNHNError(h.lookupNIN(numbers[2]), http.StatusServiceUnavailable, "nhn_unavailable")
	after = h.mock.Counters()
	if n := apiCalls(after) - apiCalls(before); n < 2 || n > 3 {
		t.Fatalf("%d calls for one lookup against a failing service: want a retry, and at most 3 attempts", n)
	}
	before = h.mock.Counters()
	h.wantNHNError(h.do(http.MethodPost, fmt.Sprintf("/api/clients/%d/persontjenesten/update", created.ID), nil),
		http.StatusServiceUnavailable, "nhn_unavailable")
	if n := apiCalls(h.mock.Counters()) - apiCalls(before); n > 3 {
		t.Fatalf("%d calls for one update", n)
	}
	h.clientUnchanged(created)
	h.mock.SetFaults(nhnmock.Faults{})
	if r := h.lookupNIN(numbers[2]); r.status != http.StatusOK {
		t.Fatalf("after the outage: %d %s", r.status, r.body)
	}
}

func TestNHNFaultRateLimited(t *testing.T) {
	t.Parallel()
	h := newFaultHarness(t, faultOptions{})
	h.activate()
	numbers := h.pop.SampleNINs(4)

	// Every second call is 429 with Retry-After: 1: the app waits it out.
	h.mock.SetFaults(nhnmock.Faults{RateLimitEvery: 2, RetryAfter: time.Second})
	for _, n := range numbers[:2] {
		if r := h.lookupNIN(n); r.status != http.StatusOK {
			t.Fatalf("lookup with a 429 in between: %d %s", r.status, r.body)
		}
	}
	if c := h.mock.Counters(); c.Errors["fault_429"] < 1 {
		t.Fatalf("no 429 was answered: %+v", c.Errors)
	}

	// Every call 429: bounded attempts, then "wait and try again".
	h.mock.SetFaults(nhnmock.Faults{RateLimitEvery: 1, RetryAfter: time.Second})
	before := h.mock.Counters()
	h.wantNHNError(h.lookupNIN(numbers[2]), http.StatusServiceUnavailable, "nhn_rate_limited")
	if n := h.mock.Counters().Errors["fault_429"] - before.Errors["fault_429"]; n < 2 || n > 3 {
		t.Fatalf("%d attempts against a rate limit: want a retry after Retry-After, at most 3", n)
	}

	// A Retry-After longer than a receptionist should wait is not waited
	// out: one attempt, and the answer at once.
	h.mock.SetFaults(nhnmock.Faults{RateLimitEvery: 1, RetryAfter: time.Minute})
	before = h.mock.Counters()
	h.wantNHNError(h.lookupNIN(numbers[3]), http.StatusServiceUnavailable, "nhn_rate_limited")
	if n := h.mock.Counters().Errors["fault_429"] - before.Errors["fault_429"]; n != 1 {
		t.Fatalf("%d attempts with Retry-After one minute, want 1", n)
	}
	if row := h.lastAudit(); row.Outcome != "error" || row.ErrorCode != "nhn_rate_limited" {
		t.Fatalf("audit %+v", row)
	}
	h.mock.SetFaults(nhnmock.Faults{})
}

func TestNHNFaultHelseIDDownVersusPersontjenestenDown(t *testing.T) {
	t.Parallel()
	h := newFaultHarness(t, faultOptions{})
	h.activate()
	numbers := h.pop.SampleNINs(3)

	// HelseID down, Persontjenesten up: the access token in hand still
	// works, so lookups go on.
	h.mock.SetFaults(nhnmock.Faults{HelseIDDown: true})
	if r := h.lookupNIN(numbers[0]); r.status != http.StatusOK {
		t.Fatalf("lookup with a valid token while HelseID is down: %d %s", r.status, r.body)
	}
	// "Refresh settings" names HelseID as the one that did not answer, and
	// keeps the activation.
	st := h.refresh()
	if !st.Activated || st.Delegation.State != "ok" {
		t.Fatalf("refresh while HelseID is down: delegation %+v", st.Delegation)
	}
	wantAttempt(t, "refresh while HelseID is down", st.Delegation.LastAttempt, "helseid_unavailable", st.Delegation.CheckedAt)
	if st.Access.LastAttempt != nil {
		t.Fatalf("Persontjenesten blamed while HelseID is down: %+v", st.Access.LastAttempt)
	}

	// Persontjenesten down, HelseID up: the token is issued, the access
	// check names Persontjenesten.
	h.mock.SetFaults(nhnmock.Faults{PersontjenestenDown: true})
	st = h.refresh()
	if !st.Activated || st.Delegation.State != "ok" || st.Delegation.LastAttempt != nil || st.Access.State != "ok" {
		t.Fatalf("refresh while Persontjenesten is down: delegation %+v, access %+v", st.Delegation, st.Access)
	}
	wantAttempt(t, "refresh while Persontjenesten is down", st.Access.LastAttempt, "persontjenesten_unavailable", st.Access.CheckedAt)

	// Both back: a refresh activates again and lookups work.
	h.mock.SetFaults(nhnmock.Faults{})
	if st = h.status(h.do(http.MethodPost, "/api/persontjenesten/refresh", nil)); !st.Activated {
		t.Fatalf("after the outages: %+v", st)
	}
	if r := h.lookupNIN(numbers[1]); r.status != http.StatusOK {
		t.Fatalf("lookup after the outages: %d %s", r.status, r.body)
	}
}

func TestNHNFaultTokenExpiry(t *testing.T) {
	t.Parallel()
	h := newFaultHarness(t, faultOptions{tokenLifetime: time.Second})
	h.activate()
	numbers := h.pop.SampleNINs(4)
	created := h.create(h.lookup(map[string]string{"nin": numbers[0]}).Draft)
	issued := h.mock.Counters().TokensIssued

	// The token expires between two lookups of a session: a new one is
	// fetched without the user noticing.
	h.clock.Advance(1500 * time.Millisecond)
	refused := h.mock.Counters().Errors["invalid_token"]
	if r := h.lookupNIN(numbers[1]); r.status != http.StatusOK {
		t.Fatalf("lookup after the token expired: %d %s", r.status, r.body)
	}
	c := h.mock.Counters()
	if c.TokensIssued <= issued {
		t.Fatalf("no new token after expiry (%d issued)", c.TokensIssued)
	}
	if n := c.Errors["invalid_token"] - refused; n != 0 {
		t.Fatalf("the expired token was sent to Persontjenesten %d times instead of being renewed first", n)
	}

	// The token expires while HelseID is down: the lookup fails clearly,
	// and the client is not touched.
	h.clock.Advance(1500 * time.Millisecond)
	h.mock.SetFaults(nhnmock.Faults{HelseIDDown: true})
	before := h.mock.Counters()
	r := h.do(http.MethodPost, fmt.Sprintf("/api/clients/%d/persontjenesten/update", created.ID), nil)
	h.wantNHNError(r, http.StatusServiceUnavailable, "nhn_unavailable")
	h.clientUnchanged(created)
	if n := h.mock.Counters().TokenRequests - before.TokenRequests; n > 3 {
		t.Fatalf("%d token requests for one update while HelseID is down", n)
	}
	h.mock.SetFaults(nhnmock.Faults{})
	// After a failed token request HelseID is left alone for a moment (so
	// a down HelseID is not hammered); then the receptionist's next try
	// works.
	h.clock.Advance(1500 * time.Millisecond)
	if r := h.lookupNIN(numbers[2]); r.status != http.StatusOK {
		t.Fatalf("lookup after HelseID is back: %d %s", r.status, r.body)
	}
}

func TestNHNFaultNonceRotation(t *testing.T) {
	t.Parallel()
	h := newFaultHarness(t, faultOptions{nonceRotation: 400 * time.Millisecond})
	h.activate()
	for i, n := range h.pop.SampleNINs(4) {
		if i > 0 {
			h.clock.Advance(500 * time.Millisecond) // the nonce has rotated since the last call
		}
		if r := h.lookupNIN(n); r.status != http.StatusOK {
			t.Fatalf("lookup %d after nonce rotation: %d %s", i, r.status, r.body)
		}
	}
}

func TestNHNFaultConnectionRefused(t *testing.T) {
	t.Parallel()
	h := newFaultHarness(t, faultOptions{})
	h.activate()
	numbers := h.pop.SampleNINs(2)
	created := h.create(h.lookup(map[string]string{"nin": numbers[0]}).Draft)
	h.nhn.Close() // nothing listens on NHN's address any more

	h.wantNHNError(h.lookupNIN(numbers[1]), http.StatusServiceUnavailable, "nhn_unavailable")
	h.wantNHNError(h.do(http.MethodPost, fmt.Sprintf("/api/clients/%d/persontjenesten/update", created.ID), nil),
		http.StatusServiceUnavailable, "nhn_unavailable")
	h.clientUnchanged(created)
	if row := h.lastAudit(); row.Outcome != "error" || row.ErrorCode != "nhn_unavailable" {
		t.Fatalf("audit %+v", row)
	}
	// The register itself is unaffected.
	if r := h.do(http.MethodGet, "/api/clients", nil); r.status != http.StatusOK {
		t.Fatalf("register: %d", r.status)
	}
}

// TestNHNFaultRefusalsAreNotOutages: Persontjenesten answering a 4xx such
// as 422 is nhn_rejected (not "no answer, try again"), asked once and
// logged with its ProblemDetails title and detail but no personal data; a
// 401 naming invalid_dpop_proof is retried once with a new token and then
// reported as a HelseID/DPoP problem, in lookups and in the access check,
// never as a missing agreement.
func TestNHNFaultRefusalsAreNotOutages(t *testing.T) {
	t.Parallel()
	h := newFaultHarness(t, faultOptions{})
	h.activate()
	numbers := h.pop.SampleNINs(6)
	for i, status := range []int{http.StatusUnprocessableEntity, http.StatusConflict, http.StatusUnsupportedMediaType, http.StatusGone} {
		h.mock.SetFaults(nhnmock.Faults{RejectStatus: status})
		before := apiCalls(h.mock.Counters())
		r := h.lookupNIN(numbers[i])
		h.wantNHNError(r, http.StatusBadGateway, "nhn_rejected")
		if msg := r.apiError(t).Message; !strings.Contains(msg, "hjelper ikke å prøve igjen") || !strings.Contains(msg, "leverandøren") {
			t.Errorf("%d: message %q does not say that retrying will not help and whom to tell", status, msg)
		}
		if calls := apiCalls(h.mock.Counters()) - before; calls != 1 {
			t.Errorf("%d: %d calls to Persontjenesten, want 1 (a refusal is not retried)", status, calls)
		}
		if row := h.lastAudit(); row.ErrorCode != "nhn_rejected" {
			t.Errorf("%d: audit %+v", status, row)
		}
	}
	logs := h.logs.String()
	if !strings.Contains(logs, "level=ERROR") || !strings.Contains(logs, `title="Unprocessable Entity"`) ||
		!strings.Contains(logs, "information parts asked for cannot be combined") {
		t.Errorf("the refusal was not logged at error level with its title and detail:\n%s", logs)
	}

	h.mock.SetFaults(nhnmock.Faults{RejectProof: true})
	before := h.mock.Counters()
	r := h.lookupNIN(numbers[4])
	h.wantNHNError(r, http.StatusBadGateway, "helseid_token_rejected")
	if msg := r.apiError(t).Message; !strings.Contains(msg, "klokken") || strings.Contains(msg, "bestilt tilgang") {
		t.Errorf("token message %q", r.apiError(t).Message)
	}
	after := h.mock.Counters()
	if got := apiCalls(after) - apiCalls(before); got != 2 {
		t.Errorf("%d calls with a refused proof, want 2 (one retry with a new token)", got)
	}
	if got := after.TokenRequests - before.TokenRequests; got < 1 {
		t.Errorf("no new token was asked for after invalid_dpop_proof")
	}
	st := h.refresh()
	code := st.Access.Code
	if st.Access.LastAttempt != nil {
		code = st.Access.LastAttempt.Code
	}
	if code != "token_rejected" {
		t.Errorf("access check with a refused proof: status %+v, attempt %+v; want token_rejected", st.Access, st.Access.LastAttempt)
	}

	h.mock.SetFaults(nhnmock.Faults{})
	if st := h.status(h.do(http.MethodPost, "/api/persontjenesten/refresh", nil)); !st.Activated {
		t.Fatalf("after the faults: %+v", st)
	}
	if r := h.lookupNIN(numbers[5]); r.status != http.StatusOK {
		t.Fatalf("lookup after the faults: %d %s", r.status, r.body)
	}
}
