// Package activation is the practice's connection to Norsk helsenett: the
// Persontjenesten settings (organisation, HelseID client, information parts),
// the HelseID key (generate, import, replace, remove), the two activation
// checks (delegation in HelseID, access agreement in Persontjenesten) and the
// Persontjenesten client an activated practice looks people up with.
//
// It knows neither HTTP nor SQL: the app's handlers, "resepsjon key" and the
// demo all go through it.
package activation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"resepsjon/config"
	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/register"
)

// Settings keys.
const (
	// SettingKeyID is the active HelseID key's id (its keyring account);
	// empty means no key.
	SettingKeyID           = "helseid.key_id"
	settingPersontjenesten = "persontjenesten.settings"
	settingChecks          = "persontjenesten.checks"
)

// Check states.
const (
	StateUnchecked = "unchecked"
	StateOK        = "ok"
	StateFailed    = "failed"
)

// Field codes the use cases put in a *register.ValidationError besides the
// register's own.
const (
	CodeKeyMissing = "key.missing"
	CodeKeyInvalid = "key.invalid"
)

// ErrNotActivated means Persontjenesten is not activated with the current
// settings: both checks must pass first.
var ErrNotActivated = errors.New("persontjenesten is not activated")

// keyTimeout is the default bound on a key store call.
const keyTimeout = 30 * time.Second

// Settings is the practice's Persontjenesten set-up.
type Settings struct {
	OrgNumber        string                           `json:"orgNumber"`
	SubOrgNumber     string                           `json:"subOrgNumber"`
	Name             string                           `json:"name"`
	Environment      string                           `json:"environment"`
	ClientID         string                           `json:"clientId"`
	Tenancy          string                           `json:"tenancy"`
	InformationParts []persontjeneste.InformationPart `json:"informationParts"`
}

// CheckResult is the stored outcome of one activation check.
type CheckResult struct {
	State     string     `json:"state"`
	CheckedAt *time.Time `json:"checkedAt"`
	Code      string     `json:"code,omitempty"`
	// LastAttempt is a later check that could not reach the service; the
	// state above is then the last one confirmed.
	LastAttempt *FailedAttempt `json:"lastAttempt,omitempty"`
}

// FailedAttempt is a check that failed only because HelseID or
// Persontjenesten did not answer.
type FailedAttempt struct {
	At   time.Time `json:"at"`
	Code string    `json:"code"`
}

// Checks are the last checks and the settings they were made with.
type Checks struct {
	Fingerprint string      `json:"fingerprint"`
	Delegation  CheckResult `json:"delegation"`
	Access      CheckResult `json:"access"`
}

// State is the set-up as stored now: the settings, the active key and the
// checks made with them.
type State struct {
	Settings Settings
	KeyID    string
	Env      config.NHNEnvironment
	EnvOK    bool // Settings.Environment is configured
	Checks   Checks
	fp       string
}

// Activated reports whether both checks passed with these settings, and
// the key and environment they were made with are still there.
func (s State) Activated() bool {
	return s.EnvOK && s.KeyID != "" &&
		s.Checks.Fingerprint == s.fp && s.Checks.Delegation.State == StateOK && s.Checks.Access.State == StateOK
}

// Config wires a Service. Settings and Keys are required.
type Config struct {
	Settings register.SettingsStore
	// Keys keeps the HelseID private key: the OS keyring, memory in the
	// demo and tests, helseid.NoKeyring where there is none.
	Keys helseid.KeyStore
	// KeyTimeout bounds each key store call (default 30 s); the OS may ask
	// the user to unlock the keyring first.
	KeyTimeout time.Duration
	NHN        config.NHN
	Logger     *slog.Logger // the NHN clients' retries and failures
	Now        register.Clock
	// TokenNow is the clock of the HelseID token client (token lifetimes,
	// proof and assertion times); nil: the real time. Apart from Now so a
	// test can fix the audit's time and still talk to a live HelseID.
	TokenNow register.Clock
	OSUser   string // written to the audit log
}

