// Package outbox delivers the practice's e-mail exactly once. A message is
// written to the outbox in the same transaction as the change that caused it
// (package store); a Sender takes due messages, hands each to a Transport
// (SMTP, or the demo's mailbox), marks it sent only after the transport
// accepted it, and retries failures with a growing pause. Because the outbox
// is in the database, a restart resumes where the last run stopped.
//
// The package knows neither HTTP nor SQL.
package outbox

import (
	"context"
	"errors"
	"time"
)

// Message states.
const (
	StateQueued = "queued" // waiting for its first or next attempt
	StateSent   = "sent"   // the mail server accepted it
	StateFailed = "failed" // refused for good (the address or the server's rules); «Prøv igjen» queues it again
)

// Message is one e-mail in the outbox.
type Message struct {
	ID        int64
	UserID    int64  // the portal user it concerns; 0 when none (or the user was deleted)
	Kind      string // what it is: activation, reset, email_changed, ...
	To        string
	Subject   string
	Text      string // plain text body
	HTML      string // simple HTML body
	MessageID string // the Message-ID header: the same on every attempt, so a receiver can drop a repeat
	CreatedAt time.Time

	State         string
	Attempts      int
	NextAttemptAt time.Time
	SentAt        *time.Time
	// LastError is the code of the last failure (a Reason* constant); empty
	// when there was none.
	LastError string
}

// Failure reasons: codes the UI turns into plain words.
const (
	ReasonUnreachable  = "smtp_unreachable"    // no answer from the mail server
	ReasonAuth         = "smtp_auth"           // the server refused the user name or password
	ReasonTLS          = "smtp_tls"            // no secure connection could be made
	ReasonRecipient    = "smtp_recipient"      // the server refused the recipient address
	ReasonRejected     = "smtp_rejected"       // the server refused the message
	ReasonNotConfigure = "smtp_not_configured" // no mail server is set up
	ReasonTemporary    = "smtp_temporary"      // the server asked to try again later
)

// Store is what the sender needs of the outbox's storage.
type Store interface {
	// DueMessages returns up to limit queued messages whose next attempt is
	// at or before now, oldest first.
	DueMessages(ctx context.Context, now time.Time, limit int) ([]Message, error)
	// MarkSent records that the server accepted message id.
	MarkSent(ctx context.Context, id int64, at time.Time) error
	// MarkAttemptFailed records a failed attempt: the reason, and either the
	// time of the next attempt (state stays queued) or, when next is zero,
	// state failed.
	MarkAttemptFailed(ctx context.Context, id int64, reason string, next time.Time) error
	// NextDue is the earliest next attempt of a queued message; ok is false
	// when none is queued.
	NextDue(ctx context.Context) (at time.Time, ok bool, err error)
}

// Transport hands one message to a mail server.
type Transport interface {
	Send(ctx context.Context, m Message) error
}

// SendError is a failed delivery: Reason is one of the Reason* codes;
// Permanent means retrying the same message cannot help.
type SendError struct {
	Reason    string
	Permanent bool
	Err       error
}

func (e *SendError) Error() string {
	if e.Err == nil {
		return "send mail: " + e.Reason
	}
	return "send mail: " + e.Reason + ": " + e.Err.Error()
}

func (e *SendError) Unwrap() error { return e.Err }

// reasonOf is the failure code of err: a *SendError's reason, else
// ReasonUnreachable.
func reasonOf(err error) (reason string, permanent bool) {
	var se *SendError
	if errors.As(err, &se) {
		return se.Reason, se.Permanent
	}
	return ReasonUnreachable, false
}
