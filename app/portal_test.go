package app_test

import (
	"context"
	"crypto/tls"
	"mime"
	"mime/multipart"
	"net/http"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"resepsjon/app"
	"resepsjon/outbox"
	"resepsjon/outbox/smtptest"
	"resepsjon/portal"
	"resepsjon/register"
	"resepsjon/store"
)

// portalHarness is the staff API with the portal wired to a real SMTP
// server in-process and a running outbox sender.
type portalHarness struct {
	*testApp
	smtp   *smtptest.Server
	svc    *portal.Service
	sender *outbox.Sender
	// recorded gets the outcome of each delivery attempt once the sender
	// has stored it (what the panel then shows).
	recorded chan string
}

// recordingStore is the outbox's store that tells the test each time the
// sender has recorded an attempt: "sent" or the failure's reason.
type recordingStore struct {
	outbox.Store
	recorded chan<- string
}

func (s recordingStore) MarkSent(ctx context.Context, id int64, at time.Time) error {
	err := s.Store.MarkSent(ctx, id, at)
	s.recorded <- "sent"
	return err
}

func (s recordingStore) MarkAttemptFailed(ctx context.Context, id int64, reason string, next time.Time) error {
	err := s.Store.MarkAttemptFailed(ctx, id, reason, next)
	s.recorded <- reason
	return err
}

// waitRecorded waits for the sender to store its next attempt and returns
// the outcome.
func (h *portalHarness) waitRecorded(t *testing.T) string {
	t.Helper()
	select {
	case outcome := <-h.recorded:
		return outcome
	case <-time.After(45 * time.Second):
		t.Fatal("the outbox sender recorded no delivery attempt within 45 s")
		return ""
	}
}

