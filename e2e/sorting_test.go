//go:build unix

package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"resepsjon/register"
)

// rowNames is the client list's name column, top to bottom.
func rowNames(b *browser) []string {
	return eval[[]string](b, `[...document.querySelectorAll('#client-table tbody .row-link')].map((a) => a.textContent)`)
}

// The client list sorts by a column from its header: a button that the
// keyboard reaches, with aria-sort on the header and an arrow that is a
// shape, not a colour. A hidden address sorts as empty, last.
func TestClientListSorting(t *testing.T) {
	s := startServer(t)
	b := newBrowser(t)
	b.open(s.launchURL(t))
	for i, c := range []register.Client{
		{GivenName: "Øyvind", FamilyName: "Sortesen", BirthDate: "1961-02-03", City: "Bergen", Phone: "413 22 908"},
		{GivenName: "Åse", FamilyName: "Sortesen", BirthDate: "1990-07-21", City: "Ålesund", Phone: "+47 952 90 748"},
		{GivenName: "Bjørn", FamilyName: "Sortesen", BirthDate: "1975-11-30", City: "Oslo", Phone: "480 11 222"},
		{GivenName: "Per", FamilyName: "Sortesen", BirthDate: "1958-01-30", City: "Aalborg", AddressProtection: "Confidential"},
	} {
		if status := s.api(t, http.MethodPost, "/api/clients", c, nil); status != http.StatusCreated {
			t.Fatalf("create client %d: status %d", i, status)
		}
	}
	b.open(s.URL + "/#/clients?q=Sortesen")
	b.waitFor("the four clients", `document.querySelectorAll('#client-table tbody tr').length === 4`)
	if got := b.attr("th.col-name", "aria-sort"); got != "none" {
		t.Errorf("before any choice the name header has aria-sort %q; want none", got)
	}

	// Poststed, by keyboard: Tab from the name button reaches the next ones.
	b.focus("#sort-name")
	b.press(kb.Tab)
	b.press(kb.Tab)
	b.press(kb.Tab)
	b.press(kb.Tab)
	if got := b.focused(); got != "sort-city" {
		t.Fatalf("four Tabs from the name header reach %q; want sort-city", got)
	}
	b.press(kb.Enter)
	b.waitFor("ascending by city", `document.querySelector('th.col-city')?.getAttribute('aria-sort') === 'ascending'`)
	b.checkFocusVisible("the city sort button")
	// Norwegian order: Bergen, Oslo, Ålesund; the hidden address last.
	want := []string{"Sortesen, Øyvind", "Sortesen, Bjørn", "Sortesen, Åse", "Sortesen, Per"}
	if got := rowNames(b); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("by city ascending: %v; want %v", got, want)
	}
	if got := b.focused(); got != "sort-city" {
		t.Errorf("after sorting the focus is on %q; want the header button", got)
	}
	if got := b.text("#sort-city .sort-mark"); got != "▲" {
		t.Errorf("the ascending mark is %q", got)
	}
	if got := b.attr("th.col-name", "aria-sort"); got != "none" {
		t.Errorf("the name header still says %q", got)
	}

	// Space turns the order round; empty values stay last.
	b.press(" ")
	b.waitFor("descending by city", `document.querySelector('th.col-city')?.getAttribute('aria-sort') === 'descending'`)
	want = []string{"Sortesen, Åse", "Sortesen, Bjørn", "Sortesen, Øyvind", "Sortesen, Per"}
	if got := rowNames(b); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("by city descending: %v; want %v", got, want)
	}
	if got := b.text("#sort-city .sort-mark"); got != "▼" {
		t.Errorf("the descending mark is %q", got)
	}

	// Name in Norwegian alphabetical order (Æ, Ø, Å last); the choice is in
	// the address, so a reload keeps it.
	b.click("#sort-name")
	b.waitFor("ascending by name", `document.querySelector('th.col-name')?.getAttribute('aria-sort') === 'ascending'`)
	want = []string{"Sortesen, Bjørn", "Sortesen, Per", "Sortesen, Øyvind", "Sortesen, Åse"}
	if got := rowNames(b); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("by name: %v; want %v", got, want)
	}
	if got := eval[string](b, `location.hash`); !strings.Contains(got, "sort=name") {
		t.Errorf("the address %q does not keep the sort", got)
	}
	b.click("#sort-birthDate")
	b.waitFor("ascending by birth date", `document.querySelector('th.col-birthDate')?.getAttribute('aria-sort') === 'ascending'`)
	b.reload()
	b.waitFor("the sorted list after reload", `document.querySelector('th.col-birthDate')?.getAttribute('aria-sort') === 'ascending' && document.querySelectorAll('#client-table tbody tr').length === 4`)
	want = []string{"Sortesen, Per", "Sortesen, Øyvind", "Sortesen, Bjørn", "Sortesen, Åse"}
	if got := rowNames(b); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("by birth date after reload: %v; want %v", got, want)
	}
	b.checkLayout("the sorted client list")

	// Pictures of the sorted list for the screenshots, in both languages.
	for _, lang := range []string{"en", "nb"} {
		eval[bool](b, `(localStorage.setItem('resepsjon.language', `+jsString(lang)+`), true)`)
		for _, size := range [][2]int64{{1366, 768}, {1920, 1080}} {
			b.do(chromedp.EmulateViewport(size[0], size[1]))
			b.reload()
			b.waitFor("the sorted list", `document.querySelectorAll('#client-table tbody tr').length === 4`)
			b.focus("#sort-birthDate")
			b.screenshot(fmt.Sprintf("client-list-sorted-%s-%d", lang, size[0]))
		}
	}
}
