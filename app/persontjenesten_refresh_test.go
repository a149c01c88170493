package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"resepsjon/app"
	"resepsjon/persontjeneste/nhnmock"
)

// refresh presses "Oppdater innstillinger" and returns the status (with the
// failed attempts).
func (h *ptHarness) refresh(mutate ...func(*http.Request)) app.PersontjenestenStatus {
	h.t.Helper()
	return h.status(h.do(http.MethodPost, "/api/persontjenesten/refresh", nil, mutate...))
}

// statusNow reads the stored status the way the settings page does.
func (h *ptHarness) statusNow() app.PersontjenestenStatus {
	h.t.Helper()
	return h.status(h.do(http.MethodGet, "/api/persontjenesten/status", nil))
}

func sameTime(a, b *time.Time) bool { return a != nil && b != nil && a.Equal(*b) }

func english(r *http.Request) { r.Header.Set("Accept-Language", "en") }

// wantAttempt checks a reported failed attempt: its code, both texts, and
// that it is not older than the confirmation it sits beside.
func wantAttempt(t *testing.T, what string, a *app.CheckAttempt, code string, confirmed *time.Time) {
	t.Helper()
	switch {
	case a == nil:
		t.Fatalf("%s: no lastAttempt", what)
	case a.Code != code || a.Message == "" || a.Help == "":
		t.Fatalf("%s: lastAttempt %+v, want code %s with message and help", what, a, code)
	case confirmed == nil || a.At.Before(*confirmed):
		t.Fatalf("%s: attempt at %v, last confirmed %v", what, a.At, confirmed)
	}
}

