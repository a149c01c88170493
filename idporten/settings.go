// Package idporten is the patient portal's login with ID-porten (or another
// OpenID Connect provider that issues the fødselsnummer in the pid claim):
// the practice's settings (issuer, client id, level of assurance, the
// client's key in the OS keyring) and the login itself — authorization code
// with PKCE (S256), state and nonce, client authentication by
// private_key_jwt, and a verified ID token whose pid, acr and name become an
// Identity.
//
// It knows neither the patient's HTTP pages nor SQL: patientweb starts and
// finishes logins through it, the staff API changes the settings through it.
package idporten

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"resepsjon/activation"
	"resepsjon/loopback"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/register"
)

// Levels of assurance (ID-porten's acr values).
const (
	LevelSubstantial = "idporten-loa-substantial"
	LevelHigh        = "idporten-loa-high"
)

// Issuers of ID-porten's environments, as Digdir documents them.
const (
	IssuerTest       = "https://test.idporten.no"
	IssuerProduction = "https://idporten.no"
)

// CallbackPath is the patient portal's path the provider redirects back to.
const CallbackPath = "/idporten/callback"

const (
	settingKey     = "idporten.settings"
	defaultTimeout = 15 * time.Second
	keyTimeout     = 30 * time.Second
	// Field codes besides the register's own.
	CodeKeyMissing = "key.missing"
	CodeKeyInvalid = "key.invalid"
	CodeKeyShared  = "key.shared"
)

// SettingsStore keeps the settings (the app's settings table) and writes a
// change's audit row in the same transaction.
type SettingsStore interface {
	GetSetting(ctx context.Context, key string) (string, bool, error)
	PutSetting(ctx context.Context, key, value string) error
	PutSettingsAudited(ctx context.Context, settings map[string]string, e register.AuditEntry) error
}

// ActionSettings is the audit action of a change to the ID-porten settings
// or key. The row's query says what changed as key=value words (change=
// settings with the new issuer, clientId, level, askName; change=
// key_generated, key_imported, key_installed or key_removed with the key's
// id and algorithm), which the audit page writes as a sentence; never key
// material.
const ActionSettings = "idporten_settings"

// Actions lists this package's audit actions, for filters.
var Actions = []string{ActionSettings}

// Settings is the practice's ID-porten set-up.
type Settings struct {
	Issuer   string `json:"issuer"`
	ClientID string `json:"clientId"`
	// Level is the least level of assurance accepted (and asked for).
	Level string `json:"level"`
	// AskName requests the profile scope, with which some eIDs add the
	// person's name to the ID token.
	AskName bool `json:"askName"`
	// KeyID is the client key's kid: its account in the OS keyring.
	KeyID string `json:"keyId"`
}

// State is the settings as the staff screen shows them.
type State struct {
	Settings
	// PublicJWK is the public key to register with the provider ("" when
	// there is no key).
	PublicJWK string `json:"publicJwk"`
	// KeyAlg is the key's algorithm.
	KeyAlg string `json:"keyAlg"`
	// KeyProblem is why the key cannot be read ("" when it can or there is none).
	KeyProblem string `json:"keyProblem"`
	// RedirectURI is the address to register as the client's redirect URI.
	RedirectURI string `json:"redirectUri"`
	// Ready tells whether patients can log in: issuer, client id and key are set.
	Ready bool `json:"ready"`
}

// Config wires the Service.
type Config struct {
	Settings SettingsStore
	Keys     helseid.KeyStore
	// RedirectURI is the patient portal's callback address as the
	// provider must see it (its public address + CallbackPath).
	RedirectURI func(ctx context.Context) (string, error)
	// HTTPTimeout bounds each call to the provider (default 15 s).
	HTTPTimeout time.Duration
	// Transport is the HTTP transport (nil: the default).
	Transport http.RoundTripper
	Now       func() time.Time
	Logger    *slog.Logger
	// OSUser is written to the audit log with each change.
	OSUser string
}

// Service is the practice's ID-porten login. Safe for concurrent use.
type Service struct {
	cfg    Config
	client *http.Client
	now    func() time.Time
	log    *slog.Logger

	mu        sync.Mutex
	keyCache  *helseid.KeyCache
	providers map[string]*provider
	pending   map[string]pending
}

