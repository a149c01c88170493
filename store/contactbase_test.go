package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"resepsjon/register"
)

// TestFetchedContactBase: the contact register's phone and e-mail as
// fetched are written with a save that carries a new fetch (create, or an
// update whose FetchedAt is new) and kept by every other save, whatever
// the save carries: a form save can neither lose nor fake the base. It
// survives a reopen.
func TestFetchedContactBase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "resepsjon.db")
	db := openAt(t, path)
	str := func(s string) *string { return &s }
	fetched := time.Date(2026, 12, 4, 9, 0, 0, 123456789, time.UTC)
	c := mustCreate(t, db, register.Client{GivenName: "Kari", FamilyName: "Nordmann", NIN: "13811999862",
		Phone: "+4741111111", Email: "kari@example.no", PersonID: "p-1", FetchedAt: &fetched,
		FetchedPhone: str("+4741111111"), FetchedEmail: str("kari@example.no")})

	base := func(step string, wantPhone, wantEmail *string) register.Client {
		t.Helper()
		got, err := db.GetClient(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !sameString(got.FetchedPhone, wantPhone) || !sameString(got.FetchedEmail, wantEmail) {
			t.Errorf("%s: base %v %v, want %v %v", step, show(got.FetchedPhone), show(got.FetchedEmail), show(wantPhone), show(wantEmail))
		}
		return got
	}
	c = base("created with its fetch", str("+4741111111"), str("kari@example.no"))

	// The form: the receptionist types a new e-mail; the form carries no
	// base (nil), the same fetch.
	c.Email, c.FetchedPhone, c.FetchedEmail = "ny@example.no", nil, nil
	c = update(t, db, c)
	c = base("form save without a base", str("+4741111111"), str("kari@example.no"))

	// A save that tries to set the base without a new fetch changes nothing.
	c.FetchedEmail = str("ny@example.no")
	c = update(t, db, c)
	c = base("form save faking the base", str("+4741111111"), str("kari@example.no"))

	// The same fetch written another way (another zone) is the same fetch.
	other := fetched.In(time.FixedZone("CET", 3600))
	c.FetchedAt, c.FetchedEmail = &other, str("ny@example.no")
	c = update(t, db, c)
	c = base("the same fetch in another zone", str("+4741111111"), str("kari@example.no"))

	// A new fetch (update-all, the feed, or one taken into the form) writes
	// its base, a blank phone included.
	later := fetched.Add(time.Hour)
	c.FetchedAt, c.FetchedPhone, c.FetchedEmail = &later, str(""), str("registeret@example.no")
	c = update(t, db, c)
	c = base("a new fetch", str(""), str("registeret@example.no"))

	// Saved through the audited path (update-all) too.
	latest := later.Add(time.Hour)
	c.FetchedAt, c.FetchedPhone, c.FetchedEmail = &latest, str("+4742222222"), str("igjen@example.no")
	if _, err := db.UpdateClientAudited(ctx, c, register.AuditEntry{Time: latest, Action: register.ActionUpdate, Outcome: register.OutcomeOK, PersonIDs: []string{}}); err != nil {
		t.Fatal(err)
	}
	base("update-all's save", str("+4742222222"), str("igjen@example.no"))
	db.Close()
	db = openAt(t, path)
	c = base("after a reopen", str("+4742222222"), str("igjen@example.no"))

	// A new fetch whose base is not known (a form left open over a
	// restart) clears it: the older rule applies, nothing is made up.
	newest := latest.Add(time.Hour)
	c.FetchedAt, c.FetchedPhone, c.FetchedEmail = &newest, nil, nil
	update(t, db, c)
	base("a new fetch without a known base", nil, nil)
}

func update(t *testing.T, db *DB, c register.Client) register.Client {
	t.Helper()
	out, err := db.UpdateClient(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameString(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func show(p *string) string {
	if p == nil {
		return "<none>"
	}
	return "«" + *p + "»"
}