// Service is the practice's NHN connection. It caches the HelseID token
// client and the Persontjenesten client for the current settings and
// rebuilds them when the settings or the key change.
type Service struct {
	settings register.SettingsStore
	keys     helseid.KeyStore
	keyLimit time.Duration
	nhn      config.NHN
	log      *slog.Logger
	now      register.Clock
	tokenNow register.Clock
	osUser   string

	mu          sync.Mutex
	fingerprint string
	api         *persontjeneste.Client
	keyCache    *helseid.KeyCache
}

// New builds the Service; a missing store or key store is an error.
func New(cfg Config) (*Service, error) {
	if cfg.Settings == nil || cfg.Keys == nil {
		return nil, errors.New("activation: Settings and Keys are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.TokenNow == nil {
		cfg.TokenNow = time.Now
	}
	if cfg.KeyTimeout <= 0 {
		cfg.KeyTimeout = keyTimeout
	}
	return &Service{settings: cfg.Settings, keys: cfg.Keys, keyLimit: cfg.KeyTimeout, nhn: WithDefaults(cfg.NHN), log: cfg.Logger,
		now: cfg.Now, tokenNow: cfg.TokenNow, osUser: cfg.OSUser, keyCache: helseid.NewKeyCache(cfg.Keys)}, nil
}

// WithDefaults fills what an NHN configuration built without the config
// package (tests) leaves empty.
func WithDefaults(n config.NHN) config.NHN {
	if n.APIVersion == "" {
		n.APIVersion = "2"
		n.LegalBasis = true
	}
	if n.Timeout <= 0 {
		n.Timeout = 30 * time.Second
	}
	if n.HelseIDTimeout <= 0 {
		n.HelseIDTimeout = 15 * time.Second
	}
	return n
}

// Timeout bounds one whole lookup against NHN (token, call and retries).
func (s *Service) Timeout() time.Duration { return s.nhn.Timeout }

// Environments lists the configured NHN environments.
func (s *Service) Environments() []config.NHNEnvironment { return s.nhn.Environments() }

func (s *Service) environment(id string) (config.NHNEnvironment, bool) {
	for _, e := range s.nhn.Environments() {
		if e.ID == id {
			return e, true
		}
	}
	return config.NHNEnvironment{}, false
}

func (s *Service) defaultEnvironment() string {
	envs := s.nhn.Environments()
	for _, id := range []string{"prod", "test", "mock"} {
		for _, e := range envs {
			if e.ID == id {
				return id
			}
		}
	}
	return "test"
}

// Load reads the settings, the active key's id and the check results.
func (s *Service) Load(ctx context.Context) (State, error) {
	var st State
	raw, ok, err := s.settings.GetSetting(ctx, settingPersontjenesten)
	if err != nil {
		return st, err
	}
	if ok && raw != "" {
		if err := json.Unmarshal([]byte(raw), &st.Settings); err != nil {
			return st, fmt.Errorf("read Persontjenesten settings: %w", err)
		}
	}
	if st.Settings.Environment == "" {
		st.Settings.Environment = s.defaultEnvironment()
	}
	if st.Settings.Tenancy == "" {
		st.Settings.Tenancy = helseid.TenancySingle
	}
	if st.Settings.InformationParts == nil {
		st.Settings.InformationParts = persontjeneste.DefaultInformationParts()
	} else {
		// Settings saved by an older version may name parts the register never
		// keeps, or lack the ones always fetched.
		kept := slices.DeleteFunc(slices.Clone(st.Settings.InformationParts), func(p persontjeneste.InformationPart) bool {
			return !persontjeneste.UsedInformationPart(p)
		})
		for _, p := range persontjeneste.AlwaysFetchedParts() {
			if !slices.Contains(kept, p) {
				kept = append(kept, p)
			}
		}
		st.Settings.InformationParts = kept
	}
	if st.KeyID, _, err = s.settings.GetSetting(ctx, SettingKeyID); err != nil {
		return st, err
	}
	raw, ok, err = s.settings.GetSetting(ctx, settingChecks)
	if err != nil {
		return st, err
	}
	if ok && raw != "" {
		if err := json.Unmarshal([]byte(raw), &st.Checks); err != nil {
			return st, fmt.Errorf("read Persontjenesten checks: %w", err)
		}
	}
	st.Env, st.EnvOK = s.environment(st.Settings.Environment)
	st.fp = fingerprint(st.Settings, st.KeyID, st.Env)
	if st.Checks.Fingerprint != st.fp {
		// The settings changed since the last check: both are unchecked.
		st.Checks = Checks{Fingerprint: st.fp,
			Delegation: CheckResult{State: StateUnchecked}, Access: CheckResult{State: StateUnchecked}}
	}
	if st.Checks.Delegation.State == "" {
		st.Checks.Delegation.State = StateUnchecked
	}
	if st.Checks.Access.State == "" {
		st.Checks.Access.State = StateUnchecked
	}
	return st, nil
}

// fingerprint identifies what the checks depend on: changing any of it
// invalidates them.
func fingerprint(s Settings, keyID string, env config.NHNEnvironment) string {
	h := sha256.New()
	for _, v := range []string{s.OrgNumber, s.SubOrgNumber, s.Environment, s.ClientID, s.Tenancy, keyID,
		env.Authority, env.TokenEndpoint, env.APIBaseURL} {
		h.Write([]byte(v))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func (s *Service) scope() string {
	if s.nhn.LegalBasis {
		return "nhn:hgd-persontjenesten-api/read-with-legal-basis"
	}
	return "nhn:hgd-persontjenesten-api/read-no-legal-basis"
}

// build makes a fresh token client and API client for st.
func (s *Service) build(st State, key *helseid.Key) (*helseid.TokenClient, *persontjeneste.Client, error) {
	tokens, err := helseid.NewTokenClient(helseid.Config{
		Authority:      st.Env.Authority,
		TokenEndpoint:  st.Env.TokenEndpoint,
		ClientID:       st.Settings.ClientID,
		Key:            key,
		Scopes:         []string{s.scope()},
		Tenancy:        st.Settings.Tenancy,
		OrgNumber:      st.Settings.OrgNumber,
		ChildOrgNumber: st.Settings.SubOrgNumber,
		HTTPClient:     &http.Client{Timeout: s.nhn.HelseIDTimeout},
		Now:            s.tokenNow,
		Logger:         s.log,
	})
	if err != nil {
		return nil, nil, err
	}
	attempt := min(s.nhn.Timeout, 15*time.Second)
	api, err := persontjeneste.New(persontjeneste.Config{
		BaseURL:    st.Env.APIBaseURL,
		HTTP:       &http.Client{Transport: &helseid.Transport{Tokens: tokens}},
		APIVersion: s.nhn.APIVersion,
		LegalBasis: s.nhn.LegalBasis,
		Timeout:    attempt,
		Logger:     s.log,
	})
	if err != nil {
		return nil, nil, err
	}
	return tokens, api, nil
}

// Client returns the Persontjenesten client of an activated practice and
// the state it was made for; ErrNotActivated when the practice is not.
func (s *Service) Client(ctx context.Context) (*persontjeneste.Client, State, error) {
	st, err := s.Load(ctx)
	if err != nil {
		return nil, st, err
	}
	if !st.Activated() {
		return nil, st, ErrNotActivated
	}
	s.mu.Lock()
	if s.api != nil && s.fingerprint == st.fp {
		api := s.api
		s.mu.Unlock()
		return api, st, nil
	}
	s.mu.Unlock()
	key, err := s.keyCache.Load(ctx, st.KeyID, s.keyLimit)
	if err != nil {
		return nil, st, keyError(err)
	}
	_, api, err := s.build(st, key)
	if err != nil {
		return nil, st, fmt.Errorf("build Persontjenesten client: %w", err)
	}
	s.install(st.fp, api)
	return api, st, nil
}

func (s *Service) install(fp string, api *persontjeneste.Client) {
	s.mu.Lock()
	s.fingerprint, s.api = fp, api
	s.mu.Unlock()
}

// Drop forgets api if it is still the client in use, so the next lookup
// builds a fresh one. After HelseID failed, the token client holds back new
// token requests for a moment; dropping it lets "try again" work as soon as
// HelseID is back.
func (s *Service) Drop(api *persontjeneste.Client) {
	s.mu.Lock()
	if s.api == api {
		s.fingerprint, s.api = "", nil
	}
	s.mu.Unlock()
}
