package app

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
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"resepsjon/config"
	"resepsjon/nin"
	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/register"
	"resepsjon/store"
)

// PracticeStore is what the Persontjenesten flows need of storage: the
// practice's settings, the audit log and finding clients by identity number.
type PracticeStore interface {
	GetSetting(ctx context.Context, key string) (string, bool, error)
	PutSetting(ctx context.Context, key, value string) error
	PutSettingsAudited(ctx context.Context, settings map[string]string, e store.AuditEntry) error
	RecordAudit(ctx context.Context, e store.AuditEntry) (int64, error)
	ListAudit(ctx context.Context, f store.AuditFilter) (store.AuditPage, error)
	ClientByNIN(ctx context.Context, nin string) (register.Client, error)
}

// Settings keys. SettingKeyID is shared with the "resepsjon key" command.
const (
	SettingKeyID           = "helseid.key_id"
	SettingPersontjenesten = "persontjenesten.settings"
	settingChecks          = "persontjenesten.checks"
)

// Check states and audit outcomes.
const (
	stateUnchecked = "unchecked"
	stateOK        = "ok"
	stateFailed    = "failed"

	outcomeOK    = "ok"
	outcomeError = "error"
)

// Audit actions.
const (
	ActionSearch   = "search"
	ActionLookup   = "lookup"
	ActionUpdate   = "update"
	ActionActivate = "activate"
	ActionRefresh  = "refresh"
	ActionBulk     = "bulk"
)

// keyTimeout bounds a KeyStore call; the OS may ask the user to unlock the
// keyring first.
const (
	keyTimeout       = 30 * time.Second
	statusKeyTimeout = 5 * time.Second
)

// PracticeSettings is the practice's Persontjenesten set-up, stored as JSON.
type PracticeSettings struct {
	OrgNumber        string   `json:"orgNumber"`
	SubOrgNumber     string   `json:"subOrgNumber"`
	Name             string   `json:"name"`
	Environment      string   `json:"environment"`
	ClientID         string   `json:"clientId"`
	Tenancy          string   `json:"tenancy"`
	InformationParts []string `json:"informationParts"`
}

// checkResult is the stored outcome of one activation check.
type checkResult struct {
	State     string     `json:"state"`
	CheckedAt *time.Time `json:"checkedAt"`
	Code      string     `json:"code,omitempty"`
	// LastAttempt is a later check that could not reach the service; the
	// state above is then the last one confirmed.
	LastAttempt *failedAttempt `json:"lastAttempt,omitempty"`
}

// failedAttempt is a check that failed only because HelseID or
// Persontjenesten did not answer.
type failedAttempt struct {
	At   time.Time `json:"at"`
	Code string    `json:"code"`
}

// outageCode reports whether a check's failure code means only that the
// service could not be reached, which says nothing about the delegation or
// the agreement.
func outageCode(code string) bool {
	return code == "helseid_unavailable" || code == "persontjenesten_unavailable"
}

// keepThroughOutage returns the result to store for a check that ran now:
// when it failed only because the service was unreachable and the previous
// result (with the same settings) was ok, the ok result stays, with the
// failed attempt noted; otherwise the new result.
func keepThroughOutage(prev, next checkResult, now time.Time) (checkResult, bool) {
	if next.State != stateFailed || !outageCode(next.Code) || prev.State != stateOK {
		return next, false
	}
	kept := prev
	kept.LastAttempt = &failedAttempt{At: now, Code: next.Code}
	return kept, true
}

// storedChecks are the last checks and the settings they were made with.
type storedChecks struct {
	Fingerprint string      `json:"fingerprint"`
	Delegation  checkResult `json:"delegation"`
	Access      checkResult `json:"access"`
}

// practice builds and caches the HelseID token client and the
// Persontjenesten client for the current settings; they are rebuilt when
// the settings (or the key) change.
type practice struct {
	store PracticeStore
	keys  helseid.KeyStore
	nhn   config.NHN
	log   *slog.Logger // for the NHN clients' retries and failures

	mu          sync.Mutex
	fingerprint string
	api         *persontjeneste.Client
	keyCache    map[string]*helseid.Key
}

// current is everything a request needs to know about the set-up.
type current struct {
	settings PracticeSettings
	keyID    string
	env      config.NHNEnvironment
	envOK    bool
	checks   storedChecks
	fp       string
}

