package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"resepsjon/config"
	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/persontjeneste/nhnmock"
	"resepsjon/persontjeneste/nhnmock/population"
)

// mockRun is "resepsjon mock" running in the background.
type mockRun struct {
	stdout, stderr *lockedBuffer
	cancel         context.CancelFunc
	done           chan error
	lines          map[string]string // "key: value" lines of the printed block
	out            string
}

// startMock runs the mock command and waits until it has printed its
// addresses.
func startMock(t *testing.T, args ...string) *mockRun {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	m := &mockRun{stdout: newLockedBuffer(), stderr: newLockedBuffer(), cancel: cancel, done: make(chan error, 1)}
	if !slices.Contains(args, "--idporten-listen") {
		// The ID-porten mock beside it takes a free port too.
		args = append(args, "--idporten-listen", "127.0.0.1:0")
	}
	go func() {
		m.done <- run(ctx, append([]string{"mock"}, args...), m.stdout, m.stderr, func(string) string { return "" })
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-m.done:
		case <-time.After(10 * time.Second):
			t.Error("mock command did not stop")
		}
	})
	deadline := time.After(30 * time.Second)
	for !strings.Contains(m.stdout.String(), "Ctrl+C") {
		select {
		case err := <-m.done:
			t.Fatalf("mock command ended early: %v\n%s", err, m.stderr.String())
		case <-deadline:
			t.Fatalf("mock command printed no address:\n%s\n%s", m.stdout.String(), m.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	m.out = m.stdout.String()
	m.lines = map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(m.out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if k, v, ok := strings.Cut(line, ": "); ok && !strings.HasPrefix(line, "#") && !strings.HasPrefix(line, "{") {
			if _, seen := m.lines[k]; !seen {
				m.lines[k] = strings.Trim(strings.TrimSpace(v), `"`)
			}
		}
	}
	return m
}

// stop cancels the command and checks that it ends without an error.
func (m *mockRun) stop(t *testing.T) {
	t.Helper()
	m.cancel()
	select {
	case err := <-m.done:
		if err != nil {
			t.Fatalf("mock command after cancel: %v", err)
		}
		m.done <- nil // for the cleanup
	case <-time.After(10 * time.Second):
		t.Fatal("mock command did not stop after cancel")
	}
	if !strings.Contains(m.stderr.String(), "stopped") {
		t.Errorf("no stop message:\n%s", m.stderr.String())
	}
}

func (m *mockRun) samples() []string {
	var out []string
	for _, line := range strings.Split(m.out, "\n") {
		if n, ok := strings.CutPrefix(line, "sample: "); ok {
			out = append(out, n)
		}
	}
	return out
}

// checkLookup fetches the discovery document, then a token and a person
// through the real clients, as the app would.
func checkLookup(t *testing.T, m *mockRun, key *helseid.Key, tenancy string) {
	t.Helper()
	base := m.lines["base URL"]
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("base URL %q, want loopback:\n%s", base, m.out)
	}
	// The addresses come from the pasted config block, loaded as the app
	// loads config.yaml.
	nhn := loadPastedConfig(t, m.configBlock(t))
	if m.lines["discovery"] != base+"/.well-known/openid-configuration" || nhn.Mock.Authority != base+"/" ||
		nhn.Mock.APIBaseURL != base || nhn.Mock.TokenEndpoint != base+"/connect/token" {
		t.Fatalf("printed addresses do not fit %s: %+v\n%s", base, nhn.Mock, m.out)
	}
	if m.lines["key id"] != key.KID() {
		t.Errorf("printed key id %q, want %q", m.lines["key id"], key.KID())
	}

	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	hc := &http.Client{Timeout: 10 * time.Second}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.lines["discovery"], nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	var doc struct {
		Issuer        string `json:"issuer"`
		TokenEndpoint string `json:"token_endpoint"`
	}
	err = json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("discovery: status %d, %v", resp.StatusCode, err)
	}
	if doc.Issuer != nhn.Mock.Authority || doc.TokenEndpoint != nhn.Mock.TokenEndpoint {
		t.Fatalf("discovery %+v does not match the printed config", doc)
	}

	scope := nhnmock.ScopeNoLegalBasis
	if nhn.LegalBasis {
		scope = nhnmock.ScopeLegalBasis
	}
	tokens, err := helseid.NewTokenClient(helseid.Config{
		Authority: nhn.Mock.Authority, ClientID: m.lines["client id"], Key: key,
		Scopes: []string{scope}, Tenancy: tenancy, OrgNumber: m.lines["org number"], HTTPClient: hc,
	})
	if err != nil {
		t.Fatal(err)
	}
	api, err := persontjeneste.New(persontjeneste.Config{
		BaseURL:    nhn.Mock.APIBaseURL,
		HTTP:       &http.Client{Timeout: 10 * time.Second, Transport: &helseid.Transport{Tokens: tokens}},
		APIVersion: nhn.APIVersion,
		LegalBasis: nhn.LegalBasis,
	})
	if err != nil {
		t.Fatal(err)
	}
	samples := m.samples()
	if len(samples) == 0 {
		t.Fatalf("no sample identity numbers printed:\n%s", m.out)
	}
	p, err := api.GetByNIN(ctx, samples[0], nil, false)
	if err != nil {
		t.Fatalf("get-by-nin: %v", err)
	}
	if !p.HasNIN(samples[0]) || len(p.Name) == 0 {
		t.Fatalf("get-by-nin answered another person: %+v", p)
	}
	// One token, got through the DPoP nonce handshake.
	if st := tokens.Stats(); st.Fetches != 1 || st.NonceRetries != 1 || st.Failures != 0 {
		t.Errorf("token stats %+v, want one fetch with one nonce retry", st)
	}
}

