package nhnmock

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"resepsjon/nin"
	"resepsjon/persontjeneste/nhnmock/population"
)

// Protocol constants shared by the HelseID and Persontjenesten halves of the mock.
// They are NHN's published values (see the shared Persontjenesten README).
const (
	// Audience is the aud of every access token for Persontjenesten.
	Audience = "nhn:hgd-persontjenesten-api"
	// ScopeLegalBasis grants the /api/legal-basis/ routes.
	ScopeLegalBasis = "nhn:hgd-persontjenesten-api/read-with-legal-basis"
	// ScopeNoLegalBasis grants the /api/no-legal-basis/ routes.
	ScopeNoLegalBasis = "nhn:hgd-persontjenesten-api/read-no-legal-basis"
	// ClaimOrgParent carries the legal entity's organisation number in access tokens.
	ClaimOrgParent = "helseid://claims/client/claims/orgnr_parent"
	// ClaimOrgChild carries the sub-organisation (child) number in access tokens.
	ClaimOrgChild = "helseid://claims/client/claims/orgnr_child"
	// SystemSingleTenant is the identifier system a single-tenant client uses in
	// authorization_details (value: the child organisation number).
	SystemSingleTenant = "urn:oid:2.16.578.1.12.4.1.4.101"
	// SystemMultiTenant is the identifier system a multi-tenant client uses in
	// authorization_details (value: NO:ORGNR:<parent>[:<child>]).
	SystemMultiTenant = "urn:oid:1.0.6523"

	// TenancySingle marks a practice's own HelseID client.
	TenancySingle = "single"
	// TenancyMulti marks a vendor's client that organisations delegate to in Altinn.
	TenancyMulti = "multi"

	defaultTokenLifetime = 300 * time.Second
	defaultRetryAfter    = time.Second
)

// ErrInvalidConfig is wrapped by every configuration error from New and the setters.
var ErrInvalidConfig = errors.New("nhnmock: invalid configuration")

// RegisteredClient is a HelseID client known to the mock, as registered in
// HelseID's self-service portal.
type RegisteredClient struct {
	ClientID string
	// PublicJWK is the client's public key as a JWK (or a JWKS {"keys":[...]}).
	// Client assertions must verify with one of these keys.
	PublicJWK []byte
	// Tenancy is TenancySingle or TenancyMulti.
	Tenancy string
	// OrgNumbers matters for single-tenant clients: the first entry is the legal
	// entity that owns the client (the token's orgnr_parent); every entry may be
	// named as the child organisation in authorization_details. Multi-tenant
	// clients act for whoever delegated to them (Config.Delegations) and ignore it.
	OrgNumbers []string
	// Scopes the client may request.
	Scopes []string
}

// Faults makes the mock misbehave like a real network service on a bad day.
type Faults struct {
	// Latency delays every HelseID and Persontjenesten response.
	Latency time.Duration
	// ErrorRate is the fraction (0..1) of requests answered with 500. The
	// failures are spread evenly and deterministically (every 1/ErrorRate-th
	// request), so tests can count on them.
	ErrorRate float64
	// RateLimitEvery answers every n-th Persontjenesten call with 429 and a
	// Retry-After header; 0 disables it.
	RateLimitEvery int
	// RetryAfter is the Retry-After value sent with 429 (whole seconds; default 1 s).
	RetryAfter time.Duration
	// HelseIDDown answers every HelseID endpoint with 503.
	HelseIDDown bool
	// PersontjenestenDown answers every Persontjenesten endpoint with 503.
	PersontjenestenDown bool
	// RejectStatus answers every Persontjenesten call with this 4xx status
	// (422, 409, 415, ...) and a ProblemDetails body: the service answered
	// and refused the request. 0 disables it.
	RejectStatus int
	// RejectProof answers every Persontjenesten call with 401 and a DPoP
	// challenge naming invalid_dpop_proof, as when the proof's clock, key or
	// signature is not accepted.
	RejectProof bool
}

// Config configures a Mock. Population is required; everything else has defaults.
type Config struct {
	Population *population.Population
	Clients    []RegisteredClient
	// Delegations lists parent organisation numbers that have delegated access
	// to the multi-tenant clients in Altinn.
	Delegations []string
	// Agreements lists organisation numbers (the token's orgnr_parent) with a
	// Persontjenesten access agreement.
	Agreements []string
	// TokenLifetime of issued access tokens; default 300 s, at least 1 s.
	TokenLifetime time.Duration
	// NonceRotation: 0 keeps one server nonce for the mock's lifetime; the token
	// endpoint always demands it, the API does not. > 0 rotates the nonce with
	// this period and demands the current one on the API as well.
	NonceRotation time.Duration
	Faults        Faults
	// BaseURL fixes the mock's external URL (scheme://host[:port], no path).
	// When empty it is taken from each request's Host header, which is what a
	// loopback test server needs.
	BaseURL string
	Now     func() time.Time
	Logger  *slog.Logger
}

