package helseid

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func newTestClient(t *testing.T, cfg Config) *TokenClient {
	t.Helper()
	c, err := NewTokenClient(cfg)
	if err != nil {
		t.Fatalf("NewTokenClient: %v", err)
	}
	return c
}

func TestTokenHandshakeWithNonce(t *testing.T) {
	clock := newFakeClock()
	key := mustKey(t, AlgES256)
	f := newFakeHelseID(t, key, clock.Now)
	f.expectDetails = `[{"type":"helseid_authorization","practitioner_role":{"organization":{"identifier":{"system":"urn:oid:1.0.6523","type":"ENH","value":"NO:ORGNR:999000010:999000002"}}}}]`
	cfg := f.config(key)
	cfg.Tenancy, cfg.OrgNumber, cfg.ChildOrgNumber = TenancyMulti, "999000010", "999000002"
	c := newTestClient(t, cfg)

	tok, err := c.Token(t.Context())
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	if tok.Type != "DPoP" || !strings.HasPrefix(tok.AccessToken, "at-") || !tok.ExpiresAt.Equal(clock.Now().Add(300*time.Second)) {
		t.Errorf("token = %v", tok)
	}
	if tok.Scope != "nhn:hgd-persontjenesten-api/read-with-legal-basis" {
		t.Errorf("scope = %q", tok.Scope)
	}
	posts := f.postsSnapshot()
	if len(posts) != 2 {
		t.Fatalf("%d token requests, want 2 (nonce challenge and retry)", len(posts))
	}
	if posts[0].proofNonce != "" || posts[1].proofNonce == "" {
		t.Errorf("proof nonces %q, %q: want none, then the server's", posts[0].proofNonce, posts[1].proofNonce)
	}
	if posts[0].assertionJTI == posts[1].assertionJTI {
		t.Error("the nonce retry reused the client assertion")
	}
	want := TokenStats{Fetches: 1, Requests: 2, NonceRetries: 1, Discoveries: 1}
	if got := c.Stats(); got != want {
		t.Errorf("Stats = %+v, want %+v", got, want)
	}

	// Cached.
	again, err := c.Token(t.Context())
	if err != nil || again.AccessToken != tok.AccessToken {
		t.Errorf("second Token = %v, %v: want the cached token", again, err)
	}
	// After Invalidate, the remembered nonce makes one request enough.
	c.Invalidate("some other token")
	if again, _ := c.Token(t.Context()); again.AccessToken != tok.AccessToken {
		t.Error("Invalidate of another token dropped the cached one")
	}
	c.Invalidate(tok.AccessToken)
	fresh, err := c.Token(t.Context())
	if err != nil || fresh.AccessToken == tok.AccessToken {
		t.Fatalf("Token after Invalidate = %v, %v: want a new token", fresh, err)
	}
	want = TokenStats{Fetches: 2, Requests: 3, NonceRetries: 1, Discoveries: 1}
	if got := c.Stats(); got != want {
		t.Errorf("Stats = %+v, want %+v", got, want)
	}
}

