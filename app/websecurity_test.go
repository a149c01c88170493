package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"resepsjon/activation"
	"resepsjon/app"
	"resepsjon/config"
	"resepsjon/lookup"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/refresh"
	"resepsjon/register"
	"resepsjon/store"
)

// testConfig is the app's Config plus what the test wires into the
// practice's NHN connection.
type testConfig struct {
	app.Config
	Keys   helseid.KeyStore // nil: a machine without a keyring
	NHN    config.NHN
	OSUser string
	// PortalWire builds the portal's staff side over the test database.
	PortalWire func(db *store.DB) app.PortalConfig
	// TransferWire builds import, export, backups and restore over the
	// test database.
	TransferWire func(db *store.DB) app.TransferConfig
	// WrapClients, when set, stands between the handlers and the
	// register's storage (to make it fail).
	WrapClients func(register.ClientStore) register.ClientStore
	// TokenNow is the HelseID token client's clock (nil: the real time).
	TokenNow register.Clock
	// WrapAudit, when set, stands between the lookups and the audit log
	// (to see a row as it is written).
	WrapAudit func(register.AuditLog) register.AuditLog
}

// wire builds the use cases over db the way the program does and returns
// the app's Config.
func wire(t testing.TB, db *store.DB, cfg testConfig) app.Config {
	t.Helper()
	keys := cfg.Keys
	if keys == nil {
		keys = helseid.NoKeyring{}
	}
	conn, err := activation.New(activation.Config{Settings: db, Keys: keys, NHN: cfg.NHN, Logger: cfg.Logger,
		Now: cfg.Now, TokenNow: cfg.TokenNow, OSUser: cfg.OSUser})
	if err != nil {
		t.Fatal(err)
	}
	var audit register.AuditLog = db
	if cfg.WrapAudit != nil {
		audit = cfg.WrapAudit(db)
	}
	look, err := lookup.New(lookup.Config{Connection: conn, Clients: db, Audit: audit, Now: cfg.Now, OSUser: cfg.OSUser, Logger: cfg.Logger})
	if err != nil {
		t.Fatal(err)
	}
	runner, err := refresh.New(refresh.Config{Connection: conn, Lookup: look, Clients: db, Now: cfg.Now, Logger: cfg.Logger})
	if err != nil {
		t.Fatal(err)
	}
	out := cfg.Config
	out.Clients, out.Audit, out.Connection, out.Lookup, out.Refresh, out.OSUser = db, db, conn, look, runner, cfg.OSUser
	if cfg.WrapClients != nil {
		out.Clients = cfg.WrapClients(db)
	}
	if cfg.PortalWire != nil {
		out.Portal = cfg.PortalWire(db)
	}
	if cfg.TransferWire != nil {
		out.Transfer = cfg.TransferWire(db)
	}
	return out
}

// newTestAppWith is newTestApp with a hook that may change the Config before
// the server is built (clock, logger, body limit).
func newTestAppWith(t testing.TB, configure func(*testConfig)) *testApp {
	t.Helper()
	return newTestAppAt(t, filepath.Join(t.TempDir(), "resepsjon.db"), configure)
}

// newTestAppAt is newTestAppWith on the database file dbPath.
func newTestAppAt(t testing.TB, dbPath string, configure func(*testConfig)) *testApp {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	db, err := store.Open(ctx, dbPath, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	token, err := app.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	ui := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Resepsjon</title>")}, "app.js": {Data: []byte("export {}")}}
	cfg := testConfig{Config: app.Config{UI: ui, Token: token, Port: port, Version: "test"}}
	if configure != nil {
		configure(&cfg)
	}
	srv, err := app.New(wire(t, db, cfg))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		db.Close()
	})
	return &testApp{t: t, srv: srv, db: db, base: "http://127.0.0.1:" + strconv.Itoa(port), token: token, port: port}
}

// fakeClock is a settable clock for launch-token expiry.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// browserSession redeems a fresh launch URL like a browser does and returns
// a client that carries the session cookie (and does not follow redirects
// after that).
func browserSession(t *testing.T, a *testApp) (*http.Client, *http.Cookie) {
	t.Helper()
	launch, err := a.srv.LaunchURL()
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(launch)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("launch: %d", resp.StatusCode)
	}
	cookies := resp.Cookies()
	if len(cookies) != 1 {
		t.Fatalf("launch set %d cookies, want 1", len(cookies))
	}
	return c, cookies[0]
}

// send does one request with client c and returns status, headers and body.
func send(t *testing.T, c *http.Client, method, u, body string, header map[string]string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: data}
}

