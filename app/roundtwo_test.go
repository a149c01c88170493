package app_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"resepsjon/register"
)

// Every API answer (success, error, refusal) and the launch redirect carry
// Cache-Control: no-store, so no client list lands in the browser's disk
// cache.
func TestAPIAnswersAreNotCached(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	created := a.do("POST", "/api/clients", validClient(t))
	if created.status != http.StatusCreated {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	var c register.Client
	created.decode(t, &c)
	for _, tc := range []struct {
		name string
		r    reply
	}{
		{"create", created},
		{"list", a.do("GET", "/api/clients?q=kari", nil)},
		{"get", a.do("GET", "/api/clients/"+strconv.FormatInt(c.ID, 10), nil)},
		{"not found", a.do("GET", "/api/clients/999999", nil)},
		{"no session", a.do("GET", "/api/clients", nil, noAuth)},
		{"health", a.do("GET", "/api/health", nil, noAuth)},
		{"unknown route", a.do("GET", "/api/nothing", nil)},
		{"bad body", a.do("POST", "/api/clients", `{"givenName":`)},
		{"foreign host", a.do("GET", "/api/clients", nil, func(r *http.Request) { r.Host = "evil.example:" + strconv.Itoa(a.port) })},
	} {
		if got := tc.r.header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s (%d): Cache-Control %q, want no-store", tc.name, tc.r.status, got)
		}
	}
	launch, err := a.srv.LaunchURL()
	if err != nil {
		t.Fatal(err)
	}
	r := send(t, &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, "GET", launch, "", nil)
	if r.status != http.StatusSeeOther || r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("launch redirect: %d, Cache-Control %q, want 303 no-store", r.status, r.header.Get("Cache-Control"))
	}
}

// Invalid UTF-8 and lone surrogate escapes are refused as invalid_json,
// not stored as U+FFFD; a proper surrogate pair is a character like any
// other.
func TestInvalidUTF8Refused(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	stored := a.do("POST", "/api/clients", validClient(t))
	var c register.Client
	stored.decode(t, &c)
	for _, body := range []string{
		"{\"givenName\":\"a\xff\",\"familyName\":\"x\"}",
		"{\"givenName\":\"Kari\",\"familyName\":\"x\",\"notes\":\"\xc3\"}",
		`{"givenName":"\ud800","familyName":"x"}`,
		`{"givenName":"a\udc00b","familyName":"x"}`,
		`{"givenName":"\uD800\u0041","familyName":"x"}`,
		`{"givenName":"\ud83d","familyName":"\ude00"}`,
	} {
		for _, req := range []struct{ method, path string }{
			{"POST", "/api/clients"},
			{"PUT", "/api/clients/" + strconv.FormatInt(c.ID, 10)},
		} {
			r := a.do(req.method, req.path, body)
			if r.status != http.StatusBadRequest || r.apiError(t).Code != "invalid_json" {
				t.Errorf("%s %q: %d %s, want 400 invalid_json", req.method, body, r.status, r.body)
			}
		}
	}
	page := a.do("GET", "/api/clients", nil)
	var p register.Page
	page.decode(t, &p)
	if p.Total != 1 {
		t.Errorf("%d clients after refused saves, want 1", p.Total)
	}
	for _, body := range []string{
		`{"givenName":"Kari \ud83d\ude00","familyName":"Nordmann"}`,
		`{"givenName":"Kari \\ud800","familyName":"Nordmann"}`, // an escaped backslash, then text
	} {
		if r := a.do("POST", "/api/clients", body); r.status != http.StatusCreated {
			t.Errorf("%q: %d %s, want 201", body, r.status, r.body)
		}
	}
}

// A cookie of the session's name planted by a page on another 127.0.0.1
// port does not end the session, and an Authorization header of another
// scheme does not hide the cookie.
func TestPlantedCookieAndForeignAuthorization(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	_, session := browserSession(t, a)
	name := "resepsjon_" + strconv.Itoa(a.port)
	plain := &http.Client{}
	for _, tc := range []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"planted cookie first", map[string]string{"Cookie": name + "=x; " + name + "=" + session.Value}, 200},
		{"planted cookie last", map[string]string{"Cookie": name + "=" + session.Value + "; " + name + "=x"}, 200},
		{"Basic header and the cookie", map[string]string{"Cookie": name + "=" + session.Value, "Authorization": "Basic dXNlcjpwdw=="}, 200},
		{"Negotiate header and the cookie", map[string]string{"Cookie": name + "=" + session.Value, "Authorization": "Negotiate abc"}, 200},
		{"only planted cookies", map[string]string{"Cookie": name + "=x; " + name + "=y"}, 401},
		{"wrong bearer and the cookie", map[string]string{"Cookie": name + "=" + session.Value, "Authorization": "Bearer wrong"}, 401},
	} {
		r := send(t, plain, "GET", a.base+"/api/clients", "", tc.header)
		if r.status != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, r.status, tc.want)
		}
	}
}

