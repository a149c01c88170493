package portal

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"resepsjon/nin"
	"resepsjon/outbox"
	"resepsjon/register"
)

// AccessRequest is a person's own request to become a portal user: from
// the plain form on the patient side (Verified false), or after a login at
// the practice's identity provider (ID-porten), which vouches for the
// identity number (Verified true, ACR the level it reported).
type AccessRequest struct {
	Name   string
	NIN    string
	Email  string
	Rights Rights // the rights asked for; informative, the practice decides
	// Verified means NIN comes from an identity provider's signed token.
	Verified bool
	ACR      string // the identity provider's acr (e.g. idporten-loa-high)
	// WantsElectronicReply is «Ønsker svar elektronisk» as asked for.
	WantsElectronicReply bool
	Language             string // nb or en: the language of the mail; default nb
	// Addr is the requester's network address, for the throttle; empty
	// when it is not known.
	Addr string
}

// RequestStatus is where a request stands.
type RequestStatus string

// Request statuses.
const (
	RequestPending  RequestStatus = "pending"  // «Venter»
	RequestApproved RequestStatus = "approved" // «Godkjent»
	RequestRejected RequestStatus = "rejected" // «Avvist»
)

// RequestStatuses lists every request status, for filters.
var RequestStatuses = []RequestStatus{RequestPending, RequestApproved, RequestRejected}

// Where the client of an approved request came from.
const (
	SourceExisting        = "existing"        // linked to the client with the same identity number
	SourcePersontjenesten = "persontjenesten" // created from Persontjenesten
	SourceRequest         = "request"         // created from the request's own data
)

// Approval modes of the practice (Settings.Approval).
const (
	ApprovalManual    = "manual"    // «Behandle manuelt»
	ApprovalAutomatic = "automatic" // «Godkjenn automatisk»
)

// ActorAutomatic is the audit log's actor for an automatic approval.
const ActorAutomatic = "automatisk godkjenning"

// StoredRequest is a request as stored, with the decision once made.
type StoredRequest struct {
	ID int64
	AccessRequest
	Status       RequestStatus
	ReceivedAt   time.Time
	DecidedAt    *time.Time
	DecidedBy    string
	Reason       string // the reason given with a rejection
	ClientID     int64  // the client it was linked to or created as; 0 until approved
	ClientSource string // one of the Source* constants; empty until approved
	Version      int64
}

// RequestView is a request as the list «Forespørsler om tilgang» shows it:
// with the client that has the same identity number, if any, and whether
// its name differs from the request's (flagged for the receptionist).
type RequestView struct {
	StoredRequest
	MaskedNIN    string
	ClientName   string // the client with the request's identity number; empty when none
	MatchID      int64  // that client's id; 0 when none
	NameMismatch bool
	HasUser      bool // that client already has a portal user
	// LevelTooLow: verified, but at a lower level of assurance than the
	// practice requires now (raised since the request was made).
	LevelTooLow bool
}

// RequestFilter selects requests for the list.
type RequestFilter struct {
	Status RequestStatus // empty: all
}

// RequestOutcome tells the requester's side what happened: approved at once
// (an activation mail is on its way) or waiting for the reception.
type RequestOutcome struct {
	RequestID int64
	Status    RequestStatus
}

// IdentityProvider tells whether the practice has an identity provider
// configured (ID-porten) whose verified identities may be approved
// automatically.
type IdentityProvider interface {
	IdentityProviderConfigured(ctx context.Context) (bool, error)
}

// LevelChecker is implemented by an IdentityProvider that requires a level
// of assurance (ID-porten's acr): MeetsLevel tells whether an identity
// verified at acr meets the level the practice requires now. The level may
// have been raised since the request was made; such a request counts as
// not verified at the required level: never approved automatically, and
// flagged in the list.
type LevelChecker interface {
	MeetsLevel(ctx context.Context, acr string) (bool, error)
}

// IdentityProviderSetting is the settings entry read when no
// IdentityProvider is wired: a non-empty value (the issuer) means one is
// configured.
const IdentityProviderSetting = "portal.identity_provider"

// settingIdentityProvider reads IdentityProviderSetting.
type settingIdentityProvider struct{ st SettingsStore }