func newPortalHarness(t *testing.T) *portalHarness {
	t.Helper()
	srv, err := smtptest.Start(smtptest.Options{User: "resepsjon", Password: "hemmelig"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	// Room for every attempt a test makes; a test reads only those it waits for.
	h := &portalHarness{smtp: srv, recorded: make(chan string, 100)}
	argon := portal.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	h.testApp = newTestAppWith(t, func(cfg *testConfig) {
		cfg.OSUser = "resepsjonist"
		cfg.PortalWire = func(db *store.DB) app.PortalConfig {
			transport := outbox.NewSMTP(outbox.SMTPConfig{Host: "127.0.0.1", Port: srv.Port(), User: "resepsjon",
				Password:  func(context.Context) (string, error) { return "hemmelig", nil },
				From:      func(context.Context) (string, string, error) { return "Fysio Nord", "post@fysio.example.no", nil },
				TLSConfig: &tls.Config{RootCAs: srv.RootCAs, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12},
				Timeout:   30 * time.Second})
			// A failed attempt is retried only after an hour, so one
			// attempt must not time out on a busy CI machine: the STARTTLS
			// handshake gets 30 s, and waitMail waits longer than that.
			h.sender = outbox.NewSender(outbox.SenderConfig{Store: recordingStore{Store: db, recorded: h.recorded},
				Transport: transport, FirstRetry: time.Hour})
			svc, err := portal.New(portal.Config{Store: db, Clients: db, Settings: db, Argon2: &argon,
				PatientURL: "http://127.0.0.1:8730", Wake: h.sender.Wake})
			if err != nil {
				t.Fatal(err)
			}
			h.svc = svc
			return app.PortalConfig{Service: svc, PatientURL: "http://127.0.0.1:8730"}
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.sender.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return h
}

func (h *portalHarness) panel(t *testing.T, id int64) app.PortalPanel {
	t.Helper()
	r := h.do(http.MethodGet, "/api/clients/"+itoa(id)+"/portal", nil)
	if r.status != http.StatusOK {
		t.Fatalf("panel: %d %s", r.status, r.body)
	}
	var p app.PortalPanel
	r.decode(t, &p)
	return p
}

// waitMail waits until the server holds n messages and returns the n-th.
func (h *portalHarness) waitMail(t *testing.T, n int) mailView {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	msgs, err := h.smtp.WaitFor(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	return parseMail(t, msgs[n-1])
}

type mailView struct {
	to, subject, text, html string
}

// parseMail reads the multipart/alternative message the sender wrote.
func parseMail(t *testing.T, r smtptest.Received) mailView {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(string(r.Data)))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	subject, _ := dec.DecodeHeader(m.Header.Get("Subject"))
	v := mailView{to: r.To[0], subject: subject}
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		body := new(strings.Builder)
		buf := make([]byte, 4096)
		for {
			n, err := p.Read(buf)
			body.Write(buf[:n])
			if err != nil {
				break
			}
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			v.html = body.String()
		} else {
			v.text = body.String()
		}
	}
	return v
}

var linkRE = regexp.MustCompile(`http://127\.0\.0\.1:8730/(aktiver|nytt-passord)\?t=([A-Za-z0-9_-]+)`)

func linkToken(t *testing.T, m mailView) string {
	t.Helper()
	sm := linkRE.FindStringSubmatch(m.text)
	if sm == nil {
		t.Fatalf("no link in %q", m.text)
	}
	return sm[2]
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func (h *portalHarness) newClient(t *testing.T, given, family, nin string) register.Client {
	t.Helper()
	c, err := h.db.CreateClient(context.Background(), register.Client{GivenName: given, FamilyName: family, NIN: nin,
		NINType: register.NINTypeSynthetic, Email: strings.ToLower(given) + "@example.no"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPortalPanelThroughTheAPI(t *testing.T) {
	t.Parallel()
	h := newPortalHarness(t)
	nin := synthetic(t, "1985-03-14", 123)
	c := h.newClient(t, "Kari", "Nordmann", nin)
	p := h.panel(t, c.ID)
	if p.Account != nil || p.ClientEmail != "kari@example.no" || !p.OfferedRights.Consultation {
		t.Fatalf("panel before: %+v", p)
	}
	// «Opprett»
	r := h.do(http.MethodPost, "/api/clients/"+itoa(c.ID)+"/portal", map[string]any{"email": "kari@example.no",
		"rights": map[string]bool{"consultation": true, "booking": true}, "wantsElectronicReply": true})
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	m := h.waitMail(t, 1)
	if m.to != "kari@example.no" || !strings.Contains(m.subject, "Aktiver") || m.html == "" {
		t.Fatalf("activation mail: %+v", m)
	}
	for _, body := range []string{m.text, m.html} {
		if strings.Contains(body, nin) || strings.Contains(body, nin[:6]+" "+nin[6:]) {
			t.Fatal("an identity number in mail")
		}
	}
	tok := linkToken(t, m)
	p = h.panel(t, c.ID)
	if p.Account == nil || p.Account.Status != portal.StatusPending || p.Account.Mail == nil {
		t.Fatalf("panel after create: %+v", p.Account)
	}
	// The sender marks the mail sent right after the server accepted it.
	if got := h.waitRecorded(t); got != "sent" {
		t.Fatalf("activation mail: %s", got)
	}
	if p = h.panel(t, c.ID); p.Account.Mail.State != outbox.StateSent || p.Account.Mail.SentAt == nil {
		t.Fatalf("mail not marked sent: %+v", p.Account.Mail)
	}

	// «Send på nytt» voids the old link.
	if r := h.do(http.MethodPost, "/api/clients/"+itoa(c.ID)+"/portal/resend", nil); r.status != http.StatusOK {
		t.Fatalf("resend: %d %s", r.status, r.body)
	}
	tok2 := linkToken(t, h.waitMail(t, 2))
	if _, _, err := h.svc.UseLink(context.Background(), tok, portal.PurposeActivate, "gamle lenken virker"); err == nil {
		t.Fatal("the old link still works after «Send på nytt»")
	}
	if _, _, err := h.svc.UseLink(context.Background(), tok2, portal.PurposeActivate, "kari sitt lange passord"); err != nil {
		t.Fatalf("activate: %v", err)
	}
	if p = h.panel(t, c.ID); p.Account.Status != portal.StatusActive {
		t.Fatalf("status after activation: %s", p.Account.Status)
	}

	// «Ny kode»
	if r := h.do(http.MethodPost, "/api/clients/"+itoa(c.ID)+"/portal/reset", nil); r.status != http.StatusOK {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	rm := h.waitMail(t, 3)
	if !strings.Contains(rm.text, "/nytt-passord?t=") {
		t.Fatalf("reset mail: %q", rm.text)
	}

	// Remove every right: the status says so.
	p = h.panel(t, c.ID)
	r = h.do(http.MethodPut, "/api/clients/"+itoa(c.ID)+"/portal", map[string]any{"email": "kari@example.no",
		"rights": map[string]bool{}, "version": p.Account.Version})
	if r.status != http.StatusOK {
		t.Fatalf("remove rights: %d %s", r.status, r.body)
	}
	r.decode(t, &p)
	if p.Account.Status != portal.StatusNoRights {
		t.Fatalf("status without rights: %s", p.Account.Status)
	}

	// E-mail change: confirmation, then a notice to the old address.
	change := map[string]any{"email": "kari.n@example.no", "rights": map[string]bool{"booking": true}, "version": p.Account.Version}
	r = h.do(http.MethodPut, "/api/clients/"+itoa(c.ID)+"/portal", change)
	if r.status != http.StatusConflict || r.apiError(t).Code != "portal_confirm_email" {
		t.Fatalf("unconfirmed change: %d %s", r.status, r.body)
	}
	change["confirmEmailChange"] = true
	if r = h.do(http.MethodPut, "/api/clients/"+itoa(c.ID)+"/portal", change); r.status != http.StatusOK {
		t.Fatalf("confirmed change: %d %s", r.status, r.body)
	}
	notice := h.waitMail(t, 4)
	if notice.to != "kari@example.no" || !strings.Contains(notice.subject, "endret") || strings.Contains(notice.text, "http") {
		t.Fatalf("notice: %+v", notice)
	}

	// «Slett»: the client stays; the patient can be created again.
	if r = h.do(http.MethodDelete, "/api/clients/"+itoa(c.ID)+"/portal", nil); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if r = h.do(http.MethodGet, "/api/clients/"+itoa(c.ID), nil); r.status != http.StatusOK {
		t.Fatal("the client must stay")
	}
	if p = h.panel(t, c.ID); p.Account != nil {
		t.Fatal("account after delete")
	}
	if r = h.do(http.MethodPost, "/api/clients/"+itoa(c.ID)+"/portal", map[string]any{"email": "kari.n@example.no"}); r.status != http.StatusCreated {
		t.Fatalf("create again: %d %s", r.status, r.body)
	}
	h.waitMail(t, 5)

	// Every action is in the audit log.
	r = h.do(http.MethodGet, "/api/audit", nil)
	for _, action := range []string{portal.ActionCreate, portal.ActionResend, portal.ActionActivated, portal.ActionReset,
		portal.ActionUpdate, portal.ActionDelete} {
		if !strings.Contains(string(r.body), `"`+action+`"`) {
			t.Errorf("audit lacks %s", action)
		}
	}
	if n := len(h.smtp.Messages()); n != 5 {
		t.Errorf("%d mails, want exactly 5", n)
	}
}

func TestPortalMailNotSentThenRetried(t *testing.T) {
	t.Parallel()
	h := newPortalHarness(t)
	c := h.newClient(t, "Ola", "Hansen", "")
	h.smtp.Stop()
	r := h.do(http.MethodPost, "/api/clients/"+itoa(c.ID)+"/portal", map[string]any{"email": "ola@example.no"})
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	if got := h.waitRecorded(t); got != outbox.ReasonUnreachable {
		t.Fatalf("attempt with the server down: %s", got)
	}
	p := h.panel(t, c.ID)
	if p.Account.Status != portal.StatusMailFailed || p.Account.Mail.Error != outbox.ReasonUnreachable ||
		!strings.Contains(p.Account.Mail.ErrorText, "svarer ikke") {
		t.Fatalf("panel with the server down: %+v %+v", p.Account, p.Account.Mail)
	}
	list := h.do(http.MethodGet, "/api/portal/users?status=mail_failed", nil)
	if !strings.Contains(string(list.body), `"ola@example.no"`) {
		t.Fatalf("Pasientportal page: %s", list.body)
	}
	// Server back, «Prøv igjen»: delivered once.
	if err := h.smtp.Restart(); err != nil {
		t.Fatal(err)
	}
	if r := h.do(http.MethodPost, "/api/clients/"+itoa(c.ID)+"/portal/retry", nil); r.status != http.StatusOK {
		t.Fatalf("retry: %d %s", r.status, r.body)
	}
	h.waitMail(t, 1)
	if got := h.waitRecorded(t); got != "sent" {
		t.Fatalf("attempt after «Prøv igjen»: %s", got)
	}
	if p = h.panel(t, c.ID); p.Account.Status != portal.StatusPending {
		t.Fatalf("after delivery: %s", p.Account.Status)
	}
	// A round of delivery now finds nothing left to send.
	if sent, err := h.sender.DeliverDue(context.Background()); err != nil || sent != 0 {
		t.Fatalf("a further round sent %d (%v), want none", sent, err)
	}
	if n := len(h.smtp.Messages()); n != 1 {
		t.Fatalf("delivered %d times, want once", n)
	}
}

func TestPortalAPIErrors(t *testing.T) {
	t.Parallel()
	h := newPortalHarness(t)
	c := h.newClient(t, "Per", "Olsen", "")
	base := "/api/clients/" + itoa(c.ID) + "/portal"
	tests := []struct {
		name, method, path string
		body               any
		status             int
		code               string
	}{
		{"bad e-mail", http.MethodPost, base, map[string]any{"email": "ikke gyldig"}, 400, "invalid_input"},
		{"unknown field", http.MethodPost, base, map[string]any{"epost": "x@example.no"}, 400, "invalid_json"},
		{"unknown client", http.MethodPost, "/api/clients/9999/portal", map[string]any{"email": "x@example.no"}, 404, "not_found"},
		{"no portal user", http.MethodPost, base + "/resend", nil, 404, "portal_no_user"},
		{"reset before activation", http.MethodPost, base + "/reset", nil, 404, "portal_no_user"},
		{"bad status filter", http.MethodGet, "/api/portal/users?status=x", nil, 400, "invalid_input"},
		{"bad settings", http.MethodPut, "/api/portal/settings", map[string]any{"activationHours": 0, "resetMinutes": 60}, 400, "invalid_input"},
		{"demo outbox outside the demo", http.MethodGet, "/api/portal/outbox", nil, 404, "route_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.do(tt.method, tt.path, tt.body)
			if r.status != tt.status || r.apiError(t).Code != tt.code || r.apiError(t).Message == "" {
				t.Fatalf("%d %s, want %d %s", r.status, r.body, tt.status, tt.code)
			}
		})
	}
	if r := h.do(http.MethodPost, base, map[string]any{"email": "per@example.no"}); r.status != http.StatusCreated {
		t.Fatal(r.status)
	}
	if r := h.do(http.MethodPost, base+"/reset", nil); r.status != http.StatusConflict || r.apiError(t).Code != "portal_not_activated" {
		t.Fatalf("reset before activation: %d %s", r.status, r.body)
	}
	c2 := h.newClient(t, "Pål", "Olsen", "")
	r := h.do(http.MethodPost, "/api/clients/"+itoa(c2.ID)+"/portal", map[string]any{"email": "PER@example.no"}, func(r *http.Request) {
		r.Header.Set("Accept-Language", "en")
	})
	if r.status != http.StatusConflict || r.apiError(t).Code != "portal_email_taken" || !strings.Contains(r.apiError(t).Message, "Another client") {
		t.Fatalf("taken address: %d %s", r.status, r.body)
	}
	if r := h.do(http.MethodGet, base, nil, noAuth); r.status != http.StatusUnauthorized {
		t.Fatalf("without a session: %d", r.status)
	}
}