func TestTokenNonceRotationBetweenRequests(t *testing.T) {
	clock := newFakeClock()
	key := mustKey(t, AlgRS256)
	f := newFakeHelseID(t, key, clock.Now)
	c := newTestClient(t, f.config(key))
	if _, err := c.Token(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.set(func(f *fakeHelseID) { f.nonce = "rotated" })
	c.Invalidate(mustToken(t, c).AccessToken)
	if _, err := c.Token(t.Context()); err != nil {
		t.Fatalf("Token after nonce rotation: %v", err)
	}
	posts := f.postsSnapshot()
	if len(posts) != 4 || posts[3].proofNonce != "rotated" {
		t.Errorf("token requests %+v: want a stale-nonce refusal and a retry with the rotated nonce", posts)
	}
}

func mustToken(t *testing.T, c *TokenClient) Token {
	t.Helper()
	tok, err := c.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestTokenAuthorityForms(t *testing.T) {
	for _, tc := range []struct {
		name      string
		authority func(srv string) string
		issuer    func(srv string) string
	}{
		{"authority with slash, issuer with slash", func(s string) string { return s + "/" }, func(s string) string { return s + "/" }},
		{"authority without slash, issuer with slash", func(s string) string { return s }, func(s string) string { return s + "/" }},
		{"authority with slash, issuer without", func(s string) string { return s + "/" }, func(s string) string { return s }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var paths []string
			var aud string
			key := mustKey(t, AlgES256)
			var srv *httptest.Server
			srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				paths = append(paths, r.URL.Path)
				mu.Unlock()
				switch r.URL.Path {
				case "/.well-known/openid-configuration":
					writeJSON(w, 200, map[string]string{"issuer": tc.issuer(srv.URL), "token_endpoint": srv.URL + "/connect/token"})
				case "/other/token":
					_ = r.ParseForm()
					claims, _, err := verifyJWT(r.PostForm.Get("client_assertion"), &key.public)
					if err != nil {
						t.Errorf("assertion: %v", err)
					}
					var c struct{ Aud string }
					_ = json.Unmarshal(claims, &c)
					mu.Lock()
					aud = c.Aud
					mu.Unlock()
					writeJSON(w, 200, map[string]any{"access_token": "x", "token_type": "DPoP", "expires_in": 60})
				default:
					http.NotFound(w, r)
				}
			}))
			defer srv.Close()
			c := newTestClient(t, Config{
				Authority: tc.authority(srv.URL), TokenEndpoint: srv.URL + "/other/token", ClientID: "c", Key: key,
				Scopes: []string{"s"}, HTTPClient: &http.Client{Timeout: 5 * time.Second},
			})
			if _, err := c.Token(t.Context()); err != nil {
				t.Fatalf("Token: %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			if strings.Join(paths, " ") != "/.well-known/openid-configuration /other/token" {
				t.Errorf("paths = %v", paths)
			}
			if aud != tc.issuer(srv.URL) {
				t.Errorf("aud = %q, want the discovered issuer %q", aud, tc.issuer(srv.URL))
			}
		})
	}
}

func TestNewTokenClientValidation(t *testing.T) {
	key := mustKey(t, AlgES256)
	valid := Config{
		Authority: "https://helseid-sts.test.nhn.no/", ClientID: "c", Key: key,
		Scopes: []string{"nhn:hgd-persontjenesten-api/read-with-legal-basis"}, HTTPClient: &http.Client{Timeout: time.Second},
	}
	if _, err := NewTokenClient(valid); err != nil {
		t.Fatalf("valid config refused: %v", err)
	}
	for _, tc := range []struct {
		name   string
		change func(*Config)
	}{
		{"no authority", func(c *Config) { c.Authority = "" }},
		{"relative authority", func(c *Config) { c.Authority = "/helseid" }},
		{"plain http off loopback", func(c *Config) { c.Authority = "http://helseid-sts.test.nhn.no/" }},
		{"user info", func(c *Config) { c.Authority = "https://u:p@helseid-sts.test.nhn.no/" }},
		{"bad token endpoint", func(c *Config) { c.TokenEndpoint = "ftp://x/connect/token" }},
		{"no client id", func(c *Config) { c.ClientID = " " }},
		{"no key", func(c *Config) { c.Key = nil }},
		{"no HTTP client", func(c *Config) { c.HTTPClient = nil }},
		{"no scopes", func(c *Config) { c.Scopes = []string{"", " "} }},
		{"bad tenancy", func(c *Config) { c.Tenancy = "shared" }},
		{"bad org number", func(c *Config) { c.OrgNumber = "12345" }},
		{"multi child without parent", func(c *Config) { c.Tenancy, c.ChildOrgNumber = TenancyMulti, "999000002" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := valid
			tc.change(&cfg)
			if _, err := NewTokenClient(cfg); !errors.Is(err, ErrInvalidConfig) {
				t.Errorf("error = %v, want ErrInvalidConfig", err)
			}
		})
	}
	for _, ok := range []string{"http://127.0.0.1:8080/", "http://localhost:1/", "http://[::1]:9/"} {
		cfg := valid
		cfg.Authority = ok
		if _, err := NewTokenClient(cfg); err != nil {
			t.Errorf("loopback authority %s refused: %v", ok, err)
		}
	}
}

