package nhnmock

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"resepsjon/persontjeneste/nhnmock/population"
)

// Synthetic organisation numbers (valid mod-11, in the 3xxxxxxxx range Tenor
// uses for synthetic organisations).
const (
	orgParent            = "310000019" // owns the single-tenant client, has an agreement
	orgChild             = "310000027" // sub-organisation of orgParent
	orgMulti             = "310000035" // delegated to the multi-tenant client, has an agreement
	orgMultiUndelegated  = "310000043" // never delegated
	orgNoAgreement       = "310000051" // delegated, but no access agreement
	singleClientID       = "resepsjon-test-single"
	multiClientID        = "resepsjon-test-multi"
	noLegalBasisClientID = "resepsjon-test-nolegal"
)

// testKey is a key pair of the test's own minimal JOSE signer.
type testKey struct {
	priv crypto.Signer
	alg  jose.SignatureAlgorithm
}

func newECKey(t testing.TB) *testKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &testKey{priv: k, alg: jose.ES256}
}

// newRSAKey makes a 2048-bit RSA key (the smallest HelseID takes; enough for
// tests) for an RS or PS algorithm.
func newRSAKey(t testing.TB, alg jose.SignatureAlgorithm) *testKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return &testKey{priv: k, alg: alg}
}

func (k *testKey) publicJWK() jose.JSONWebKey {
	return jose.JSONWebKey{Key: k.priv.Public(), Algorithm: string(k.alg), Use: "sig"}
}

func (k *testKey) publicJSON(t testing.TB) []byte {
	t.Helper()
	b, err := json.Marshal(k.publicJWK())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (k *testKey) thumbprint(t testing.TB) string {
	t.Helper()
	pub := k.publicJWK()
	tp, err := thumbprint(&pub)
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

// signJWT signs claims as a compact JWS with the given typ (none when empty)
// and extra protected headers.
func signJWT(t testing.TB, k *testKey, typ string, embedJWK bool, headers map[jose.HeaderKey]any, claims any) string {
	t.Helper()
	opts := &jose.SignerOptions{EmbedJWK: embedJWK}
	if typ != "" {
		opts = opts.WithType(jose.ContentType(typ))
	}
	for name, v := range headers {
		opts = opts.WithHeader(name, v)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: k.alg, Key: k.priv}, opts)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fakeClock is the time source shared by the mock, the population and the test's signer.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// resp is a read response.
type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("status %d: body is not a JSON object: %v: %s", r.status, err, r.body)
	}
	return m
}

// env is a running mock with three registered clients and a client-side view
// of the newest server nonce, as a real client keeps it.
type env struct {
	t        testing.TB
	mock     *Mock
	pop      *population.Population
	srv      *httptest.Server
	base     string
	client   *http.Client
	clock    *fakeClock
	keys     map[string]*testKey // client id -> assertion key
	proofKey *testKey

	mu    sync.Mutex
	nonce string
}