// State-changing requests need a JSON body type; bodyless ones (DELETE,
// the launcher's POST) need none.
func TestStateChangingRequestsNeedJSON(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	body := `{"givenName":"Kari","familyName":"Nordmann"}`
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
		"", "application/jsonp", "application/json; charset=latin1", "text/json"} {
		r := a.do("POST", "/api/clients", body, func(r *http.Request) {
			if ct == "" {
				r.Header.Del("Content-Type")
			} else {
				r.Header.Set("Content-Type", ct)
			}
		})
		if r.status != http.StatusUnsupportedMediaType || r.apiError(t).Code != "unsupported_media_type" {
			t.Errorf("Content-Type %q: %d %s, want 415 unsupported_media_type", ct, r.status, r.body)
		}
	}
	var p register.Page
	a.do("GET", "/api/clients", nil).decode(t, &p)
	if p.Total != 0 {
		t.Fatalf("%d clients stored by refused requests", p.Total)
	}
	r := a.do("POST", "/api/clients", body, func(r *http.Request) { r.Header.Set("Content-Type", "application/json; charset=UTF-8") })
	if r.status != http.StatusCreated {
		t.Fatalf("application/json; charset=UTF-8: %d %s", r.status, r.body)
	}
	var c register.Client
	r.decode(t, &c)
	if r := a.do("POST", "/api/launch", nil); r.status != http.StatusOK {
		t.Errorf("bodyless POST /api/launch: %d %s", r.status, r.body)
	}
	if r := a.do("DELETE", "/api/clients/"+strconv.FormatInt(c.ID, 10)+"?version="+strconv.FormatInt(c.Version, 10), nil); r.status >= 300 {
		t.Errorf("bodyless DELETE: %d %s", r.status, r.body)
	}
}

// A malformed query string is a 400, not a list of everyone.
func TestMalformedQueryRefused(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	a.do("POST", "/api/clients", validClient(t))
	for _, q := range []string{"q=%ZZ", "q=%", "q=kari&limit=%G0", "q=%e2%82", "q=%ff"} {
		r := a.do("GET", "/api/clients?"+q, nil)
		if r.status != http.StatusBadRequest || r.apiError(t).Code != "invalid_query" {
			t.Errorf("%s: %d %s, want 400 invalid_query", q, r.status, r.body)
		}
		if !strings.Contains(r.apiError(t).Message, "søk") {
			t.Errorf("%s: message %q does not say what to do", q, r.apiError(t).Message)
		}
	}
}

// failingClients is the register's storage whose saves fail with err.
type failingClients struct {
	register.ClientStore
	err error
}

func (f failingClients) CreateClient(ctx context.Context, c register.Client) (register.Client, error) {
	return register.Client{}, fmt.Errorf("create client: %w", f.err)
}

// A full disk, a read-only register and a register file moved away each
// answer with their own code and a message that says what to do, and
// nothing is saved.
func TestStorageErrorsSayWhatToDo(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err    error
		status int
		code   string
		nb, en string
	}{
		{register.ErrDiskFull, http.StatusInsufficientStorage, "disk_full", "frigjør plass", "free some space"},
		{register.ErrReadOnly, http.StatusServiceUnavailable, "read_only", "skrivetilgang", "write access"},
	} {
		a := newTestAppWith(t, func(c *testConfig) {
			c.WrapClients = func(s register.ClientStore) register.ClientStore { return failingClients{s, tc.err} }
		})
		r := a.do("POST", "/api/clients", validClient(t))
		if e := r.apiError(t); r.status != tc.status || e.Code != tc.code || !strings.Contains(e.Message, tc.nb) {
			t.Errorf("%v: %d %s, want %d %s", tc.err, r.status, r.body, tc.status, tc.code)
		}
		r = a.do("POST", "/api/clients", validClient(t), func(r *http.Request) { r.Header.Set("Accept-Language", "en") })
		if e := r.apiError(t); !strings.Contains(e.Message, tc.en) {
			t.Errorf("%v in English: %q", tc.err, e.Message)
		}
	}

	// The real store, its file deleted while the app runs.
	path := filepath.Join(t.TempDir(), "resepsjon.db")
	a := newTestAppAt(t, path, nil)
	if r := a.do("POST", "/api/clients", validClient(t)); r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	c := validClient(t)
	c.NIN = ""
	r := a.do("POST", "/api/clients", c)
	if e := r.apiError(t); r.status != http.StatusServiceUnavailable || e.Code != "register_moved" || !strings.Contains(e.Message, "start programmet på nytt") {
		t.Fatalf("create after the file was deleted: %d %s, want 503 register_moved", r.status, r.body)
	}
}
