package store

import (
	"context"
	"errors"
	"testing"

	"resepsjon/register"
)

func TestClientsWithNIN(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	first := mustCreate(t, db, fullClient())
	mustCreate(t, db, register.Client{GivenName: "Uten", FamilyName: "Nummer"})
	second := mustCreate(t, db, register.Client{GivenName: "Per", FamilyName: "Hansen", NIN: "04856799965"})
	got, err := db.ClientsWithNIN(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != first.ID || got[1].ID != second.ID || got[0].Version != 1 {
		t.Fatalf("clients with an identity number: %+v", got)
	}
	sameContent(t, got[0], first)
}

// TestUpdateClientAudited: the client and its audit row are saved together
// or not at all.
func TestUpdateClientAudited(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	target := mustCreate(t, db, fullClient())
	other := mustCreate(t, db, register.Client{GivenName: "Per", FamilyName: "Hansen", NIN: "04856799965"})
	entry := register.AuditEntry{Action: "update", Query: "clientId=1", Results: 1, PersonIDs: []string{"p1"}, Outcome: "ok"}

	tests := []struct {
		name    string
		change  func(c *register.Client)
		wantErr func(error) bool
	}{
		{"stale version", func(c *register.Client) { c.City, c.Version = "Oslo", c.Version-1 }, func(err error) bool {
			var ce *register.ConflictError
			return errors.As(err, &ce) && ce.Current == target.Version
		}},
		{"identity number of another client", func(c *register.Client) { c.NIN = other.NIN }, func(err error) bool {
			var de *register.DuplicateError
			return errors.As(err, &de) && de.ExistingID == other.ID
		}},
		{"deleted client", func(c *register.Client) { c.ID = 999 }, func(err error) bool { return errors.Is(err, register.ErrNotFound) }},
		{"saved", func(c *register.Client) { c.City, c.PostalCode = "Oslo", "0150" }, func(err error) bool { return err == nil }},
	}
	rows := 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := target
			tc.change(&c)
			out, err := db.UpdateClientAudited(ctx, c, entry)
			if !tc.wantErr(err) {
				t.Fatalf("error %v", err)
			}
			stored, gerr := db.GetClient(ctx, target.ID)
			if gerr != nil {
				t.Fatal(gerr)
			}
			page, lerr := db.ListAudit(ctx, register.AuditFilter{})
			if lerr != nil {
				t.Fatal(lerr)
			}
			if err != nil {
				sameContent(t, stored, target)
				if stored.Version != target.Version || page.Total != rows {
					t.Fatalf("a refused update wrote something: version %d, %d audit rows", stored.Version, page.Total)
				}
				return
			}
			rows++
			if out.Version != target.Version+1 || stored.Version != out.Version || stored.City != "Oslo" || page.Total != rows ||
				page.Entries[0].Query != entry.Query {
				t.Fatalf("saved %+v, stored %+v, audit %+v", out, stored, page)
			}
		})
	}
}
