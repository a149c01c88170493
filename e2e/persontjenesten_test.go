//go:build unix

package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"resepsjon/app"
	"resepsjon/nin"
)

// The receptionist's Persontjenesten flows in headless chromium against
// "resepsjon demo", whose built-in NHN mock is driven through its control API
// (/_mock/ on the mock's address) the way NHN's self-service portals would be:
// registering the key made in the UI, granting delegations and agreements,
// moving people in the synthetic population.

// e2eClientID is the HelseID client the tests register in the mock; it is
// not the demo's own client, so a pre-activated demo is never reused by
// accident.
const e2eClientID = "resepsjon-e2e"

// mockScopes are the scopes a Persontjenesten client is granted.
var mockScopes = []string{
	"nhn:hgd-persontjenesten-api/read-with-legal-basis",
	"nhn:hgd-persontjenesten-api/read-no-legal-basis",
}

// person is a draft or match from the app's Persontjenesten routes.
type person struct {
	PersonID   string `json:"personId"`
	NIN        string `json:"nin"`
	GivenName  string `json:"givenName"`
	MiddleName string `json:"middleName"`
	FamilyName string `json:"familyName"`
	BirthDate  string `json:"birthDate"`
	City       string `json:"city"`
	PostalCode string `json:"postalCode"`
	// MunicipalityNumber and StreetAddress are in drafts only.
	MunicipalityNumber string `json:"municipalityNumber"`
	StreetAddress      string `json:"streetAddress"`
}

// ptStatusOf reads the Persontjenesten status through the API.
func ptStatusOf(t *testing.T, s *server) app.PersontjenestenStatus {
	t.Helper()
	var st app.PersontjenestenStatus
	if code := s.api(t, http.MethodGet, "/api/persontjenesten/status", nil, &st); code != http.StatusOK {
		t.Fatalf("GET /api/persontjenesten/status: status %d", code)
	}
	return st
}

// mockURL is the demo mock's base address (no trailing slash), from the
// environments the status lists.
func mockURL(t *testing.T, st app.PersontjenestenStatus) string {
	t.Helper()
	for _, e := range st.Environments {
		if e.ID == "mock" && e.Authority != "" {
			return strings.TrimRight(e.Authority, "/")
		}
	}
	t.Fatalf("the demo lists no mock environment: %+v", st.Environments)
	return ""
}

// mockControl sends one request to the mock's control API and returns the
// decoded answer.
func mockControl(t *testing.T, base, method, path string, body any) []byte {
	t.Helper()
	status, data := sendJSON(t, method, base+path, "", body)
	if status/100 != 2 {
		t.Fatalf("mock %s %s: status %d: %s", method, path, status, data)
	}
	return data
}

// registerClient registers the e2e client with publicJWK in the mock, as the
// practice does in HelseID's self-service portal.
func registerClient(t *testing.T, base string, publicJWK json.RawMessage) {
	t.Helper()
	mockControl(t, base, http.MethodPost, "/_mock/clients", map[string]any{
		"clientId": e2eClientID, "publicJwk": publicJWK, "tenancy": "multi", "scopes": mockScopes,
	})
}

// setOrg grants or withdraws an organisation's delegation (Altinn) or
// agreement (NHN) in the mock; what is "delegations" or "agreements".
func setOrg(t *testing.T, base, what, org string, ok bool) {
	t.Helper()
	mockControl(t, base, http.MethodPost, "/_mock/"+what, map[string]any{"org": org, "ok": ok})
}

// orgNumbers returns n valid (mod-11) synthetic organisation numbers that
// start with prefix, different for each prefix.
func orgNumbers(t *testing.T, prefix string, n int) []string {
	t.Helper()
	var out []string
	for i := 0; len(out) < n && i < 10000; i++ {
		s := fmt.Sprintf("%s%0*d", prefix, 9-len(prefix), i)
		if _, err := nin.ParseOrgNumber(s); err == nil {
			out = append(out, s)
		}
	}
	if len(out) < n {
		t.Fatalf("no %d organisation numbers with prefix %s", n, prefix)
	}
	return out
}

// activateByAPI sets Persontjenesten up the way a script would: a key made
// by the app and registered in the mock, an organisation with delegation and
// agreement, both checks run. It returns the mock's base address.
func activateByAPI(t *testing.T, s *server) string {
	t.Helper()
	base := mockURL(t, ptStatusOf(t, s))
	org := orgNumbers(t, "3199", 1)[0]
	setOrg(t, base, "delegations", org, true)
	setOrg(t, base, "agreements", org, true)
	var key app.HelseIDKey
	if code := s.api(t, http.MethodPost, "/api/persontjenesten/key", map[string]any{"generate": map[string]string{"alg": "ES256"}}, &key); code != http.StatusOK {
		t.Fatalf("POST /api/persontjenesten/key: status %d", code)
	}
	registerClient(t, base, key.PublicJWK)
	settings := map[string]any{
		"practice": map[string]string{"orgNumber": org, "name": "Testklinikken"},
		"helseid":  map[string]string{"environment": "mock", "clientId": e2eClientID, "tenancy": "multi"},
	}
	if code := s.api(t, http.MethodPut, "/api/persontjenesten/settings", settings, nil); code != http.StatusOK {
		t.Fatalf("PUT /api/persontjenesten/settings: status %d", code)
	}
	var st app.PersontjenestenStatus
	if code := s.api(t, http.MethodPost, "/api/persontjenesten/activate", map[string]any{}, &st); code != http.StatusOK || !st.Activated {
		t.Fatalf("POST /api/persontjenesten/activate: status %d, %+v", code, st)
	}
	return base
}

