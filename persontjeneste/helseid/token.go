package helseid

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"resepsjon/loopback"
)

const (
	// defaultRequestTimeout bounds each HTTP request to HelseID when the
	// caller's http.Client has no Timeout of its own.
	defaultRequestTimeout = 30 * time.Second
	// maxResponseBytes caps what is read from HelseID; real answers are a
	// few kilobytes.
	maxResponseBytes = 1 << 20
	// maxRefreshAhead caps how early a token is renewed; short-lived
	// tokens are renewed after 90% of their lifetime.
	maxRefreshAhead = 30 * time.Second
	// maxExpiryMargin caps how long before expiry a token stops being
	// handed out, so it does not expire on its way to the API.
	maxExpiryMargin = 5 * time.Second
	// failureBackoff is how long a failed token request is not repeated:
	// while HelseID is unavailable, callers get the last error at once
	// instead of queueing behind another doomed request, and a failed
	// early refresh is not retried on every call.
	failureBackoff = time.Second

	discoveryPath = "/.well-known/openid-configuration"

	grantClientCredentials = "client_credentials"
	assertionTypeJWTBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	tokenTypeDPoP          = "DPoP"
	headerDPoP             = "DPoP"
	headerDPoPNonce        = "DPoP-Nonce"
)

// Config configures a TokenClient.
type Config struct {
	// Authority is HelseID's issuer URL, e.g. https://helseid-sts.test.nhn.no/.
	// The discovery document is read from Authority + "/.well-known/openid-configuration"
	// once; its issuer is the client assertion's audience.
	Authority string
	// TokenEndpoint overrides the discovery document's token_endpoint.
	TokenEndpoint string
	// ClientID is the HelseID client id.
	ClientID string
	// Key signs client assertions and DPoP proofs; its public JWK must be
	// registered for ClientID.
	Key *Key
	// Scopes requested, e.g. nhn:hgd-persontjenesten-api/read-with-legal-basis.
	Scopes []string
	// Tenancy is TenancySingle ("single", the default) or TenancyMulti ("multi").
	Tenancy string
	// OrgNumber is the parent organisation for a multi-tenant client; for
	// a single-tenant client the organisation is ChildOrgNumber if set,
	// else OrgNumber. Empty: no authorization_details are sent.
	OrgNumber string
	// ChildOrgNumber is the optional child (sub-)organisation.
	ChildOrgNumber string
	// HTTPClient is required; set its Timeout. Each request to HelseID is
	// additionally bounded by 30 s when it has none.
	HTTPClient *http.Client
	// Now returns the current time; nil means time.Now. For tests.
	Now func() time.Time
	// Logger receives debug and warning records (never tokens or keys);
	// nil discards them.
	Logger *slog.Logger
}

// Token is a DPoP-bound HelseID access token. Its formatting verbs and slog
// value never show the access token itself.
type Token struct {
	AccessToken string
	Type        string // always "DPoP"
	ExpiresAt   time.Time
	Scope       string
}

// String describes the token without the access token.
func (t Token) String() string {
	return fmt.Sprintf("%s token (scope %q, expires %s)", t.Type, t.Scope, t.ExpiresAt.Format(time.RFC3339))
}

// Format makes every fmt verb print String.
func (t Token) Format(f fmt.State, _ rune) { _, _ = fmt.Fprint(f, t.String()) }

// LogValue keeps the access token out of slog output.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", t.Type), slog.String("scope", t.Scope), slog.Time("expires_at", t.ExpiresAt))
}

// TokenStats counts a TokenClient's work.
type TokenStats struct {
	// Fetches counts token acquisitions: one per new token, whether or not
	// it took a nonce retry.
	Fetches int64
	// Requests counts HTTP requests to the token endpoint (nonce retries
	// included).
	Requests int64
	// NonceRetries counts token requests repeated with a new DPoP nonce.
	NonceRetries int64
	// Failures counts acquisitions that ended in an error.
	Failures int64
	// Discoveries counts discovery document requests.
	Discoveries int64
}

// TokenClient gets and caches HelseID access tokens. It is safe for
// concurrent use: at most one token request is in flight, concurrent
// callers share its result, and a token is renewed shortly before it
// expires while callers keep using the current one.
type TokenClient struct {
	cfg            Config
	details        []authorizationDetail
	scope          string
	logger         *slog.Logger
	now            func() time.Time
	requestTimeout time.Duration
	nonces         nonceCache

	mu        sync.Mutex
	cur       *cachedToken
	inflight  *tokenCall
	endpoints *endpoints
	lastErr   error
	failedAt  time.Time

	fetches, requests, nonceRetries, failures, discoveries atomic.Int64
}

