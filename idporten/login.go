package idporten

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"resepsjon/nin"
)

// Identity is a person as the identity provider verified them.
type Identity struct {
	// PID is the fødselsnummer or D-number from the ID token's pid claim.
	PID string
	// Name is the person's name when the provider gave it, else "".
	Name string
	// ACR is the level of assurance of the login.
	ACR string
	// AMR are the authentication methods (e.g. BankID, MinID, TestID).
	AMR []string
}

// LogValue keeps the identity number and name out of log lines.
func (id Identity) LogValue() slog.Value { return slog.GroupValue(slog.String("acr", id.ACR)) }

// String describes the identity without the number or name.
func (id Identity) String() string { return "idporten.Identity{acr=" + id.ACR + "}" }

// Login error codes; each has a text in the messages catalogue.
const (
	CodeNotConfigured = "idporten.not_configured"
	CodeExpired       = "idporten.expired"
	CodeState         = "idporten.state"
	CodeCancelled     = "idporten.cancelled"
	CodeRefused       = "idporten.refused"
	CodeLevel         = "idporten.level"
	CodeUnavailable   = "idporten.unavailable"
)

// LoginError is a login that did not give a verified identity. Code says
// what the patient is told; Err is the cause for the log.
type LoginError struct {
	Code string
	Err  error
}

func (e *LoginError) Error() string {
	if e.Err == nil {
		return "ID-porten login: " + e.Code
	}
	return "ID-porten login: " + e.Code + ": " + e.Err.Error()
}

func (e *LoginError) Unwrap() error { return e.Err }

func loginErr(code string, format string, args ...any) *LoginError {
	return &LoginError{Code: code, Err: fmt.Errorf(format, args...)}
}

const (
	// loginLifetime bounds the time from «Logg inn med ID-porten» to the
	// callback.
	loginLifetime = 10 * time.Minute
	maxPending    = 10000
	assertionLife = 60 * time.Second
	assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
)

// pending is a started login, kept here until its callback.
type pending struct {
	state, nonce, verifier string
	issuer, clientID       string
	redirectURI, level     string
	expires                time.Time
}

// provider is a discovered provider with its ID token verifier.
type provider struct {
	oidc     *oidc.Provider
	verifier *oidc.IDTokenVerifier
	clientID string
}

// Started is a login begun: send the browser to URL, and bind Handle to
// the browser (a short-lived cookie) for the callback.
type Started struct {
	URL    string
	Handle string
}

// Begin starts a login: a fresh state, nonce and PKCE verifier are kept
// here under a random handle for loginLifetime.
func (s *Service) Begin(ctx context.Context, lang string) (Started, error) {
	st, err := s.Settings(ctx)
	if err != nil {
		return Started{}, err
	}
	if st.Issuer == "" || st.ClientID == "" || st.KeyID == "" {
		return Started{}, &LoginError{Code: CodeNotConfigured}
	}
	redirectURI, err := s.cfg.RedirectURI(ctx)
	if err != nil || redirectURI == "" {
		return Started{}, loginErr(CodeNotConfigured, "no redirect URI: %v", err)
	}
	p, err := s.provider(ctx, st.Issuer, st.ClientID)
	if err != nil {
		return Started{}, err
	}
	pend := pending{state: rand.Text(), nonce: rand.Text(), verifier: oauth2.GenerateVerifier(),
		issuer: st.Issuer, clientID: st.ClientID, redirectURI: redirectURI, level: st.Level,
		expires: s.now().Add(loginLifetime)}
	if lang != "en" {
		lang = "nb"
	}
	authURL := s.oauth(p, st.ClientID, redirectURI, st.AskName).AuthCodeURL(pend.state,
		oidc.Nonce(pend.nonce), oauth2.S256ChallengeOption(pend.verifier),
		oauth2.SetAuthURLParam("acr_values", st.Level), oauth2.SetAuthURLParam("ui_locales", lang))
	handle := rand.Text()
	now := s.now()
	s.mu.Lock()
	for h, old := range s.pending {
		if now.After(old.expires) {
			delete(s.pending, h)
		}
	}
	full := len(s.pending) >= maxPending
	if !full {
		s.pending[handle] = pend
	}
	s.mu.Unlock()
	if full {
		return Started{}, loginErr(CodeUnavailable, "too many logins under way")
	}
	return Started{URL: authURL, Handle: handle}, nil
}

func (s *Service) oauth(p *provider, clientID, redirectURI string, askName bool) *oauth2.Config {
	ep := p.oidc.Endpoint()
	ep.AuthStyle = oauth2.AuthStyleInParams
	scopes := []string{oidc.ScopeOpenID}
	if askName {
		scopes = append(scopes, "profile")
	}
	return &oauth2.Config{ClientID: clientID, Endpoint: ep, RedirectURL: redirectURI, Scopes: scopes}
}

