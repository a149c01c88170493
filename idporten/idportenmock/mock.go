// Package idportenmock is an offline OpenID Connect provider that behaves
// like ID-porten for a web service: discovery, JWKS, an authorize page where
// a tester picks one of the synthetic persons, and a token endpoint for the
// authorization code grant with PKCE (S256) and private_key_jwt client
// authentication. ID tokens are signed with RS256 and carry pid, acr, amr
// and the nonce, as ID-porten's do.
//
// It is strict where ID-porten is: the redirect URI must match a registered
// one exactly, state, nonce and an S256 code challenge are required, a code
// is single-use, short-lived and bound to its client, redirect URI and PKCE
// verifier, and the client assertion must verify against the client's
// registered key with the right aud, a short lifetime and a fresh jti.
package idportenmock

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"resepsjon/persontjeneste/nhnmock/population"
)

// Values ID-porten uses, from Digdir's public documentation.
const (
	// LevelSubstantial and LevelHigh are ID-porten's acr values.
	LevelSubstantial = "idporten-loa-substantial"
	LevelHigh        = "idporten-loa-high"
	// AMRTestID is the amr ID-porten's test environment gives synthetic
	// test users.
	AMRTestID = "TestID"

	pathDiscovery = "/.well-known/openid-configuration"
	pathJWKS      = "/jwks.json"
	pathAuthorize = "/authorize"
	pathToken     = "/token"

	codeLifetime      = 60 * time.Second
	pendingLifetime   = 10 * time.Minute
	idTokenLifetime   = 120 * time.Second
	assertionMaxLife  = 120 * time.Second
	assertionSkew     = 10 * time.Second
	defaultPersonList = 12
	maxFormBytes      = 64 << 10
)

// ErrInvalidConfig is wrapped by every configuration error.
var ErrInvalidConfig = errors.New("idportenmock: invalid configuration")

// Client is a client registered with the provider, as a practice registers
// its integration with ID-porten.
type Client struct {
	ClientID string
	// PublicJWK is the client's public key as a JWK or a JWK set: client
	// assertions must verify with one of its keys.
	PublicJWK []byte
	// RedirectURIs are the exact redirect URIs the client may use.
	RedirectURIs []string
}

// Faults make the provider issue bad ID tokens, so that relying-party tests
// can see them refused.
type Faults struct {
	// ForeignSignature signs ID tokens with a key that is not in the JWKS.
	ForeignSignature bool
	// WrongNonce puts another nonce into ID tokens than the one asked for.
	WrongNonce bool
	// WrongAudience issues ID tokens for another client id.
	WrongAudience bool
}

// Config configures a Mock. Population is required.
type Config struct {
	Population *population.Population
	Clients    []Client
	// Persons are the identity numbers offered on the login page; nil
	// offers a dozen spread over the population. Any person of the
	// population can still be named by number.
	Persons []string
	// BaseURL fixes the issuer (scheme://host[:port], no path); when empty
	// it is taken from each request's Host header.
	BaseURL string
	Now     func() time.Time
	Logger  *slog.Logger
}

// Mock is the provider. It is safe for concurrent use.
type Mock struct {
	pop     *population.Population
	persons []string
	baseURL string
	now     func() time.Time
	log     *slog.Logger
	tpl     *template.Template

	signer  jose.Signer
	foreign jose.Signer
	public  jose.JSONWebKey

	mu      sync.Mutex
	clients map[string]client
	pending map[string]*pendingAuth
	codes   map[string]*grant
	jtis    map[string]time.Time
	faults  Faults
}

type client struct {
	Client
	keys []jose.JSONWebKey
}

// pendingAuth is an authorization request waiting for the tester's pick.
type pendingAuth struct {
	client, redirectURI, state, nonce, challenge, scope, acr, locale string
	expires                                                          time.Time
}

// grant is an issued authorization code.
type grant struct {
	pendingAuth
	pid, name, level string
	authTime         time.Time
	used             bool
}

// New builds a provider with a fresh RS256 signing key.
func New(cfg Config) (*Mock, error) {
	if cfg.Population == nil {
		return nil, fmt.Errorf("%w: Population is required", ErrInvalidConfig)
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	if base != "" && !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		return nil, fmt.Errorf("%w: BaseURL %q must start with http:// or https://", ErrInvalidConfig, cfg.BaseURL)
	}
	m := &Mock{pop: cfg.Population, baseURL: base, now: cfg.Now, log: cfg.Logger,
		clients: map[string]client{}, pending: map[string]*pendingAuth{}, codes: map[string]*grant{}, jtis: map[string]time.Time{}}
	if m.now == nil {
		m.now = time.Now
	}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	m.persons = slices.Clone(cfg.Persons)
	if m.persons == nil {
		m.persons = cfg.Population.SampleNINs(defaultPersonList)
	}
	for _, n := range m.persons {
		if _, ok := cfg.Population.ByNIN(n); !ok {
			return nil, fmt.Errorf("%w: person %q is not in the population", ErrInvalidConfig, n)
		}
	}
	var err error
	if m.signer, m.public, err = newSigner(); err != nil {
		return nil, err
	}
	if m.foreign, _, err = newSigner(); err != nil {
		return nil, err
	}
	if m.tpl, err = template.New("page").Parse(page); err != nil {
		return nil, fmt.Errorf("idportenmock: template: %w", err)
	}
	for _, c := range cfg.Clients {
		if err := m.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func newSigner() (jose.Signer, jose.JSONWebKey, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, jose.JSONWebKey{}, fmt.Errorf("idportenmock: key: %w", err)
	}
	kid := rand.Text()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader(jose.HeaderKey("kid"), kid))
	if err != nil {
		return nil, jose.JSONWebKey{}, fmt.Errorf("idportenmock: signer: %w", err)
	}
	pub := jose.JSONWebKey{Key: &key.PublicKey, KeyID: kid, Algorithm: string(jose.RS256), Use: "sig"}
	return signer, pub, nil
}