type cachedToken struct {
	tok         Token
	refreshAt   time.Time // renew from here on, in the background
	usableUntil time.Time // hand out no longer than this
}

type tokenCall struct {
	done chan struct{}
	tok  Token
	err  error
}

type endpoints struct {
	issuer string
	token  *url.URL
}

// NewTokenClient checks cfg and returns a client. It makes no request:
// discovery and the first token request happen on the first Token call.
func NewTokenClient(cfg Config) (*TokenClient, error) {
	if cfg.Authority == "" {
		return nil, fmt.Errorf("%w: no authority", ErrInvalidConfig)
	}
	if _, err := checkServerURL(cfg.Authority); err != nil {
		return nil, fmt.Errorf("%w: authority: %w", ErrInvalidConfig, err)
	}
	if cfg.TokenEndpoint != "" {
		if _, err := checkServerURL(cfg.TokenEndpoint); err != nil {
			return nil, fmt.Errorf("%w: token endpoint: %w", ErrInvalidConfig, err)
		}
	}
	if strings.TrimSpace(cfg.ClientID) == "" {
		return nil, fmt.Errorf("%w: no client id", ErrInvalidConfig)
	}
	if cfg.Key == nil {
		return nil, fmt.Errorf("%w: no key", ErrInvalidConfig)
	}
	if cfg.HTTPClient == nil {
		return nil, fmt.Errorf("%w: no HTTP client", ErrInvalidConfig)
	}
	var scopes []string
	for _, s := range cfg.Scopes {
		if s = strings.TrimSpace(s); s != "" {
			scopes = append(scopes, s)
		}
	}
	if len(scopes) == 0 {
		return nil, fmt.Errorf("%w: no scopes", ErrInvalidConfig)
	}
	details, err := authorizationDetails(cfg.Tenancy, cfg.OrgNumber, cfg.ChildOrgNumber)
	if err != nil {
		return nil, err
	}
	c := &TokenClient{
		cfg:            cfg,
		details:        details,
		scope:          strings.Join(scopes, " "),
		logger:         cfg.Logger,
		now:            cfg.Now,
		requestTimeout: defaultRequestTimeout,
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	if t := cfg.HTTPClient.Timeout; t > 0 && t < c.requestTimeout {
		c.requestTimeout = t
	}
	return c, nil
}

// Key returns the key the client signs with; API proofs must use the same
// key, since HelseID binds the token to it.
func (c *TokenClient) Key() *Key { return c.cfg.Key }

// Token returns a valid access token, from the cache when possible. Callers
// waiting for a request in flight give up when their ctx ends; the request
// itself goes on for the others.
func (c *TokenClient) Token(ctx context.Context) (Token, error) {
	if err := ctx.Err(); err != nil {
		return Token{}, err
	}
	c.mu.Lock()
	now := c.now()
	cur := c.cur
	if cur != nil && now.Before(cur.refreshAt) {
		c.mu.Unlock()
		return cur.tok, nil
	}
	usable := cur != nil && now.Before(cur.usableUntil)
	recentFailure := c.lastErr != nil && now.Before(c.failedAt.Add(failureBackoff))
	call := c.inflight
	if call == nil {
		switch {
		case usable && recentFailure:
			c.mu.Unlock()
			return cur.tok, nil
		case !usable && recentFailure && IsUnavailable(c.lastErr):
			err := c.lastErr
			c.mu.Unlock()
			return Token{}, err
		}
		call = c.startFetchLocked(ctx)
	}
	c.mu.Unlock()
	if usable {
		// The renewal runs in the background; this token is still good.
		return cur.tok, nil
	}
	select {
	case <-call.done:
		return call.tok, call.err
	case <-ctx.Done():
		return Token{}, ctx.Err()
	}
}

// startFetchLocked starts the one token request; c.mu must be held. The
// request is detached from the caller's cancellation (keeping its values),
// because other callers may be waiting for it; it is bounded by the request
// timeouts instead.
func (c *TokenClient) startFetchLocked(ctx context.Context) *tokenCall {
	call := &tokenCall{done: make(chan struct{})}
	c.inflight = call
	c.fetches.Add(1)
	fctx := context.WithoutCancel(ctx)
	go func() {
		tok, refreshAt, usableUntil, err := c.fetch(fctx)
		c.mu.Lock()
		c.inflight = nil
		if err == nil {
			c.cur = &cachedToken{tok: tok, refreshAt: refreshAt, usableUntil: usableUntil}
			c.lastErr = nil
		} else {
			c.failures.Add(1)
			c.lastErr = err
			c.failedAt = c.now()
		}
		call.tok, call.err = tok, err
		c.mu.Unlock()
		close(call.done)
	}()
	return call
}

// Invalidate drops accessToken from the cache if it is still the cached
// token, so that the next Token call fetches a new one. Call it when an API
// answers invalid_token.
func (c *TokenClient) Invalidate(accessToken string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur != nil && c.cur.tok.AccessToken == accessToken {
		c.cur = nil
	}
}

// Stats returns counts of the client's requests.
func (c *TokenClient) Stats() TokenStats {
	return TokenStats{
		Fetches:      c.fetches.Load(),
		Requests:     c.requests.Load(),
		NonceRetries: c.nonceRetries.Load(),
		Failures:     c.failures.Load(),
		Discoveries:  c.discoveries.Load(),
	}
}

// fetch gets a new token: discovery when needed, then the token request,
// repeated once with a fresh assertion when HelseID asks for a DPoP nonce.
func (c *TokenClient) fetch(ctx context.Context) (tok Token, refreshAt, usableUntil time.Time, err error) {
	ep, err := c.discover(ctx)
	if err != nil {
		c.logger.WarnContext(ctx, "helseid discovery failed", "error", err)
		return Token{}, time.Time{}, time.Time{}, err
	}
	nonce := c.nonces.get(roleAuthorizationServer, ep.token)
	for attempt := 0; ; attempt++ {
		sent := c.now()
		resp, err := c.requestToken(ctx, ep, nonce)
		var te *TokenError
		if errors.As(err, &te) && te.Code == CodeUseDPoPNonce && attempt == 0 {
			if fresh := c.nonces.get(roleAuthorizationServer, ep.token); fresh != "" && fresh != nonce {
				c.nonceRetries.Add(1)
				c.logger.DebugContext(ctx, "helseid token request: retrying with server nonce")
				nonce = fresh
				continue
			}
		}
		if err != nil {
			c.logger.WarnContext(ctx, "helseid token request failed", "error", err)
			return Token{}, time.Time{}, time.Time{}, fmt.Errorf("get HelseID token: %w", err)
		}
		lifetime := time.Duration(resp.expiresIn * float64(time.Second))
		tok = Token{
			AccessToken: resp.AccessToken,
			Type:        tokenTypeDPoP,
			ExpiresAt:   sent.Add(lifetime),
			Scope:       resp.Scope,
		}
		refreshAt = tok.ExpiresAt.Add(-min(lifetime/10, maxRefreshAhead))
		usableUntil = tok.ExpiresAt.Add(-min(lifetime/20, maxExpiryMargin))
		c.logger.DebugContext(ctx, "helseid token issued", "token", tok)
		return tok, refreshAt, usableUntil, nil
	}
}

type tokenResponse struct {
	AccessToken string      `json:"access_token"`
	TokenType   string      `json:"token_type"`
	ExpiresIn   json.Number `json:"expires_in"`
	Scope       string      `json:"scope"`
	expiresIn   float64
}

type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// requestToken makes one token request with a new client assertion and
// DPoP proof.
func (c *TokenClient) requestToken(ctx context.Context, ep *endpoints, nonce string) (*tokenResponse, error) {
	now := c.now()
	assertion, err := newClientAssertion(c.cfg.Key, c.cfg.ClientID, ep.issuer, c.details, now)
	if err != nil {
		return nil, fmt.Errorf("client assertion: %w", err)
	}
	tokenURL := ep.token.String()
	proof, err := NewProof(c.cfg.Key, http.MethodPost, tokenURL, nonce, "", now)
	if err != nil {
		return nil, err
	}
	form := url.Values{
		"grant_type":            {grantClientCredentials},
		"client_id":             {c.cfg.ClientID},
		"client_assertion_type": {assertionTypeJWTBearer},
		"client_assertion":      {assertion},
		"scope":                 {c.scope},
	}
	ctx, cancel := context.WithTimeout(ctx, c.requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set(headerDPoP, proof)

	c.requests.Add(1)
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: token request: %w", ErrUnavailable, err)
	}
	defer resp.Body.Close()
	c.nonces.remember(roleAuthorizationServer, ep.token, resp.Header.Get(headerDPoPNonce))
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return nil, fmt.Errorf("%w: read token response: %w", ErrUnavailable, err)
	}
	c.logger.DebugContext(ctx, "helseid token response", "status", resp.StatusCode, "nonce", nonce != "")

	switch {
	case resp.StatusCode == http.StatusOK:
		return parseTokenResponse(body)
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		detail := ""
		if ra := resp.Header.Get("Retry-After"); ra != "" {
			detail = ", retry after " + ra
		}
		return nil, fmt.Errorf("%w: token endpoint answered HTTP %d%s", ErrUnavailable, resp.StatusCode, detail)
	case resp.StatusCode >= 400:
		var oe oauthError
		if json.Unmarshal(body, &oe) != nil {
			oe = oauthError{}
		}
		return nil, &TokenError{Status: resp.StatusCode, Code: oe.Error, Description: oe.Description}
	default:
		return nil, fmt.Errorf("%w: token endpoint answered HTTP %d", ErrInvalidResponse, resp.StatusCode)
	}
}

