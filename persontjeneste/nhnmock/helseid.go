package nhnmock

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

const (
	pathDiscovery = "/.well-known/openid-configuration"
	pathJWKS      = "/.well-known/openid-configuration/jwks"
	pathToken     = "/connect/token"

	grantClientCredentials = "client_credentials"
	assertionTypeJWTBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	authzTypeHelseID       = "helseid_authorization"
	identifierTypeENH      = "ENH"
	multiTenantPrefix      = "NO:ORGNR:"

	maxFormBytes = 64 << 10
)

// baseURL is scheme://host of the mock as the caller reached it.
func (m *Mock) baseURLFor(r *http.Request) string {
	if m.baseURL != "" {
		return m.baseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// issuerFor keeps HelseID's convention of an issuer with a trailing slash.
func (m *Mock) issuerFor(r *http.Request) string { return m.baseURLFor(r) + "/" }

func (m *Mock) tokenEndpointFor(r *http.Request) string { return m.baseURLFor(r) + pathToken }

func (m *Mock) serveHelseID(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case pathDiscovery:
		m.handleDiscovery(w, r)
	case pathJWKS:
		m.handleJWKS(w, r)
	case pathToken:
		m.handleToken(w, r)
	default:
		m.countError("http_404")
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not_found"})
	}
}

func (m *Mock) handleDiscovery(w http.ResponseWriter, r *http.Request) {
	if !allowGet(w, r) {
		return
	}
	base := m.baseURLFor(r)
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                m.issuerFor(r),
		"jwks_uri":                              base + pathJWKS,
		"token_endpoint":                        base + pathToken,
		"grant_types_supported":                 []string{grantClientCredentials},
		"token_endpoint_auth_methods_supported": []string{"private_key_jwt"},
		"token_endpoint_auth_signing_alg_values_supported": algNames(assertionAlgs),
		"dpop_signing_alg_values_supported":                algNames(proofAlgs),
		"scopes_supported":                                 []string{ScopeLegalBasis, ScopeNoLegalBasis},
		"claims_supported":                                 []string{"client_id", "scope", "cnf", ClaimOrgParent, ClaimOrgChild},
		"authorization_details_types_supported":            []string{authzTypeHelseID},
		"response_types_supported":                         []string{"token"},
		"subject_types_supported":                          []string{"public"},
		"id_token_signing_alg_values_supported":            []string{string(jose.ES256)},
	})
}

func (m *Mock) handleJWKS(w http.ResponseWriter, r *http.Request) {
	if !allowGet(w, r) {
		return
	}
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{m.verifyKey}})
}

func allowGet(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method_not_allowed"})
	return false
}

// tokenError answers with an OAuth 2.0 error (RFC 6749 section 5.2).
func (m *Mock) tokenError(w http.ResponseWriter, e *protoError) {
	m.countError(e.Code)
	// The nonce challenge is the protocol's normal first answer, not news.
	level := slog.LevelInfo
	if e.Code == "use_dpop_nonce" {
		level = slog.LevelDebug
	}
	m.log.Log(context.Background(), level, "nhnmock: token request refused", "error", e.Code, "description", e.Description)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": e.Code, "error_description": e.Description})
}

type assertionClaims struct {
	Issuer    string           `json:"iss"`
	Subject   string           `json:"sub"`
	Audience  jwt.Audience     `json:"aud"`
	Expiry    *jwt.NumericDate `json:"exp"`
	NotBefore *jwt.NumericDate `json:"nbf"`
	IssuedAt  *jwt.NumericDate `json:"iat"`
	ID        string           `json:"jti"`
	// AuthorizationDetails carries the organisation numbers (helseid_authorization).
	AuthorizationDetails json.RawMessage `json:"authorization_details"`
}

// organisations is what an access token says about whom the client acts for.
type organisations struct {
	parent string
	child  string
}

