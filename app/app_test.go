package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"resepsjon/app"
	"resepsjon/nin"
	"resepsjon/register"
	"resepsjon/store"
)

// eventually checks cond every few milliseconds until it holds, and fails
// the test saying what did not happen when it does not within timeout. It
// is for state only the HTTP API shows, such as a background job that the
// page follows the same way; where the code gives a signal (the outbox's
// store, the audit log), tests wait on that instead.
func eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, timeout)
		}
		<-tick.C
	}
}

// testApp is the real app on a loopback listener with a real SQLite file.
type testApp struct {
	t     testing.TB
	srv   *app.Server
	db    *store.DB
	base  string
	token string
	port  int
}

func newTestApp(t *testing.T) *testApp {
	t.Helper()
	return newTestAppWith(t, nil)
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func (r reply) apiError(t testing.TB) app.APIError {
	t.Helper()
	var e struct {
		Error app.APIError `json:"error"`
	}
	r.decode(t, &e)
	return e.Error
}

// do sends a request with the bearer token unless auth is false; mutate
// may change the request further.
func (a *testApp) do(method, path string, body any, mutate ...func(*http.Request)) reply {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, m := range mutate {
		m(req)
	}
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: data}
}

func noAuth(r *http.Request) { r.Header.Del("Authorization") }

func synthetic(t testing.TB, birth string, ind int) string {
	t.Helper()
	b, _ := time.Parse(time.DateOnly, birth)
	for i := ind; i < ind+50; i++ {
		n, err := nin.Generate(b, i, nin.KindNational, true)
		if errors.Is(err, nin.ErrNoValidCheckDigit) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	t.Fatal("no number")
	return ""
}

func validClient(t *testing.T) register.Client {
	return register.Client{NIN: synthetic(t, "1985-03-14", 120), GivenName: "Kari", FamilyName: "Nordmann", Phone: "912 34 567", PostalCode: "0184", City: "Oslo"}
}

func TestHealthNeedsNoSession(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	r := a.do("GET", "/api/health", nil, noAuth)
	if r.status != 200 || !strings.Contains(string(r.body), `"ok"`) {
		t.Fatalf("health: %d %s", r.status, r.body)
	}
}

func TestSessionRequired(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	tests := []struct {
		name   string
		method string
		path   string
		mutate func(*http.Request)
		want   int
	}{
		{"no token list", "GET", "/api/clients", noAuth, 401},
		{"no token create", "POST", "/api/clients", noAuth, 401},
		{"no token app", "GET", "/api/app", noAuth, 401},
		{"wrong token", "GET", "/api/clients", func(r *http.Request) { r.Header.Set("Authorization", "Bearer nope") }, 401},
		{"basic scheme", "GET", "/api/clients", func(r *http.Request) { r.Header.Set("Authorization", "Basic "+a.token) }, 401},
		{"wrong cookie", "GET", "/api/clients", func(r *http.Request) {
			noAuth(r)
			r.AddCookie(&http.Cookie{Name: "resepsjon_" + strconv.Itoa(a.port), Value: "forged"})
		}, 401},
		{"unknown api route without token", "GET", "/api/nothing", noAuth, 401},
		{"bearer ok", "GET", "/api/clients", nil, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var m []func(*http.Request)
			if tc.mutate != nil {
				m = append(m, tc.mutate)
			}
			r := a.do(tc.method, tc.path, nil, m...)
			if r.status != tc.want {
				t.Fatalf("status %d, want %d: %s", r.status, tc.want, r.body)
			}
			if tc.want == 401 && r.apiError(t).Code != "unauthorized" {
				t.Errorf("code %q", r.apiError(t).Code)
			}
		})
	}
}