// activated reports whether both checks passed with these settings, and
// the key and environment they were made with are still there.
func (c current) activated() bool {
	return c.envOK && c.keyID != "" &&
		c.checks.Fingerprint == c.fp && c.checks.Delegation.State == stateOK && c.checks.Access.State == stateOK
}

func (p *practice) environment(id string) (config.NHNEnvironment, bool) {
	for _, e := range p.nhn.Environments() {
		if e.ID == id {
			return e, true
		}
	}
	return config.NHNEnvironment{}, false
}

func (p *practice) defaultEnvironment() string {
	envs := p.nhn.Environments()
	for _, id := range []string{"prod", "test", "mock"} {
		for _, e := range envs {
			if e.ID == id {
				return id
			}
		}
	}
	return "test"
}

// load reads the settings and check results.
func (p *practice) load(ctx context.Context) (current, error) {
	var cur current
	raw, ok, err := p.store.GetSetting(ctx, SettingPersontjenesten)
	if err != nil {
		return cur, err
	}
	if ok && raw != "" {
		if err := json.Unmarshal([]byte(raw), &cur.settings); err != nil {
			return cur, fmt.Errorf("read Persontjenesten settings: %w", err)
		}
	}
	if cur.settings.Environment == "" {
		cur.settings.Environment = p.defaultEnvironment()
	}
	if cur.settings.Tenancy == "" {
		cur.settings.Tenancy = helseid.TenancySingle
	}
	if cur.settings.InformationParts == nil {
		cur.settings.InformationParts = persontjeneste.DefaultInformationParts()
	}
	if cur.keyID, _, err = p.store.GetSetting(ctx, SettingKeyID); err != nil {
		return cur, err
	}
	raw, ok, err = p.store.GetSetting(ctx, settingChecks)
	if err != nil {
		return cur, err
	}
	if ok && raw != "" {
		if err := json.Unmarshal([]byte(raw), &cur.checks); err != nil {
			return cur, fmt.Errorf("read Persontjenesten checks: %w", err)
		}
	}
	cur.env, cur.envOK = p.environment(cur.settings.Environment)
	cur.fp = fingerprint(cur.settings, cur.keyID, cur.env)
	if cur.checks.Fingerprint != cur.fp {
		// The settings changed since the last check: both are unchecked.
		cur.checks = storedChecks{Fingerprint: cur.fp,
			Delegation: checkResult{State: stateUnchecked}, Access: checkResult{State: stateUnchecked}}
	}
	if cur.checks.Delegation.State == "" {
		cur.checks.Delegation.State = stateUnchecked
	}
	if cur.checks.Access.State == "" {
		cur.checks.Access.State = stateUnchecked
	}
	return cur, nil
}

