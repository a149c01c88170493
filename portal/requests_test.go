package portal_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"resepsjon/activation/activationtest"
	"resepsjon/lookup"
	"resepsjon/portal"
	"resepsjon/register"
	"resepsjon/store"
)

// idp is a switchable identity provider.
type idp bool

func (p idp) IdentityProviderConfigured(context.Context) (bool, error) { return bool(p), nil }

type requestFixture struct {
	*fixture
	practice *activationtest.Practice
}

// newRequestFixture is a practice with a real SQLite file; with mock it is
// activated against the NHN mock, so approvals create clients from
// Persontjenesten.
func newRequestFixture(t *testing.T, withIDP, mock bool) *requestFixture {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "portal.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &clock{t: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}
	a := testArgon
	cfg := portal.Config{Store: db, Clients: db, Settings: db, Now: clk.Now, Argon2: &a,
		PatientURL: "http://127.0.0.1:8730", Location: time.UTC, Identity: idp(withIDP),
		Throttle: portal.NewThrottle(portal.ThrottleConfig{Now: clk.Now})}
	rf := &requestFixture{}
	if mock {
		rf.practice = activationtest.New(t, db, activationtest.Options{})
		look, err := lookup.New(lookup.Config{Connection: rf.practice.Conn, Clients: db, Audit: db, OSUser: "resepsjonist"})
		if err != nil {
			t.Fatal(err)
		}
		cfg.Persons = look
	}
	svc, err := portal.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rf.fixture = &fixture{db: db, svc: svc, clock: clk, ctx: ctx}
	return rf
}

func (f *requestFixture) setApproval(t *testing.T, mode string, onlyExisting bool) {
	t.Helper()
	st, err := f.svc.Settings(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.Approval, st.OnlyExistingClients = mode, onlyExisting
	st.Offered = portal.Rights{Consultation: true, Booking: true}
	if _, err := f.svc.SaveSettings(f.ctx, "resepsjonist", st); err != nil {
		t.Fatal(err)
	}
}

// person is a synthetic person of the mock's population.
func (f *requestFixture) person(t *testing.T, i int) (nin, name string) {
	t.Helper()
	n := f.practice.Pop.SampleNINs(20)[i]
	p, ok := f.practice.Pop.ByNIN(n)
	if !ok || len(p.Name) == 0 {
		t.Fatal("no person")
	}
	nm := p.Name[len(p.Name)-1]
	return n, strings.Join(strings.Fields(nm.GivenName+" "+nm.FamilyName), " ")
}

func hasAction(t *testing.T, f *fixture, action string) bool {
	t.Helper()
	return slices.Contains(auditActions(t, f.db), action)
}

func TestRequestValidation(t *testing.T) {
	f := newRequestFixture(t, false, false)
	tests := []struct {
		name  string
		req   portal.AccessRequest
		field string
		code  string
	}{
		{"no name", portal.AccessRequest{NIN: "14838510036", Email: "a@example.no"}, "name", register.CodeRequired},
		{"bad check digits", portal.AccessRequest{Name: "Kari Nordmann", NIN: "14838510037", Email: "a@example.no"}, "nin", "nin.checksum"},
		{"short number", portal.AccessRequest{Name: "Kari Nordmann", NIN: "1483851", Email: "a@example.no"}, "nin", "nin.length"},
		{"bad e-mail", portal.AccessRequest{Name: "Kari Nordmann", NIN: "14838510036", Email: "kari"}, "email", register.CodeEmail},
		{"control characters", portal.AccessRequest{Name: "Kari\x00", NIN: "14838510036", Email: "a@example.no"}, "name", register.CodeControlChars},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.Addr = "192.0.2." + string(rune('1'+i))
			_, err := f.svc.RequestAccess(f.ctx, tc.req)
			var ve *portal.ValidationError
			if !errors.As(err, &ve) || ve.Fields[tc.field] != tc.code {
				t.Fatalf("got %v, want %s=%s", err, tc.field, tc.code)
			}
			if _, ok := portal.Message(tc.code, "nb"); !ok {
				t.Errorf("no text for %s", tc.code)
			}
		})
	}
	if reqs, _ := f.svc.Requests(f.ctx, portal.RequestFilter{}); len(reqs) != 0 {
		t.Fatalf("bad input stored %d requests", len(reqs))
	}
}

