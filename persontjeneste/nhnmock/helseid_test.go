package nhnmock

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// TestTokenHandshake runs HelseID's DPoP handshake by hand: the first request
// without a nonce is answered 400 use_dpop_nonce with a DPoP-Nonce header, the
// repeat with that nonce and a fresh assertion gets a DPoP-bound token whose
// claims name the client, scope, organisations and proof key.
func TestTokenHandshake(t *testing.T) {
	e := newEnv(t, nil)
	first := e.tokenRequest(tokenReq{clientID: singleClientID, noNonce: true})
	wantOAuthError(t, first, "use_dpop_nonce", "requires nonce")
	nonce := first.header.Get("DPoP-Nonce")
	if nonce == "" {
		t.Fatal("use_dpop_nonce without DPoP-Nonce header")
	}
	if c := e.mock.Counters(); c.TokenRequests != 1 || c.TokensIssued != 0 || c.Errors["use_dpop_nonce"] != 1 {
		t.Errorf("counters after the nonce challenge = %+v", c)
	}

	second := e.tokenRequest(tokenReq{clientID: singleClientID})
	if second.status != http.StatusOK {
		t.Fatalf("token request with nonce: %d %s", second.status, second.body)
	}
	if second.header.Get("Cache-Control") != "no-store" {
		t.Errorf("token answer Cache-Control %q, want no-store", second.header.Get("Cache-Control"))
	}
	body := second.json(t)
	if body["token_type"] != "DPoP" || body["expires_in"] != float64(300) || body["scope"] != ScopeLegalBasis {
		t.Errorf("token answer = %s", second.body)
	}
	tok, _ := body["access_token"].(string)
	claims := e.accessTokenClaims(tok)
	if claims["client_id"] != singleClientID || claims["aud"] != Audience || claims["iss"] != e.issuer() {
		t.Errorf("token claims = %v", claims)
	}
	if claims[ClaimOrgParent] != orgParent || claims[ClaimOrgChild] != orgChild {
		t.Errorf("organisation claims = %v / %v, want %s / %s", claims[ClaimOrgParent], claims[ClaimOrgChild], orgParent, orgChild)
	}
	if cnf, _ := claims["cnf"].(map[string]any); cnf["jkt"] != e.proofKey.thumbprint(t) {
		t.Errorf("cnf = %v, want jkt of the proof key", claims["cnf"])
	}
	if c := e.mock.Counters(); c.TokenRequests != 2 || c.TokensIssued != 1 {
		t.Errorf("counters after the handshake = %+v", c)
	}
}

// accessTokenClaims verifies an access token with the mock's published JWKS
// (as a resource server would) and returns its claims.
func (e *env) accessTokenClaims(tok string) map[string]any {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.base+pathJWKS, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(e.do(req).body, &set); err != nil || len(set.Keys) != 1 {
		e.t.Fatalf("JWKS: %v (%d keys)", err, len(set.Keys))
	}
	parsed, err := jwt.ParseSigned(tok, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		e.t.Fatalf("access token: %v", err)
	}
	if parsed.Headers[0].KeyID != set.Keys[0].KeyID {
		e.t.Errorf("access token kid %q, JWKS kid %q", parsed.Headers[0].KeyID, set.Keys[0].KeyID)
	}
	claims := map[string]any{}
	if err := parsed.Claims(set.Keys[0], &claims); err != nil {
		e.t.Fatalf("access token does not verify with the JWKS: %v", err)
	}
	return claims
}

