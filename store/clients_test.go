package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"resepsjon/register"
	"resepsjon/store/storetest"
)

// fullClient has every field set, with letters SQLite or a careless
// encoding could mangle.
func fullClient() register.Client {
	fetched := time.Date(2025, 3, 4, 5, 6, 7, 890, time.FixedZone("CET", 3600))
	seq := int64(123456)
	phone, email := "+4791234567", "åse@example.com"
	return register.Client{
		FetchedPhone: &phone, FetchedEmail: &email,
		NIN: "13811999862", NINType: register.NINTypeSynthetic,
		GivenName: "Åse-Marie", MiddleName: "Ødegård", FamilyName: "Bråten",
		BirthDate: "1999-01-13", Gender: "Female", Status: "Resident",
		AddressProtection: register.AddressProtectionNone,
		StreetAddress:     "Løvåsveien 12B", PostalCode: "5003", City: "Bergen",
		MunicipalityNumber: "4601", PostalAddress: "Postboks 7, 5003 Bergen",
		Phone: "+47 912 34 567", Email: "ase@example.com",
		Notes:    "Linje 1\nLinje 2 – «sitat»",
		PersonID: "0a1b2c3d-0000-4000-8000-000000000001", FetchedAt: &fetched, SequenceNumber: &seq,
	}
}

// sameContent compares everything but the fields the store sets.
func sameContent(t *testing.T, got, want register.Client) {
	t.Helper()
	got.ID, got.Version, got.CreatedAt, got.UpdatedAt = 0, 0, time.Time{}, time.Time{}
	want.ID, want.Version, want.CreatedAt, want.UpdatedAt = 0, 0, time.Time{}, time.Time{}
	if (got.FetchedAt == nil) != (want.FetchedAt == nil) ||
		got.FetchedAt != nil && !got.FetchedAt.Equal(*want.FetchedAt) {
		t.Errorf("FetchedAt = %v, want %v", got.FetchedAt, want.FetchedAt)
	}
	got.FetchedAt, want.FetchedAt = nil, nil
	if (got.SequenceNumber == nil) != (want.SequenceNumber == nil) ||
		got.SequenceNumber != nil && *got.SequenceNumber != *want.SequenceNumber {
		t.Errorf("SequenceNumber = %v, want %v", got.SequenceNumber, want.SequenceNumber)
	}
	got.SequenceNumber, want.SequenceNumber = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("client differs\n got %+v\nwant %+v", got, want)
	}
}

func TestCreateAndGetClient(t *testing.T) {
	minimal := register.Client{GivenName: "Kari", FamilyName: "Nordmann"}
	tests := []struct {
		name string
		in   register.Client
	}{
		{"every field", fullClient()},
		{"names only, no identity number", minimal},
		{"synthetic client", storetest.Clients(7, 1)[0]},
	}
	db := openTest(t)
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := time.Now().UTC()
			created, err := db.CreateClient(ctx, tt.in)
			if err != nil {
				t.Fatalf("CreateClient: %v", err)
			}
			if created.ID <= 0 || created.Version != 1 {
				t.Errorf("created id=%d version=%d, want id > 0 and version 1", created.ID, created.Version)
			}
			if created.CreatedAt.Before(before.Add(-time.Second)) || !created.CreatedAt.Equal(created.UpdatedAt) {
				t.Errorf("created at %v updated at %v, want now and equal", created.CreatedAt, created.UpdatedAt)
			}
			sameContent(t, created, tt.in)
			got, err := db.GetClient(ctx, created.ID)
			if err != nil {
				t.Fatalf("GetClient: %v", err)
			}
			// What a read returns is what the create returned.
			if !reflect.DeepEqual(got, created) {
				t.Errorf("GetClient differs from CreateClient\n got %+v\nwant %+v", got, created)
			}
			if tt.in.NIN != "" {
				byNIN, err := db.ClientByNIN(ctx, tt.in.NIN)
				if err != nil || byNIN.ID != created.ID {
					t.Errorf("ClientByNIN = id %d, %v; want id %d", byNIN.ID, err, created.ID)
				}
			}
		})
	}
}

func TestCreateClientIgnoresCallerIDAndVersion(t *testing.T) {
	db := openTest(t)
	in := register.Client{ID: 999, Version: 17, GivenName: "Ola", FamilyName: "Nordmann"}
	out := mustCreate(t, db, in)
	if out.ID == 999 || out.Version != 1 {
		t.Errorf("created id=%d version=%d, want a fresh id and version 1", out.ID, out.Version)
	}
}

func TestClientNotFound(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	c := mustCreate(t, db, register.Client{GivenName: "Ola", FamilyName: "Nordmann"})
	missing := c.ID + 1
	tests := []struct {
		name string
		call func() error
	}{
		{"get", func() error { _, err := db.GetClient(ctx, missing); return err }},
		{"by identity number", func() error { _, err := db.ClientByNIN(ctx, "01010112345"); return err }},
		{"by empty identity number", func() error { _, err := db.ClientByNIN(ctx, ""); return err }},
		{"update", func() error {
			_, err := db.UpdateClient(ctx, register.Client{ID: missing, Version: 1, GivenName: "X"})
			return err
		}},
		{"delete", func() error { return db.DeleteClient(ctx, missing, 0) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, register.ErrNotFound) {
				t.Errorf("error = %v, want register.ErrNotFound", err)
			}
		})
	}
}

