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

// While the receptionist types, the client list draws the rows in view in
// the frame of the key and the rows below after it (client-table.js), and
// writes the search into the address once the typing pauses
// (client-list.js). Neither may leave anything behind: every row of the page
// ends up showing the answer, and a client opened at once still has Back
// return to the search.
func TestClientListWhileTyping(t *testing.T) {
	s := startServer(t)
	b := newBrowser(t)
	b.open(s.launchURL(t))
	// 30 clients first in name order, then 60 that the search will find:
	// the unfiltered first page shows 30 of the first and 20 of the others.
	postNumbered(t, s, 30, "Anne", "Aabakken")
	postNumbered(t, s, 60, "Per", "Radsen")
	b.open(s.URL + "/#/clients")
	b.reload()
	b.waitFor("the first page", `document.querySelectorAll('#client-table tbody tr').length === 50`)

	b.do(chromedp.SendKeys(chromedp.CSS("#search"), "radsen"))
	b.waitFor("fifty Radsens, the rows below the window too",
		`!document.querySelector('#results').hasAttribute('aria-busy') &&
		 [...document.querySelectorAll('#client-table tbody .row-link')].filter((a) => a.textContent.startsWith('Radsen, Per')).length === 50`)
	if got := b.text("#result-summary"); got != "1–50 av 60" {
		t.Errorf("summary %q; want 1–50 av 60", got)
	}
	first := b.text("#client-table tbody tr .row-link")
	// Once the typing pauses, the address holds the search.
	b.waitFor("the search in the address", `new URLSearchParams(location.hash.split('?')[1] || '').get('q') === 'radsen'`)

	// Narrow it and open the first row in the same task, before the typing
	// paused (a pointer put down, or a key that is not typing, writes the
	// address at once): Back still returns to what was typed.
	before := eval[string](b, `(() => {
	  const s = document.querySelector('#search');
	  s.value = 'radsen pe';
	  s.dispatchEvent(new Event('input', { bubbles: true }));
	  const hash = location.hash;
	  const a = document.querySelector('#client-table tbody tr .row-link');
	  a.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
	  a.click();
	  return hash;
	})()`)
	if before != "#/clients?q=radsen" {
		t.Errorf("the address right after the key is %q; want the search before it (written when the typing pauses)", before)
	}
	waitClientView(b, "Per 00 Radsen")
	b.do(chromedp.NavigateBack())
	b.waitFor("the list again", `document.querySelectorAll('#client-table tbody tr').length === 50`)
	if got := b.value("#search"); got != "radsen pe" {
		t.Errorf("after Back the search box holds %q; want %q", got, "radsen pe")
	}
	if got := eval[string](b, `new URLSearchParams(location.hash.split('?')[1] || '').get('q')`); got != "radsen pe" {
		t.Errorf("after Back the address holds q = %q; want %q", got, "radsen pe")
	}
	if first != "Radsen, Per 00" {
		t.Errorf("first row %q; want Radsen, Per 00", first)
	}

	// By keyboard: type, go down to the first row and open it before the
	// typing paused; the arrow key writes the address.
	eval[bool](b, `(document.querySelector('#search').value = '', true)`)
	b.do(chromedp.Focus(chromedp.CSS("#search")))
	b.do(chromedp.SendKeys(chromedp.CSS("#search"), "aabakken"))
	b.waitFor("the Aabakkens", `!document.querySelector('#results').hasAttribute('aria-busy') &&
		document.querySelector('#client-table tbody .row-link').textContent.startsWith('Aabakken')`)
	b.do(chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter))
	waitClientView(b, "Anne 00 Aabakken")
	b.do(chromedp.NavigateBack())
	b.waitFor("the list again", `document.querySelector('#client-table tbody .row-link') !== null`)
	if got := eval[string](b, `new URLSearchParams(location.hash.split('?')[1] || '').get('q')`); got != "aabakken" {
		t.Errorf("after Back the address holds q = %q; want %q", got, "aabakken")
	}
}