// New builds the Service.
func New(cfg Config) (*Service, error) {
	if cfg.Settings == nil || cfg.Keys == nil || cfg.RedirectURI == nil {
		return nil, errors.New("idporten: Settings, Keys and RedirectURI are required")
	}
	if cfg.HTTPTimeout <= 0 {
		cfg.HTTPTimeout = defaultTimeout
	}
	s := &Service{cfg: cfg, now: cfg.Now, log: cfg.Logger,
		client:   &http.Client{Timeout: cfg.HTTPTimeout, Transport: cfg.Transport},
		keyCache: helseid.NewKeyCache(cfg.Keys), providers: map[string]*provider{}, pending: map[string]pending{}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

// Settings reads the stored settings.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	raw, ok, err := s.cfg.Settings.GetSetting(ctx, settingKey)
	if err != nil {
		return Settings{}, fmt.Errorf("read ID-porten settings: %w", err)
	}
	st := Settings{Level: LevelSubstantial}
	if ok && raw != "" {
		if err := json.Unmarshal([]byte(raw), &st); err != nil {
			return Settings{}, fmt.Errorf("read ID-porten settings: %w", err)
		}
	}
	return st, nil
}

// store saves st with the audit row of the change that made it (query:
// what changed, see ActionSettings), in one transaction.
func (s *Service) store(ctx context.Context, st Settings, change string) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return err
	}
	e := register.AuditEntry{Time: s.now().UTC(), OSUser: s.cfg.OSUser, Action: ActionSettings, Query: change,
		PersonIDs: []string{}, Outcome: register.OutcomeOK}
	if err := s.cfg.Settings.PutSettingsAudited(ctx, map[string]string{settingKey: string(raw)}, e); err != nil {
		return fmt.Errorf("store ID-porten settings: %w", err)
	}
	return nil
}

// settingsChange is the audit query of an Update: the fields that changed,
// with their new values.
func settingsChange(old, st Settings) string {
	parts := []string{"change=settings"}
	if st.Issuer != old.Issuer {
		parts = append(parts, "issuer="+oneLine(st.Issuer))
	}
	if st.ClientID != old.ClientID {
		parts = append(parts, "clientId="+oneLine(st.ClientID))
	}
	if st.Level != old.Level {
		parts = append(parts, "level="+st.Level)
	}
	if st.AskName != old.AskName {
		parts = append(parts, fmt.Sprintf("askName=%t", st.AskName))
	}
	if len(parts) == 1 {
		return ""
	}
	return strings.Join(parts, " ")
}

// keyChange is the audit query of a key change: what was done, the key's id
// and algorithm (public identifiers only).
func keyChange(what string, k *helseid.Key) string {
	return fmt.Sprintf("change=%s kid=%s alg=%s", what, k.KID(), k.Alg())
}

// oneLine keeps a value on one line of the audit query ("" as "–").
func oneLine(v string) string {
	if v == "" {
		return "–"
	}
	return strings.Join(strings.Fields(v), " ")
}

// Load is the settings with the key's public half and the redirect URI.
func (s *Service) Load(ctx context.Context) (State, error) {
	st, err := s.Settings(ctx)
	if err != nil {
		return State{}, err
	}
	out := State{Settings: st}
	if uri, err := s.cfg.RedirectURI(ctx); err == nil {
		out.RedirectURI = uri
	}
	if st.KeyID != "" {
		k, err := s.key(ctx, st.KeyID)
		switch {
		case err == nil:
			jwk, err := k.PublicJWK()
			if err != nil {
				return State{}, err
			}
			out.PublicJWK, out.KeyAlg = string(jwk), k.Alg()
		case errors.Is(err, helseid.ErrNoKeyring):
			out.KeyProblem = "key.no_keyring"
		default:
			out.KeyProblem = CodeKeyMissing
		}
	}
	out.Ready = st.Issuer != "" && st.ClientID != "" && out.PublicJWK != ""
	return out, nil
}

// Change sets the fields that are not nil.
type Change struct {
	Issuer, ClientID, Level *string
	AskName                 *bool
}

// Update checks and stores a change. Wrong fields give a
// *register.ValidationError (keys issuer, clientId, level) and nothing is
// stored.
func (s *Service) Update(ctx context.Context, ch Change) (State, error) {
	st, err := s.Settings(ctx)
	if err != nil {
		return State{}, err
	}
	old := st
	fields := map[string]string{}
	if ch.Issuer != nil {
		st.Issuer = strings.TrimSpace(*ch.Issuer)
		if st.Issuer != "" {
			if code := checkIssuer(st.Issuer); code != "" {
				fields["issuer"] = code
			}
		}
	}
	if ch.ClientID != nil {
		st.ClientID = strings.TrimSpace(*ch.ClientID)
		if len(st.ClientID) > 200 || strings.ContainsFunc(st.ClientID, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			fields["clientId"] = register.CodeInvalid
		}
	}
	if ch.Level != nil {
		st.Level = *ch.Level
		if st.Level != LevelSubstantial && st.Level != LevelHigh {
			fields["level"] = register.CodeInvalid
		}
	}
	if ch.AskName != nil {
		st.AskName = *ch.AskName
	}
	if len(fields) > 0 {
		return State{}, &register.ValidationError{Fields: fields}
	}
	// Saved without a change: nothing to store, nothing to audit.
	if change := settingsChange(old, st); change != "" {
		if err := s.store(ctx, st, change); err != nil {
			return State{}, err
		}
	}
	return s.Load(ctx)
}

