// Package portal manages clients' access to the practice's patient portal:
// one portal user per client, the rights the practice gives (E-konsultasjon,
// E-timebestilling, E-reseptfornyelse), «Ønsker svar elektronisk», the
// single-use activation and password-reset links, passwords (argon2id),
// logins and the patient's sessions. Every change is audited, and the mail it
// causes is queued in the outbox in the same transaction.
//
// The package knows neither HTTP nor SQL: the staff API (package app), the
// patient's listener (package patientweb) and the demo call it; package
// store implements Store.
package portal

import (
	"context"
	"errors"
	"fmt"
	"time"

	"resepsjon/outbox"
	"resepsjon/register"
)

// Rights are what the patient may do in the portal. With none the patient
// keeps only the profile and earlier history.
type Rights struct {
	Consultation bool `json:"consultation"` // E-konsultasjon
	Booking      bool `json:"booking"`      // E-timebestilling
	Renewal      bool `json:"renewal"`      // E-reseptfornyelse
}

// Any reports whether at least one right is given.
func (r Rights) Any() bool { return r.Consultation || r.Booking || r.Renewal }

// Within keeps only the rights that offered also has.
func (r Rights) Within(offered Rights) Rights {
	return Rights{Consultation: r.Consultation && offered.Consultation, Booking: r.Booking && offered.Booking,
		Renewal: r.Renewal && offered.Renewal}
}

// Status is what the panel and the Pasientportal page show for a user.
type Status string

// Statuses, in the order the panel weighs them: a mail that could not be
// sent hides everything else, then a link not yet used.
const (
	StatusMailFailed Status = "mail_failed" // «E-post ikke sendt»
	StatusPending    Status = "pending"     // «Venter på aktivering»
	StatusNoRights   Status = "no_rights"   // «Ingen rettigheter»
	StatusActive     Status = "active"      // «Aktiv»
)

// Statuses lists every status, for filters.
var Statuses = []Status{StatusPending, StatusActive, StatusNoRights, StatusMailFailed}

// Languages of the mail and the patient's pages.
const (
	LangNB = "nb"
	LangEN = "en"
)

// User is one client's access to the practice's portal.
type User struct {
	ID                   int64
	ClientID             int64
	Email                string
	Rights               Rights
	WantsElectronicReply bool   // «Ønsker svar elektronisk»
	Language             string // nb or en: the mail's language
	PasswordHash         string // argon2id, parameters included; empty until activated
	ActivatedAt          *time.Time
	CreatedAt            time.Time
	UpdatedAt            time.Time
	Version              int64
}

// Account is a user as staff see it: the user, the client's name, the last
// mail sent to them and the status that follows.
type Account struct {
	User
	ClientName string
	LastMail   *outbox.Message // the newest message for this user, bodies left out; nil when none
	Status     Status
}

// StatusOf derives the status of u with its newest mail.
func StatusOf(u User, last *outbox.Message) Status {
	switch {
	case last != nil && last.State != outbox.StateSent && last.Attempts > 0:
		return StatusMailFailed
	case u.ActivatedAt == nil:
		return StatusPending
	case !u.Rights.Any():
		return StatusNoRights
	default:
		return StatusActive
	}
}

// Link purposes.
const (
	PurposeActivate = "activate"
	PurposeReset    = "reset"
)

