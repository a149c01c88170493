package lookup_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"resepsjon/activation/activationtest"
	"resepsjon/lookup"
	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/nhnmock/population"
	"resepsjon/register"
	"resepsjon/register/registertest"
	"resepsjon/store"
)

func newLookup(t *testing.T, clients register.ClientStore, audit register.AuditLog, settings register.SettingsStore) (*lookup.Service, *activationtest.Practice) {
	t.Helper()
	p := activationtest.New(t, settings, activationtest.Options{})
	s, err := lookup.New(lookup.Config{Connection: p.Conn, Clients: clients, Audit: audit, OSUser: "resepsjonist",
		Now: func() time.Time { return time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return s, p
}

// TestRoundTripEveryField takes persons of every kind through lookup →
// draft → save (a real SQLite file) → "Oppdater via Persontjenesten": the
// saved client proposes no change, and every register field was carried
// by at least one of them. Then each field of a saved client is changed by
// hand, and the update proposes exactly that field back.
func TestRoundTripEveryField(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "resepsjon.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, p := newLookup(t, db, db, db)
	edges := p.Pop.EdgeCases()
	numbers := append([]string{edges[population.EdgeDeceased], edges[population.EdgeConfidential],
		edges[population.EdgeDNumber], edges[population.EdgeStrictlyConfidential], edges[population.EdgeEmigrated]},
		p.Pop.SampleNINs(20)...)
	carried := map[string]bool{}
	var saved []register.Client
	for _, n := range numbers {
		d, err := s.Lookup(ctx, "", n)
		if err != nil {
			t.Fatalf("lookup %s: %v", n, err)
		}
		c := d.Client
		c.Phone, c.Email = firstNonEmpty(c.Phone, "912 34 567"), firstNonEmpty(c.Email, "post@example.no")
		if err := register.Validate(&c); err != nil {
			t.Fatalf("draft of %s does not validate: %v", n, err)
		}
		c, err = db.CreateClient(ctx, c)
		if err != nil {
			t.Fatalf("save %s: %v", n, err)
		}
		for _, f := range persontjeneste.Fields {
			if f.Get(&c) != "" {
				carried[f.Name] = true
			}
		}
		r, err := s.Update(ctx, c.ID)
		if err != nil {
			t.Fatalf("update %s: %v", n, err)
		}
		if len(r.Changes) != 0 {
			t.Errorf("a client saved from its draft proposes changes: %+v", r.Changes)
		}
		saved = append(saved, c)
	}
	for _, f := range persontjeneste.Fields {
		if !carried[f.Name] {
			t.Errorf("no person carried %s through lookup and save", f.Name)
		}
	}
	// Each field changed by hand comes back from the register. The edits
	// need not be valid clients, so they are kept in memory.
	mem := registertest.New()
	s, err = lookup.New(lookup.Config{Connection: p.Conn, Clients: mem, Audit: mem})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range saved {
		c.ID, c.Version = 0, 0
		if saved[i], err = mem.CreateClient(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	checked := 0
	for _, f := range persontjeneste.Fields {
		var c register.Client
		for _, cand := range saved {
			if f.Get(&cand) != "" && cand.AddressProtection != register.AddressProtectionStrictlyConfidential {
				c = cand
				break
			}
		}
		if c.ID == 0 || f.Name == "nin" {
			// The update looks the client up by its number; a new number
			// is the D-number case of package refresh's tests.
			continue
		}
		checked++
		want := f.Get(&c)
		edited, err := mem.GetClient(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.Set(&edited, "")
		if f.KeepWhenBlank {
			f.Set(&edited, "x@example.no") // a blank would never be proposed back
			if f.Name == "phone" {
				f.Set(&edited, "400 00 000")
			}
		}
		if _, err := mem.UpdateClient(ctx, edited); err != nil {
			t.Fatalf("%s: save the edit: %v", f.Name, err)
		}
		r, err := s.Update(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if f.KeepWhenBlank {
			// Contact details come from KRR in the mock; a client's own
			// differs, so at most this field is proposed.
			for _, ch := range r.Changes {
				if ch.Field.Name != f.Name {
					t.Errorf("%s: unexpected change %s", f.Name, ch.Field.Name)
				}
			}
		} else if len(r.Changes) != 1 || r.Changes[0].Field != &persontjeneste.Fields[indexOf(f.Name)] || r.Changes[0].New != want {
			t.Errorf("%s: changes %+v, want it back as %q", f.Name, r.Changes, want)
		} else if f.Get(&r.Client) != want {
			t.Errorf("%s: draft has %q, want %q", f.Name, f.Get(&r.Client), want)
		}
		// Put it back for the next field.
		cur, _ := mem.GetClient(ctx, c.ID)
		f.Set(&cur, want)
		if _, err := mem.UpdateClient(ctx, cur); err != nil {
			t.Fatal(err)
		}
	}
	if checked != len(persontjeneste.Fields)-1 {
		t.Errorf("%d fields changed by hand, want every one but nin", checked)
	}
}

func indexOf(name string) int {
	for i, f := range persontjeneste.Fields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestAuditRows: every lookup writes one row with its outcome, refused
// input writes none.
func TestAuditRows(t *testing.T) {
	ctx := context.Background()
	mem := registertest.New()
	s, p := newLookup(t, mem, mem, mem)
	before := len(mem.Audit()) // the activation check's row
	n := p.Pop.SampleNINs(1)[0]
	for _, tc := range []struct {
		name    string
		run     func() error
		rows    int
		action  string
		outcome string
		code    string
	}{
		{"search by number", func() error { _, err := s.Search(ctx, lookup.Request{NIN: n}); return err }, 1, register.ActionSearch, register.OutcomeOK, ""},
		{"search by name", func() error {
			_, err := s.Search(ctx, lookup.Request{FamilyName: "Hansen", MunicipalityNumber: "0301"})
			return err
		}, 1, register.ActionSearch, register.OutcomeOK, ""},
		{"lookup", func() error { _, err := s.Lookup(ctx, "", n); return err }, 1, register.ActionLookup, register.OutcomeOK, ""},
		{"person not found", func() error { _, err := s.Lookup(ctx, "no-such-person", ""); return err }, 1, register.ActionLookup,
			register.OutcomeError, lookup.CodePersonNotFound},
		{"bad number is refused before any call", func() error { _, err := s.Lookup(ctx, "", "12345678901"); return err }, 0, "", "", ""},
		{"broken search rule is refused before any call", func() error { _, err := s.Search(ctx, lookup.Request{GivenName: "Al"}); return err }, 0, "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			rows := mem.Audit()[before:]
			before += len(rows)
			if len(rows) != tc.rows {
				t.Fatalf("%d audit rows (err %v), want %d", len(rows), err, tc.rows)
			}
			if tc.rows == 0 {
				var verr *register.ValidationError
				if !errors.As(err, &verr) {
					t.Errorf("err %v, want a validation error", err)
				}
				return
			}
			r := rows[0]
			if r.Action != tc.action || r.Outcome != tc.outcome || r.ErrorCode != tc.code || r.OSUser != "resepsjonist" {
				t.Errorf("row %+v", r)
			}
			var f *lookup.Failure
			if tc.code != "" && (!errors.As(err, &f) || f.Code != tc.code) {
				t.Errorf("err %v, want failure %s", err, tc.code)
			}
		})
	}
}