// fingerprint identifies what the checks depend on: changing any of it
// invalidates them.
func fingerprint(s PracticeSettings, keyID string, env config.NHNEnvironment) string {
	h := sha256.New()
	for _, v := range []string{s.OrgNumber, s.SubOrgNumber, s.Environment, s.ClientID, s.Tenancy, keyID,
		env.Authority, env.TokenEndpoint, env.APIBaseURL} {
		h.Write([]byte(v))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// loadKey reads the key from the KeyStore, once per kid.
func (p *practice) loadKey(ctx context.Context, kid string) (*helseid.Key, error) {
	return p.loadKeyWithin(ctx, kid, keyTimeout)
}

// loadKeyWithin is loadKey with its own bound on the KeyStore call.
func (p *practice) loadKeyWithin(ctx context.Context, kid string, limit time.Duration) (*helseid.Key, error) {
	p.mu.Lock()
	k := p.keyCache[kid]
	p.mu.Unlock()
	if k != nil {
		return k, nil
	}
	if p.keys == nil {
		return nil, fmt.Errorf("load key: %w", helseid.ErrNoKeyring)
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	k, err := p.keys.Load(ctx, kid)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.keyCache[kid] = k
	p.mu.Unlock()
	return k, nil
}

func (p *practice) forgetKey(kid string) {
	p.mu.Lock()
	delete(p.keyCache, kid)
	p.mu.Unlock()
}

func (p *practice) scope() string {
	if p.nhn.LegalBasis {
		return "nhn:hgd-persontjenesten-api/read-with-legal-basis"
	}
	return "nhn:hgd-persontjenesten-api/read-no-legal-basis"
}

// build makes a fresh token client and API client for cur.
func (p *practice) build(cur current, key *helseid.Key) (*helseid.TokenClient, *persontjeneste.Client, error) {
	tokens, err := helseid.NewTokenClient(helseid.Config{
		Authority:      cur.env.Authority,
		TokenEndpoint:  cur.env.TokenEndpoint,
		ClientID:       cur.settings.ClientID,
		Key:            key,
		Scopes:         []string{p.scope()},
		Tenancy:        cur.settings.Tenancy,
		OrgNumber:      cur.settings.OrgNumber,
		ChildOrgNumber: cur.settings.SubOrgNumber,
		HTTPClient:     &http.Client{Timeout: p.nhn.HelseIDTimeout},
		Logger:         p.log,
	})
	if err != nil {
		return nil, nil, err
	}
	attempt := p.nhn.Timeout
	if attempt > 15*time.Second {
		attempt = 15 * time.Second
	}
	api, err := persontjeneste.New(persontjeneste.Config{
		BaseURL:    cur.env.APIBaseURL,
		HTTP:       &http.Client{Transport: &helseid.Transport{Tokens: tokens}},
		APIVersion: p.nhn.APIVersion,
		LegalBasis: p.nhn.LegalBasis,
		Timeout:    attempt,
		Logger:     p.log,
	})
	if err != nil {
		return nil, nil, err
	}
	return tokens, api, nil
}

// client returns the Persontjenesten client for an activated practice.
func (p *practice) client(ctx context.Context) (*persontjeneste.Client, current, error) {
	cur, err := p.load(ctx)
	if err != nil {
		return nil, cur, err
	}
	if !cur.activated() {
		return nil, cur, newError(http.StatusConflict, "not_activated")
	}
	p.mu.Lock()
	if p.api != nil && p.fingerprint == cur.fp {
		api := p.api
		p.mu.Unlock()
		return api, cur, nil
	}
	p.mu.Unlock()
	key, err := p.loadKey(ctx, cur.keyID)
	if err != nil {
		return nil, cur, keyError(err)
	}
	_, api, err := p.build(cur, key)
	if err != nil {
		return nil, cur, fmt.Errorf("build Persontjenesten client: %w", err)
	}
	p.install(cur.fp, api)
	return api, cur, nil
}

func (p *practice) install(fp string, api *persontjeneste.Client) {
	p.mu.Lock()
	p.fingerprint, p.api = fp, api
	p.mu.Unlock()
}

// drop forgets api if it is still the installed client, so the next lookup
// builds a fresh one.
func (p *practice) drop(api *persontjeneste.Client) {
	p.mu.Lock()
	if p.api == api {
		p.fingerprint, p.api = "", nil
	}
	p.mu.Unlock()
}

// keyError turns a KeyStore error into the API's answer.
func keyError(err error) error {
	switch {
	case errors.Is(err, helseid.ErrNoKeyring):
		return newError(http.StatusServiceUnavailable, "keyring_unavailable")
	case errors.Is(err, helseid.ErrKeyNotFound):
		return &register.ValidationError{Fields: map[string]string{"helseid.key": "key.missing"}}
	default:
		return fmt.Errorf("load key: %w", err)
	}
}

// Outside services named in an nhn_unavailable error.
const (
	serviceHelseID         = "helseid"
	servicePersontjenesten = "persontjenesten"
)

// nhnUnavailable is the answer when HelseID or Persontjenesten did not
// answer (network, timeout, 5xx after retries); it names which, so the
// message can say so.
func nhnUnavailable(err error) *APIError {
	e := newError(http.StatusServiceUnavailable, "nhn_unavailable")
	e.Service = servicePersontjenesten
	if helseid.IsUnavailable(err) {
		e.Service = serviceHelseID
	}
	return e
}

// --- status ---------------------------------------------------------------

type practiceJSON struct {
	OrgNumber    string `json:"orgNumber"`
	SubOrgNumber string `json:"subOrgNumber"`
	Name         string `json:"name"`
}

type helseIDJSON struct {
	Environment string          `json:"environment"`
	ClientID    string          `json:"clientId"`
	Tenancy     string          `json:"tenancy"`
	KeyID       string          `json:"keyId"`
	Alg         string          `json:"alg"`
	PublicJWK   json.RawMessage `json:"publicJwk"`
	KeyError    string          `json:"keyError,omitempty"`
}

type environmentJSON struct {
	ID            string `json:"id"`
	Authority     string `json:"authority"`
	TokenEndpoint string `json:"tokenEndpoint,omitempty"`
	APIBaseURL    string `json:"apiBaseUrl"`
}

type checkJSON struct {
	State       string       `json:"state"`
	CheckedAt   *time.Time   `json:"checkedAt"`
	Code        string       `json:"code"`
	Message     string       `json:"message"`
	Help        string       `json:"help"`
	Link        string       `json:"link"`
	LastAttempt *attemptJSON `json:"lastAttempt,omitempty"`
}

// attemptJSON is a failed attempt at a check whose last confirmed state is
// still shown: when, why, and what to do.
type attemptJSON struct {
	At      time.Time `json:"at"`
	Code    string    `json:"code"`
	Message string    `json:"message"`
	Help    string    `json:"help"`
}

type statusJSON struct {
	Activated        bool              `json:"activated"`
	Demo             bool              `json:"demo"`
	Practice         practiceJSON      `json:"practice"`
	HelseID          helseIDJSON       `json:"helseid"`
	Environments     []environmentJSON `json:"environments"`
	Delegation       checkJSON         `json:"delegation"`
	Access           checkJSON         `json:"access"`
	InformationParts []string          `json:"informationParts"`
	AvailableParts   []string          `json:"availableParts"`
	DefaultParts     []string          `json:"defaultParts"`
	// DemoOrganisations lists the demo's organisation numbers and what each
	// is for (demo only), so testers can try the failure paths.
	DemoOrganisations []DemoOrganisation `json:"demoOrganisations,omitempty"`
}

// DemoOrganisation is an organisation number the demo's NHN mock knows.
type DemoOrganisation struct {
	OrgNumber string `json:"orgNumber"`
	Purpose   string `json:"purpose"` // ok, no_delegation, no_agreement
}

func (s *Server) status(ctx context.Context, cur current, lang string) statusJSON {
	out := statusJSON{
		Activated: cur.activated(),
		Demo:      s.cfg.Demo,
		Practice:  practiceJSON{OrgNumber: cur.settings.OrgNumber, SubOrgNumber: cur.settings.SubOrgNumber, Name: cur.settings.Name},
		HelseID: helseIDJSON{Environment: cur.settings.Environment, ClientID: cur.settings.ClientID,
			Tenancy: cur.settings.Tenancy, KeyID: cur.keyID, PublicJWK: json.RawMessage("null")},
		Environments:      []environmentJSON{},
		Delegation:        checkView(cur.checks.Delegation, "delegation", lang, cur.settings.Environment),
		Access:            checkView(cur.checks.Access, "access", lang, cur.settings.Environment),
		InformationParts:  slices.Clone(cur.settings.InformationParts),
		AvailableParts:    persontjeneste.AllInformationParts(),
		DefaultParts:      persontjeneste.DefaultInformationParts(),
		DemoOrganisations: s.cfg.DemoOrganisations,
	}
	for _, e := range s.pt.nhn.Environments() {
		out.Environments = append(out.Environments, environmentJSON{ID: e.ID, Authority: e.Authority,
			TokenEndpoint: e.TokenEndpoint, APIBaseURL: e.APIBaseURL})
	}
	if cur.keyID != "" {
		// The status page must not hang on a keyring that waits to be unlocked.
		k, err := s.pt.loadKeyWithin(ctx, cur.keyID, statusKeyTimeout)
		switch {
		case err == nil:
			out.HelseID.Alg = k.Alg()
			if jwk, err := k.PublicJWK(); err == nil {
				out.HelseID.PublicJWK = jwk
			}
		case errors.Is(err, helseid.ErrNoKeyring):
			out.HelseID.KeyError = "keyring_unavailable"
		default:
			out.HelseID.KeyError = "key_missing"
		}
	}
	return out
}

func checkView(r checkResult, which, lang, env string) checkJSON {
	v := checkJSON{State: r.State, CheckedAt: r.CheckedAt, Code: r.Code}
	code := r.Code
	if r.State == stateUnchecked && code == "" {
		code = which + "_unchecked"
	}
	if r.State == stateOK {
		code = which + "_ok"
	}
	if t, ok := checkTexts[code]; ok {
		v.Message, v.Help, v.Link = inLang(t.message, lang), inLang(t.help, lang), t.link
		if v.Link == linkSelvbetjening && env == "test" {
			v.Link = linkSelvbetjeningTest
		}
	}
	if a := r.LastAttempt; a != nil && r.State == stateOK {
		v.LastAttempt = &attemptJSON{At: a.At, Code: a.Code}
		if t, ok := checkTexts[a.Code]; ok {
			v.LastAttempt.Message, v.LastAttempt.Help = inLang(t.message, lang), inLang(t.help, lang)
		}
	}
	return v
}

func (s *Server) getPersontjenestenStatus(c echo.Context) error {
	ctx := c.Request().Context()
	cur, err := s.pt.load(ctx)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.status(ctx, cur, s.lang(c)))
}

func (s *Server) lang(c echo.Context) string { return language(c.Request(), s.cfg.Language) }

// --- settings -------------------------------------------------------------

type settingsBody struct {
	Practice *practiceJSON `json:"practice"`
	HelseID  *struct {
		Environment *string `json:"environment"`
		ClientID    *string `json:"clientId"`
		Tenancy     *string `json:"tenancy"`
	} `json:"helseid"`
	InformationParts []string `json:"informationParts"`
}

func (s *Server) putPersontjenestenSettings(c echo.Context) error {
	ctx := c.Request().Context()
	var in settingsBody
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cur, err := s.pt.load(ctx)
	if err != nil {
		return err
	}
	next := cur.settings
	fields := map[string]string{}
	if in.Practice != nil {
		next.Name = strings.TrimSpace(in.Practice.Name)
		next.OrgNumber = ""
		if raw := strings.TrimSpace(in.Practice.OrgNumber); raw != "" {
			org, err := nin.ParseOrgNumber(raw)
			if err != nil {
				fields["practice.orgNumber"] = nin.Code(err)
			}
			next.OrgNumber = org
		}
		next.SubOrgNumber = ""
		if raw := strings.TrimSpace(in.Practice.SubOrgNumber); raw != "" {
			org, err := nin.ParseOrgNumber(raw)
			if err != nil {
				fields["practice.subOrgNumber"] = nin.Code(err)
			}
			next.SubOrgNumber = org
		}
		if len([]rune(next.Name)) > 200 {
			fields["practice.name"] = register.CodeTooLong
		}
	}
	if h := in.HelseID; h != nil {
		if h.Environment != nil {
			next.Environment = strings.TrimSpace(*h.Environment)
			if _, ok := s.pt.environment(next.Environment); !ok {
				fields["helseid.environment"] = register.CodeInvalid
			}
		}
		if h.ClientID != nil {
			next.ClientID = strings.TrimSpace(*h.ClientID)
			if len(next.ClientID) > 200 || strings.ContainsFunc(next.ClientID, func(r rune) bool { return r < 0x20 }) {
				fields["helseid.clientId"] = register.CodeInvalid
			}
		}
		if h.Tenancy != nil {
			next.Tenancy = strings.TrimSpace(*h.Tenancy)
			if next.Tenancy != helseid.TenancySingle && next.Tenancy != helseid.TenancyMulti {
				fields["helseid.tenancy"] = register.CodeInvalid
			}
		}
	}
	if in.InformationParts != nil {
		var parts []string
		for _, part := range persontjeneste.AllInformationParts() {
			if slices.Contains(in.InformationParts, part) {
				parts = append(parts, part)
			}
		}
		for _, part := range in.InformationParts {
			if !persontjeneste.ValidInformationPart(part) {
				fields["informationParts"] = register.CodeInvalid
			}
		}
		if len(parts) == 0 {
			fields["informationParts"] = register.CodeRequired
		}
		next.InformationParts = parts
	}
	if len(fields) > 0 {
		return &register.ValidationError{Fields: fields}
	}
	raw, err := json.Marshal(next)
	if err != nil {
		return err
	}
	if err := s.pt.store.PutSetting(ctx, SettingPersontjenesten, string(raw)); err != nil {
		return err
	}
	if cur, err = s.pt.load(ctx); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.status(ctx, cur, s.lang(c)))
}

// --- key ------------------------------------------------------------------

type keyBody struct {
	Generate *struct {
		Alg string `json:"alg"`
	} `json:"generate"`
	Import *struct {
		Key string `json:"key"`
		Alg string `json:"alg"`
	} `json:"import"`
}

func (s *Server) postPersontjenestenKey(c echo.Context) error {
	ctx := c.Request().Context()
	var in keyBody
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	var (
		k   *helseid.Key
		err error
	)
	switch {
	case in.Generate != nil && in.Import == nil:
		alg := in.Generate.Alg
		if alg == "" {
			alg = helseid.AlgES256
		}
		if k, err = helseid.GenerateKey(alg); err != nil {
			return &register.ValidationError{Fields: map[string]string{"generate.alg": register.CodeInvalid}}
		}
	case in.Import != nil && in.Generate == nil:
		if strings.TrimSpace(in.Import.Key) == "" {
			return &register.ValidationError{Fields: map[string]string{"import.key": register.CodeRequired}}
		}
		if k, err = helseid.ImportKey([]byte(in.Import.Key), in.Import.Alg); err != nil {
			return &register.ValidationError{Fields: map[string]string{"import.key": "key.invalid"}}
		}
	default:
		return &register.ValidationError{Fields: map[string]string{"generate": register.CodeRequired}}
	}
	if s.pt.keys == nil {
		return newError(http.StatusServiceUnavailable, "keyring_unavailable")
	}
	kctx, cancel := context.WithTimeout(ctx, keyTimeout)
	defer cancel()
	if err := s.pt.keys.Save(kctx, k); err != nil {
		return keyError(err)
	}
	old, _, err := s.pt.store.GetSetting(ctx, SettingKeyID)
	if err != nil {
		return err
	}
	if err := s.pt.store.PutSetting(ctx, SettingKeyID, k.KID()); err != nil {
		return err
	}
	if old != "" && old != k.KID() {
		s.pt.forgetKey(old)
		if err := s.pt.keys.Delete(kctx, old); err != nil && !errors.Is(err, helseid.ErrKeyNotFound) {
			s.log.Warn("could not delete the replaced HelseID key", "err", err)
		}
	}
	s.pt.mu.Lock()
	s.pt.keyCache[k.KID()] = k
	s.pt.mu.Unlock()
	jwk, err := k.PublicJWK()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"keyId": k.KID(), "alg": k.Alg(), "publicJwk": json.RawMessage(jwk)})
}