// TestPersontjenestenRefreshKeepsActivationThroughOutage: "Oppdater
// innstillinger" while HelseID or Persontjenesten does not answer keeps the
// practice activated with the last confirmed checks, and reports the failed
// attempt beside them; lookups go on.
func TestPersontjenestenRefreshKeepsActivationThroughOutage(t *testing.T) {
	t.Parallel()
	h := newPTHarness(t)
	first := h.activate()
	numbers := h.pop.SampleNINs(3)

	// HelseID down.
	h.mock.SetFaults(nhnmock.Faults{HelseIDDown: true})
	st := h.refresh()
	if !st.Activated || st.Delegation.State != "ok" || st.Access.State != "ok" {
		t.Fatalf("refresh while HelseID is down deactivated: %+v", st)
	}
	if !sameTime(st.Delegation.CheckedAt, first.Delegation.CheckedAt) || !sameTime(st.Access.CheckedAt, first.Access.CheckedAt) {
		t.Errorf("confirmation times moved: delegation %v -> %v, access %v -> %v",
			first.Delegation.CheckedAt, st.Delegation.CheckedAt, first.Access.CheckedAt, st.Access.CheckedAt)
	}
	wantAttempt(t, "delegation, HelseID down", st.Delegation.LastAttempt, "helseid_unavailable", st.Delegation.CheckedAt)
	if !strings.Contains(st.Delegation.LastAttempt.Message, "HelseID") {
		t.Errorf("attempt message %q does not name HelseID", st.Delegation.LastAttempt.Message)
	}
	if st.Access.LastAttempt != nil {
		t.Errorf("access attempt reported though it could not run: %+v", st.Access.LastAttempt)
	}
	// The stored status says the same, and lookups are not refused.
	if st2 := h.statusNow(); !st2.Activated || st2.Delegation.LastAttempt == nil {
		t.Fatalf("stored status after the outage refresh: %+v %+v", st2, st2)
	}
	if r := h.do(http.MethodPost, "/api/persontjenesten/lookup", map[string]string{"nin": numbers[0]}); r.status != http.StatusOK {
		t.Fatalf("lookup after a refresh during a HelseID outage: %d %s", r.status, r.body)
	}
	// The failed attempt is in the audit log as an error.
	if rows := h.audit("&action=refresh"); len(rows) == 0 || rows[0].Outcome != "error" || rows[0].ErrorCode != "helseid_unavailable" {
		t.Fatalf("audit after the outage refresh: %+v", rows)
	}

	// HelseID back: a fresh confirmation, no attempt left over.
	h.mock.SetFaults(nhnmock.Faults{})
	st = h.refresh()
	if !st.Activated || st.Delegation.LastAttempt != nil || st.Access.LastAttempt != nil ||
		!st.Delegation.CheckedAt.After(*first.Delegation.CheckedAt) {
		t.Fatalf("refresh after HelseID is back: %+v", st)
	}
	confirmed := st

	// Persontjenesten down: the delegation is confirmed anew, the access
	// keeps its last confirmation, in English on request.
	h.mock.SetFaults(nhnmock.Faults{PersontjenestenDown: true})
	st = h.refresh(english)
	if !st.Activated || st.Delegation.State != "ok" || st.Access.State != "ok" {
		t.Fatalf("refresh while Persontjenesten is down deactivated: %+v", st)
	}
	if st.Delegation.LastAttempt != nil || sameTime(st.Delegation.CheckedAt, confirmed.Delegation.CheckedAt) {
		t.Errorf("delegation not confirmed anew while only Persontjenesten was down: %+v %+v", st.Delegation, st.Delegation.LastAttempt)
	}
	if !sameTime(st.Access.CheckedAt, confirmed.Access.CheckedAt) {
		t.Errorf("access confirmation time moved: %v -> %v", confirmed.Access.CheckedAt, st.Access.CheckedAt)
	}
	wantAttempt(t, "access, Persontjenesten down", st.Access.LastAttempt, "persontjenesten_unavailable", st.Access.CheckedAt)
	if !strings.Contains(st.Access.LastAttempt.Message, "Could not reach Persontjenesten") {
		t.Errorf("English attempt message %q", st.Access.LastAttempt.Message)
	}
	h.mock.SetFaults(nhnmock.Faults{})
	if r := h.do(http.MethodPost, "/api/persontjenesten/lookup", map[string]string{"nin": numbers[1]}); r.status != http.StatusOK {
		t.Fatalf("lookup after Persontjenesten is back: %d %s", r.status, r.body)
	}
	if st = h.refresh(); !st.Activated || st.Access.LastAttempt != nil || sameTime(st.Access.CheckedAt, confirmed.Access.CheckedAt) {
		t.Fatalf("refresh after Persontjenesten is back: %+v", st)
	}
}

// TestPersontjenestenRefreshRefusalDeactivates: a definite answer from
// HelseID or Persontjenesten still ends the activation, outage or not.
func TestPersontjenestenRefreshRefusalDeactivates(t *testing.T) {
	t.Parallel()
	h := newPTHarness(t)
	h.activate()
	number := h.pop.SampleNINs(1)[0]
	notActivated := func(what string) {
		t.Helper()
		r := h.do(http.MethodPost, "/api/persontjenesten/lookup", map[string]string{"nin": number})
		if r.status != http.StatusConflict || r.apiError(t).Code != "not_activated" {
			t.Fatalf("lookup after %s: %d %s", what, r.status, r.body)
		}
	}

	// The agreement lapses.
	h.mock.SetAgreement(h.orgOK, false)
	st := h.refresh()
	if st.Activated || st.Access.State != "failed" || st.Access.Code != "no_agreement" || st.Access.LastAttempt != nil {
		t.Fatalf("agreement withdrawn: %+v %+v", st.Access, st.Access.LastAttempt)
	}
	notActivated("the agreement lapsed")
	// An outage now keeps the failed state: there is nothing to keep alive.
	h.mock.SetFaults(nhnmock.Faults{PersontjenestenDown: true})
	if st = h.refresh(); st.Activated || st.Access.State != "failed" || st.Access.Code != "persontjenesten_unavailable" || st.Access.LastAttempt != nil {
		t.Fatalf("outage after a refusal: %+v %+v", st.Access, st.Access.LastAttempt)
	}
	h.mock.SetFaults(nhnmock.Faults{})
	h.mock.SetAgreement(h.orgOK, true)
	if st = h.refresh(); !st.Activated {
		t.Fatalf("agreement back: %+v", st)
	}

	// The delegation is withdrawn in Altinn.
	h.mock.SetDelegation(h.orgOK, false)
	st = h.refresh()
	if st.Activated || st.Delegation.State != "failed" || st.Delegation.Code != "no_delegation" || st.Delegation.LastAttempt != nil {
		t.Fatalf("delegation withdrawn: %+v %+v", st.Delegation, st.Delegation.LastAttempt)
	}
	notActivated("the delegation was withdrawn")
	h.mock.SetDelegation(h.orgOK, true)
	if st = h.refresh(); !st.Activated {
		t.Fatalf("delegation back: %+v", st)
	}

	// The client loses its access to the API (scope).
	if err := h.mock.RegisterClient(nhnmock.RegisteredClient{ClientID: ptClientID, PublicJWK: h.publicJWK(),
		Tenancy: nhnmock.TenancyMulti, Scopes: []string{nhnmock.ScopeNoLegalBasis}}); err != nil {
		t.Fatal(err)
	}
	st = h.refresh()
	if st.Activated || st.Delegation.State != "failed" || st.Delegation.Code != "invalid_scope" || st.Delegation.LastAttempt != nil {
		t.Fatalf("scope removed: %+v %+v", st.Delegation, st.Delegation.LastAttempt)
	}
	notActivated("the scope was removed")
}

