//go:build unix

package e2e

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"resepsjon/register"
)

// A phone number is shown one way in the list, on the card and in the
// form ("952 90 748" for a Norwegian number, a foreign one with its +),
// and saving the form unchanged does not rewrite it: formatting is no change.
func TestPhoneShownOneWay(t *testing.T) {
	s := startServer(t)
	b := newBrowser(t)
	b.open(s.launchURL(t))
	var kari, sven map[string]any
	if code := s.api(t, http.MethodPost, "/api/clients", register.Client{GivenName: "Kari", FamilyName: "Telefonsen", Phone: "+4795290748", City: "Kristiansand S"}, &kari); code != http.StatusCreated {
		t.Fatalf("create: status %d", code)
	}
	if code := s.api(t, http.MethodPost, "/api/clients", register.Client{GivenName: "Sven", FamilyName: "Telefonsen", Phone: "0046701234567"}, &sven); code != http.StatusCreated {
		t.Fatalf("create: status %d", code)
	}

	b.open(s.URL + "/#/clients?q=Telefonsen&sort=name")
	b.waitFor("both clients", `document.querySelectorAll('#client-table tbody tr').length === 2`)
	phones := eval[[]string](b, `[...document.querySelectorAll('#client-table tbody .col-phone')].map((td) => td.textContent)`)
	if len(phones) != 2 || phones[0] != "952 90 748" || phones[1] != "+46701234567" {
		t.Errorf("the list shows the phones %q; want 952 90 748 and +46701234567", phones)
	}

	// At 1024 px the place name breaks between its words, never inside one.
	b.do(chromedp.EmulateViewport(1024, 768))
	b.waitFor("the narrow layout", `innerWidth === 1024`)
	wordLines := eval[int](b, `(() => {
		const td = [...document.querySelectorAll('#client-table tbody .col-city')].find((el) => el.textContent === 'Kristiansand S');
		const r = document.createRange();
		r.setStart(td.firstChild, 0);
		r.setEnd(td.firstChild, 'Kristiansand'.length);
		return r.getClientRects().length;
	})()`)
	if wordLines != 1 {
		t.Errorf("at 1024 px \"Kristiansand\" is drawn on %d lines; want 1", wordLines)
	}
	b.do(chromedp.EmulateViewport(1366, 768))

	id := int64(kari["id"].(float64))
	b.open(fmt.Sprintf("%s/#/clients/%d", s.URL, id))
	waitClientView(b, "Telefonsen")
	if got := viewField(b, "phone"); got != "952 90 748" {
		t.Errorf("the card shows the phone %q; want 952 90 748", got)
	}
	b.click("#edit-client")
	waitEditForm(b, "Kari")
	if got := b.value("#f-phone"); got != "952 90 748" {
		t.Errorf("the form shows the phone %q; want 952 90 748", got)
	}
	// Only the e-mail changes: the phone is stored as it was.
	b.retype("#f-email", "kari@example.no")
	b.click("#save")
	waitClientView(b, "Telefonsen")
	var saved map[string]any
	s.api(t, http.MethodGet, fmt.Sprintf("/api/clients/%d", id), nil, &saved)
	if saved["phone"] != "+4795290748" || saved["email"] != "kari@example.no" {
		t.Errorf("after saving the e-mail, phone %v and e-mail %v; want +4795290748 unchanged", saved["phone"], saved["email"])
	}
	// A new number typed in groups is stored in the same form as before.
	b.click("#edit-client")
	waitEditForm(b, "Kari")
	b.retype("#f-phone", "413 22 908")
	b.click("#save")
	waitClientView(b, "Telefonsen")
	s.api(t, http.MethodGet, fmt.Sprintf("/api/clients/%d", id), nil, &saved)
	if saved["phone"] != "+4741322908" {
		t.Errorf("a new number typed as 413 22 908 is stored as %v; want +4741322908", saved["phone"])
	}
	if got := viewField(b, "phone"); got != "413 22 908" {
		t.Errorf("the card shows the new phone %q; want 413 22 908", got)
	}
	b.screenshot("phone-card-nb")
}
