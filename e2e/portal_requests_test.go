package e2e

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"resepsjon/app"
)

// TestPortalRequestInTheBrowser: a person who is not a client asks for
// access on the patient side (a phone-sized second browser); the
// receptionist approves it under «Forespørsler om tilgang», which creates
// the client from the demo's Persontjenesten; the patient activates, sends
// an e-konsultasjon; the receptionist answers it in the «Innboks»; the
// patient reads the answer in the history.
func TestPortalRequestInTheBrowser(t *testing.T) {
	s := startApp(t, appConfig{Command: "demo", Env: []string{"RESEPSJON_PORTAL_PORT=0"}})
	patientBase := s.patientURL(t)
	who := freshPersons(t, s, mockURL(t, ptStatusOf(t, s)), 1)[0]
	name := who.GivenName + " " + who.FamilyName
	const email = "e2e.foresporsel@example.no"

	// The person asks for access with the plain form.
	p := newBrowser(t)
	p.do(chromedp.EmulateViewport(390, 844))
	p.do(chromedp.Navigate(patientBase + "/logg-inn?lang=nb"))
	p.waitFor("the login page", `!!document.querySelector('#link-request')`)
	p.do(chromedp.Click("#link-request", chromedp.NodeVisible), chromedp.WaitVisible(chromedp.CSS("#nin")))
	p.retype("#name", name)
	p.retype("#nin", who.NIN[:6]+" "+who.NIN[6:])
	p.retype("#email", email)
	p.click("#want-consultation")
	p.screenshot("patient-request-phone-nb")
	p.do(chromedp.Click("button.primary", chromedp.NodeVisible), chromedp.WaitVisible(chromedp.CSS("p.notice")))
	p.waitText("p.notice", "Forespørselen er mottatt")

	// The receptionist sees it, the number masked, and approves it.
	b := newBrowser(t)
	b.open(s.printedLaunchURL(t))
	b.do(chromedp.Navigate(s.URL + "/#/portal/requests"))
	findRow := fmt.Sprintf(`[...document.querySelectorAll('#preq-rows tr[data-status="pending"]')].find((r) => r.textContent.includes(%s))`, jsString(name))
	b.waitFor("the request in the list", "!!"+findRow)
	id := eval[string](b, findRow+`.dataset.requestId`)
	rowSel := `#preq-rows tr[data-request-id="` + id + `"]`
	if text := b.text(rowSel); strings.Contains(text, who.NIN) || !strings.Contains(text, who.NIN[:6]+" *****") || !strings.Contains(text, "Ikke verifisert") {
		t.Fatalf("list row: %s", text)
	}
	if got := b.attr("#portal-tab-requests", "aria-current"); got != "page" {
		t.Errorf("the tab «Forespørsler om tilgang» is not marked current: %q", got)
	}
	b.checkLayout("Forespørsler om tilgang")
	b.screenshot("portal-requests-nb")
	b.click(rowSel + ` button[data-action="approve"]`)
	b.waitFor("the approval dialog", `!!document.querySelector('#preq-approve[open] #preq-right-consultation')`)
	if !eval[bool](b, `document.querySelector('#preq-right-consultation').checked && document.querySelector('#preq-right-booking').checked`) {
		t.Fatal("the practice's default rights are not preselected")
	}
	b.click("#preq-right-booking") // editable before approving
	b.screenshot("portal-request-approve-nb")
	b.click("#preq-approve-confirm")
	b.waitText("#preq-message", "Forespørselen er godkjent")

	// The client came from Persontjenesten and has the rights chosen.
	var reqs app.PortalRequestList
	s.api(t, "GET", "/api/portal/requests?status=approved", nil, &reqs)
	if len(reqs.Results) != 1 || reqs.Results[0].ClientSource != "persontjenesten" || strconv.FormatInt(reqs.Results[0].ID, 10) != id {
		t.Fatalf("approved: %+v", reqs.Results)
	}

	// The patient activates and sends an e-konsultasjon.
	mail := s.waitDemoMail(t, "activation", email)
	link := regexp.MustCompile(`http://\S+/aktiver\?t=\S+`).FindString(mail.Text)
	if !strings.HasPrefix(link, patientBase+"/aktiver?t=") {
		t.Fatalf("activation link %q", link)
	}
	p.do(chromedp.Navigate(link + "&lang=nb"))
	p.waitFor("the activation page", `!!document.querySelector('input[name=password]')`)
	p.retype("#password", "blå sykkel ved sjøen")
	p.retype("#repeat", "blå sykkel ved sjøen")
	p.do(chromedp.Click("button.primary", chromedp.NodeVisible), chromedp.WaitVisible(chromedp.CSS("main dl")))
	p.waitFor("the services", `!!document.querySelector('#link-consultation')`)
	if eval[bool](p, `!!document.querySelector('#link-booking')`) {
		t.Fatal("E-timebestilling is offered although it was unticked")
	}
	p.screenshot("patient-profile-services-phone-nb")
	p.do(chromedp.Click("#link-consultation", chromedp.NodeVisible), chromedp.WaitVisible(chromedp.CSS("textarea#text")))
	p.retype("#text", "Jeg har hatt vondt i halsen i en uke. Bør jeg komme inn?")
	p.screenshot("patient-consultation-phone-nb")
	p.do(chromedp.Click("button.primary", chromedp.NodeVisible), chromedp.WaitVisible(chromedp.CSS("p.notice")))
	p.waitText("p.notice", "Sendt")

	// The receptionist answers in the Innboks.
	b.click("#portal-tab-inbox")
	findItem := fmt.Sprintf(`[...document.querySelectorAll('#inbox-list li[data-kind="consultation"][data-status="new"]')].find((li) => li.textContent.includes(%s))`, jsString(name))
	b.waitFor("the e-konsultasjon in the inbox", "!!"+findItem)
	iid := eval[string](b, findItem+`.dataset.inboxId`)
	item := "#inbox-" + iid
	if !strings.Contains(b.text(item), "vondt i halsen") || !strings.Contains(b.text(item+` [data-reply]`), "svar elektronisk") {
		t.Fatalf("inbox item: %s", b.text(item))
	}
	b.checkLayout("Innboks")
	b.screenshot("portal-inbox-nb")
	b.retype(item+"-answer", "Kom innom i morgen kl. 9, så ser legen på halsen.")
	b.click(item + ` button[data-action="answer"]`)
	b.waitText("#inbox-message", "Svaret er sendt")
	answerMail := s.waitDemoMail(t, "new_answer", email)
	if strings.Contains(answerMail.Text, "i morgen") {
		t.Fatalf("the answer is in the mail: %s", answerMail.Text)
	}

	// The patient reads the answer.
	p.do(chromedp.Navigate(patientBase + "/historikk"))
	p.waitText("main", "Kom innom i morgen kl. 9, så ser legen på halsen.")
	p.waitText("main", "Ferdig")
	p.screenshot("patient-history-phone-nb")

	// The approval settings under Pasientportal (the demo has ID-porten, so
	// «Godkjenn automatisk» can be chosen).
	b.click("#portal-tab-users")
	b.waitFor("the approval settings", `!!document.querySelector('#ps-approval-manual')`)
	if !eval[bool](b, `document.querySelector('#ps-approval-manual').checked && !document.querySelector('#ps-approval-automatic').disabled`) {
		t.Fatal("«Behandle manuelt» is not the default, or «Godkjenn automatisk» cannot be chosen with ID-porten set up")
	}
	eval[bool](b, `(document.querySelector('#ps-approval').scrollIntoView(), true)`)
	b.screenshot("portal-settings-approval-nb")

	// The staff pages in English, on the two screen sizes.
	eval[bool](b, `(localStorage.setItem('resepsjon.language', 'en'), true)`)
	for _, size := range [][2]int64{{1366, 768}, {1920, 1080}} {
		b.do(chromedp.EmulateViewport(size[0], size[1]))
		sfx := strconv.FormatInt(size[0], 10)
		b.do(chromedp.Navigate(s.URL + "/#/portal/requests?status=all"))
		b.reload()
		b.waitFor("the request list", `!!document.querySelector('#preq-rows tr[data-status="approved"]')`)
		b.waitText("#preq-title", "Requests for access")
		b.checkLayout("Requests for access in English")
		b.screenshot("portal-requests-en-" + sfx)
		b.do(chromedp.Navigate(s.URL + "/#/portal/inbox?status=all"))
		b.waitFor("the inbox", `!!document.querySelector('#inbox-list li[data-status="done"]')`)
		b.checkLayout("Inbox in English")
		b.screenshot("portal-inbox-en-" + sfx)
	}
	p.do(chromedp.Navigate(patientBase + "/historikk?lang=en"))
	p.waitText("h1", "History")
	p.screenshot("patient-history-phone-en")
}
