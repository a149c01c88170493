package e2e

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// patientURLRE finds the patient listener's address the demo prints.
var patientURLRE = regexp.MustCompile(`Pasientportalen \(pasientens side\) / the patient portal: (http://127\.0\.0\.1:\d+)`)

func (s *server) patientURL(t *testing.T) string {
	t.Helper()
	// The demo is a child process: its output is read until the line is there.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := patientURLRE.FindStringSubmatch(s.out.String()); m != nil {
			return m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo printed no patient portal address:\n%s", s.out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type demoMail struct {
	Kind string `json:"kind"`
	To   string `json:"to"`
	Text string `json:"text"`
}

// waitDemoMail waits for a mail of kind to addr in the demo's outbox.
func (s *server) waitDemoMail(t *testing.T, kind, addr string) demoMail {
	t.Helper()
	// The mail is queued in the child process: its outbox is asked until
	// the mail is there.
	deadline := time.Now().Add(20 * time.Second)
	for {
		var out struct {
			Results []demoMail `json:"results"`
		}
		s.api(t, http.MethodGet, "/api/portal/outbox", nil, &out)
		for _, m := range out.Results {
			if m.Kind == kind && m.To == addr {
				return m
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s mail to %s in the demo outbox: %+v", kind, addr, out.Results)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// clientWithoutPortal is a demo client that has no portal user yet.
func (s *server) clientWithoutPortal(t *testing.T) int64 {
	t.Helper()
	var page struct {
		Results []struct {
			ID int64 `json:"id"`
		} `json:"results"`
	}
	s.api(t, http.MethodGet, "/api/clients?limit=20", nil, &page)
	for _, c := range page.Results {
		var p struct {
			Account any `json:"account"`
		}
		s.api(t, http.MethodGet, "/api/clients/"+strconv.FormatInt(c.ID, 10)+"/portal", nil, &p)
		if p.Account == nil {
			return c.ID
		}
	}
	t.Fatal("every demo client has a portal user")
	return 0
}

// clientByPortalEmail is the demo client whose portal user has addr.
func (s *server) clientByPortalEmail(t *testing.T, addr string) int64 {
	t.Helper()
	var out struct {
		Results []struct {
			ClientID int64  `json:"clientId"`
			Email    string `json:"email"`
		} `json:"results"`
	}
	s.api(t, http.MethodGet, "/api/portal/users", nil, &out)
	for _, a := range out.Results {
		if a.Email == addr {
			return a.ClientID
		}
	}
	t.Fatalf("no portal user %s", addr)
	return 0
}

// openPanel opens client id's card and the portal panel from the e-mail field.
func (b *browser) openPanel(base string, id int64) {
	b.t.Helper()
	b.do(chromedp.Navigate(base + "/#/clients/" + strconv.FormatInt(id, 10)))
	b.waitFor("the client card", `!!document.querySelector('#email-portal')`)
	b.click("#email-portal")
	b.waitFor("the portal panel", `!!document.querySelector('#portal-panel #portal-email')`)
}

func TestPortalFlowInTheBrowser(t *testing.T) {
	s := startApp(t, appConfig{Command: "demo", Env: []string{"RESEPSJON_PORTAL_PORT=0"}})
	patientBase := s.patientURL(t)
	id := s.clientWithoutPortal(t)
	b := newBrowser(t)
	b.open(s.printedLaunchURL(t))

	// The receptionist opens the panel from the e-mail field and creates
	// access with Alt+P.
	b.openPanel(s.URL, id)
	b.retype("#portal-email", "e2e.pasient@example.no")
	b.click("#portal-right-booking")
	b.focus("#portal-email")
	b.do(chromedp.KeyEvent("p", chromedp.KeyModifiers(chromedp.ModifierAlt)))
	b.waitText("#portal-state", "Venter på aktivering")
	if got := b.attr("#portal-state .portal-status", "data-status"); got != "pending" {
		t.Fatalf("status badge %q", got)
	}
	if bg := eval[string](b, `getComputedStyle(document.querySelector('#portal-state .portal-status')).backgroundColor`); bg != "rgb(255, 229, 138)" {
		t.Errorf("«Venter på aktivering» is not yellow: %s", bg)
	}
	b.waitText("#portal-state", "Aktiveringslenken ble sendt")
	b.checkLayout("the portal panel, awaiting activation")
	b.screenshot("portal-panel-pending-nb")

	// The patient activates from the demo outbox's link in a second browser.
	mail := s.waitDemoMail(t, "activation", "e2e.pasient@example.no")
	link := regexp.MustCompile(`http://\S+/aktiver\?t=\S+`).FindString(mail.Text)
	if !strings.HasPrefix(link, patientBase+"/aktiver?t=") {
		t.Fatalf("activation link %q (patient side %s)", link, patientBase)
	}
	b.do(chromedp.Navigate(s.URL + "/#/portal"))
	b.waitFor("the outbox viewer", `!!document.querySelector('#portal-outbox li[data-to="e2e.pasient@example.no"] a[data-outbox-link="activation"]')`)
	b.screenshot("portal-page-nb")
	if href := b.attr(`#portal-outbox li[data-to="e2e.pasient@example.no"] a[data-outbox-link="activation"]`, "href"); href != link {
		t.Fatalf("outbox viewer link %q, want %q", href, link)
	}
	p := newBrowser(t)
	p.do(chromedp.EmulateViewport(390, 844))
	p.do(chromedp.Navigate(link + "&lang=nb")) // chromium asks for English by default
	p.waitFor("the activation page", `!!document.querySelector('input[name=password]')`)
	p.screenshot("patient-activate-phone-nb")
	p.retype("#password", "blå sykkel ved sjøen")
	p.retype("#repeat", "blå sykkel ved sjøen")
	// Submitting navigates: wait for the profile's list to appear.
	p.do(chromedp.Click("button.primary", chromedp.NodeVisible), chromedp.WaitVisible(chromedp.CSS("main dl")))
	p.waitText("h1", "Profilen din")
	// Booking was unticked in the panel; the other two rights were given.
	if text := p.text("main"); !strings.Contains(text, "E-konsultasjon: ja") || !strings.Contains(text, "E-timebestilling: nei") ||
		!strings.Contains(text, "e2e.pasient@example.no") {
		t.Fatalf("profile: %s", text)
	}
	p.screenshot("patient-profile-phone-nb")

	// The panel turns active.
	b.openPanel(s.URL, id)
	b.waitText("#portal-state", "Aktiv")
	b.screenshot("portal-panel-active-nb")

	// Alt+K sends a password link.
	b.focus("#portal-email")
	b.do(chromedp.KeyEvent("k", chromedp.KeyModifiers(chromedp.ModifierAlt)))
	b.waitText("#portal-message", "Lenke til nytt passord")
	s.waitDemoMail(t, "reset", "e2e.pasient@example.no")

	// The seeded demo users show the other statuses.
	for _, c := range []struct{ email, status, shot string }{
		{"ingen-rettigheter@demo-pasient.example", "Ingen rettigheter", "portal-panel-no-rights-nb"},
		{"ikke-sendt@demo-pasient.example", "E-post ikke sendt", "portal-panel-mail-failed-nb"},
		{"venter@demo-pasient.example", "Venter på aktivering", ""},
	} {
		b.openPanel(s.URL, s.clientByPortalEmail(t, c.email))
		b.waitText("#portal-state", c.status)
		b.checkLayout("the portal panel: " + c.status)
		if c.shot != "" {
			b.screenshot(c.shot)
		}
	}
	// «Prøv igjen» on the unsent mail delivers it (the demo's outbox accepts).
	b.click("#portal-close")
	b.openPanel(s.URL, s.clientByPortalEmail(t, "ikke-sendt@demo-pasient.example"))
	b.click("#portal-retry")
	b.waitText("#portal-message", "sendes på nytt")
	s.waitDemoMail(t, "activation", "ikke-sendt@demo-pasient.example")

	// English, and the larger screens.
	eval[bool](b, `(localStorage.setItem('resepsjon.language', 'en'), true)`)
	for _, size := range [][2]int64{{1366, 768}, {1920, 1080}} {
		b.do(chromedp.EmulateViewport(size[0], size[1]))
		sfx := strconv.FormatInt(size[0], 10)
		b.do(chromedp.Navigate(s.URL + "/#/clients"))
		b.reload()
		b.openPanel(s.URL, s.clientByPortalEmail(t, "venter@demo-pasient.example"))
		b.waitText("#portal-state", "Awaiting activation")
		b.screenshot("portal-panel-pending-en-" + sfx)
		b.openPanel(s.URL, id)
		b.waitText("#portal-state", "Active")
		b.screenshot("portal-panel-active-en-" + sfx)
		b.do(chromedp.Navigate(s.URL + "/#/portal"))
		b.waitFor("the portal page", `document.querySelectorAll('#portal-rows tr[data-status]').length >= 5`)
		b.checkLayout("the Pasientportal page in English")
		b.screenshot("portal-page-en-" + sfx)
	}
	p.do(chromedp.Navigate(patientBase+"/profil?lang=en"), chromedp.WaitVisible(chromedp.CSS("main dl")))
	p.waitText("h1", "Your profile")
	p.screenshot("patient-profile-phone-en")
}