func TestMockCommandWithClientJWK(t *testing.T) {
	key, err := helseid.GenerateKey(helseid.AlgES256)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := key.PublicJWK()
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "public.jwk")
	if err := os.WriteFile(file, pub, 0o600); err != nil {
		t.Fatal(err)
	}
	m := startMock(t, "--listen", "127.0.0.1:0", "--population", "200", "--seed", "7",
		"--client-jwk", file, "--client-id", "practice-test", "--org", "310000027")
	if m.lines["client id"] != "practice-test" || m.lines["org number"] != "310000027" || m.lines["tenancy"] != "single" {
		t.Fatalf("printed client config does not follow the flags:\n%s", m.out)
	}
	// The population is the one the seed gives, so numbers are stable.
	pop, err := population.New(population.Config{Seed: 7, Size: 200})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.samples(), pop.SampleNINs(3); !slices.Equal(got, want) {
		t.Errorf("samples %v, want the seed's %v", got, want)
	}
	// (The ID-porten mock's own test key is printed on its labelled line.)
	nhnOut := regexp.MustCompile(`(?m)^idporten private key: .*$`).ReplaceAllString(m.out, "")
	if strings.Contains(nhnOut, `"d"`) || strings.Contains(m.stderr.String(), "PRIVATE") {
		t.Error("a private key was printed although the client key was given")
	}
	checkLookup(t, m, key, helseid.TenancySingle)

	base := m.lines["base URL"]
	m.stop(t)
	hc := &http.Client{Timeout: 2 * time.Second}
	if resp, err := hc.Get(base + "/.well-known/openid-configuration"); err == nil {
		resp.Body.Close()
		t.Error("the mock still answers after the command stopped")
	}
}

func TestMockCommandGeneratedKey(t *testing.T) {
	m := startMock(t, "--listen", "127.0.0.1:0", "--population", "100", "--tenancy", "multi")
	var priv string
	for _, line := range strings.Split(m.out, "\n") {
		if strings.HasPrefix(line, "{") && strings.Contains(line, `"d"`) {
			priv = line
		}
	}
	if priv == "" {
		t.Fatalf("no private test JWK printed:\n%s", m.out)
	}
	for _, want := range []string{"ADVARSEL", "WARNING", "ONLY for the NHN mock"} {
		if !strings.Contains(m.stderr.String(), want) {
			t.Errorf("stderr lacks the test-only warning %q", want)
		}
	}
	key, err := helseid.ImportKey([]byte(priv), "")
	if err != nil {
		t.Fatalf("printed private JWK does not import: %v", err)
	}
	checkLookup(t, m, key, helseid.TenancyMulti)
	m.stop(t)
}