func TestUpdateClient(t *testing.T) {
	clock := &stepClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), step: time.Second}
	db := openTest(t, WithClock(clock.now))
	ctx := context.Background()
	orig := mustCreate(t, db, fullClient())

	tests := []struct {
		name   string
		change func(*register.Client)
	}{
		{"rename", func(c *register.Client) { c.GivenName, c.FamilyName = "Per", "Ås" }},
		{"clear optional fields", func(c *register.Client) {
			c.FetchedAt, c.SequenceNumber, c.PersonID, c.Notes, c.MiddleName = nil, nil, "", "", ""
		}},
		{"remove identity number", func(c *register.Client) { c.NIN, c.NINType = "", "" }},
		{"new identity number", func(c *register.Client) { c.NIN, c.NINType = "04856799965", register.NINTypeSynthetic }},
	}
	cur := orig
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := cur
			tt.change(&want)
			got, err := db.UpdateClient(ctx, want)
			if err != nil {
				t.Fatalf("UpdateClient: %v", err)
			}
			if got.Version != cur.Version+1 {
				t.Errorf("version = %d, want %d", got.Version, cur.Version+1)
			}
			if !got.CreatedAt.Equal(orig.CreatedAt) || !got.UpdatedAt.After(cur.UpdatedAt) {
				t.Errorf("created %v updated %v; want created kept (%v) and updated after %v",
					got.CreatedAt, got.UpdatedAt, orig.CreatedAt, cur.UpdatedAt)
			}
			sameContent(t, got, want)
			read, err := db.GetClient(ctx, got.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(read, got) {
				t.Errorf("GetClient after update differs\n got %+v\nwant %+v", read, got)
			}
			cur = got
		})
	}
}

