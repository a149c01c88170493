package main

import (
	"context"
	"log/slog"
	"net"
	"path/filepath"
	"testing"
	"testing/fstest"

	"resepsjon/app"
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

	if err := d.configurePractice(ctx, db); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	srv, err := app.New(app.Config{Store: db, UI: fstest.MapFS{"index.html": {Data: []byte("x")}}, Token: "t",
		Port: ln.Addr().(*net.TCPAddr).Port, Demo: true, Keys: d.keys, DemoOrganisations: demoOrganisations(d),
		NHN: config.NHN{Mock: d.env}})
	if err != nil {
		t.Fatal(err)
	}
	ok, err := srv.CheckPersontjenesten(ctx)
	if err != nil || !ok {
		t.Fatalf("the demo practice is not activated: %v %v", ok, err)
	}
	for _, org := range []string{d.orgs.noDelegation, d.orgs.noAgreement} {
		d.orgs.ok = org
		if err := d.configurePractice(ctx, db); err != nil {
			t.Fatal(err)
		}
		if ok, err := srv.CheckPersontjenesten(ctx); err != nil || ok {
			t.Errorf("organisation %s activated (%v, %v)", org, ok, err)
		}
	}
}
