package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"resepsjon/activation"
	"resepsjon/app"
	"resepsjon/config"
	"resepsjon/nin"
	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/persontjeneste/nhnmock"
	"resepsjon/persontjeneste/nhnmock/population"
	"resepsjon/register"
	"resepsjon/store"
)

// The demo's NHN mock: its population, its HelseID client and the
// organisation numbers it knows. The organisation numbers are synthetic
// (valid mod-11, not real organisations).
const (
	demoPopulationSize = 3000
	demoPopulationSeed = 1
	demoClientID       = "resepsjon-demo"
	demoPracticeName   = "Demo Fysioterapi"
)

// demoOrgs are the practice (delegation and agreement present), one
// without delegation in "Altinn" and one without an access agreement.
type demoOrgs struct{ ok, noDelegation, noAgreement string }

// demoClients are made-up people with synthetic identity numbers (month+80),
// so the demo register is never mistaken for real data.
var demoClients = []struct {
	given, middle, family, birth, street, postal, city, municipality, phone string
}{
	{"Kari", "", "Nordmann", "1985-03-14", "Storgata 12 B", "0184", "Oslo", "0301", "912 34 567"},
	{"Ola-Kristian", "Bø", "Hansen", "1972-11-02", "Kongens gate 4", "7011", "Trondheim", "5001", "+47 480 11 222"},
	{"Åse", "", "Ødegård", "1990-07-21", "Nygårdsgaten 31", "5015", "Bergen", "4601", "934 56 789"},
	{"Per", "", "Æsøy", "1958-01-30", "Sjøgata 8", "8006", "Bodø", "1804", ""},
	{"Ingrid", "Marie", "Berg-Johansen", "2001-05-09", "Elvegata 17", "4611", "Kristiansand", "4204", "413 22 908"},
}

// demoNHN is the running in-process mock and what the app needs of it.
type demoNHN struct {
	env  config.NHNEnvironment
	keys *helseid.MemoryKeyStore
	key  *helseid.Key
	orgs demoOrgs
	pop  *population.Population
	mock *nhnmock.Mock
}

// startDemoNHN starts the NHN mock on a loopback port until ctx ends, with a
// demo HelseID client whose key lives in memory only.
func startDemoNHN(ctx context.Context, log *slog.Logger) (*demoNHN, error) {
	pop, err := population.New(population.Config{Seed: demoPopulationSeed, Size: demoPopulationSize})
	if err != nil {
		return nil, fmt.Errorf("demo population: %w", err)
	}
	key, err := helseid.GenerateKey(helseid.AlgES256)
	if err != nil {
		return nil, fmt.Errorf("demo key: %w", err)
	}
	keys := helseid.NewMemoryKeyStore() // the key goes in when the practice is configured
	jwk, err := key.PublicJWK()
	if err != nil {
		return nil, err
	}
	orgs, err := newDemoOrgs()
	if err != nil {
		return nil, err
	}
	m, err := nhnmock.New(nhnmock.Config{
		Population: pop,
		Clients: []nhnmock.RegisteredClient{{ClientID: demoClientID, PublicJWK: jwk, Tenancy: nhnmock.TenancyMulti,
			Scopes: []string{nhnmock.ScopeLegalBasis, nhnmock.ScopeNoLegalBasis}}},
		Delegations: []string{orgs.ok, orgs.noAgreement},
		Agreements:  []string{orgs.ok, orgs.noDelegation},
		Logger:      log,
	})
	if err != nil {
		return nil, fmt.Errorf("demo NHN mock: %w", err)
	}
	srv, err := nhnmock.Start(ctx, "127.0.0.1:0", m, nhnmock.ServeOptions{Logger: log})
	if err != nil {
		return nil, fmt.Errorf("demo NHN mock: %w", err)
	}
	return &demoNHN{
		env:  config.NHNEnvironment{ID: "mock", Authority: srv.URL + "/", APIBaseURL: srv.URL},
		keys: keys, key: key, orgs: orgs, pop: pop, mock: m,
	}, nil
}

// newDemoOrgs picks three valid synthetic organisation numbers.
func newDemoOrgs() (demoOrgs, error) {
	var found []string
	for n := 310000010; n < 310001000 && len(found) < 3; n++ {
		if org, err := nin.ParseOrgNumber(fmt.Sprintf("%09d", n)); err == nil {
			found = append(found, org)
		}
	}
	if len(found) < 3 {
		return demoOrgs{}, errors.New("no synthetic organisation numbers")
	}
	return demoOrgs{ok: found[0], noDelegation: found[1], noAgreement: found[2]}, nil
}

// demoOrganisations lists the demo's organisation numbers for the
// activation screen; nil outside the demo.
func demoOrganisations(d *demoNHN) []app.DemoOrganisation {
	if d == nil {
		return nil
	}
	return []app.DemoOrganisation{
		{OrgNumber: d.orgs.ok, Purpose: "ok"},
		{OrgNumber: d.orgs.noDelegation, Purpose: "no_delegation"},
		{OrgNumber: d.orgs.noAgreement, Purpose: "no_agreement"},
	}
}

