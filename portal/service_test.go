package portal_test

import (
	"context"
	"errors"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"resepsjon/outbox"
	"resepsjon/portal"
	"resepsjon/register"
	"resepsjon/store"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testArgon keeps tests fast; the parameters are read back from the hash.
var testArgon = portal.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

type fixture struct {
	db    *store.DB
	svc   *portal.Service
	clock *clock
	ctx   context.Context
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "portal.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &clock{t: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	a := testArgon
	svc, err := portal.New(portal.Config{Store: db, Clients: db, Settings: db, Now: clk.Now, Argon2: &a,
		PatientURL: "http://127.0.0.1:8730", Location: time.UTC,
		Throttle: portal.NewThrottle(portal.ThrottleConfig{Now: clk.Now})})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, svc: svc, clock: clk, ctx: ctx}
}

func (f *fixture) client(t *testing.T, given, family, nin string) register.Client {
	t.Helper()
	c, err := f.db.CreateClient(f.ctx, register.Client{GivenName: given, FamilyName: family, NIN: nin, NINType: register.NINTypeSynthetic})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// lastMail is the newest outbox message.
func (f *fixture) lastMail(t *testing.T) outbox.Message {
	t.Helper()
	msgs, err := f.db.Messages(f.ctx, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no mail queued (%v)", err)
	}
	return msgs[0]
}

var tokenRE = regexp.MustCompile(`\?t=([A-Za-z0-9_-]+)`)

func tokenOf(t *testing.T, m outbox.Message) string {
	t.Helper()
	sm := tokenRE.FindStringSubmatch(m.Text)
	if sm == nil {
		t.Fatalf("no link in mail %q", m.Text)
	}
	return sm[1]
}

func auditActions(t *testing.T, db *store.DB) []string {
	t.Helper()
	rows, err := db.ListAudit(context.Background(), register.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range rows.Entries {
		out = append(out, e.Action)
	}
	return out
}

func TestCreateActivateLogin(t *testing.T) {
	f := newFixture(t)
	c := f.client(t, "Kari", "Nordmann", "14838512345")
	in := portal.Input{Email: "kari@example.no", Rights: portal.Rights{Consultation: true, Renewal: true}, WantsElectronicReply: true}
	a, err := f.svc.Create(f.ctx, "resepsjonist", c.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != portal.StatusPending || a.LastMail == nil || a.LastMail.Kind != portal.MailActivation {
		t.Fatalf("after create: %+v", a)
	}
	if _, err := f.svc.Create(f.ctx, "resepsjonist", c.ID, in); !errors.Is(err, portal.ErrExists) {
		t.Fatalf("second create: %v, want ErrExists", err)
	}
	m := f.lastMail(t)
	if m.To != "kari@example.no" || !strings.Contains(m.Subject, "Aktiver") || strings.Contains(m.Text, c.NIN) || strings.Contains(m.HTML, c.NIN) {
		t.Fatalf("activation mail: %+v", m)
	}
	if !strings.Contains(m.HTML, "<a href=") || strings.Count(m.HTML, "<a ") != 1 {
		t.Errorf("the link must be the mail's one call to action: %s", m.HTML)
	}
	tok := tokenOf(t, m)
	if raw, _ := url.QueryUnescape(tok); len(raw) < 22 {
		t.Fatalf("token too short: %q", tok)
	}

	// A weak password leaves the link usable.
	var ve *portal.ValidationError
	if _, _, err := f.svc.UseLink(f.ctx, tok, portal.PurposeActivate, "kort"); !errors.As(err, &ve) || ve.Fields["password"] != portal.PasswordTooShort {
		t.Fatalf("weak password: %v", err)
	}
	if _, _, err := f.svc.UseLink(f.ctx, tok, portal.PurposeActivate, "kari@example.no"); !errors.As(err, &ve) || ve.Fields["password"] != portal.PasswordIsEmail {
		t.Fatalf("e-mail as password: %v", err)
	}
	sess, u, err := f.svc.UseLink(f.ctx, tok, portal.PurposeActivate, "fire ord er et godt passord")
	if err != nil || sess == "" || u.ActivatedAt == nil {
		t.Fatalf("activate: %v %+v", err, u)
	}
	if _, _, err := f.svc.UseLink(f.ctx, tok, portal.PurposeActivate, "et annet godt passord"); !errors.Is(err, portal.ErrLinkInvalid) {
		t.Fatalf("second use of the link: %v, want ErrLinkInvalid", err)
	}
	if su, err := f.svc.Session(f.ctx, sess); err != nil || su.ID != u.ID {
		t.Fatalf("session: %v", err)
	}
	a, _ = f.svc.Account(f.ctx, c.ID)
	if a.Status != portal.StatusActive && a.Status != portal.StatusMailFailed {
		t.Fatalf("status after activation: %s", a.Status)
	}
	_, lu, err := f.svc.Login(f.ctx, "KARI@example.no", "fire ord er et godt passord", "192.0.2.1")
	if err != nil || lu.ID != u.ID {
		t.Fatalf("login: %v", err)
	}
	p, err := f.svc.Profile(f.ctx, lu)
	if err != nil || p.Name != "Kari Nordmann" || !p.Rights.Consultation || p.Rights.Booking || !p.WantsElectronicReply {
		t.Fatalf("profile: %+v %v", p, err)
	}
	want := []string{portal.ActionLogin, portal.ActionActivated, portal.ActionCreate}
	if got := auditActions(t, f.db); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("audit: %v, want %v", got, want)
	}
}

func TestLinks(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(f *fixture, clientID int64) (token string)
		purpose string
		wantErr error
	}{
		{"activation link works before 72 h", func(f *fixture, id int64) string {
			f.clock.Add(71 * time.Hour)
			return tokenOf(t, f.lastMail(t))
		}, portal.PurposeActivate, nil},
		{"activation link expired after 72 h", func(f *fixture, id int64) string {
			tok := tokenOf(t, f.lastMail(t))
			f.clock.Add(72*time.Hour + time.Second)
			return tok
		}, portal.PurposeActivate, portal.ErrLinkInvalid},
		{"«Send på nytt» voids the old link", func(f *fixture, id int64) string {
			tok := tokenOf(t, f.lastMail(t))
			if _, err := f.svc.Resend(f.ctx, "r", id); err != nil {
				t.Fatal(err)
			}
			return tok
		}, portal.PurposeActivate, portal.ErrLinkInvalid},
		{"the new link after «Send på nytt» works", func(f *fixture, id int64) string {
			if _, err := f.svc.Resend(f.ctx, "r", id); err != nil {
				t.Fatal(err)
			}
			return tokenOf(t, f.lastMail(t))
		}, portal.PurposeActivate, nil},
		{"an activation link is not a reset link", func(f *fixture, id int64) string {
			return tokenOf(t, f.lastMail(t))
		}, portal.PurposeReset, portal.ErrLinkInvalid},
		{"an unknown token", func(f *fixture, id int64) string { return "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
			portal.PurposeActivate, portal.ErrLinkInvalid},
		{"an empty token", func(f *fixture, id int64) string { return "" }, portal.PurposeActivate, portal.ErrLinkInvalid},
		{"a link of a deleted user", func(f *fixture, id int64) string {
			tok := tokenOf(t, f.lastMail(t))
			if err := f.svc.Delete(f.ctx, "r", id); err != nil {
				t.Fatal(err)
			}
			return tok
		}, portal.PurposeActivate, portal.ErrLinkInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			c := f.client(t, "Ola", "Hansen", "")
			if _, err := f.svc.Create(f.ctx, "r", c.ID, portal.Input{Email: "ola@example.no"}); err != nil {
				t.Fatal(err)
			}
			tok := tt.setup(f, c.ID)
			_, _, err := f.svc.UseLink(f.ctx, tok, tt.purpose, "et langt og godt passord")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("UseLink: %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestResetFlow(t *testing.T) {
	f := newFixture(t)
	c := f.client(t, "Per", "Olsen", "")
	if _, err := f.svc.Create(f.ctx, "r", c.ID, portal.Input{Email: "per@example.no", Rights: portal.Rights{Booking: true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SendReset(f.ctx, "r", c.ID); !errors.Is(err, portal.ErrNotActivated) {
		t.Fatalf("«Ny kode» before activation: %v", err)
	}
	if _, _, err := f.svc.UseLink(f.ctx, tokenOf(t, f.lastMail(t)), portal.PurposeActivate, "første passord her"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Resend(f.ctx, "r", c.ID); !errors.Is(err, portal.ErrAlreadyActive) {
		t.Fatalf("«Send på nytt» after activation: %v", err)
	}
	old, _, err := f.svc.Login(f.ctx, "per@example.no", "første passord her", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SendReset(f.ctx, "r", c.ID); err != nil {
		t.Fatal(err)
	}
	m := f.lastMail(t)
	if m.Kind != portal.MailReset || !strings.Contains(m.Text, "nytt passord") {
		t.Fatalf("reset mail: %+v", m)
	}
	tok := tokenOf(t, m)
	f.clock.Add(61 * time.Minute)
	if _, _, err := f.svc.UseLink(f.ctx, tok, portal.PurposeReset, "andre passord her"); !errors.Is(err, portal.ErrLinkInvalid) {
		t.Fatalf("reset link after an hour: %v", err)
	}
	if _, err := f.svc.SendReset(f.ctx, "r", c.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.UseLink(f.ctx, tokenOf(t, f.lastMail(t)), portal.PurposeReset, "andre passord her"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Session(f.ctx, old); !errors.Is(err, portal.ErrNoSession) {
		t.Errorf("a reset must end earlier sessions: %v", err)
	}
	if _, _, err := f.svc.Login(f.ctx, "per@example.no", "første passord her", "192.0.2.1"); !errors.Is(err, portal.ErrLoginFailed) {
		t.Errorf("old password after reset: %v", err)
	}
	if _, _, err := f.svc.Login(f.ctx, "per@example.no", "andre passord her", "192.0.2.1"); err != nil {
		t.Errorf("new password: %v", err)
	}
}

func TestUpdateRightsEmailAndDelete(t *testing.T) {
	f := newFixture(t)
	c := f.client(t, "Anne", "Berg", "")
	a, err := f.svc.Create(f.ctx, "r", c.ID, portal.Input{Email: "anne@example.no", Rights: portal.Rights{Consultation: true, Booking: true, Renewal: true}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.UseLink(f.ctx, tokenOf(t, f.lastMail(t)), portal.PurposeActivate, "anne sitt passord"); err != nil {
		t.Fatal(err)
	}
	a, _ = f.svc.Account(f.ctx, c.ID)

	// Removing all rights leaves the profile only.
	in := portal.Input{Email: a.Email, Version: a.Version}
	if a, err = f.svc.Update(f.ctx, "r", c.ID, in); err != nil || a.Status == portal.StatusActive || a.Rights.Any() {
		t.Fatalf("remove rights: %v %+v", err, a)
	}
	if _, err := f.svc.Update(f.ctx, "r", c.ID, in); err == nil {
		t.Fatal("a stale version must be refused")
	}

	// An active user's e-mail changes only when confirmed, with a notice to
	// the old address.
	in = portal.Input{Email: "anne.berg@example.no", Version: a.Version}
	if _, err := f.svc.Update(f.ctx, "r", c.ID, in); !errors.Is(err, portal.ErrConfirmEmail) {
		t.Fatalf("unconfirmed e-mail change: %v", err)
	}
	in.ConfirmEmailChange = true
	if a, err = f.svc.Update(f.ctx, "r", c.ID, in); err != nil || a.Email != "anne.berg@example.no" {
		t.Fatalf("confirmed e-mail change: %v", err)
	}
	m := f.lastMail(t)
	if m.Kind != portal.MailEmailChanged || m.To != "anne@example.no" || strings.Contains(m.Text, "http") {
		t.Fatalf("notice to the old address: %+v", m)
	}

	// Another client cannot take the address.
	c2 := f.client(t, "Nils", "Berg", "")
	if _, err := f.svc.Create(f.ctx, "r", c2.ID, portal.Input{Email: "ANNE.BERG@example.no"}); !errors.Is(err, portal.ErrEmailTaken) {
		t.Fatalf("taken address: %v", err)
	}

	// «Slett»: login refused, client kept, create again works.
	if err := f.svc.Delete(f.ctx, "r", c.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Login(f.ctx, "anne.berg@example.no", "anne sitt passord", "192.0.2.9"); !errors.Is(err, portal.ErrLoginFailed) {
		t.Fatalf("login after delete: %v", err)
	}
	if _, err := f.db.GetClient(f.ctx, c.ID); err != nil {
		t.Fatalf("client must stay: %v", err)
	}
	if _, err := f.svc.Create(f.ctx, "r", c.ID, portal.Input{Email: "anne.berg@example.no"}); err != nil {
		t.Fatalf("create again: %v", err)
	}
}

func TestValidation(t *testing.T) {
	f := newFixture(t)
	c := f.client(t, "Eva", "Lie", "")
	tests := []struct {
		in    portal.Input
		field string
	}{
		{portal.Input{Email: ""}, "email"},
		{portal.Input{Email: "ikke-en-adresse"}, "email"},
		{portal.Input{Email: "a b@example.no"}, "email"},
		{portal.Input{Email: "eva@example.no\r\nBcc: x@example.no"}, "email"},
		{portal.Input{Email: "\"Eva\" <eva@example.no>"}, "email"},
		{portal.Input{Email: "eva@example.no", Language: "de"}, "language"},
	}
	for _, tt := range tests {
		_, err := f.svc.Create(f.ctx, "r", c.ID, tt.in)
		var ve *portal.ValidationError
		if !errors.As(err, &ve) || ve.Fields[tt.field] == "" {
			t.Errorf("Create(%q): %v, want a field error on %s", tt.in.Email, err, tt.field)
		}
	}
	if _, err := f.svc.Create(f.ctx, "r", 999, portal.Input{Email: "x@example.no"}); !errors.Is(err, register.ErrNotFound) {
		t.Errorf("unknown client: %v", err)
	}
}

func TestLoginThrottledWithoutEnumeration(t *testing.T) {
	f := newFixture(t)
	c := f.client(t, "Siv", "Moe", "")
	if _, err := f.svc.Create(f.ctx, "r", c.ID, portal.Input{Email: "siv@example.no"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.UseLink(f.ctx, tokenOf(t, f.lastMail(t)), portal.PurposeActivate, "sivs gode passord"); err != nil {
		t.Fatal(err)
	}
	// Unknown address and wrong password fail the same way.
	for _, email := range []string{"siv@example.no", "ingen@example.no"} {
		for i := range 5 {
			_, _, err := f.svc.Login(f.ctx, email, "feil passord nr", "198.51.100.7")
			if !errors.Is(err, portal.ErrLoginFailed) {
				t.Fatalf("%s attempt %d: %v", email, i, err)
			}
		}
		var te *portal.ThrottledError
		if _, _, err := f.svc.Login(f.ctx, email, "sivs gode passord", "198.51.100.8"); !errors.As(err, &te) {
			t.Fatalf("%s after 5 failures: %v, want throttled", email, err)
		}
	}
	f.clock.Add(16 * time.Minute)
	if _, _, err := f.svc.Login(f.ctx, "siv@example.no", "sivs gode passord", "198.51.100.8"); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	// Per address: many accounts from one address.
	for i := range 20 {
		f.svc.Login(f.ctx, "x"+strings.Repeat("y", i)+"@example.no", "feil passord nr", "203.0.113.5")
	}
	var te *portal.ThrottledError
	if _, _, err := f.svc.Login(f.ctx, "siv@example.no", "sivs gode passord", "203.0.113.5"); !errors.As(err, &te) {
		t.Fatalf("address after 20 failures: %v, want throttled", err)
	}
}

func TestStatuses(t *testing.T) {
	f := newFixture(t)
	mk := func(given, email string, r portal.Rights) int64 {
		c := f.client(t, given, "Status", "")
		if _, err := f.svc.Create(f.ctx, "r", c.ID, portal.Input{Email: email, Rights: r}); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	pending := mk("Venter", "venter@example.no", portal.Rights{Booking: true})
	active := mk("Aktiv", "aktiv@example.no", portal.Rights{Booking: true})
	msg := f.lastMail(t)
	tok := tokenOf(t, msg)
	if _, _, err := f.svc.UseLink(f.ctx, tok, portal.PurposeActivate, "aktiv sitt passord"); err != nil {
		t.Fatal(err)
	}
	none := mk("Ingen", "ingen@example.no", portal.Rights{})
	if _, _, err := f.svc.UseLink(f.ctx, tokenOf(t, f.lastMail(t)), portal.PurposeActivate, "ingen sitt passord"); err != nil {
		t.Fatal(err)
	}
	failed := mk("Feilet", "feilet@example.no", portal.Rights{Renewal: true})
	// Deliver everything but the last mail; the last fails.
	msgs, _ := f.db.DueMessages(f.ctx, f.clock.Now().Add(time.Hour), 100)
	for _, m := range msgs {
		if m.To == "feilet@example.no" {
			if err := f.db.MarkAttemptFailed(f.ctx, m.ID, outbox.ReasonUnreachable, f.clock.Now().Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := f.db.MarkSent(f.ctx, m.ID, f.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	want := map[int64]portal.Status{pending: portal.StatusPending, active: portal.StatusActive, none: portal.StatusNoRights, failed: portal.StatusMailFailed}
	for id, st := range want {
		a, err := f.svc.Account(f.ctx, id)
		if err != nil || a.Status != st {
			t.Errorf("client %d: status %s (%v), want %s", id, a.Status, err, st)
		}
		list, err := f.svc.Accounts(f.ctx, portal.Filter{Status: st})
		if err != nil || len(list) != 1 || list[0].ClientID != id {
			t.Errorf("filter %s: %d accounts (%v)", st, len(list), err)
		}
	}
	// «Prøv igjen» queues the failed mail for now.
	if _, err := f.svc.RetryMail(f.ctx, "r", failed); err != nil {
		t.Fatal(err)
	}
	due, _ := f.db.DueMessages(f.ctx, f.clock.Now(), 10)
	if len(due) != 1 || due[0].To != "feilet@example.no" {
		t.Errorf("after retry: %d due", len(due))
	}
	// Sent mail keeps no body: the link's token is gone from the database.
	all, _ := f.db.Messages(f.ctx, 100)
	for _, m := range all {
		if m.State == outbox.StateSent && (m.Text != "" || m.HTML != "") {
			t.Errorf("sent message %d keeps its body", m.ID)
		}
	}
}

func TestSettings(t *testing.T) {
	f := newFixture(t)
	st, err := f.svc.Settings(f.ctx)
	if err != nil || st.ActivationHours != 72 || st.ResetMinutes != 60 || !st.Offered.Booking {
		t.Fatalf("defaults: %+v %v", st, err)
	}
	bad := []portal.Settings{
		{ActivationHours: 0, ResetMinutes: 60},
		{ActivationHours: 72, ResetMinutes: 1},
		{ActivationHours: 72, ResetMinutes: 60, PublicURL: "http://portal.example.no"},
		{ActivationHours: 72, ResetMinutes: 60, PublicURL: "javascript:alert(1)"},
		{ActivationHours: 72, ResetMinutes: 60, SenderAddress: "nope"},
	}
	for _, b := range bad {
		if _, err := f.svc.SaveSettings(f.ctx, "r", b); err == nil {
			t.Errorf("accepted %+v", b)
		}
	}
	st = portal.Settings{Offered: portal.Rights{Booking: true}, ActivationHours: 24, ResetMinutes: 30,
		PublicURL: "https://portal.example.no/", PracticeName: "Fysio Nord", SenderName: "Fysio Nord", SenderAddress: "post@fysio.example.no"}
	if _, err := f.svc.SaveSettings(f.ctx, "r", st); err != nil {
		t.Fatal(err)
	}
	c := f.client(t, "Tor", "Lund", "")
	a, err := f.svc.Create(f.ctx, "r", c.ID, portal.Input{Email: "tor@example.no", Language: portal.LangEN,
		Rights: portal.Rights{Consultation: true, Booking: true}})
	if err != nil {
		t.Fatal(err)
	}
	if a.Rights.Consultation || !a.Rights.Booking {
		t.Errorf("rights not offered must not be given: %+v", a.Rights)
	}
	m := f.lastMail(t)
	if !strings.Contains(m.Text, "https://portal.example.no/aktiver?t=") || !strings.Contains(m.Subject, "Fysio Nord") ||
		!strings.Contains(m.Subject, "Activate") || !strings.Contains(m.Text, "05.12.2026 at 09:00") || !strings.HasSuffix(m.MessageID, "@fysio.example.no>") {
		t.Errorf("mail with settings: %q %q %q", m.Subject, m.Text, m.MessageID)
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := portal.HashPassword("et godt passord", testArgon)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash format: %s", h)
	}
	h2, _ := portal.HashPassword("et godt passord", testArgon)
	if h == h2 {
		t.Error("the same password must get a new salt")
	}
	tests := []struct {
		pw, hash string
		ok       bool
		err      bool
	}{
		{"et godt passord", h, true, false},
		{"et godt passorD", h, false, false},
		{"", h, false, false},
		{"x", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", false, true},
		{"x", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", false, true},
		{"x", "garbage", false, true},
	}
	for _, tt := range tests {
		ok, err := portal.VerifyPassword(tt.pw, tt.hash)
		if ok != tt.ok || (err != nil) != tt.err {
			t.Errorf("Verify(%q, %q) = %v, %v", tt.pw, tt.hash, ok, err)
		}
	}
	// The hash a login without a user is verified against: the same costs
	// as a real hash (the same time to verify), readable, matching nothing.
	for _, p := range []portal.Argon2Params{testArgon, portal.DefaultArgon2()} {
		made, err := portal.HashPassword("et godt passord", p)
		if err != nil {
			t.Fatal(err)
		}
		u, err := portal.UnmatchableHash(p)
		if err != nil {
			t.Fatal(err)
		}
		mp, up := strings.Split(made, "$"), strings.Split(u, "$")
		if len(up) != 6 || strings.Join(up[:4], "$") != strings.Join(mp[:4], "$") || len(up[4]) != len(mp[4]) ||
			len(up[5]) != len(mp[5]) || up[4] == mp[4] {
			t.Errorf("unmatchable hash %q: want the costs and layout of %q with a salt of its own", u, made)
		}
		for _, pw := range []string{"et godt passord", "", "\x00"} {
			if ok, err := portal.VerifyPassword(pw, u); ok || err != nil {
				t.Errorf("Verify(%q, unmatchable) = %v, %v; want false, nil", pw, ok, err)
			}
		}
	}
	rules := []struct {
		pw, email, code string
	}{
		{"kort", "", portal.PasswordTooShort},
		{"ni tegn..", "", portal.PasswordTooShort},
		{"ti tegn...", "", ""},
		{strings.Repeat("a", 129), "", portal.PasswordTooLong},
		{"aaaaaaaaaaaa", "", portal.PasswordCommon},
		{"Passord123", "", portal.PasswordCommon},
		{"per@example.no", "Per@example.no", portal.PasswordIsEmail},
		{"med\x00kontrolltegn", "", portal.PasswordInvalid},
		{"blåbærsyltetøy på brødskiva", "", ""},
	}
	for _, r := range rules {
		if got := portal.CheckPassword(r.pw, r.email); got != r.code {
			t.Errorf("CheckPassword(%q) = %q, want %q", r.pw, got, r.code)
		}
	}
}
