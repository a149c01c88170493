package helseid

import (
	"crypto"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

func testTime() time.Time { return time.Date(2030, 5, 17, 12, 0, 0, 0, time.UTC) }

// headerMembers decodes a compact JWS's protected header.
func headerMembers(t *testing.T, compact string) map[string]any {
	t.Helper()
	part, _, _ := strings.Cut(compact, ".")
	raw, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		t.Fatal(err)
	}
	return jsonMembers(t, raw)
}

func publicOf(t *testing.T, k *Key) *jose.JSONWebKey {
	t.Helper()
	b, err := k.PublicJWK()
	if err != nil {
		t.Fatal(err)
	}
	var pub jose.JSONWebKey
	if err := pub.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	return &pub
}

func TestClientAssertion(t *testing.T) {
	keys := map[string]*Key{}
	for _, alg := range []string{AlgES256, AlgRS256, AlgPS256, AlgRS512} {
		keys[alg] = mustKey(t, alg)
	}
	const aud = "https://helseid-sts.test.nhn.no/"
	for _, tc := range []struct {
		name, alg, tenancy, parent, child string
		wantDetails                       string
	}{
		{name: "no organisation", alg: AlgES256, tenancy: TenancySingle},
		{name: "single, org only", alg: AlgES256, tenancy: TenancySingle, parent: "999000010",
			wantDetails: `[{"type":"helseid_authorization","practitioner_role":{"organization":{"identifier":{"system":"urn:oid:2.16.578.1.12.4.1.4.101","type":"ENH","value":"999000010"}}}}]`},
		{name: "single, child wins", alg: AlgRS256, tenancy: TenancySingle, parent: "999000010", child: "999000002",
			wantDetails: `[{"type":"helseid_authorization","practitioner_role":{"organization":{"identifier":{"system":"urn:oid:2.16.578.1.12.4.1.4.101","type":"ENH","value":"999000002"}}}}]`},
		{name: "single by default", alg: AlgPS256, tenancy: "", child: "999000002",
			wantDetails: `[{"type":"helseid_authorization","practitioner_role":{"organization":{"identifier":{"system":"urn:oid:2.16.578.1.12.4.1.4.101","type":"ENH","value":"999000002"}}}}]`},
		{name: "multi, parent", alg: AlgRS512, tenancy: TenancyMulti, parent: "999000010",
			wantDetails: `[{"type":"helseid_authorization","practitioner_role":{"organization":{"identifier":{"system":"urn:oid:1.0.6523","type":"ENH","value":"NO:ORGNR:999000010"}}}}]`},
		{name: "multi, parent and child", alg: AlgES256, tenancy: TenancyMulti, parent: "999000010", child: "999000002",
			wantDetails: `[{"type":"helseid_authorization","practitioner_role":{"organization":{"identifier":{"system":"urn:oid:1.0.6523","type":"ENH","value":"NO:ORGNR:999000010:999000002"}}}}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := keys[tc.alg]
			details, err := authorizationDetails(tc.tenancy, tc.parent, tc.child)
			if err != nil {
				t.Fatal(err)
			}
			now := testTime()
			a, err := newClientAssertion(k, "client-42", aud, details, now)
			if err != nil {
				t.Fatal(err)
			}
			tok, err := jwt.ParseSigned(a, testAlgs)
			if err != nil {
				t.Fatal(err)
			}
			var claims map[string]json.RawMessage
			if err := tok.Claims(publicOf(t, k), &claims); err != nil {
				t.Fatalf("signature does not verify with the public key: %v", err)
			}
			h := headerMembers(t, a)
			if h["typ"] != "client-authentication+jwt" || h["alg"] != tc.alg || h["kid"] != k.KID() || h["jwk"] != nil || len(h) != 3 {
				t.Errorf("header = %v", h)
			}
			var c struct {
				Iss, Sub, Aud, Jti string
				Iat, Nbf, Exp      int64
			}
			raw, _ := json.Marshal(claims)
			if err := json.Unmarshal(raw, &c); err != nil {
				t.Fatal(err)
			}
			if c.Iss != "client-42" || c.Sub != "client-42" || c.Aud != aud {
				t.Errorf("iss/sub/aud = %q/%q/%q", c.Iss, c.Sub, c.Aud)
			}
			if c.Iat != now.Unix() || c.Nbf != now.Unix() || c.Exp != now.Unix()+60 {
				t.Errorf("iat/nbf/exp = %d/%d/%d, now %d", c.Iat, c.Nbf, c.Exp, now.Unix())
			}
			if len(c.Jti) < 22 { // 128 bits in base32 or base64
				t.Errorf("jti %q too short", c.Jti)
			}
			got, present := claims["authorization_details"]
			switch {
			case tc.wantDetails == "" && present:
				t.Errorf("authorization_details present: %s", got)
			case tc.wantDetails != "" && !jsonEqual(t, got, []byte(tc.wantDetails)):
				t.Errorf("authorization_details = %s\nwant %s", got, tc.wantDetails)
			}
		})
	}
}

func TestAuthorizationDetailsInvalid(t *testing.T) {
	for _, tc := range []struct{ tenancy, parent, child string }{
		{"both", "999000010", ""},
		{TenancySingle, "99900000", ""},
		{TenancySingle, "999000001", ""}, // check digit does not match
		{TenancyMulti, "999000010", "999000003"},
		{TenancySingle, "", "99900000A"},
		{TenancyMulti, "", "999000002"},
		{TenancyMulti, "999 000 001", ""},
	} {
		if _, err := authorizationDetails(tc.tenancy, tc.parent, tc.child); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("authorizationDetails(%q, %q, %q) error = %v, want ErrInvalidConfig", tc.tenancy, tc.parent, tc.child, err)
		}
	}
}

func TestNewProof(t *testing.T) {
	keys := map[string]*Key{}
	for _, alg := range []string{AlgES256, AlgRS256, AlgPS256, AlgRS512} {
		keys[alg] = mustKey(t, alg)
	}
	const token = "at-synthetic-token"
	sum := sha256.Sum256([]byte(token))
	wantATH := base64.RawURLEncoding.EncodeToString(sum[:])

	for _, tc := range []struct {
		name, alg, method, url, nonce, token, wantHTU string
	}{
		{"token endpoint", AlgES256, "POST", "https://helseid-sts.test.nhn.no/connect/token", "", "", "https://helseid-sts.test.nhn.no/connect/token"},
		{"token endpoint with nonce", AlgRS256, "POST", "https://helseid-sts.test.nhn.no/connect/token", "n-1", "", "https://helseid-sts.test.nhn.no/connect/token"},
		{"api with query and fragment", AlgPS256, "GET", "https://et.persontjenesten.test.nhn.no/api/legal-basis/person/abc?informationParts=Name&x=1#frag", "", token, "https://et.persontjenesten.test.nhn.no/api/legal-basis/person/abc"},
		{"api with nonce", AlgRS512, "POST", "https://et.persontjenesten.test.nhn.no/api/legal-basis/person/get-by-nin?includeHistory=false", "n-2", token, "https://et.persontjenesten.test.nhn.no/api/legal-basis/person/get-by-nin"},
		{"host case and empty path", AlgES256, "GET", "HTTPS://ET.Example.NO?q=1", "", token, "https://et.example.no/"},
		{"port and user info", AlgES256, "GET", "http://user:pw@127.0.0.1:8080/api/x?y", "", token, "http://127.0.0.1:8080/api/x"},
		{"escaped path kept", AlgES256, "GET", "https://api.example.no/a%2Fb/c?d", "", token, "https://api.example.no/a%2Fb/c"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := keys[tc.alg]
			now := testTime()
			p, err := NewProof(k, tc.method, tc.url, tc.nonce, tc.token, now)
			if err != nil {
				t.Fatal(err)
			}
			h := headerMembers(t, p)
			if h["typ"] != "dpop+jwt" || h["alg"] != tc.alg || h["kid"] != nil {
				t.Errorf("header = %v", h)
			}
			jwk, _ := h["jwk"].(map[string]any)
			for _, m := range privateMembers {
				if _, ok := jwk[m]; ok {
					t.Errorf("proof jwk has private member %q", m)
				}
			}
			claimsJSON, ph, err := verifyJWT(p, nil)
			if err != nil {
				t.Fatal(err)
			}
			// The proof key must be the registered key: same RFC 7638 thumbprint.
			tp, err := ph.jwk.Thumbprint(crypto.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			registered, err := publicOf(t, k).Thumbprint(crypto.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			if string(tp) != string(registered) || base64.RawURLEncoding.EncodeToString(tp) != k.Thumbprint() {
				t.Errorf("proof jwk is not the client's key")
			}
			claims := jsonMembers(t, claimsJSON)
			want := map[string]any{"htm": tc.method, "htu": tc.wantHTU, "iat": float64(now.Unix())}
			if tc.nonce != "" {
				want["nonce"] = tc.nonce
			}
			if tc.token != "" {
				want["ath"] = wantATH
			}
			for m, v := range want {
				if claims[m] != v {
					t.Errorf("claim %s = %v, want %v", m, claims[m], v)
				}
			}
			if jti, _ := claims["jti"].(string); len(jti) < 22 {
				t.Errorf("jti %q too short", jti)
			}
			if len(claims) != len(want)+1 {
				t.Errorf("claims = %v, want exactly %v and jti", claims, want)
			}
		})
	}
}

func TestNewProofErrors(t *testing.T) {
	k := mustKey(t, AlgES256)
	for _, tc := range []struct {
		name   string
		key    *Key
		method string
		url    string
	}{
		{"nil key", nil, "GET", "https://a.example/x"},
		{"no method", k, "", "https://a.example/x"},
		{"relative URL", k, "GET", "/api/x"},
		{"no host", k, "GET", "https:///x"},
		{"opaque URL", k, "GET", "mailto:a@example.no"},
		{"unparsable", k, "GET", "http://a b.example/%zz"},
	} {
		if _, err := NewProof(tc.key, tc.method, tc.url, "", "", testTime()); err == nil {
			t.Errorf("%s: NewProof succeeded", tc.name)
		}
	}
}

func TestJTIsUnique(t *testing.T) {
	k := mustKey(t, AlgES256)
	seen := map[string]bool{}
	for i := range 2000 {
		var token string
		if i%2 == 0 {
			p, err := NewProof(k, "GET", "https://a.example/x", "", "t", testTime())
			if err != nil {
				t.Fatal(err)
			}
			token = p
		} else {
			a, err := newClientAssertion(k, "c", "https://a.example/", nil, testTime())
			if err != nil {
				t.Fatal(err)
			}
			token = a
		}
		claims, _, err := verifyJWT(token, publicOf(t, k))
		if err != nil {
			t.Fatal(err)
		}
		jti, _ := jsonMembers(t, claims)["jti"].(string)
		if seen[jti] {
			t.Fatalf("jti %q repeated after %d tokens", jti, i)
		}
		seen[jti] = true
	}
}
