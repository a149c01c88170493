package app_test

import (
	"net/http"
	"testing"
)

// TestAuditFilterKnowsIDPortenSettings: the Logg page can filter on changes
// of the ID-porten settings.
func TestAuditFilterKnowsIDPortenSettings(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	if r := a.do(http.MethodGet, "/api/audit?action=idporten_settings", nil); r.status != http.StatusOK {
		t.Errorf("filter on idporten_settings: %d %s", r.status, r.body)
	}
	if r := a.do(http.MethodGet, "/api/audit?action=idporten_nonsense", nil); r.status != http.StatusBadRequest {
		t.Errorf("filter on an unknown action: %d", r.status)
	}
}
