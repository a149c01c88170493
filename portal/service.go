package portal

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"resepsjon/outbox"
	"resepsjon/register"
)

// Config wires a Service.
type Config struct {
	Store    Store
	Clients  Clients
	Settings SettingsStore
	// Now is the clock (tests pass a settable one).
	Now func() time.Time
	// Argon2 are the parameters for new password hashes (default
	// DefaultArgon2()).
	Argon2 *Argon2Params
	// Throttle limits logins; nil builds one with the defaults.
	Throttle *Throttle
	// PatientURL is the patient listener's own address, used in links
	// when the settings name no public address.
	PatientURL string
	// Location is the practice's time zone for dates in mail.
	Location *time.Location
	// Wake tells the outbox sender that mail is queued.
	Wake func()
	// SessionTTL is how long a patient stays logged in (default 8 h).
	SessionTTL time.Duration
	Logger     *slog.Logger
	// Identity tells whether an identity provider (ID-porten) is
	// configured; nil reads the IdentityProviderSetting entry instead.
	Identity IdentityProvider
	// Persons fetches persons from Persontjenesten when an approval
	// creates a client; nil: clients are created from the request's data.
	Persons PersonSource
}

// Service is the portal's use cases for staff and patients.
type Service struct {
	cfg       Config
	argon     Argon2Params
	dummyHash string // verified against when no user matches, so timing reveals nothing
}

// New builds the service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Clients == nil || cfg.Settings == nil {
		return nil, errors.New("portal: Store, Clients and Settings are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Throttle == nil {
		cfg.Throttle = NewThrottle(ThrottleConfig{Now: cfg.Now})
	}
	if cfg.Wake == nil {
		cfg.Wake = func() {}
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 8 * time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{cfg: cfg, argon: DefaultArgon2()}
	if cfg.Argon2 != nil {
		s.argon = *cfg.Argon2
	}
	var err error
	if s.dummyHash, err = unmatchableHash(s.argon); err != nil {
		return nil, err
	}
	return s, nil
}

// Input is what staff set on a client's portal user.
type Input struct {
	Email                string `json:"email"`
	Rights               Rights `json:"rights"`
	WantsElectronicReply bool   `json:"wantsElectronicReply"`
	Language             string `json:"language"`
	// Version is the version that was read (updates only).
	Version int64 `json:"version"`
	// ConfirmEmailChange confirms changing an active user's e-mail.
	ConfirmEmailChange bool `json:"confirmEmailChange"`
}

// normalise trims the e-mail and defaults the language.
func (in *Input) normalise() {
	in.Email = strings.TrimSpace(in.Email)
	if in.Language == "" {
		in.Language = LangNB
	}
}

