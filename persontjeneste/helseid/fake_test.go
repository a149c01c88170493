package helseid

import (
	"context"
	"crypto"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// This file holds a minimal fake HelseID + resource server for the tests:
// it checks what a strict server checks (signatures, typ, claims, nonce,
// jti replay, ath, key binding) and reports violations with t.Errorf.

var testAlgs = []jose.SignatureAlgorithm{jose.ES256, jose.RS256, jose.PS256, jose.RS512}

// fakeClock is a settable clock shared by client and fake server.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type issuedToken struct {
	expires time.Time
	jkt     string
}

type tokenPost struct {
	assertionJTI string
	proofNonce   string
	details      json.RawMessage
}

type apiHit struct {
	body       string
	proofNonce string
	status     int
}

type fakeHelseID struct {
	t        testing.TB
	srv      *httptest.Server
	clientID string
	pub      jose.JSONWebKey
	now      func() time.Time

	mu              sync.Mutex
	lifetime        time.Duration
	requireNonce    bool
	nonce           string
	nonceSeq        int
	expectDetails   string // JSON of authorization_details; "" means absent
	assertionJTIs   map[string]bool
	proofJTIs       map[string]bool
	posts           []tokenPost
	tokens          map[string]issuedToken
	apiRequireNonce bool
	apiNonce        string
	apiNonceAlways  bool // answer use_dpop_nonce with a new nonce every time
	revoked         map[string]bool
	revokeAll       bool // refuse every access token with invalid_token
	// apiRotateOnSuccess sends a new nonce with every 200 answer, which the
	// next call must use (apiRequireNonce).
	apiRotateOnSuccess bool
	apiHits            []apiHit
	block              chan struct{} // token endpoint waits for it when set
	entered            chan struct{} // signalled when a token request arrives
}

