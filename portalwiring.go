package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	keyring "github.com/zalando/go-keyring"

	"resepsjon/app"
	"resepsjon/config"
	"resepsjon/idporten"
	"resepsjon/outbox"
	"resepsjon/patientweb"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/portal"
	"resepsjon/register"
	"resepsjon/store"
)

// portalParts are the patient portal's running pieces: the use cases, the
// outbox sender, and the patient listener when it is on.
type portalParts struct {
	service *portal.Service
	sender  *outbox.Sender
	staff   app.PortalConfig
	patient *patientweb.Server
	// patientLn is the patient listener's socket; nil when the portal's
	// listener is off.
	patientLn   net.Listener
	patientURL  string
	patientPort int
	// idporten is the patients' login with ID-porten.
	idporten *idporten.Service

	stop    context.CancelFunc
	done    chan struct{}
	running int
}

// mailKeyringAccount is the keyring account of the SMTP password.
func mailKeyringAccount(m config.Mail) string { return "smtp:" + m.User + "@" + m.Host }

// keyringSecret reads a secret from the OS keyring (service "resepsjon"),
// bounded by ctx: a hanging D-Bus must not hold up delivery.
func keyringSecret(ctx context.Context, account string) (string, error) {
	type result struct {
		v   string
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := keyring.Get("resepsjon", account)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		if errors.Is(r.err, keyring.ErrNotFound) {
			return "", fmt.Errorf("no SMTP password in the OS keyring (resepsjon mail-password)")
		}
		return r.v, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// setupPortal builds the portal: in the demo, mail goes to the in-memory
// outbox viewer and the patient listener is on (loopback); otherwise mail
// goes over SMTP and the listener follows portal.enabled.
//
// persons fetches persons from Persontjenesten when an approved access
// request creates a client (nil: from the request's data).
func setupPortal(cfg config.Config, db *store.DB, demo bool, persons portal.PersonSource, keys helseid.KeyStore, log *slog.Logger) (*portalParts, error) {
	p := &portalParts{}
	pc := cfg.Portal
	if demo {
		// The demo's patient side runs on loopback, next to the staff app.
		pc.Enabled, pc.Listen = true, "127.0.0.1"
		if pc.Port == config.DefaultPortalPort {
			pc.Port = config.DefaultDemoPortalPort
		}
	}
	if pc.Enabled {
		ln, err := listen(pc.Listen, pc.Port)
		if err != nil {
			return nil, fmt.Errorf("patient portal: %w", err)
		}
		p.patientLn = ln
		host := pc.Listen
		if ip := net.ParseIP(host); ip != nil && ip.To4() == nil {
			host = "[" + host + "]"
		}
		p.patientPort = ln.Addr().(*net.TCPAddr).Port
		p.patientURL = "http://" + host + ":" + strconv.Itoa(p.patientPort)
	}
	var transport outbox.Transport
	var mailbox *outbox.Mailbox
	if demo {
		mailbox = outbox.NewMailbox(200)
		transport = mailbox
	} else {
		m := cfg.Mail
		transport = outbox.NewSMTP(outbox.SMTPConfig{Host: m.Host, Port: m.Port, Security: m.Security, User: m.User,
			Password: func(ctx context.Context) (string, error) {
				ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				defer cancel()
				return keyringSecret(ctx, mailKeyringAccount(m))
			},
			From: func(ctx context.Context) (string, string, error) {
				st, err := p.service.Settings(ctx)
				if err != nil {
					return "", "", err
				}
				name := st.SenderName
				if name == "" {
					name = st.PracticeName
				}
				return name, st.SenderAddress, nil
			}})
	}
	p.sender = outbox.NewSender(outbox.SenderConfig{Store: db, Transport: transport, Logger: log})
	idp, err := newIDPorten(db, keys, p, log)
	if err != nil {
		p.close()
		return nil, err
	}
	p.idporten = idp
	svc, err := portal.New(portal.Config{Store: db, Clients: db, Settings: db, PatientURL: p.patientURL,
		Location: time.Local, Wake: p.sender.Wake, Logger: log, Persons: persons, Identity: idp})
	if err != nil {
		p.close()
		return nil, err
	}
	p.service = svc
	p.staff = app.PortalConfig{Service: svc, PatientURL: p.patientURL, MailHost: cfg.Mail.Host, Mailbox: mailbox, IDPorten: idp,
		Queue: db}
	if p.patientLn != nil {
		if p.patient, err = patientweb.New(patientweb.Config{Service: svc, Logger: log, Port: p.patientPort,
			IDPorten: idp}); err != nil {
			p.close()
			return nil, err
		}
	}
	return p, nil
}

// run delivers mail and serves the patient side until ctx ends or close.
func (p *portalParts) run(ctx context.Context, log *slog.Logger) {
	ctx, p.stop = context.WithCancel(ctx)
	p.done = make(chan struct{}, 2)
	p.running = 1
	go func() { p.sender.Run(ctx); p.done <- struct{}{} }()
	if p.patient != nil {
		p.running++
		log.Info("patient portal serving", "url", p.patientURL)
		go func() {
			if err := p.patient.Serve(ctx, p.patientLn); err != nil {
				log.Error("patient portal stopped", "err", err)
			}
			p.done <- struct{}{}
		}()
	}
}

// close stops the sender and the patient side and waits for them, so that
// nothing uses the database after it is closed.
func (p *portalParts) close() {
	if p.stop != nil {
		p.stop()
		for range p.running {
			<-p.done
		}
		p.stop = nil
	}
	if p.patientLn != nil {
		p.patientLn.Close()
	}
}

// demoPortalPassword is the password of the demo's active portal users,
// printed at start so that a newcomer can log in on the patient side.
const demoPortalPassword = "demo passord 2026"

// seedDemoPortal gives the first demo clients portal users in each status
// (awaiting activation, active, no rights, e-mail not sent), once.
func seedDemoPortal(ctx context.Context, db *store.DB, svc *portal.Service) error {
	if accs, err := svc.Accounts(ctx, portal.Filter{}); err != nil || len(accs) > 0 {
		return err
	}
	st := portal.DefaultSettings()
	st.PracticeName, st.SenderName, st.SenderAddress = "Demo legekontor", "Demo legekontor", "post@demo-legekontor.example"
	if _, err := svc.SaveSettings(ctx, "demo", st); err != nil {
		return err
	}
	page, err := db.SearchClients(ctx, register.Query{Limit: 4})
	if err != nil || len(page.Results) < 4 {
		return err
	}
	all := portal.Rights{Consultation: true, Booking: true, Renewal: true}
	steps := []struct {
		email    string
		rights   portal.Rights
		activate bool
		fail     bool
	}{
		{"venter@demo-pasient.example", portal.Rights{Consultation: true, Booking: true}, false, false},
		{"aktiv@demo-pasient.example", all, true, false},
		{"ingen-rettigheter@demo-pasient.example", portal.Rights{}, true, false},
		{"ikke-sendt@demo-pasient.example", portal.Rights{Renewal: true}, false, true},
	}
	for i, s := range steps {
		c := page.Results[i]
		if _, err := svc.Create(ctx, "demo", c.ID, portal.Input{Email: s.email, Rights: s.rights, WantsElectronicReply: i%2 == 1}); err != nil {
			return fmt.Errorf("demo portal user %d: %w", i, err)
		}
		msgs, err := db.Messages(ctx, 1)
		if err != nil || len(msgs) == 0 {
			return fmt.Errorf("demo portal user %d: no activation mail: %w", i, err)
		}
		switch {
		case s.activate:
			tok := demoLinkToken(msgs[0].Text)
			if _, _, err := svc.UseLink(ctx, tok, portal.PurposeActivate, demoPortalPassword); err != nil {
				return fmt.Errorf("demo portal user %d: activate: %w", i, err)
			}
			if err := db.MarkSent(ctx, msgs[0].ID, time.Now()); err != nil {
				return err
			}
		case s.fail:
			if err := db.MarkAttemptFailed(ctx, msgs[0].ID, outbox.ReasonRecipient, time.Time{}); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoLinkToken is the token of the link in a mail's text.
func demoLinkToken(text string) string {
	_, after, ok := strings.Cut(text, "?t=")
	if !ok {
		return ""
	}
	if end := strings.IndexFunc(after, func(r rune) bool { return r == '\n' || r == ' ' || r == '\r' }); end >= 0 {
		after = after[:end]
	}
	return after
}
