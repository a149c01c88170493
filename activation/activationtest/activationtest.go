// Package activationtest gives the use cases' tests a practice activated
// against the NHN mock, served in-process on a loopback port.
package activationtest

import (
	"context"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"resepsjon/activation"
	"resepsjon/config"
	"resepsjon/nin"
	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/persontjeneste/nhnmock"
	"resepsjon/persontjeneste/nhnmock/population"
	"resepsjon/register"
)

// Practice is an activated practice and the mock it talks to.
type Practice struct {
	Conn  *activation.Service
	Mock  *nhnmock.Mock
	Pop   *population.Population
	Store register.SettingsStore
}

// Options change the set-up; the zero value is a practice fetching the
// default information parts from a population of 300.
type Options struct {
	Size  int
	Parts []persontjeneste.InformationPart
	Now   register.Clock
}

// New activates a practice over settings against a fresh mock; the mock
// stops when the test ends.
func New(t testing.TB, settings register.SettingsStore, opt Options) *Practice {
	t.Helper()
	if opt.Size == 0 {
		opt.Size = 300
	}
	pop, err := population.New(population.Config{Seed: 1, Size: opt.Size})
	if err != nil {
		t.Fatal(err)
	}
	var org string
	for v := 310000010; org == ""; v++ {
		if o, err := nin.ParseOrgNumber(strconv.Itoa(v)); err == nil {
			org = o
		}
	}
	m, err := nhnmock.New(nhnmock.Config{Population: pop, Delegations: []string{org}, Agreements: []string{org}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m.Handler())
	t.Cleanup(srv.Close)
	key, err := helseid.GenerateKey(helseid.AlgES256)
	if err != nil {
		t.Fatal(err)
	}
	jwk, err := key.PublicJWK()
	if err != nil {
		t.Fatal(err)
	}
	if err := m.RegisterClient(nhnmock.RegisteredClient{ClientID: "test-client", PublicJWK: jwk, Tenancy: nhnmock.TenancyMulti,
		Scopes: []string{nhnmock.ScopeLegalBasis}}); err != nil {
		t.Fatal(err)
	}
	conn, err := activation.New(activation.Config{Settings: settings, Keys: helseid.NewMemoryKeyStore(), Now: opt.Now,
		NHN: config.NHN{Mock: config.NHNEnvironment{ID: "mock", Authority: srv.URL + "/", APIBaseURL: srv.URL},
			Timeout: 10 * time.Second, HelseIDTimeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := conn.Configure(ctx, activation.Settings{OrgNumber: org, Name: "Testklinikken", Environment: "mock",
		ClientID: "test-client", Tenancy: helseid.TenancyMulti, InformationParts: opt.Parts}, key); err != nil {
		t.Fatal(err)
	}
	st, err := conn.Check(ctx, register.ActionActivate)
	if err != nil || !st.Activated() {
		t.Fatalf("not activated: %+v %v", st.Checks, err)
	}
	return &Practice{Conn: conn, Mock: m, Pop: pop, Store: settings}
}