func newFakeHelseID(t testing.TB, key *Key, clock func() time.Time) *fakeHelseID {
	t.Helper()
	f := &fakeHelseID{
		t:             t,
		clientID:      "test-client-1",
		pub:           key.public,
		now:           clock,
		lifetime:      300 * time.Second,
		requireNonce:  true,
		assertionJTIs: map[string]bool{},
		proofJTIs:     map[string]bool{},
		tokens:        map[string]issuedToken{},
		revoked:       map[string]bool{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", f.discovery)
	mux.HandleFunc("POST /connect/token", f.token)
	mux.HandleFunc("/api/echo", f.api)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeHelseID) issuer() string   { return f.srv.URL + "/" }
func (f *fakeHelseID) tokenURL() string { return f.srv.URL + "/connect/token" }

func (f *fakeHelseID) config(key *Key) Config {
	return Config{
		Authority:  f.issuer(),
		ClientID:   f.clientID,
		Key:        key,
		Scopes:     []string{"nhn:hgd-persontjenesten-api/read-with-legal-basis"},
		HTTPClient: &http.Client{Timeout: 10 * time.Second},
		Now:        f.now,
	}
}

func (f *fakeHelseID) newNonceLocked() string {
	f.nonceSeq++
	return fmt.Sprintf("nonce-%d-%s", f.nonceSeq, rand.Text()[:8])
}

func (f *fakeHelseID) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                f.issuer(),
		"token_endpoint":                        f.tokenURL(),
		"jwks_uri":                              f.srv.URL + "/.well-known/openid-configuration/jwks",
		"grant_types_supported":                 []string{"client_credentials"},
		"token_endpoint_auth_methods_supported": []string{"private_key_jwt"},
		"dpop_signing_alg_values_supported":     []string{"ES256", "RS256", "PS256", "RS512"},
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func oauthFail(w http.ResponseWriter, code, desc string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": code, "error_description": desc})
}

func (f *fakeHelseID) token(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	block, entered := f.block, f.entered
	f.mu.Unlock()
	if entered != nil {
		select {
		case entered <- struct{}{}:
		default:
		}
	}
	if block != nil {
		<-block
	}
	if err := r.ParseForm(); err != nil {
		oauthFail(w, "invalid_request", "bad form")
		return
	}
	t := f.t
	want := map[string]string{
		"grant_type":            "client_credentials",
		"client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
		"client_id":             f.clientID,
		"scope":                 "nhn:hgd-persontjenesten-api/read-with-legal-basis",
	}
	for k, v := range want {
		if got := r.PostForm.Get(k); got != v {
			t.Errorf("token request %s = %q, want %q", k, got, v)
			oauthFail(w, "invalid_request", k)
			return
		}
	}
	now := f.now()

	// Client assertion.
	claims, header, err := verifyJWT(r.PostForm.Get("client_assertion"), &f.pub)
	if err != nil {
		t.Errorf("client assertion: %v", err)
		oauthFail(w, "invalid_client", "bad assertion")
		return
	}
	if header.typ != "client-authentication+jwt" || header.kid == "" || header.jwk != nil {
		t.Errorf("assertion header typ=%q kid=%q jwk=%v", header.typ, header.kid, header.jwk != nil)
	}
	var ac struct {
		Iss, Sub, Aud, Jti   string
		Iat, Nbf, Exp        int64
		AuthorizationDetails json.RawMessage `json:"authorization_details"`
	}
	if err := json.Unmarshal(claims, &ac); err != nil {
		t.Errorf("assertion claims: %v", err)
	}
	if ac.Iss != f.clientID || ac.Sub != f.clientID || ac.Aud != f.issuer() {
		t.Errorf("assertion iss=%q sub=%q aud=%q", ac.Iss, ac.Sub, ac.Aud)
	}
	if ac.Iat != now.Unix() || ac.Nbf != now.Unix() || ac.Exp != now.Unix()+60 {
		t.Errorf("assertion iat=%d nbf=%d exp=%d, now %d", ac.Iat, ac.Nbf, ac.Exp, now.Unix())
	}

	// DPoP proof.
	proofClaims, ph, err := verifyJWT(r.Header.Get("DPoP"), nil)
	if err != nil {
		t.Errorf("token proof: %v", err)
		oauthFail(w, "invalid_dpop_proof", "bad proof")
		return
	}
	var pc struct {
		Jti, Htm, Htu, Nonce, Ath string
		Iat                       int64
	}
	if err := json.Unmarshal(proofClaims, &pc); err != nil {
		t.Errorf("proof claims: %v", err)
	}
	if ph.typ != "dpop+jwt" || pc.Htm != "POST" || pc.Htu != f.tokenURL() || pc.Iat != now.Unix() || pc.Ath != "" {
		t.Errorf("token proof typ=%q htm=%q htu=%q iat=%d ath=%q", ph.typ, pc.Htm, pc.Htu, pc.Iat, pc.Ath)
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	if f.assertionJTIs[ac.Jti] || ac.Jti == "" {
		t.Errorf("client assertion jti %q reused", ac.Jti)
	}
	f.assertionJTIs[ac.Jti] = true
	if f.proofJTIs[pc.Jti] || pc.Jti == "" {
		t.Errorf("proof jti %q reused", pc.Jti)
	}
	f.proofJTIs[pc.Jti] = true
	f.posts = append(f.posts, tokenPost{assertionJTI: ac.Jti, proofNonce: pc.Nonce, details: ac.AuthorizationDetails})
	if f.expectDetails == "" && len(ac.AuthorizationDetails) != 0 {
		t.Errorf("unexpected authorization_details %s", ac.AuthorizationDetails)
	}
	if f.expectDetails != "" && !jsonEqual(t, ac.AuthorizationDetails, []byte(f.expectDetails)) {
		t.Errorf("authorization_details = %s, want %s", ac.AuthorizationDetails, f.expectDetails)
	}

	if f.nonce == "" {
		f.nonce = f.newNonceLocked()
	}
	w.Header().Set("DPoP-Nonce", f.nonce)
	if f.requireNonce && pc.Nonce != f.nonce {
		oauthFail(w, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof")
		return
	}
	tok := "at-" + rand.Text()
	tp, _ := ph.jwk.Thumbprint(crypto.SHA256)
	f.tokens[tok] = issuedToken{expires: now.Add(f.lifetime), jkt: base64.RawURLEncoding.EncodeToString(tp)}
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok,
		"token_type":   "DPoP",
		"expires_in":   int(f.lifetime / time.Second),
		"scope":        "nhn:hgd-persontjenesten-api/read-with-legal-basis",
	})
}

func (f *fakeHelseID) api(w http.ResponseWriter, r *http.Request) {
	t := f.t
	body, _ := io.ReadAll(r.Body)
	auth := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(auth, "DPoP ")
	if !ok {
		t.Errorf("API Authorization %q is not DPoP", auth)
	}
	claims, ph, err := verifyJWT(r.Header.Get("DPoP"), nil)
	if err != nil {
		t.Errorf("API proof: %v", err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	var pc struct {
		Jti, Htm, Htu, Nonce, Ath string
		Iat                       int64
	}
	if err := json.Unmarshal(claims, &pc); err != nil {
		t.Errorf("API proof claims: %v", err)
	}
	wantHTU := "http://" + r.Host + r.URL.Path
	if ph.typ != "dpop+jwt" || pc.Htm != r.Method || pc.Htu != wantHTU || pc.Iat != f.now().Unix() || pc.Ath != accessTokenHash(tok) {
		t.Errorf("API proof typ=%q htm=%q htu=%q (want %q) iat=%d ath ok=%v", ph.typ, pc.Htm, pc.Htu, wantHTU, pc.Iat, pc.Ath == accessTokenHash(tok))
	}
	tp, _ := ph.jwk.Thumbprint(crypto.SHA256)

	f.mu.Lock()
	defer f.mu.Unlock()
	if f.proofJTIs[pc.Jti] || pc.Jti == "" {
		t.Errorf("API proof jti %q reused", pc.Jti)
	}
	f.proofJTIs[pc.Jti] = true
	hit := apiHit{body: string(body), proofNonce: pc.Nonce}
	defer func() { f.apiHits = append(f.apiHits, hit) }()

	info, known := f.tokens[tok]
	if !known || f.revoked[tok] || f.revokeAll || !f.now().Before(info.expires) {
		hit.status = http.StatusUnauthorized
		w.Header().Set("WWW-Authenticate", `DPoP error="invalid_token", error_description="token expired or revoked"`)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if info.jkt != base64.RawURLEncoding.EncodeToString(tp) {
		t.Errorf("API proof key does not match the token's cnf.jkt")
	}
	if f.apiNonceAlways || (f.apiRequireNonce && pc.Nonce != f.apiNonce) {
		f.apiNonce = f.newNonceLocked()
		hit.status = http.StatusUnauthorized
		w.Header().Set("DPoP-Nonce", f.apiNonce)
		w.Header().Set("WWW-Authenticate", `DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"`)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	hit.status = http.StatusOK
	if f.apiRotateOnSuccess {
		f.apiNonce = f.newNonceLocked()
		w.Header().Set("DPoP-Nonce", f.apiNonce)
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

type jwtHeader struct {
	typ, kid string
	jwk      *jose.JSONWebKey
}

// verifyJWT checks a compact JWS signature with key, or with the embedded
// public jwk when key is nil (a DPoP proof), and returns the payload.
func verifyJWT(compact string, key *jose.JSONWebKey) ([]byte, jwtHeader, error) {
	tok, err := jwt.ParseSigned(compact, testAlgs)
	if err != nil {
		return nil, jwtHeader{}, fmt.Errorf("parse: %w", err)
	}
	h := tok.Headers[0]
	var jh jwtHeader
	jh.kid = h.KeyID
	jh.jwk = h.JSONWebKey
	if typ, ok := h.ExtraHeaders[jose.HeaderType].(string); ok {
		jh.typ = typ
	}
	if err := checkRawHeaderPublic(compact); err != nil {
		return nil, jh, err
	}
	if key == nil {
		if h.JSONWebKey == nil || !h.JSONWebKey.IsPublic() {
			return nil, jh, fmt.Errorf("proof header has no public jwk")
		}
		key = h.JSONWebKey
	}
	var raw json.RawMessage
	if err := tok.Claims(key, &raw); err != nil {
		return nil, jh, fmt.Errorf("signature: %w", err)
	}
	return raw, jh, nil
}

// checkRawHeaderPublic fails when the protected header's jwk has private
// members.
func checkRawHeaderPublic(compact string) error {
	part, _, _ := strings.Cut(compact, ".")
	raw, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		return fmt.Errorf("header encoding: %w", err)
	}
	var h struct {
		JWK map[string]any `json:"jwk"`
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		return fmt.Errorf("header JSON: %w", err)
	}
	for _, m := range []string{"d", "p", "q", "dp", "dq", "qi", "k", "oth"} {
		if _, ok := h.JWK[m]; ok {
			return fmt.Errorf("jwk header has private member %q", m)
		}
	}
	return nil
}

func jsonEqual(t testing.TB, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		return false
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("bad expected JSON %s: %v", b, err)
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return string(xb) == string(yb)
}

func (f *fakeHelseID) postsSnapshot() []tokenPost {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]tokenPost(nil), f.posts...)
}

func (f *fakeHelseID) hitsSnapshot() []apiHit {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]apiHit(nil), f.apiHits...)
}

func (f *fakeHelseID) set(fn func(f *fakeHelseID)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// waitIdle waits for c's in-flight token request, if any, to finish.
func waitIdle(t testing.TB, c *TokenClient) {
	t.Helper()
	c.mu.Lock()
	call := c.inflight
	c.mu.Unlock()
	if call == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	select {
	case <-call.done:
	case <-ctx.Done():
		t.Fatal("token request did not finish")
	}
}

func mustKey(t testing.TB, alg string) *Key {
	t.Helper()
	k, err := GenerateKey(alg)
	if err != nil {
		t.Fatalf("GenerateKey(%s): %v", alg, err)
	}
	return k
}