func parseTokenResponse(body []byte) (*tokenResponse, error) {
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		return nil, fmt.Errorf("%w: token response is not JSON: %s", ErrInvalidResponse, sanitizeJSONError(err))
	}
	if tr.AccessToken == "" {
		return nil, fmt.Errorf("%w: no access_token", ErrInvalidResponse)
	}
	if !strings.EqualFold(tr.TokenType, tokenTypeDPoP) {
		// A Bearer token would work for anyone who steals it; refuse it.
		return nil, fmt.Errorf("%w: token_type %q, want DPoP", ErrInvalidResponse, tr.TokenType)
	}
	secs, err := tr.ExpiresIn.Float64()
	if err != nil || secs <= 0 {
		return nil, fmt.Errorf("%w: missing or invalid expires_in", ErrInvalidResponse)
	}
	tr.expiresIn = secs
	return &tr, nil
}

type discoveryDocument struct {
	Issuer        string `json:"issuer"`
	TokenEndpoint string `json:"token_endpoint"`
}

// discover returns the issuer and token endpoint, reading the discovery
// document once. Only fetch calls it, so there is no concurrent discovery.
func (c *TokenClient) discover(ctx context.Context) (*endpoints, error) {
	c.mu.Lock()
	ep := c.endpoints
	c.mu.Unlock()
	if ep != nil {
		return ep, nil
	}
	doc, err := c.readDiscovery(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: discovery: %w", ErrUnavailable, err)
	}
	if strings.TrimRight(doc.Issuer, "/") != strings.TrimRight(c.cfg.Authority, "/") {
		return nil, fmt.Errorf("%w: discovery: issuer %q does not match authority %q", ErrUnavailable, doc.Issuer, c.cfg.Authority)
	}
	rawToken := c.cfg.TokenEndpoint
	if rawToken == "" {
		rawToken = doc.TokenEndpoint
	}
	if rawToken == "" {
		return nil, fmt.Errorf("%w: discovery: no token_endpoint", ErrUnavailable)
	}
	tokenURL, err := checkServerURL(rawToken)
	if err != nil {
		return nil, fmt.Errorf("%w: discovery: token_endpoint: %w", ErrUnavailable, err)
	}
	ep = &endpoints{issuer: doc.Issuer, token: tokenURL}
	c.mu.Lock()
	c.endpoints = ep
	c.mu.Unlock()
	return ep, nil
}

func (c *TokenClient) readDiscovery(ctx context.Context) (*discoveryDocument, error) {
	ctx, cancel := context.WithTimeout(ctx, c.requestTimeout)
	defer cancel()
	u := strings.TrimRight(c.cfg.Authority, "/") + discoveryPath
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	c.discoveries.Add(1)
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d from %s", resp.StatusCode, u)
	}
	var doc discoveryDocument
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("document is not JSON: %s", sanitizeJSONError(err))
	}
	if doc.Issuer == "" {
		return nil, errors.New("document has no issuer")
	}
	return &doc, nil
}

// checkServerURL accepts https URLs, and http only on loopback (the offline
// mock), since client assertions and tokens must not travel in clear text.
func checkServerURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("invalid URL: %w", err)
	}
	switch {
	case u.Host == "" || u.Opaque != "":
		return nil, fmt.Errorf("URL %q is not absolute", raw)
	case u.User != nil:
		return nil, errors.New("URL must not contain user info")
	case u.Scheme == "https":
		return u, nil
	case u.Scheme == "http" && loopback.IsHost(u.Hostname()):
		return u, nil
	default:
		return nil, fmt.Errorf("URL %q must use https (http only on loopback)", raw)
	}
}