func (m *Mock) handleToken(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	m.counters.TokenRequests++
	m.mu.Unlock()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		m.countError("http_405")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "invalid_request", "error_description": "The token endpoint only accepts POST"})
		return
	}
	form, perr := readForm(w, r)
	if perr != nil {
		m.tokenError(w, perr)
		return
	}
	now := m.now()
	if gt := form.Get("grant_type"); gt != grantClientCredentials {
		m.tokenError(w, protoErr("unsupported_grant_type", "grant_type %q is not supported; use %s", gt, grantClientCredentials))
		return
	}
	client, claims, perr := m.authenticateClient(r, form, now)
	if perr != nil {
		m.tokenError(w, perr)
		return
	}
	proofs := r.Header.Values("DPoP")
	if len(proofs) != 1 {
		m.tokenError(w, protoErr("invalid_dpop_proof", "exactly one DPoP header is required, got %d", len(proofs)))
		return
	}
	jkt, proof, perr := m.verifyProof(proofs[0], proofCheck{method: http.MethodPost, url: m.tokenEndpointFor(r), now: now})
	if perr != nil {
		m.tokenError(w, perr)
		return
	}
	// The token endpoint always demands the server nonce (HelseID does), so the
	// first request of every client is answered with use_dpop_nonce.
	if nonce := m.currentNonce(); proof.Nonce != nonce {
		desc := "Authorization server requires nonce in DPoP proof"
		if proof.Nonce != "" {
			desc = "The DPoP proof nonce is not the current server nonce"
		}
		w.Header().Set("DPoP-Nonce", nonce)
		m.tokenError(w, protoErr("use_dpop_nonce", "%s", desc))
		return
	}
	scopes, perr := grantedScopes(client, form.Get("scope"))
	if perr != nil {
		m.tokenError(w, perr)
		return
	}
	orgs, perr := m.resolveOrganisations(client, claims.AuthorizationDetails)
	if perr != nil {
		m.tokenError(w, perr)
		return
	}

	tokenClaims := map[string]any{
		"iss":       m.issuerFor(r),
		"aud":       Audience,
		"client_id": client.ClientID,
		"scope":     scopes,
		"iat":       now.Unix(),
		"nbf":       now.Unix(),
		"exp":       now.Add(m.tokenLifetime).Unix(),
		"jti":       randomID(16),
		"cnf":       map[string]string{"jkt": jkt},
	}
	if orgs.parent != "" {
		tokenClaims[ClaimOrgParent] = orgs.parent
	}
	if orgs.child != "" {
		tokenClaims[ClaimOrgChild] = orgs.child
	}
	token, err := jwt.Signed(m.signer).Claims(tokenClaims).Serialize()
	if err != nil {
		m.log.Error("nhnmock: sign access token", "error", err)
		m.countError("server_error")
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error"})
		return
	}
	m.mu.Lock()
	m.counters.TokensIssued++
	m.mu.Unlock()
	m.log.Debug("nhnmock: access token issued", "client_id", client.ClientID, "scope", strings.Join(scopes, " "))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": token,
		"token_type":   "DPoP",
		"expires_in":   int64(m.tokenLifetime / time.Second),
		"scope":        strings.Join(scopes, " "),
	})
}

// readForm reads an application/x-www-form-urlencoded body. Parameters are
// taken from the body only and must not repeat (RFC 6749 section 3.2).
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, *protoError) {
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "application/x-www-form-urlencoded" {
		return nil, protoErr("invalid_request", "Content-Type must be application/x-www-form-urlencoded")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return nil, protoErr("invalid_request", "the form body cannot be parsed")
	}
	for k, v := range r.PostForm {
		if len(v) > 1 {
			return nil, protoErr("invalid_request", "parameter %q is repeated", k)
		}
	}
	return r.PostForm, nil
}

