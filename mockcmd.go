package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"resepsjon/idporten"
	"resepsjon/idporten/idportenmock"
	"resepsjon/loopback"
	"resepsjon/messages"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/persontjeneste/nhnmock"
	"resepsjon/persontjeneste/nhnmock/population"
)

// Defaults of "resepsjon mock".
const (
	mockDefaultListen   = "127.0.0.1:8790"
	mockDefaultClientID = "resepsjon-mock"
	// mockDefaultOrg is a synthetic organisation number (valid mod-11, in
	// the range used for synthetic test organisations).
	mockDefaultOrg  = "310000019"
	mockTokenPath   = "/connect/token"
	mockDiscovery   = "/.well-known/openid-configuration"
	mockSampleCount = 3
	// The ID-porten mock served beside the NHN mock, and its test client
	// (the demo's patient portal address by default).
	mockDefaultIDPortenListen   = "127.0.0.1:8791"
	mockDefaultIDPortenClientID = "resepsjon-mock-idporten"
	mockDefaultIDPortenRedirect = "http://127.0.0.1:8740" + idporten.CallbackPath
)

// mockOptions are the parsed flags of "resepsjon mock".
type mockOptions struct {
	listen              string
	allowRemote         bool
	size                int
	seed                int64
	clientJWK           string
	clientID            string
	tenancy             string
	org, childOrg       string
	tokenLifetime       time.Duration
	nonceRotation       time.Duration
	latency             time.Duration
	errorRate           float64
	rateLimitEvery      int
	retryAfter          time.Duration
	helseIDDown         bool
	persontjenestenDown bool
	logLevel            string
	// The ID-porten mock.
	idportenListen, idportenClientID, idportenClientJWK, idportenRedirect string
}