// feedOff switches the change feed off, for tests that change persons in
// the mock and then update them by hand: the demo polls the feed every 15
// seconds, and a poll between the change and the update would save the
// change first (the edit form's save then meets a newer version, and
// "Oppdater alle" finds nothing left to change).
func feedOff(t *testing.T, s *server) {
	t.Helper()
	if code := s.api(t, http.MethodPut, "/api/persontjenesten/feed", map[string]bool{"enabled": false}, nil); code != http.StatusOK {
		t.Fatalf("PUT /api/persontjenesten/feed: status %d", code)
	}
}

// freshPersons are n persons of the mock's population who are not clients
// of the demo register and carry no badges (plain, living residents), fetched
// through the app's API.
func freshPersons(t *testing.T, s *server, base string, n int) []person {
	t.Helper()
	var nins []string
	if err := json.Unmarshal(mockControl(t, base, http.MethodGet, "/_mock/sample-nins?n="+strconv.Itoa(8*n+20), nil), &nins); err != nil {
		t.Fatal(err)
	}
	var out []person
	for _, number := range nins {
		var got struct {
			Draft            person   `json:"draft"`
			ExistingClientID *int64   `json:"existingClientId"`
			Badges           []string `json:"badges"`
		}
		if code := s.api(t, http.MethodPost, "/api/persontjenesten/lookup", map[string]string{"nin": number}, &got); code != http.StatusOK {
			t.Fatalf("lookup: status %d", code)
		}
		if got.ExistingClientID != nil || len(got.Badges) > 0 || got.Draft.BirthDate == "" || got.Draft.FamilyName == "" || got.Draft.MunicipalityNumber == "" {
			continue
		}
		out = append(out, got.Draft)
		if len(out) == n {
			return out
		}
	}
	t.Fatalf("fewer than %d persons in the mock who are not clients", n)
	return nil
}

// selectValue chooses an option of a <select> as a user does (the change
// event fires).
func (b *browser) selectValue(selector, value string) {
	b.t.Helper()
	ok := eval[bool](b, fmt.Sprintf(`(() => { const el = document.querySelector(%s); if (!el || ![...el.options].some(o => o.value === %s)) return false; el.value = %s; el.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`,
		jsString(selector), jsString(value), jsString(value)))
	if !ok {
		b.t.Fatalf("select %s: no option %q", selector, value)
	}
}

// openDemo starts the demo and a browser logged in to it.
func openDemo(t *testing.T) (*server, *browser) {
	t.Helper()
	s := startDemo(t)
	b := newBrowser(t)
	b.open(s.launchURL(t))
	return s, b
}

// expectFailure checks that the wizard shows the check's failure exactly as
// the status reports it, with its help and link.
func expectFailure(t *testing.T, b *browser, which string, check app.StatusCheck, wantCode string) {
	t.Helper()
	if check.State != "failed" || check.Code != wantCode {
		t.Fatalf("%s check: state %q code %q, want failed %q", which, check.State, check.Code, wantCode)
	}
	box := "#check-" + which + "-failure"
	b.waitFor("the "+which+" failure", fmt.Sprintf(`!!document.querySelector(%s)`, jsString(box)))
	if check.Message == "" || check.Help == "" {
		t.Errorf("%s failure %q has no message or help: %+v", which, wantCode, check)
	}
	if got := b.text(box + " .failure-message"); got != check.Message {
		t.Errorf("%s failure message on screen %q, status says %q", which, got, check.Message)
	}
	if got := b.text(box + " .failure-help"); check.Help != "" && got != check.Help {
		t.Errorf("%s failure help on screen %q, status says %q", which, got, check.Help)
	}
	if check.Link != "" && b.attr(box+" a", "href") != check.Link {
		t.Errorf("%s failure link %q, status says %q", which, b.attr(box+" a", "href"), check.Link)
	}
	if !b.visible("#wizard-retry") {
		t.Errorf("%s failure: no visible \"Prøv igjen\" button", which)
	}
	// The instruction names the button on this screen.
	if got := b.text(box + " .failure-next"); !strings.Contains(got, "«"+b.text("#wizard-retry")+"»") {
		t.Errorf("%s failure: the next step %q does not name the button %q", which, got, b.text("#wizard-retry"))
	}
}

