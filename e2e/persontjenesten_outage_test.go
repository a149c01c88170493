package e2e

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPersontjenestenOutageWarningInBrowser: "Oppdater innstillinger" while
// HelseID does not answer leaves the practice activated and shows a warning
// line with the reason and when the check was last confirmed; the next
// refresh once HelseID answers removes it.
func TestPersontjenestenOutageWarningInBrowser(t *testing.T) {
	s, b := openDemo(t)
	base := activateByAPI(t, s)
	t.Cleanup(func() { mockControl(t, base, http.MethodPut, "/_mock/faults", map[string]any{}) })

	b.do(chromedp.Navigate(s.URL + "/#/persontjenesten"))
	b.waitFor("the status", `!!document.querySelector('#pt-delegation-state')`)

	mockControl(t, base, http.MethodPut, "/_mock/faults", map[string]any{"helseIdDown": true})
	b.click("#pt-refresh")
	b.waitFor("the warning", `!!document.querySelector('#pt-delegation-attempt') && !document.querySelector('#pt-busy:not([hidden])')`)
	warning := b.text("#pt-delegation-attempt")
	if !strings.HasPrefix(warning, "Kunne ikke sjekke nå: Fikk ikke kontakt med HelseID (sist bekreftet ") ||
		!regexp.MustCompile(`sist bekreftet \d{2}\.\d{2}\.\d{4} \d{2}:\d{2}\)`).MatchString(warning) {
		t.Errorf("warning %q", warning)
	}
	if !eval[bool](b, `document.querySelector('#pt-delegation-state').classList.contains('state-ok') && document.querySelector('#pt-access-state').classList.contains('state-ok')`) {
		t.Error("a check is no longer shown as valid after the outage")
	}
	if got := b.text("#pt-overall"); !strings.Contains(got, "er aktivert") {
		t.Errorf("overall status %q, want still activated", got)
	}
	if st := ptStatusOf(t, s); !st.Activated {
		t.Errorf("status after the outage refresh: %+v", st)
	}
	b.checkLayout("Persontjenesten settings with an outage warning")

	mockControl(t, base, http.MethodPut, "/_mock/faults", map[string]any{})
	b.click("#pt-refresh")
	b.waitFor("the warning gone", `!document.querySelector('#pt-delegation-attempt') && !!document.querySelector('#pt-delegation-state') && !document.querySelector('#pt-busy:not([hidden])')`)
}