// configurePractice sets the demo practice up against the mock through the
// practice's NHN connection: every start makes a new in-memory key, so the
// settings are written afresh and the practice is activated again.
func (d *demoNHN) configurePractice(ctx context.Context, conn *activation.Service) error {
	return conn.Configure(ctx, activation.Settings{
		OrgNumber: d.orgs.ok, Name: demoPracticeName, Environment: "mock", ClientID: demoClientID,
		Tenancy: helseid.TenancyMulti, InformationParts: persontjeneste.DefaultInformationParts(),
	}, d.key)
}

// seedDemo fills an empty demo register with a few made-up clients and a
// few persons of the mock's population (so "Oppdater via Persontjenesten"
// has something to show): one is stored with the D-number the person had
// before getting a fødselsnummer, one from before the person died.
func seedDemo(ctx context.Context, db *store.DB, pop *population.Population) error {
	page, err := db.SearchClients(ctx, register.Query{Limit: 1})
	if err != nil {
		return err
	}
	if page.Total > 0 {
		return nil
	}
	clients := make([]register.Client, 0, len(demoClients)+6)
	for i, d := range demoClients {
		birth, err := time.Parse(time.DateOnly, d.birth)
		if err != nil {
			return err
		}
		number, err := syntheticNIN(birth, 100+i*37)
		if err != nil {
			return err
		}
		c := register.Client{
			NIN: number, GivenName: d.given, MiddleName: d.middle, FamilyName: d.family, BirthDate: d.birth,
			StreetAddress: d.street, PostalCode: d.postal, City: d.city, MunicipalityNumber: d.municipality,
			Phone: d.phone, Notes: "Syntetisk demoklient.",
		}
		if err := register.Validate(&c); err != nil {
			return fmt.Errorf("demo client %d: %w", i, err)
		}
		clients = append(clients, c)
	}
	if pop != nil {
		fromMock, err := demoClientsFromMock(pop)
		if err != nil {
			return err
		}
		clients = append(clients, fromMock...)
	}
	return db.ImportClients(ctx, clients)
}

// demoClientsFromMock makes clients of a few persons in the mock's population.
func demoClientsFromMock(pop *population.Population) ([]register.Client, error) {
	edges := pop.EdgeCases()
	type pick struct {
		nin  string
		edit func(c *register.Client)
	}
	picks := []pick{
		// Registered while the person still had a D-number.
		{edges[population.EdgeFormerDNumber], func(c *register.Client) {
			c.NIN, c.NINType = edges[population.EdgeFormerDNumber], ""
		}},
		// Registered before the person died.
		{edges[population.EdgeDeceased], func(c *register.Client) { c.Status, c.DeathDate = "", "" }},
		{edges[population.EdgeConfidential], nil},
	}
	for _, n := range demoTrickleNINs(pop) {
		picks = append(picks, pick{nin: n})
	}
	now := time.Now().UTC()
	var out []register.Client
	for _, p := range picks {
		person, ok := pop.ByNIN(p.nin)
		if !ok {
			continue
		}
		raw, err := json.Marshal(person)
		if err != nil {
			return nil, err
		}
		var wire persontjeneste.Person
		if err := json.Unmarshal(raw, &wire); err != nil {
			return nil, err
		}
		c := persontjeneste.ToClient(wire, now)
		if p.edit != nil {
			p.edit(&c)
		}
		c.Notes = "Syntetisk person fra NHN-mocken."
		if err := register.Validate(&c); err != nil {
			continue // a person the register would refuse is simply left out
		}
		out = append(out, c)
	}
	return out, nil
}

// syntheticNIN returns the first valid synthetic fødselsnummer from the
// individual number start (0–499) on, moved into the range of the century.
func syntheticNIN(birth time.Time, start int) (string, error) {
	if birth.Year() >= 2000 {
		start += 500
	}
	for ind := start; ind < start+100; ind++ {
		n, err := nin.Generate(birth, ind, nin.KindNational, true)
		if errors.Is(err, nin.ErrNoValidCheckDigit) {
			continue
		}
		return n, err
	}
	return "", fmt.Errorf("no valid identity number for %s", birth.Format(time.DateOnly))
}

// demoFeedInterval is the demo's pause between polls of the change feed,
// short so that a newcomer sees the trickle's changes arrive.
const demoFeedInterval = 15 * time.Second

// demoTrickleNINs are the ordinary persons of the mock that the demo
// register holds: the mock's trickle changes them.
func demoTrickleNINs(pop *population.Population) []string {
	return pop.SampleNINs(3)
}

// startDemoFeed makes the demo's feed start afresh (its mock's feed starts
// afresh at every start) and starts the mock's trickle of changes among the
// demo clients, every trickle (0: none), until ctx ends.
func startDemoFeed(ctx context.Context, db *store.DB, d *demoNHN, trickle time.Duration, log *slog.Logger) error {
	if err := db.ResetFeed(ctx); err != nil {
		return err
	}
	if trickle > 0 {
		go d.mock.Trickle(ctx, demoTrickleNINs(d.pop), trickle, log)
	}
	return nil
}
