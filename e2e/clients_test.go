//go:build unix

package e2e

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"resepsjon/nin"
	"resepsjon/register"
)

// syntheticNumber is a valid synthetic fødselsnummer for birth, the first one
// from the individual number start on.
func syntheticNumber(t *testing.T, birth string, start int) string {
	t.Helper()
	day, err := time.Parse(time.DateOnly, birth)
	if err != nil {
		t.Fatal(err)
	}
	for ind := start; ind < start+100; ind++ {
		n, err := nin.Generate(day, ind, nin.KindNational, true)
		if err == nil {
			return n
		}
	}
	t.Fatalf("no synthetic identity number for %s from individual number %d", birth, start)
	return ""
}

// wrongCheckDigit is n with its last check digit changed, so that the
// number has the right length and date but fails the mod-11 check.
func wrongCheckDigit(n string) string {
	last := n[len(n)-1]
	return n[:len(n)-1] + string('0'+(last-'0'+1)%10)
}

// waitClientView waits for the read-only view of a client named name and
// returns the client's id from the address.
func waitClientView(b *browser, name string) int64 {
	b.t.Helper()
	b.waitFor("the client view", `/^#\/clients\/\d+$/.test(location.hash) && !!document.querySelector('#edit-client')`)
	b.waitText(".page-view h1", name)
	id, err := strconv.ParseInt(strings.TrimPrefix(eval[string](b, `location.hash`), "#/clients/"), 10, 64)
	if err != nil {
		b.t.Fatalf("client id in the address: %v", err)
	}
	return id
}

// viewField is the text the client view shows for a field.
func viewField(b *browser, field string) string {
	b.t.Helper()
	return b.text(fmt.Sprintf(`.page-view [data-field=%q] dd`, field))
}

// waitEditForm waits until the edit form has loaded the client.
func waitEditForm(b *browser, givenName string) {
	b.t.Helper()
	b.waitFor("the edit form with the client loaded", fmt.Sprintf(
		`/^#\/clients\/\d+\/edit$/.test(location.hash) && document.querySelector('#client-form')?.hidden === false && document.querySelector('#f-givenName')?.value === %s`,
		jsString(givenName)))
}

