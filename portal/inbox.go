package portal

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"resepsjon/outbox"
	"resepsjon/register"
)

// InquiryKind is which right a patient's message uses.
type InquiryKind string

// Kinds of message a patient sends, one per right.
const (
	KindConsultation InquiryKind = "consultation" // E-konsultasjon: a written question
	KindBooking      InquiryKind = "booking"      // E-timebestilling: a request for an appointment
	KindRenewal      InquiryKind = "renewal"      // E-reseptfornyelse: renew a named medicine
)

// InquiryStatus is where a message stands in the «Innboks».
type InquiryStatus string

// Inbox statuses.
const (
	InquiryNew        InquiryStatus = "new"         // «Ny»
	InquiryInProgress InquiryStatus = "in_progress" // «Under behandling»
	InquiryDone       InquiryStatus = "done"        // «Ferdig»
)

// InquiryStatuses lists the inbox statuses, for filters.
var InquiryStatuses = []InquiryStatus{InquiryNew, InquiryInProgress, InquiryDone}

// InquiryInput is what the patient writes.
type InquiryInput struct {
	Text      string // the question (consultation), the reason (booking) or a note (renewal)
	Preferred string // booking: preferred days and times
	Medicine  string // renewal: the medicine's name (and strength)
}

// Inquiry is one message from a patient and the practice's answer.
type Inquiry struct {
	ID       int64
	UserID   int64 // 0 when the portal user was deleted since
	ClientID int64
	Kind     InquiryKind
	InquiryInput
	Status                 InquiryStatus
	Answer                 string
	AnsweredAt             *time.Time
	AnsweredBy             string
	AnsweredElectronically bool // the answer is in the patient's history
	CreatedAt              time.Time
	UpdatedAt              time.Time
	Version                int64
}

// InboxItem is a message as the «Innboks» shows it: with the client's
// name and whether the patient wants electronic answers now.
type InboxItem struct {
	Inquiry
	ClientName           string
	WantsElectronicReply bool
}

// InboxFilter selects messages.
type InboxFilter struct {
	Status   InquiryStatus // empty: all
	ClientID int64         // 0: all clients
}

// Inquiry limits.
const (
	maxInquiryText   = 4000 // a few paragraphs
	maxInquiryLine   = 300
	maxInquiryAnswer = 8000
)

// Inbox errors callers decide on.
var (
	ErrNoRight   = errors.New("the patient does not have the right this needs")
	ErrNoInquiry = errors.New("no such message in the inbox")
)

// allowed reports whether rights give kind.
func (r Rights) allowed(kind InquiryKind) bool {
	switch kind {
	case KindConsultation:
		return r.Consultation
	case KindBooking:
		return r.Booking
	case KindRenewal:
		return r.Renewal
	}
	return false
}

func kindText(k InquiryKind) string {
	return map[InquiryKind]string{KindConsultation: "E-konsultasjon", KindBooking: "E-timebestilling", KindRenewal: "E-reseptfornyelse"}[k]
}

func checkText(f map[string]string, field, s string, limit int, required bool) {
	switch {
	case s == "" && required:
		f[field] = register.CodeRequired
	case utf8.RuneCountInString(s) > limit:
		f[field] = register.CodeTooLong
	case !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }):
		f[field] = register.CodeControlChars
	}
}

// SendInquiry takes a message from the patient through one of the rights:
// refused with ErrNoRight unless the patient has that right now (whatever
// the page showed). The message lands in the «Innboks» as new.
func (s *Service) SendInquiry(ctx context.Context, u User, kind InquiryKind, in InquiryInput) (Inquiry, error) {
	// The user as stored now: a right removed a moment ago counts.
	cur, err := s.cfg.Store.UserByID(ctx, u.ID)
	if err != nil {
		return Inquiry{}, fmt.Errorf("send message: %w", err)
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return Inquiry{}, err
	}
	if !cur.Rights.Within(st.Offered).allowed(kind) {
		return Inquiry{}, ErrNoRight
	}
	in.Text = strings.TrimSpace(strings.ReplaceAll(in.Text, "\r\n", "\n"))
	in.Preferred = strings.TrimSpace(in.Preferred)
	in.Medicine = strings.TrimSpace(in.Medicine)
	f := map[string]string{}
	switch kind {
	case KindConsultation:
		checkText(f, "text", in.Text, maxInquiryText, true)
		in.Preferred, in.Medicine = "", ""
	case KindBooking:
		checkText(f, "text", in.Text, maxInquiryText, true)
		checkText(f, "preferred", in.Preferred, maxInquiryLine, false)
		in.Medicine = ""
	case KindRenewal:
		checkText(f, "medicine", in.Medicine, maxInquiryLine, true)
		checkText(f, "text", in.Text, maxInquiryText, false)
		in.Preferred = ""
	}
	if len(f) > 0 {
		return Inquiry{}, &ValidationError{Fields: f}
	}
	now := s.cfg.Now().UTC()
	q := Inquiry{UserID: cur.ID, ClientID: cur.ClientID, Kind: kind, InquiryInput: in, Status: InquiryNew, CreatedAt: now, UpdatedAt: now}
	q, err = s.cfg.Store.PutInquiry(ctx, q, s.audit(ActorPatient, ActionInquiry, cur.ClientID, kindText(kind)+" sendt fra pasientportalen"))
	if err != nil {
		return Inquiry{}, fmt.Errorf("send message: %w", err)
	}
	return q, nil
}