func TestForeignHostAndOrigin(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	port := strconv.Itoa(a.port)
	tests := []struct {
		name   string
		method string
		mutate func(*http.Request)
		want   int
		code   string
	}{
		{"rebinding host", "GET", func(r *http.Request) { r.Host = "evil.example:" + port }, 403, "forbidden_host"},
		{"rebinding host on health", "GET", func(r *http.Request) { r.Host = "evil.example:" + port; r.URL.Path = "/api/health" }, 403, "forbidden_host"},
		{"loopback host wrong port", "GET", func(r *http.Request) { r.Host = "127.0.0.1:1" }, 403, "forbidden_host"},
		{"host without port", "GET", func(r *http.Request) { r.Host = "localhost" }, 403, "forbidden_host"},
		{"localhost name ok", "GET", func(r *http.Request) { r.Host = "localhost:" + port }, 200, ""},
		{"cross-origin post", "POST", func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }, 403, "forbidden_origin"},
		{"cross-site fetch metadata", "POST", func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") }, 403, "forbidden_origin"},
		{"other loopback port origin", "DELETE", func(r *http.Request) { r.Header.Set("Origin", "http://127.0.0.1:1") }, 403, "forbidden_origin"},
		{"same origin post reaches validation", "POST", func(r *http.Request) { r.Header.Set("Origin", "http://127.0.0.1:"+port) }, 400, "invalid_input"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := "/api/clients"
			if tc.method == "DELETE" {
				path = "/api/clients/1?version=1"
			}
			var body any
			if tc.method == "POST" {
				body = register.Client{}
			}
			r := a.do(tc.method, path, body, tc.mutate)
			if r.status != tc.want {
				t.Fatalf("status %d, want %d: %s", r.status, tc.want, r.body)
			}
			if tc.code != "" && r.apiError(t).Code != tc.code {
				t.Errorf("code %q, want %q", r.apiError(t).Code, tc.code)
			}
		})
	}
	// Nothing was stored by the refused requests.
	page, err := a.db.SearchClients(context.Background(), register.Query{})
	if err != nil || page.Total != 0 {
		t.Fatalf("store after refused requests: %d clients, %v", page.Total, err)
	}
}