func TestMockCommandFaultFlags(t *testing.T) {
	m := startMock(t, "--listen", "127.0.0.1:0", "--population", "60", "--persontjenesten-down",
		"--latency", "5ms", "--nonce-rotation", "1m", "--token-lifetime", "30s")
	if !strings.Contains(m.lines["faults"], "Persontjenesten down") || !strings.Contains(m.lines["faults"], "latency 5ms") {
		t.Errorf("faults line %q does not list the flags", m.lines["faults"])
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	hc := &http.Client{Timeout: 5 * time.Second}
	get := func(path string) int {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.lines["base URL"]+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get("/api/legal-basis/person/get-by-nin"); got != http.StatusServiceUnavailable {
		t.Errorf("Persontjenesten with --persontjenesten-down: status %d, want 503", got)
	}
	m.stop(t)
}

func TestMockCommandRefusesBadFlags(t *testing.T) {
	key, err := helseid.GenerateKey(helseid.AlgES256)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := key.PrivateJWK()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	privFile, junkFile := filepath.Join(dir, "private.jwk"), filepath.Join(dir, "junk.jwk")
	if err := os.WriteFile(privFile, priv, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(junkFile, []byte(`{"kty":"EC"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--client-jwk", privFile},
		{"--client-jwk", junkFile},
		{"--listen", "0.0.0.0:0"},
		{"--listen", "192.0.2.1:0"},
		{"--tenancy", "both"},
		{"--error-rate", "2"},
		{"--token-lifetime", "0s"},
		{"--org", "123456789"},
		{"--population", "0"},
		{"--latency", "-1s"},
		{"extra"},
		{"--log-level", "loud"},
		{"--listen", "127.0.0.1:0", "--idporten-listen", "0.0.0.0:0"},
		{"--listen", "127.0.0.1:0", "--idporten-listen", "192.0.2.1:0"},
		{"--listen", "127.0.0.1:0", "--idporten-client-jwk", privFile},
		{"--listen", "127.0.0.1:0", "--idporten-client-jwk", junkFile},
		{"--listen", "127.0.0.1:0", "--idporten-redirect-uri", "/idporten/callback"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(t.Context(), append([]string{"mock", "--population", "60"}, args...), &stdout, &stderr,
			func(string) string { return "" })
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("mock %v: %v, want a usage error", args, err)
		}
		if stdout.Len() > 0 {
			t.Errorf("mock %v printed %q", args, stdout.String())
		}
	}
}

// configBlock returns the printed lines meant for config.yaml: from the
// heading that says to paste them up to the next blank line.
func (m *mockRun) configBlock(t *testing.T) string {
	t.Helper()
	_, rest, ok := strings.Cut(m.out, "config.yaml:\n")
	if !ok {
		t.Fatalf("no config.yaml block printed:\n%s", m.out)
	}
	block, _, _ := strings.Cut(rest, "\n\n")
	return block + "\n"
}

// loadPastedConfig writes block as config.yaml and loads it through the
// config package, as the app does at start.
func loadPastedConfig(t *testing.T, block string) config.NHN {
	t.Helper()
	file := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(file, []byte(block), 0o600); err != nil {
		t.Fatal(err)
	}
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	config.Flags(fs)
	if err := fs.Parse([]string{"--config", file, "--data-dir", t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(fs, config.DefaultPort, func(string) string { return "" })
	if err != nil {
		t.Fatalf("the pasted block does not load: %v\n%s", err, block)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("the pasted block is not valid: %v\n%s", err, block)
	}
	return cfg.NHN
}

// TestMockCommandConfigBlockIsReadByTheApp checks that the printed block is
// YAML and that every key in it is one the app reads: changing any one value
// changes the loaded configuration.
func TestMockCommandConfigBlockIsReadByTheApp(t *testing.T) {
	m := startMock(t, "--listen", "127.0.0.1:0", "--population", "60")
	block := m.configBlock(t)
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(strings.NewReader(block)); err != nil {
		t.Fatalf("the printed block is not YAML: %v\n%s", err, block)
	}
	keys := v.AllKeys()
	if len(keys) == 0 {
		t.Fatalf("the printed block has no keys:\n%s", block)
	}
	base := loadPastedConfig(t, block)
	if !base.Mock.Configured() || !slices.ContainsFunc(base.Environments(), func(e config.NHNEnvironment) bool { return e.ID == "mock" }) {
		t.Fatalf("the pasted block does not make the mock an environment: %+v", base.Mock)
	}
	for _, key := range keys {
		section, leaf, _ := strings.Cut(key, ".")
		changed, found := changeValue(block, section, leaf)
		if !found {
			t.Errorf("key %s not found as a line of the block", key)
			continue
		}
		if got := loadPastedConfig(t, changed); got == base {
			t.Errorf("key %s: changing its value changes nothing the app reads; the app does not read this key", key)
		}
	}
	// The practice's own values belong in the activation screen, not in the file.
	for _, k := range []string{"client_id", "org_number", "key_id", "tenancy", "scope"} {
		if v.IsSet("helseid."+k) || v.IsSet("persontjenesten."+k) {
			t.Errorf("the block sets %s, which the app does not read from config", k)
		}
	}
	for _, want := range []string{"activation screen", "resepsjon key import", "client id:", "org number:", "tenancy:"} {
		if !strings.Contains(m.out, want) {
			t.Errorf("output lacks %q:\n%s", want, m.out)
		}
	}
	m.stop(t)
}

// changeValue gives the block with the value of section.leaf replaced by
// another valid value of the same kind.
func changeValue(block, section, leaf string) (string, bool) {
	lines := strings.Split(block, "\n")
	in := false
	for i, line := range lines {
		if !strings.HasPrefix(line, " ") {
			in = strings.EqualFold(strings.TrimSuffix(line, ":"), section)
			continue
		}
		k, val, ok := strings.Cut(strings.TrimSpace(line), ": ")
		if !in || !ok || !strings.EqualFold(k, leaf) {
			continue
		}
		var other string
		switch {
		case strings.HasPrefix(val, "http://"):
			other = "http://localhost:1/other"
		case val == "true":
			other = "false"
		case val == "false":
			other = "true"
		default:
			other = `"other"`
		}
		lines[i] = "  " + k + ": " + other
		return strings.Join(lines, "\n"), true
	}
	return block, false
}