func (in Input) validate() error {
	f := map[string]string{}
	switch {
	case in.Email == "":
		f["email"] = register.CodeRequired
	case !validEmail(in.Email):
		f["email"] = register.CodeEmail
	}
	if in.Language != LangNB && in.Language != LangEN {
		f["language"] = register.CodeInvalid
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

// validEmail is the register's check plus what a mail header can carry.
func validEmail(s string) bool {
	if !register.ValidEmail(s) || hasControl(s) || strings.ContainsAny(s, "<>,;\"()[]\\") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}

// Settings returns the practice's portal settings.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	return loadSettings(ctx, s.cfg.Settings)
}

// SaveSettings validates and stores the settings, audited.
func (s *Service) SaveSettings(ctx context.Context, actor string, st Settings) (Settings, error) {
	st.PublicURL = strings.TrimRight(strings.TrimSpace(st.PublicURL), "/")
	st.PracticeName = strings.TrimSpace(st.PracticeName)
	st.SenderName = strings.TrimSpace(st.SenderName)
	st.SenderAddress = strings.TrimSpace(st.SenderAddress)
	if st.Approval == "" {
		st.Approval = ApprovalManual
	}
	if err := st.Validate(); err != nil {
		return Settings{}, err
	}
	if st.Approval == ApprovalAutomatic {
		idp, err := s.identityConfigured(ctx)
		if err != nil {
			return Settings{}, err
		}
		if !idp {
			return Settings{}, &ValidationError{Fields: map[string]string{"approval": "portal.approval_needs_idp"}}
		}
	}
	raw, err := json.Marshal(st)
	if err != nil {
		return Settings{}, fmt.Errorf("save portal settings: %w", err)
	}
	approval := "behandle manuelt"
	if st.Approval == ApprovalAutomatic {
		approval = "godkjenn automatisk"
		if st.OnlyExistingClients {
			approval += " (bare eksisterende klienter)"
		}
	}
	detail := fmt.Sprintf("tilbyr %s; aktivering %d t, nytt passord %d min; adresse %q; avsender %q <%s>; forespørsler: %s",
		rightsText(st.Offered), st.ActivationHours, st.ResetMinutes, st.PublicURL, st.SenderName, st.SenderAddress, approval)
	_, err = s.cfg.Store.Apply(ctx, Change{Settings: map[string]string{SettingsKey: string(raw)},
		Audit: s.audit(actor, ActionSettings, 0, detail)})
	if err != nil {
		return Settings{}, fmt.Errorf("save portal settings: %w", err)
	}
	return st, nil
}

// Account returns the client's portal account, or ErrNoUser.
func (s *Service) Account(ctx context.Context, clientID int64) (Account, error) {
	a, err := s.cfg.Store.AccountByClient(ctx, clientID)
	if err != nil {
		return Account{}, fmt.Errorf("portal account of client %d: %w", clientID, err)
	}
	return a, nil
}

// Accounts lists the practice's portal users for the Pasientportal page.
func (s *Service) Accounts(ctx context.Context, f Filter) ([]Account, error) {
	return s.cfg.Store.Accounts(ctx, f)
}

// Create gives the client a portal user and queues the activation mail
// («Opprett»).
func (s *Service) Create(ctx context.Context, actor string, clientID int64, in Input) (Account, error) {
	in.normalise()
	if err := in.validate(); err != nil {
		return Account{}, err
	}
	if _, err := s.cfg.Clients.GetClient(ctx, clientID); err != nil {
		return Account{}, fmt.Errorf("create portal user: %w", err)
	}
	if _, err := s.cfg.Store.AccountByClient(ctx, clientID); err == nil {
		return Account{}, ErrExists
	} else if !errors.Is(err, ErrNoUser) {
		return Account{}, fmt.Errorf("create portal user: %w", err)
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return Account{}, err
	}
	now := s.cfg.Now().UTC()
	u := User{ClientID: clientID, Email: in.Email, Rights: in.Rights.Within(st.Offered),
		WantsElectronicReply: in.WantsElectronicReply, Language: in.Language, CreatedAt: now, UpdatedAt: now}
	link, msg, err := s.linkMail(st, u, PurposeActivate, now)
	if err != nil {
		return Account{}, err
	}
	ch := Change{User: &u, Link: &link, Messages: []outbox.Message{msg},
		Audit: s.audit(actor, ActionCreate, clientID, fmt.Sprintf("e-post %s; %s; svar elektronisk: %s; aktiveringslenke sendt",
			u.Email, rightsText(u.Rights), yesNo(u.WantsElectronicReply)))}
	if _, err := s.cfg.Store.Apply(ctx, ch); err != nil {
		return Account{}, fmt.Errorf("create portal user: %w", err)
	}
	s.cfg.Wake()
	return s.Account(ctx, clientID)
}

// Update changes the e-mail, rights, «Ønsker svar elektronisk» and
// language. Changing an active user's e-mail needs ConfirmEmailChange and
// sends a notice to the old address; a user still waiting for activation
// gets a new activation link at the new address.
func (s *Service) Update(ctx context.Context, actor string, clientID int64, in Input) (Account, error) {
	in.normalise()
	if err := in.validate(); err != nil {
		return Account{}, err
	}
	a, err := s.Account(ctx, clientID)
	if err != nil {
		return Account{}, err
	}
	if in.Version != a.Version {
		return Account{}, &register.ConflictError{Current: a.Version}
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return Account{}, err
	}
	now := s.cfg.Now().UTC()
	u := a.User
	old := u
	u.Rights = in.Rights.Within(st.Offered)
	u.WantsElectronicReply = in.WantsElectronicReply
	u.Language = in.Language
	u.UpdatedAt = now
	ch := Change{User: &u}
	var changes []string
	if in.Email != old.Email {
		if old.ActivatedAt != nil && !in.ConfirmEmailChange {
			return Account{}, ErrConfirmEmail
		}
		u.Email = in.Email
		changes = append(changes, fmt.Sprintf("e-post %s → %s", old.Email, u.Email))
		if old.ActivatedAt != nil {
			notice, err := composeMail(MailEmailChanged, old.Language, old.Email, st.PracticeName, "", time.Time{}, now, s.cfg.Location, "")
			if err != nil {
				return Account{}, err
			}
			notice.UserID, notice.MessageID, notice.CreatedAt = u.ID, messageID(st), now
			ch.Messages = append(ch.Messages, notice)
			changes = append(changes, "varsel sendt til gammel adresse")
		} else {
			link, msg, err := s.linkMail(st, u, PurposeActivate, now)
			if err != nil {
				return Account{}, err
			}
			ch.VoidLinks, ch.Link, ch.Messages = []string{PurposeActivate}, &link, append(ch.Messages, msg)
			changes = append(changes, "ny aktiveringslenke sendt, den gamle virker ikke lenger")
		}
	}
	if u.Rights != old.Rights {
		changes = append(changes, fmt.Sprintf("rettigheter %s → %s", rightsText(old.Rights), rightsText(u.Rights)))
	}
	if u.WantsElectronicReply != old.WantsElectronicReply {
		changes = append(changes, "svar elektronisk: "+yesNo(u.WantsElectronicReply))
	}
	if u.Language != old.Language {
		changes = append(changes, "språk "+u.Language)
	}
	if len(changes) == 0 {
		return a, nil
	}
	ch.Audit = s.audit(actor, ActionUpdate, clientID, strings.Join(changes, "; "))
	if _, err := s.cfg.Store.Apply(ctx, ch); err != nil {
		return Account{}, fmt.Errorf("update portal user: %w", err)
	}
	if len(ch.Messages) > 0 {
		s.cfg.Wake()
	}
	return s.Account(ctx, clientID)
}

// ErrAlreadyActive means the user has activated: «Send på nytt» is for a
// user still waiting; «Ny kode» sends a new password instead.
var ErrAlreadyActive = errors.New("the portal user is already active")

// Resend issues a new activation link and voids the old one («Send på nytt»).
func (s *Service) Resend(ctx context.Context, actor string, clientID int64) (Account, error) {
	return s.sendLink(ctx, actor, clientID, PurposeActivate)
}

// SendReset sends a single-use password-reset link («Ny kode»).
func (s *Service) SendReset(ctx context.Context, actor string, clientID int64) (Account, error) {
	return s.sendLink(ctx, actor, clientID, PurposeReset)
}

func (s *Service) sendLink(ctx context.Context, actor string, clientID int64, purpose string) (Account, error) {
	a, err := s.Account(ctx, clientID)
	if err != nil {
		return Account{}, err
	}
	switch {
	case purpose == PurposeActivate && a.ActivatedAt != nil:
		return Account{}, ErrAlreadyActive
	case purpose == PurposeReset && a.ActivatedAt == nil:
		return Account{}, ErrNotActivated
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return Account{}, err
	}
	now := s.cfg.Now().UTC()
	link, msg, err := s.linkMail(st, a.User, purpose, now)
	if err != nil {
		return Account{}, err
	}
	action, detail := ActionResend, "ny aktiveringslenke sendt til "+a.Email+", den gamle virker ikke lenger"
	if purpose == PurposeReset {
		action, detail = ActionReset, "lenke til nytt passord sendt til "+a.Email
	}
	ch := Change{VoidLinks: []string{purpose}, Link: &link, Messages: []outbox.Message{msg},
		Audit: s.audit(actor, action, clientID, detail)}
	u := a.User
	u.UpdatedAt = now
	ch.User = &u
	if _, err := s.cfg.Store.Apply(ctx, ch); err != nil {
		return Account{}, fmt.Errorf("send portal link: %w", err)
	}
	s.cfg.Wake()
	return s.Account(ctx, clientID)
}

// Delete removes the client's association with the practice's portal
// («Slett»): the user, links and sessions go; the client stays, and the
// client can be given access again.
func (s *Service) Delete(ctx context.Context, actor string, clientID int64) error {
	a, err := s.Account(ctx, clientID)
	if err != nil {
		return err
	}
	_, err = s.cfg.Store.Apply(ctx, Change{DeleteUserID: a.ID, Audit: s.audit(actor, ActionDelete, clientID,
		"tilknytningen til pasientportalen slettet ("+a.Email+")")})
	if err != nil {
		return fmt.Errorf("delete portal user: %w", err)
	}
	return nil
}

// RetryMail queues the user's unsent mail again now («Prøv igjen»).
func (s *Service) RetryMail(ctx context.Context, actor string, clientID int64) (Account, error) {
	a, err := s.Account(ctx, clientID)
	if err != nil {
		return Account{}, err
	}
	if _, err := s.cfg.Store.RetryMail(ctx, a.ID, s.cfg.Now().UTC(), s.audit(actor, ActionRetryMail, clientID, "e-post sendes på nytt")); err != nil {
		return Account{}, fmt.Errorf("retry portal mail: %w", err)
	}
	s.cfg.Wake()
	return s.Account(ctx, clientID)
}

// linkMail makes a new link of purpose for u and its mail.
func (s *Service) linkMail(st Settings, u User, purpose string, now time.Time) (Link, outbox.Message, error) {
	base := st.PublicURL
	if base == "" {
		base = strings.TrimRight(s.cfg.PatientURL, "/")
	}
	if base == "" {
		return Link{}, outbox.Message{}, ErrNoPublicURL
	}
	token, hash, err := NewToken()
	if err != nil {
		return Link{}, outbox.Message{}, err
	}
	ttl, kind, path := st.ActivationTTL(), MailActivation, "/aktiver"
	if purpose == PurposeReset {
		ttl, kind, path = st.ResetTTL(), MailReset, "/nytt-passord"
	}
	link := Link{Hash: hash, UserID: u.ID, Purpose: purpose, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	msg, err := composeMail(kind, u.Language, u.Email, st.PracticeName, base+path+"?t="+token, link.ExpiresAt, now, s.cfg.Location, "")
	if err != nil {
		return Link{}, outbox.Message{}, err
	}
	msg.UserID, msg.MessageID, msg.CreatedAt = u.ID, messageID(st), now
	return link, msg, nil
}

// ErrNoPublicURL means no address for links is known: neither the
// settings' public address nor a running patient listener.
var ErrNoPublicURL = errors.New("the portal has no address for links")

// messageID is a fresh Message-ID in the sender's domain.
func messageID(st Settings) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	domain := "resepsjon.invalid"
	if _, d, ok := strings.Cut(st.SenderAddress, "@"); ok && d != "" {
		domain = d
	}
	return "<" + hex.EncodeToString(b) + "@" + domain + ">"
}

func (s *Service) audit(actor, action string, clientID int64, detail string) Audit {
	if !utf8.ValidString(detail) {
		detail = strings.ToValidUTF8(detail, "?")
	}
	return Audit{Time: s.cfg.Now().UTC(), Actor: actor, Action: action, ClientID: clientID, Detail: detail, Outcome: "ok"}
}

func rightsText(r Rights) string {
	var parts []string
	if r.Consultation {
		parts = append(parts, "E-konsultasjon")
	}
	if r.Booking {
		parts = append(parts, "E-timebestilling")
	}
	if r.Renewal {
		parts = append(parts, "E-reseptfornyelse")
	}
	if len(parts) == 0 {
		return "ingen rettigheter"
	}
	return strings.Join(parts, ", ")
}

func yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nei"
}
