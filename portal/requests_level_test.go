package portal_test

import (
	"context"
	"testing"

	"resepsjon/idporten"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/portal"
)

// TestLevelRaisedAfterTheRequest: a verified request carries the level of
// assurance it was verified at. When the practice's required level is
// raised before the request is approved, the request counts as not
// verified at the required level: it is not approved automatically and the
// list flags it; the reception may still approve it by hand.
func TestLevelRaisedAfterTheRequest(t *testing.T) {
	str := func(s string) *string { return &s }
	cases := []struct {
		name         string
		mode         string
		verifiedAt   string // the request's acr
		raise        bool   // the level goes to high after the login, before the request is decided
		raiseAfter   bool   // … after the request arrived (only the list can tell)
		wantStatus   portal.RequestStatus
		wantTooLow   bool
		wantVerified bool
	}{
		{"automatic, the level raised before the form was sent", portal.ApprovalAutomatic, idporten.LevelSubstantial, true, false,
			portal.RequestPending, true, true},
		{"automatic, verified at the raised level", portal.ApprovalAutomatic, idporten.LevelHigh, true, false,
			portal.RequestApproved, false, true},
		{"automatic, the level unchanged", portal.ApprovalAutomatic, idporten.LevelSubstantial, false, false,
			portal.RequestApproved, false, true},
		{"manual, the level raised while the request waits", portal.ApprovalManual, idporten.LevelSubstantial, false, true,
			portal.RequestPending, true, true},
		{"manual, the level unchanged", portal.ApprovalManual, idporten.LevelSubstantial, false, false,
			portal.RequestPending, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newRequestFixture(t, false, false)
			idp, err := idporten.New(idporten.Config{Settings: f.db, Keys: helseid.NewMemoryKeyStore(),
				RedirectURI: func(context.Context) (string, error) { return "http://127.0.0.1:8730/idporten/callback", nil }})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := idp.Update(f.ctx, idporten.Change{Issuer: str("https://test.idporten.no"), ClientID: str("klinikk"), Level: str(idporten.LevelSubstantial)}); err != nil {
				t.Fatal(err)
			}
			if _, err := idp.GenerateKey(f.ctx); err != nil {
				t.Fatal(err)
			}
			a := testArgon
			svc, err := portal.New(portal.Config{Store: f.db, Clients: f.db, Settings: f.db, Now: f.clock.Now, Argon2: &a,
				PatientURL: "http://127.0.0.1:8730", Identity: idp,
				Throttle: portal.NewThrottle(portal.ThrottleConfig{Now: f.clock.Now})})
			if err != nil {
				t.Fatal(err)
			}
			f.svc = svc
			f.setApproval(t, tc.mode, false)
			c := f.client(t, "Kari", "Nordmann", "14838510036")
			raise := func() {
				if _, err := idp.Update(f.ctx, idporten.Change{Level: str(idporten.LevelHigh)}); err != nil {
					t.Fatal(err)
				}
			}
			if tc.raise {
				raise()
			}
			out, err := svc.RequestAccess(f.ctx, portal.AccessRequest{Name: "Kari Nordmann", NIN: c.NIN, Email: "kari@example.no",
				Verified: true, ACR: tc.verifiedAt})
			if err != nil {
				t.Fatal(err)
			}
			if tc.raiseAfter {
				raise()
			}
			if out.Status != tc.wantStatus {
				t.Errorf("status %q, want %q", out.Status, tc.wantStatus)
			}
			list, err := svc.Requests(f.ctx, portal.RequestFilter{})
			if err != nil || len(list) != 1 {
				t.Fatalf("list %+v %v", list, err)
			}
			if v := list[0]; v.LevelTooLow != tc.wantTooLow || v.Verified != tc.wantVerified || v.ACR != tc.verifiedAt {
				t.Errorf("in the list: verified %v at %q, level too low %v; want %v, %v", v.Verified, v.ACR, v.LevelTooLow, tc.wantVerified, tc.wantTooLow)
			}
			if tc.wantTooLow {
				// The reception may still approve it by hand.
				if _, err := svc.ApproveRequest(f.ctx, "resepsjonist", list[0].ID, portal.Rights{Consultation: true}, list[0].Version); err != nil {
					t.Errorf("approved by hand: %v", err)
				}
			}
		})
	}
}