// TestPersontjenestenActivation activates Persontjenesten from scratch in the
// UI with a key generated there, going through each failure on the way: a
// wrong client id, an organisation without an access agreement, and one
// without a delegation. Everything typed survives "Prøv igjen".
func TestPersontjenestenActivation(t *testing.T) {
	s, b := openDemo(t)
	base := mockURL(t, ptStatusOf(t, s))
	orgs := orgNumbers(t, "3198", 2)
	orgA, orgB := orgs[0], orgs[1]
	setOrg(t, base, "delegations", orgA, true) // orgA: delegation, no agreement yet
	setOrg(t, base, "agreements", orgB, true)  // orgB: agreement, no delegation yet

	b.click("#nav-persontjenesten")
	b.waitFor("the Persontjenesten page", `!!document.querySelector('#pt-start, #pt-status')`)
	if b.visible("#pt-deactivate") {
		// The demo came pre-activated: start from scratch.
		b.click("#pt-deactivate")
		b.waitFor("the confirmation", `!!document.querySelector('#pt-deactivate-dialog[open]')`)
		b.click("#pt-deactivate-dialog [data-action=confirm]")
		b.waitFor("the deactivated page", `!!document.querySelector('#pt-start, #pt-continue')`)
		if ptStatusOf(t, s).Activated {
			t.Fatal("still activated after deactivation")
		}
	}

	// Not activated: the search link in Legg til klient explains that and
	// leads to the activation.
	b.do(chromedp.Navigate(s.URL + "/#/clients/new"))
	b.waitFor("the add form", `!!document.querySelector('#pt-search-link')`)
	b.waitFor("the not-activated note", `!document.querySelector('#pt-inactive-note').hidden`)
	b.click("#pt-search-link")
	b.waitFor("the explanation", `!!document.querySelector('#pt-not-activated[open]')`)
	if got := b.text("#pt-not-activated"); !strings.Contains(got, "ikke aktivert") {
		t.Errorf("the explanation says %q", got)
	}
	b.click("#pt-go-activate")
	b.waitFor("the wizard's intro", `location.hash === '#/persontjenesten/activate' && !!document.querySelector('#pt-intro') && !!document.querySelector('#wizard-next')`)
	if eval[bool](b, `!!document.querySelector('dialog[open]')`) {
		t.Error("a dialog stayed open over the wizard")
	}
	b.checkLayout("activation intro")
	b.click("#wizard-next")

	// Practice: a bad organisation number is refused before anything is sent.
	b.retype("#w-orgNumber", "123456789")
	b.retype("#w-name", "Fysioterapeut Testesen")
	b.click("#wizard-next")
	b.waitFor("the org number error", `!document.querySelector('#w-orgNumber-error').hidden`)
	b.retype("#w-orgNumber", orgA)
	// The practice step's inputs share one line even where a label wraps.
	b.do(chromedp.EmulateViewport(1024, 768))
	if tops := eval[[]float64](b, `[...document.querySelectorAll('#wizard-practice .grid input')].map((el) => el.getBoundingClientRect().top)`); len(tops) > 1 && tops[0] != tops[1] && tops[1] < tops[0]+40 {
		t.Errorf("the practice step's inputs are not aligned: tops %v", tops)
	}
	b.screenshot("wizard-practice-1024")
	b.do(chromedp.EmulateViewport(1366, 768))
	b.click("#wizard-next")

	// HelseID: the demo's mock environment, a wrong client id on purpose.
	b.waitFor("the HelseID step", `!!document.querySelector('#w-clientId')`)
	// Finished steps are marked by a check mark and a word, not by colour alone.
	if got := eval[[]string](b, `[...document.querySelectorAll('.wizard-step.done')].map((li) => li.textContent)`); len(got) != 2 || !strings.HasPrefix(got[0], "✓") || !strings.HasSuffix(got[1], "(ferdig)") {
		t.Errorf("the finished steps read %q; want a check mark and \"(ferdig)\" on both", got)
	}
	b.screenshot("wizard-helseid")
	b.selectValue("#w-environment", "mock")
	b.retype("#w-clientId", "resepsjon-feil")
	b.click("#w-tenancy-multi")
	b.click("#wizard-next")

	// Key: made in the app, shown as a public JWK with copy and download.
	b.waitFor("the key step", `!!document.querySelector('#generate-key')`)
	b.click("#generate-key")
	if eval[bool](b, `!!document.querySelector('#replace-key-dialog[open]')`) {
		b.click("#replace-key-dialog [data-action=confirm]")
	}
	b.waitFor("the public key", `!!document.querySelector('#public-jwk') && document.querySelector('#public-jwk').textContent.includes('"kty"')`)
	jwk := json.RawMessage(b.text("#public-jwk"))
	var parsed map[string]any
	if err := json.Unmarshal(jwk, &parsed); err != nil {
		t.Fatalf("the public JWK on screen is not JSON: %v", err)
	}
	for _, private := range []string{"d", "p", "q", "dp", "dq", "qi"} {
		if _, ok := parsed[private]; ok {
			t.Errorf("the JWK on screen has the private member %q", private)
		}
	}
	if !b.visible("#copy-jwk") || !b.visible("#download-jwk") {
		t.Error("the public key has no Copy and Download buttons")
	}
	// The practice registers the public key in HelseID's self-service.
	registerClient(t, base, jwk)
	b.checkLayout("key step")
	b.click("#wizard-next")

	// Delegation check with the wrong client id.
	b.waitFor("the delegation result", `!!document.querySelector('#check-delegation-failure, #wizard-next')`)
	expectFailure(t, b, "delegation", ptStatusOf(t, s).Delegation, "invalid_client")
	b.checkLayout("delegation failure")

	// Fix the client id: everything else typed is still there.
	b.click("#fix-settings")
	b.waitFor("the HelseID step again", `!!document.querySelector('#w-clientId')`)
	if got := b.value("#w-clientId"); got != "resepsjon-feil" {
		t.Errorf("client id after going back = %q, want what was typed", got)
	}
	if !eval[bool](b, `document.querySelector('#w-tenancy-multi').checked`) {
		t.Error("tenancy choice lost after going back")
	}
	b.retype("#w-clientId", e2eClientID)
	b.click("#wizard-next")
	b.waitFor("the key step with the key kept", `!!document.querySelector('#public-jwk')`)
	b.click("#wizard-next")

	// Delegation is fine now; the access check fails: no agreement for orgA.
	b.waitFor("the delegation ok", `!!document.querySelector('#check-result .message-ok') && !!document.querySelector('#wizard-next')`)
	b.click("#wizard-next")
	b.waitFor("the access result", `!!document.querySelector('#check-access-failure, #pt-activated')`)
	expectFailure(t, b, "access", ptStatusOf(t, s).Access, "no_agreement")

	// NHN grants the agreement; "Prøv igjen" needs nothing retyped.
	setOrg(t, base, "agreements", orgA, true)
	b.click("#wizard-retry")
	b.waitFor("activation", `!!document.querySelector('#pt-activated')`)
	if st := ptStatusOf(t, s); !st.Activated || st.Practice.OrgNumber != orgA || st.HelseID.ClientID != e2eClientID {
		t.Fatalf("after activation: %+v", st)
	}

	// Change to orgB, which has not delegated in Altinn: both checks reset.
	b.do(chromedp.Navigate(s.URL + "/#/persontjenesten"))
	b.waitFor("the settings", `!!document.querySelector('#pt-change')`)
	b.click("#pt-change")
	b.waitFor("the practice step", `!!document.querySelector('#w-orgNumber')`)
	if got := b.value("#w-orgNumber"); got != orgA {
		t.Errorf("practice step shows org %q, want the stored %s", got, orgA)
	}
	b.retype("#w-orgNumber", orgB)
	b.click("#wizard-next")
	b.waitFor("the HelseID step", `!!document.querySelector('#w-clientId')`)
	if st := ptStatusOf(t, s); st.Activated || st.Delegation.State != "unchecked" || st.Access.State != "unchecked" {
		t.Errorf("after changing the org number: activated=%v delegation=%q access=%q, want both unchecked", st.Activated, st.Delegation.State, st.Access.State)
	}
	b.click("#wizard-next")
	b.waitFor("the key step", `!!document.querySelector('#public-jwk')`)
	b.click("#wizard-next")
	b.waitFor("the delegation result", `!!document.querySelector('#check-delegation-failure, #check-result .message-ok')`)
	expectFailure(t, b, "delegation", ptStatusOf(t, s).Delegation, "no_delegation")

	// The practice delegates in Altinn and tries again.
	setOrg(t, base, "delegations", orgB, true)
	b.click("#wizard-retry")
	b.waitFor("the delegation ok", `!!document.querySelector('#check-result .message-ok') && !!document.querySelector('#wizard-next')`)
	b.click("#wizard-next")
	b.waitFor("activation", `!!document.querySelector('#pt-activated')`)

	// Settings -> Persontjenesten: both statuses with the time, refresh.
	b.do(chromedp.Navigate(s.URL + "/#/settings"))
	b.waitFor("the settings page", `!!document.querySelector('#settings-pt')`)
	b.click("#settings-pt")
	b.waitFor("the status", `!!document.querySelector('#pt-delegation-state')`)
	b.reload() // no status message over the page
	b.waitFor("the status", `!!document.querySelector('#pt-delegation-state')`)
	b.checkLayout("Persontjenesten settings")
	b.screenshot("settings-status")
	b.click("#pt-refresh")
	b.waitFor("the refreshed status", `document.querySelector('#pt-delegation-state')?.classList.contains('state-ok') && document.querySelector('#pt-access-state')?.classList.contains('state-ok') && !document.querySelector('#pt-busy:not([hidden])')`)
	for _, id := range []string{"#pt-delegation-checked", "#pt-access-checked"} {
		if got := b.text(id); !strings.ContainsAny(got, "0123456789") {
			t.Errorf("%s = %q, want the time last checked", id, got)
		}
	}

	// Information parts: take one away, save, then go back to the default.
	if !eval[bool](b, `document.querySelector('#pt-part-CommonContactRegisterInformation')?.checked === true`) {
		t.Fatal("the default information parts are not ticked")
	}
	b.click("#pt-part-CommonContactRegisterInformation")
	b.click("#pt-parts-save")
	b.waitFor("the saved choice", `!!document.querySelector('#pt-parts-message .message-info')`)
	if parts := ptStatusOf(t, s).InformationParts; len(parts) == 0 || contains(parts, "CommonContactRegisterInformation") {
		t.Errorf("information parts after unticking KRR: %v", parts)
	}
	b.click("#pt-parts-default")
	b.click("#pt-parts-save")
	b.waitFor("the saved default", `document.querySelector('#pt-parts-message')?.textContent.includes('lagret')`)
	if parts := ptStatusOf(t, s).InformationParts; !contains(parts, "CommonContactRegisterInformation") || !contains(parts, "Name") {
		t.Errorf("information parts after the default: %v", parts)
	}
}