// checkIssuer wants an absolute https URL without query or fragment; plain
// http only on loopback (a provider on this machine, such as the demo's).
func checkIssuer(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil || len(raw) > 500 {
		return register.CodeInvalid
	}
	switch u.Scheme {
	case "https":
		return ""
	case "http":
		if loopback.IsHost(u.Hostname()) {
			return ""
		}
	}
	return "issuer.https"
}

// GenerateKey makes a new RSA key (RS256), keeps it in the key store and
// makes it the client's key, replacing (and deleting) the one before.
func (s *Service) GenerateKey(ctx context.Context) (State, error) {
	k, err := helseid.GenerateKey(helseid.AlgRS256)
	if err != nil {
		return State{}, err
	}
	return s.install(ctx, k, "key_generated")
}

// ImportKey reads a private key (JWK or PEM) and makes it the client's key.
// What cannot be read is a *register.ValidationError on "key".
func (s *Service) ImportKey(ctx context.Context, data []byte) (State, error) {
	if strings.TrimSpace(string(data)) == "" {
		return State{}, &register.ValidationError{Fields: map[string]string{"key": register.CodeRequired}}
	}
	k, err := helseid.ImportKey(data, "")
	if err != nil {
		return State{}, fmt.Errorf("%w: %w", &register.ValidationError{Fields: map[string]string{"key": CodeKeyInvalid}}, err)
	}
	return s.install(ctx, k, "key_imported")
}

// Install makes k the client's key (the demo's key comes this way).
func (s *Service) Install(ctx context.Context, k *helseid.Key) (State, error) {
	return s.install(ctx, k, "key_installed")
}

func (s *Service) install(ctx context.Context, k *helseid.Key, what string) (State, error) {
	helseID, err := s.helseIDKeyID(ctx)
	if err != nil {
		return State{}, err
	}
	if k.KID() == helseID {
		// One key for two services: removing it from one would break the other.
		return State{}, &register.ValidationError{Fields: map[string]string{"key": CodeKeyShared}}
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return State{}, err
	}
	kctx, cancel := context.WithTimeout(ctx, keyTimeout)
	defer cancel()
	if err := s.cfg.Keys.Save(kctx, k); err != nil {
		return State{}, fmt.Errorf("store the ID-porten key: %w", err)
	}
	old := st.KeyID
	st.KeyID = k.KID()
	if err := s.store(ctx, st, keyChange(what, k)); err != nil {
		if old != k.KID() {
			_ = s.cfg.Keys.Delete(kctx, k.KID())
		}
		return State{}, err
	}
	s.keyCache.Put(k)
	if old != "" && old != k.KID() {
		s.keyCache.Forget(old)
		if err := s.cfg.Keys.Delete(kctx, old); err != nil && !errors.Is(err, helseid.ErrKeyNotFound) {
			s.log.Warn("could not delete the replaced ID-porten key", "err", err)
		}
	}
	return s.Load(ctx)
}

// RemoveKey deletes the client's key; patients cannot log in with ID-porten
// until there is another.
func (s *Service) RemoveKey(ctx context.Context) (State, error) {
	st, err := s.Settings(ctx)
	if err != nil {
		return State{}, err
	}
	if st.KeyID == "" {
		return s.Load(ctx)
	}
	kctx, cancel := context.WithTimeout(ctx, keyTimeout)
	defer cancel()
	if err := s.cfg.Keys.Delete(kctx, st.KeyID); err != nil && !errors.Is(err, helseid.ErrKeyNotFound) {
		return State{}, fmt.Errorf("delete the ID-porten key: %w", err)
	}
	s.keyCache.Forget(st.KeyID)
	removed := "change=key_removed kid=" + st.KeyID
	st.KeyID = ""
	if err := s.store(ctx, st, removed); err != nil {
		return State{}, err
	}
	return s.Load(ctx)
}

func (s *Service) helseIDKeyID(ctx context.Context) (string, error) {
	id, _, err := s.cfg.Settings.GetSetting(ctx, activation.SettingKeyID)
	if err != nil {
		return "", fmt.Errorf("read the HelseID key id: %w", err)
	}
	return id, nil
}

func (s *Service) key(ctx context.Context, kid string) (*helseid.Key, error) {
	return s.keyCache.Load(ctx, kid, keyTimeout)
}

// MeetsLevel tells whether an identity verified at acr meets the level the
// practice requires now (a level raised since the login is not met by a
// lower one).
func (s *Service) MeetsLevel(ctx context.Context, acr string) (bool, error) {
	st, err := s.Settings(ctx)
	if err != nil {
		return false, err
	}
	return levelMet(acr, st.Level), nil
}

// IdentityProviderConfigured tells whether patients can log in with
// ID-porten: issuer, client id and a readable key are set. The portal's
// approval rules ask it before approving verified requests automatically.
func (s *Service) IdentityProviderConfigured(ctx context.Context) (bool, error) {
	st, err := s.Load(ctx)
	if err != nil {
		return false, err
	}
	return st.Ready, nil
}