// --- activation -----------------------------------------------------------

func (s *Server) postActivate(c echo.Context) error { return s.runChecks(c, ActionActivate) }
func (s *Server) postRefresh(c echo.Context) error  { return s.runChecks(c, ActionRefresh) }

// runChecks runs the checks and answers the status.
func (s *Server) runChecks(c echo.Context, action string) error {
	ctx := c.Request().Context()
	if err := s.check(ctx, action); err != nil {
		return err
	}
	cur, err := s.pt.load(ctx)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.status(ctx, cur, s.lang(c)))
}

// CheckPersontjenesten runs the activation checks with the stored settings,
// as "Oppdater innstillinger" does, and reports whether both passed. The demo
// uses it to start activated.
func (s *Server) CheckPersontjenesten(ctx context.Context) (bool, error) {
	if s.pt.store == nil {
		return false, errors.New("no practice store")
	}
	if err := s.check(ctx, ActionActivate); err != nil {
		return false, err
	}
	cur, err := s.pt.load(ctx)
	if err != nil {
		return false, err
	}
	return cur.activated(), nil
}

// check runs the delegation check (a token request with the organisation
// numbers) and then the access check (the latest event), and stores both
// with the audit row in one transaction.
func (s *Server) check(ctx context.Context, action string) error {
	cur, err := s.pt.load(ctx)
	if err != nil {
		return err
	}
	fields := map[string]string{}
	if cur.settings.OrgNumber == "" {
		fields["practice.orgNumber"] = register.CodeRequired
	}
	if cur.settings.ClientID == "" {
		fields["helseid.clientId"] = register.CodeRequired
	}
	if cur.keyID == "" {
		fields["helseid.key"] = "key.missing"
	}
	if !cur.envOK {
		fields["helseid.environment"] = register.CodeInvalid
	}
	if len(fields) > 0 {
		return &register.ValidationError{Fields: fields}
	}
	key, err := s.pt.loadKey(ctx, cur.keyID)
	if err != nil {
		return keyError(err)
	}
	tokens, api, err := s.pt.build(cur, key)
	if err != nil {
		if errors.Is(err, helseid.ErrInvalidConfig) {
			return &register.ValidationError{Fields: map[string]string{"practice.orgNumber": register.CodeInvalid}}
		}
		return err
	}

	opCtx, cancel := context.WithTimeout(ctx, s.pt.nhn.Timeout)
	defer cancel()
	now := s.now().UTC()
	checks := storedChecks{Fingerprint: cur.fp,
		Delegation: checkResult{State: stateOK, CheckedAt: &now},
		Access:     checkResult{State: stateUnchecked}}
	errCode := ""
	if _, err := tokens.Token(opCtx); err != nil {
		checks.Delegation.State, checks.Delegation.Code = stateFailed, delegationCode(err)
		errCode = checks.Delegation.Code
		s.log.Info("delegation check failed", "code", errCode, "err", err)
	} else {
		at := s.now().UTC()
		checks.Access = checkResult{State: stateOK, CheckedAt: &at}
		if _, err := api.LatestEvent(opCtx); err != nil && !errors.Is(err, persontjeneste.ErrNotFound) {
			checks.Access.State, checks.Access.Code = stateFailed, accessCode(err)
			errCode = checks.Access.Code
			s.log.Info("access check failed", "code", errCode, "err", err)
		}
	}
	// An outage says nothing about the delegation or the agreement: a check
	// that was ok keeps its last confirmed result, and the failed attempt is
	// shown beside it. Without a token the access check did not run, so it
	// keeps its earlier result too.
	if kept, ok := keepThroughOutage(cur.checks.Delegation, checks.Delegation, now); ok {
		checks.Delegation, checks.Access = kept, cur.checks.Access
	} else if checks.Delegation.State == stateOK {
		checks.Access, _ = keepThroughOutage(cur.checks.Access, checks.Access, *checks.Access.CheckedAt)
	}
	entry := s.auditEntry(action, fmt.Sprintf("org=%s subOrg=%s environment=%s clientId=%s tenancy=%s",
		cur.settings.OrgNumber, cur.settings.SubOrgNumber, cur.settings.Environment, cur.settings.ClientID, cur.settings.Tenancy))
	entry.Outcome, entry.ErrorCode = outcomeOK, errCode
	if errCode != "" {
		entry.Outcome = outcomeError
	}
	if ctx.Err() != nil {
		// The user cancelled: record that, but keep the earlier results.
		entry.Outcome, entry.ErrorCode = outcomeError, "cancelled"
		if err := s.recordAudit(ctx, entry); err != nil {
			return err
		}
		return ctx.Err()
	}
	raw, err := json.Marshal(checks)
	if err != nil {
		return err
	}
	wctx, wcancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer wcancel()
	if err := s.pt.store.PutSettingsAudited(wctx, map[string]string{settingChecks: string(raw)}, entry); err != nil {
		return err
	}
	if errCode == "" {
		// Both checks passed just now. (After an outage the client in use,
		// with its token, stays.)
		s.pt.install(cur.fp, api)
	}
	return nil
}

