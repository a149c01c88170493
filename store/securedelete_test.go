package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"resepsjon/register"
	"resepsjon/store/storetest"
)

// TestDeletedClientLeavesNothingInTheFile: after a client is deleted and
// the database closed cleanly, none of its identity number, names, address
// or notes is left in the file's bytes (secure_delete, and FTS5's
// secure-delete for the search index), while the other clients are intact.
func TestDeletedClientLeavesNothingInTheFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "resepsjon.db")
	db, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ImportClients(ctx, storetest.Clients(3, 300)); err != nil {
		t.Fatal(err)
	}
	gone := register.Client{
		NIN: "14838512047", GivenName: "Zyxwvutsrq", FamilyName: "Qponmlkjih",
		StreetAddress: "Hemmeligveien 4711", City: "Kvitsøy", Phone: "47114711",
		Notes: "Sensitiv merknad om Zyxwvutsrq",
	}
	if err := register.Validate(&gone); err != nil {
		t.Fatal(err)
	}
	created, err := db.CreateClient(ctx, gone)
	if err != nil {
		t.Fatal(err)
	}
	// Its search index rows are written, searched and merged before it goes.
	if page, err := db.SearchClients(ctx, register.Query{Q: "zyxwv"}); err != nil || page.Total != 1 {
		t.Fatalf("search before delete: %d, %v", page.Total, err)
	}
	created.Notes += " (endret)"
	if created, err = db.UpdateClient(ctx, created); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteClient(ctx, created.ID, created.Version); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	secrets := []string{gone.NIN, "Zyxwvutsrq", "zyxwvutsrq", "Qponmlkjih", "qponmlkjih", "Hemmeligveien", "47114711", "Sensitiv merknad"}
	files, _ := filepath.Glob(path + "*")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range secrets {
			if n := bytes.Count(data, []byte(s)); n > 0 {
				t.Errorf("%s holds %q %d times after the client was deleted", filepath.Base(f), s, n)
			}
		}
	}
	db = openAt(t, path)
	if page, err := db.SearchClients(ctx, register.Query{Limit: 1}); err != nil || page.Total != 300 {
		t.Fatalf("after reopening: %d clients, %v", page.Total, err)
	}
}

// TestSecureDeleteMigrationRebuildsTheIndex: a register from before
// migration 0005 (search index with contentless_delete) is searchable after
// the upgrade, its index rebuilt from the clients, and deletes then leave
// nothing behind.
func TestSecureDeleteMigrationRebuildsTheIndex(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "resepsjon.db")
	db, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ImportClients(ctx, storetest.Clients(5, 200)); err != nil {
		t.Fatal(err)
	}
	kari, err := db.CreateClient(ctx, register.Client{GivenName: "Kari", FamilyName: "Zebrafjell", Phone: "91234567"})
	if err != nil {
		t.Fatal(err)
	}
	// Back to schema 4: the old index, empty, as migration 0005 finds it
	// apart from its rows, and without the columns later steps add.
	for _, q := range []string{
		`ALTER TABLE clients DROP COLUMN fetched_phone`,
		`ALTER TABLE clients DROP COLUMN fetched_email`,
		`DROP TABLE clients_fts`,
		`CREATE VIRTUAL TABLE clients_fts USING fts5 (names, nin, phone, birth, content = '', contentless_delete = 1,
			tokenize = 'ascii', prefix = '1 2 3', detail = column)`,
		`PRAGMA user_version = 4`,
	} {
		if _, err := db.w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	db = openAt(t, path)
	if v := schemaVersion(t, path); v < 5 {
		t.Fatalf("schema version %d after reopening", v)
	}
	page, err := db.SearchClients(ctx, register.Query{Q: "zebrafj"})
	if err != nil || page.Total != 1 || page.Results[0].ID != kari.ID {
		t.Fatalf("search after the upgrade: %+v, %v", page, err)
	}
	if page, err := db.SearchClients(ctx, register.Query{Q: "91234567"}); err != nil || page.Total != 1 {
		t.Fatalf("phone search after the upgrade: %d, %v", page.Total, err)
	}
	if _, ok, _ := db.GetSetting(ctx, settingReindex); ok {
		t.Fatal("the reindex request is still there")
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteClient(ctx, kari.ID, 0); err != nil {
		t.Fatal(err)
	}
	if page, err := db.SearchClients(ctx, register.Query{Q: "zebrafj"}); err != nil || page.Total != 0 {
		t.Fatalf("search after delete: %d, %v", page.Total, err)
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}