// provider discovers the issuer once and keeps the result.
func (s *Service) provider(ctx context.Context, issuer, clientID string) (*provider, error) {
	key := issuer + "\x00" + clientID
	s.mu.Lock()
	p := s.providers[key]
	s.mu.Unlock()
	if p != nil {
		return p, nil
	}
	dctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, s.client), s.cfg.HTTPTimeout)
	defer cancel()
	op, err := oidc.NewProvider(dctx, issuer)
	if err != nil {
		return nil, loginErr(CodeUnavailable, "discover %s: %w", issuer, err)
	}
	p = &provider{oidc: op, clientID: clientID,
		verifier: op.Verifier(&oidc.Config{ClientID: clientID, Now: s.now})}
	s.mu.Lock()
	s.providers[key] = p
	s.mu.Unlock()
	return p, nil
}

// Complete finishes the login bound to handle with the provider's answer
// (the callback's query). The handle is spent whatever the outcome. The
// answer must carry the login's state; the code is exchanged with the
// PKCE verifier and a signed client assertion; the ID token must be
// signed by the provider, issued by it to this client, unexpired, with the
// login's nonce, a valid identity number in pid and at least the level the
// practice asks for.
func (s *Service) Complete(ctx context.Context, handle string, query url.Values) (Identity, error) {
	s.mu.Lock()
	pend, ok := s.pending[handle]
	delete(s.pending, handle)
	s.mu.Unlock()
	if handle == "" || !ok || !s.now().Before(pend.expires) {
		return Identity{}, &LoginError{Code: CodeExpired}
	}
	state := query.Get("state")
	if subtle.ConstantTimeCompare([]byte(state), []byte(pend.state)) != 1 {
		return Identity{}, loginErr(CodeState, "the answer's state is not the login's")
	}
	if iss := query.Get("iss"); iss != "" && iss != pend.issuer {
		return Identity{}, loginErr(CodeRefused, "the answer comes from issuer %q, not %q", iss, pend.issuer)
	}
	if e := query.Get("error"); e != "" {
		if e == "access_denied" {
			return Identity{}, loginErr(CodeCancelled, "the person cancelled")
		}
		return Identity{}, loginErr(CodeRefused, "provider error %q: %.200s", e, query.Get("error_description"))
	}
	code := query.Get("code")
	if code == "" {
		return Identity{}, loginErr(CodeRefused, "the answer has no code")
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return Identity{}, err
	}
	if st.Issuer != pend.issuer || st.ClientID != pend.clientID || st.KeyID == "" {
		return Identity{}, loginErr(CodeExpired, "the settings changed during the login")
	}
	p, err := s.provider(ctx, pend.issuer, pend.clientID)
	if err != nil {
		return Identity{}, err
	}
	k, err := s.key(ctx, st.KeyID)
	if err != nil {
		return Identity{}, loginErr(CodeUnavailable, "load the ID-porten key: %w", err)
	}
	now := s.now()
	assertion, err := k.SignJWT(map[string]any{
		"iss": pend.clientID, "sub": pend.clientID, "aud": pend.issuer,
		"iat": now.Unix(), "exp": now.Add(assertionLife).Unix(), "jti": rand.Text(),
	})
	if err != nil {
		return Identity{}, fmt.Errorf("sign the client assertion: %w", err)
	}
	xctx, cancel := context.WithTimeout(context.WithValue(ctx, oauth2.HTTPClient, s.client), s.cfg.HTTPTimeout)
	defer cancel()
	tok, err := s.oauth(p, pend.clientID, pend.redirectURI, st.AskName).Exchange(xctx, code,
		oauth2.VerifierOption(pend.verifier),
		oauth2.SetAuthURLParam("client_assertion_type", assertionType),
		oauth2.SetAuthURLParam("client_assertion", assertion))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return Identity{}, loginErr(CodeRefused, "token request refused: %s %s", re.ErrorCode, re.ErrorDescription)
		}
		return Identity{}, loginErr(CodeUnavailable, "token request: %w", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, loginErr(CodeRefused, "the token answer has no ID token")
	}
	vctx, vcancel := context.WithTimeout(ctx, s.cfg.HTTPTimeout)
	defer vcancel()
	idt, err := p.verifier.Verify(vctx, raw)
	if err != nil {
		return Identity{}, loginErr(CodeRefused, "ID token: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(pend.nonce)) != 1 {
		return Identity{}, loginErr(CodeRefused, "ID token nonce is not the login's")
	}
	var claims struct {
		PID  string   `json:"pid"`
		ACR  string   `json:"acr"`
		AMR  []string `json:"amr"`
		Name string   `json:"name"`
	}
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, loginErr(CodeRefused, "ID token claims: %w", err)
	}
	if _, err := nin.Parse(claims.PID); err != nil {
		return Identity{}, loginErr(CodeRefused, "ID token pid is not an identity number: %v", nin.Code(err))
	}
	if !levelMet(claims.ACR, pend.level) {
		return Identity{}, loginErr(CodeLevel, "level %q is below %q", claims.ACR, pend.level)
	}
	return Identity{PID: claims.PID, Name: strings.TrimSpace(claims.Name), ACR: claims.ACR, AMR: slices.Clone(claims.AMR)}, nil
}

// levelMet tells whether acr is at least want.
func levelMet(acr, want string) bool {
	switch want {
	case LevelHigh:
		return acr == LevelHigh
	default:
		return acr == LevelSubstantial || acr == LevelHigh
	}
}
