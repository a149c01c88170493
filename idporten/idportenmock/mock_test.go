package idportenmock

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"

	"resepsjon/persontjeneste/helseid"
	"resepsjon/persontjeneste/nhnmock/population"
)

const (
	clientID = "klient"
	redirect = "http://127.0.0.1:9/cb"
	verifier = "a-pkce-verifier-of-enough-length-0123456789abcdef"
)

type fixture struct {
	t       *testing.T
	m       *Mock
	srv     *httptest.Server
	key     *helseid.Key
	pop     *population.Population
	browser *http.Client
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	pop, err := population.New(population.Config{Seed: 3, Size: 120})
	if err != nil {
		t.Fatal(err)
	}
	key, err := helseid.GenerateKey(helseid.AlgES256)
	if err != nil {
		t.Fatal(err)
	}
	jwk, _ := key.PublicJWK()
	m, err := New(Config{Population: pop, Clients: []Client{{ClientID: clientID, PublicJWK: jwk, RedirectURIs: []string{redirect}}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m.Handler())
	t.Cleanup(srv.Close)
	return &fixture{t: t, m: m, srv: srv, key: key, pop: pop,
		browser: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func challenge(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func (f *fixture) authParams() url.Values {
	return url.Values{"client_id": {clientID}, "redirect_uri": {redirect}, "response_type": {"code"}, "scope": {"openid"},
		"state": {"s1"}, "nonce": {"n1"}, "code_challenge": {challenge(verifier)}, "code_challenge_method": {"S256"}}
}

func (f *fixture) get(q url.Values) (*http.Response, string) {
	f.t.Helper()
	resp, err := f.browser.Get(f.srv.URL + "/authorize?" + q.Encode())
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var requestRe = regexp.MustCompile(`name="request" value="([^"]+)"`)

// code runs the login page and returns the code for pid.
func (f *fixture) code(pid string) string {
	f.t.Helper()
	resp, body := f.get(f.authParams())
	m := requestRe.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		f.t.Fatalf("authorize: %d", resp.StatusCode)
	}
	resp, err := f.browser.PostForm(f.srv.URL+"/authorize", url.Values{"request": {m[1]}, "pid": {pid}, "action": {"login"}})
	if err != nil {
		f.t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc.Query().Get("state") != "s1" || loc.Query().Get("code") == "" {
		f.t.Fatalf("pick: %d %s", resp.StatusCode, loc)
	}
	return loc.Query().Get("code")
}

func (f *fixture) assertion(edit func(c map[string]any)) string {
	f.t.Helper()
	now := time.Now()
	c := map[string]any{"iss": clientID, "sub": clientID, "aud": f.srv.URL, "iat": now.Unix(),
		"exp": now.Add(time.Minute).Unix(), "jti": "jti-" + f.t.Name() + now.String()}
	if edit != nil {
		edit(c)
	}
	a, err := f.key.SignJWT(c)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *fixture) token(form url.Values) (int, map[string]any) {
	f.t.Helper()
	resp, err := http.PostForm(f.srv.URL+"/token", form)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func (f *fixture) tokenForm(code, assertion string) url.Values {
	return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect},
		"code_verifier": {verifier}, "client_id": {clientID},
		"client_assertion_type": {assertionType}, "client_assertion": {assertion}}
}

func TestDiscoveryAndJWKS(t *testing.T) {
	f := newFixture(t)
	resp, err := http.Get(f.srv.URL + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&d)
	resp.Body.Close()
	if d["issuer"] != f.srv.URL || d["token_endpoint"] != f.srv.URL+"/token" || d["jwks_uri"] != f.srv.URL+"/jwks.json" {
		t.Fatalf("discovery: %v", d)
	}
	resp, err = http.Get(f.srv.URL + "/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `"kty":"RSA"`) || strings.Contains(string(b), `"d":`) {
		t.Fatalf("jwks: %s", b)
	}
}

// TestTokenHappyPath: the ID token carries what ID-porten's does.
func TestTokenHappyPath(t *testing.T) {
	f := newFixture(t)
	pid := f.pop.SampleNINs(4)[2]
	status, out := f.token(f.tokenForm(f.code(pid), f.assertion(nil)))
	if status != http.StatusOK {
		t.Fatalf("token: %d %v", status, out)
	}
	raw, _ := out["id_token"].(string)
	tok, err := jwt.ParseSigned(raw, assertionAlgs)
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := tok.Claims(f.m.public, &c); err != nil {
		t.Fatalf("ID token does not verify with the JWKS key: %v", err)
	}
	if c["pid"] != pid || c["acr"] != LevelSubstantial || c["nonce"] != "n1" || c["aud"] != clientID || c["iss"] != f.srv.URL {
		t.Fatalf("claims %v", c)
	}
	if amr, _ := c["amr"].([]any); len(amr) != 1 || amr[0] != AMRTestID {
		t.Fatalf("amr %v", c["amr"])
	}
	if _, ok := c["name"]; ok {
		t.Fatal("name without the profile scope")
	}
}

// TestTokenRefusals: the token endpoint's checks, each on its own.
func TestTokenRefusals(t *testing.T) {
	f := newFixture(t)
	pid := f.pop.SampleNINs(2)[0]
	other, err := helseid.GenerateKey(helseid.AlgES256)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		form   func(code string) url.Values
		status int
		want   string
	}{
		{"wrong PKCE verifier", func(code string) url.Values {
			v := f.tokenForm(code, f.assertion(nil))
			v.Set("code_verifier", strings.Repeat("x", 50))
			return v
		}, 400, "code_verifier does not match"},
		{"short PKCE verifier", func(code string) url.Values {
			v := f.tokenForm(code, f.assertion(nil))
			v.Set("code_verifier", "short")
			return v
		}, 400, "43 to 128"},
		{"other redirect URI", func(code string) url.Values {
			v := f.tokenForm(code, f.assertion(nil))
			v.Set("redirect_uri", redirect+"/")
			return v
		}, 400, "redirect_uri does not match"},
		{"assertion signed by another key", func(code string) url.Values {
			now := time.Now()
			a, _ := other.SignJWT(map[string]any{"iss": clientID, "sub": clientID, "aud": f.srv.URL, "iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "jti": "o"})
			return f.tokenForm(code, a)
		}, 401, "registered key"},
		{"assertion for another audience", func(code string) url.Values {
			return f.tokenForm(code, f.assertion(func(c map[string]any) { c["aud"] = "https://test.idporten.no" }))
		}, 401, "aud"},
		{"expired assertion", func(code string) url.Values {
			return f.tokenForm(code, f.assertion(func(c map[string]any) {
				c["iat"] = time.Now().Add(-5 * time.Minute).Unix()
				c["exp"] = time.Now().Add(-4 * time.Minute).Unix()
			}))
		}, 401, "expired"},
		{"assertion living too long", func(code string) url.Values {
			return f.tokenForm(code, f.assertion(func(c map[string]any) { c["exp"] = time.Now().Add(time.Hour).Unix() }))
		}, 401, "two minutes"},
		{"assertion without jti", func(code string) url.Values {
			return f.tokenForm(code, f.assertion(func(c map[string]any) { delete(c, "jti") }))
		}, 401, "jti"},
		{"no client assertion", func(code string) url.Values {
			v := f.tokenForm(code, "")
			v.Del("client_assertion")
			return v
		}, 401, "invalid_client"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code := f.code(pid)
			status, out := f.token(tc.form(code))
			if status != tc.status || !strings.Contains(out["error"].(string)+" "+out["error_description"].(string), tc.want) {
				t.Fatalf("got %d %v, want %d with %q", status, out, tc.status, tc.want)
			}
			if _, ok := out["id_token"]; ok {
				t.Fatal("an ID token despite the refusal")
			}
		})
	}
}

// TestCodeAndAssertionAreSingleUse: a code works once; a client assertion
// (its jti) works once.
func TestCodeAndAssertionAreSingleUse(t *testing.T) {
	f := newFixture(t)
	pid := f.pop.SampleNINs(2)[1]
	code := f.code(pid)
	if status, out := f.token(f.tokenForm(code, f.assertion(nil))); status != 200 {
		t.Fatalf("first use: %d %v", status, out)
	}
	status, out := f.token(f.tokenForm(code, f.assertion(func(c map[string]any) { c["jti"] = "fresh" })))
	if status != 400 || out["error"] != "invalid_grant" || !strings.Contains(out["error_description"].(string), "already been used") {
		t.Fatalf("replayed code: %d %v", status, out)
	}
	a := f.assertion(func(c map[string]any) { c["jti"] = "once" })
	if status, _ := f.token(f.tokenForm(f.code(pid), a)); status != 200 {
		t.Fatalf("fresh code: %d", status)
	}
	status, out = f.token(f.tokenForm(f.code(pid), a))
	if status != 401 || !strings.Contains(out["error_description"].(string), "jti has already been used") {
		t.Fatalf("replayed assertion: %d %v", status, out)
	}
}

// TestAuthorizeRefusals: what the authorize endpoint refuses, and how.
func TestAuthorizeRefusals(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name     string
		edit     func(q url.Values)
		page     bool // an error page (no redirect) rather than an error sent back
		errorVal string
	}{
		{"unknown client", func(q url.Values) { q.Set("client_id", "x") }, true, ""},
		{"unregistered redirect URI", func(q url.Values) { q.Set("redirect_uri", redirect+"?x=1") }, true, ""},
		{"redirect URI differing in case", func(q url.Values) { q.Set("redirect_uri", strings.ToUpper(redirect)) }, true, ""},
		{"no state", func(q url.Values) { q.Del("state") }, false, "invalid_request"},
		{"no nonce", func(q url.Values) { q.Del("nonce") }, false, "invalid_request"},
		{"plain PKCE", func(q url.Values) { q.Set("code_challenge_method", "plain") }, false, "invalid_request"},
		{"no PKCE", func(q url.Values) { q.Del("code_challenge") }, false, "invalid_request"},
		{"no openid scope", func(q url.Values) { q.Set("scope", "profile") }, false, "invalid_scope"},
		{"implicit flow", func(q url.Values) { q.Set("response_type", "id_token") }, false, "unsupported_response_type"},
		{"unknown level", func(q url.Values) { q.Set("acr_values", "Level4") }, false, "invalid_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := f.authParams()
			tc.edit(q)
			resp, _ := f.get(q)
			if tc.page {
				if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
					t.Fatalf("got %d to %q, want an error page", resp.StatusCode, resp.Header.Get("Location"))
				}
				return
			}
			loc, _ := url.Parse(resp.Header.Get("Location"))
			if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc.String(), redirect+"?") || loc.Query().Get("error") != tc.errorVal {
				t.Fatalf("got %d to %q, want error %s", resp.StatusCode, loc, tc.errorVal)
			}
		})
	}
}

// TestPickPage: the tester's choices on the login page.
func TestPickPage(t *testing.T) {
	f := newFixture(t)
	pick := func(form url.Values) *http.Response {
		_, body := f.get(f.authParams())
		form.Set("request", requestRe.FindStringSubmatch(body)[1])
		resp, err := f.browser.PostForm(f.srv.URL+"/authorize", form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := pick(url.Values{"other": {"12345678901"}, "action": {"login"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("unknown number: %d", resp.StatusCode)
	}
	resp := pick(url.Values{"action": {"cancel"}})
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != "s1" {
		t.Fatalf("cancel: %s", loc)
	}
	// Any person of the population can be named by number, at level high.
	pid := f.pop.SampleNINs(7)[5]
	resp = pick(url.Values{"other": {pid}, "level": {LevelHigh}, "action": {"login"}})
	loc, _ = url.Parse(resp.Header.Get("Location"))
	status, out := f.token(f.tokenForm(loc.Query().Get("code"), f.assertion(nil)))
	if status != 200 {
		t.Fatalf("token: %d %v", status, out)
	}
	tok, _ := jwt.ParseSigned(out["id_token"].(string), assertionAlgs)
	var c map[string]any
	_ = tok.Claims(f.m.public, &c)
	if c["pid"] != pid || c["acr"] != LevelHigh {
		t.Fatalf("claims %v", c)
	}
	// The pending request was spent by the pick.
	resp2, err := f.browser.PostForm(f.srv.URL+"/authorize", url.Values{"request": {"gone"}, "pid": {pid}})
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusBadRequest {
		t.Fatalf("unknown request: %d", resp2.StatusCode)
	}
}