// Counters are what the mock has seen, for tests and the demo.
type Counters struct {
	// TokenRequests counts every POST to the token endpoint.
	TokenRequests int64 `json:"tokenRequests"`
	// TokensIssued counts access tokens handed out.
	TokensIssued int64 `json:"tokensIssued"`
	// APICalls counts Persontjenesten calls by route ("legal-basis get-by-nin", ...),
	// whatever their outcome, except calls answered by an injected fault
	// (those are counted in Errors as "fault_*" only).
	APICalls map[string]int64 `json:"apiCalls"`
	// Errors counts error answers by kind: OAuth error codes ("use_dpop_nonce",
	// "invalid_client", ...), "http_<status>" for API problems and "fault_*" for
	// injected faults ("fault_latency_cancelled": the caller gave up while the
	// injected latency ran, so no answer was sent).
	Errors map[string]int64 `json:"errors"`
}

// Mock is an offline HelseID + Persontjenesten. It is safe for concurrent use.
type Mock struct {
	pop           *population.Population
	tokenLifetime time.Duration
	nonceRotation time.Duration
	baseURL       string
	now           func() time.Time
	log           *slog.Logger

	signer    jose.Signer
	verifyKey jose.JSONWebKey // public half of the access-token key, with kid

	mu          sync.Mutex
	clients     map[string]clientEntry
	delegations map[string]bool
	agreements  map[string]bool
	faults      Faults
	errorAcc    float64
	apiSeen     int64
	nonce       string
	nonceAt     time.Time
	assertJTIs  replayCache
	proofJTIs   replayCache
	counters    Counters
}

type clientEntry struct {
	RegisteredClient
	keys []jose.JSONWebKey
}

// New builds a Mock with a fresh access-token signing key.
func New(cfg Config) (*Mock, error) {
	if cfg.Population == nil {
		return nil, fmt.Errorf("%w: Population is required", ErrInvalidConfig)
	}
	lifetime := cfg.TokenLifetime
	switch {
	case lifetime == 0:
		lifetime = defaultTokenLifetime
	case lifetime < time.Second:
		return nil, fmt.Errorf("%w: TokenLifetime %v is below 1 s", ErrInvalidConfig, lifetime)
	}
	if cfg.NonceRotation < 0 {
		return nil, fmt.Errorf("%w: NonceRotation must not be negative", ErrInvalidConfig)
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	if base != "" && !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		return nil, fmt.Errorf("%w: BaseURL %q must start with http:// or https://", ErrInvalidConfig, cfg.BaseURL)
	}
	if err := checkFaults(cfg.Faults); err != nil {
		return nil, err
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	// ES256 keeps key generation and signing cheap for tests that build many mocks;
	// clients treat access tokens as opaque, so the algorithm is invisible to them.
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate access token key: %w", err)
	}
	pub := jose.JSONWebKey{Key: &priv.PublicKey, Algorithm: string(jose.ES256), Use: "sig"}
	kid, err := thumbprint(&pub)
	if err != nil {
		return nil, fmt.Errorf("access token key thumbprint: %w", err)
	}
	pub.KeyID = kid
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: priv, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("at+jwt"))
	if err != nil {
		return nil, fmt.Errorf("access token signer: %w", err)
	}

	m := &Mock{
		pop:           cfg.Population,
		tokenLifetime: lifetime,
		nonceRotation: cfg.NonceRotation,
		baseURL:       base,
		now:           now,
		log:           logger,
		signer:        signer,
		verifyKey:     pub,
		clients:       map[string]clientEntry{},
		delegations:   map[string]bool{},
		agreements:    map[string]bool{},
		faults:        cfg.Faults,
		assertJTIs:    newReplayCache(),
		proofJTIs:     newReplayCache(),
		counters:      Counters{APICalls: map[string]int64{}, Errors: map[string]int64{}},
	}
	for _, c := range cfg.Clients {
		if err := m.RegisterClient(c); err != nil {
			return nil, err
		}
	}
	for _, org := range cfg.Delegations {
		if err := checkOrgNumber(org); err != nil {
			return nil, fmt.Errorf("%w: delegation %w", ErrInvalidConfig, err)
		}
		m.delegations[org] = true
	}
	for _, org := range cfg.Agreements {
		if err := checkOrgNumber(org); err != nil {
			return nil, fmt.Errorf("%w: agreement %w", ErrInvalidConfig, err)
		}
		m.agreements[org] = true
	}
	return m, nil
}

// Handler serves both services: HelseID under /, Persontjenesten under /api/,
// and the loopback-only control API under /_mock/.
func (m *Mock) Handler() http.Handler {
	return http.HandlerFunc(m.serveHTTP)
}