// authenticateClient verifies the private_key_jwt client assertion.
func (m *Mock) authenticateClient(r *http.Request, form url.Values, now time.Time) (clientEntry, assertionClaims, *protoError) {
	var claims assertionClaims
	fail := func(format string, args ...any) (clientEntry, assertionClaims, *protoError) {
		return clientEntry{}, claims, protoErr("invalid_client", format, args...)
	}
	if cat := form.Get("client_assertion_type"); cat != assertionTypeJWTBearer {
		return fail("client_assertion_type must be %s", assertionTypeJWTBearer)
	}
	assertion := form.Get("client_assertion")
	if assertion == "" {
		return fail("client_assertion is missing")
	}
	h, err := rawHeader(assertion)
	if err != nil {
		return fail("client assertion: %v", err)
	}
	jws, err := jose.ParseSignedCompact(assertion, assertionAlgs)
	if err != nil {
		return fail("client assertion rejected (allowed algorithms %s): %v", strings.Join(algNames(assertionAlgs), ", "), err)
	}
	if len(jws.Signatures) != 1 {
		return fail("client assertion must have exactly one signature")
	}
	if err := json.Unmarshal(jws.UnsafePayloadWithoutVerification(), &claims); err != nil {
		return fail("client assertion claims cannot be read: %v", err)
	}
	if claims.Issuer == "" {
		return fail("client assertion has no iss")
	}
	m.mu.Lock()
	client, known := m.clients[claims.Issuer]
	m.mu.Unlock()
	if !known {
		return fail("Unknown client %q", claims.Issuer)
	}
	if id := form.Get("client_id"); id != "" && id != claims.Issuer {
		return fail("client_id does not match the client assertion's iss")
	}
	verified := false
	for _, k := range client.keys {
		if _, err := jws.Verify(k); err == nil {
			verified = true
			break
		}
	}
	if !verified {
		return fail("The client assertion signature is not valid for any key registered for client %q", client.ClientID)
	}
	if typ := headerString(h, "typ"); typ != typClientAssertion {
		return fail("client assertion typ must be %q, got %q", typClientAssertion, typ)
	}
	if claims.Subject != claims.Issuer {
		return fail("client assertion sub must equal iss (the client id)")
	}
	issuer, endpoint := m.issuerFor(r), m.tokenEndpointFor(r)
	if !claims.Audience.Contains(issuer) && !claims.Audience.Contains(endpoint) {
		return fail("client assertion aud must be %q (or the token endpoint), got %v", issuer, []string(claims.Audience))
	}
	if claims.Expiry == nil {
		return fail("client assertion has no exp")
	}
	if claims.IssuedAt == nil {
		return fail("client assertion has no iat")
	}
	if claims.NotBefore == nil {
		return fail("client assertion has no nbf")
	}
	exp, iat, nbf := claims.Expiry.Time(), claims.IssuedAt.Time(), claims.NotBefore.Time()
	if !now.Before(exp) {
		return fail("client assertion expired %v ago", now.Sub(exp).Round(time.Second))
	}
	if iat.After(now.Add(assertionFutureSkew)) || nbf.After(now.Add(assertionFutureSkew)) {
		return fail("client assertion iat/nbf lies in the future")
	}
	earliest := now
	for _, t := range []time.Time{iat, nbf} {
		if t.Before(earliest) {
			earliest = t
		}
	}
	if exp.Sub(earliest) > assertionMaxLifetime {
		return fail("client assertion lifetime exceeds %v", assertionMaxLifetime)
	}
	if claims.ID == "" {
		return fail("client assertion has no jti")
	}
	if !m.useAssertionJTI(client.ClientID, claims.ID, now, exp.Add(time.Second)) {
		return fail("client assertion jti has already been used")
	}
	return client, claims, nil
}