func (env *environment) mockFlags(o *mockOptions) *pflag.FlagSet {
	fs := pflag.NewFlagSet("mock", pflag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.StringVar(&o.listen, "listen", mockDefaultListen, messages.Inline("cli.flag.mock.listen"))
	fs.BoolVar(&o.allowRemote, "allow-remote", false, messages.Inline("cli.flag.mock.allow_remote"))
	fs.IntVar(&o.size, "population", population.DefaultSize, messages.Inline("cli.flag.mock.population"))
	fs.Int64Var(&o.seed, "seed", 1, messages.Inline("cli.flag.mock.seed"))
	fs.StringVar(&o.clientJWK, "client-jwk", "", messages.Inline("cli.flag.mock.client_jwk"))
	fs.StringVar(&o.clientID, "client-id", mockDefaultClientID, messages.Inline("cli.flag.mock.client_id"))
	fs.StringVar(&o.tenancy, "tenancy", nhnmock.TenancySingle, messages.Inline("cli.flag.mock.tenancy"))
	fs.StringVar(&o.org, "org", mockDefaultOrg, messages.Inline("cli.flag.mock.org"))
	fs.StringVar(&o.childOrg, "child-org", "", messages.Inline("cli.flag.mock.child_org"))
	fs.DurationVar(&o.tokenLifetime, "token-lifetime", 300*time.Second, messages.Inline("cli.flag.mock.token_lifetime"))
	fs.DurationVar(&o.nonceRotation, "nonce-rotation", 0, messages.Inline("cli.flag.mock.nonce_rotation"))
	fs.DurationVar(&o.latency, "latency", 0, messages.Inline("cli.flag.mock.latency"))
	fs.Float64Var(&o.errorRate, "error-rate", 0, messages.Inline("cli.flag.mock.error_rate"))
	fs.IntVar(&o.rateLimitEvery, "rate-limit-every", 0, messages.Inline("cli.flag.mock.rate_limit_every"))
	fs.DurationVar(&o.retryAfter, "retry-after", time.Second, messages.Inline("cli.flag.mock.retry_after"))
	fs.BoolVar(&o.helseIDDown, "helseid-down", false, messages.Inline("cli.flag.mock.helseid_down"))
	fs.BoolVar(&o.persontjenestenDown, "persontjenesten-down", false, messages.Inline("cli.flag.mock.persontjenesten_down"))
	fs.StringVar(&o.logLevel, "log-level", "info", messages.Inline("cli.flag.log_level"))
	fs.StringVar(&o.idportenListen, "idporten-listen", mockDefaultIDPortenListen, messages.Inline("cli.flag.mock.idporten_listen"))
	fs.StringVar(&o.idportenClientID, "idporten-client-id", mockDefaultIDPortenClientID, messages.Inline("cli.flag.mock.idporten_client_id"))
	fs.StringVar(&o.idportenClientJWK, "idporten-client-jwk", "", messages.Inline("cli.flag.mock.idporten_client_jwk"))
	fs.StringVar(&o.idportenRedirect, "idporten-redirect-uri", mockDefaultIDPortenRedirect, messages.Inline("cli.flag.mock.idporten_redirect_uri"))
	return fs
}

// mock runs "resepsjon mock": the offline HelseID + Persontjenesten, and
// the ID-porten mock beside it (the patients' login), until ctx ends
// (SIGINT/SIGTERM).
func (env *environment) mock(ctx context.Context, args []string) error {
	var o mockOptions
	fs := env.mockFlags(&o)
	if err := parseArgs(fs, args, 0); err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return err
	}
	log := newLogger(env.stderr, o.logLevel)

	// The test client's key: the user's public JWK, else a fresh test key
	// whose private half is printed for the client under test.
	var publicJWK, privateJWK []byte
	if o.clientJWK != "" {
		data, err := env.readKeyFile(o.clientJWK)
		if err != nil {
			return err
		}
		if holdsPrivateKey(data) {
			return usageText("cli.mock.private_client_jwk", o.clientJWK)
		}
		publicJWK = data
	} else {
		k, err := helseid.GenerateKey(helseid.AlgES256)
		if err != nil {
			return fmt.Errorf("test client key: %w", err)
		}
		if publicJWK, err = k.PublicJWK(); err != nil {
			return err
		}
		if privateJWK, err = k.PrivateJWK(); err != nil {
			return err
		}
	}

	idpKey, err := env.idportenKey(o)
	if err != nil {
		return err
	}
	pop, err := population.New(population.Config{Seed: o.seed, Size: o.size})
	if err != nil {
		return usageCause(err, "cli.usage.mock_population_seed")
	}
	idpMock, err := newIDPortenMock(o, pop, idpKey, log)
	if err != nil {
		return err
	}
	client := nhnmock.RegisteredClient{
		ClientID:  o.clientID,
		PublicJWK: publicJWK,
		Tenancy:   o.tenancy,
		Scopes:    []string{nhnmock.ScopeLegalBasis, nhnmock.ScopeNoLegalBasis},
	}
	if o.tenancy == nhnmock.TenancySingle {
		client.OrgNumbers = []string{o.org}
		if o.childOrg != "" {
			client.OrgNumbers = append(client.OrgNumbers, o.childOrg)
		}
	}
	m, err := nhnmock.New(nhnmock.Config{
		Population:    pop,
		Clients:       []nhnmock.RegisteredClient{client},
		Delegations:   []string{o.org},
		Agreements:    []string{o.org},
		TokenLifetime: o.tokenLifetime,
		NonceRotation: o.nonceRotation,
		Faults: nhnmock.Faults{
			Latency:             o.latency,
			ErrorRate:           o.errorRate,
			RateLimitEvery:      o.rateLimitEvery,
			RetryAfter:          o.retryAfter,
			HelseIDDown:         o.helseIDDown,
			PersontjenestenDown: o.persontjenestenDown,
		},
		Logger: log,
	})
	if err != nil {
		if errors.Is(err, nhnmock.ErrInvalidConfig) {
			return usageCause(err, "cli.usage.mock_config")
		}
		return err
	}
	srv, err := nhnmock.Start(ctx, o.listen, m, nhnmock.ServeOptions{AllowRemote: o.allowRemote, Logger: log})
	if err != nil {
		if errors.Is(err, nhnmock.ErrNotLoopback) {
			return usageText("cli.mock.not_loopback", o.listen)
		}
		return err
	}
	if host, _, _ := net.SplitHostPort(o.listen); o.allowRemote && !loopback.IsHost(host) && host != "" {
		fmt.Fprintln(env.stderr, messages.Inline("cli.mock.remote_warning"))
		if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
			fmt.Fprintln(env.stderr, messages.Inline("cli.mock.replace_address", host))
		}
	}

	idp := idpKey
	if idp.server, err = idportenmock.Start(ctx, o.idportenListen, idpMock, log); err != nil {
		return err
	}
	env.printMockInfo(srv.URL, o, pop, publicJWK, privateJWK, idp)
	<-ctx.Done()
	<-srv.Done()
	<-idp.server.Done()
	fmt.Fprintln(env.stderr, messages.Inline("cli.mock.stopped"))
	return nil
}