func TestLaunchTokenIsOneTime(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	launch, err := a.srv.LaunchURL()
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 5 * time.Second}
	resp, err := browser.Get(launch)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.RawQuery != "" {
		t.Errorf("the browser ended on %s: the token must leave the address bar", resp.Request.URL)
	}
	var session *http.Cookie
	for _, c := range resp.Request.Response.Cookies() {
		session = c
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode {
		t.Fatalf("session cookie %+v: want HttpOnly and SameSite=Strict", session)
	}
	resp, err = browser.Get(a.base + "/api/clients")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("with cookie: %d", resp.StatusCode)
	}
	// A second use of the same launch URL gives no session.
	fresh := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = fresh.Get(launch)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(resp.Cookies()) != 0 {
		t.Fatal("a used launch token set a cookie again")
	}
	// The bearer token itself is not accepted in the URL.
	resp, err = fresh.Get(a.base + "/?token=" + a.token)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(resp.Cookies()) != 0 {
		t.Fatal("the server token in a URL set a cookie")
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	for _, path := range []string{"/", "/app.js", "/api/health", "/api/clients"} {
		r := a.do("GET", path, nil)
		h := r.header
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
}

// TestServerTiming: every answer, an error's too, carries the app's own
// time in Server-Timing, and nothing else there.
func TestServerTiming(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	want := regexp.MustCompile(`^app;dur=[0-9]+\.[0-9]{2}$`)
	for _, c := range []struct {
		path   string
		auth   bool
		status int
	}{
		{"/api/clients?q=nordmann", true, 200},
		{"/api/health", false, 200},
		{"/api/clients", false, 401},
		{"/api/clients/999999", true, 404},
	} {
		var r reply
		if c.auth {
			r = a.do("GET", c.path, nil)
		} else {
			r = a.do("GET", c.path, nil, noAuth)
		}
		if r.status != c.status {
			t.Errorf("%s: status %d, want %d", c.path, r.status, c.status)
		}
		if got := r.header.Get("Server-Timing"); !want.MatchString(got) {
			t.Errorf("%s: Server-Timing %q", c.path, got)
		}
	}
}

func TestClientCRUD(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	in := validClient(t)
	r := a.do("POST", "/api/clients", in)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var created register.Client
	r.decode(t, &created)
	if created.ID == 0 || created.Version != 1 || created.NINType == "" || created.BirthDate != "1985-03-14" {
		t.Fatalf("created %+v", created)
	}
	if r.header.Get("Location") != "/api/clients/"+strconv.FormatInt(created.ID, 10) {
		t.Errorf("Location %q", r.header.Get("Location"))
	}

	r = a.do("GET", "/api/clients/"+strconv.FormatInt(created.ID, 10), nil)
	var got register.Client
	r.decode(t, &got)
	if r.status != 200 || got.FamilyName != "Nordmann" {
		t.Fatalf("get: %d %+v", r.status, got)
	}

	r = a.do("GET", "/api/clients?q=nord+ka", nil)
	var page register.Page
	r.decode(t, &page)
	if page.Total != 1 || len(page.Results) != 1 {
		t.Fatalf("search: %s", r.body)
	}

	got.Phone = "48011222"
	r = a.do("PUT", "/api/clients/"+strconv.FormatInt(created.ID, 10), got)
	var updated register.Client
	r.decode(t, &updated)
	if r.status != 200 || updated.Version != 2 || updated.Phone != "48011222" {
		t.Fatalf("update: %d %s", r.status, r.body)
	}

	// A stale save (version 1 again) is a conflict and changes nothing.
	got.Phone = "99999999"
	r = a.do("PUT", "/api/clients/"+strconv.FormatInt(created.ID, 10), got)
	if r.status != 409 || r.apiError(t).Code != "conflict" || r.apiError(t).CurrentVersion != 2 {
		t.Fatalf("stale update: %d %s", r.status, r.body)
	}
	stored, _ := a.db.GetClient(context.Background(), created.ID)
	if stored.Phone != "48011222" {
		t.Fatalf("stale save changed the client: %+v", stored)
	}

	r = a.do("DELETE", "/api/clients/"+strconv.FormatInt(created.ID, 10)+"?version=1", nil)
	if r.status != 409 {
		t.Fatalf("stale delete: %d %s", r.status, r.body)
	}
	r = a.do("DELETE", "/api/clients/"+strconv.FormatInt(created.ID, 10)+"?version=2", nil)
	if r.status != 204 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	r = a.do("GET", "/api/clients/"+strconv.FormatInt(created.ID, 10), nil)
	if r.status != 404 || r.apiError(t).Code != "not_found" {
		t.Fatalf("get deleted: %d %s", r.status, r.body)
	}
}

func TestInvalidIdentityNumberStoresNothing(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	in := validClient(t)
	in.NIN = in.NIN[:10] + string('0'+(in.NIN[10]-'0'+1)%10)
	for _, lang := range []string{"nb", "en"} {
		r := a.do("POST", "/api/clients", in, func(r *http.Request) { r.Header.Set("Accept-Language", lang) })
		if r.status != 400 {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		e := r.apiError(t)
		if e.Code != "invalid_input" || e.Fields["nin"] == "" || e.FieldCodes["nin"] != "nin.checksum" {
			t.Fatalf("error %+v", e)
		}
	}
	page, _ := a.db.SearchClients(context.Background(), register.Query{})
	if page.Total != 0 {
		t.Fatalf("an invalid client was stored")
	}
}

func TestDuplicateIdentityNumber(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	in := validClient(t)
	r := a.do("POST", "/api/clients", in)
	var first register.Client
	r.decode(t, &first)
	in.GivenName = "Kari Anne"
	r = a.do("POST", "/api/clients", in)
	if r.status != 409 {
		t.Fatalf("duplicate: %d %s", r.status, r.body)
	}
	if e := r.apiError(t); e.Code != "duplicate" || e.ExistingID != first.ID {
		t.Fatalf("duplicate error %+v, want existingId %d", e, first.ID)
	}
	// Spaces in the number do not make it a different number.
	in.NIN = in.NIN[:6] + " " + in.NIN[6:]
	if r = a.do("POST", "/api/clients", in); r.status != 409 {
		t.Fatalf("spaced duplicate: %d %s", r.status, r.body)
	}
}

func TestBadRequests(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	tests := []struct {
		name   string
		method string
		path   string
		body   any
		want   int
		code   string
	}{
		{"malformed json", "POST", "/api/clients", `{"familyName":`, 400, "invalid_json"},
		{"wrong type", "POST", "/api/clients", `{"familyName": 12}`, 400, "invalid_json"},
		{"unknown field", "POST", "/api/clients", `{"surname": "x"}`, 400, "invalid_json"},
		{"two objects", "POST", "/api/clients", `{"familyName":"a","givenName":"b"}{}`, 400, "invalid_json"},
		{"huge body", "POST", "/api/clients", `{"notes":"` + strings.Repeat("x", 2<<20) + `"}`, 413, "too_large"},
		{"bad id", "GET", "/api/clients/abc", nil, 404, "not_found"},
		{"bad limit", "GET", "/api/clients?limit=5000", nil, 400, "invalid_input"},
		{"put without version", "PUT", "/api/clients/1", `{"familyName":"a","givenName":"b"}`, 400, "invalid_input"},
		{"delete without version", "DELETE", "/api/clients/1", nil, 400, "invalid_input"},
		{"unknown route", "GET", "/api/nothing", nil, 404, "route_not_found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := a.do(tc.method, tc.path, tc.body)
			if r.status != tc.want {
				t.Fatalf("status %d, want %d: %.200s", r.status, tc.want, r.body)
			}
			if e := r.apiError(t); e.Code != tc.code || e.Message == "" {
				t.Errorf("error %+v, want code %s", e, tc.code)
			}
		})
	}
}