// The first key of a search has no shorter search to narrow: its answer is
// asked for ahead, when the list opens (GET /api/clients/ahead), and drawn
// in the key's own task, without a request; the next key narrows it.
func TestFirstKeyAnsweredAhead(t *testing.T) {
	s := startServer(t)
	b := newBrowser(t)
	b.open(s.launchURL(t))
	// 60 clients first in name order, so that the unfiltered page holds
	// nobody the search finds.
	postNumbered(t, s, 60, "Anne", "Aabakken")
	postNumbered(t, s, 3, "Per", "Olsen")
	b.open(s.URL + "/#/clients")
	b.reload()
	b.waitFor("the first page", `document.querySelectorAll('#client-table tbody tr').length === 50`)

	// Once the answers asked ahead are in, "o" draws its whole answer
	// within the input event's own task (the box is emptied again after).
	const inTheKeysTask = `(() => {
	  const s = document.querySelector('#search');
	  const type = (v) => { s.value = v; s.dispatchEvent(new Event('input', { bubbles: true })); };
	  type('o');
	  const rows = [...document.querySelectorAll('#client-table tbody .row-link')].map((a) => a.textContent);
	  const answered = !document.querySelector('#results').hasAttribute('aria-busy') &&
	    document.querySelector('#result-summary').textContent === '1–3 av 3' &&
	    rows.length === 3 && rows.every((r) => r.startsWith('Olsen, Per'));
	  type('');
	  return answered;
	})()`
	b.waitFor("the answer to «o» in the key's own task", inTheKeysTask)
	b.waitFor("the unfiltered list again", `!document.querySelector('#results').hasAttribute('aria-busy') &&
		document.querySelectorAll('#client-table tbody tr').length === 50`)

	// Typed on the keyboard: the answer without a request, for "o" and for
	// "ol", which narrows it.
	asked := `performance.getEntriesByType('resource').filter((e) => /\/api\/clients\?.*q=o/.test(e.name)).length`
	before := eval[int](b, asked)
	b.do(chromedp.Focus(chromedp.CSS("#search")), chromedp.KeyEvent("o"))
	b.waitFor("the Olsens", `document.querySelector('#result-summary').textContent === '1–3 av 3' &&
		!document.querySelector('#results').hasAttribute('aria-busy')`)
	b.do(chromedp.KeyEvent("l"))
	// Not busy: no answer awaited (a request, had one been made, is
	// finished and counted).
	b.waitFor("«ol» in the box, nothing awaited", `document.querySelector('#search').value === 'ol' &&
		!document.querySelector('#results').hasAttribute('aria-busy')`)
	if got := b.text("#client-table tbody tr .row-link"); got != "Olsen, Per 00" {
		t.Errorf("first row for «ol» %q; want Olsen, Per 00", got)
	}
	if got := b.text("#result-summary"); got != "1–3 av 3" {
		t.Errorf("summary for «ol» %q; want 1–3 av 3", got)
	}
	if after := eval[int](b, asked); after != before {
		t.Errorf("%d requests for «o» and «ol»; want none (answered ahead)", after-before)
	}
}