func TestRequestThrottled(t *testing.T) {
	f := newRequestFixture(t, false, false)
	req := portal.AccessRequest{Name: "Kari Nordmann", NIN: "14838510036", Email: "kari@example.no", Addr: "192.0.2.9"}
	var te *portal.ThrottledError
	for i := range 6 {
		_, err := f.svc.RequestAccess(f.ctx, req)
		if i < 5 && err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if i == 5 && !errors.As(err, &te) {
			t.Fatalf("sixth request for the same number: %v, want throttled", err)
		}
	}
	f.clock.Add(16 * time.Minute)
	if _, err := f.svc.RequestAccess(f.ctx, req); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
}

// An unverified request waits, whatever the setting; approving it for a
// new person creates the client through the mock's Persontjenesten (with
// the lookup's audit row) and sends the activation mail.
func TestManualApproveViaPersontjenesten(t *testing.T) {
	f := newRequestFixture(t, true, true)
	f.setApproval(t, portal.ApprovalAutomatic, false)
	number, name := f.person(t, 3)
	out, err := f.svc.RequestAccess(f.ctx, portal.AccessRequest{Name: name, NIN: number, Email: "ny@example.no",
		Rights: portal.Rights{Consultation: true, Renewal: true}, Addr: "192.0.2.1"})
	if err != nil || out.Status != portal.RequestPending {
		t.Fatalf("unverified request: %+v %v", out, err)
	}
	list, err := f.svc.Requests(f.ctx, portal.RequestFilter{Status: portal.RequestPending})
	if err != nil || len(list) != 1 {
		t.Fatalf("manual list: %+v %v", list, err)
	}
	v := list[0]
	if v.Verified || v.MaskedNIN != number[:6]+" *****" || v.MatchID != 0 || v.NameMismatch || v.Rights.Renewal {
		t.Fatalf("list row: %+v", v)
	}
	got, err := f.svc.ApproveRequest(f.ctx, "resepsjonist", v.ID, portal.Rights{Consultation: true, Booking: false}, v.Version)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != portal.RequestApproved || got.ClientSource != portal.SourcePersontjenesten || got.ClientID == 0 {
		t.Fatalf("approved: %+v", got)
	}
	c, err := f.db.GetClient(f.ctx, got.ClientID)
	if err != nil || c.NIN != number || c.PersonID == "" || c.FetchedAt == nil || c.Email != "ny@example.no" {
		t.Fatalf("client from Persontjenesten: %+v %v", c, err)
	}
	if !hasAction(t, f.fixture, register.ActionLookup) || !hasAction(t, f.fixture, portal.ActionRequestApproved) {
		t.Errorf("audit: %v", auditActions(t, f.db))
	}
	a, err := f.svc.Account(f.ctx, c.ID)
	if err != nil || a.Email != "ny@example.no" || !a.Rights.Consultation || a.Rights.Booking {
		t.Fatalf("portal user: %+v %v", a, err)
	}
	if m := f.lastMail(t); m.Kind != portal.MailActivation || m.To != "ny@example.no" || strings.Contains(m.Text, number) {
		t.Fatalf("activation mail: %+v", m)
	}
	if _, err := f.svc.ApproveRequest(f.ctx, "resepsjonist", v.ID, portal.Rights{}, 0); !errors.Is(err, portal.ErrRequestDecided) {
		t.Fatalf("second approval: %v", err)
	}
}