// RegisterClient adds or replaces a HelseID client.
func (m *Mock) RegisterClient(c RegisteredClient) error {
	if c.ClientID == "" {
		return fmt.Errorf("%w: client id is required", ErrInvalidConfig)
	}
	switch c.Tenancy {
	case TenancySingle:
		if len(c.OrgNumbers) == 0 {
			return fmt.Errorf("%w: single-tenant client %q needs its organisation number", ErrInvalidConfig, c.ClientID)
		}
	case TenancyMulti:
	default:
		return fmt.Errorf("%w: client %q: tenancy must be %q or %q", ErrInvalidConfig, c.ClientID, TenancySingle, TenancyMulti)
	}
	for _, org := range c.OrgNumbers {
		if err := checkOrgNumber(org); err != nil {
			return fmt.Errorf("%w: client %q: %w", ErrInvalidConfig, c.ClientID, err)
		}
	}
	keys, err := parsePublicKeys(c.PublicJWK)
	if err != nil {
		return fmt.Errorf("%w: client %q: %w", ErrInvalidConfig, c.ClientID, err)
	}
	c.OrgNumbers = slices.Clone(c.OrgNumbers)
	c.Scopes = slices.Clone(c.Scopes)
	c.PublicJWK = slices.Clone(c.PublicJWK)
	m.mu.Lock()
	m.clients[c.ClientID] = clientEntry{RegisteredClient: c, keys: keys}
	m.mu.Unlock()
	return nil
}

// SetDelegation records whether the organisation has delegated access to the
// multi-tenant clients in Altinn.
func (m *Mock) SetDelegation(org string, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if ok {
		m.delegations[org] = true
	} else {
		delete(m.delegations, org)
	}
}

// SetAgreement records whether the organisation has a Persontjenesten access agreement.
func (m *Mock) SetAgreement(org string, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if ok {
		m.agreements[org] = true
	} else {
		delete(m.agreements, org)
	}
}

// SetFaults replaces the fault injection settings. Invalid values are clamped:
// a negative latency or rate counts as zero, a rate above 1 as 1.
func (m *Mock) SetFaults(f Faults) {
	f.Latency = max(f.Latency, 0)
	f.ErrorRate = min(max(f.ErrorRate, 0), 1)
	f.RateLimitEvery = max(f.RateLimitEvery, 0)
	f.RetryAfter = max(f.RetryAfter, 0)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.faults = f
	m.errorAcc = 0
	m.apiSeen = 0
}

// Faults returns the current fault injection settings.
func (m *Mock) Faults() Faults {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.faults
}

// Counters returns a snapshot of the counters.
func (m *Mock) Counters() Counters {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.counters
	c.APICalls = make(map[string]int64, len(m.counters.APICalls))
	for k, v := range m.counters.APICalls {
		c.APICalls[k] = v
	}
	c.Errors = make(map[string]int64, len(m.counters.Errors))
	for k, v := range m.counters.Errors {
		c.Errors[k] = v
	}
	return c
}

// Population returns the population the mock serves (for control endpoints and tests).
func (m *Mock) Population() *population.Population { return m.pop }

func (m *Mock) countError(kind string) {
	m.mu.Lock()
	m.counters.Errors[kind]++
	m.mu.Unlock()
}

func checkFaults(f Faults) error {
	switch {
	case f.Latency < 0:
		return fmt.Errorf("%w: negative latency", ErrInvalidConfig)
	case f.ErrorRate < 0 || f.ErrorRate > 1:
		return fmt.Errorf("%w: error rate %v outside 0..1", ErrInvalidConfig, f.ErrorRate)
	case f.RateLimitEvery < 0:
		return fmt.Errorf("%w: negative RateLimitEvery", ErrInvalidConfig)
	case f.RetryAfter < 0:
		return fmt.Errorf("%w: negative RetryAfter", ErrInvalidConfig)
	}
	return nil
}

// checkOrgNumber accepts exactly nine ASCII digits with a valid mod-11 check
// digit: HelseID looks organisations up in Enhetsregisteret, so anything else
// cannot name an organisation.
func checkOrgNumber(org string) error {
	if len(org) != 9 || strings.Trim(org, "0123456789") != "" {
		return fmt.Errorf("organisation number %q is not nine digits", org)
	}
	if _, err := nin.ParseOrgNumber(org); err != nil {
		return fmt.Errorf("organisation number %q: %w", org, err)
	}
	return nil
}

// parsePublicKeys reads a public JWK or a JWKS; private keys are refused so a
// registration can never leak key material into the mock's state.
func parsePublicKeys(data []byte) ([]jose.JSONWebKey, error) {
	if len(data) == 0 {
		return nil, errors.New("public JWK is required")
	}
	var probe struct {
		Keys json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("public JWK: %w", err)
	}
	var keys []jose.JSONWebKey
	if probe.Keys != nil {
		var set jose.JSONWebKeySet
		if err := json.Unmarshal(data, &set); err != nil {
			return nil, fmt.Errorf("public JWKS: %w", err)
		}
		keys = set.Keys
	} else {
		var k jose.JSONWebKey
		if err := json.Unmarshal(data, &k); err != nil {
			return nil, fmt.Errorf("public JWK: %w", err)
		}
		keys = []jose.JSONWebKey{k}
	}
	if len(keys) == 0 {
		return nil, errors.New("public JWKS has no keys")
	}
	for _, k := range keys {
		if !k.Valid() || !k.IsPublic() {
			return nil, errors.New("registered JWK must be a valid public key")
		}
	}
	return keys, nil
}