// publicJWK is the practice's registered public key, from the status.
func (h *ptHarness) publicJWK() []byte {
	h.t.Helper()
	st := h.statusNow()
	if len(st.HelseID.PublicJWK) < 10 {
		h.t.Fatalf("no public key in the status: %s", st.HelseID.PublicJWK)
	}
	return st.HelseID.PublicJWK
}

// TestPersontjenestenFirstActivationFailsOnOutage: with nothing confirmed
// before, an outage is a failed check and the practice is not activated.
func TestPersontjenestenFirstActivationFailsOnOutage(t *testing.T) {
	t.Parallel()
	h := newPTHarness(t)
	h.setUp(h.orgOK)

	h.mock.SetFaults(nhnmock.Faults{HelseIDDown: true})
	st := h.status(h.do(http.MethodPost, "/api/persontjenesten/activate", nil))
	if st.Activated || st.Delegation.State != "failed" || st.Delegation.Code != "helseid_unavailable" || st.Access.State != "unchecked" {
		t.Fatalf("first activation while HelseID is down: %+v", st)
	}
	h.mock.SetFaults(nhnmock.Faults{PersontjenestenDown: true})
	st = h.refresh()
	if st.Activated || st.Delegation.State != "ok" || st.Access.State != "failed" || st.Access.Code != "persontjenesten_unavailable" ||
		st.Delegation.LastAttempt != nil || st.Access.LastAttempt != nil {
		t.Fatalf("first activation while Persontjenesten is down: %+v", st)
	}
	r := h.do(http.MethodPost, "/api/persontjenesten/lookup", map[string]string{"nin": h.pop.SampleNINs(1)[0]})
	if r.status != http.StatusConflict || r.apiError(t).Code != "not_activated" {
		t.Fatalf("lookup before any activation succeeded: %d %s", r.status, r.body)
	}

	// An activation confirmed with other settings is not kept either: after
	// a change of organisation number an outage is a plain failure.
	h.mock.SetFaults(nhnmock.Faults{})
	if st = h.refresh(); !st.Activated {
		t.Fatalf("activation once NHN answers: %+v", st)
	}
	h.status(h.do(http.MethodPut, "/api/persontjenesten/settings", map[string]any{
		"practice": map[string]string{"orgNumber": h.orgNoAgreement, "name": "Testklinikken"}}))
	h.mock.SetFaults(nhnmock.Faults{HelseIDDown: true})
	if st = h.refresh(); st.Activated || st.Delegation.State != "failed" || st.Delegation.LastAttempt != nil {
		t.Fatalf("outage after a settings change: %+v", st)
	}
}