func TestDNSRebindingHostsRefused(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	port := strconv.Itoa(a.port)
	launch, err := a.srv.LaunchURL()
	if err != nil {
		t.Fatal(err)
	}
	launchPath := strings.TrimPrefix(launch, a.base)
	refused := []string{
		"evil.example:" + port,
		"127.0.0.1.evil.example:" + port,
		"localhost.evil.example:" + port,
		"localhost.:" + port,
		"evil.example",
		"0.0.0.0:" + port,
		"127.0.0.1:" + strconv.Itoa(a.port+1),
		"[::1]:" + strconv.Itoa(a.port+1),
		"127.0.0.1",
		"127.0.0.1:" + port + "0",
	}
	paths := []struct{ method, path, body string }{
		{"GET", "/", ""},
		{"GET", launchPath, ""},
		{"GET", "/app.js", ""},
		{"GET", "/api/health", ""},
		{"GET", "/api/clients?q=nordmann", ""},
		{"POST", "/api/clients", `{"givenName":"Kari","familyName":"Nordmann"}`},
		{"POST", "/api/launch", ""},
	}
	plain := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, host := range refused {
		for _, p := range paths {
			t.Run(host+" "+p.method+" "+p.path, func(t *testing.T) {
				// Even with the right token: a rebinding page never
				// has it, but the Host check must not depend on that.
				r := send(t, plain, p.method, a.base+p.path, p.body, map[string]string{
					"Host": host, "Authorization": "Bearer " + a.token})
				if r.status != http.StatusForbidden {
					t.Fatalf("status %d, want 403: %.200s", r.status, r.body)
				}
				if e := r.apiError(t); e.Code != "forbidden_host" || e.Message == "" {
					t.Fatalf("error %+v", e)
				}
				if len(r.header.Values("Set-Cookie")) != 0 {
					t.Fatal("a refused host got a cookie")
				}
			})
		}
	}
	// The refused launch requests did not use up the launch token.
	if _, ck := browserSession(t, a); ck == nil {
		t.Fatal("no session")
	}
	fresh := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if r := send(t, fresh, "GET", launch, "", nil); len(r.header.Values("Set-Cookie")) != 1 {
		t.Fatalf("the launch token was consumed by a request with a foreign Host (status %d)", r.status)
	}
	page, err := a.db.SearchClients(context.Background(), register.Query{})
	if err != nil || page.Total != 0 {
		t.Fatalf("refused requests stored %d clients (%v)", page.Total, err)
	}

	// The loopback names with the right port are served.
	for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port, "127.0.0.2:" + port} {
		r := send(t, plain, "GET", a.base+"/api/clients", "", map[string]string{"Host": host, "Authorization": "Bearer " + a.token})
		if r.status != http.StatusOK {
			t.Errorf("host %s: %d %s", host, r.status, r.body)
		}
	}
}