// contains reports whether list holds s.
func contains[S ~string](list []S, s S) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestPersontjenestenSearchAndImport adds clients from Persontjenesten: the
// local validation, a search with no match, a name search with a list, an
// identity number lookup, and a person already in the register.
func TestPersontjenestenSearchAndImport(t *testing.T) {
	s, b := openDemo(t)
	base := activateByAPI(t, s)
	fresh := freshPersons(t, s, base, 2)
	byName, byNumber := fresh[0], fresh[1]

	b.do(chromedp.Navigate(s.URL + "/#/clients/new"))
	b.waitFor("the add form", `!!document.querySelector('#pt-search-link') && !!document.querySelector('#f-givenName')`)
	b.retype("#f-phone", "999 88 777")
	b.click("#pt-search-link")
	b.waitFor("the search dialog", `!!document.querySelector('#pt-search-dialog[open]')`)

	// Too little: says exactly what is missing, calls nothing.
	b.retype("#pts-givenName", "Al")
	b.click("#pts-search")
	b.waitFor("the missing list", `!!document.querySelector('#pts-missing')`)
	missing := b.text("#pts-missing")
	for _, want := range []string{"tre bokstaver", "fødselsdato, gateadresse eller kommunenummer"} {
		if !strings.Contains(missing, want) {
			t.Errorf("missing list %q does not say %q", missing, want)
		}
	}

	// No match.
	b.retype("#pts-givenName", "Qzxwvyy")
	b.retype("#pts-familyName", "Xqzzyvw")
	b.retype("#pts-birthDate", "01.01.1901")
	b.click("#pts-search")
	b.waitText("#pts-no-hits", "Ingen treff")
	b.checkLayout("search dialog, no match")

	// A name search that finds the person among others of the same name in
	// the municipality.
	b.retype("#pts-givenName", "")
	b.retype("#pts-familyName", byName.FamilyName)
	b.retype("#pts-birthDate", "")
	b.retype("#pts-municipalityNumber", byName.MunicipalityNumber)
	b.screenshot("add-client-search")
	b.click("#pts-search")
	b.waitFor("the result list", `document.querySelectorAll('#pts-list .pt-result-button').length > 0`)
	b.checkLayout("search results")
	b.screenshot("search-results")
	idx := eval[int](b, fmt.Sprintf(`[...document.querySelectorAll('#pts-list .pt-result-button')].findIndex(el => el.textContent.includes(%s) && el.textContent.includes(%s))`,
		jsString(byName.FamilyName), jsString(formatDMY(byName.BirthDate))))
	if idx < 0 {
		t.Fatalf("the list does not show %s %s born %s:\n%s", byName.GivenName, byName.FamilyName, byName.BirthDate, b.text("#pts-list"))
	}
	b.click(fmt.Sprintf("#pts-result-%d", idx))
	b.waitFor("the filled form", `!document.querySelector('#pt-search-dialog') && document.querySelector('#f-familyName').value !== ''`)
	if got := b.value("#f-familyName"); got != byName.FamilyName {
		t.Errorf("family name in the form %q, want %q", got, byName.FamilyName)
	}
	if got := strings.ReplaceAll(b.value("#f-nin"), " ", ""); got != byName.NIN {
		t.Errorf("identity number in the form %q, want the person's", got)
	}
	if got := b.value("#f-phone"); got != "999 88 777" {
		t.Errorf("the typed phone became %q", got)
	}
	b.click("#save")
	id := waitClientView(b, byName.FamilyName)
	var stored struct {
		PersonID  string  `json:"personId"`
		FetchedAt *string `json:"fetchedAt"`
		Phone     string  `json:"phone"`
	}
	if code := s.api(t, http.MethodGet, fmt.Sprintf("/api/clients/%d", id), nil, &stored); code != http.StatusOK {
		t.Fatalf("GET client: %d", code)
	}
	if stored.PersonID == "" || stored.PersonID != byName.PersonID || stored.FetchedAt == nil {
		t.Errorf("provenance not stored: personId %q (want %q), fetchedAt %v", stored.PersonID, byName.PersonID, stored.FetchedAt)
	}

	// By identity number.
	b.do(chromedp.Navigate(s.URL + "/#/clients/new"))
	b.waitFor("the add form", `!!document.querySelector('#pt-search-link')`)
	b.click("#pt-search-link")
	b.waitFor("the search dialog", `!!document.querySelector('#pt-search-dialog[open]')`)
	b.retype("#pts-nin", byNumber.NIN[:6]+" "+byNumber.NIN[6:])
	b.click("#pts-search")
	b.waitFor("one result", `document.querySelectorAll('#pts-list .pt-result-button').length === 1`)
	b.click("#pts-result-0")
	b.waitFor("the filled form", `!document.querySelector('#pt-search-dialog') && document.querySelector('#f-familyName').value !== ''`)
	if got := b.value("#f-givenName"); got != byNumber.GivenName {
		t.Errorf("given name %q, want %q", got, byNumber.GivenName)
	}
	b.click("#save")
	waitClientView(b, byNumber.FamilyName)

	// The same person again: already registered -> go to or update the client.
	b.do(chromedp.Navigate(s.URL + "/#/clients/new"))
	b.waitFor("the add form", `!!document.querySelector('#pt-search-link')`)
	b.click("#pt-search-link")
	b.waitFor("the search dialog", `!!document.querySelector('#pt-search-dialog[open]')`)
	b.retype("#pts-nin", byName.NIN)
	b.click("#pts-search")
	b.waitFor("one result", `document.querySelectorAll('#pts-list .pt-result-button').length === 1`)
	b.click("#pts-result-0")
	b.waitFor("the choice", `!!document.querySelector('#pts-existing')`)
	if !b.visible("#pts-update-existing") {
		t.Error("no \"update the client\" choice")
	}
	b.click("#pts-go-existing")
	if got := waitClientView(b, byName.FamilyName); got != id {
		t.Errorf("went to client %d, want the existing %d", got, id)
	}

	// ... or update it: the edit form opens and fetches at once.
	b.do(chromedp.Navigate(s.URL + "/#/clients/new"))
	b.waitFor("the add form", `!!document.querySelector('#pt-search-link')`)
	b.click("#pt-search-link")
	b.waitFor("the search dialog", `!!document.querySelector('#pt-search-dialog[open]')`)
	b.retype("#pts-nin", byName.NIN)
	b.click("#pts-search")
	b.waitFor("one result", `document.querySelectorAll('#pts-list .pt-result-button').length === 1`)
	b.click("#pts-result-0")
	b.waitFor("the choice", `!!document.querySelector('#pts-update-existing')`)
	b.click("#pts-update-existing")
	b.waitFor("the edit form of the client", fmt.Sprintf(`location.hash.startsWith('#/clients/%d/edit') && document.querySelector('#client-form')?.hidden === false`, id))
	// The register has nothing new but the phone in the contact register
	// (KRR), which differs from the one typed at import: that is the only
	// change proposed, shown, and left out here.
	b.waitFor("the update's answer", `!!document.querySelector('#pt-diff-dialog[open]') || document.querySelector('#pt-update-message').textContent.includes('Ingen endringer')`)
	if eval[bool](b, `!!document.querySelector('#pt-diff-dialog[open]')`) {
		if fields := eval[[]string](b, `[...document.querySelectorAll('#pt-diff tbody tr')].map(r => r.dataset.field)`); len(fields) != 1 || fields[0] != "phone" {
			t.Errorf("update right after import proposes %v, want at most the KRR phone", fields)
		}
		b.click("#pt-diff-cancel")
		b.waitFor("the diff closed", `!document.querySelector('#pt-diff-dialog')`)
	}
	if got := b.value("#f-phone"); got != "999 88 777" {
		t.Errorf("phone after a cancelled update %q", got)
	}
}