// TestClientRegisterInBrowser walks a receptionist's day with the register in
// headless chromium: log in through the launch URL, add a client (with a
// wrong identity number first), find it, open it, edit it, lose a race with
// another save without losing what was typed, delete it, and switch to
// English.
func TestClientRegisterInBrowser(t *testing.T) {
	s := startServer(t)
	b := newBrowser(t)

	// --- Log in with the one-time launch URL the app printed.
	launch := s.printedLaunchURL(t)
	b.open(launch)
	b.waitFor("the client list at #/clients", `location.hash === '#/clients' && !!document.querySelector('#search')`)
	if got := eval[string](b, `location.pathname + location.search`); got != "/" {
		t.Errorf("after the launch URL the address is %q; want / without the token", got)
	}
	if eval[bool](b, fmt.Sprintf(`document.cookie.includes(%s)`, jsString(s.Token))) {
		t.Error("the session token is readable by scripts; the cookie must be HttpOnly")
	}
	checkLaunchUsed(t, launch)

	// --- The empty register says so and offers to add the first client.
	b.waitFor("the empty register", `!!document.querySelector('#empty-register')`)
	if got := b.focused(); got != "search" {
		t.Errorf("focus on load is on %q; want the search box", got)
	}
	b.click("#empty-register a.button-primary")
	b.waitFor("the add-client form", `location.hash === '#/clients/new' && !!document.querySelector('#client-form:not([hidden])')`)
	b.waitFor("focus in the first field", `document.activeElement && document.activeElement.id === 'f-nin'`)

	// --- A wrong identity number: the error stands beside the field, and
	// everything typed stays.
	good := syntheticNumber(t, "1985-03-14", 210)
	bad := wrongCheckDigit(good)
	typed := map[string]string{
		"f-nin":           bad,
		"f-givenName":     "Sigrid",
		"f-familyName":    "Øvrebø",
		"f-birthDate":     "14.03.1985",
		"f-streetAddress": "Fjordveien 3",
		"f-postalCode":    "5003",
		"f-city":          "Bergen",
		"f-phone":         "912 00 111",
		"f-notes":         "Kommer helst på tirsdager.",
	}
	order := []string{"f-nin", "f-givenName", "f-familyName", "f-birthDate", "f-streetAddress", "f-postalCode", "f-city", "f-notes", "f-phone"}
	for _, id := range order {
		b.do(chromedp.SendKeys(chromedp.CSS("#"+id), typed[id]))
	}
	// The focus is in the phone field: Enter submits the form.
	b.press(kb.Enter)
	b.waitFor("the field error beside the identity number", `document.querySelector('#f-nin-error')?.hidden === false`)
	if got, want := b.text("#f-nin-error"), register.MessageNB("nin.checksum"); got != want {
		t.Errorf("field error = %q; want %q", got, want)
	}
	if got := b.attr("#f-nin", "aria-invalid"); got != "true" {
		t.Errorf("identity-number field aria-invalid = %q; want true", got)
	}
	if !strings.Contains(b.attr("#f-nin", "aria-describedby"), "f-nin-error") {
		t.Error("the identity-number field is not described by its error (screen readers miss it)")
	}
	if !eval[bool](b, `(() => {
		const input = document.querySelector('#f-nin'), error = document.querySelector('#f-nin-error');
		const box = input.closest('[data-field="nin"]');
		const a = input.getBoundingClientRect(), e = error.getBoundingClientRect();
		return !!box && box.contains(error) && e.top >= a.bottom - 1 && e.top - a.bottom < 48 && Math.abs(e.left - a.left) < 8;
	})()`) {
		t.Error("the field error is not right beside (below) the identity-number field")
	}
	for id, want := range typed {
		if got := b.value("#" + id); got != want {
			t.Errorf("after the failed save %s = %q; want %q (what was typed)", id, got, want)
		}
	}
	if got := b.focused(); got != "f-nin" {
		t.Errorf("after the failed save the focus is on %q; want the field with the error", got)
	}
	b.checkFocusVisible("the identity-number field after a failed save")
	var none register.Page
	if s.api(t, http.MethodGet, "/api/clients", nil, &none); none.Total != 0 {
		t.Errorf("a client was stored despite the field error: total %d", none.Total)
	}
	b.checkLayout("add-client form with a field error")
	b.screenshot("client-form-field-error")

	// Keyboard: Tab moves to the next field with a visible focus ring.
	b.press(kb.Tab)
	if got := b.focused(); got != "f-givenName" {
		t.Errorf("Tab from the identity number went to %q; want the given name", got)
	}
	b.checkFocusVisible("the given-name field reached with Tab")

	// --- Correct the number and save with the button.
	b.retype("#f-nin", good)
	b.click("#save")
	id := waitClientView(b, "Sigrid Øvrebø")
	b.waitText("#status", "Sigrid Øvrebø")
	if got, want := viewField(b, "nin"), nin.Format(good); got != want {
		t.Errorf("view shows identity number %q; want %q", got, want)
	}
	if got := viewField(b, "birthDate"); got != "14.03.1985" {
		t.Errorf("view shows birth date %q; want 14.03.1985", got)
	}
	if got := viewField(b, "notes"); got != typed["f-notes"] {
		t.Errorf("view shows notes %q; want %q", got, typed["f-notes"])
	}
	b.checkLayout("client view")
	b.screenshot("client-view")

	// --- Others in the register, so that finding means something.
	aase := syntheticNumber(t, "1990-07-21", 140)
	for i, c := range []register.Client{
		{NIN: syntheticNumber(t, "1972-11-02", 120), GivenName: "Ola-Kristian", MiddleName: "Bø", FamilyName: "Hansen", BirthDate: "1972-11-02", City: "Trondheim", Phone: "+47 480 11 222"},
		{NIN: aase, GivenName: "Åse", FamilyName: "Øvrelid", BirthDate: "1990-07-21", City: "Bergen", Phone: "934 56 789"},
		{NIN: syntheticNumber(t, "1958-01-30", 160), GivenName: "Per", FamilyName: "Sigurdsen", BirthDate: "1958-01-30", City: "Bodø", AddressProtection: "Confidential"},
		{GivenName: "Ingrid", MiddleName: "Marie", FamilyName: "Berg-Johansen", BirthDate: "2001-05-09", City: "Kristiansand", Phone: "413 22 908"},
	} {
		if status := s.api(t, http.MethodPost, "/api/clients", c, nil); status != http.StatusCreated {
			t.Fatalf("create client %d through the API: status %d", i, status)
		}
	}

	// --- A second client with the same identity number is refused with a
	// link to the existing one; following it asks before dropping what was
	// typed, and Esc keeps the form.
	b.click("#nav-clients")
	b.waitFor("the full client list", `document.querySelectorAll('#client-table tbody tr').length === 5`)
	b.click("#add-client")
	b.waitFor("the add-client form", `location.hash === '#/clients/new' && document.activeElement?.id === 'f-nin'`)
	b.do(chromedp.SendKeys(chromedp.CSS("#f-nin"), nin.Format(aase)))
	b.do(chromedp.SendKeys(chromedp.CSS("#f-givenName"), "Åse"))
	b.do(chromedp.SendKeys(chromedp.CSS("#f-familyName"), "Øvrelid"))
	b.press(kb.Enter)
	b.waitFor("the duplicate message with a link", `!!document.querySelector('#form-message #duplicate-link')`)
	b.waitText("#form-message", "finnes allerede")
	b.click("#duplicate-link")
	b.waitFor("the unsaved-changes question", `!!document.querySelector('dialog#leave-dialog[open]')`)
	b.press(kb.Escape)
	b.waitFor("the question to close on Esc", `!document.querySelector('dialog#leave-dialog')`)
	if got := eval[string](b, `location.hash`); got != "#/clients/new" {
		t.Errorf("after Esc on the unsaved-changes question the address is %q; want the form", got)
	}
	if got := b.value("#f-givenName"); got != "Åse" {
		t.Errorf("after Esc the given name is %q; want what was typed", got)
	}
	b.click("#duplicate-link")
	b.waitFor("the unsaved-changes question", `!!document.querySelector('dialog#leave-dialog[open]')`)
	b.click("#leave-dialog [data-action=confirm]")
	waitClientView(b, "Åse Øvrelid")

	// --- Find the client with the search box and open it.
	b.click("#nav-clients")
	b.waitFor("the full client list", `document.querySelectorAll('#client-table tbody tr').length === 5`)
	if got := b.focused(); got != "search" {
		t.Errorf("the search box does not have the focus on the client list (focus on %q)", got)
	}
	if b.visible(".pager") {
		t.Error("paging controls are shown for a list that fits on one page")
	}
	b.checkLayout("client list")
	b.screenshot("client-list")
	// Name words in any order, as prefixes, in lower case. The whole
	// register is on screen, so the page narrows it down itself, asking the
	// server nothing (ui/pages/client-match.js).
	eval[bool](b, `(performance.clearResourceTimings(), true)`)
	b.do(chromedp.SendKeys(chromedp.CSS("#search"), "øvre sig"))
	b.waitFor("one match for the search", `document.querySelectorAll('#client-table tbody tr').length === 1`)
	if n := eval[int](b, `performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/clients?')).length`); n != 0 {
		t.Errorf("the search of a list shown whole asked the server %d times; want none", n)
	}
	// A search typed faster than the typing pause may still be on its way.
	b.do(chromedp.Sleep(400 * time.Millisecond))
	b.waitFor("the search to settle", `!document.querySelector('#results').hasAttribute('aria-busy') && document.querySelectorAll('#client-table tbody tr').length === 1`)
	if got := b.text("#client-table tbody tr .row-link"); got != "Øvrebø, Sigrid" {
		t.Errorf("the search found %q; want Øvrebø, Sigrid", got)
	}
	// The search is kept in the address (for Back) once the typing pauses.
	b.waitFor("the search in the address", `new URLSearchParams(location.hash.split('?')[1] || '').get('q') === 'øvre sig'`)
	b.press(kb.Tab)
	b.checkFocusVisible("the first result reached with Tab from the search box")
	b.click("#client-table tbody tr .row-link")
	if got := waitClientView(b, "Sigrid Øvrebø"); got != id {
		t.Fatalf("the search opened client %d; want %d", got, id)
	}

	// --- Edit and save with Enter.
	b.click("#edit-client")
	waitEditForm(b, "Sigrid")
	if got, want := b.value("#f-nin"), nin.Format(good); got != want {
		t.Errorf("edit form shows identity number %q; want %q", got, want)
	}
	b.retype("#f-phone", "913 00 222")
	b.press(kb.Enter)
	waitClientView(b, "Sigrid Øvrebø")
	b.waitFor("the new phone number in the view", `document.querySelector('.page-view [data-field="phone"] dd')?.textContent === '913 00 222'`)

	// --- A stale save: someone else saves the client while the form is open.
	b.click("#edit-client")
	waitEditForm(b, "Sigrid")
	mine := "Ringer før timen; ny adresse kommer."
	b.retype("#f-notes", mine)
	b.retype("#f-givenName", "Sigrid Anna")
	var other map[string]any
	if status := s.api(t, http.MethodGet, "/api/clients/"+strconv.FormatInt(id, 10), nil, &other); status != http.StatusOK {
		t.Fatalf("GET client: status %d", status)
	}
	other["city"] = "Oslo"
	other["postalCode"] = "0184"
	if status := s.api(t, http.MethodPut, "/api/clients/"+strconv.FormatInt(id, 10), other, &other); status != http.StatusOK {
		t.Fatalf("PUT client through the API: status %d", status)
	}
	// The focus is in the given-name field: Enter saves.
	b.press(kb.Enter)
	b.waitFor("the conflict message", `!!document.querySelector('#form-message #reload-stored')`)
	b.waitText("#form-message", "endret av noen andre")
	if got := b.focused(); got != "reload-stored" {
		t.Errorf("after the conflict the focus is on %q; want the reload button", got)
	}
	b.checkFocusVisible("the reload button after a conflict")
	if got := b.value("#f-notes"); got != mine {
		t.Errorf("after the conflict the notes are %q; want what was typed %q", got, mine)
	}
	b.click("#reload-stored")
	b.waitFor("the stored values beside the typed ones", `!!document.querySelector('#keep-mine') && document.querySelector('#f-city-stored')?.hidden === false`)
	b.waitText("#form-message", "endret av noen andre")
	if got := b.text("#f-city-stored"); !strings.Contains(got, "Oslo") {
		t.Errorf("stored-value note for the city = %q; want it to show Oslo", got)
	}
	for sel, want := range map[string]string{"#f-notes": mine, "#f-givenName": "Sigrid Anna", "#f-city": "Bergen", "#f-phone": "913 00 222"} {
		if got := b.value(sel); got != want {
			t.Errorf("after the reload %s = %q; want %q (what was typed)", sel, got, want)
		}
	}
	b.checkLayout("edit form after a conflict")
	b.screenshot("client-form-conflict")
	// "Behold mine endringer" is a three-way merge: the fields this user
	// edited (notes, given name) stay as typed, the fields only the other
	// saved (city, postal code) are taken from the stored version.
	b.click("#keep-mine")
	b.waitFor("the merge summary", `!!document.querySelector('#merge-summary li[data-from="theirs"]')`)
	for sel, want := range map[string]string{"#f-notes": mine, "#f-givenName": "Sigrid Anna", "#f-city": "Oslo", "#f-postalCode": "0184"} {
		if got := b.value(sel); got != want {
			t.Errorf("after keeping my changes %s = %q; want %q", sel, got, want)
		}
	}
	if got := b.text(`#merge-summary li[data-from="mine"]`); !strings.Contains(got, "Fornavn") || !strings.Contains(got, "Notater") || strings.Contains(got, "Poststed") {
		t.Errorf("kept from mine: %q", got)
	}
	if got := b.text(`#merge-summary li[data-from="theirs"]`); !strings.Contains(got, "Poststed") || !strings.Contains(got, "Postnummer") || strings.Contains(got, "Notater") {
		t.Errorf("taken from the stored version: %q", got)
	}
	b.click("#save")
	waitClientView(b, "Sigrid Anna Øvrebø")
	var saved register.Client
	s.api(t, http.MethodGet, "/api/clients/"+strconv.FormatInt(id, 10), nil, &saved)
	if saved.Notes != mine || saved.GivenName != "Sigrid Anna" || saved.City != "Oslo" || saved.PostalCode != "0184" || saved.Version < 4 {
		t.Errorf("after keeping my changes the stored client has notes %q, given name %q, city %q, postal code %q, version %d", saved.Notes, saved.GivenName, saved.City, saved.PostalCode, saved.Version)
	}

	// --- Delete: Esc closes the confirmation and deletes nothing. The
	// keyboard opens it, so the focus ring must show on its button.
	b.focus("#delete-client")
	b.press(kb.Enter)
	b.waitFor("the delete confirmation", `!!document.querySelector('dialog#delete-dialog[open]')`)
	if !eval[bool](b, `document.querySelector('#delete-dialog').contains(document.activeElement)`) {
		t.Error("the focus is not inside the delete confirmation")
	}
	b.checkFocusVisible("the delete confirmation's first button")
	b.checkLayout("delete confirmation")
	b.screenshot("client-delete-dialog")
	b.press(kb.Escape)
	b.waitFor("the dialog to close on Esc", `!document.querySelector('dialog#delete-dialog')`)
	if status := s.api(t, http.MethodGet, "/api/clients/"+strconv.FormatInt(id, 10), nil, nil); status != http.StatusOK {
		t.Fatalf("after Esc the client is gone: status %d", status)
	}
	b.click("#delete-client")
	b.waitFor("the delete confirmation", `!!document.querySelector('dialog#delete-dialog[open]')`)
	b.click("#delete-dialog [data-action=confirm]")
	b.waitFor("the client list after deleting", `location.hash === '#/clients' && document.querySelectorAll('#client-table tbody tr').length === 4`)
	b.waitText("#status", "slettet")
	if status := s.api(t, http.MethodGet, "/api/clients/"+strconv.FormatInt(id, 10), nil, nil); status != http.StatusNotFound {
		t.Errorf("after deleting, GET the client gives %d; want 404", status)
	}

	// --- English, remembered across a reload; server messages follow.
	b.click("#nav-settings")
	b.waitFor("the settings page", `!!document.querySelector('#lang-en')`)
	b.click("#lang-en")
	b.waitText("#nav-clients", "Clients")
	b.reload()
	b.waitText("#nav-clients", "Clients")
	// The menu is drawn before the page: wait for the settings page itself.
	b.waitFor("the settings page after a reload", `!!document.querySelector('#lang-en')`)
	if got := eval[string](b, `document.documentElement.lang`); got != "en" {
		t.Errorf("after a reload the page language is %q; want en", got)
	}
	if !eval[bool](b, `document.querySelector('#lang-en').checked`) {
		t.Error("after a reload the English choice is not checked")
	}
	b.open(s.URL + "/#/clients/new")
	b.waitFor("the English add-client form", `!!document.querySelector('#client-form:not([hidden])')`)
	b.waitText(".page-form h1", "Add client")
	b.do(chromedp.SendKeys(chromedp.CSS("#f-givenName"), "Test"))
	b.do(chromedp.SendKeys(chromedp.CSS("#f-familyName"), "Person"))
	b.do(chromedp.SendKeys(chromedp.CSS("#f-nin"), bad))
	b.press(kb.Enter)
	b.waitFor("the English field error", `document.querySelector('#f-nin-error')?.hidden === false`)
	if got, want := b.text("#f-nin-error"), register.MessageEN("nin.checksum"); got != want {
		t.Errorf("English field error = %q; want %q", got, want)
	}
	if !eval[bool](b, `Math.abs(document.querySelector('#f-nin').getBoundingClientRect().top - document.querySelector('#f-givenName').getBoundingClientRect().top) < 1`) {
		t.Error("with a two-line label the identity-number field and the given-name field do not line up")
	}
	b.checkLayout("English add-client form with a field error")
	b.screenshot("client-form-field-error-en")
}

