package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"resepsjon/nin"
	"resepsjon/register"
	"resepsjon/store"
)

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

// seedDemo fills an empty demo register with a few synthetic clients.
func seedDemo(ctx context.Context, db *store.DB) error {
	page, err := db.SearchClients(ctx, register.Query{Limit: 1})
	if err != nil {
		return err
	}
	if page.Total > 0 {
		return nil
	}
	clients := make([]register.Client, 0, len(demoClients))
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
	return db.ImportClients(ctx, clients)
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