// TestPersontjenestenStreetSearch searches by family name and street address
// (the street narrows the search instead of a birth date or municipality
// number) and picks the person from the list.
func TestPersontjenestenStreetSearch(t *testing.T) {
	s, b := openDemo(t)
	base := activateByAPI(t, s)
	var who person
	for _, p := range freshPersons(t, s, base, 5) {
		if p.StreetAddress != "" {
			who = p
			break
		}
	}
	if who.NIN == "" {
		t.Fatal("no fresh person with a street address in the mock")
	}

	b.do(chromedp.Navigate(s.URL + "/#/clients/new"))
	b.waitFor("the add form", `!!document.querySelector('#pt-search-link') && !!document.querySelector('#f-givenName')`)
	b.click("#pt-search-link")
	b.waitFor("the search dialog", `!!document.querySelector('#pt-search-dialog[open]')`)
	if got := b.text(`label[for="pts-streetAddress"]`); got != "Gateadresse" {
		t.Errorf("street field label %q, want Gateadresse", got)
	}

	// Too few letters in the street: said at the field, nothing sent.
	b.retype("#pts-familyName", who.FamilyName)
	b.retype("#pts-streetAddress", "Ås 4")
	b.click("#pts-search")
	b.waitFor("the street error", `!document.querySelector('#pts-streetAddress-error').hidden`)
	if got := b.text("#pts-streetAddress-error"); !strings.Contains(got, "tre bokstaver") {
		t.Errorf("street error %q does not say three letters", got)
	}

	b.retype("#pts-streetAddress", who.StreetAddress)
	b.click("#pts-search")
	b.waitFor("the result list", `document.querySelectorAll('#pts-list .pt-result-button').length > 0`)
	idx := eval[int](b, fmt.Sprintf(`[...document.querySelectorAll('#pts-list .pt-result-button')].findIndex(el => el.textContent.includes(%s) && el.textContent.includes(%s))`,
		jsString(who.FamilyName), jsString(formatDMY(who.BirthDate))))
	if idx < 0 {
		t.Fatalf("the list does not show %s born %s living in %s:\n%s", who.FamilyName, who.BirthDate, who.StreetAddress, b.text("#pts-list"))
	}
	b.click(fmt.Sprintf("#pts-result-%d", idx))
	b.waitFor("the filled form", `!document.querySelector('#pt-search-dialog') && document.querySelector('#f-familyName').value !== ''`)
	if got := strings.ReplaceAll(b.value("#f-nin"), " ", ""); got != who.NIN {
		t.Errorf("identity number in the form %q, want the person's", got)
	}
}

