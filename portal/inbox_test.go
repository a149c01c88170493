package portal_test

import (
	"errors"
	"strings"
	"testing"

	"resepsjon/portal"
	"resepsjon/register"
)

// activeUser gives a client an activated portal user with rights.
func (f *fixture) activeUser(t *testing.T, nin, email string, rights portal.Rights, electronic bool) portal.User {
	t.Helper()
	c := f.client(t, "Kari", "Nordmann", nin)
	if _, err := f.svc.Create(f.ctx, "resepsjonist", c.ID, portal.Input{Email: email, Rights: rights, WantsElectronicReply: electronic}); err != nil {
		t.Fatal(err)
	}
	_, u, err := f.svc.UseLink(f.ctx, tokenOf(t, f.lastMail(t)), portal.PurposeActivate, "fire ord er et godt passord")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestInquiriesNeedTheirRight(t *testing.T) {
	f := newFixture(t)
	u := f.activeUser(t, "14838510036", "kari@example.no", portal.Rights{Consultation: true}, true)
	inputs := map[portal.InquiryKind]portal.InquiryInput{
		portal.KindConsultation: {Text: "Jeg har hatt vondt i halsen i en uke. Bør jeg komme inn?"},
		portal.KindBooking:      {Text: "Kontroll av blodtrykk", Preferred: "mandager før kl. 10"},
		portal.KindRenewal:      {Medicine: "Ventoline 0,1 mg/dose"},
	}
	tests := []struct {
		rights portal.Rights
		kind   portal.InquiryKind
		ok     bool
	}{
		{portal.Rights{Consultation: true}, portal.KindConsultation, true},
		{portal.Rights{Consultation: true}, portal.KindBooking, false},
		{portal.Rights{Consultation: true}, portal.KindRenewal, false},
		{portal.Rights{Booking: true}, portal.KindBooking, true},
		{portal.Rights{Booking: true}, portal.KindConsultation, false},
		{portal.Rights{Renewal: true}, portal.KindRenewal, true},
		{portal.Rights{}, portal.KindConsultation, false},
	}
	for _, tc := range tests {
		a, err := f.svc.Account(f.ctx, u.ClientID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Update(f.ctx, "resepsjonist", u.ClientID, portal.Input{Email: a.Email, Rights: tc.rights,
			WantsElectronicReply: true, Version: a.Version}); err != nil {
			t.Fatal(err)
		}
		// The session's user is the one read at login: the right is checked again.
		_, err = f.svc.SendInquiry(f.ctx, u, tc.kind, inputs[tc.kind])
		if tc.ok && err != nil {
			t.Errorf("%+v %s: %v", tc.rights, tc.kind, err)
		}
		if !tc.ok && !errors.Is(err, portal.ErrNoRight) {
			t.Errorf("%+v %s: %v, want ErrNoRight", tc.rights, tc.kind, err)
		}
	}
	items, err := f.svc.Inbox(f.ctx, portal.InboxFilter{})
	if err != nil || len(items) != 3 {
		t.Fatalf("inbox: %d items, %v", len(items), err)
	}
	a, _ := f.svc.Account(f.ctx, u.ClientID)
	if _, err := f.svc.Update(f.ctx, "resepsjonist", u.ClientID, portal.Input{Email: a.Email, Rights: portal.Rights{Renewal: true}, Version: a.Version}); err != nil {
		t.Fatal(err)
	}
	var ve *portal.ValidationError
	if _, err := f.svc.SendInquiry(f.ctx, u, portal.KindRenewal, portal.InquiryInput{Text: "uten medisin"}); !errors.As(err, &ve) || ve.Fields["medicine"] != register.CodeRequired {
		t.Fatalf("renewal without a medicine: %v", err)
	}
	if _, err := f.svc.SendInquiry(f.ctx, u, portal.KindRenewal, portal.InquiryInput{Medicine: strings.Repeat("x", 301)}); !errors.As(err, &ve) {
		t.Fatalf("a too long medicine name: %v", err)
	}
}

func TestInboxAnswer(t *testing.T) {
	for _, electronic := range []bool{true, false} {
		t.Run(map[bool]string{true: "electronic", false: "by phone or letter"}[electronic], func(t *testing.T) {
			f := newFixture(t)
			u := f.activeUser(t, "14838510036", "kari@example.no", portal.Rights{Consultation: true}, electronic)
			before := f.lastMail(t).ID
			q, err := f.svc.SendInquiry(f.ctx, u, portal.KindConsultation, portal.InquiryInput{Text: "Hvor lenge skal jeg ta kuren?"})
			if err != nil {
				t.Fatal(err)
			}
			it, err := f.svc.SetInquiryStatus(f.ctx, "resepsjonist", q.ID, portal.InquiryInProgress, q.Version)
			if err != nil || it.Status != portal.InquiryInProgress || it.ClientName != "Kari Nordmann" || it.WantsElectronicReply != electronic {
				t.Fatalf("in progress: %+v %v", it, err)
			}
			if _, err := f.svc.AnswerInquiry(f.ctx, "resepsjonist", q.ID, "Ta kuren i ti dager.", q.Version); err == nil {
				t.Fatal("a stale version was accepted")
			}
			it, err = f.svc.AnswerInquiry(f.ctx, "resepsjonist", q.ID, "Ta kuren i ti dager.", it.Version)
			if err != nil || it.Status != portal.InquiryDone || it.AnsweredElectronically != electronic {
				t.Fatalf("answer: %+v %v", it, err)
			}
			hist, err := f.svc.History(f.ctx, u)
			if err != nil || len(hist) != 1 {
				t.Fatalf("history: %+v %v", hist, err)
			}
			m := f.lastMail(t)
			if electronic {
				if hist[0].Answer != "Ta kuren i ti dager." {
					t.Errorf("the answer is not in the history: %+v", hist[0])
				}
				if m.ID == before || m.Kind != portal.MailNewAnswer || m.To != "kari@example.no" ||
					strings.Contains(m.Text, "ti dager") || strings.Contains(m.HTML, "ti dager") || !strings.Contains(m.Text, "/historikk") {
					t.Errorf("new-answer mail: %+v", m)
				}
			} else {
				if hist[0].Answer != "" {
					t.Errorf("an answer given by phone shows in the history: %+v", hist[0])
				}
				if m.ID != before {
					t.Errorf("a mail was sent: %+v", m)
				}
			}
			for _, a := range []string{portal.ActionInquiry, portal.ActionInquiryStatus, portal.ActionInquiryAnswer} {
				if !hasAction(t, f, a) {
					t.Errorf("no audit row %s", a)
				}
			}
		})
	}
}