// TestNHNUnavailableNamesTheService: a lookup that gets no answer says
// whether HelseID (the login) or Persontjenesten did not answer, and what to
// do, in bokmål and English; the code stays nhn_unavailable.
func TestNHNUnavailableNamesTheService(t *testing.T) {
	t.Parallel()
	h := newFaultHarness(t, faultOptions{tokenLifetime: time.Second})
	h.activate()
	numbers := h.pop.SampleNINs(2)
	created := h.create(h.lookup(map[string]string{"nin": numbers[0]}).Draft)

	type answer struct{ nb, en reply }
	ask := func(do func(mutate ...func(*http.Request)) reply) answer {
		return answer{nb: do(), en: do(english)}
	}
	lookup := func(mutate ...func(*http.Request)) reply {
		return h.do(http.MethodPost, "/api/persontjenesten/lookup", map[string]string{"nin": numbers[1]}, mutate...)
	}
	update := func(mutate ...func(*http.Request)) reply {
		return h.do(http.MethodPost, fmt.Sprintf("/api/clients/%d/persontjenesten/update", created.ID), nil, mutate...)
	}
	search := func(mutate ...func(*http.Request)) reply {
		return h.do(http.MethodPost, "/api/persontjenesten/search", map[string]string{"familyName": "Hansen", "municipalityNumber": "0301"}, mutate...)
	}
	check := func(what string, a answer, service string, nbNames, enNames string) {
		t.Helper()
		for _, x := range []struct {
			r     reply
			names string
			next  []string
		}{
			{a.nb, nbNames, []string{"Prøv igjen om noen minutter", "Helsenettet", "uendret"}},
			{a.en, enNames, []string{"Try again in a few minutes", "health network", "unchanged"}},
		} {
			e := x.r.apiError(t)
			if x.r.status != http.StatusServiceUnavailable || e.Code != "nhn_unavailable" || e.Service != service {
				t.Fatalf("%s: %d %s, want 503 nhn_unavailable for %s", what, x.r.status, x.r.body, service)
			}
			if !strings.HasPrefix(e.Message, x.names) {
				t.Errorf("%s: message %q does not start with %q", what, e.Message, x.names)
			}
			for _, s := range x.next {
				if !strings.Contains(e.Message, s) {
					t.Errorf("%s: message %q does not say %q", what, e.Message, s)
				}
			}
		}
	}

	// Persontjenesten down (HelseID answers).
	h.mock.SetFaults(nhnmock.Faults{PersontjenestenDown: true})
	check("lookup, Persontjenesten down", ask(lookup), "persontjenesten",
		"Fikk ikke svar fra Persontjenesten", "No answer from Persontjenesten")
	check("search, Persontjenesten down", ask(search), "persontjenesten",
		"Fikk ikke svar fra Persontjenesten", "No answer from Persontjenesten")
	check("update, Persontjenesten down", ask(update), "persontjenesten",
		"Fikk ikke svar fra Persontjenesten", "No answer from Persontjenesten")

	// HelseID down once the token has run out: the login is what failed.
	h.mock.SetFaults(nhnmock.Faults{})
	h.clock.Advance(1500 * time.Millisecond)
	h.mock.SetFaults(nhnmock.Faults{HelseIDDown: true})
	check("lookup, HelseID down", ask(lookup), "helseid",
		"Fikk ikke svar fra HelseID, innloggingstjenesten", "No answer from HelseID, the login service")
	check("update, HelseID down", ask(update), "helseid",
		"Fikk ikke svar fra HelseID, innloggingstjenesten", "No answer from HelseID, the login service")
	h.mock.SetFaults(nhnmock.Faults{})
	h.clientUnchanged(created)
	if row := h.lastAudit(); row.Outcome != "error" || row.ErrorCode != "nhn_unavailable" {
		t.Fatalf("audit %+v", row)
	}
}
