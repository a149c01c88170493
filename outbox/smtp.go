package outbox

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"
)

// Security is how the connection to the mail server is protected.
const (
	SecurityStartTLS = "starttls" // plain connect, then STARTTLS (required); usually port 587
	SecurityTLS      = "tls"      // TLS from the first byte; usually port 465
	SecurityNone     = "none"     // no encryption: only for a relay on this machine
)

// SMTPConfig is where and how mail leaves. The password is not here: it is
// read from the OS keyring (Password) at each delivery.
type SMTPConfig struct {
	Host     string
	Port     int
	Security string // SecurityStartTLS (default), SecurityTLS or SecurityNone
	User     string // empty: no authentication
	// Password returns the SMTP password (the OS keyring); nil or "" with
	// a User is an authentication failure reported as ReasonAuth.
	Password func(ctx context.Context) (string, error)
	// FromName and FromAddress are the sender; From returns them at send
	// time so that a change in the practice's settings applies at once.
	From    func(ctx context.Context) (name, address string, err error)
	Timeout time.Duration // one connection (default 30 s)
	// TLSConfig overrides the TLS settings (tests pass their own roots).
	TLSConfig *tls.Config
	HELO      string
}

// SMTP delivers messages with github.com/wneessen/go-mail, one connection
// per message.
type SMTP struct {
	cfg SMTPConfig
}

// NewSMTP builds the transport; it connects only when sending.
func NewSMTP(cfg SMTPConfig) *SMTP {
	if cfg.Security == "" {
		cfg.Security = SecurityStartTLS
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &SMTP{cfg: cfg}
}

// Send hands m to the server. It returns nil only when the server accepted
// the message (the reply to the end of DATA).
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if s.cfg.Host == "" {
		return &SendError{Reason: ReasonNotConfigure, Err: errors.New("no SMTP host configured")}
	}
	opts := []mail.Option{mail.WithPort(s.cfg.Port), mail.WithTimeout(s.cfg.Timeout)}
	if s.cfg.HELO != "" {
		opts = append(opts, mail.WithHELO(s.cfg.HELO))
	}
	tlsCfg := s.cfg.TLSConfig
	if tlsCfg == nil {
		tlsCfg = &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}
	}
	switch s.cfg.Security {
	case SecurityTLS:
		opts = append(opts, mail.WithSSL(), mail.WithTLSConfig(tlsCfg))
	case SecurityNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory), mail.WithTLSConfig(tlsCfg))
	}
	if s.cfg.User != "" {
		var pw string
		if s.cfg.Password != nil {
			var err error
			if pw, err = s.cfg.Password(ctx); err != nil {
				return &SendError{Reason: ReasonAuth, Permanent: false, Err: fmt.Errorf("read SMTP password: %w", err)}
			}
		}
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(s.cfg.User), mail.WithPassword(pw))
	}
	client, err := mail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return &SendError{Reason: ReasonNotConfigure, Permanent: true, Err: err}
	}
	msg, err := s.compose(ctx, m)
	if err != nil {
		return err
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return classify(err)
	}
	return nil
}

func (s *SMTP) compose(ctx context.Context, m Message) (*mail.Msg, error) {
	msg := mail.NewMsg()
	name, addr := "", ""
	if s.cfg.From != nil {
		var err error
		if name, addr, err = s.cfg.From(ctx); err != nil {
			return nil, &SendError{Reason: ReasonNotConfigure, Err: fmt.Errorf("sender address: %w", err)}
		}
	}
	if addr == "" {
		return nil, &SendError{Reason: ReasonNotConfigure, Err: errors.New("no sender address set")}
	}
	if err := msg.FromFormat(name, addr); err != nil {
		return nil, &SendError{Reason: ReasonNotConfigure, Err: fmt.Errorf("sender address: %w", err)}
	}
	if err := msg.To(m.To); err != nil {
		return nil, &SendError{Reason: ReasonRecipient, Permanent: true, Err: fmt.Errorf("recipient address: %w", err)}
	}
	msg.Subject(m.Subject)
	if m.MessageID != "" {
		msg.SetMessageIDWithValue(strings.Trim(m.MessageID, "<>"))
	}
	msg.SetDate()
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// classify turns a go-mail error into a SendError with a reason the
// receptionist can act on.
func classify(err error) error {
	var se *mail.SendError
	if errors.As(err, &se) {
		switch {
		case se.Reason == mail.ErrSMTPRcptTo && !se.IsTemp():
			return &SendError{Reason: ReasonRecipient, Permanent: true, Err: err}
		case se.IsTemp():
			return &SendError{Reason: ReasonTemporary, Err: err}
		case se.Reason == mail.ErrSMTPMailFrom || se.Reason == mail.ErrSMTPData || se.Reason == mail.ErrSMTPDataClose:
			return &SendError{Reason: ReasonRejected, Permanent: true, Err: err}
		}
	}
	if strings.Contains(err.Error(), "SMTP AUTH failed") {
		return &SendError{Reason: ReasonAuth, Err: err}
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		switch {
		case te.Code == 535 || te.Code == 534 || te.Code == 530 || te.Code == 538:
			return &SendError{Reason: ReasonAuth, Err: err}
		case te.Code >= 400 && te.Code < 500:
			return &SendError{Reason: ReasonTemporary, Err: err}
		}
	}
	var (
		ue  x509.UnknownAuthorityError
		he  x509.HostnameError
		ce  x509.CertificateInvalidError
		rhe tls.RecordHeaderError
	)
	if errors.As(err, &ue) || errors.As(err, &he) || errors.As(err, &ce) || errors.As(err, &rhe) ||
		strings.Contains(err.Error(), "STARTTLS") || strings.Contains(err.Error(), "tls:") {
		return &SendError{Reason: ReasonTLS, Err: err}
	}
	if strings.Contains(strings.ToLower(err.Error()), "auth") {
		return &SendError{Reason: ReasonAuth, Err: err}
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) {
		return &SendError{Reason: ReasonUnreachable, Err: err}
	}
	return &SendError{Reason: ReasonUnreachable, Err: err}
}
