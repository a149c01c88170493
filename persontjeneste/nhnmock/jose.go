package nhnmock

import (
	"crypto"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Algorithms HelseID accepts for client assertions (private_key_jwt).
var assertionAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.PS256, jose.ES256, jose.RS512}

// Asymmetric algorithms accepted for DPoP proofs (RFC 9449 forbids symmetric ones and "none").
var proofAlgs = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512,
	jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512,
}

const (
	typClientAssertion = "client-authentication+jwt"
	typDPoP            = "dpop+jwt"
	typAccessToken     = "at+jwt"

	proofIATWindow       = 60 * time.Second
	assertionMaxLifetime = 120 * time.Second
	assertionFutureSkew  = 10 * time.Second
)

// privateJWKMembers are the JWK members that only private (or symmetric) keys carry.
var privateJWKMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

func algNames(algs []jose.SignatureAlgorithm) []string {
	out := make([]string, len(algs))
	for i, a := range algs {
		out[i] = string(a)
	}
	return out
}

// protoError is a protocol failure with its OAuth/DPoP error code.
type protoError struct {
	Code        string
	Description string
}

func (e *protoError) Error() string { return e.Code + ": " + e.Description }

func protoErr(code, format string, args ...any) *protoError {
	return &protoError{Code: code, Description: fmt.Sprintf(format, args...)}
}

// rawHeader decodes a compact JWS's protected header without verifying anything,
// so the mock can tell the caller precisely which header rule was broken
// (go-jose itself only says that parsing failed).
func rawHeader(compact string) (map[string]json.RawMessage, error) {
	parts := strings.Split(compact, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("not a compact JWS (%d parts)", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return nil, fmt.Errorf("header is not base64url: %w", err)
	}
	var h map[string]json.RawMessage
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, fmt.Errorf("header is not a JSON object: %w", err)
	}
	return h, nil
}

func headerString(h map[string]json.RawMessage, name string) string {
	var s string
	if raw, ok := h[name]; ok {
		if json.Unmarshal(raw, &s) != nil {
			return ""
		}
	}
	return s
}

// thumbprint is the RFC 7638 SHA-256 thumbprint, base64url encoded.
func thumbprint(k *jose.JSONWebKey) (string, error) {
	tp, err := k.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(tp), nil
}

// accessTokenHash is the DPoP ath value: base64url(SHA-256(token)).
func accessTokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

type proofClaims struct {
	HTM   string           `json:"htm"`
	HTU   string           `json:"htu"`
	IAT   *jwt.NumericDate `json:"iat"`
	JTI   string           `json:"jti"`
	Nonce string           `json:"nonce"`
	ATH   string           `json:"ath"`
}

// proofCheck is what a DPoP proof must match.
type proofCheck struct {
	method      string
	url         string // scheme://host/path, no query
	accessToken string // set on resource requests: ath must match
	now         time.Time
}

// verifyProof checks a DPoP proof (RFC 9449 section 4.3) except the nonce,
// whose policy differs between the token endpoint and the API. It consumes the
// proof's jti. The result is the proof key's thumbprint and the claims.
func (m *Mock) verifyProof(proof string, pc proofCheck) (string, proofClaims, *protoError) {
	var claims proofClaims
	fail := func(format string, args ...any) (string, proofClaims, *protoError) {
		return "", claims, protoErr("invalid_dpop_proof", format, args...)
	}
	h, err := rawHeader(proof)
	if err != nil {
		return fail("DPoP proof: %v", err)
	}
	if typ := headerString(h, "typ"); typ != typDPoP {
		return fail("DPoP proof typ must be %q, got %q", typDPoP, typ)
	}
	rawJWK, ok := h["jwk"]
	if !ok {
		return fail("DPoP proof has no jwk header")
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(rawJWK, &members); err != nil {
		return fail("DPoP proof jwk is not a JSON object")
	}
	for _, name := range privateJWKMembers {
		if _, ok := members[name]; ok {
			return fail("DPoP proof jwk contains private key material (%q)", name)
		}
	}
	jws, err := jose.ParseSignedCompact(proof, proofAlgs)
	if err != nil {
		return fail("DPoP proof rejected (allowed algorithms %s): %v", strings.Join(algNames(proofAlgs), ", "), err)
	}
	if len(jws.Signatures) != 1 {
		return fail("DPoP proof must have exactly one signature")
	}
	jwk := jws.Signatures[0].Protected.JSONWebKey
	if jwk == nil || !jwk.Valid() || !jwk.IsPublic() {
		return fail("DPoP proof jwk must be a valid public key in the protected header")
	}
	payload, err := jws.Verify(jwk)
	if err != nil {
		return fail("DPoP proof signature does not verify with its jwk")
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return fail("DPoP proof claims are not a JSON object: %v", err)
	}
	if claims.HTM != pc.method {
		return fail("DPoP proof htm %q does not match the request method %s", claims.HTM, pc.method)
	}
	if claims.HTU != pc.url {
		return fail("DPoP proof htu %q does not match the request URL %q", claims.HTU, pc.url)
	}
	if claims.IAT == nil {
		return fail("DPoP proof has no iat")
	}
	iat := claims.IAT.Time()
	if d := pc.now.Sub(iat); d > proofIATWindow || d < -proofIATWindow {
		return fail("DPoP proof iat is %v away from the server time (allowed ±%v)", d.Round(time.Second), proofIATWindow)
	}
	if claims.JTI == "" {
		return fail("DPoP proof has no jti")
	}
	if pc.accessToken != "" {
		if claims.ATH == "" {
			return fail("DPoP proof has no ath")
		}
		if claims.ATH != accessTokenHash(pc.accessToken) {
			return fail("DPoP proof ath does not match the access token")
		}
	}
	jkt, err := thumbprint(jwk)
	if err != nil {
		return fail("DPoP proof jwk thumbprint: %v", err)
	}
	if !m.useProofJTI(jkt, claims.JTI, pc.now, iat.Add(proofIATWindow+time.Second)) {
		return fail("DPoP proof jti has already been used")
	}
	return jkt, claims, nil
}