func TestTokenRefreshAhead(t *testing.T) {
	for _, tc := range []struct {
		name     string
		lifetime time.Duration
		early    time.Duration // before this: cached, no request
		window   time.Duration // from here: old token returned, renewal in background
		margin   time.Duration // this long before expiry: callers wait for a new token
	}{
		{"5 minutes", 300 * time.Second, 269 * time.Second, 271 * time.Second, 5 * time.Second},
		{"1 hour", time.Hour, 3569 * time.Second, 3571 * time.Second, 5 * time.Second},
		{"5 seconds", 5 * time.Second, 4400 * time.Millisecond, 4600 * time.Millisecond, 250 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			key := mustKey(t, AlgES256)
			f := newFakeHelseID(t, key, clock.Now)
			f.lifetime = tc.lifetime
			c := newTestClient(t, f.config(key))
			start := clock.Now()
			first := mustToken(t, c)

			clock.Advance(tc.early)
			if tok := mustToken(t, c); tok.AccessToken != first.AccessToken || c.Stats().Fetches != 1 {
				t.Fatalf("before the refresh window: new token or request (stats %+v)", c.Stats())
			}

			clock.Advance(tc.window - tc.early)
			if tok := mustToken(t, c); tok.AccessToken != first.AccessToken {
				t.Error("in the refresh window the still-valid token should be returned at once")
			}
			waitIdle(t, c)
			if c.Stats().Fetches != 2 {
				t.Fatalf("no renewal started in the refresh window: %+v", c.Stats())
			}
			second := mustToken(t, c)
			if second.AccessToken == first.AccessToken || !second.ExpiresAt.Equal(start.Add(tc.window+tc.lifetime)) {
				t.Errorf("renewed token %v, want a new one expiring %s", second, start.Add(tc.window+tc.lifetime))
			}

			// Close to expiry the token is no longer handed out: the caller
			// waits for a new one.
			clock.Advance(tc.lifetime - tc.margin)
			third := mustToken(t, c)
			if third.AccessToken == second.AccessToken {
				t.Error("a token about to expire was handed out")
			}
			if c.Stats().Fetches != 3 {
				t.Errorf("Stats = %+v, want 3 fetches", c.Stats())
			}
		})
	}
}

// Under steady load the client asks for about one token per lifetime.
func TestTokenOneRequestPerLifetimeUnderLoad(t *testing.T) {
	clock := newFakeClock()
	key := mustKey(t, AlgES256)
	f := newFakeHelseID(t, key, clock.Now)
	f.lifetime = 100 * time.Second
	c := newTestClient(t, f.config(key))
	const seconds = 1000
	for range seconds {
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if _, err := c.Token(t.Context()); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		waitIdle(t, c)
		clock.Advance(time.Second)
	}
	// A renewal at 90% of the lifetime: 1000 s / 90 s.
	if got := c.Stats().Fetches; got < 10 || got > 12 {
		t.Errorf("%d token fetches over %d s with a 100 s lifetime, want 10 to 12", got, seconds)
	}
}

func TestTokenWaitersHonourContext(t *testing.T) {
	clock := newFakeClock()
	key := mustKey(t, AlgES256)
	f := newFakeHelseID(t, key, clock.Now)
	release := make(chan struct{})
	f.set(func(f *fakeHelseID) {
		f.requireNonce = false
		f.block = release
		f.entered = make(chan struct{}, 1)
	})
	c := newTestClient(t, f.config(key))

	firstc := make(chan error, 1)
	go func() { _, err := c.Token(context.Background()); firstc <- err }()
	<-f.entered // the one request is at the server now

	ctx, cancel := context.WithCancel(t.Context())
	waiterc := make(chan error, 1)
	go func() { _, err := c.Token(ctx); waiterc <- err }()
	cancel()
	if err := <-waiterc; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled waiter got %v, want context.Canceled", err)
	}
	if _, err := c.Token(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Token with a cancelled ctx: %v", err)
	}

	close(release)
	if err := <-firstc; err != nil {
		t.Errorf("first caller: %v", err)
	}
	if got := c.Stats(); got.Fetches != 1 || got.Requests != 1 {
		t.Errorf("Stats = %+v, want exactly one request", got)
	}
}