// TestDiscovery checks the discovery document names this mock's endpoints and
// the algorithms HelseID accepts.
func TestDiscovery(t *testing.T) {
	e := newEnv(t, nil)
	req, _ := http.NewRequest(http.MethodGet, e.base+pathDiscovery, nil)
	r := e.do(req)
	if r.status != http.StatusOK {
		t.Fatalf("discovery: %d", r.status)
	}
	d := r.json(t)
	if d["issuer"] != e.issuer() || d["token_endpoint"] != e.tokenEndpoint() || d["jwks_uri"] != e.base+pathJWKS {
		t.Errorf("discovery = %s", r.body)
	}
	algs, _ := d["token_endpoint_auth_signing_alg_values_supported"].([]any)
	for _, want := range []string{"RS256", "PS256", "ES256", "RS512"} {
		found := false
		for _, a := range algs {
			found = found || a == want
		}
		if !found {
			t.Errorf("assertion algorithm %s not announced: %v", want, algs)
		}
	}
	post, _ := http.NewRequest(http.MethodPost, e.base+pathDiscovery, nil)
	if r := e.do(post); r.status != http.StatusMethodNotAllowed {
		t.Errorf("POST discovery: %d, want 405", r.status)
	}
}

// TestTokenEndpointRefusals has one case per rule the token endpoint checks;
// each must be answered 400 with the OAuth error code a client decides on.
func TestTokenEndpointRefusals(t *testing.T) {
	other := newECKey(t)
	tests := []struct {
		name     string
		req      func(e *env) tokenReq
		code     string
		descPart string
	}{
		{"assertion with wrong signature", func(e *env) tokenReq {
			return tokenReq{signKey: other}
		}, "invalid_client", "signature is not valid"},
		{"assertion with wrong aud", func(e *env) tokenReq {
			return tokenReq{claims: func(c map[string]any) { c["aud"] = "https://helseid.example/" }}
		}, "invalid_client", "aud must be"},
		{"expired assertion", func(e *env) tokenReq {
			return tokenReq{claims: func(c map[string]any) {
				now := e.clock.Now()
				c["iat"], c["nbf"], c["exp"] = now.Add(-90*time.Second).Unix(), now.Add(-90*time.Second).Unix(), now.Add(-30*time.Second).Unix()
			}}
		}, "invalid_client", "expired"},
		{"assertion living too long", func(e *env) tokenReq {
			return tokenReq{claims: func(c map[string]any) { c["exp"] = e.clock.Now().Add(10 * time.Minute).Unix() }}
		}, "invalid_client", "lifetime exceeds"},
		{"assertion from the future", func(e *env) tokenReq {
			return tokenReq{claims: func(c map[string]any) {
				now := e.clock.Now()
				c["iat"], c["nbf"], c["exp"] = now.Add(time.Minute).Unix(), now.Add(time.Minute).Unix(), now.Add(2*time.Minute).Unix()
			}}
		}, "invalid_client", "future"},
		{"assertion without jti", func(e *env) tokenReq {
			return tokenReq{claims: func(c map[string]any) { delete(c, "jti") }}
		}, "invalid_client", "no jti"},
		{"replayed assertion jti", func(e *env) tokenReq {
			a := e.buildAssertion(tokenReq{clientID: singleClientID})
			if r := e.tokenRequest(tokenReq{assertion: a}); r.status != http.StatusOK {
				e.t.Fatalf("first use of the assertion: %d %s", r.status, r.body)
			}
			return tokenReq{assertion: a}
		}, "invalid_client", "already been used"},
		{"assertion typ JWT", func(e *env) tokenReq {
			return tokenReq{typ: strp("JWT")}
		}, "invalid_client", "typ must be"},
		{"assertion without typ", func(e *env) tokenReq {
			return tokenReq{typ: strp("")}
		}, "invalid_client", "typ must be"},
		{"assertion iss of an unknown client", func(e *env) tokenReq {
			return tokenReq{claims: func(c map[string]any) { c["iss"], c["sub"] = "someone-else", "someone-else" }}
		}, "invalid_client", "unknown client"},
		{"assertion sub differs from iss", func(e *env) tokenReq {
			return tokenReq{claims: func(c map[string]any) { c["sub"] = multiClientID }}
		}, "invalid_client", "sub must equal iss"},
		{"client_id differs from iss", func(e *env) tokenReq {
			return tokenReq{form: func(f url.Values) { f.Set("client_id", multiClientID) }}
		}, "invalid_client", "client_id does not match"},
		{"wrong client_assertion_type", func(e *env) tokenReq {
			return tokenReq{form: func(f url.Values) { f.Set("client_assertion_type", "jwt") }}
		}, "invalid_client", "client_assertion_type"},
		{"no client assertion", func(e *env) tokenReq {
			return tokenReq{form: func(f url.Values) { f.Del("client_assertion") }}
		}, "invalid_client", "missing"},
		{"wrong grant type", func(e *env) tokenReq {
			return tokenReq{form: func(f url.Values) { f.Set("grant_type", "authorization_code") }}
		}, "unsupported_grant_type", "not supported"},
		{"JSON body", func(e *env) tokenReq {
			return tokenReq{ctype: "application/json"}
		}, "invalid_request", "x-www-form-urlencoded"},
		{"scope the client does not have", func(e *env) tokenReq {
			return tokenReq{scope: strp(ScopeNoLegalBasis)}
		}, "invalid_scope", "not allowed"},
		{"organisation not registered for the single-tenant client", func(e *env) tokenReq {
			return tokenReq{claims: func(c map[string]any) { c["authorization_details"] = singleTenantDetails(orgMulti) }}
		}, "unauthorized_client", "not registered"},
		{"multi-tenant request for an organisation without delegation", func(e *env) tokenReq {
			return tokenReq{clientID: multiClientID, claims: func(c map[string]any) {
				c["authorization_details"] = multiTenantDetails(orgMultiUndelegated, "")
			}}
		}, "unauthorized_client", "has not delegated"},
		{"multi-tenant request without organisation", func(e *env) tokenReq {
			return tokenReq{clientID: multiClientID, claims: func(c map[string]any) { delete(c, "authorization_details") }}
		}, "invalid_request", "must name the organisation"},
		{"multi-tenant request with single-tenant system", func(e *env) tokenReq {
			return tokenReq{clientID: multiClientID, claims: func(c map[string]any) { c["authorization_details"] = singleTenantDetails(orgMulti) }}
		}, "invalid_request", SystemMultiTenant},

		{"no DPoP proof", func(e *env) tokenReq {
			return tokenReq{proof: strp("")}
		}, "invalid_dpop_proof", "exactly one DPoP header"},
		{"proof with wrong htm", func(e *env) tokenReq {
			return tokenReq{proofMod: func(c map[string]any) { c["htm"] = http.MethodGet }}
		}, "invalid_dpop_proof", "htm"},
		{"proof with wrong htu", func(e *env) tokenReq {
			return tokenReq{proofMod: func(c map[string]any) { c["htu"] = e.base + "/connect/other" }}
		}, "invalid_dpop_proof", "htu"},
		{"proof htu with query", func(e *env) tokenReq {
			return tokenReq{proofMod: func(c map[string]any) { c["htu"] = e.tokenEndpoint() + "?x=1" }}
		}, "invalid_dpop_proof", "htu"},
		{"proof with stale iat", func(e *env) tokenReq {
			return tokenReq{proofMod: func(c map[string]any) { c["iat"] = e.clock.Now().Add(-2 * time.Minute).Unix() }}
		}, "invalid_dpop_proof", "iat"},
		{"proof with future iat", func(e *env) tokenReq {
			return tokenReq{proofMod: func(c map[string]any) { c["iat"] = e.clock.Now().Add(2 * time.Minute).Unix() }}
		}, "invalid_dpop_proof", "iat"},
		{"proof without jti", func(e *env) tokenReq {
			return tokenReq{proofMod: func(c map[string]any) { delete(c, "jti") }}
		}, "invalid_dpop_proof", "no jti"},
		{"replayed proof jti", func(e *env) tokenReq {
			p := e.makeProof(e.proofKey, e.proofClaims(http.MethodPost, e.tokenEndpoint(), e.currentNonce(), ""))
			if r := e.tokenRequest(tokenReq{proof: &p}); r.status != http.StatusOK {
				e.t.Fatalf("first use of the proof: %d %s", r.status, r.body)
			}
			return tokenReq{proof: &p}
		}, "invalid_dpop_proof", "already been used"},
		{"proof typ JWT", func(e *env) tokenReq {
			p := signJWT(e.t, e.proofKey, "JWT", true, nil, e.proofClaims(http.MethodPost, e.tokenEndpoint(), e.currentNonce(), ""))
			return tokenReq{proof: &p}
		}, "invalid_dpop_proof", "typ must be"},
		{"proof without jwk", func(e *env) tokenReq {
			p := signJWT(e.t, e.proofKey, typDPoP, false, nil, e.proofClaims(http.MethodPost, e.tokenEndpoint(), e.currentNonce(), ""))
			return tokenReq{proof: &p}
		}, "invalid_dpop_proof", "no jwk"},
		{"proof with private key in jwk", func(e *env) tokenReq {
			priv := jose.JSONWebKey{Key: e.proofKey.priv, Algorithm: string(jose.ES256)}
			p := signJWT(e.t, e.proofKey, typDPoP, false, map[jose.HeaderKey]any{"jwk": priv},
				e.proofClaims(http.MethodPost, e.tokenEndpoint(), e.currentNonce(), ""))
			return tokenReq{proof: &p}
		}, "invalid_dpop_proof", "private key material"},
		{"proof signed by another key than its jwk", func(e *env) tokenReq {
			p := signJWT(e.t, other, typDPoP, false, map[jose.HeaderKey]any{"jwk": e.proofKey.publicJWK()},
				e.proofClaims(http.MethodPost, e.tokenEndpoint(), e.currentNonce(), ""))
			return tokenReq{proof: &p}
		}, "invalid_dpop_proof", "does not verify"},
		{"proof with a made-up nonce", func(e *env) tokenReq {
			return tokenReq{proofMod: func(c map[string]any) { c["nonce"] = "made-up" }}
		}, "use_dpop_nonce", "not the current server nonce"},
		{"proof without nonce", func(e *env) tokenReq {
			return tokenReq{noNonce: true}
		}, "use_dpop_nonce", "requires nonce"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.primeNonce()
			req := tt.req(e)
			before := e.mock.Counters()
			r := e.tokenRequest(req)
			wantOAuthError(t, r, tt.code, tt.descPart)
			after := e.mock.Counters()
			if after.TokensIssued != before.TokensIssued {
				t.Error("a refused request issued a token")
			}
			if after.Errors[tt.code] != before.Errors[tt.code]+1 {
				t.Errorf("Errors[%q] = %d, want %d", tt.code, after.Errors[tt.code], before.Errors[tt.code]+1)
			}
		})
	}
}