func (o *mockOptions) check() error {
	switch o.tenancy {
	case nhnmock.TenancySingle, nhnmock.TenancyMulti:
	default:
		return usageText("cli.usage.mock_tenancy", o.tenancy)
	}
	if o.size < 1 || o.size > population.MaxSize {
		return usageText("cli.usage.mock_population", o.size, population.MaxSize)
	}
	switch o.logLevel {
	case "debug", "info", "warn", "error":
	default:
		return usageText("cli.usage.mock_log_level", o.logLevel)
	}
	if o.errorRate < 0 || o.errorRate > 1 {
		return usageText("cli.usage.mock_error_rate", o.errorRate)
	}
	if o.latency < 0 || o.retryAfter < 0 || o.nonceRotation < 0 || o.rateLimitEvery < 0 {
		return usageText("cli.usage.mock_negative")
	}
	if host, _, err := net.SplitHostPort(o.idportenListen); err != nil || host != "" && host != "localhost" && !loopback.IsIP(host) {
		return usageText("cli.mock.idporten_not_loopback", o.idportenListen)
	}
	if u, err := url.Parse(o.idportenRedirect); err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return usageText("cli.usage.mock_redirect_uri", o.idportenRedirect)
	}
	if o.tokenLifetime < time.Second {
		return usageText("cli.usage.mock_token_lifetime", o.tokenLifetime)
	}
	return nil
}

// idportenMockRun is the ID-porten mock served beside the NHN mock, and its
// test client's key.
type idportenMockRun struct {
	server                *idportenmock.Server
	publicJWK, privateJWK []byte // privateJWK only when the key was made here
}

// idportenKey is the ID-porten test client's key: the user's public key,
// else a fresh test key whose private half is printed for Resepsjon's
// ID-porten card.
func (env *environment) idportenKey(o mockOptions) (idportenMockRun, error) {
	var run idportenMockRun
	if o.idportenClientJWK != "" {
		data, err := env.readKeyFile(o.idportenClientJWK)
		if err != nil {
			return run, err
		}
		if holdsPrivateKey(data) {
			return run, usageText("cli.mock.private_client_jwk", o.idportenClientJWK)
		}
		run.publicJWK = data
		return run, nil
	}
	k, err := helseid.GenerateKey(helseid.AlgRS256)
	if err != nil {
		return run, fmt.Errorf("ID-porten test client key: %w", err)
	}
	if run.publicJWK, err = k.PublicJWK(); err != nil {
		return run, err
	}
	if run.privateJWK, err = k.PrivateJWK(); err != nil {
		return run, err
	}
	return run, nil
}

// newIDPortenMock is the ID-porten mock with one test client, run's key
// (a key the mock cannot read is a usage error, found before anything is
// served).
func newIDPortenMock(o mockOptions, pop *population.Population, run idportenMockRun, log *slog.Logger) (*idportenmock.Mock, error) {
	m, err := idportenmock.New(idportenmock.Config{Population: pop, Logger: log, Clients: []idportenmock.Client{{
		ClientID: o.idportenClientID, PublicJWK: run.publicJWK, RedirectURIs: []string{o.idportenRedirect}}}})
	if errors.Is(err, idportenmock.ErrInvalidConfig) {
		return nil, usageCause(err, "cli.usage.mock_config")
	}
	return m, err
}

// printMockInfo prints the addresses, a client configuration to paste and a
// few identity numbers to try, and the ID-porten mock's issuer and client.
func (env *environment) printMockInfo(base string, o mockOptions, pop *population.Population, publicJWK, privateJWK []byte, idp idportenMockRun) {
	w := env.stdout
	kid := jwkKeyID(publicJWK)
	fmt.Fprintln(w, messages.Inline("cli.mock.running"))
	fmt.Fprintf(w, "  base URL:        %s\n", base)
	fmt.Fprintf(w, "  discovery:       %s%s\n", base, mockDiscovery)
	fmt.Fprintf(w, "  persontjenesten: %s\n", base)
	fmt.Fprintf(w, "  idporten issuer: %s\n", idp.server.URL)
	fmt.Fprintf(w, "  population:      %d personer/persons, seed %d\n", pop.Size(), o.seed)
	if f := describeFaults(o); f != "" {
		fmt.Fprintf(w, "  faults:          %s\n", f)
	}
	// The block below holds exactly the keys config/nhn.go reads, so it can
	// be pasted into config.yaml as it is.
	fmt.Fprintf(w, "\n# %s\n", messages.Inline("cli.mock.paste_config"))
	fmt.Fprintf(w, "helseid:\n")
	fmt.Fprintf(w, "  mock_authority: %s/\n", base)
	fmt.Fprintf(w, "  mock_token_endpoint: %s%s\n", base, mockTokenPath)
	fmt.Fprintf(w, "persontjenesten:\n")
	fmt.Fprintf(w, "  mock_url: %s\n", base)
	fmt.Fprintf(w, "  api_version: \"2\"\n")
	fmt.Fprintf(w, "  legal_basis: true\n")

	fmt.Fprintf(w, "\n%s\n", commentLines(messages.Both("cli.mock.enter_in_app")))
	fmt.Fprintf(w, "  client id:       %s\n", o.clientID)
	fmt.Fprintf(w, "  tenancy:         %s\n", o.tenancy)
	fmt.Fprintf(w, "  org number:      %s\n", o.org)
	if o.childOrg != "" {
		fmt.Fprintf(w, "  sub-org number:  %s\n", o.childOrg)
	}
	if kid != "" {
		fmt.Fprintf(w, "  key id:          %s\n", kid)
	}
	fmt.Fprintf(w, "\n# %s\n", messages.Inline("cli.mock.samples"))
	for _, n := range pop.SampleNINs(mockSampleCount) {
		fmt.Fprintf(w, "sample: %s\n", n)
	}
	edges := pop.EdgeCases()
	for _, name := range slices.Sorted(maps.Keys(edges)) {
		fmt.Fprintf(w, "%s: %s\n", name, edges[name])
	}

	if privateJWK != nil {
		printPrivateWarning(env.stderr)
		fmt.Fprintf(w, "\n# %s\n# %s\n", messages.Inline("cli.mock.private_key"), messages.Inline("cli.mock.save_private_key"))
		fmt.Fprintf(w, "%s\n", oneLine(privateJWK))
	} else {
		fmt.Fprintf(w, "\n# %s\n", messages.Inline("cli.mock.public_key", oneLine(publicJWK)))
	}
	env.printIDPortenMock(o, idp)
	fmt.Fprintf(w, "\n%s\n", messages.Inline("cli.mock.stop"))
}