// Without Persontjenesten the client is made from the request and marked.
func TestManualApproveFromRequestData(t *testing.T) {
	f := newRequestFixture(t, false, false)
	out, err := f.svc.RequestAccess(f.ctx, portal.AccessRequest{Name: "Kari  Ås Nordmann", NIN: "148385 10036", Email: "kari@example.no"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.ApproveRequest(f.ctx, "resepsjonist", out.RequestID, portal.Rights{Booking: true}, 1)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.db.GetClient(f.ctx, got.ClientID)
	if err != nil || got.ClientSource != portal.SourceRequest || c.GivenName != "Kari Ås" || c.FamilyName != "Nordmann" ||
		c.NIN != "14838510036" || c.NINType != register.NINTypeSynthetic || c.Notes != portal.RequestClientNote {
		t.Fatalf("client from the request: %+v %+v %v", got, c, err)
	}
}

func TestRejectSendsReason(t *testing.T) {
	f := newRequestFixture(t, false, false)
	out, err := f.svc.RequestAccess(f.ctx, portal.AccessRequest{Name: "Kari Nordmann", NIN: "14838510036", Email: "kari@example.no", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.RejectRequest(f.ctx, "resepsjonist", out.RequestID, "Vi tar ikke imot nye pasienter.", 1)
	if err != nil || got.Status != portal.RequestRejected || got.Reason != "Vi tar ikke imot nye pasienter." {
		t.Fatalf("reject: %+v %v", got, err)
	}
	m := f.lastMail(t)
	if m.Kind != portal.MailRejected || m.To != "kari@example.no" || !strings.Contains(m.Text, "Vi tar ikke imot nye pasienter.") ||
		!strings.Contains(m.Subject, "request") {
		t.Fatalf("rejection mail: %+v", m)
	}
	if _, err := f.svc.RejectRequest(f.ctx, "resepsjonist", out.RequestID, "", 0); !errors.Is(err, portal.ErrRequestDecided) {
		t.Fatalf("second rejection: %v", err)
	}
	// Without a reason the mail says no more than that.
	out, _ = f.svc.RequestAccess(f.ctx, portal.AccessRequest{Name: "Ola Nordmann", NIN: "01817010055", Email: "ola@example.no"})
	if out.RequestID != 0 {
		if _, err := f.svc.RejectRequest(f.ctx, "resepsjonist", out.RequestID, "", 0); err != nil {
			t.Fatal(err)
		}
		if m := f.lastMail(t); strings.Contains(m.Text, "Begrunnelse") {
			t.Fatalf("empty reason in mail: %s", m.Text)
		}
	}
}

func TestNameMismatchFlagged(t *testing.T) {
	f := newRequestFixture(t, true, false)
	f.setApproval(t, portal.ApprovalAutomatic, false)
	c := f.client(t, "Kari", "Nordmann", "14838510036")
	tests := []struct {
		name     string
		mismatch bool
	}{
		{"kari nordmann", false},
		{"Nordmann Kari", false},
		{"Kari", true},
		{"Per Hansen", true},
	}
	for i, tc := range tests {
		out, err := f.svc.RequestAccess(f.ctx, portal.AccessRequest{Name: tc.name, NIN: c.NIN, Email: "k@example.no", Verified: true,
			ACR: "idporten-loa-high", Addr: "192.0.2." + string(rune('1'+i))})
		if err != nil {
			t.Fatal(err)
		}
		v, err := f.svc.Request(f.ctx, out.RequestID)
		if err != nil {
			t.Fatal(err)
		}
		if v.MatchID != c.ID || v.NameMismatch != tc.mismatch {
			t.Errorf("%q: match %d mismatch %v, want %v", tc.name, v.MatchID, v.NameMismatch, tc.mismatch)
		}
		if tc.mismatch && out.Status != portal.RequestPending {
			t.Errorf("%q: a mismatching name was approved automatically", tc.name)
		}
		if !tc.mismatch && i == 0 && out.Status != portal.RequestApproved {
			t.Errorf("%q: a matching verified request was not approved", tc.name)
		}
	}
}

func TestAutomaticApproval(t *testing.T) {
	t.Run("existing client, default rights", func(t *testing.T) {
		f := newRequestFixture(t, true, false)
		f.setApproval(t, portal.ApprovalAutomatic, true)
		c := f.client(t, "Kari", "Nordmann", "14838510036")
		out, err := f.svc.RequestAccess(f.ctx, portal.AccessRequest{Name: "Kari Nordmann", NIN: c.NIN, Email: "kari@example.no",
			Verified: true, ACR: "idporten-loa-high", WantsElectronicReply: true})
		if err != nil || out.Status != portal.RequestApproved {
			t.Fatalf("verified request of a client: %+v %v", out, err)
		}
		a, err := f.svc.Account(f.ctx, c.ID)
		if err != nil || a.Rights != (portal.Rights{Consultation: true, Booking: true}) || !a.WantsElectronicReply {
			t.Fatalf("default rights: %+v %v", a, err)
		}
		r, _ := f.svc.Request(f.ctx, out.RequestID)
		if r.DecidedBy != portal.ActorAutomatic || r.ClientSource != portal.SourceExisting {
			t.Fatalf("decision: %+v", r)
		}
		if f.lastMail(t).Kind != portal.MailActivation {
			t.Fatal("no activation mail")
		}
	})
	t.Run("new person from Persontjenesten", func(t *testing.T) {
		f := newRequestFixture(t, true, true)
		f.setApproval(t, portal.ApprovalAutomatic, false)
		number, name := f.person(t, 5)
		out, err := f.svc.RequestAccess(f.ctx, portal.AccessRequest{Name: name, NIN: number, Email: "ny@example.no", Verified: true})
		if err != nil || out.Status != portal.RequestApproved {
			t.Fatalf("verified request of a new person: %+v %v", out, err)
		}
		c, err := f.db.ClientByNIN(f.ctx, number)
		if err != nil || c.PersonID == "" || !hasAction(t, f.fixture, register.ActionLookup) {
			t.Fatalf("client: %+v %v", c, err)
		}
	})
	t.Run("only existing clients: a new person waits", func(t *testing.T) {
		f := newRequestFixture(t, true, true)
		f.setApproval(t, portal.ApprovalAutomatic, true)
		number, name := f.person(t, 6)
		out, err := f.svc.RequestAccess(f.ctx, portal.AccessRequest{Name: name, NIN: number, Email: "ny@example.no", Verified: true})
		if err != nil || out.Status != portal.RequestPending {
			t.Fatalf("%+v %v", out, err)
		}
		if _, err := f.db.ClientByNIN(f.ctx, number); !errors.Is(err, register.ErrNotFound) {
			t.Fatalf("a client was created: %v", err)
		}
	})
	t.Run("unverified waits", func(t *testing.T) {
		f := newRequestFixture(t, true, false)
		f.setApproval(t, portal.ApprovalAutomatic, false)
		c := f.client(t, "Kari", "Nordmann", "14838510036")
		out, err := f.svc.RequestAccess(f.ctx, portal.AccessRequest{Name: "Kari Nordmann", NIN: c.NIN, Email: "kari@example.no"})
		if err != nil || out.Status != portal.RequestPending {
			t.Fatalf("%+v %v", out, err)
		}
	})
	t.Run("manual setting: verified waits", func(t *testing.T) {
		f := newRequestFixture(t, true, false)
		f.setApproval(t, portal.ApprovalManual, false)
		c := f.client(t, "Kari", "Nordmann", "14838510036")
		out, err := f.svc.RequestAccess(f.ctx, portal.AccessRequest{Name: "Kari Nordmann", NIN: c.NIN, Email: "kari@example.no", Verified: true})
		if err != nil || out.Status != portal.RequestPending {
			t.Fatalf("%+v %v", out, err)
		}
	})
	t.Run("automatic needs an identity provider", func(t *testing.T) {
		f := newRequestFixture(t, false, false)
		st, _ := f.svc.Settings(f.ctx)
		if st.Approval != portal.ApprovalManual {
			t.Fatalf("default approval %q, want manual", st.Approval)
		}
		st.Approval = portal.ApprovalAutomatic
		var ve *portal.ValidationError
		if _, err := f.svc.SaveSettings(f.ctx, "r", st); !errors.As(err, &ve) || ve.Fields["approval"] != "portal.approval_needs_idp" {
			t.Fatalf("automatic without an identity provider: %v", err)
		}
		// The settings flag stands in for an identity provider.
		if err := f.db.PutSetting(f.ctx, portal.IdentityProviderSetting, "https://test.idporten.no"); err != nil {
			t.Fatal(err)
		}
		a := testArgon
		svc, err := portal.New(portal.Config{Store: f.db, Clients: f.db, Settings: f.db, Argon2: &a, PatientURL: "http://127.0.0.1:8730"})
		if err != nil {
			t.Fatal(err)
		}
		if saved, err := svc.SaveSettings(f.ctx, "r", st); err != nil || saved.Approval != portal.ApprovalAutomatic {
			t.Fatalf("automatic with the identity provider setting: %+v %v", saved, err)
		}
	})
}