// History is the patient's own messages, newest first; an answer shows
// only when it was given electronically.
func (s *Service) History(ctx context.Context, u User) ([]Inquiry, error) {
	items, err := s.cfg.Store.Inquiries(ctx, InboxFilter{ClientID: u.ClientID})
	if err != nil {
		return nil, fmt.Errorf("patient history: %w", err)
	}
	out := make([]Inquiry, 0, len(items))
	for _, it := range items {
		q := it.Inquiry
		if !q.AnsweredElectronically {
			q.Answer, q.AnsweredBy = "", ""
		}
		out = append(out, q)
	}
	return out, nil
}

// Inbox lists patients' messages for the «Innboks», newest first.
func (s *Service) Inbox(ctx context.Context, f InboxFilter) ([]InboxItem, error) {
	items, err := s.cfg.Store.Inquiries(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	return items, nil
}

// InboxItem is one message of the «Innboks».
func (s *Service) InboxItem(ctx context.Context, id int64) (InboxItem, error) {
	it, err := s.cfg.Store.InquiryByID(ctx, id)
	if err != nil {
		return InboxItem{}, fmt.Errorf("inbox message %d: %w", id, err)
	}
	return it, nil
}

// SetInquiryStatus moves a message between new, in progress and done.
func (s *Service) SetInquiryStatus(ctx context.Context, actor string, id int64, status InquiryStatus, version int64) (InboxItem, error) {
	switch status {
	case InquiryNew, InquiryInProgress, InquiryDone:
	default:
		return InboxItem{}, &ValidationError{Fields: map[string]string{"status": register.CodeInvalid}}
	}
	it, err := s.InboxItem(ctx, id)
	if err != nil {
		return InboxItem{}, err
	}
	q := it.Inquiry
	if version != 0 && version != q.Version {
		return InboxItem{}, &register.ConflictError{Current: q.Version}
	}
	if q.Status == status {
		return it, nil
	}
	q.Status, q.UpdatedAt = status, s.cfg.Now().UTC()
	if _, err := s.cfg.Store.Apply(ctx, Change{Inquiry: &q, Audit: s.audit(actor, ActionInquiryStatus, q.ClientID,
		fmt.Sprintf("%s %d: status %s", kindText(q.Kind), q.ID, status))}); err != nil {
		return InboxItem{}, fmt.Errorf("inbox status: %w", err)
	}
	return s.InboxItem(ctx, id)
}

// AnswerInquiry records the practice's answer and marks the message done.
// When the patient wants electronic answers («Ønsker svar elektronisk»),
// the answer appears in the patient's history and a mail says that there
// is a new answer (never its content); otherwise the answer is kept as the
// reception's note of what was said by phone or letter, and nothing is
// sent.
func (s *Service) AnswerInquiry(ctx context.Context, actor string, id int64, answer string, version int64) (InboxItem, error) {
	answer = strings.TrimSpace(strings.ReplaceAll(answer, "\r\n", "\n"))
	f := map[string]string{}
	checkText(f, "answer", answer, maxInquiryAnswer, true)
	if len(f) > 0 {
		return InboxItem{}, &ValidationError{Fields: f}
	}
	it, err := s.InboxItem(ctx, id)
	if err != nil {
		return InboxItem{}, err
	}
	q := it.Inquiry
	if version != 0 && version != q.Version {
		return InboxItem{}, &register.ConflictError{Current: q.Version}
	}
	now := s.cfg.Now().UTC()
	electronic := false
	var user User
	if q.UserID != 0 {
		if user, err = s.cfg.Store.UserByID(ctx, q.UserID); err == nil {
			electronic = user.WantsElectronicReply && user.ActivatedAt != nil
		} else if !errors.Is(err, ErrNoUser) {
			return InboxItem{}, err
		}
	}
	q.Answer, q.AnsweredAt, q.AnsweredBy, q.AnsweredElectronically = answer, &now, actor, electronic
	q.Status, q.UpdatedAt = InquiryDone, now
	ch := Change{Inquiry: &q}
	detail := fmt.Sprintf("%s %d besvart", kindText(q.Kind), q.ID)
	if electronic {
		st, err := s.Settings(ctx)
		if err != nil {
			return InboxItem{}, err
		}
		base := st.PublicURL
		if base == "" {
			base = strings.TrimRight(s.cfg.PatientURL, "/")
		}
		if base == "" {
			return InboxItem{}, ErrNoPublicURL
		}
		msg, err := composeMail(MailNewAnswer, user.Language, user.Email, st.PracticeName, base+"/historikk", time.Time{}, now, s.cfg.Location, "")
		if err != nil {
			return InboxItem{}, err
		}
		msg.UserID, msg.MessageID, msg.CreatedAt = user.ID, messageID(st), now
		ch.Messages = []outbox.Message{msg}
		detail += " elektronisk; varsel sendt til " + user.Email
	} else {
		detail += " per telefon eller brev (notat)"
	}
	ch.Audit = s.audit(actor, ActionInquiryAnswer, q.ClientID, detail)
	if _, err := s.cfg.Store.Apply(ctx, ch); err != nil {
		return InboxItem{}, fmt.Errorf("answer message: %w", err)
	}
	s.cfg.Wake()
	return s.InboxItem(ctx, id)
}