// delegationCode maps a failed token request to the reason shown.
func delegationCode(err error) string {
	switch {
	case helseid.IsInvalidScope(err):
		return "invalid_scope"
	case helseid.IsNoDelegation(err):
		return "no_delegation"
	case helseid.IsInvalidClient(err):
		return "invalid_client"
	case helseid.IsUnavailable(err), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return "helseid_unavailable"
	}
	var te *helseid.TokenError
	if errors.As(err, &te) {
		return "invalid_client"
	}
	return "helseid_unavailable"
}

// accessCode maps a failed access check to the reason shown.
func accessCode(err error) string {
	switch {
	case errors.Is(err, persontjeneste.ErrNoAccess), errors.Is(err, persontjeneste.ErrUnauthorized):
		if helseid.IsNoDelegation(err) {
			return "no_delegation"
		}
		return "no_agreement"
	default:
		return "persontjenesten_unavailable"
	}
}

func (s *Server) postDeactivate(c echo.Context) error {
	ctx := c.Request().Context()
	cur, err := s.pt.load(ctx)
	if err != nil {
		return err
	}
	if cur.keyID != "" && s.pt.keys != nil {
		kctx, cancel := context.WithTimeout(ctx, keyTimeout)
		defer cancel()
		if err := s.pt.keys.Delete(kctx, cur.keyID); err != nil && !errors.Is(err, helseid.ErrKeyNotFound) {
			return keyError(err)
		}
		s.pt.forgetKey(cur.keyID)
	}
	if err := s.pt.store.PutSetting(ctx, SettingKeyID, ""); err != nil {
		return err
	}
	if err := s.pt.store.PutSetting(ctx, settingChecks, ""); err != nil {
		return err
	}
	s.pt.install("", nil)
	if cur, err = s.pt.load(ctx); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.status(ctx, cur, s.lang(c)))
}
