package e2e

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"resepsjon/app"
)

// TestPersontjenestenBulkRefresh: "Oppdater alle fra Persontjenesten" on the
// Persontjenesten page shows progress with Avbryt while Norsk helsenett is
// slow, and at the end the report grouped by kind with a link to each
// client. The demo register holds a client registered with a former
// D-number, one registered before the person died, and made-up clients the
// population register does not know.
func TestPersontjenestenBulkRefresh(t *testing.T) {
	s, b := openDemo(t)
	base := activateByAPI(t, s)
	feedOff(t, s)
	t.Cleanup(func() { mockControl(t, base, http.MethodPut, "/_mock/faults", map[string]any{}) })

	// A client who has moved since being registered.
	p := freshPersons(t, s, base, 1)[0]
	var draft struct {
		Draft map[string]any `json:"draft"`
	}
	if code := s.api(t, http.MethodPost, "/api/persontjenesten/lookup", map[string]string{"nin": p.NIN}, &draft); code != http.StatusOK {
		t.Fatalf("lookup: %d", code)
	}
	var created struct {
		ID int64 `json:"id"`
	}
	if code := s.api(t, http.MethodPost, "/api/clients", draft.Draft, &created); code != http.StatusCreated {
		t.Fatalf("create: %d", code)
	}
	mockControl(t, base, http.MethodPost, "/_mock/persons/move", map[string]string{"nin": p.NIN})

	b.do(chromedp.Navigate(s.URL + "/#/persontjenesten"))
	b.waitFor("the refresh-all button", `!!document.querySelector('#pt-bulk-start')`)

	// It asks first, with the number of clients and what may change;
	// Avbryt starts nothing.
	b.click("#pt-bulk-start")
	b.waitFor("the question", `!!document.querySelector('#pt-bulk-confirm[open]')`)
	var total struct {
		Total int `json:"total"`
	}
	s.api(t, http.MethodGet, "/api/clients?limit=1", nil, &total)
	question := b.text("#pt-bulk-confirm")
	for _, want := range []string{strconv.Itoa(total.Total) + " klienter", "Telefon og e-post", "beholdes", "Notater endres aldri"} {
		if !strings.Contains(question, want) {
			t.Errorf("the question %q does not say %q", question, want)
		}
	}
	b.press(kb.Escape)
	b.waitFor("the question gone", `!document.querySelector('#pt-bulk-confirm')`)
	var job app.BulkJob
	if s.api(t, http.MethodGet, "/api/persontjenesten/refresh-all", nil, &job); job.State != "none" {
		t.Errorf("after Avbryt the run is %q, want none", job.State)
	}

	// Slow: the progress bar and Avbryt; cancelling stops the run.
	mockControl(t, base, http.MethodPut, "/_mock/faults", map[string]any{"latency": "5s"})
	startBulk(b)
	b.waitFor("the progress bar", `!document.querySelector('#pt-bulk-running').hidden && document.querySelector('#pt-bulk-progress').max > 1`)
	if got := b.text("#pt-bulk-count"); !strings.Contains(got, " av ") || !strings.HasSuffix(got, "klienter") {
		t.Errorf("progress text %q", got)
	}
	if !eval[bool](b, `document.querySelector('#pt-bulk-start').disabled`) {
		t.Error("the start button is enabled while the run goes on")
	}
	b.checkLayout("refresh all running")
	b.click("#pt-bulk-cancel")
	b.waitText("#pt-bulk-message", "Avbrutt")
	if !eval[bool](b, `document.querySelector('#pt-bulk-running').hidden && !document.querySelector('#pt-bulk-start').disabled`) {
		t.Error("progress still shown after the run was cancelled")
	}
	mockControl(t, base, http.MethodPut, "/_mock/faults", map[string]any{})

	// The receptionist's story: a client imported from Persontjenesten
	// whose new e-mail is typed seconds later. The run keeps it and the
	// report says so, although the client was saved right after its fetch.
	var typedID int64
	for _, q := range freshPersons(t, s, base, 6) {
		var got struct {
			Draft map[string]any `json:"draft"`
		}
		s.api(t, http.MethodPost, "/api/persontjenesten/lookup", map[string]string{"nin": q.NIN}, &got)
		if email, _ := got.Draft["email"].(string); email == "" {
			continue
		}
		var c map[string]any
		if code := s.api(t, http.MethodPost, "/api/clients", got.Draft, &c); code != http.StatusCreated {
			t.Fatalf("create: %d", code)
		}
		c["email"] = "skrevet.i.resepsjonen@example.no"
		if code := s.api(t, http.MethodPut, fmt.Sprintf("/api/clients/%d", int64(c["id"].(float64))), c, nil); code != http.StatusOK {
			t.Fatalf("typing the e-mail: %d", code)
		}
		typedID = int64(c["id"].(float64))
		break
	}
	if typedID == 0 {
		t.Fatal("no person with an e-mail in the contact register")
	}
	// "Oppdater via Persontjenesten" on the card follows the same rule: the
	// register's e-mail is offered unticked, saying the typed one is kept.
	b.do(chromedp.Navigate(fmt.Sprintf("%s/#/clients/%d", s.URL, typedID)))
	b.waitFor("the client card", `!!document.querySelector('#update-client')`)
	b.click("#update-client")
	b.waitFor("the changes dialog", `!!document.querySelector('#pt-diff-dialog[open]')`)
	keptRow := `#pt-diff tr[data-field="email"][data-kept="true"]`
	b.waitFor("the kept e-mail row", fmt.Sprintf(`!!document.querySelector(%s)`, jsString(keptRow)))
	if got := b.text(keptRow); !strings.Contains(got, "beholdt din verdi") {
		t.Errorf("the kept e-mail row: %q", got)
	}
	if eval[bool](b, fmt.Sprintf(`document.querySelector(%s).checked`, jsString(keptRow+" input"))) {
		t.Error("the register's e-mail is ticked over the typed one")
	}
	b.checkLayout("update with a kept e-mail")
	b.screenshot("persontjenesten-update-kept")
	b.click("#pt-diff-cancel")
	b.waitFor("the dialog closed", `!document.querySelector('#pt-diff-dialog[open]')`)
	b.do(chromedp.Navigate(s.URL + "/#/persontjenesten"))
	b.waitFor("the refresh-all button", `!!document.querySelector('#pt-bulk-start')`)

	// The moved client's e-mail was never touched at the desk: the contact
	// register's new one is taken.
	mockControl(t, base, http.MethodPost, "/_mock/persons/contact", map[string]string{"nin": p.NIN, "email": "flyttet.ny@example.no"})

	// The whole run: the report, grouped.
	startBulk(b)
	b.waitText("#pt-bulk-message", "Ferdig")
	link := fmt.Sprintf(`#pt-bulk-group-moved li[data-client-id="%d"] a`, created.ID)
	b.waitFor("the moved client in the report", fmt.Sprintf(`!!document.querySelector(%s)`, jsString(link)))
	if got := b.text(link); !strings.Contains(got, p.FamilyName) {
		t.Errorf("moved client's link text %q", got)
	}
	if got := b.text("#pt-bulk-group-moved-title"); !strings.HasPrefix(got, "Flyttet (") {
		t.Errorf("moved group title %q", got)
	}
	for _, g := range []struct{ id, title string }{
		{"#pt-bulk-group-deceased-title", "Død ("},
		{"#pt-bulk-group-new_number-title", "Nytt nummer ("},
		{"#pt-bulk-group-failed-title", "Ikke oppdatert ("},
	} {
		if got := b.text(g.id); !strings.HasPrefix(got, g.title) {
			t.Errorf("report group %s: %q, want %q…", g.id, got, g.title)
		}
	}
	if got := b.text("#pt-bulk-group-failed li"); !strings.Contains(got, "Folkeregisteret har ingen person") {
		t.Errorf("a made-up client's reason: %q", got)
	}
	kept := fmt.Sprintf(`#pt-bulk-report li[data-client-id="%d"]`, typedID)
	b.waitFor("the kept phone in the report", fmt.Sprintf(`!!document.querySelector(%s)`, jsString(kept)))
	if got := b.text(kept); !strings.Contains(got, "E-post: beholdt din verdi") {
		t.Errorf("the typed e-mail's report row: %q", got)
	}
	var typed struct {
		Email string `json:"email"`
	}
	s.api(t, http.MethodGet, fmt.Sprintf("/api/clients/%d", typedID), nil, &typed)
	if typed.Email != "skrevet.i.resepsjonen@example.no" {
		t.Errorf("the typed e-mail became %q", typed.Email)
	}
	if n := eval[int](b, `[...document.querySelectorAll('#pt-bulk-group-failed li')].filter(li => li.textContent.includes('Ikke oppdatert:')).length`); n > 0 {
		t.Errorf("%d failed rows repeat «Ikke oppdatert:»", n)
	}
	b.checkLayout("refresh all report")
	eval[bool](b, `(document.querySelector('#pt-bulk').scrollIntoView(), true)`)
	b.screenshot("persontjenesten-bulk-report")

	// The link opens the client, now at the new address.
	b.click(link)
	b.waitFor("the client page", fmt.Sprintf(`location.hash === '#/clients/%d'`, created.ID))
	var stored struct {
		StreetAddress string `json:"streetAddress"`
		Email         string `json:"email"`
		Version       int64  `json:"version"`
	}
	if code := s.api(t, http.MethodGet, fmt.Sprintf("/api/clients/%d", created.ID), nil, &stored); code != http.StatusOK ||
		stored.Version != 2 || stored.StreetAddress == p.StreetAddress || stored.Email != "flyttet.ny@example.no" {
		t.Errorf("client after the run: %d %+v (was at %q)", code, stored, p.StreetAddress)
	}
}

// startBulk presses "Oppdater alle fra Persontjenesten" and answers yes.
func startBulk(b *browser) {
	b.t.Helper()
	b.click("#pt-bulk-start")
	b.waitFor("the question", `!!document.querySelector('#pt-bulk-confirm[open]')`)
	b.click(`#pt-bulk-confirm [data-action="confirm"]`)
	b.waitFor("the question answered", `!document.querySelector('#pt-bulk-confirm')`)
}