// TestTokenStaleNonce: after the nonce rotates, a proof with the old nonce is
// answered use_dpop_nonce with the new nonce, and the repeat with it succeeds.
func TestTokenStaleNonce(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.NonceRotation = 30 * time.Second })
	e.primeNonce()
	old := e.currentNonce()
	e.clock.Advance(31 * time.Second)
	r := e.tokenRequest(tokenReq{proofMod: func(c map[string]any) { c["nonce"] = old }})
	wantOAuthError(t, r, "use_dpop_nonce", "not the current server nonce")
	fresh := r.header.Get("DPoP-Nonce")
	if fresh == "" || fresh == old {
		t.Fatalf("DPoP-Nonce %q after rotation, want a new nonce (old %q)", fresh, old)
	}
	if r := e.tokenRequest(tokenReq{}); r.status != http.StatusOK {
		t.Fatalf("repeat with the new nonce: %d %s", r.status, r.body)
	}
}

// TestTokenOrganisations checks which organisation numbers a token carries
// for each way of naming them.
func TestTokenOrganisations(t *testing.T) {
	tests := []struct {
		name          string
		clientID      string
		details       any
		parent, child string
	}{
		{"single-tenant, child named", singleClientID, singleTenantDetails(orgChild), orgParent, orgChild},
		{"single-tenant, parent named", singleClientID, singleTenantDetails(orgParent), orgParent, ""},
		{"single-tenant, nothing named", singleClientID, nil, orgParent, ""},
		{"multi-tenant, parent only", multiClientID, multiTenantDetails(orgMulti, ""), orgMulti, ""},
		{"multi-tenant, parent and child", multiClientID, multiTenantDetails(orgMulti, orgChild), orgMulti, orgChild},
		{"multi-tenant, single object", multiClientID, multiTenantDetails(orgMulti, "").([]any)[0], orgMulti, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.primeNonce()
			r := e.tokenRequest(tokenReq{clientID: tt.clientID, claims: func(c map[string]any) {
				if tt.details == nil {
					delete(c, "authorization_details")
				} else {
					c["authorization_details"] = tt.details
				}
			}})
			if r.status != http.StatusOK {
				t.Fatalf("%d %s", r.status, r.body)
			}
			tok, _ := r.json(t)["access_token"].(string)
			claims := e.accessTokenClaims(tok)
			child, _ := claims[ClaimOrgChild].(string)
			if claims[ClaimOrgParent] != tt.parent || child != tt.child {
				t.Errorf("orgs = %v / %q, want %s / %q", claims[ClaimOrgParent], child, tt.parent, tt.child)
			}
		})
	}
}

