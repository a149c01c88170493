//go:build unix

package e2e

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The receptionist's desk, round two: what a receptionist at a 1366×768
// reception PC must see, keep and reach with the keyboard. One demo app and
// one browser serve every part, in order.

// importClient saves a person of the mock's population as a client through
// the API, exactly as Persontjenesten has them, and returns the client.
func importClient(t *testing.T, s *server, number string) map[string]any {
	t.Helper()
	var got struct {
		Draft map[string]any `json:"draft"`
	}
	if code := s.api(t, http.MethodPost, "/api/persontjenesten/lookup", map[string]string{"nin": number}, &got); code != http.StatusOK {
		t.Fatalf("lookup: status %d", code)
	}
	var created map[string]any
	if code := s.api(t, http.MethodPost, "/api/clients", got.Draft, &created); code != http.StatusCreated {
		t.Fatalf("create: status %d", code)
	}
	return created
}

// clientPath is the API path of a client answer's id.
func clientPath(c map[string]any) string {
	return "/api/clients/" + strconv.FormatInt(int64(c["id"].(float64)), 10)
}

// inViewport is a JavaScript test that the element is entirely on screen.
func inViewport(selector string) string {
	return fmt.Sprintf(`(() => { const r = document.querySelector(%s)?.getBoundingClientRect(); return !!r && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; })()`, jsString(selector))
}

