package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"resepsjon/config"
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
	return fs
}

// mock runs "resepsjon mock": the offline HelseID + Persontjenesten only,
// until ctx ends (SIGINT/SIGTERM).
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

	pop, err := population.New(population.Config{Seed: o.seed, Size: o.size})
	if err != nil {
		return &usageError{msg: fmt.Sprintf("--population/--seed: %v", err)}
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
			return &usageError{msg: err.Error()}
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
	if host, _, _ := net.SplitHostPort(o.listen); o.allowRemote && !config.IsLoopback(host) && host != "" {
		fmt.Fprintln(env.stderr, messages.Inline("cli.mock.remote_warning"))
		if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
			fmt.Fprintln(env.stderr, messages.Inline("cli.mock.replace_address", host))
		}
	}

	env.printMockInfo(srv.URL, o, pop, publicJWK, privateJWK)
	<-ctx.Done()
	<-srv.Done()
	fmt.Fprintln(env.stderr, messages.Inline("cli.mock.stopped"))
	return nil
}

func (o *mockOptions) check() error {
	switch o.tenancy {
	case nhnmock.TenancySingle, nhnmock.TenancyMulti:
	default:
		return &usageError{msg: fmt.Sprintf("--tenancy %q: use single or multi", o.tenancy)}
	}
	if o.size < 1 || o.size > population.MaxSize {
		return &usageError{msg: fmt.Sprintf("--population %d: use 1 to %d", o.size, population.MaxSize)}
	}
	switch o.logLevel {
	case "debug", "info", "warn", "error":
	default:
		return &usageError{msg: fmt.Sprintf("--log-level %q: use debug, info, warn or error", o.logLevel)}
	}
	if o.errorRate < 0 || o.errorRate > 1 {
		return &usageError{msg: fmt.Sprintf("--error-rate %v: use a fraction from 0 to 1", o.errorRate)}
	}
	if o.latency < 0 || o.retryAfter < 0 || o.nonceRotation < 0 || o.rateLimitEvery < 0 {
		return &usageError{msg: "--latency, --retry-after, --nonce-rotation and --rate-limit-every must not be negative"}
	}
	if o.tokenLifetime < time.Second {
		return &usageError{msg: fmt.Sprintf("--token-lifetime %v: use at least 1s", o.tokenLifetime)}
	}
	return nil
}

// printMockInfo prints the addresses, a client configuration to paste and a
// few identity numbers to try.
func (env *environment) printMockInfo(base string, o mockOptions, pop *population.Population, publicJWK, privateJWK []byte) {
	w := env.stdout
	kid := jwkKeyID(publicJWK)
	fmt.Fprintln(w, messages.Inline("cli.mock.running"))
	fmt.Fprintf(w, "  base URL:        %s\n", base)
	fmt.Fprintf(w, "  discovery:       %s%s\n", base, mockDiscovery)
	fmt.Fprintf(w, "  persontjenesten: %s\n", base)
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
	fmt.Fprintf(w, "\n%s\n", messages.Inline("cli.mock.stop"))
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
