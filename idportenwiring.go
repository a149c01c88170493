package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"resepsjon/idporten"
	"resepsjon/idporten/idportenmock"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/persontjeneste/nhnmock/population"
	"resepsjon/store"
)

// demoIDPortenClient is the demo's client at its ID-porten mock.
const demoIDPortenClient = "resepsjon-demo-idporten"

// newIDPorten is the patients' login with ID-porten: its settings in the
// database, its key in keys (the OS keyring; memory in the demo), and the
// patient portal's callback as redirect URI — under the portal's public
// address when one is set, else the patient listener's own.
func newIDPorten(db *store.DB, keys helseid.KeyStore, p *portalParts, log *slog.Logger) (*idporten.Service, error) {
	return idporten.New(idporten.Config{Settings: db, Keys: keys, Logger: log, HTTPTimeout: 15 * time.Second, OSUser: currentOSUser(),
		RedirectURI: func(ctx context.Context) (string, error) {
			base := p.patientURL
			if p.service != nil {
				st, err := p.service.Settings(ctx)
				if err != nil {
					return "", err
				}
				if st.PublicURL != "" {
					base = st.PublicURL
				}
			}
			if base == "" {
				return "", errors.New("the patient portal has no address")
			}
			return strings.TrimRight(base, "/") + idporten.CallbackPath, nil
		}})
}

// startDemoIDPorten runs the demo's ID-porten mock on loopback, registers
// the demo's client (a new key every start, kept in memory) with the
// patient portal's callback, and sets the practice up against it.
func startDemoIDPorten(ctx context.Context, p *portalParts, pop *population.Population, log *slog.Logger) (string, error) {
	if p.idporten == nil || p.patientURL == "" {
		return "", nil
	}
	key, err := helseid.GenerateKey(helseid.AlgES256)
	if err != nil {
		return "", err
	}
	jwk, err := key.PublicJWK()
	if err != nil {
		return "", err
	}
	m, err := idportenmock.New(idportenmock.Config{Population: pop, Logger: log, Clients: []idportenmock.Client{{
		ClientID: demoIDPortenClient, PublicJWK: jwk, RedirectURIs: []string{p.patientURL + idporten.CallbackPath}}}})
	if err != nil {
		return "", fmt.Errorf("demo ID-porten: %w", err)
	}
	srv, err := idportenmock.Start(ctx, "127.0.0.1:0", m, log)
	if err != nil {
		return "", fmt.Errorf("demo ID-porten: %w", err)
	}
	// The mock gives the name with the profile scope, so the demo's form
	// comes filled in.
	issuer, client, askName := srv.URL, demoIDPortenClient, true
	if _, err := p.idporten.Update(ctx, idporten.Change{Issuer: &issuer, ClientID: &client, AskName: &askName}); err != nil {
		return "", fmt.Errorf("demo ID-porten settings: %w", err)
	}
	if _, err := p.idporten.Install(ctx, key); err != nil {
		return "", fmt.Errorf("demo ID-porten key: %w", err)
	}
	return srv.URL, nil
}