func TestCrossOriginWritesRefused(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	port := strconv.Itoa(a.port)
	browser, cookie := browserSession(t, a)
	created := a.do("POST", "/api/clients", validClient(t))
	if created.status != http.StatusCreated {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	var c register.Client
	created.decode(t, &c)
	id := strconv.FormatInt(c.ID, 10)
	changed := c
	changed.FamilyName = "Overskrevet"
	changedBody := string(mustJSON(t, changed))

	foreign := []map[string]string{
		{"Origin": "http://evil.example"},
		{"Origin": "null"},
		{"Origin": "http://127.0.0.1.evil.example:" + port},
		{"Origin": "https://127.0.0.1:" + port},
		{"Origin": "http://127.0.0.1:" + strconv.Itoa(a.port+1)},
		{"Origin": "http://localhost:" + port}, // another origin than the page's 127.0.0.1
		{"Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "same-site"}, // another port on this machine
		{"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
	}
	writes := []struct{ method, path, body string }{
		{"POST", "/api/clients", `{"givenName":"Per","familyName":"Inntrenger"}`},
		{"PUT", "/api/clients/" + id, changedBody},
		{"DELETE", "/api/clients/" + id + "?version=1", ""},
		{"POST", "/api/launch", ""},
	}
	for _, hdr := range foreign {
		for _, w := range writes {
			name := w.method + " " + w.path + " " + hdr["Origin"] + hdr["Sec-Fetch-Site"]
			t.Run(name, func(t *testing.T) {
				// The browser's cookie rides along (the CSRF case) and,
				// separately, the bearer token: neither gets through.
				for _, auth := range []string{"cookie", "bearer"} {
					h := map[string]string{}
					for k, v := range hdr {
						h[k] = v
					}
					client := browser
					if auth == "bearer" {
						client = &http.Client{Timeout: 10 * time.Second}
						h["Authorization"] = "Bearer " + a.token
					}
					r := send(t, client, w.method, a.base+w.path, w.body, h)
					if r.status != http.StatusForbidden {
						t.Fatalf("%s: status %d, want 403: %.200s", auth, r.status, r.body)
					}
					if e := r.apiError(t); e.Code != "forbidden_origin" {
						t.Fatalf("%s: code %q", auth, e.Code)
					}
					if strings.Contains(string(r.body), "/?token=") {
						t.Fatalf("%s: a launch URL leaked to another origin", auth)
					}
				}
			})
		}
	}
	stored, err := a.db.GetClient(context.Background(), c.ID)
	if err != nil || stored.FamilyName != c.FamilyName || stored.Version != 1 {
		t.Fatalf("after refused cross-origin writes: %+v %v", stored, err)
	}
	if page, _ := a.db.SearchClients(context.Background(), register.Query{}); page.Total != 1 {
		t.Fatalf("refused cross-origin writes left %d clients, want 1", page.Total)
	}

	// The same cookie from the app's own page (same origin) may write.
	r := send(t, browser, "PUT", a.base+"/api/clients/"+id, changedBody, map[string]string{
		"Origin": "http://127.0.0.1:" + port, "Sec-Fetch-Site": "same-origin"})
	if r.status != http.StatusOK {
		t.Fatalf("same-origin save with cookie %s: %d %s", cookie.Name, r.status, r.body)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNoCORSForOtherOrigins(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	plain := &http.Client{Timeout: 10 * time.Second}
	for _, m := range []string{"OPTIONS", "GET"} {
		r := send(t, plain, m, a.base+"/api/clients", "", map[string]string{
			"Origin": "http://evil.example", "Access-Control-Request-Method": "PUT",
			"Access-Control-Request-Headers": "authorization", "Authorization": "Bearer " + a.token})
		for k := range r.header {
			if strings.HasPrefix(strings.ToLower(k), "access-control-") {
				t.Errorf("%s from another origin: answered with %s: %v", m, k, r.header.Values(k))
			}
		}
	}
}

func TestTokensOutsideTheirPlace(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	a := newTestAppWith(t, func(c *testConfig) { c.Now = clock.Now })
	plain := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	launch, err := a.srv.LaunchURL()
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(launch)
	launchToken := u.Query().Get("token")

	tests := []struct {
		name   string
		path   string
		header map[string]string
	}{
		{"session token in the query of an API route", "/api/clients?token=" + url.QueryEscape(a.token), nil},
		{"session token as access_token parameter", "/api/clients?access_token=" + url.QueryEscape(a.token), nil},
		{"launch token as bearer", "/api/clients", map[string]string{"Authorization": "Bearer " + launchToken}},
		{"launch token in the query of an API route", "/api/clients?token=" + launchToken, nil},
		{"launch token as cookie", "/api/clients", map[string]string{"Cookie": "resepsjon_" + strconv.Itoa(a.port) + "=" + launchToken}},
		{"session token with a suffix", "/api/clients", map[string]string{"Authorization": "Bearer " + a.token + "x"}},
		{"session token cut short", "/api/clients", map[string]string{"Authorization": "Bearer " + a.token[:len(a.token)-1]}},
		{"empty bearer", "/api/clients", map[string]string{"Authorization": "Bearer "}},
		{"session token in another port's cookie", "/api/clients", map[string]string{"Cookie": "resepsjon_" + strconv.Itoa(a.port+1) + "=" + a.token}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := send(t, plain, "GET", a.base+tc.path, "", tc.header)
			if r.status != http.StatusUnauthorized || r.apiError(t).Code != "unauthorized" {
				t.Fatalf("status %d: %.200s", r.status, r.body)
			}
		})
	}

	// An expired launch URL opens no session, and is then gone.
	clock.Advance(11 * time.Minute)
	if r := send(t, plain, "GET", launch, "", nil); r.status != http.StatusSeeOther || len(r.header.Values("Set-Cookie")) != 0 {
		t.Fatalf("expired launch URL: %d, cookies %v", r.status, r.header.Values("Set-Cookie"))
	}
	// A launch URL used once (in time) is no longer accepted.
	fresh, err := a.srv.LaunchURL()
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(9 * time.Minute)
	first := send(t, plain, "GET", fresh, "", nil)
	if first.status != http.StatusSeeOther || len(first.header.Values("Set-Cookie")) != 1 {
		t.Fatalf("first use of a launch URL: %d %v", first.status, first.header.Values("Set-Cookie"))
	}
	if loc := first.header.Get("Location"); loc != "/" {
		t.Fatalf("after launch the browser goes to %q, want / (no token in the address bar)", loc)
	}
	for i := range 3 {
		again := send(t, plain, "GET", fresh, "", nil)
		if len(again.header.Values("Set-Cookie")) != 0 {
			t.Fatalf("use %d of a used launch URL set a cookie", i+2)
		}
	}
}

func TestSessionCookieFlags(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	launch, err := a.srv.LaunchURL()
	if err != nil {
		t.Fatal(err)
	}
	plain := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	r := send(t, plain, "GET", launch, "", nil)
	raw := r.header.Values("Set-Cookie")
	if len(raw) != 1 {
		t.Fatalf("Set-Cookie %v", raw)
	}
	ck, err := http.ParseSetCookie(raw[0])
	if err != nil {
		t.Fatal(err)
	}
	if ck.Name != "resepsjon_"+strconv.Itoa(a.port) {
		t.Errorf("cookie name %q: want one per port, so two instances do not share it", ck.Name)
	}
	if !ck.HttpOnly {
		t.Error("cookie not HttpOnly: page scripts could read the session")
	}
	if ck.SameSite != http.SameSiteStrictMode {
		t.Errorf("cookie SameSite %v, want Strict", ck.SameSite)
	}
	if ck.Path != "/" {
		t.Errorf("cookie Path %q, want /", ck.Path)
	}
	if ck.Domain != "" {
		t.Errorf("cookie Domain %q: it must stay host-only", ck.Domain)
	}
	if ck.MaxAge != 0 || !ck.Expires.IsZero() {
		t.Errorf("cookie outlives the browser session: Max-Age %d, Expires %v", ck.MaxAge, ck.Expires)
	}
	if ck.Value != a.token {
		t.Error("the cookie does not carry the session")
	}
	if loc := r.header.Get("Location"); strings.Contains(loc, "token") {
		t.Errorf("redirect keeps the token: %q", loc)
	}
	if rp := r.header.Get("Referrer-Policy"); rp != "no-referrer" {
		t.Errorf("launch response Referrer-Policy %q: the launch URL could leak as referrer", rp)
	}
}

// csp parses a Content-Security-Policy into directive -> sources.
func csp(h string) map[string][]string {
	out := map[string][]string{}
	for _, d := range strings.Split(h, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			out[strings.ToLower(f[0])] = f[1:]
		}
	}
	return out
}

func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	port := strconv.Itoa(a.port)
	plain := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	launch, _ := a.srv.LaunchURL()
	bearer := map[string]string{"Authorization": "Bearer " + a.token}
	cases := []struct {
		name         string
		method, path string
		body         string
		header       map[string]string
		status       int
	}{
		{"index", "GET", "/", "", nil, 200},
		{"launch redirect", "GET", strings.TrimPrefix(launch, a.base), "", nil, 303},
		{"script", "GET", "/app.js", "", nil, 200},
		{"missing file", "GET", "/nothing.js", "", nil, 404},
		{"unauthorized", "GET", "/api/clients", "", nil, 401},
		{"forbidden host", "GET", "/api/health", "", map[string]string{"Host": "evil.example:" + port}, 403},
		{"forbidden origin", "POST", "/api/clients", "{}", map[string]string{"Origin": "null", "Authorization": "Bearer " + a.token}, 403},
		{"not found", "GET", "/api/clients/999", "", bearer, 404},
		{"unknown method", "PATCH", "/api/clients/1", "{}", bearer, 405},
		{"bad json", "POST", "/api/clients", "{", bearer, 400},
		{"too large", "POST", "/api/clients", `{"notes":"` + strings.Repeat("x", 2<<20) + `"}`, bearer, 413},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := send(t, plain, tc.method, a.base+tc.path, tc.body, tc.header)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %.200s", r.status, tc.status, r.body)
			}
			h := r.header
			p := csp(h.Get("Content-Security-Policy"))
			script, ok := p["script-src"]
			if !ok {
				script, ok = p["default-src"]
			}
			if !ok || len(script) == 0 {
				t.Fatalf("no script-src in CSP %q", h.Get("Content-Security-Policy"))
			}
			for _, src := range script {
				if src != "'self'" {
					t.Errorf("script-src allows %s (only 'self': no inline or foreign script)", src)
				}
			}
			if fa := strings.Join(p["frame-ancestors"], " "); fa != "'none'" {
				t.Errorf("frame-ancestors %q, want 'none'", fa)
			}
			if obj := strings.Join(p["object-src"], " "); obj != "'none'" {
				t.Errorf("object-src %q, want 'none'", obj)
			}
			if v := h.Get("X-Content-Type-Options"); v != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", v)
			}
			if v := h.Get("Referrer-Policy"); v != "no-referrer" {
				t.Errorf("Referrer-Policy %q", v)
			}
			if v := h.Get("X-Frame-Options"); v != "DENY" {
				t.Errorf("X-Frame-Options %q", v)
			}
			if ct := h.Get("Content-Type"); tc.status >= 400 && !strings.HasPrefix(ct, "application/json") {
				t.Errorf("error answered as %q, want JSON", ct)
			}
		})
	}
}