// TestPersontjenestenKeyboardSearch searches and picks with the keyboard
// only: Tab through the dialog, arrows in the list, Enter to pick.
func TestPersontjenestenKeyboardSearch(t *testing.T) {
	s, b := openDemo(t)
	base := activateByAPI(t, s)
	p := freshPersons(t, s, base, 1)[0]

	b.do(chromedp.Navigate(s.URL + "/#/clients/new"))
	b.waitFor("the add form", `!!document.querySelector('#pt-search-link')`)
	b.focus("#pt-search-link")
	b.press(kb.Enter)
	b.waitFor("the search dialog with the focus in the number box", `!!document.querySelector('#pt-search-dialog[open]') && document.activeElement?.id === 'pts-nin'`)
	b.press(kb.Tab) // given name
	if got := b.focused(); got != "pts-givenName" {
		t.Fatalf("Tab from the number box went to %q", got)
	}
	b.do(chromedp.KeyEvent(p.GivenName))
	b.press(kb.Tab) // middle
	b.press(kb.Tab) // family
	b.do(chromedp.KeyEvent(p.FamilyName))
	b.press(kb.Tab) // full name
	b.press(kb.Tab) // birth date
	if got := b.focused(); got != "pts-birthDate" {
		t.Fatalf("Tab order reached %q, want the birth date", got)
	}
	b.do(chromedp.KeyEvent(formatDMY(p.BirthDate)))
	b.press(kb.Enter)
	b.waitFor("the result list", `document.querySelectorAll('#pts-list .pt-result-button').length > 0`)
	n := eval[int](b, `document.querySelectorAll('#pts-list .pt-result-button').length`)
	want := eval[int](b, fmt.Sprintf(`[...document.querySelectorAll('#pts-list .pt-result-button')].findIndex(el => el.textContent.includes(%s) && el.textContent.includes(%s))`,
		jsString(p.FamilyName), jsString(formatDMY(p.BirthDate))))
	if want < 0 {
		t.Fatalf("the person is not in the list")
	}
	// Enter went straight to the first match; the form folded into one line.
	b.waitFor("the focus on the first match", `document.activeElement?.id === 'pts-result-0'`)
	if !b.visible("#pts-edit") || b.visible("#pts-form") {
		t.Error("the search form did not fold into a line with Endre søk")
	}
	b.checkFocusVisible("the first match")
	if n > 1 {
		b.press(kb.ArrowDown)
		if got := b.focused(); got != "pts-result-1" {
			t.Errorf("ArrowDown went to %q", got)
		}
		b.press(kb.ArrowUp)
		if got := b.focused(); got != "pts-result-0" {
			t.Errorf("ArrowUp went to %q", got)
		}
	}
	for i := 0; i < want; i++ {
		b.press(kb.ArrowDown)
	}
	if got := b.focused(); got != fmt.Sprintf("pts-result-%d", want) {
		t.Fatalf("arrows reached %q, want match %d", got, want)
	}
	b.press(kb.Enter)
	b.waitFor("the filled form", `!document.querySelector('#pt-search-dialog') && document.querySelector('#f-familyName').value !== ''`)
	if got := b.value("#f-familyName"); got != p.FamilyName {
		t.Errorf("family name %q, want %q", got, p.FamilyName)
	}
	if got := b.focused(); got != "f-nin" {
		t.Errorf("after picking, focus on %q, want the form's first field", got)
	}
}

