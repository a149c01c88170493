package idportenmock

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

const assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// Algorithms accepted for client assertions.
var assertionAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.ES256}

type tokenError struct {
	status      int
	code, descr string
}

func clientErr(descr string) *tokenError {
	return &tokenError{status: http.StatusUnauthorized, code: "invalid_client", descr: descr}
}

func grantErr(descr string) *tokenError {
	return &tokenError{status: http.StatusBadRequest, code: "invalid_grant", descr: descr}
}

func requestErr(descr string) *tokenError {
	return &tokenError{status: http.StatusBadRequest, code: "invalid_request", descr: descr}
}

// token exchanges an authorization code for an ID token.
func (m *Mock) token(w http.ResponseWriter, r *http.Request) {
	idToken, access, scope, terr := m.exchange(w, r)
	if terr != nil {
		m.log.Info("idportenmock: token request refused", "error", terr.code, "description", terr.descr)
		w.Header().Set("Pragma", "no-cache")
		writeJSON(w, terr.status, map[string]string{"error": terr.code, "error_description": terr.descr})
		return
	}
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": access, "id_token": idToken, "token_type": "Bearer",
		"expires_in": int(idTokenLifetime / time.Second), "scope": scope,
	})
}

func (m *Mock) exchange(w http.ResponseWriter, r *http.Request) (string, string, string, *tokenError) {
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "application/x-www-form-urlencoded" {
		return "", "", "", requestErr("Content-Type must be application/x-www-form-urlencoded")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return "", "", "", requestErr("the form body cannot be read")
	}
	form := r.PostForm
	for k, v := range form {
		if len(v) > 1 {
			return "", "", "", requestErr("parameter " + k + " is repeated")
		}
	}
	now := m.now()
	iss := m.issuer(r)
	c, terr := m.authenticate(form, iss, now)
	if terr != nil {
		return "", "", "", terr
	}
	if gt := form.Get("grant_type"); gt != "authorization_code" {
		return "", "", "", &tokenError{status: http.StatusBadRequest, code: "unsupported_grant_type", descr: "grant_type must be authorization_code"}
	}
	code := form.Get("code")
	m.mu.Lock()
	m.sweep(now)
	g := m.codes[code]
	var used bool
	if g != nil {
		used = g.used
		// A code is spent by its first presentation, whatever the outcome.
		g.used = true
	}
	faults := m.faults
	m.mu.Unlock()
	switch {
	case g == nil:
		return "", "", "", grantErr("the code is unknown or expired")
	case used:
		return "", "", "", grantErr("the code has already been used")
	case !now.Before(g.expires):
		return "", "", "", grantErr("the code has expired")
	case g.client != c.ClientID:
		return "", "", "", grantErr("the code was issued to another client")
	case form.Get("redirect_uri") != g.redirectURI:
		return "", "", "", grantErr("redirect_uri does not match the authentication request")
	}
	verifier := form.Get("code_verifier")
	if len(verifier) < 43 || len(verifier) > 128 {
		return "", "", "", grantErr("code_verifier must be 43 to 128 characters")
	}
	sum := sha256.Sum256([]byte(verifier))
	if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(g.challenge)) != 1 {
		return "", "", "", grantErr("code_verifier does not match the code_challenge")
	}

	claims := map[string]any{
		"iss": iss, "aud": c.ClientID, "sub": pairwise(c.ClientID, g.pid), "pid": g.pid,
		"acr": g.level, "amr": []string{AMRTestID}, "nonce": g.nonce,
		"iat": now.Unix(), "exp": now.Add(idTokenLifetime).Unix(), "auth_time": g.authTime.Unix(),
		"locale": g.locale, "sid": rand.Text(), "jti": rand.Text(),
	}
	if slices.Contains(strings.Fields(g.scope), "profile") && g.name != "" {
		claims["name"] = g.name
	}
	signer := m.signer
	if faults.ForeignSignature {
		signer = m.foreign
	}
	if faults.WrongNonce {
		claims["nonce"] = rand.Text()
	}
	if faults.WrongAudience {
		claims["aud"] = c.ClientID + "-other"
	}
	idToken, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		m.log.Error("idportenmock: sign ID token", "err", err)
		return "", "", "", &tokenError{status: http.StatusInternalServerError, code: "server_error", descr: "signing failed"}
	}
	return idToken, rand.Text(), g.scope, nil
}

// pairwise is a subject identifier per client, as ID-porten's sub is.
func pairwise(clientID, pid string) string {
	sum := sha256.Sum256([]byte(clientID + "\x00" + pid))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

type assertionClaims struct {
	Issuer   string           `json:"iss"`
	Subject  string           `json:"sub"`
	Audience jwt.Audience     `json:"aud"`
	Expiry   *jwt.NumericDate `json:"exp"`
	IssuedAt *jwt.NumericDate `json:"iat"`
	ID       string           `json:"jti"`
}

// authenticate checks the private_key_jwt client assertion: signed by the
// client's registered key, iss and sub the client id, aud the issuer (or
// the token endpoint), a lifetime of at most two minutes, and a jti not
// seen before.
func (m *Mock) authenticate(form url.Values, iss string, now time.Time) (client, *tokenError) {
	if form.Get("client_assertion_type") != assertionType {
		return client{}, clientErr("client_assertion_type must be " + assertionType)
	}
	jws, err := jose.ParseSignedCompact(form.Get("client_assertion"), assertionAlgs)
	if err != nil || len(jws.Signatures) != 1 {
		return client{}, clientErr("client_assertion is not a signed JWT with an accepted algorithm")
	}
	var claims assertionClaims
	if err := json.Unmarshal(jws.UnsafePayloadWithoutVerification(), &claims); err != nil {
		return client{}, clientErr("client_assertion claims cannot be read")
	}
	m.mu.Lock()
	c, known := m.clients[claims.Issuer]
	m.mu.Unlock()
	if !known {
		return client{}, clientErr("unknown client")
	}
	if id := form.Get("client_id"); id != "" && id != c.ClientID {
		return client{}, clientErr("client_id does not match the client assertion")
	}
	verified := false
	for _, k := range c.keys {
		if _, err := jws.Verify(k); err == nil {
			verified = true
			break
		}
	}
	switch {
	case !verified:
		return client{}, clientErr("the client assertion is not signed by the client's registered key")
	case claims.Subject != c.ClientID:
		return client{}, clientErr("client assertion sub must be the client id")
	case !claims.Audience.Contains(iss) && !claims.Audience.Contains(iss+pathToken):
		return client{}, clientErr("client assertion aud must be the issuer " + iss)
	case claims.Expiry == nil || claims.IssuedAt == nil:
		return client{}, clientErr("client assertion needs exp and iat")
	case !now.Before(claims.Expiry.Time()):
		return client{}, clientErr("client assertion has expired")
	case claims.IssuedAt.Time().After(now.Add(assertionSkew)):
		return client{}, clientErr("client assertion iat lies in the future")
	case claims.Expiry.Time().Sub(claims.IssuedAt.Time()) > assertionMaxLife:
		return client{}, clientErr("client assertion lifetime exceeds two minutes")
	case claims.ID == "":
		return client{}, clientErr("client assertion needs a jti")
	}
	key := c.ClientID + "\x00" + claims.ID
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, seen := m.jtis[key]; seen {
		return client{}, clientErr("client assertion jti has already been used")
	}
	m.jtis[key] = claims.Expiry.Time().Add(time.Second)
	return c, nil
}