// A caller that gives up does not abort the request others wait for.
func TestTokenRequestSurvivesCancelledStarter(t *testing.T) {
	clock := newFakeClock()
	key := mustKey(t, AlgES256)
	f := newFakeHelseID(t, key, clock.Now)
	release := make(chan struct{})
	f.set(func(f *fakeHelseID) { f.block = release; f.entered = make(chan struct{}, 2) })
	c := newTestClient(t, f.config(key))

	ctx, cancel := context.WithCancel(t.Context())
	starter := make(chan error, 1)
	go func() { _, err := c.Token(ctx); starter <- err }()
	<-f.entered
	cancel()
	if err := <-starter; !errors.Is(err, context.Canceled) {
		t.Errorf("starter: %v", err)
	}
	waiter := make(chan error, 1)
	go func() { _, err := c.Token(t.Context()); waiter <- err }()
	close(release)
	if err := <-waiter; err != nil {
		t.Errorf("waiter: %v", err)
	}
	if got := c.Stats().Fetches; got != 1 {
		t.Errorf("%d fetches, want 1", got)
	}
}

// tokenAnswer serves discovery and a fixed token endpoint answer.
func tokenAnswer(t *testing.T, status int, header map[string]string, body string) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/.well-known/openid-configuration" {
			writeJSON(w, 200, map[string]string{"issuer": srv.URL + "/", "token_endpoint": srv.URL + "/connect/token"})
			return
		}
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestTokenErrors(t *testing.T) {
	for _, tc := range []struct {
		name       string
		status     int
		header     map[string]string
		body       string
		check      func(error) bool
		wantCode   string
		wantStatus int
	}{
		{name: "invalid_client", status: 400, body: `{"error":"invalid_client","error_description":"Client authentication failed"}`,
			check: IsInvalidClient, wantCode: "invalid_client", wantStatus: 400},
		{name: "no delegation", status: 400, body: `{"error":"unauthorized_client","error_description":"The organization 999000010 has not delegated access to this client in Altinn"}`,
			check: IsNoDelegation, wantCode: "unauthorized_client", wantStatus: 400},
		{name: "delegation in description", status: 400, body: `{"error":"invalid_request","error_description":"Missing delegation for organization"}`,
			check: IsNoDelegation, wantCode: "invalid_request", wantStatus: 400},
		{name: "invalid_scope", status: 400, body: `{"error":"invalid_scope"}`,
			check: IsInvalidScope, wantCode: "invalid_scope", wantStatus: 400},
		{name: "401 invalid_client", status: 401, body: `{"error":"invalid_client"}`,
			check: IsInvalidClient, wantCode: "invalid_client", wantStatus: 401},
		{name: "nonce demanded without a nonce", status: 400, body: `{"error":"use_dpop_nonce"}`,
			check: func(err error) bool { return !IsUnavailable(err) }, wantCode: "use_dpop_nonce", wantStatus: 400},
		{name: "4xx without JSON", status: 404, body: "not found",
			check: func(err error) bool { return !IsUnavailable(err) && !IsInvalidClient(err) }, wantStatus: 404},
		{name: "500", status: 500, body: "boom", check: IsUnavailable},
		{name: "503", status: 503, body: `{"error":"temporarily_unavailable"}`, check: IsUnavailable},
		{name: "429", status: 429, header: map[string]string{"Retry-After": "2"}, body: "", check: IsUnavailable},
		{name: "bearer token", status: 200, body: `{"access_token":"x","token_type":"Bearer","expires_in":60}`,
			check: func(err error) bool { return errors.Is(err, ErrInvalidResponse) }},
		{name: "no expires_in", status: 200, body: `{"access_token":"x","token_type":"DPoP"}`,
			check: func(err error) bool { return errors.Is(err, ErrInvalidResponse) }},
		{name: "no access_token", status: 200, body: `{"token_type":"DPoP","expires_in":60}`,
			check: func(err error) bool { return errors.Is(err, ErrInvalidResponse) }},
		{name: "not JSON", status: 200, body: `<html>`,
			check: func(err error) bool { return errors.Is(err, ErrInvalidResponse) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := tokenAnswer(t, tc.status, tc.header, tc.body)
			c := newTestClient(t, Config{Authority: srv.URL, ClientID: "c", Key: mustKey(t, AlgES256), Scopes: []string{"s"},
				HTTPClient: &http.Client{Timeout: 5 * time.Second}})
			_, err := c.Token(t.Context())
			if err == nil || !tc.check(err) {
				t.Fatalf("error %v does not pass the check", err)
			}
			var te *TokenError
			if tc.wantStatus != 0 {
				if !errors.As(err, &te) || te.Code != tc.wantCode || te.Status != tc.wantStatus {
					t.Errorf("TokenError = %+v, want status %d code %q", te, tc.wantStatus, tc.wantCode)
				}
				if IsUnavailable(err) {
					t.Error("an OAuth error must not count as unavailable")
				}
			} else if errors.As(err, &te) {
				t.Errorf("unexpected TokenError %+v", te)
			}
			if got := c.Stats(); got.Failures != 1 || got.Fetches != 1 {
				t.Errorf("Stats = %+v", got)
			}
		})
	}
}