// Register adds a client or replaces the one with the same id.
func (m *Mock) Register(c Client) error {
	if c.ClientID == "" {
		return fmt.Errorf("%w: a client needs a ClientID", ErrInvalidConfig)
	}
	if len(c.RedirectURIs) == 0 {
		return fmt.Errorf("%w: client %q needs a redirect URI", ErrInvalidConfig, c.ClientID)
	}
	keys, err := parseKeys(c.PublicJWK)
	if err != nil {
		return fmt.Errorf("%w: client %q: %w", ErrInvalidConfig, c.ClientID, err)
	}
	c.RedirectURIs = slices.Clone(c.RedirectURIs)
	m.mu.Lock()
	m.clients[c.ClientID] = client{Client: c, keys: keys}
	m.mu.Unlock()
	return nil
}

// parseKeys reads a public JWK or JWK set; private keys are refused.
func parseKeys(raw []byte) ([]jose.JSONWebKey, error) {
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(raw, &set); err == nil && len(set.Keys) > 0 {
		for _, k := range set.Keys {
			if !k.IsPublic() || !k.Valid() {
				return nil, errors.New("the JWK set must hold valid public keys")
			}
		}
		return set.Keys, nil
	}
	var k jose.JSONWebKey
	if err := json.Unmarshal(raw, &k); err != nil {
		return nil, fmt.Errorf("the public key is not a JWK: %w", err)
	}
	if !k.IsPublic() || !k.Valid() {
		return nil, errors.New("the JWK must be a valid public key")
	}
	return []jose.JSONWebKey{k}, nil
}

// SetFaults replaces the faults.
func (m *Mock) SetFaults(f Faults) {
	m.mu.Lock()
	m.faults = f
	m.mu.Unlock()
}

// Handler serves the provider.
func (m *Mock) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+pathDiscovery, m.discovery)
	mux.HandleFunc("GET "+pathJWKS, m.jwks)
	mux.HandleFunc("GET "+pathAuthorize, m.authorize)
	mux.HandleFunc("POST "+pathAuthorize, m.pick)
	mux.HandleFunc("POST "+pathToken, m.token)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not_found"})
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		mux.ServeHTTP(w, r)
		// Paths only: queries and bodies carry codes and identity numbers.
		m.log.Debug("idportenmock: request", "method", r.Method, "path", r.URL.Path)
	})
}

// Issuer is the issuer as a caller reaching the mock through r sees it.
func (m *Mock) issuer(r *http.Request) string {
	if m.baseURL != "" {
		return m.baseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (m *Mock) discovery(w http.ResponseWriter, r *http.Request) {
	iss := m.issuer(r)
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                           iss,
		"authorization_endpoint":                           iss + pathAuthorize,
		"token_endpoint":                                   iss + pathToken,
		"jwks_uri":                                         iss + pathJWKS,
		"response_types_supported":                         []string{"code"},
		"response_modes_supported":                         []string{"query"},
		"grant_types_supported":                            []string{"authorization_code"},
		"subject_types_supported":                          []string{"pairwise"},
		"id_token_signing_alg_values_supported":            []string{string(jose.RS256)},
		"token_endpoint_auth_methods_supported":            []string{"private_key_jwt"},
		"token_endpoint_auth_signing_alg_values_supported": []string{"RS256", "RS384", "RS512", "PS256", "ES256"},
		"code_challenge_methods_supported":                 []string{"S256"},
		"scopes_supported":                                 []string{"openid", "profile"},
		"acr_values_supported":                             []string{LevelSubstantial, LevelHigh},
		"claims_supported":                                 []string{"iss", "aud", "sub", "pid", "acr", "amr", "nonce", "auth_time", "locale", "sid", "name"},
		"ui_locales_supported":                             []string{"nb", "nn", "en", "se"},
		"authorization_response_iss_parameter_supported":   true,
	})
}

func (m *Mock) jwks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{m.public}})
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

// sweep drops expired pending requests, codes and jtis. Callers hold m.mu.
func (m *Mock) sweep(now time.Time) {
	for k, p := range m.pending {
		if now.After(p.expires) {
			delete(m.pending, k)
		}
	}
	for k, g := range m.codes {
		// Used codes are kept a while longer so that a replay is told apart.
		if now.After(g.expires.Add(pendingLifetime)) {
			delete(m.codes, k)
		}
	}
	for k, exp := range m.jtis {
		if now.After(exp) {
			delete(m.jtis, k)
		}
	}
}
