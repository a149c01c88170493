package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestIDPortenLoginInTheBrowser: in the demo, a patient asks for access
// with «Logg inn med ID-porten»: at the demo's ID-porten mock the tester
// picks a synthetic person by keyboard, comes back to the portal verified,
// fills in the e-mail address and sends the request; the practice's
// ID-porten settings under Pasientportal show the login as ready.
func TestIDPortenLoginInTheBrowser(t *testing.T) {
	s := startApp(t, appConfig{Command: "demo", Env: []string{"RESEPSJON_PORTAL_PORT=0"}})
	patientBase := s.patientURL(t)

	// The staff side: the ID-porten card is set up against the mock.
	b := newBrowser(t)
	b.open(s.printedLaunchURL(t))
	for _, lang := range []string{"nb", "en"} {
		eval[bool](b, fmt.Sprintf(`(localStorage.setItem('resepsjon.language', %s), true)`, jsString(lang)))
		for _, size := range [][2]int64{{1366, 768}, {1920, 1080}} {
			b.do(chromedp.EmulateViewport(size[0], size[1]))
			b.do(chromedp.Navigate(s.URL + "/#/portal"))
			b.reload()
			b.waitFor("the ID-porten card, ready", `document.querySelector('#idp-status')?.dataset.ready === 'true' && !!document.querySelector('#idp-public-jwk')`)
			eval[bool](b, `(document.querySelector('#portal-idporten').scrollIntoView(), true)`)
			b.checkLayout(fmt.Sprintf("ID-porten settings %s %dx%d", lang, size[0], size[1]))
			b.screenshot(fmt.Sprintf("idporten-settings-%s-%dx%d", lang, size[0], size[1]))
		}
	}
	if got := b.value("#idp-clientId"); got != "resepsjon-demo-idporten" {
		t.Errorf("client id %q", got)
	}
	if got := b.text("#idp-redirect"); got != patientBase+"/idporten/callback" {
		t.Errorf("redirect URI %q, want %q", got, patientBase+"/idporten/callback")
	}
	if jwk := b.text("#idp-public-jwk"); !strings.Contains(jwk, `"kty"`) || strings.Contains(jwk, `"d"`) {
		t.Errorf("public JWK %q", jwk)
	}

	// The patient, in a browser of their own.
	p := newBrowser(t)
	p.do(chromedp.EmulateViewport(1366, 768))
	p.do(chromedp.Navigate(patientBase+"/logg-inn?lang=nb"), chromedp.WaitVisible(chromedp.CSS("#idporten-login")))
	p.checkLayout("patient login page with the ID-porten offer")
	p.screenshot("idporten-patient-login-nb")
	p.click("#idporten-login")

	// The mock's login page: choose a person with the keyboard.
	p.waitShown("#pid-0")
	if got := eval[string](p, `document.documentElement.lang`); got != "nb" {
		t.Errorf("mock page language %q", got)
	}
	p.checkLayout("the ID-porten mock's login page")
	p.screenshot("idporten-mock-login-nb")
	p.focus("#pid-0")
	p.checkFocusVisible("the first person on the mock's page")
	p.press(kb.ArrowDown) // the next person
	pid := eval[string](p, `document.querySelector('input[name=pid]:checked').value`)
	if pid == eval[string](p, `document.querySelector('#pid-0').value`) {
		t.Fatal("the arrow key did not move the choice")
	}
	name := eval[string](p, `document.querySelector('label[for="' + document.querySelector('input[name=pid]:checked').id + '"]').firstChild.textContent.trim()`)
	p.click(`button[value=login]`)

	// Back at the portal, verified.
	p.waitShown("#idporten-send")
	if got := p.text("#verified-pid"); got != pid[:6]+" *****" {
		t.Errorf("verified number shown as %q", got)
	}
	if got := p.value("#name"); got != name {
		t.Errorf("name %q, want %q from ID-porten", got, name)
	}
	if url := eval[string](p, `location.href`); url != patientBase+"/idporten/foresporsel" {
		t.Errorf("address after the login %q", url)
	}
	p.checkLayout("the verified request form")
	p.screenshot("idporten-request-form-nb")
	p.retype("#email", "idporten.pasient@example.no")
	p.click("#r-consultation")
	p.click("#idporten-send")
	p.waitShown(".notice")
	if got := p.text(".notice"); !strings.Contains(got, "forespørsel") && !strings.Contains(got, "godkjent") {
		t.Errorf("answer %q", got)
	}
	p.checkLayout("the request's answer")
	p.screenshot("idporten-request-sent-nb")

	// The practice received a verified request.
	status, data := sendJSON(t, http.MethodGet, s.URL+"/api/audit", "Bearer "+s.Token, nil)
	if status != http.StatusOK || !strings.Contains(string(data), "verifisert (idporten-loa-substantial)") {
		t.Errorf("audit log: %d, verified request not found", status)
	}

	// The practice raises the required level while the request waits: the
	// list no longer shows it as verified, and the change is in the log.
	setLevel := func(level string) {
		t.Helper()
		if status := s.api(t, http.MethodPut, "/api/portal/idporten", map[string]string{"level": level}, nil); status != http.StatusOK {
			t.Fatalf("level %s: %d", level, status)
		}
	}
	setLevel("idporten-loa-high")
	b.do(chromedp.Navigate(s.URL + "/#/portal/requests"))
	levelRow := `[...document.querySelectorAll('#preq-rows tr[data-status="pending"]')].find((r) => !!r.querySelector('[data-flag="level"]'))`
	b.waitFor("the request flagged as verified at a lower level", "!!"+levelRow)
	// (The staff page is in English here, from the loop above.)
	if got := eval[string](b, levelRow+`.textContent`); !strings.Contains(got, "lower level than you now require") || strings.Contains(got, "Verified (ID-porten)") {
		t.Errorf("the request's row after the level was raised: %q", got)
	}
	b.checkLayout("a request verified at a lower level")
	b.screenshot("portal-request-level-too-low-en")
	status, data = sendJSON(t, http.MethodGet, s.URL+"/api/audit?action=idporten_settings", "Bearer "+s.Token, nil)
	if status != http.StatusOK || !strings.Contains(string(data), "level=idporten-loa-high") {
		t.Errorf("the level change is not in the audit log: %d %s", status, data)
	}
	setLevel("idporten-loa-substantial")

	// With «Godkjenn automatisk», the next verified request is approved at once.
	var cur struct {
		Settings         map[string]any `json:"settings"`
		IdentityProvider bool           `json:"identityProvider"`
	}
	if status := s.api(t, http.MethodGet, "/api/portal/settings", nil, &cur); status != http.StatusOK || !cur.IdentityProvider {
		t.Fatalf("portal settings: %d, identity provider %v", status, cur.IdentityProvider)
	}
	cur.Settings["approval"] = "automatic"
	if status := s.api(t, http.MethodPut, "/api/portal/settings", cur.Settings, nil); status != http.StatusOK {
		t.Fatalf("automatic approval: %d", status)
	}
	p.do(chromedp.Navigate(patientBase+"/be-om-tilgang?lang=nb"), chromedp.WaitVisible(chromedp.CSS("#idporten-login")))
	p.checkLayout("«Be om tilgang» with the ID-porten offer")
	p.screenshot("idporten-request-page-nb")
	p.click("#idporten-login")
	p.waitShown("#pid-3")
	p.click("#pid-3")
	p.click(`button[value=login]`)
	p.waitShown("#idporten-send")
	p.retype("#email", "idporten.auto@example.no")
	p.click("#idporten-send")
	p.waitShown(".notice")
	if got := p.text(".notice"); !strings.Contains(got, "Tilgangen din er godkjent") {
		t.Errorf("automatic approval answered %q", got)
	}
	p.screenshot("idporten-approved-nb")
	s.waitDemoMail(t, "activation", "idporten.auto@example.no")

	// The same pages in English.
	p.do(chromedp.Navigate(patientBase+"/logg-inn?lang=en"), chromedp.WaitVisible(chromedp.CSS("#idporten-login")))
	p.checkLayout("patient login page, English")
	p.screenshot("idporten-patient-login-en")
	p.click("#idporten-login")
	p.waitShown("#pid-0")
	if got := eval[string](p, `document.documentElement.lang`); got != "en" {
		t.Errorf("mock page language %q, want en", got)
	}
	p.do(chromedp.EmulateViewport(1920, 1080))
	p.checkLayout("the ID-porten mock's login page, English")
	p.screenshot("idporten-mock-login-en")
	p.click(`button[value=cancel]`)
	p.waitShown(".error")
	if got := p.text(".error"); !strings.Contains(got, "cancelled") {
		t.Errorf("cancel answer %q", got)
	}
	p.checkLayout("the cancelled login, English")
	p.screenshot("idporten-cancelled-en")
}