func (p settingIdentityProvider) IdentityProviderConfigured(ctx context.Context) (bool, error) {
	v, ok, err := p.st.GetSetting(ctx, IdentityProviderSetting)
	if err != nil {
		return false, fmt.Errorf("read identity provider setting: %w", err)
	}
	return ok && strings.TrimSpace(v) != "", nil
}

// PersonSource fetches persons from Persontjenesten for approvals (package
// lookup implements it): Activated tells whether the practice can, and
// PersonByNIN fetches the person as a client draft with the practice's
// information parts, audited.
type PersonSource interface {
	Activated(ctx context.Context) bool
	PersonByNIN(ctx context.Context, nin string) (register.Client, error)
}

// Request errors callers decide on.
var (
	ErrRequestDecided = errors.New("the request has already been approved or rejected")
	ErrNoRequest      = errors.New("no such access request")
)

// Request limits.
const (
	maxNameLen   = 200
	maxReasonLen = 2000
)

func (r *AccessRequest) normalise() {
	r.Name = strings.Join(strings.Fields(r.Name), " ")
	r.Email = strings.TrimSpace(r.Email)
	if r.Language != LangEN {
		r.Language = LangNB
	}
	if len(r.ACR) > 100 {
		r.ACR = r.ACR[:100]
	}
}