func TestUpdateClientStaleVersion(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	c := mustCreate(t, db, fullClient())
	// Someone else saves first.
	other := c
	other.Notes = "endret et annet sted"
	saved, err := db.UpdateClient(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	for _, version := range []int64{c.Version, saved.Version + 1, 0} {
		stale := c
		stale.Version = version
		stale.FamilyName = "Overskrevet"
		_, err = db.UpdateClient(ctx, stale)
		var conflict *register.ConflictError
		if !errors.As(err, &conflict) {
			t.Fatalf("version %d: error = %v, want *register.ConflictError", version, err)
		}
		if conflict.Current != saved.Version {
			t.Errorf("version %d: conflict reports version %d, want %d", version, conflict.Current, saved.Version)
		}
	}
	got, err := db.GetClient(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, saved) {
		t.Errorf("a stale save changed the client\n got %+v\nwant %+v", got, saved)
	}
	// The search index still has the name that was saved.
	page, err := db.SearchClients(ctx, register.Query{Q: "overskrevet"})
	if err != nil || page.Total != 0 {
		t.Errorf("search for the refused name: total %d, %v; want 0", page.Total, err)
	}
}

func TestDeleteClient(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	c := mustCreate(t, db, fullClient())
	updated, err := db.UpdateClient(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	var conflict *register.ConflictError
	if err := db.DeleteClient(ctx, c.ID, c.Version); !errors.As(err, &conflict) || conflict.Current != updated.Version {
		t.Fatalf("delete with stale version: %v, want conflict at version %d", err, updated.Version)
	}
	if _, err := db.GetClient(ctx, c.ID); err != nil {
		t.Fatalf("the client is gone after a refused delete: %v", err)
	}
	if err := db.DeleteClient(ctx, c.ID, updated.Version); err != nil {
		t.Fatalf("DeleteClient: %v", err)
	}
	if _, err := db.GetClient(ctx, c.ID); !errors.Is(err, register.ErrNotFound) {
		t.Errorf("GetClient after delete: %v, want ErrNotFound", err)
	}
	if page, err := db.SearchClients(ctx, register.Query{Q: "bråten"}); err != nil || page.Total != 0 {
		t.Errorf("search after delete: total %d, %v; want 0", page.Total, err)
	}
	// The identity number is free again.
	again := mustCreate(t, db, fullClient())
	if again.ID == c.ID {
		t.Errorf("a new client reused the deleted id %d", c.ID)
	}
	if err := db.DeleteClient(ctx, again.ID, 0); err != nil {
		t.Errorf("delete with version 0: %v", err)
	}
}

func TestDuplicateIdentityNumber(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	first := mustCreate(t, db, fullClient())
	second := mustCreate(t, db, register.Client{GivenName: "Per", FamilyName: "Hansen", NIN: "04856799965"})
	noNIN := mustCreate(t, db, register.Client{GivenName: "Uten", FamilyName: "Nummer"})

	tests := []struct {
		name string
		call func() error
	}{
		{"create", func() error {
			_, err := db.CreateClient(ctx, register.Client{GivenName: "Ny", NIN: first.NIN})
			return err
		}},
		{"update another client", func() error {
			c := second
			c.NIN = first.NIN
			_, err := db.UpdateClient(ctx, c)
			return err
		}},
		{"update a client without one", func() error {
			c := noNIN
			c.NIN = first.NIN
			_, err := db.UpdateClient(ctx, c)
			return err
		}},
		{"import", func() error {
			return db.ImportClients(ctx, []register.Client{{GivenName: "A", NIN: "13856499734"}, {GivenName: "B", NIN: first.NIN}})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var dup *register.DuplicateError
			if err := tt.call(); !errors.As(err, &dup) {
				t.Fatalf("error = %v, want *register.DuplicateError", err)
			} else if dup.ExistingID != first.ID {
				t.Errorf("ExistingID = %d, want %d", dup.ExistingID, first.ID)
			}
		})
	}
	// Nothing changed: three clients, the first one's number only once.
	page, err := db.SearchClients(ctx, register.Query{})
	if err != nil || page.Total != 3 {
		t.Fatalf("after refused duplicates: %d clients, %v; want 3", page.Total, err)
	}
	if got, _ := db.GetClient(ctx, second.ID); got.NIN != second.NIN || got.Version != second.Version {
		t.Errorf("refused update changed client %d: %+v", second.ID, got)
	}
	// Saving a client with its own number unchanged is not a duplicate.
	if _, err := db.UpdateClient(ctx, first); err != nil {
		t.Errorf("saving a client with its own identity number: %v", err)
	}
	// Any number of clients may be without one.
	mustCreate(t, db, register.Client{GivenName: "Også", FamilyName: "Uten"})
}

func TestImportClients(t *testing.T) {
	ctx := context.Background()
	t.Run("all stored and searchable", func(t *testing.T) {
		db := openTest(t)
		cs := storetest.Clients(3, 500)
		if err := db.ImportClients(ctx, cs); err != nil {
			t.Fatal(err)
		}
		page, err := db.SearchClients(ctx, register.Query{Limit: MaxLimit})
		if err != nil || page.Total != len(cs) {
			t.Fatalf("after import: %d clients, %v; want %d", page.Total, err, len(cs))
		}
		for _, c := range cs[:50] {
			if c.NIN == "" {
				continue
			}
			got, err := db.ClientByNIN(ctx, c.NIN)
			if err != nil {
				t.Fatalf("ClientByNIN: %v", err)
			}
			sameContent(t, got, c)
		}
		if err := db.IntegrityCheck(ctx); err != nil {
			t.Errorf("IntegrityCheck after import: %v", err)
		}
	})
	t.Run("twice in the batch: nothing stored", func(t *testing.T) {
		db := openTest(t)
		cs := storetest.Clients(4, 10)
		cs[7].NIN = cs[2].NIN
		var dup *register.DuplicateError
		if err := db.ImportClients(ctx, cs); !errors.As(err, &dup) || dup.ExistingID != 0 {
			t.Fatalf("error = %v, want *register.DuplicateError with ExistingID 0", err)
		}
		if page, _ := db.SearchClients(ctx, register.Query{}); page.Total != 0 {
			t.Errorf("%d clients stored, want 0", page.Total)
		}
	})
	t.Run("already registered: nothing stored", func(t *testing.T) {
		db := openTest(t)
		cs := storetest.Clients(5, 10)
		existing := mustCreate(t, db, cs[9])
		if err := db.ImportClients(ctx, cs); err == nil {
			t.Fatal("import with a registered identity number succeeded")
		}
		if page, _ := db.SearchClients(ctx, register.Query{}); page.Total != 1 || page.Results[0].ID != existing.ID {
			t.Errorf("after a refused import: %d clients, want only the existing one", page.Total)
		}
	})
}

func TestCanceledContext(t *testing.T) {
	db := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.CreateClient(ctx, register.Client{GivenName: "Ola"}); !errors.Is(err, context.Canceled) {
		t.Errorf("CreateClient with a canceled context: %v", err)
	}
	if page, err := db.SearchClients(context.Background(), register.Query{}); err != nil || page.Total != 0 {
		t.Errorf("after a canceled create: %d clients, %v", page.Total, err)
	}
}

func TestSettings(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if _, ok, err := db.GetSetting(ctx, "practice.name"); ok || err != nil {
		t.Fatalf("unset setting: ok=%v err=%v", ok, err)
	}
	if err := db.PutSetting(ctx, settingDeletedMaxID, "1"); err == nil {
		t.Error("PutSetting of a store key succeeded")
	}
	for _, v := range []string{"Fysioterapi Ås", "Fysio Ørsta", ""} {
		if err := db.PutSetting(ctx, "practice.name", v); err != nil {
			t.Fatal(err)
		}
		got, ok, err := db.GetSetting(ctx, "practice.name")
		if err != nil || !ok || got != v {
			t.Errorf("GetSetting = %q, %v, %v; want %q", got, ok, err, v)
		}
	}
}
