package idporten

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"resepsjon/idporten/idportenmock"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/persontjeneste/nhnmock/population"
	"resepsjon/register"
	"resepsjon/register/registertest"
)

const (
	testClient   = "resepsjon-test"
	testRedirect = "http://127.0.0.1:9/idporten/callback"
)

// rig is a Service set up against the mock over HTTP on loopback.
type rig struct {
	svc      *Service
	mock     *idportenmock.Mock
	srv      *httptest.Server
	settings *registertest.Store
	browser  *http.Client
	redirect string
}

func newRig(t *testing.T, pop *population.Population) *rig {
	t.Helper()
	// ES256 keeps the tests fast; GenerateKey's RSA key is checked in TestKeyLifecycle.
	key, err := helseid.GenerateKey(helseid.AlgES256)
	if err != nil {
		t.Fatal(err)
	}
	jwk, err := key.PublicJWK()
	if err != nil {
		t.Fatal(err)
	}
	m, err := idportenmock.New(idportenmock.Config{Population: pop,
		Clients: []idportenmock.Client{{ClientID: testClient, PublicJWK: jwk, RedirectURIs: []string{testRedirect}}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m.Handler())
	t.Cleanup(srv.Close)
	r := &rig{mock: m, srv: srv, settings: registertest.New(), redirect: testRedirect,
		browser: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	r.svc, err = New(Config{Settings: r.settings, Keys: helseid.NewMemoryKeyStore(),
		RedirectURI: func(context.Context) (string, error) { return r.redirect, nil }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	issuer, client := srv.URL, testClient
	if _, err := r.svc.Update(ctx, Change{Issuer: &issuer, ClientID: &client}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.Install(ctx, key); err != nil {
		t.Fatal(err)
	}
	return r
}

var requestField = regexp.MustCompile(`name="request" value="([^"]+)"`)

// login plays the browser: follow the authorize URL, pick pid on the
// mock's page, and return the query the callback gets.
func (r *rig) login(t *testing.T, authURL, pid, level string) url.Values {
	t.Helper()
	resp, err := r.browser.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("authorize: %d %s", resp.StatusCode, body)
	}
	m := requestField.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no request id on the login page: %s", body)
	}
	form := url.Values{"request": {string(m[1])}, "pid": {pid}, "level": {level}, "action": {"login"}}
	resp, err = r.browser.PostForm(r.srv.URL+"/authorize", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("pick: %d", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != r.redirect {
		t.Fatalf("redirected to %q, want %q", got, r.redirect)
	}
	return loc.Query()
}

func testPopulation(t *testing.T) *population.Population {
	t.Helper()
	pop, err := population.New(population.Config{Seed: 7, Size: 200})
	if err != nil {
		t.Fatal(err)
	}
	return pop
}

func TestLoginHappyPath(t *testing.T) {
	pop := testPopulation(t)
	for _, tc := range []struct {
		name    string
		askName bool
		level   string
	}{
		{"substantial without name", false, LevelSubstantial},
		{"high with name", true, LevelHigh},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, pop)
			ctx := t.Context()
			if _, err := r.svc.Update(ctx, Change{AskName: &tc.askName, Level: &tc.level}); err != nil {
				t.Fatal(err)
			}
			started, err := r.svc.Begin(ctx, "en")
			if err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse(started.URL)
			q := u.Query()
			for k, want := range map[string]string{"client_id": testClient, "redirect_uri": testRedirect, "response_type": "code",
				"code_challenge_method": "S256", "acr_values": tc.level, "ui_locales": "en"} {
				if q.Get(k) != want {
					t.Errorf("%s = %q, want %q", k, q.Get(k), want)
				}
			}
			if q.Get("state") == "" || q.Get("nonce") == "" || q.Get("code_challenge") == "" {
				t.Fatalf("state, nonce and code_challenge are required: %v", q)
			}
			pid := pop.SampleNINs(3)[1]
			id, err := r.svc.Complete(ctx, started.Handle, r.login(t, started.URL, pid, tc.level))
			if err != nil {
				t.Fatal(err)
			}
			if id.PID != pid || id.ACR != tc.level || len(id.AMR) != 1 || id.AMR[0] != idportenmock.AMRTestID {
				t.Fatalf("identity %+v (pid %v)", id, id.PID == pid)
			}
			if tc.askName != (id.Name != "") {
				t.Fatalf("name %q with askName %v", id.Name, tc.askName)
			}
			if strings.Contains(id.String(), pid) {
				t.Fatal("String shows the identity number")
			}
		})
	}
}

func codeOf(err error) string {
	var le *LoginError
	if errors.As(err, &le) {
		return le.Code
	}
	return ""
}

// TestLoginRefusals: every way the answer can be wrong is refused, and
// nothing is taken from it.
func TestLoginRefusals(t *testing.T) {
	pop := testPopulation(t)
	pid := pop.SampleNINs(2)[0]
	for _, tc := range []struct {
		name string
		// before runs between Begin and the browser's round.
		before func(t *testing.T, r *rig, handle string)
		// tamper changes the callback's query.
		tamper func(q url.Values)
		want   string
		// cause is part of the error: the refusal has the expected reason.
		cause string
	}{
		{name: "wrong state", tamper: func(q url.Values) { q.Set("state", "not-the-state") }, want: CodeState},
		{name: "missing state", tamper: func(q url.Values) { q.Del("state") }, want: CodeState},
		{name: "answer from another issuer", tamper: func(q url.Values) { q.Set("iss", "https://evil.example") }, want: CodeRefused},
		{name: "no code", tamper: func(q url.Values) { q.Del("code") }, want: CodeRefused},
		{name: "made-up code", tamper: func(q url.Values) { q.Set("code", "ABCDEF") }, want: CodeRefused, cause: "invalid_grant"},
		{name: "wrong PKCE verifier", before: func(t *testing.T, r *rig, h string) {
			r.svc.mu.Lock()
			p := r.svc.pending[h]
			p.verifier = "a-verifier-of-another-login-abcdefghijklmnopqrstuvwxyz"
			r.svc.pending[h] = p
			r.svc.mu.Unlock()
		}, want: CodeRefused, cause: "code_verifier does not match"},
		{name: "wrong redirect URI at the token endpoint", before: func(t *testing.T, r *rig, h string) {
			r.svc.mu.Lock()
			p := r.svc.pending[h]
			p.redirectURI = "http://127.0.0.1:9/other"
			r.svc.pending[h] = p
			r.svc.mu.Unlock()
		}, want: CodeRefused, cause: "redirect_uri does not match"},
		{name: "ID token with a foreign signature", before: func(t *testing.T, r *rig, _ string) {
			r.mock.SetFaults(idportenmock.Faults{ForeignSignature: true})
		}, want: CodeRefused, cause: "signature"},
		{name: "ID token with a wrong nonce", before: func(t *testing.T, r *rig, _ string) {
			r.mock.SetFaults(idportenmock.Faults{WrongNonce: true})
		}, want: CodeRefused, cause: "nonce"},
		{name: "ID token for another client", before: func(t *testing.T, r *rig, _ string) {
			r.mock.SetFaults(idportenmock.Faults{WrongAudience: true})
		}, want: CodeRefused, cause: "audience"},
		{name: "client key not the registered one", before: func(t *testing.T, r *rig, _ string) {
			other, err := helseid.GenerateKey(helseid.AlgES256)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.svc.Install(t.Context(), other); err != nil {
				t.Fatal(err)
			}
		}, want: CodeRefused, cause: "invalid_client"},
		{name: "level below the practice's", before: func(t *testing.T, r *rig, h string) {
			r.svc.mu.Lock()
			p := r.svc.pending[h]
			p.level = LevelHigh
			r.svc.pending[h] = p
			r.svc.mu.Unlock()
		}, want: CodeLevel},
		{name: "cancelled", tamper: func(q url.Values) {
			state := q.Get("state")
			clear(q)
			q.Set("state", state)
			q.Set("error", "access_denied")
		}, want: CodeCancelled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, pop)
			ctx := t.Context()
			started, err := r.svc.Begin(ctx, "nb")
			if err != nil {
				t.Fatal(err)
			}
			if tc.before != nil {
				tc.before(t, r, started.Handle)
			}
			q := r.login(t, started.URL, pid, LevelSubstantial)
			if tc.tamper != nil {
				tc.tamper(q)
			}
			id, err := r.svc.Complete(ctx, started.Handle, q)
			if got := codeOf(err); got != tc.want || !strings.Contains(err.Error(), tc.cause) {
				t.Fatalf("error %v (code %q), want %q with %q", err, got, tc.want, tc.cause)
			}
			if id.PID != "" {
				t.Fatal("a refused login gave an identity")
			}
		})
	}
}

// TestLoginCallbackReplay: a callback can be used once; the same answer
// again (or with another browser's handle) gives nothing.
func TestLoginCallbackReplay(t *testing.T) {
	pop := testPopulation(t)
	r := newRig(t, pop)
	ctx := t.Context()
	started, err := r.svc.Begin(ctx, "nb")
	if err != nil {
		t.Fatal(err)
	}
	q := r.login(t, started.URL, pop.SampleNINs(1)[0], LevelSubstantial)
	if _, err := r.svc.Complete(ctx, started.Handle, q); err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.Complete(ctx, started.Handle, q); codeOf(err) != CodeExpired {
		t.Fatalf("replayed callback: %v", err)
	}
	// Another browser's login cannot spend this answer's code either.
	other, err := r.svc.Begin(ctx, "nb")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.Complete(ctx, other.Handle, q); codeOf(err) != CodeState {
		t.Fatalf("answer bound to another login: %v", err)
	}
	// With the other login's state forged in, the spent code is refused.
	r.svc.mu.Lock()
	third := handleFor(t)
	r.svc.pending[third] = pending{state: q.Get("state"), nonce: "x", verifier: strings.Repeat("v", 43),
		issuer: r.srv.URL, clientID: testClient, redirectURI: testRedirect, level: LevelSubstantial, expires: r.svc.now().Add(loginLifetime)}
	r.svc.mu.Unlock()
	if _, err := r.svc.Complete(ctx, third, q); codeOf(err) != CodeRefused || !strings.Contains(err.Error(), "already been used") {
		t.Fatalf("replayed code: %v", err)
	}
}

func handleFor(t *testing.T) string {
	t.Helper()
	return strings.ReplaceAll(t.Name(), "/", "-") + "-handle"
}

// TestRedirectURIMustBeRegistered: a login whose redirect URI is not the
// registered one stops at the provider, which shows an error instead of
// redirecting.
func TestRedirectURIMustBeRegistered(t *testing.T) {
	r := newRig(t, testPopulation(t))
	r.redirect = "http://127.0.0.1:9/idporten/callback/"
	started, err := r.svc.Begin(t.Context(), "nb")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := r.browser.Get(started.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Fatalf("authorize with an unregistered redirect URI: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestBeginNeedsSettings(t *testing.T) {
	svc, err := New(Config{Settings: registertest.New(), Keys: helseid.NewMemoryKeyStore(),
		RedirectURI: func(context.Context) (string, error) { return testRedirect, nil }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Begin(t.Context(), "nb"); codeOf(err) != CodeNotConfigured {
		t.Fatalf("Begin without settings: %v", err)
	}
	// An issuer that does not answer is "unavailable", within the timeout.
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	iss, client := dead.URL, "x"
	if _, err := svc.Update(t.Context(), Change{Issuer: &iss, ClientID: &client}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.GenerateKey(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Begin(t.Context(), "nb"); codeOf(err) != CodeUnavailable {
		t.Fatalf("Begin with an unreachable issuer: %v", err)
	}
}

func TestUpdateValidates(t *testing.T) {
	svc, err := New(Config{Settings: registertest.New(), Keys: helseid.NewMemoryKeyStore(),
		RedirectURI: func(context.Context) (string, error) { return testRedirect, nil }})
	if err != nil {
		t.Fatal(err)
	}
	s := func(v string) *string { return &v }
	for _, tc := range []struct {
		name  string
		ch    Change
		field string
		code  string
	}{
		{"ID-porten test", Change{Issuer: s(IssuerTest)}, "", ""},
		{"loopback http", Change{Issuer: s("http://127.0.0.1:8080")}, "", ""},
		{"plain http elsewhere", Change{Issuer: s("http://idporten.example")}, "issuer", "issuer.https"},
		{"not a URL", Change{Issuer: s("idporten")}, "issuer", register.CodeInvalid},
		{"query", Change{Issuer: s("https://idporten.no/?x=1")}, "issuer", register.CodeInvalid},
		{"control character in client id", Change{ClientID: s("a\nb")}, "clientId", register.CodeInvalid},
		{"unknown level", Change{Level: s("Level3")}, "level", register.CodeInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := svc.Update(t.Context(), tc.ch)
			var ve *register.ValidationError
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.As(err, &ve) || ve.Fields[tc.field] != tc.code {
				t.Fatalf("got %v, want %s=%s", err, tc.field, tc.code)
			}
		})
	}
}

// TestKeyLifecycle: generate, replace (the old key leaves the store),
// import, refuse the HelseID key, remove.
func TestKeyLifecycle(t *testing.T) {
	store := registertest.New()
	keys := helseid.NewMemoryKeyStore()
	svc, err := New(Config{Settings: store, Keys: keys, RedirectURI: func(context.Context) (string, error) { return testRedirect, nil }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	first, err := svc.GenerateKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if first.PublicJWK == "" || strings.Contains(first.PublicJWK, `"d"`) || first.KeyAlg != helseid.AlgRS256 {
		t.Fatalf("public JWK %q alg %q", first.PublicJWK, first.KeyAlg)
	}
	second, err := svc.GenerateKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Load(ctx, first.KeyID); !errors.Is(err, helseid.ErrKeyNotFound) {
		t.Fatalf("the replaced key is still stored: %v", err)
	}
	helseIDKey, err := helseid.GenerateKey(helseid.AlgES256)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.PutSetting(ctx, "helseid.key_id", helseIDKey.KID()); err != nil {
		t.Fatal(err)
	}
	priv, err := helseIDKey.PrivateJWK()
	if err != nil {
		t.Fatal(err)
	}
	var ve *register.ValidationError
	if _, err := svc.ImportKey(ctx, priv); !errors.As(err, &ve) || ve.Fields["key"] != CodeKeyShared {
		t.Fatalf("importing the HelseID key: %v", err)
	}
	if _, err := svc.ImportKey(ctx, []byte("not a key")); !errors.As(err, &ve) || ve.Fields["key"] != CodeKeyInvalid {
		t.Fatalf("importing junk: %v", err)
	}
	other, err := helseid.GenerateKey(helseid.AlgES256)
	if err != nil {
		t.Fatal(err)
	}
	otherJWK, _ := other.PrivateJWK()
	imported, err := svc.ImportKey(ctx, otherJWK)
	if err != nil || imported.KeyID != other.KID() || imported.KeyID == second.KeyID {
		t.Fatalf("import: %+v %v", imported, err)
	}
	removed, err := svc.RemoveKey(ctx)
	if err != nil || removed.KeyID != "" || removed.Ready {
		t.Fatalf("remove: %+v %v", removed, err)
	}
	if _, err := keys.Load(ctx, other.KID()); !errors.Is(err, helseid.ErrKeyNotFound) {
		t.Fatalf("the removed key is still stored: %v", err)
	}
}