func newEnv(t testing.TB, configure func(*Config)) *env {
	t.Helper()
	clock := &fakeClock{t: time.Date(2025, 3, 14, 10, 0, 0, 0, time.UTC)}
	pop, err := population.New(population.Config{Seed: 7, Size: 120, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, pop: pop, clock: clock, keys: map[string]*testKey{}, proofKey: newECKey(t)}
	for _, id := range []string{singleClientID, multiClientID, noLegalBasisClientID} {
		e.keys[id] = newECKey(t)
	}
	cfg := Config{
		Population: pop,
		Clients: []RegisteredClient{
			{ClientID: singleClientID, PublicJWK: e.keys[singleClientID].publicJSON(t), Tenancy: TenancySingle,
				OrgNumbers: []string{orgParent, orgChild}, Scopes: []string{ScopeLegalBasis}},
			{ClientID: multiClientID, PublicJWK: e.keys[multiClientID].publicJSON(t), Tenancy: TenancyMulti,
				Scopes: []string{ScopeLegalBasis, ScopeNoLegalBasis}},
			{ClientID: noLegalBasisClientID, PublicJWK: e.keys[noLegalBasisClientID].publicJSON(t), Tenancy: TenancySingle,
				OrgNumbers: []string{orgParent}, Scopes: []string{ScopeNoLegalBasis}},
		},
		Delegations: []string{orgMulti, orgNoAgreement},
		Agreements:  []string{orgParent, orgMulti},
		Now:         clock.Now,
	}
	if configure != nil {
		configure(&cfg)
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.mock = m
	e.srv = httptest.NewServer(m.Handler())
	t.Cleanup(e.srv.Close)
	e.base = e.srv.URL
	e.client = &http.Client{Timeout: 10 * time.Second, Transport: &contractTransport{t: t, base: http.DefaultTransport}}
	return e
}

func (e *env) issuer() string        { return e.base + "/" }
func (e *env) tokenEndpoint() string { return e.base + pathToken }

func (e *env) rememberNonce(h http.Header) {
	if n := h.Get("DPoP-Nonce"); n != "" {
		e.mu.Lock()
		e.nonce = n
		e.mu.Unlock()
	}
}

func (e *env) currentNonce() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.nonce
}

func (e *env) do(req *http.Request) resp {
	e.t.Helper()
	res, err := e.client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	e.rememberNonce(res.Header)
	return resp{status: res.StatusCode, header: res.Header, body: body}
}

// assertionClaims returns the claims of a valid client assertion.
func (e *env) assertionClaims(clientID string) map[string]any {
	now := e.clock.Now()
	return map[string]any{
		"iss": clientID,
		"sub": clientID,
		"aud": e.issuer(),
		"iat": now.Unix(),
		"nbf": now.Unix(),
		"exp": now.Add(60 * time.Second).Unix(),
		"jti": randomID(16),
	}
}

func singleTenantDetails(org string) any {
	return []any{map[string]any{
		"type": authzTypeHelseID,
		"practitioner_role": map[string]any{"organization": map[string]any{"identifier": map[string]any{
			"system": SystemSingleTenant, "type": identifierTypeENH, "value": org,
		}}},
	}}
}

func multiTenantDetails(parent, child string) any {
	v := multiTenantPrefix + parent
	if child != "" {
		v += ":" + child
	}
	return []any{map[string]any{
		"type": authzTypeHelseID,
		"practitioner_role": map[string]any{"organization": map[string]any{"identifier": map[string]any{
			"system": SystemMultiTenant, "type": identifierTypeENH, "value": v,
		}}},
	}}
}

// tokenReq describes one token request; zero fields get valid defaults.
type tokenReq struct {
	clientID  string
	claims    func(map[string]any) // adjust the assertion claims
	typ       *string              // assertion typ; nil = client-authentication+jwt
	signKey   *testKey             // assertion key; nil = the client's key
	assertion string               // a ready assertion (replay tests)
	scope     *string              // nil = ScopeLegalBasis
	form      func(url.Values)     // adjust the form
	proof     *string              // a ready proof; nil = a fresh valid proof
	proofKey  *testKey             // nil = e.proofKey
	proofMod  func(map[string]any) // adjust proof claims
	noNonce   bool                 // leave the nonce out of the proof
	ctype     string               // Content-Type; "" = form
}

func strp(s string) *string { return &s }

func (e *env) buildAssertion(r tokenReq) string {
	e.t.Helper()
	if r.assertion != "" {
		return r.assertion
	}
	claims := e.assertionClaims(r.clientID)
	switch r.clientID {
	case singleClientID:
		claims["authorization_details"] = singleTenantDetails(orgChild)
	case multiClientID:
		claims["authorization_details"] = multiTenantDetails(orgMulti, "")
	}
	if r.claims != nil {
		r.claims(claims)
	}
	typ := typClientAssertion
	if r.typ != nil {
		typ = *r.typ
	}
	key := r.signKey
	if key == nil {
		key = e.keys[r.clientID]
	}
	if key == nil {
		key = newECKey(e.t)
	}
	return signJWT(e.t, key, typ, false, map[jose.HeaderKey]any{"kid": "test"}, claims)
}

// proofClaims returns the claims of a valid DPoP proof.
func (e *env) proofClaims(method, target, nonce, accessToken string) map[string]any {
	c := map[string]any{
		"htm": method,
		"htu": target,
		"iat": e.clock.Now().Unix(),
		"jti": randomID(16),
	}
	if nonce != "" {
		c["nonce"] = nonce
	}
	if accessToken != "" {
		c["ath"] = accessTokenHash(accessToken)
	}
	return c
}

func (e *env) makeProof(key *testKey, claims map[string]any) string {
	e.t.Helper()
	return signJWT(e.t, key, typDPoP, true, nil, claims)
}

func (e *env) tokenRequest(r tokenReq) resp {
	e.t.Helper()
	if r.clientID == "" {
		r.clientID = singleClientID
	}
	form := url.Values{
		"grant_type":            {grantClientCredentials},
		"client_assertion_type": {assertionTypeJWTBearer},
		"client_assertion":      {e.buildAssertion(r)},
		"scope":                 {ScopeLegalBasis},
	}
	if r.scope != nil {
		form.Set("scope", *r.scope)
	}
	if r.form != nil {
		r.form(form)
	}
	req, err := http.NewRequest(http.MethodPost, e.tokenEndpoint(), strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	ct := r.ctype
	if ct == "" {
		ct = "application/x-www-form-urlencoded"
	}
	req.Header.Set("Content-Type", ct)
	switch {
	case r.proof != nil:
		if *r.proof != "" {
			req.Header.Set("DPoP", *r.proof)
		}
	default:
		key := r.proofKey
		if key == nil {
			key = e.proofKey
		}
		nonce := e.currentNonce()
		if r.noNonce {
			nonce = ""
		}
		claims := e.proofClaims(http.MethodPost, e.tokenEndpoint(), nonce, "")
		if r.proofMod != nil {
			r.proofMod(claims)
		}
		req.Header.Set("DPoP", e.makeProof(key, claims))
	}
	return e.do(req)
}

// primeNonce makes one request so the env knows the server nonce.
func (e *env) primeNonce() {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.base+pathDiscovery, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	e.do(req)
}

// token runs the full handshake like a real client: a first request without
// nonce, then a retry with the nonce and a fresh assertion.
func (e *env) token(clientID, scope string, proofKey *testKey) string {
	e.t.Helper()
	first := e.tokenRequest(tokenReq{clientID: clientID, scope: &scope, proofKey: proofKey, noNonce: true})
	if first.status != http.StatusBadRequest || first.json(e.t)["error"] != "use_dpop_nonce" {
		e.t.Fatalf("first token request: %d %s, want 400 use_dpop_nonce", first.status, first.body)
	}
	second := e.tokenRequest(tokenReq{clientID: clientID, scope: &scope, proofKey: proofKey})
	if second.status != http.StatusOK {
		e.t.Fatalf("token request with nonce: %d %s", second.status, second.body)
	}
	tok, _ := second.json(e.t)["access_token"].(string)
	if tok == "" {
		e.t.Fatalf("no access_token in %s", second.body)
	}
	return tok
}

// apiReq describes one Persontjenesten call; zero fields get valid defaults.
type apiReq struct {
	method     string
	path       string
	query      url.Values
	form       url.Values
	token      string
	scheme     string   // "" = DPoP
	proof      *string  // a ready proof; nil = fresh valid proof
	proofKey   *testKey // nil = e.proofKey
	proofMod   func(map[string]any)
	apiVersion *string // nil = "2"; "" = no header
	ctype      string
}

func (e *env) api(r apiReq) resp {
	e.t.Helper()
	target := e.base + r.path
	u := target
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body io.Reader
	if r.form != nil {
		body = strings.NewReader(r.form.Encode())
	}
	req, err := http.NewRequest(r.method, u, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if r.form != nil {
		ct := r.ctype
		if ct == "" {
			ct = "application/x-www-form-urlencoded"
		}
		req.Header.Set("Content-Type", ct)
	}
	v := "2"
	if r.apiVersion != nil {
		v = *r.apiVersion
	}
	if v != "" {
		req.Header.Set("api-version", v)
	}
	scheme := r.scheme
	if scheme == "" {
		scheme = "DPoP"
	}
	if r.token != "" {
		req.Header.Set("Authorization", scheme+" "+r.token)
	}
	switch {
	case r.proof != nil:
		if *r.proof != "" {
			req.Header.Set("DPoP", *r.proof)
		}
	case r.token != "":
		key := r.proofKey
		if key == nil {
			key = e.proofKey
		}
		claims := e.proofClaims(r.method, target, e.currentNonce(), r.token)
		if r.proofMod != nil {
			r.proofMod(claims)
		}
		req.Header.Set("DPoP", e.makeProof(key, claims))
	}
	return e.do(req)
}

// partsQuery is an informationParts query.
func partsQuery(parts ...string) url.Values {
	return url.Values{"informationParts": parts}
}

// wantOAuthError checks a token endpoint error answer.
func wantOAuthError(t testing.TB, r resp, code, descPart string) {
	t.Helper()
	if r.status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400: %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	if r.header.Get("DPoP-Nonce") == "" {
		t.Error("error answer without DPoP-Nonce header")
	}
	j := r.json(t)
	if j["error"] != code {
		t.Fatalf("error %v, want %s (%v)", j["error"], code, j["error_description"])
	}
	desc, _ := j["error_description"].(string)
	if !strings.Contains(strings.ToLower(desc), strings.ToLower(descPart)) {
		t.Errorf("error_description %q does not mention %q", desc, descPart)
	}
}

// wantProblem checks a Persontjenesten ProblemDetails answer.
func wantProblem(t testing.TB, r resp, status int, detailPart string) map[string]any {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	j := r.json(t)
	if int(j["status"].(float64)) != status || j["title"] == "" || j["type"] == "" || j["traceId"] == "" {
		t.Errorf("incomplete ProblemDetails: %s", r.body)
	}
	detail, _ := j["detail"].(string)
	if !strings.Contains(strings.ToLower(detail), strings.ToLower(detailPart)) {
		t.Errorf("detail %q does not mention %q", detail, detailPart)
	}
	return j
}

// wantChallenge checks a 401 with a DPoP challenge carrying the error code.
func wantChallenge(t testing.TB, r resp, code, detailPart string) {
	t.Helper()
	wantProblem(t, r, http.StatusUnauthorized, detailPart)
	h := r.header.Get("WWW-Authenticate")
	if !strings.HasPrefix(h, "DPoP ") {
		t.Errorf("WWW-Authenticate %q is not a DPoP challenge", h)
	}
	if code != "" && !strings.Contains(h, `error="`+code+`"`) {
		t.Errorf("WWW-Authenticate %q, want error=%q", h, code)
	}
}