// checkLaunchUsed checks that a launch URL opens no second session: asked
// again, it sets no cookie.
func checkLaunchUsed(t *testing.T, launch string) {
	t.Helper()
	client := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Get(launch)
	if err != nil {
		t.Fatalf("GET the used launch URL: %v", err)
	}
	resp.Body.Close()
	if len(resp.Cookies()) != 0 {
		t.Errorf("a used launch URL set a cookie again: %v", resp.Header["Set-Cookie"])
	}
}

// TestDemoInBrowser checks that "resepsjon demo" serves a page a person can
// use: the demo banner, synthetic clients in the list, a client that opens.
func TestDemoInBrowser(t *testing.T) {
	s := startDemo(t)
	b := newBrowser(t)
	b.open(s.printedLaunchURL(t))
	b.waitFor("the demo client list", `document.querySelectorAll('#client-table tbody tr').length >= 5`)
	if got := b.focused(); got != "search" {
		t.Errorf("focus on load is on %q; want the search box", got)
	}
	if !b.visible("#demo-banner") {
		t.Error("the demo banner is not shown")
	}
	if got := b.text("#demo-banner"); got != "DEMO – syntetiske data" {
		t.Errorf("demo banner = %q", got)
	}
	b.checkLayout("demo client list")
	b.screenshot("demo-client-list")
	b.click("#client-table tbody tr .row-link")
	b.waitFor("a demo client's view", `!!document.querySelector('#edit-client')`)
	b.checkLayout("demo client view")
	b.screenshot("demo-client-view")

	// The launch URL is spent: another browser opening it gets no session
	// and is told what to do.
	other := newBrowser(t)
	other.do(chromedp.Navigate(s.printedLaunchURL(t)))
	other.waitFor("the session-ended page", `!!document.querySelector('#session-ended')`)
	other.waitText("#session-ended", "start Resepsjon på nytt")
	other.checkLayout("session-ended page")
}

