package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"

	"resepsjon/activation"
	"resepsjon/config"
	"resepsjon/nin"
	"resepsjon/register"
	"resepsjon/store"
)

// TestDemoPracticeActivates wires the demo as serve does: the in-process NHN
// mock, the seeded register and the demo practice, which passes both checks
// with the practice's organisation number and fails each with the other two.
func TestDemoPracticeActivates(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := slog.New(slog.DiscardHandler)
	d, err := startDemoNHN(ctx, log)
	if err != nil {
		t.Fatal(err)
	}
	for _, org := range []string{d.orgs.ok, d.orgs.noDelegation, d.orgs.noAgreement} {
		if _, err := nin.ParseOrgNumber(org); err != nil {
			t.Errorf("demo organisation number %s: %v", org, err)
		}
	}
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), log)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := seedDemo(ctx, db, d.pop); err != nil {
		t.Fatal(err)
	}
	page, err := db.SearchClients(ctx, register.Query{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	fromMock := 0
	for _, s := range page.Results {
		c, err := db.GetClient(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.PersonID != "" {
			fromMock++
			if _, ok := d.pop.ByNIN(c.NIN); !ok {
				t.Errorf("demo client %s is not in the mock's population", c.PersonID)
			}
		}
	}
	if page.Total != len(demoClients)+fromMock || fromMock < 4 {
		t.Errorf("%d demo clients, %d of them from the mock", page.Total, fromMock)
	}
	// Seeding again leaves a filled register alone.
	if err := seedDemo(ctx, db, d.pop); err != nil {
		t.Fatal(err)
	}
	if again, _ := db.SearchClients(ctx, register.Query{Limit: 1}); again.Total != page.Total {
		t.Errorf("second seed: %d clients, want %d", again.Total, page.Total)
	}

	conn, err := activation.New(activation.Config{Settings: db, Keys: d.keys, NHN: config.NHN{Mock: d.env}})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.configurePractice(ctx, conn); err != nil {
		t.Fatal(err)
	}
	st, err := conn.Check(ctx, register.ActionActivate)
	if err != nil || !st.Activated() {
		t.Fatalf("the demo practice is not activated: %+v %v", st.Checks, err)
	}
	// The demo writes its practice only through the connection: the stored
	// settings read back as configured.
	if st.Settings.OrgNumber != d.orgs.ok || st.Settings.ClientID != demoClientID || st.KeyID != d.key.KID() {
		t.Errorf("demo settings: %+v, key %s", st.Settings, st.KeyID)
	}
	for _, org := range []string{d.orgs.noDelegation, d.orgs.noAgreement} {
		d.orgs.ok = org
		if err := d.configurePractice(ctx, conn); err != nil {
			t.Fatal(err)
		}
		if st, err := conn.Check(ctx, register.ActionActivate); err != nil || st.Activated() {
			t.Errorf("organisation %s activated (%v, %v)", org, st.Activated(), err)
		}
	}
}