func TestTokenUnavailable(t *testing.T) {
	closed := func(t *testing.T) string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		_ = l.Close()
		return "http://" + addr + "/"
	}
	hanging := func(t *testing.T) string {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
		t.Cleanup(srv.Close)
		t.Cleanup(func() { close(release) })
		return srv.URL + "/"
	}
	static := func(status int, body string) func(t *testing.T) string {
		return func(t *testing.T) string {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(status)
				_, _ = w.Write([]byte(body))
			}))
			t.Cleanup(srv.Close)
			return srv.URL + "/"
		}
	}
	for _, tc := range []struct {
		name      string
		authority func(t *testing.T) string
	}{
		{"connection refused", closed},
		{"timeout", hanging},
		{"discovery 404", static(404, "")},
		{"discovery 503", static(503, "")},
		{"discovery not JSON", static(200, "<html>")},
		{"issuer mismatch", static(200, `{"issuer":"https://elsewhere.example/","token_endpoint":"https://elsewhere.example/connect/token"}`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t, Config{Authority: tc.authority(t), ClientID: "c", Key: mustKey(t, AlgES256), Scopes: []string{"s"},
				HTTPClient: &http.Client{Timeout: 200 * time.Millisecond}})
			_, err := c.Token(t.Context())
			if !IsUnavailable(err) {
				t.Errorf("error %v, want IsUnavailable", err)
			}
			if IsInvalidClient(err) || IsNoDelegation(err) {
				t.Errorf("error %v misclassified", err)
			}
		})
	}
}

// While HelseID is down, callers get the last error at once for a moment
// instead of each sending another request.
func TestTokenUnavailableBackoff(t *testing.T) {
	clock := newFakeClock()
	var mu sync.Mutex
	status := http.StatusServiceUnavailable
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/.well-known/openid-configuration" {
			writeJSON(w, 200, map[string]string{"issuer": srv.URL + "/", "token_endpoint": srv.URL + "/connect/token"})
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if status != http.StatusOK {
			w.WriteHeader(status)
			return
		}
		writeJSON(w, 200, map[string]any{"access_token": "x", "token_type": "DPoP", "expires_in": 60})
	}))
	defer srv.Close()
	c := newTestClient(t, Config{Authority: srv.URL + "/", ClientID: "c", Key: mustKey(t, AlgES256), Scopes: []string{"s"},
		HTTPClient: &http.Client{Timeout: 5 * time.Second}, Now: clock.Now})

	for range 3 {
		if _, err := c.Token(t.Context()); !IsUnavailable(err) {
			t.Fatalf("error %v, want unavailable", err)
		}
	}
	if got := c.Stats().Requests; got != 1 {
		t.Errorf("%d requests within the backoff, want 1", got)
	}
	mu.Lock()
	status = http.StatusOK
	mu.Unlock()
	clock.Advance(2 * time.Second)
	if _, err := c.Token(t.Context()); err != nil {
		t.Fatalf("after the backoff: %v", err)
	}
	if got := c.Stats(); got.Requests != 2 || got.Failures != 1 {
		t.Errorf("Stats = %+v", got)
	}
}

func TestTokenFormattingHidesAccessToken(t *testing.T) {
	tok := Token{AccessToken: "at-very-secret-value", Type: "DPoP", Scope: "s", ExpiresAt: testTime()}
	var b strings.Builder
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		b.WriteString(fmt.Sprintf(format, tok))
		b.WriteString(fmt.Sprintf(format, &tok))
	}
	if strings.Contains(b.String(), "very-secret") {
		t.Errorf("formatted token leaks the access token: %s", b.String())
	}
	if !strings.Contains(b.String(), "DPoP token") {
		t.Errorf("formatted token lacks its description: %s", b.String())
	}
}