// TestClientListPaging checks the list past one page and a search without
// matches.
func TestClientListPaging(t *testing.T) {
	s := startServer(t)
	given := []string{"Nora", "Emma", "Jakob", "Filip", "Sofie", "Lukas", "Ingrid", "Henrik", "Maja", "Oskar", "Tuva"}
	family := []string{"Bakken", "Haugen", "Lie", "Dahl", "Strand", "Moen", "Solberg"}
	const total = 57
	for i := range total {
		c := register.Client{
			GivenName:  given[i%len(given)],
			FamilyName: family[i%len(family)],
			BirthDate:  fmt.Sprintf("19%02d-%02d-%02d", 40+i, 1+i%12, 1+i%28),
			Phone:      fmt.Sprintf("9%02d 00 %03d", i, i),
		}
		if status := s.api(t, http.MethodPost, "/api/clients", c, nil); status != http.StatusCreated {
			t.Fatalf("create client %d through the API: status %d", i, status)
		}
	}
	b := newBrowser(t)
	b.open(s.printedLaunchURL(t))
	b.waitFor("the first page", `document.querySelectorAll('#client-table tbody tr').length === 50`)
	if got := b.text("#result-summary"); got != "1–50 av 57" {
		t.Errorf("summary on the first page = %q; want 1–50 av 57", got)
	}
	if !b.visible(".pager") || eval[bool](b, `!document.querySelector('#page-prev').disabled`) {
		t.Error("the first page shows no pager, or Previous is usable on it")
	}
	b.focus("#page-next")
	b.press(kb.Enter)
	b.waitFor("the second page", `document.querySelectorAll('#client-table tbody tr').length === 7`)
	if got := b.text("#result-summary"); got != "51–57 av 57" {
		t.Errorf("summary on the second page = %q; want 51–57 av 57", got)
	}
	b.waitFor("the focus on the first row of the new page", `document.activeElement?.classList.contains('row-link')`)
	b.checkFocusVisible("the first row after turning the page with the keyboard")
	if got := eval[string](b, `location.hash`); got != "#/clients?page=2" {
		t.Errorf("the page is not kept in the address: %q", got)
	}
	b.checkLayout("second page of the client list")

	b.focus("#search")
	b.do(chromedp.SendKeys(chromedp.CSS("#search"), "qqzz"))
	b.waitFor("the no-match message", `!!document.querySelector('#no-hits')`)
	b.waitText("#no-hits", "Ingen treff")
	b.checkLayout("a search without matches")
}