// TestPersontjenestenUpdate updates a client after the person moved and was
// renamed in the register: the diff shows exactly those fields, one can be
// left out, the rest is saved. A second update finds no changes. The audit
// log lists every lookup and exports CSV.
func TestPersontjenestenUpdate(t *testing.T) {
	s, b := openDemo(t)
	base := activateByAPI(t, s)
	feedOff(t, s)
	p := freshPersons(t, s, base, 1)[0]
	number := p.NIN

	// Import the person as a client through the API.
	var draft struct {
		Draft map[string]any `json:"draft"`
	}
	if code := s.api(t, http.MethodPost, "/api/persontjenesten/lookup", map[string]string{"nin": number}, &draft); code != http.StatusOK {
		t.Fatalf("lookup: %d", code)
	}
	// The phone stays what the contact register says, if it says anything,
	// so that only the register's own changes are proposed below.
	phone, _ := draft.Draft["phone"].(string)
	if phone == "" {
		phone = "912 00 000"
		draft.Draft["phone"] = phone
	}
	draft.Draft["notes"] = "Kommer på tirsdager."
	var created struct {
		ID int64 `json:"id"`
	}
	if code := s.api(t, http.MethodPost, "/api/clients", draft.Draft, &created); code != http.StatusCreated {
		t.Fatalf("create: %d", code)
	}

	// Nothing changed yet: "Ingen endringer".
	b.do(chromedp.Navigate(fmt.Sprintf("%s/#/clients/%d/edit", s.URL, created.ID)))
	waitEditForm(b, p.GivenName)
	b.click("#pt-update")
	b.waitText("#pt-update-message", "Ingen endringer")
	if got := b.focused(); got != "pt-update-message" {
		t.Errorf("after the update the focus is on %q, want the answer under the button", got)
	}

	// The person moves and changes family name in the register.
	mockControl(t, base, http.MethodPost, "/_mock/persons/move", map[string]string{"nin": number})
	mockControl(t, base, http.MethodPost, "/_mock/persons/rename", map[string]string{"nin": number, "givenName": p.GivenName, "familyName": "Nyheim"})

	// NHN is slow: a spinner with Avbryt; cancelling leaves the form as it was.
	mockControl(t, base, http.MethodPut, "/_mock/faults", map[string]any{"latency": "4s"})
	before := b.value("#f-familyName")
	b.click("#pt-update")
	b.waitFor("the spinner", `!document.querySelector('#pt-form-busy').hidden`)
	b.click("#pt-form-busy-cancel")
	b.waitText("#pt-update-message", "avbrutt")
	if got := b.value("#f-familyName"); got != before {
		t.Errorf("cancelled update changed the family name to %q", got)
	}
	mockControl(t, base, http.MethodPut, "/_mock/faults", map[string]any{})

	// NHN is down: a plain message, the form unchanged.
	mockControl(t, base, http.MethodPut, "/_mock/faults", map[string]any{"persontjenestenDown": true})
	b.click("#pt-update")
	b.waitFor("the failure", `!!document.querySelector('#pt-update-message .message-error')`)
	if got := b.value("#f-familyName"); got != before {
		t.Errorf("failed update changed the family name to %q", got)
	}
	if msg := b.text("#pt-update-message"); !strings.Contains(msg, "uendret") {
		t.Errorf("failure message %q does not say the form is unchanged", msg)
	}
	mockControl(t, base, http.MethodPut, "/_mock/faults", map[string]any{})

	b.click("#pt-update")
	b.waitFor("the diff", `!!document.querySelector('#pt-diff-dialog[open] #pt-diff')`)
	b.checkLayout("update diff")
	b.screenshot("update-diff")
	fields := eval[[]string](b, `[...document.querySelectorAll('#pt-diff tbody tr')].map(r => r.dataset.field)`)
	has := func(f string) bool {
		for _, x := range fields {
			if x == f {
				return true
			}
		}
		return false
	}
	if !has("familyName") || !has("streetAddress") {
		t.Errorf("diff fields %v, want familyName and streetAddress", fields)
	}
	for _, f := range []string{"phone", "notes", "givenName"} {
		if has(f) {
			t.Errorf("diff proposes %s, which did not change in the register", f)
		}
	}
	if got := b.text(`#pt-diff tr[data-field="familyName"] .pt-new`); got != "Nyheim" {
		t.Errorf("new family name %q", got)
	}
	if !eval[bool](b, `[...document.querySelectorAll('#pt-diff input[type=checkbox]')].every(c => c.checked)`) {
		t.Error("not every change is checked from the start")
	}
	// Leave the postal code out if it changed, take the rest.
	keptPostal := b.value("#f-postalCode")
	if has("postalCode") {
		b.click("#pt-change-postalCode")
	}
	b.click("#pt-apply")
	b.waitFor("the form with the changes", `!document.querySelector('#pt-diff-dialog') && document.querySelector('#f-familyName').value === 'Nyheim'`)
	if has("postalCode") && b.value("#f-postalCode") != keptPostal {
		t.Errorf("the unchecked postal code changed to %q", b.value("#f-postalCode"))
	}
	if got := b.value("#f-phone"); got != phone {
		t.Errorf("phone became %q, want %q", got, phone)
	}
	b.click("#save")
	waitClientView(b, "Nyheim")
	if got := viewField(b, "notes"); got != "Kommer på tirsdager." {
		t.Errorf("notes became %q", got)
	}

	// Audit log: the lookups are listed, numbers masked; the CSV link filters.
	b.click("#nav-audit")
	b.waitFor("the audit rows", `document.querySelectorAll('#audit-rows tr').length > 0`)
	if page := eval[string](b, `document.querySelector('#audit-rows').textContent`); strings.Contains(page, number) {
		t.Error("the audit list shows a full identity number")
	}
	b.selectValue("#audit-action", "update")
	b.click("#audit-show")
	b.waitFor("only updates", `[...document.querySelectorAll('#audit-rows tr')].length > 0 && [...document.querySelectorAll('#audit-rows .col-action')].every(td => td.textContent === 'Oppdatering')`)
	href := b.attr("#audit-export", "href")
	if !strings.Contains(href, "format=csv") || !strings.Contains(href, "action=update") {
		t.Errorf("export link %q does not carry the filter", href)
	}
	// A period after today has nothing; today has the rows.
	b.selectValue("#audit-action", "")
	b.retype("#audit-from", time.Now().AddDate(0, 0, 2).Format("02.01.2006"))
	b.click("#audit-show")
	b.waitFor("an empty period", `document.querySelector('#audit-rows').children.length === 0 && document.querySelector('#audit-summary').textContent.includes('Ingen')`)
	b.retype("#audit-from", time.Now().AddDate(0, 0, -1).Format("02.01.2006"))
	b.click("#audit-show")
	b.waitFor("all rows again", `[...document.querySelectorAll('#audit-rows .col-action')].some(td => td.textContent !== 'Oppdatering')`)
	b.reload() // no status message over the table
	b.waitFor("the audit rows", `document.querySelectorAll('#audit-rows tr').length > 0`)
	b.checkLayout("audit log")
	b.screenshot("audit-log")
}

// formatDMY turns YYYY-MM-DD into dd.mm.åååå, as receptionists type dates.
func formatDMY(iso string) string {
	d, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return d.Format("02.01.2006")
}