func (r *AccessRequest) validate() error {
	f := map[string]string{}
	switch {
	case r.Name == "":
		f["name"] = register.CodeRequired
	case len(r.Name) > maxNameLen:
		f["name"] = register.CodeTooLong
	case !utf8.ValidString(r.Name) || strings.ContainsFunc(r.Name, unicode.IsControl):
		f["name"] = register.CodeControlChars
	case !strings.ContainsFunc(r.Name, unicode.IsLetter):
		f["name"] = register.CodeInvalid
	}
	if strings.TrimSpace(r.NIN) == "" {
		f["nin"] = register.CodeRequired
	} else if n, err := nin.Parse(r.NIN); err != nil {
		f["nin"] = nin.Code(err)
	} else {
		r.NIN = n.Digits
	}
	switch {
	case r.Email == "":
		f["email"] = register.CodeRequired
	case !validEmail(r.Email):
		f["email"] = register.CodeEmail
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

// MaskNIN shows an identity number as its birth date and five stars.
func MaskNIN(n string) string {
	if len(n) != 11 {
		return "***********"
	}
	return n[:6] + " *****"
}

// identityProvider is the configured check, or the settings flag.
func (s *Service) identityConfigured(ctx context.Context) (bool, error) {
	if s.cfg.Identity != nil {
		return s.cfg.Identity.IdentityProviderConfigured(ctx)
	}
	return settingIdentityProvider{s.cfg.Settings}.IdentityProviderConfigured(ctx)
}

// verifiedEnough reports whether a request is verified at the level of
// assurance the practice requires now: verified, and, when the identity
// provider requires a level, at that level or above.
func (s *Service) verifiedEnough(ctx context.Context, r AccessRequest) (bool, error) {
	if !r.Verified {
		return false, nil
	}
	lc, ok := s.cfg.Identity.(LevelChecker)
	if !ok {
		return true, nil
	}
	meets, err := lc.MeetsLevel(ctx, r.ACR)
	if err != nil {
		return false, fmt.Errorf("check the level of assurance: %w", err)
	}
	return meets, nil
}

// IdentityProviderConfigured reports whether automatic approval is
// possible at all.
func (s *Service) IdentityProviderConfigured(ctx context.Context) (bool, error) {
	return s.identityConfigured(ctx)
}

// RequestAccess takes a person's request for access and applies the
// practice's approval policy: with «Godkjenn automatisk», an identity
// provider configured and a verified request, the request is approved at
// once (the client created or linked, the portal user made with the
// practice's default rights, the activation mail queued) — unless the
// practice approves only existing clients and the person is none, the name
// differs from the client's, the client already has a portal user, or the
// approval fails; those, and every unverified request, wait in
// «Forespørsler om tilgang». Requests are throttled per identity number and
// network address like logins. A bad field gives *ValidationError.
func (s *Service) RequestAccess(ctx context.Context, req AccessRequest) (RequestOutcome, error) {
	req.normalise()
	throttleKey := "request:" + strings.Join(strings.Fields(req.NIN), "")
	if err := s.cfg.Throttle.Check(throttleKey, req.Addr); err != nil {
		return RequestOutcome{}, err
	}
	s.cfg.Throttle.Fail(throttleKey, req.Addr)
	if err := req.validate(); err != nil {
		return RequestOutcome{}, err
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return RequestOutcome{}, err
	}
	idp, err := s.identityConfigured(ctx)
	if err != nil {
		return RequestOutcome{}, err
	}
	now := s.cfg.Now().UTC()
	stored := StoredRequest{AccessRequest: req, Status: RequestPending, ReceivedAt: now}
	stored.Rights = req.Rights.Within(st.Offered)
	stored.Addr = "" // never stored
	verified := "uverifisert"
	if req.Verified {
		verified = "verifisert (" + req.ACR + ")"
	}
	if stored, err = s.cfg.Store.PutRequest(ctx, stored, s.audit(ActorPatient, ActionRequest, 0,
		fmt.Sprintf("forespørsel om tilgang mottatt, %s, fra %s", verified, req.Email))); err != nil {
		return RequestOutcome{}, fmt.Errorf("store access request: %w", err)
	}
	out := RequestOutcome{RequestID: stored.ID, Status: RequestPending}
	if st.Approval != ApprovalAutomatic || !idp || !req.Verified {
		return out, nil
	}
	// The level may have been raised since the patient logged in.
	if enough, err := s.verifiedEnough(ctx, req); err != nil || !enough {
		if err != nil {
			s.cfg.Logger.Warn("portal: the level of assurance could not be checked; the request waits in the manual list", "request", stored.ID, "err", err)
		}
		return out, nil
	}
	match, err := s.clientByNIN(ctx, req.NIN)
	if err != nil {
		return RequestOutcome{}, err
	}
	switch {
	case match == nil && st.OnlyExistingClients:
		return out, nil
	case match != nil && !sameName(req.Name, *match):
		return out, nil
	}
	if _, err := s.ApproveRequest(ctx, ActorAutomatic, stored.ID, st.Offered, stored.Version); err != nil {
		// It waits for the reception, which sees why when it approves.
		s.cfg.Logger.Warn("portal: automatic approval failed; the request waits in the manual list", "request", stored.ID, "err", err)
		return out, nil
	}
	out.Status = RequestApproved
	return out, nil
}

// clientByNIN is the client with the identity number, or nil.
func (s *Service) clientByNIN(ctx context.Context, number string) (*register.Client, error) {
	c, err := s.cfg.Clients.ClientByNIN(ctx, number)
	if errors.Is(err, register.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find client by identity number: %w", err)
	}
	return &c, nil
}

// sameName reports whether the request's name fits the client: every word
// of it is one of the client's names, and the client's family name is in
// it (a middle name may be left out, case and order do not matter).
func sameName(requested string, c register.Client) bool {
	words := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
	}
	have := map[string]bool{}
	for _, w := range words(c.GivenName + " " + c.MiddleName + " " + c.FamilyName) {
		have[w] = true
	}
	asked := map[string]bool{}
	for _, w := range words(requested) {
		if !have[w] {
			return false
		}
		asked[w] = true
	}
	family := words(c.FamilyName)
	if len(family) == 0 || len(asked) == 0 {
		return false
	}
	for _, w := range family {
		if asked[w] {
			return true
		}
	}
	return false
}

// Requests lists access requests for «Forespørsler om tilgang», newest
// first, each with the client of the same identity number.
func (s *Service) Requests(ctx context.Context, f RequestFilter) ([]RequestView, error) {
	reqs, err := s.cfg.Store.Requests(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list access requests: %w", err)
	}
	out := make([]RequestView, 0, len(reqs))
	for _, r := range reqs {
		v, err := s.requestView(ctx, r)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Request is one access request as the list shows it.
func (s *Service) Request(ctx context.Context, id int64) (RequestView, error) {
	r, err := s.cfg.Store.RequestByID(ctx, id)
	if err != nil {
		return RequestView{}, fmt.Errorf("access request %d: %w", id, err)
	}
	return s.requestView(ctx, r)
}

func (s *Service) requestView(ctx context.Context, r StoredRequest) (RequestView, error) {
	v := RequestView{StoredRequest: r, MaskedNIN: MaskNIN(r.NIN)}
	if r.Verified && r.Status == RequestPending {
		enough, err := s.verifiedEnough(ctx, r.AccessRequest)
		if err != nil {
			return RequestView{}, err
		}
		v.LevelTooLow = !enough
	}
	c, err := s.clientByNIN(ctx, r.NIN)
	if err != nil {
		return RequestView{}, err
	}
	if c == nil && r.ClientID != 0 {
		if cl, err := s.cfg.Clients.GetClient(ctx, r.ClientID); err == nil {
			c = &cl
		}
	}
	if c != nil {
		v.MatchID = c.ID
		v.ClientName = strings.Join(strings.Fields(c.GivenName+" "+c.MiddleName+" "+c.FamilyName), " ")
		v.NameMismatch = !sameName(r.Name, *c)
		if _, err := s.cfg.Store.AccountByClient(ctx, c.ID); err == nil {
			v.HasUser = true
		} else if !errors.Is(err, ErrNoUser) {
			return RequestView{}, err
		}
	}
	return v, nil
}

// ApproveRequest approves a waiting request with rights (kept within what
// the practice offers): the client with the same identity number is
// linked; otherwise the client is created, through Persontjenesten when the
// practice is activated (audited, with its information parts), else from
// the request's own data and marked as such in the client's notes. The
// client gets a portal user with the request's e-mail and the activation
// mail is queued, in one transaction with the request's decision. version
// is the request's version as read (*register.ConflictError when stale).
func (s *Service) ApproveRequest(ctx context.Context, actor string, id int64, rights Rights, version int64) (RequestView, error) {
	r, err := s.cfg.Store.RequestByID(ctx, id)
	if err != nil {
		return RequestView{}, fmt.Errorf("approve access request: %w", err)
	}
	if r.Status != RequestPending {
		return RequestView{}, ErrRequestDecided
	}
	if version != 0 && version != r.Version {
		return RequestView{}, &register.ConflictError{Current: r.Version}
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return RequestView{}, err
	}
	match, err := s.clientByNIN(ctx, r.NIN)
	if err != nil {
		return RequestView{}, err
	}
	if match != nil {
		if _, err := s.cfg.Store.AccountByClient(ctx, match.ID); err == nil {
			return RequestView{}, ErrExists
		} else if !errors.Is(err, ErrNoUser) {
			return RequestView{}, err
		}
	}
	// The e-mail must be free before a client is created for nothing.
	if other, err := s.cfg.Store.UserByEmail(ctx, r.Email); err == nil && (match == nil || other.ClientID != match.ID) {
		return RequestView{}, ErrEmailTaken
	} else if err != nil && !errors.Is(err, ErrNoUser) {
		return RequestView{}, err
	}
	source, client := SourceExisting, register.Client{}
	if match != nil {
		client = *match
	} else {
		if client, source, err = s.newClient(ctx, r); err != nil {
			return RequestView{}, err
		}
	}
	now := s.cfg.Now().UTC()
	u := User{ClientID: client.ID, Email: r.Email, Rights: rights.Within(st.Offered), WantsElectronicReply: r.WantsElectronicReply,
		Language: r.Language, CreatedAt: now, UpdatedAt: now}
	link, msg, err := s.linkMail(st, u, PurposeActivate, now)
	if err != nil {
		return RequestView{}, err
	}
	r.Status, r.DecidedAt, r.DecidedBy, r.ClientID, r.ClientSource = RequestApproved, &now, actor, client.ID, source
	how := map[string]string{SourceExisting: "koblet til eksisterende klient", SourcePersontjenesten: "klient opprettet fra Persontjenesten",
		SourceRequest: "klient opprettet fra forespørselens opplysninger"}[source]
	ch := Change{User: &u, Link: &link, Messages: []outbox.Message{msg}, Request: &r,
		Audit: s.audit(actor, ActionRequestApproved, client.ID, fmt.Sprintf("forespørsel %d om tilgang godkjent (%s); rettigheter: %s; aktiveringslenke sendt til %s",
			r.ID, how, rightsText(u.Rights), r.Email))}
	if _, err := s.cfg.Store.Apply(ctx, ch); err != nil {
		return RequestView{}, fmt.Errorf("approve access request: %w", err)
	}
	s.cfg.Wake()
	return s.Request(ctx, id)
}

// newClient creates the client of a request for a person not yet a client.
func (s *Service) newClient(ctx context.Context, r StoredRequest) (register.Client, string, error) {
	if s.cfg.Persons != nil && s.cfg.Persons.Activated(ctx) {
		draft, err := s.cfg.Persons.PersonByNIN(ctx, r.NIN)
		if err != nil {
			return register.Client{}, "", fmt.Errorf("fetch the person from Persontjenesten: %w", err)
		}
		if draft.Email == "" {
			draft.Email = r.Email
		}
		c, err := s.cfg.Clients.CreateClient(ctx, draft)
		if err != nil {
			return register.Client{}, "", fmt.Errorf("create client from Persontjenesten: %w", err)
		}
		return c, SourcePersontjenesten, nil
	}
	c := register.Client{NIN: r.NIN, Email: r.Email, Notes: RequestClientNote}
	if n, err := nin.Parse(r.NIN); err == nil {
		c.NINType = n.Type()
		c.BirthDate = n.BirthDate.Format("2006-01-02")
	}
	words := strings.Fields(r.Name)
	c.FamilyName = words[len(words)-1]
	if len(words) > 1 {
		c.GivenName = strings.Join(words[:len(words)-1], " ")
	} else {
		c.GivenName = c.FamilyName
	}
	created, err := s.cfg.Clients.CreateClient(ctx, c)
	if err != nil {
		return register.Client{}, "", fmt.Errorf("create client from the request: %w", err)
	}
	return created, SourceRequest, nil
}

// RequestClientNote marks a client created from a request's own data.
const RequestClientNote = "Opprettet fra en forespørsel om tilgang til pasientportalen: navn og fødselsnummer er slik pasienten skrev dem, ikke hentet fra Folkeregisteret. Kontroller dem, eller bruk «Oppdater via Persontjenesten»."

// RejectRequest rejects a waiting request; the person gets a mail saying
// so, with the reason when one is given.
func (s *Service) RejectRequest(ctx context.Context, actor string, id int64, reason string, version int64) (RequestView, error) {
	reason = strings.TrimSpace(reason)
	if len(reason) > maxReasonLen || !utf8.ValidString(reason) {
		return RequestView{}, &ValidationError{Fields: map[string]string{"reason": register.CodeTooLong}}
	}
	r, err := s.cfg.Store.RequestByID(ctx, id)
	if err != nil {
		return RequestView{}, fmt.Errorf("reject access request: %w", err)
	}
	if r.Status != RequestPending {
		return RequestView{}, ErrRequestDecided
	}
	if version != 0 && version != r.Version {
		return RequestView{}, &register.ConflictError{Current: r.Version}
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return RequestView{}, err
	}
	now := s.cfg.Now().UTC()
	msg, err := composeMail(MailRejected, r.Language, r.Email, st.PracticeName, "", time.Time{}, now, s.cfg.Location, reason)
	if err != nil {
		return RequestView{}, err
	}
	msg.MessageID, msg.CreatedAt = messageID(st), now
	r.Status, r.DecidedAt, r.DecidedBy, r.Reason = RequestRejected, &now, actor, reason
	detail := fmt.Sprintf("forespørsel %d om tilgang avvist; e-post sendt til %s", r.ID, r.Email)
	if reason != "" {
		detail += " med begrunnelse"
	}
	if _, err := s.cfg.Store.Apply(ctx, Change{Request: &r, Messages: []outbox.Message{msg}, Audit: s.audit(actor, ActionRequestRejected, 0, detail)}); err != nil {
		return RequestView{}, fmt.Errorf("reject access request: %w", err)
	}
	s.cfg.Wake()
	return s.Request(ctx, id)
}
