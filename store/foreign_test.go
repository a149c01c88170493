package store

import (
	"context"
	"path/filepath"
	"testing"

	"resepsjon/register"
)

// TestNameIndexNoticesForeignWrites: two handles on one file stand for two
// programs writing the same register. Each handle's name index sees the
// other's creates and deletes, instead of missing a client (inviting a
// duplicate record) or failing on one that is gone.
func TestNameIndexNoticesForeignWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "resepsjon.db")
	a, b := openAt(t, path), openAt(t, path)
	mustCreate(t, a, register.Client{GivenName: "Kari", FamilyName: "Nordmann"})
	search := func(db *DB, q string) register.Page {
		t.Helper()
		page, err := db.SearchClients(ctx, register.Query{Q: q})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		return page
	}
	// Both indexes are loaded before the other writes.
	if search(a, "kari").Total != 1 || search(b, "kari").Total != 1 {
		t.Fatal("Kari not found")
	}
	bob := mustCreate(t, a, register.Client{GivenName: "Bob", FamilyName: "Zebra"})
	if got := search(b, "bob").Total; got != 1 {
		t.Fatalf("b's search for bob after a's create: %d, want 1", got)
	}
	if got := search(a, "zebra").Total; got != 1 {
		t.Fatalf("a's search for zebra: %d, want 1", got)
	}
	if err := b.DeleteClient(ctx, bob.ID, 0); err != nil {
		t.Fatal(err)
	}
	if got := search(a, "zebra").Total; got != 0 {
		t.Fatalf("a's search for zebra after b's delete: %d, want 0", got)
	}
	// a's own writes still keep its index current, after the reload too.
	mustCreate(t, a, register.Client{GivenName: "Åse", FamilyName: "Zebra"})
	if got := search(a, "zebra").Total; got != 1 {
		t.Fatalf("a's search for zebra after its own create: %d, want 1", got)
	}
	if got := search(b, "åse").Total; got != 1 {
		t.Fatalf("b's search for åse: %d, want 1", got)
	}
}