// grantedScopes checks the requested scopes; an empty request gets all the
// client's scopes, as with IdentityServer's client_credentials.
func grantedScopes(c clientEntry, requested string) ([]string, *protoError) {
	fields := strings.Fields(requested)
	if len(fields) == 0 {
		if len(c.Scopes) == 0 {
			return nil, protoErr("invalid_scope", "the client has no scopes")
		}
		return slices.Clone(c.Scopes), nil
	}
	var out []string
	for _, s := range fields {
		if !slices.Contains(c.Scopes, s) {
			return nil, protoErr("invalid_scope", "scope %q is not allowed for client %q", s, c.ClientID)
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

type helseIDAuthorization struct {
	Type             string `json:"type"`
	PractitionerRole *struct {
		Organization *struct {
			Identifier *struct {
				System string `json:"system"`
				Type   string `json:"type"`
				Value  string `json:"value"`
			} `json:"identifier"`
		} `json:"organization"`
	} `json:"practitioner_role"`
}

// resolveOrganisations reads authorization_details from the client assertion
// and decides which organisation the token is issued for.
func (m *Mock) resolveOrganisations(c clientEntry, raw json.RawMessage) (organisations, *protoError) {
	var items []json.RawMessage
	trimmed := strings.TrimSpace(string(raw))
	switch {
	case trimmed == "" || trimmed == "null":
	case strings.HasPrefix(trimmed, "["):
		if err := json.Unmarshal(raw, &items); err != nil {
			return organisations{}, protoErr("invalid_request", "authorization_details is not a JSON array of objects")
		}
	case strings.HasPrefix(trimmed, "{"):
		items = []json.RawMessage{raw}
	default:
		return organisations{}, protoErr("invalid_request", "authorization_details must be a JSON object or array, not %s", jsonKind(trimmed))
	}
	var found *helseIDAuthorization
	for _, it := range items {
		var a helseIDAuthorization
		if err := json.Unmarshal(it, &a); err != nil {
			return organisations{}, protoErr("invalid_request", "authorization_details entry is not an object")
		}
		if a.Type != authzTypeHelseID {
			continue
		}
		if found != nil {
			return organisations{}, protoErr("invalid_request", "authorization_details has more than one %s entry", authzTypeHelseID)
		}
		found = &a
	}
	if found == nil {
		if c.Tenancy == TenancyMulti {
			return organisations{}, protoErr("invalid_request",
				"a multi-tenant client must name the organisation in authorization_details (%s)", authzTypeHelseID)
		}
		return organisations{parent: c.OrgNumbers[0]}, nil
	}
	if found.PractitionerRole == nil || found.PractitionerRole.Organization == nil || found.PractitionerRole.Organization.Identifier == nil {
		return organisations{}, protoErr("invalid_request", "%s needs practitioner_role.organization.identifier", authzTypeHelseID)
	}
	id := found.PractitionerRole.Organization.Identifier
	if id.Type != identifierTypeENH {
		return organisations{}, protoErr("invalid_request", "organization identifier type must be %q", identifierTypeENH)
	}
	switch c.Tenancy {
	case TenancySingle:
		if id.System != SystemSingleTenant {
			return organisations{}, protoErr("invalid_request", "a single-tenant client must use identifier system %s", SystemSingleTenant)
		}
		if err := checkOrgNumber(id.Value); err != nil {
			return organisations{}, protoErr("invalid_request", "%v", err)
		}
		if !slices.Contains(c.OrgNumbers, id.Value) {
			return organisations{}, protoErr("unauthorized_client", "The organization %s is not registered for this client", id.Value)
		}
		o := organisations{parent: c.OrgNumbers[0]}
		if id.Value != o.parent {
			o.child = id.Value
		}
		return o, nil
	default:
		if id.System != SystemMultiTenant {
			return organisations{}, protoErr("invalid_request", "a multi-tenant client must use identifier system %s", SystemMultiTenant)
		}
		rest, ok := strings.CutPrefix(id.Value, multiTenantPrefix)
		if !ok {
			return organisations{}, protoErr("invalid_request", "identifier value must look like %s<parent>[:<child>]", multiTenantPrefix)
		}
		parent, child, hasChild := strings.Cut(rest, ":")
		if err := checkOrgNumber(parent); err != nil {
			return organisations{}, protoErr("invalid_request", "parent %v", err)
		}
		if hasChild {
			if err := checkOrgNumber(child); err != nil {
				return organisations{}, protoErr("invalid_request", "child %v", err)
			}
		}
		m.mu.Lock()
		delegated := m.delegations[parent]
		m.mu.Unlock()
		if !delegated {
			return organisations{}, protoErr("unauthorized_client", "The organization %s has not delegated access to this client in Altinn", parent)
		}
		return organisations{parent: parent, child: child}, nil
	}
}

func jsonKind(s string) string {
	switch {
	case strings.HasPrefix(s, `"`):
		return "a string"
	case s == "true" || s == "false":
		return "a boolean"
	default:
		return fmt.Sprintf("%.20q", s)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encoding failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