// TestTokenAssertionAlgorithms: HelseID takes RS256, PS256, ES256 and RS512
// client assertions, and refuses others such as HS256.
func TestTokenAssertionAlgorithms(t *testing.T) {
	for _, alg := range []jose.SignatureAlgorithm{jose.RS256, jose.PS256, jose.ES256, jose.RS512} {
		t.Run(string(alg), func(t *testing.T) {
			key := newECKey(t)
			if alg != jose.ES256 {
				key = newRSAKey(t, alg)
			}
			e := newEnv(t, nil)
			e.keys[singleClientID] = key
			if err := e.mock.RegisterClient(RegisteredClient{ClientID: singleClientID, PublicJWK: key.publicJSON(t),
				Tenancy: TenancySingle, OrgNumbers: []string{orgParent, orgChild}, Scopes: []string{ScopeLegalBasis}}); err != nil {
				t.Fatal(err)
			}
			e.primeNonce()
			if r := e.tokenRequest(tokenReq{}); r.status != http.StatusOK {
				t.Fatalf("%s assertion: %d %s", alg, r.status, r.body)
			}
		})
	}
	t.Run("HS256 refused", func(t *testing.T) {
		e := newEnv(t, nil)
		e.primeNonce()
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte(strings.Repeat("k", 32))},
			(&jose.SignerOptions{}).WithType(typClientAssertion))
		if err != nil {
			t.Fatal(err)
		}
		a, err := jwt.Signed(signer).Claims(e.assertionClaims(singleClientID)).Serialize()
		if err != nil {
			t.Fatal(err)
		}
		wantOAuthError(t, e.tokenRequest(tokenReq{assertion: a}), "invalid_client", "allowed algorithms")
	})
}

// TestHelseIDMethodAndPath: GET on the token endpoint and unknown HelseID paths.
func TestHelseIDMethodAndPath(t *testing.T) {
	e := newEnv(t, nil)
	get, _ := http.NewRequest(http.MethodGet, e.tokenEndpoint(), nil)
	if r := e.do(get); r.status != http.StatusMethodNotAllowed || r.json(t)["error"] != "invalid_request" {
		t.Errorf("GET token: %d %s", r.status, r.body)
	}
	unknown, _ := http.NewRequest(http.MethodGet, e.base+"/connect/authorize", nil)
	if r := e.do(unknown); r.status != http.StatusNotFound {
		t.Errorf("unknown path: %d", r.status)
	}
}