func TestReceptionDesk(t *testing.T) {
	s, b := openDemo(t)
	b.do(chromedp.EmulateViewport(1366, 650))
	base := activateByAPI(t, s)
	people := freshPersons(t, s, base, 5)

	// Issue item 1: "Oppdater via Persontjenesten" answers where the eye is,
	// and the client card offers it too.
	t.Run("update answers beside the button", func(t *testing.T) {
		b.t = t
		c := importClient(t, s, people[0].NIN)
		b.do(chromedp.Navigate(fmt.Sprintf("%s/#/clients/%d", s.URL, int64(c["id"].(float64)))))
		waitClientView(b, people[0].FamilyName)
		b.click("#update-client")
		b.waitText("#pt-update-message", "Ingen endringer")
		if got := b.focused(); got != "pt-update-message" {
			t.Errorf("after the update the focus is on %q, want the answer", got)
		}
		if !eval[bool](b, inViewport("#pt-update-message")) {
			t.Error("the answer is not on screen")
		}
		if !eval[bool](b, inViewport("#pt-update")) {
			t.Error("the update button is not on screen next to its answer")
		}
		// Persontjenesten does not answer: the error is beside the button too.
		mockControl(t, base, http.MethodPut, "/_mock/faults", map[string]any{"persontjenestenDown": true})
		b.click("#pt-update")
		b.waitFor("the failure under the button", `!!document.querySelector('#pt-update-message .message-error')`)
		if !eval[bool](b, inViewport("#pt-update-message")) || b.focused() != "pt-update-message" {
			t.Error("the failure is not on screen with the focus on it")
		}
		mockControl(t, base, http.MethodPut, "/_mock/faults", map[string]any{})
	})

	// Issue item 2: keeping my changes keeps only the fields I edited.
	t.Run("keep my changes merges three ways", func(t *testing.T) {
		b.t = t
		c := importClient(t, s, people[1].NIN)
		path := clientPath(c)
		b.do(chromedp.Navigate(fmt.Sprintf("%s/#/clients/%d/edit", s.URL, int64(c["id"].(float64)))))
		waitEditForm(b, people[1].GivenName)
		oldPhone := b.value("#f-phone")
		// Tab A: only the e-mail.
		b.retype("#f-email", "tab.a@example.no")
		// Tab B saves a new phone number meanwhile.
		var other map[string]any
		s.api(t, http.MethodGet, path, nil, &other)
		other["phone"] = "412 34 567"
		if code := s.api(t, http.MethodPut, path, other, nil); code != http.StatusOK {
			t.Fatalf("tab B's save: status %d", code)
		}
		b.click("#save")
		b.waitFor("the conflict", `!!document.querySelector('#reload-stored')`)
		b.click("#reload-stored")
		b.waitFor("the choice", `!!document.querySelector('#keep-mine')`)
		if got := b.text("#f-phone-stored"); !strings.Contains(got, "412 34 567") {
			t.Errorf("the phone's note says %q; want the stored number", got)
		}
		b.click("#keep-mine")
		b.waitFor("the merge summary", `!!document.querySelector('#merge-summary')`)
		if got := b.value("#f-phone"); got == oldPhone || !strings.Contains(got, "412") {
			t.Errorf("after keeping my changes the phone field shows %q; want tab B's number", got)
		}
		if got := b.text(`#merge-summary li[data-from="mine"]`); !strings.Contains(got, "E-post") || strings.Contains(got, "Telefon") {
			t.Errorf("kept from mine: %q", got)
		}
		if got := b.text(`#merge-summary li[data-from="theirs"]`); !strings.Contains(got, "Telefon") {
			t.Errorf("taken from the stored version: %q", got)
		}
		b.click("#save")
		waitClientView(b, people[1].FamilyName)
		var saved map[string]any
		s.api(t, http.MethodGet, path, nil, &saved)
		if saved["email"] != "tab.a@example.no" || !strings.Contains(fmt.Sprint(saved["phone"]), "412") {
			t.Errorf("saved e-mail %v and phone %v; want tab A's e-mail and tab B's phone", saved["email"], saved["phone"])
		}
	})

	// Issue item 3: an import not yet saved shows no zero dates.
	t.Run("unsaved import shows no dates", func(t *testing.T) {
		b.t = t
		b.do(chromedp.Navigate(s.URL + "/#/clients/new"))
		b.waitFor("the add form", `!!document.querySelector('#pt-search-link')`)
		b.click("#pt-search-link")
		b.waitFor("the search dialog", `!!document.querySelector('#pt-search-dialog[open]')`)
		b.retype("#pts-nin", people[2].NIN)
		b.click("#pts-search")
		b.waitFor("one result", `document.querySelectorAll('#pts-list .pt-result-button').length === 1`)
		b.click("#pts-result-0")
		b.waitFor("the filled form", `!document.querySelector('#pt-search-dialog') && document.querySelector('#f-familyName').value !== ''`)
		page := eval[string](b, `document.querySelector('#main').innerText`)
		if strings.Contains(page, "01.01.1 ") || strings.Contains(page, ".0001") {
			t.Errorf("the form shows a zero date:\n%s", page)
		}
		for _, f := range []string{"createdAt", "updatedAt"} {
			if eval[bool](b, fmt.Sprintf(`!!document.querySelector('#register-details [data-field=%q]')`, f)) {
				t.Errorf("the unsaved client shows %s", f)
			}
		}
		if !eval[bool](b, `!!document.querySelector('#register-details [data-field="fetchedAt"]')`) {
			t.Error("the time fetched from Persontjenesten is not shown")
		}
		b.click("#cancel")
		b.waitFor("the question about unsaved changes", `!!document.querySelector('#leave-dialog[open]')`)
		b.click(`#leave-dialog [data-action="confirm"]`)
		b.waitFor("the client list", `location.hash === '#/clients'`)
	})

	// Issue item 4: name and identity number are always fetched.
	t.Run("name and number cannot be unticked", func(t *testing.T) {
		b.t = t
		b.do(chromedp.Navigate(s.URL + "/#/persontjenesten"))
		b.waitFor("the information parts", `!!document.querySelector('#pt-part-Name')`)
		for _, part := range []string{"Name", "NorwegianIdentificationNumber"} {
			if !eval[bool](b, fmt.Sprintf(`(() => { const el = document.querySelector('#pt-part-%s'); return el.checked && el.disabled; })()`, part)) {
				t.Errorf("%s is not ticked and locked", part)
			}
		}
		if got := b.text("#pt-parts-always"); !strings.Contains(got, "alltid") {
			t.Errorf("no line says why: %q", got)
		}
		if eval[bool](b, `!!document.querySelector('#pt-part-MaritalStatus')`) {
			t.Error("a part Resepsjon never stores (marital status) is offered")
		}
		// Untick everything that can be unticked and save: name and number stay.
		eval[bool](b, `(() => { for (const el of document.querySelectorAll('#pt-parts input[type=checkbox]:not(:disabled)')) if (el.checked) el.click(); return true; })()`)
		b.click("#pt-parts-save")
		b.waitFor("the saved choice", `!!document.querySelector('#pt-parts-message .message-info')`)
		parts := ptStatusOf(t, s).InformationParts
		if len(parts) != 2 || !contains(parts, "Name") || !contains(parts, "NorwegianIdentificationNumber") {
			t.Errorf("information parts after unticking all: %v", parts)
		}
		b.click("#pt-parts-default")
		b.click("#pt-parts-save")
		b.waitFor("the saved default", `document.querySelector('#pt-parts-message')?.textContent.includes('lagret')`)
	})

	// Issue item 6: the keyboard reaches a match at once.
	t.Run("keyboard picks a match", func(t *testing.T) {
		b.t = t
		p := people[3]
		b.do(chromedp.Navigate(s.URL + "/#/clients/new"))
		b.waitFor("the add form", `!!document.querySelector('#pt-search-link')`)
		b.click("#pt-search-link")
		b.waitFor("the search dialog", `document.activeElement?.id === 'pts-nin'`)
		b.do(chromedp.KeyEvent(p.NIN))
		b.press(kb.Enter)
		b.waitFor("the exact hit with the focus", `document.activeElement?.id === 'pts-result-0'`)
		if !eval[bool](b, inViewport("#pt-search-dialog .dialog-title")) {
			t.Error("the dialog's title scrolled away")
		}
		if got := b.text("#pts-asked-text"); !strings.Contains(got, p.NIN[:6]) {
			t.Errorf("the folded search says %q", got)
		}
		// Endre søk opens the form again; ArrowDown from a field goes back to the match.
		b.click("#pts-edit")
		b.waitFor("the form again", `document.activeElement?.id === 'pts-nin'`)
		b.press(kb.ArrowDown)
		b.waitFor("the match from ArrowDown", `document.activeElement?.id === 'pts-result-0'`)
		b.press(kb.Enter)
		b.waitFor("the filled form", `!document.querySelector('#pt-search-dialog') && document.querySelector('#f-familyName').value !== ''`)
		if got := b.value("#f-familyName"); got != p.FamilyName {
			t.Errorf("family name %q, want %q", got, p.FamilyName)
		}
		b.click("#save")
		waitClientView(b, p.FamilyName)

		// The client list: a name and Enter open the single match, even
		// when Enter comes before the search has answered.
		b.do(chromedp.Navigate(s.URL + "/#/clients"))
		b.waitFor("the search box", `document.activeElement?.id === 'search'`)
		b.do(chromedp.KeyEvent(p.GivenName + " " + p.FamilyName + "\r"))
		if got := waitClientView(b, p.FamilyName); got == 0 {
			t.Error("Enter did not open the single match")
		}
	})

	// Issue items 5 and 13: the status page names its own button, and a
	// missing delegation says whom to delegate to.
	t.Run("status page names its own button", func(t *testing.T) {
		b.t = t
		org := ptStatusOf(t, s).Practice.OrgNumber
		setOrg(t, base, "delegations", org, false)
		defer setOrg(t, base, "delegations", org, true)
		b.do(chromedp.Navigate(s.URL + "/#/persontjenesten"))
		b.waitFor("the refresh button", `!!document.querySelector('#pt-refresh')`)
		b.click("#pt-refresh")
		b.waitFor("the failed delegation", `!!document.querySelector('#pt-delegation-failure')`)
		page := eval[string](b, `document.querySelector('#main').innerText`)
		if strings.Contains(page, "Prøv igjen") {
			t.Errorf("the status page names «Prøv igjen», a button it does not have:\n%s", page)
		}
		if got := b.text("#pt-delegation-next"); !strings.Contains(got, "«Oppdater innstillinger»") {
			t.Errorf("the next step says %q", got)
		}
		if got := b.text("#pt-delegation-who"); !strings.Contains(got, e2eClientID) || !strings.Contains(got, org) {
			t.Errorf("whom to delegate to: %q", got)
		}
		b.checkLayout("status page with a failed delegation")
		setOrg(t, base, "delegations", org, true)
		b.click("#pt-refresh")
		b.waitFor("the delegation in order again", `document.querySelector('#pt-delegation-state')?.classList.contains('state-ok') && document.querySelector('#pt-access-state')?.classList.contains('state-ok')`)
	})

	// Issue item 16: the shortcuts work, and say so in tooltips and a list.
	t.Run("keyboard shortcuts", func(t *testing.T) {
		b.t = t
		b.do(chromedp.Navigate(s.URL + "/#/clients"))
		b.waitFor("the client list", `document.activeElement?.id === 'search'`)
		if got := b.attr("#add-client", "title"); !strings.Contains(got, "Alt+N") {
			t.Errorf("the add button's tooltip %q does not name Alt+N", got)
		}
		b.focus("#nav-clients")
		b.press("?")
		b.waitFor("the shortcut list", `!!document.querySelector('#keys-dialog[open]')`)
		for _, k := range []string{"Alt+N", "Alt+K", "Ctrl+S", "Alt+P", "Esc"} {
			if !strings.Contains(b.text("#keys-dialog"), k) {
				t.Errorf("the shortcut list lacks %s", k)
			}
		}
		b.checkLayout("the shortcut list")
		b.press(kb.Escape)
		b.waitFor("the list closed", `!document.querySelector('#keys-dialog')`)

		b.do(chromedp.KeyEvent("n", chromedp.KeyModifiers(chromedp.ModifierAlt)))
		b.waitFor("the add form from Alt+N", `location.hash === '#/clients/new' && !!document.querySelector('#f-givenName')`)
		if got := b.attr("#save", "title"); !strings.Contains(got, "Ctrl+S") {
			t.Errorf("the save button's tooltip %q does not name Ctrl+S", got)
		}
		b.do(chromedp.KeyEvent("p", chromedp.KeyModifiers(chromedp.ModifierAlt)))
		b.waitFor("the Persontjenesten search from Alt+P", `!!document.querySelector('#pt-search-dialog[open]')`)
		b.press(kb.Escape)
		b.waitFor("the search closed by Esc", `!document.querySelector('#pt-search-dialog')`)
		b.focus("#f-givenName")
		b.do(chromedp.KeyEvent("Hurtig"))
		b.focus("#f-familyName")
		b.do(chromedp.KeyEvent("Tastesen"))
		// Ctrl+S saves the form and is kept from the browser's "save page".
		if eval[bool](b, `document.dispatchEvent(new KeyboardEvent('keydown', {key: 's', code: 'KeyS', ctrlKey: true, bubbles: true, cancelable: true}))`) {
			t.Error("Ctrl+S was not kept from the browser")
		}
		waitClientView(b, "Hurtig Tastesen")
		b.do(chromedp.KeyEvent("k", chromedp.KeyModifiers(chromedp.ModifierAlt)))
		b.waitFor("the client search from Alt+K", `location.hash.startsWith('#/clients') && document.activeElement?.id === 'search'`)
		// Issue item 19: the client just opened is first under "Sist brukt".
		b.waitFor("the recently opened clients", `!!document.querySelector('#recent-list a')`)
		if got := b.text("#recent-list li:first-child a"); got != "Hurtig Tastesen" {
			t.Errorf("first under Sist brukt: %q", got)
		}
	})

	// Issue item 11: the same name and birth date warns (and does not
	// block); a valid number fills birth date and gender.
	t.Run("likely duplicate warns", func(t *testing.T) {
		b.t = t
		first := map[string]any{"givenName": "Ola", "familyName": "Dobbeltsen", "birthDate": "1940-01-01"}
		var existing map[string]any
		if code := s.api(t, http.MethodPost, "/api/clients", first, &existing); code != http.StatusCreated {
			t.Fatalf("create: status %d", code)
		}
		b.do(chromedp.Navigate(s.URL + "/#/clients/new"))
		b.waitFor("the add form", `!!document.querySelector('#f-givenName')`)
		number := syntheticNumber(t, "1940-01-01", 200)
		b.focus("#f-nin")
		b.do(chromedp.KeyEvent(number))
		b.press(kb.Tab)
		b.waitFor("the birth date from the number", `document.querySelector('#f-birthDate').value === '01.01.1940'`)
		wantGender := "Female"
		if (number[8]-'0')%2 == 1 {
			wantGender = "Male"
		}
		if got := b.value("#f-gender"); got != wantGender {
			t.Errorf("gender from the number %q, want %q", got, wantGender)
		}
		if !b.visible("#f-birthDate-changed") {
			t.Error("no note says the birth date came from the number")
		}
		b.focus("#f-givenName")
		b.do(chromedp.KeyEvent("Ola"))
		b.focus("#f-familyName")
		b.do(chromedp.KeyEvent("Dobbeltsen"))
		b.click("#save")
		b.waitFor("the warning", `!!document.querySelector('#duplicate-twins a')`)
		if got, want := b.attr("#duplicate-twins a", "href"), fmt.Sprintf("#/clients/%d", int64(existing["id"].(float64))); got != want {
			t.Errorf("the warning links to %q, want %q", got, want)
		}
		if !strings.HasPrefix(eval[string](b, `location.hash`), "#/clients/new") {
			t.Error("the form was saved without a warning")
		}
		b.checkLayout("likely duplicate warning")
		b.click("#save-anyway")
		id := waitClientView(b, "Ola Dobbeltsen")
		if id == int64(existing["id"].(float64)) {
			t.Error("Lagre likevel opened the existing client instead of saving a new one")
		}
	})

	// Issue item 8: the audit log reads as sentences, without codes.
	t.Run("audit log in sentences", func(t *testing.T) {
		b.t = t
		b.do(chromedp.Navigate(s.URL + "/#/audit"))
		b.waitFor("the audit rows", `document.querySelectorAll('#audit-rows tr').length > 0`)
		rows := eval[string](b, `document.querySelector('#audit-rows').innerText`)
		for _, code := range []string{"org=", "clientId=", "nin=", "job=", "nhn_", "tenancy="} {
			if strings.Contains(rows, code) {
				t.Errorf("the audit log shows %q:\n%s", code, rows)
			}
		}
		if !strings.Contains(rows, "Søk i Persontjenesten på fødselsnummer") || !strings.Contains(rows, "treff") {
			t.Errorf("no search row reads as a sentence:\n%s", rows)
		}
		if href := b.attr("#audit-export", "href"); !strings.Contains(href, "lang=nb") {
			t.Errorf("the export link %q does not ask for Norwegian headers", href)
		}
		b.checkLayout("audit log in sentences")
	})

	// Every main screen at the reception PC's 1366×768 and at 1920×1080, in
	// bokmål and English: no sideways scrolling, AA contrast; the pictures
	// go to RESEPSJON_SCREENSHOTS when it is set.
	t.Run("screens at both sizes and languages", func(t *testing.T) {
		b.t = t
		strict := importClient(t, s, people[4].NIN)
		strict["addressProtection"] = "StrictlyConfidential"
		for _, f := range []string{"streetAddress", "postalCode", "city", "municipalityNumber", "postalAddress"} {
			strict[f] = ""
		}
		s.api(t, http.MethodPut, clientPath(strict), strict, &strict)
		card := fmt.Sprintf("/#/clients/%d", int64(strict["id"].(float64)))
		screens := []struct{ name, hash, ready string }{
			{"client-list", "/#/clients", `document.querySelectorAll('#client-table tbody tr').length > 0`},
			{"client-card", card, `!!document.querySelector('#strict-banner')`},
			{"client-form", card + "/edit", `document.querySelector('#client-form')?.hidden === false`},
			{"persontjenesten", "/#/persontjenesten", `!!document.querySelector('#pt-parts')`},
			{"audit-log", "/#/audit", `document.querySelectorAll('#audit-rows tr').length > 0`},
		}
		for _, lang := range []string{"nb", "en"} {
			eval[bool](b, fmt.Sprintf(`(localStorage.setItem('resepsjon.language', %s), true)`, jsString(lang)))
			for _, size := range [][2]int64{{1366, 768}, {1920, 1080}} {
				b.do(chromedp.EmulateViewport(size[0], size[1]))
				for _, sc := range screens {
					b.do(chromedp.Navigate(s.URL + sc.hash))
					b.reload()
					b.waitFor(sc.name, sc.ready)
					if got := eval[string](b, `document.documentElement.lang`); got != lang {
						t.Errorf("%s: page language %q, want %q", sc.name, got, lang)
					}
					what := fmt.Sprintf("%s %s %dx%d", sc.name, lang, size[0], size[1])
					b.checkLayout(what)
					if size[0] == 1366 {
						b.screenshot(fmt.Sprintf("desk-%s-%s", sc.name, lang))
					}
				}
			}
		}
		eval[bool](b, `(localStorage.setItem('resepsjon.language', 'nb'), true)`)
		b.do(chromedp.EmulateViewport(1366, 650))
	})
	b.t = t
}