// While typing, only the rows in view are drawn in the key's own task
// (client-table.js reckons how many from the layout of earlier frames):
// every row in the window must show the new answer at once, also when the
// key takes «Sist brukt» away from above the table, so that the rows move
// up and more of them come into view.
func TestRowsInViewDrawnWithTheKey(t *testing.T) {
	s := startServer(t)
	b := newBrowser(t)
	b.open(s.launchURL(t))
	postNumbered(t, s, 60, "Anne", "Aabakken")
	postNumbered(t, s, 45, "Per", "Radsen")
	// Three clients opened, so that «Sist brukt» stands above the list.
	for id := 1; id <= 3; id++ {
		b.open(fmt.Sprintf("%s/#/clients/%d", s.URL, id))
		waitClientView(b, fmt.Sprintf("Anne %02d Aabakken", id-1))
	}
	b.open(s.URL + "/#/clients")
	b.reload()
	b.waitFor("the first page under «Sist brukt»", `document.querySelectorAll('#client-table tbody tr').length === 50 &&
		document.querySelectorAll('#recent-list a').length === 3`)

	// type(v) types v as a key would and returns, from the same task, the
	// names of the rows in the window and whether «Sist brukt» is shown.
	const typeJS = `((v) => {
	  const s = document.querySelector('#search');
	  s.value = v;
	  s.dispatchEvent(new Event('input', { bubbles: true }));
	  const rows = [...document.querySelectorAll('#client-table tbody tr')];
	  const inView = rows.filter((r) => r.getBoundingClientRect().top < window.innerHeight);
	  return { names: inView.map((r) => r.querySelector('.row-link').textContent), recent: !!document.querySelector('#recent-list') };
	})`
	type view struct {
		Names  []string `json:"names"`
		Recent bool     `json:"recent"`
	}
	typeIt := func(v string) view {
		t.Helper()
		return eval[view](b, fmt.Sprintf("%s(%q)", typeJS, v))
	}
	frames := func() {
		t.Helper()
		eval[bool](b, `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
	}
	allRadsen := func(v view) bool {
		for _, n := range v.Names {
			if !strings.HasPrefix(n, "Radsen, Per") {
				return false
			}
		}
		return len(v.Names) > 0
	}
	// Once the answers asked ahead are in, «r» is answered in its own task.
	b.waitFor("the answer to «r» in the key's own task", fmt.Sprintf(`(() => {
	  const v = %s('r');
	  %s('');
	  return v.names.length > 0 && v.names.every((n) => n.startsWith('Radsen, Per'));
	})()`, typeJS, typeJS))
	b.waitFor("the unfiltered list again", `!document.querySelector('#results').hasAttribute('aria-busy') &&
		document.querySelectorAll('#client-table tbody tr').length === 50`)

	// The first key, then the rows' layout read in its frame; the box
	// emptied (Sist brukt comes back); the first key again, then a second.
	for i, step := range []struct {
		text   string
		recent bool
	}{{"r", false}, {"", true}, {"r", false}, {"ra", false}, {"", true}, {"rad", false}} {
		v := typeIt(step.text)
		frames()
		if v.Recent != step.recent {
			t.Fatalf("step %d %q: «Sist brukt» shown %v, want %v", i, step.text, v.Recent, step.recent)
		}
		if step.text == "" {
			continue
		}
		if !allRadsen(v) {
			t.Errorf("step %d %q: rows in the window in the key's task: %q; want only Radsens", i, step.text, v.Names)
		}
		if len(v.Names) < 8 {
			t.Errorf("step %d %q: %d rows in the window; the check needs a full window", i, step.text, len(v.Names))
		}
	}
	// And the rows below come after: every row of the answer.
	b.waitFor("all 45 Radsens", `!document.querySelector('#results').hasAttribute('aria-busy') &&
		[...document.querySelectorAll('#client-table tbody .row-link')].filter((a) => a.textContent.startsWith('Radsen, Per')).length === 45 &&
		document.querySelectorAll('#client-table tbody tr').length === 45`)
	b.screenshot("client-list-typed")

	// Scrolled down the list, a key draws the rows in the window then, not
	// those the window showed before the scroll.
	scrolled := eval[float64](b, `(window.scrollTo(0, 500), new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(window.scrollY)))))`)
	if scrolled < 300 {
		t.Fatalf("the page scrolled to %v, want 500: the check needs a scrolled page", scrolled)
	}
	v := typeIt("a")
	frames()
	if len(v.Names) < 20 {
		t.Errorf("scrolled: %d rows down to the window's bottom; want the rows above it and in it", len(v.Names))
	}
	for _, n := range v.Names {
		if !strings.HasPrefix(n, "Aabakken, Anne") {
			t.Errorf("scrolled: rows down to the window's bottom in the key's task: %q; want only Aabakkens", v.Names)
			break
		}
	}
}

// postNumbered creates n clients through the API: given name "Given 00",
// "Given 01" … and the family name.
func postNumbered(t *testing.T, s *server, n int, given, family string) {
	t.Helper()
	for i := range n {
		c := register.Client{GivenName: fmt.Sprintf("%s %02d", given, i), FamilyName: family}
		if status := s.api(t, http.MethodPost, "/api/clients", c, nil); status != http.StatusCreated {
			t.Fatalf("create client %s: status %d", c.GivenName, status)
		}
	}
}