// printIDPortenMock prints what to enter in Resepsjon's ID-porten card.
func (env *environment) printIDPortenMock(o mockOptions, idp idportenMockRun) {
	w := env.stdout
	fmt.Fprintf(w, "\n# %s\n%s\n", messages.Inline("cli.mock.idporten_running"), commentLines(messages.Both("cli.mock.idporten_enter_in_app")))
	fmt.Fprintf(w, "  idporten issuer:       %s\n", idp.server.URL)
	fmt.Fprintf(w, "  idporten client id:    %s\n", o.idportenClientID)
	fmt.Fprintf(w, "  idporten redirect URI: %s\n", o.idportenRedirect)
	if kid := jwkKeyID(idp.publicJWK); kid != "" {
		fmt.Fprintf(w, "  idporten key id:       %s\n", kid)
	}
	if idp.privateJWK != nil {
		fmt.Fprintf(w, "\n# %s\n", messages.Inline("cli.mock.idporten_private_key"))
		fmt.Fprintf(w, "idporten private key: %s\n", oneLine(idp.privateJWK))
	} else {
		fmt.Fprintf(w, "\n# %s\n", messages.Inline("cli.mock.idporten_public_key", oneLine(idp.publicJWK)))
	}
}

// commentLines puts "# " before every line of s (config.yaml comments).
func commentLines(s string) string {
	return "# " + strings.ReplaceAll(s, "\n", "\n# ")
}

// holdsPrivateKey reports whether a JWK or JWKS carries private key
// material ("d"), which a client registration must never hold.
func holdsPrivateKey(data []byte) bool {
	var doc struct {
		D    string `json:"d"`
		Keys []struct {
			D string `json:"d"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		// Not one JSON document (a public and a private key in a row, say):
		// look for the member itself.
		return bytes.Contains(data, []byte(`"d"`))
	}
	if doc.D != "" {
		return true
	}
	for _, k := range doc.Keys {
		if k.D != "" {
			return true
		}
	}
	return false
}

// jwkKeyID returns the kid of a JWK, or of a JWKS's only key.
func jwkKeyID(data []byte) string {
	var one struct {
		KID  string `json:"kid"`
		Keys []struct {
			KID string `json:"kid"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(data, &one); err != nil {
		return ""
	}
	if len(one.Keys) == 1 {
		return one.Keys[0].KID
	}
	return one.KID
}

// oneLine compacts a JSON document for a single output line.
func oneLine(data []byte) string {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return strings.TrimSpace(string(data))
	}
	b, err := json.Marshal(v)
	if err != nil {
		return strings.TrimSpace(string(data))
	}
	return string(b)
}

func describeFaults(o mockOptions) string {
	var parts []string
	if o.latency > 0 {
		parts = append(parts, "latency "+o.latency.String())
	}
	if o.errorRate > 0 {
		parts = append(parts, "error rate "+strconv.FormatFloat(o.errorRate, 'g', -1, 64))
	}
	if o.rateLimitEvery > 0 {
		parts = append(parts, fmt.Sprintf("429 every %d calls (Retry-After %s)", o.rateLimitEvery, o.retryAfter))
	}
	if o.nonceRotation > 0 {
		parts = append(parts, "nonce rotation "+o.nonceRotation.String())
	}
	if o.tokenLifetime != 300*time.Second {
		parts = append(parts, "token lifetime "+o.tokenLifetime.String())
	}
	if o.helseIDDown {
		parts = append(parts, "HelseID down")
	}
	if o.persontjenestenDown {
		parts = append(parts, "Persontjenesten down")
	}
	return strings.Join(parts, ", ")
}