// Link is a single-use link as stored: only the SHA-256 of its token.
type Link struct {
	Hash      string // hex SHA-256 of the token
	UserID    int64
	Purpose   string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Audit is one row of the audit log for a portal action.
type Audit struct {
	Time     time.Time
	Actor    string // the OS user at the reception, or "pasient" for the patient's own actions
	Action   string // one of the Action* constants
	ClientID int64
	Detail   string // what was done, without passwords or tokens
	Outcome  string // ok or error
	Error    string // an error code when Outcome is error
}

// Audit actions of the portal.
const (
	ActionCreate         = "portal_create"
	ActionUpdate         = "portal_update"
	ActionResend         = "portal_resend"
	ActionReset          = "portal_reset"
	ActionDelete         = "portal_delete"
	ActionActivated      = "portal_activated"
	ActionPasswordReset  = "portal_password_reset"
	ActionPasswordChange = "portal_password_change"
	ActionLogin          = "portal_login"
	ActionSettings       = "portal_settings"
	ActionRetryMail      = "portal_retry_mail"
	ActionPreference     = "portal_preference"

	ActionRequest         = "portal_request"          // a request for access arrived
	ActionRequestApproved = "portal_request_approved" // «Godkjenn», by the reception or automatically
	ActionRequestRejected = "portal_request_rejected" // «Avvis»
	ActionInquiry         = "portal_inquiry"          // a patient sent a message through a right
	ActionInquiryStatus   = "portal_inquiry_status"   // the reception moved it in the «Innboks»
	ActionInquiryAnswer   = "portal_inquiry_answer"   // the reception answered it
)

// Actions lists the portal's audit actions, for filters.
var Actions = []string{ActionCreate, ActionUpdate, ActionResend, ActionReset, ActionDelete, ActionActivated,
	ActionPasswordReset, ActionPasswordChange, ActionLogin, ActionSettings, ActionRetryMail, ActionPreference,
	ActionRequest, ActionRequestApproved, ActionRequestRejected, ActionInquiry, ActionInquiryStatus, ActionInquiryAnswer}

// Change is everything one portal action writes, in one transaction.
type Change struct {
	// User is inserted when its ID is 0, else updated when its Version is
	// the stored one (*register.ConflictError otherwise); the stored
	// version is then one higher.
	User *User
	// DeleteUserID removes that user, its links and sessions.
	DeleteUserID int64
	// VoidLinks makes the user's unused links of these purposes useless.
	VoidLinks []string
	Link      *Link
	// Messages are queued in the outbox (their UserID is filled in for a
	// new user).
	Messages []outbox.Message
	// EndSessions logs the user out everywhere.
	EndSessions bool
	// Settings are stored (key → value) with the change.
	Settings map[string]string
	// Request is a decided access request to store (its Version must be
	// the stored one).
	Request *StoredRequest
	// Inquiry is a patient's message to update (status, answer; its
	// Version must be the stored one).
	Inquiry *Inquiry
	Audit   Audit
}

// Filter selects accounts for the Pasientportal page.
type Filter struct {
	Status Status // empty: all
	Q      string // part of a name or e-mail
}

// Store is what the portal needs of storage.
type Store interface {
	// Apply writes ch in one transaction and returns the user as stored
	// (zero after a delete). A second user with the same e-mail gives
	// ErrEmailTaken, a second user for the client ErrExists.
	Apply(ctx context.Context, ch Change) (User, error)
	// AccountByClient is the client's portal account, or ErrNoUser.
	AccountByClient(ctx context.Context, clientID int64) (Account, error)
	// UserByID and UserByEmail (case-insensitive) give ErrNoUser when
	// there is none.
	UserByID(ctx context.Context, id int64) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	// Accounts lists every portal account matching f, by client name.
	Accounts(ctx context.Context, f Filter) ([]Account, error)
	// UseLink consumes the unused, unexpired link with hash and purpose:
	// it sets the password hash (and the activation time, for an
	// activation), marks the link used, voids the user's other links of
	// that purpose, ends the user's sessions and writes audit, all in one
	// transaction. Any other link gives ErrLinkInvalid.
	UseLink(ctx context.Context, hash, purpose string, now time.Time, passwordHash string, audit Audit) (User, error)
	// LinkUser is the user of an unused, unexpired link, without using
	// it; ErrLinkInvalid otherwise.
	LinkUser(ctx context.Context, hash, purpose string, now time.Time) (User, error)
	// Sessions of the patient's side, stored by the hash of their token.
	CreateSession(ctx context.Context, hash string, userID int64, expires time.Time) error
	SessionUser(ctx context.Context, hash string, now time.Time) (User, error) // ErrNoSession
	DeleteSession(ctx context.Context, hash string) error
	// RetryMail queues the user's failed or waiting messages for now and
	// writes audit; it reports how many.
	RetryMail(ctx context.Context, userID int64, now time.Time, audit Audit) (int, error)

	// PutRequest stores a new access request with its audit row.
	PutRequest(ctx context.Context, r StoredRequest, audit Audit) (StoredRequest, error)
	// RequestByID is one access request, or ErrNoRequest.
	RequestByID(ctx context.Context, id int64) (StoredRequest, error)
	// Requests lists access requests matching f, newest first.
	Requests(ctx context.Context, f RequestFilter) ([]StoredRequest, error)
	// PutInquiry stores a new message from a patient with its audit row.
	PutInquiry(ctx context.Context, q Inquiry, audit Audit) (Inquiry, error)
	// InquiryByID is one message with the client's name, or ErrNoInquiry.
	InquiryByID(ctx context.Context, id int64) (InboxItem, error)
	// Inquiries lists messages matching f, newest first.
	Inquiries(ctx context.Context, f InboxFilter) ([]InboxItem, error)
}

// Clients is what the portal needs of the register.
type Clients interface {
	GetClient(ctx context.Context, id int64) (register.Client, error)
	// ClientByNIN is the client with this identity number, or
	// register.ErrNotFound.
	ClientByNIN(ctx context.Context, nin string) (register.Client, error)
	// CreateClient saves a new client (an approved request's).
	CreateClient(ctx context.Context, c register.Client) (register.Client, error)
}

// Settings store: the practice's portal settings as one value.
type SettingsStore interface {
	GetSetting(ctx context.Context, key string) (value string, ok bool, err error)
}

// Errors callers decide on.
var (
	ErrNoUser         = errors.New("the client has no portal user")
	ErrExists         = errors.New("the client already has a portal user")
	ErrEmailTaken     = errors.New("the e-mail address belongs to another portal user")
	ErrLinkInvalid    = errors.New("the link is used, replaced or expired")
	ErrLoginFailed    = errors.New("wrong e-mail or password")
	ErrNoSession      = errors.New("no portal session")
	ErrNotActivated   = errors.New("the portal user has not activated the access")
	ErrConfirmEmail   = errors.New("changing an active user's e-mail needs confirmation")
	ErrPortalDisabled = errors.New("the practice offers no portal rights")
)

// ValidationError lists wrong fields with message codes.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("invalid portal input in %d field(s)", len(e.Fields))
}

// ThrottledError means too many failed logins: wait RetryAfter.
type ThrottledError struct {
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many attempts; try again in %s", e.RetryAfter.Round(time.Second))
}
