package nhnmock

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// scopeList reads the scope claim as IdentityServer writes it (a JSON array)
// or as a space-separated string.
type scopeList []string

func (s *scopeList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = strings.Fields(one)
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*s = many
	return nil
}

type accessClaims struct {
	Issuer    string           `json:"iss"`
	Audience  jwt.Audience     `json:"aud"`
	ClientID  string           `json:"client_id"`
	Scope     scopeList        `json:"scope"`
	Expiry    *jwt.NumericDate `json:"exp"`
	NotBefore *jwt.NumericDate `json:"nbf"`
	CNF       struct {
		JKT string `json:"jkt"`
	} `json:"cnf"`
	OrgParent string `json:"helseid://claims/client/claims/orgnr_parent"`
	OrgChild  string `json:"helseid://claims/client/claims/orgnr_child"`
}

// challenge answers 401 with a DPoP WWW-Authenticate challenge (RFC 9449
// section 7.1) and a ProblemDetails body.
func (m *Mock) challenge(w http.ResponseWriter, r *http.Request, e *protoError) {
	v := `DPoP algs="` + strings.Join(algNames(proofAlgs), " ") + `"`
	if e.Code != "" {
		v = `DPoP error="` + e.Code + `", error_description="` + strings.ReplaceAll(e.Description, `"`, `'`) +
			`", algs="` + strings.Join(algNames(proofAlgs), " ") + `"`
		m.countError(e.Code)
	}
	w.Header().Set("WWW-Authenticate", v)
	m.log.Info("nhnmock: API call refused", "error", e.Code, "description", e.Description)
	m.writeProblem(w, r, http.StatusUnauthorized, e.Description)
}

// authenticate checks the DPoP-bound access token and its proof. On failure it
// has answered the request and returns false.
func (m *Mock) authenticate(w http.ResponseWriter, r *http.Request) (accessClaims, bool) {
	var claims accessClaims
	now := m.now()
	authz := r.Header.Values("Authorization")
	if len(authz) == 0 {
		m.challenge(w, r, &protoError{Description: "An access token is required: Authorization: DPoP <token>"})
		return claims, false
	}
	if len(authz) > 1 {
		m.challenge(w, r, protoErr("invalid_request", "more than one Authorization header"))
		return claims, false
	}
	scheme, token, _ := strings.Cut(authz[0], " ")
	token = strings.TrimSpace(token)
	switch {
	case strings.EqualFold(scheme, "Bearer"):
		m.challenge(w, r, protoErr("invalid_token", "DPoP-bound access tokens must be sent with the DPoP scheme, not Bearer"))
		return claims, false
	case !strings.EqualFold(scheme, "DPoP") || token == "":
		m.challenge(w, r, protoErr("invalid_request", "the Authorization header must be \"DPoP <access token>\""))
		return claims, false
	}
	if perr := m.verifyAccessToken(r, token, &claims); perr != nil {
		m.challenge(w, r, perr)
		return claims, false
	}
	proofs := r.Header.Values("DPoP")
	if len(proofs) != 1 {
		m.challenge(w, r, protoErr("invalid_dpop_proof", "exactly one DPoP header is required, got %d", len(proofs)))
		return claims, false
	}
	url := m.baseURLFor(r) + r.URL.EscapedPath()
	jkt, proof, perr := m.verifyProof(proofs[0], proofCheck{method: r.Method, url: url, accessToken: token, now: now})
	if perr != nil {
		m.challenge(w, r, perr)
		return claims, false
	}
	if jkt != claims.CNF.JKT {
		m.challenge(w, r, protoErr("invalid_token", "Invalid DPoP key binding: the proof key is not the key the token is bound to"))
		return claims, false
	}
	// Without rotation the nonce is optional on the API, but a wrong one is
	// still wrong; with rotation the current nonce is demanded.
	nonce := m.currentNonce()
	if (m.nonceRotation > 0 || proof.Nonce != "") && proof.Nonce != nonce {
		desc := "Resource server requires nonce in DPoP proof"
		if proof.Nonce != "" {
			desc = "The DPoP proof nonce is not the current server nonce"
		}
		w.Header().Set("DPoP-Nonce", nonce)
		m.challenge(w, r, protoErr("use_dpop_nonce", "%s", desc))
		return claims, false
	}
	return claims, true
}

// verifyAccessToken checks a token this mock issued: signature, typ, iss, aud,
// lifetime and the DPoP binding claim.
func (m *Mock) verifyAccessToken(r *http.Request, token string, claims *accessClaims) *protoError {
	fail := func(format string, args ...any) *protoError { return protoErr("invalid_token", format, args...) }
	h, err := rawHeader(token)
	if err != nil {
		return fail("the access token is not a JWT")
	}
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		return fail("the access token is not signed by this issuer")
	}
	payload, err := jws.Verify(m.verifyKey)
	if err != nil {
		return fail("the access token signature is invalid")
	}
	if typ := headerString(h, "typ"); typ != typAccessToken {
		return fail("the access token typ must be %q", typAccessToken)
	}
	if err := json.Unmarshal(payload, claims); err != nil {
		return fail("the access token claims cannot be read")
	}
	now := m.now()
	switch {
	case claims.Issuer != m.issuerFor(r):
		return fail("the access token issuer %q is not %q", claims.Issuer, m.issuerFor(r))
	case !claims.Audience.Contains(Audience):
		return fail("the access token audience is not %s", Audience)
	case claims.Expiry == nil || !now.Before(claims.Expiry.Time()):
		return fail("The access token expired")
	case claims.NotBefore != nil && now.Before(claims.NotBefore.Time()):
		return fail("the access token is not valid yet")
	case claims.CNF.JKT == "":
		return fail("the access token is not DPoP-bound (no cnf.jkt)")
	}
	return nil
}

// authorize checks the scope for the route and the organisation's access
// agreement. On failure it has answered 403 and returns false.
func (m *Mock) authorize(w http.ResponseWriter, r *http.Request, claims accessClaims, legalBasis bool) bool {
	need := ScopeNoLegalBasis
	if legalBasis {
		need = ScopeLegalBasis
	}
	if !slices.Contains(claims.Scope, need) {
		w.Header().Set("WWW-Authenticate", `DPoP error="insufficient_scope", scope="`+need+`"`)
		m.countError("insufficient_scope")
		m.writeProblem(w, r, http.StatusForbidden, "The access token lacks the scope "+need+" that this route requires")
		return false
	}
	if claims.OrgParent == "" {
		m.writeProblem(w, r, http.StatusForbidden, "The access token names no organisation; request it with authorization_details")
		return false
	}
	m.mu.Lock()
	ok := m.agreements[claims.OrgParent]
	m.mu.Unlock()
	if !ok {
		m.countError("no_agreement")
		m.writeProblem(w, r, http.StatusForbidden, "The organization "+claims.OrgParent+
			" has no access agreement for Persontjenesten (order access from Norsk helsenett and accept the terms)")
		return false
	}
	return true
}
