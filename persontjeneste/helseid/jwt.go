package helseid

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"resepsjon/nin"
)

// Tenancy of the HelseID client, deciding how organisation numbers travel in
// the client assertion.
const (
	// TenancySingle is the practice's own HelseID client.
	TenancySingle = "single"
	// TenancyMulti is a vendor's client that practices delegate to in Altinn.
	TenancyMulti = "multi"
)

const (
	// assertionLifetime is the client assertion's exp - iat. HelseID
	// rejects long-lived assertions; 60 s covers clock skew and retries.
	assertionLifetime = 60 * time.Second

	authorizationDetailsType = "helseid_authorization"
	// systemENH identifies the Enhetsregisteret (Norwegian organisation
	// register) number system, used by single-tenant clients.
	systemENH = "urn:oid:2.16.578.1.12.4.1.4.101"
	// systemICD is ISO 6523, used by multi-tenant clients with
	// "NO:ORGNR:<parent>[:<child>]".
	systemICD = "urn:oid:1.0.6523"
	// identifierTypeENH is the identifier type for both systems.
	identifierTypeENH = "ENH"
)

// ErrInvalidConfig is returned by NewTokenClient and the assertion builder
// for settings that can never produce a valid token request.
var ErrInvalidConfig = errors.New("invalid HelseID configuration")

// authorizationDetail is HelseID's helseid_authorization structure.
type authorizationDetail struct {
	Type             string           `json:"type"`
	PractitionerRole practitionerRole `json:"practitioner_role"`
}

type practitionerRole struct {
	Organization organization `json:"organization"`
}

type organization struct {
	Identifier identifier `json:"identifier"`
}

type identifier struct {
	System string `json:"system"`
	Type   string `json:"type"`
	Value  string `json:"value"`
}

// authorizationDetails builds the assertion's authorization_details for the
// tenancy; nil when no organisation is configured (the client's default
// organisation applies then).
func authorizationDetails(tenancy, parent, child string) ([]authorizationDetail, error) {
	if err := checkOrgNumber(parent); err != nil {
		return nil, fmt.Errorf("%w: organisation number: %w", ErrInvalidConfig, err)
	}
	if err := checkOrgNumber(child); err != nil {
		return nil, fmt.Errorf("%w: child organisation number: %w", ErrInvalidConfig, err)
	}
	var id identifier
	switch tenancy {
	case TenancySingle, "":
		org := child
		if org == "" {
			org = parent
		}
		if org == "" {
			return nil, nil
		}
		id = identifier{System: systemENH, Type: identifierTypeENH, Value: org}
	case TenancyMulti:
		if parent == "" {
			if child != "" {
				return nil, fmt.Errorf("%w: a multi-tenant client needs the parent organisation number with a child", ErrInvalidConfig)
			}
			return nil, nil
		}
		value := "NO:ORGNR:" + parent
		if child != "" {
			value += ":" + child
		}
		id = identifier{System: systemICD, Type: identifierTypeENH, Value: value}
	default:
		return nil, fmt.Errorf("%w: tenancy %q (use %q or %q)", ErrInvalidConfig, tenancy, TenancySingle, TenancyMulti)
	}
	return []authorizationDetail{{
		Type:             authorizationDetailsType,
		PractitionerRole: practitionerRole{Organization: organization{Identifier: id}},
	}}, nil
}

// checkOrgNumber accepts "" (not configured) or exactly the 9 digits of a
// valid organisation number, as the assertion carries it.
func checkOrgNumber(s string) error {
	if s == "" {
		return nil
	}
	digits, err := nin.ParseOrgNumber(s)
	if err != nil {
		return err
	}
	if digits != s {
		return errors.New("must be the 9 digits without spaces")
	}
	return nil
}

type assertionClaims struct {
	Issuer               string                `json:"iss"`
	Subject              string                `json:"sub"`
	Audience             string                `json:"aud"`
	IssuedAt             int64                 `json:"iat"`
	NotBefore            int64                 `json:"nbf"`
	Expiry               int64                 `json:"exp"`
	ID                   string                `json:"jti"`
	AuthorizationDetails []authorizationDetail `json:"authorization_details,omitempty"`
}

// newClientAssertion signs a private_key_jwt client assertion. Each call has
// a new jti: HelseID rejects a reused assertion.
func newClientAssertion(k *Key, clientID, audience string, details []authorizationDetail, now time.Time) (string, error) {
	claims := assertionClaims{
		Issuer:               clientID,
		Subject:              clientID,
		Audience:             audience,
		IssuedAt:             now.Unix(),
		NotBefore:            now.Unix(),
		Expiry:               now.Add(assertionLifetime).Unix(),
		ID:                   newJTI(),
		AuthorizationDetails: details,
	}
	return sign(k.assertionSigner, claims)
}

type proofClaims struct {
	ID        string `json:"jti"`
	Method    string `json:"htm"`
	URI       string `json:"htu"`
	IssuedAt  int64  `json:"iat"`
	Nonce     string `json:"nonce,omitempty"`
	TokenHash string `json:"ath,omitempty"`
}

// NewProof signs a DPoP proof (RFC 9449) for one HTTP request: header typ
// dpop+jwt, alg and the public jwk; claims htm, htu (rawURL without query and
// fragment), iat, a fresh jti, nonce when the server gave one, and ath
// (base64url SHA-256 of accessToken) when accessToken is not empty, as on
// every API call.
func NewProof(k *Key, method, rawURL, nonce, accessToken string, now time.Time) (string, error) {
	if k == nil {
		return "", errors.New("dpop proof: no key")
	}
	if method == "" {
		return "", errors.New("dpop proof: no HTTP method")
	}
	htu, err := proofURI(rawURL)
	if err != nil {
		return "", fmt.Errorf("dpop proof: %w", err)
	}
	claims := proofClaims{
		ID:       newJTI(),
		Method:   method,
		URI:      htu,
		IssuedAt: now.Unix(),
		Nonce:    nonce,
	}
	if accessToken != "" {
		claims.TokenHash = accessTokenHash(accessToken)
	}
	proof, err := sign(k.proofSigner, claims)
	if err != nil {
		return "", fmt.Errorf("dpop proof: %w", err)
	}
	return proof, nil
}

// proofURI is the htu of a request URL: absolute, without query, fragment
// and user info, scheme and host in lower case, an empty path as "/"
// (RFC 3986 section 6.2.2 and 6.2.3 normalisation, which RFC 9449 servers
// apply when they compare).
func proofURI(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("request URL: %w", err)
	}
	return normalizedURI(u)
}

func normalizedURI(u *url.URL) (string, error) {
	if u.Scheme == "" || u.Host == "" || u.Opaque != "" {
		return "", errors.New("request URL must be absolute (scheme://host/path)")
	}
	v := url.URL{
		Scheme:  strings.ToLower(u.Scheme),
		Host:    strings.ToLower(u.Host),
		Path:    u.Path,
		RawPath: u.RawPath,
	}
	if v.Path == "" {
		v.Path = "/"
		v.RawPath = ""
	}
	return v.String(), nil
}

// accessTokenHash is the ath claim: base64url(SHA-256(token)).
func accessTokenHash(accessToken string) string {
	sum := sha256.Sum256([]byte(accessToken))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// newJTI returns a random JWT id of 130 bits.
func newJTI() string { return rand.Text() }

func sign(signer jose.Signer, claims any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("encode claims: %w", err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		return "", fmt.Errorf("serialize: %w", err)
	}
	return out, nil
}
