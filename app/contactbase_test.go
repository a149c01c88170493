package app_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"resepsjon/lookup"
	"resepsjon/register"
)

// TestContactTypedAfterImportIsKept is the receptionist's story behind the
// contact base. Ola is imported from Persontjenesten and the receptionist
// types his new e-mail seconds later; Kari was imported three hours before
// her client was saved and only her notes were edited since. The contact
// register then gets a new e-mail for both. "Oppdater alle" keeps Ola's
// typed e-mail and says so (kept), and gives Kari the register's new
// e-mail: what decides is whether the value differs from the one fetched,
// not when the client was saved. "Oppdater via Persontjenesten" on the
// card follows the same rule, and taking its draft in keeps the base as
// fetched, not as typed.
func TestContactTypedAfterImportIsKept(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{now: time.Now().Add(-3 * time.Hour)}
	h := &faultHarness{ptHarness: newPTHarnessWith(t, nil, func(c *testConfig) { c.Now = clock.Now })}
	h.activate()

	var numbers []string
	for _, n := range h.residents(200) {
		if _, c := h.registerPerson(n); c.Email != "" && c.Phone != "" {
			numbers = append(numbers, n)
		}
		if len(numbers) == 2 {
			break
		}
	}
	if len(numbers) < 2 {
		t.Fatal("fewer than 2 persons with e-mail and phone in the contact register")
	}
	put := func(c register.Client) register.Client {
		t.Helper()
		r := h.do(http.MethodPut, fmt.Sprintf("/api/clients/%d", c.ID), c)
		if r.status != http.StatusOK {
			t.Fatalf("save %d: %d %s", c.ID, r.status, r.body)
		}
		var out register.Client
		r.decode(t, &out)
		return out
	}

	// Kari: fetched three hours ago, saved now; later only her notes.
	kari := h.create(h.lookup(map[string]string{"nin": numbers[0]}).Draft)
	kari.Notes = "Foretrekker morgentimer"
	kari = put(kari)
	if got := h.stored(kari.ID); got.FetchedEmail == nil || *got.FetchedEmail != kari.Email {
		t.Fatalf("Kari's base %v, want the fetched %q", got.FetchedEmail, kari.Email)
	}

	// Ola: imported now, his new e-mail typed seconds later.
	clock.Advance(3 * time.Hour)
	ola := h.create(h.lookup(map[string]string{"nin": numbers[1]}).Draft)
	fetchedEmail := ola.Email
	ola.Email = "ola.ny@example.no"
	ola = put(ola)
	if got := h.stored(ola.ID); got.FetchedEmail == nil || *got.FetchedEmail != fetchedEmail {
		t.Fatalf("Ola's base %v after the form save, want the fetched %q", got.FetchedEmail, fetchedEmail)
	}

	// The card's update proposes no e-mail change for Ola and says it keeps his.
	card := h.update(ola.ID)
	if len(card.Kept) != 1 || card.Kept[0].Field.Name != "email" || card.Kept[0].Old != "ola.ny@example.no" || card.Kept[0].New != fetchedEmail ||
		card.Draft.Email != "ola.ny@example.no" || slices.ContainsFunc(card.Changes, func(c lookup.Change) bool { return c.Field.Name == "email" }) {
		t.Fatalf("card update for the typed e-mail: %+v", card)
	}
	// Taken into the form and saved: the base is the register's value as
	// fetched, not the typed one.
	clock.Advance(time.Second)
	card.Draft.Version = ola.Version
	ola = put(card.Draft)
	if got := h.stored(ola.ID); got.FetchedEmail == nil || *got.FetchedEmail != fetchedEmail || !got.FetchedAt.Equal(*card.Draft.FetchedAt) {
		t.Fatalf("after taking the card's fetch in: base %v at %v", got.FetchedEmail, got.FetchedAt)
	}

	// The contact register gets new e-mails for both.
	for i, n := range numbers {
		h.control("/_mock/persons/contact", map[string]string{"nin": n, "email": fmt.Sprintf("register.%d@example.no", i)})
	}
	clock.Advance(time.Minute)
	h.startBulk()
	job := h.waitBulk(finished)
	if job.State != "done" {
		t.Fatalf("refresh all: %+v", job)
	}
	var olaKept, kariKept []string
	for _, it := range job.Report {
		for _, k := range it.Kept {
			switch it.ClientID {
			case ola.ID:
				olaKept = append(olaKept, k.Field.Name)
				if k.New != "register.1@example.no" {
					t.Errorf("Ola's kept %s: the register's value %q", k.Field.Name, k.New)
				}
			case kari.ID:
				kariKept = append(kariKept, k.Field.Name)
			}
		}
	}
	if !slices.Equal(olaKept, []string{"email"}) || len(kariKept) != 0 {
		t.Errorf("kept: Ola %v (want email), Kari %v (want none)", olaKept, kariKept)
	}
	if got := h.stored(ola.ID); got.Email != "ola.ny@example.no" {
		t.Errorf("Ola's typed e-mail became %q", got.Email)
	}
	got := h.stored(kari.ID)
	if got.Email != "register.0@example.no" || got.FetchedEmail == nil || *got.FetchedEmail != "register.0@example.no" {
		t.Errorf("Kari's e-mail %q (base %v), want the register's new one", got.Email, got.FetchedEmail)
	}
	if got.Notes != "Foretrekker morgentimer" {
		t.Errorf("Kari's notes %q", got.Notes)
	}
}
