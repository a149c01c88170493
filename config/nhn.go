package config

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"resepsjon/loopback"

	"github.com/spf13/viper"
)

// NHN is where HelseID and Persontjenesten are, per environment, and how they
// are called. The practice's own values (organisation number, HelseID client
// id, key) are settings in the database, chosen in the app.
type NHN struct {
	// Test is NHN's test environment; its published URLs are the defaults.
	Test NHNEnvironment
	// Prod is NHN's production; its URLs come only from configuration.
	Prod NHNEnvironment
	// Mock is a separately running "resepsjon mock" (the demo starts its
	// own); empty unless configured.
	Mock NHNEnvironment
	// APIVersion is sent as Persontjenesten's api-version header.
	APIVersion string
	// LegalBasis selects the /api/legal-basis/ routes (health practices).
	LegalBasis bool
	// Timeout bounds each whole lookup (token and API call, retries included).
	Timeout time.Duration
	// HelseIDTimeout bounds each request to HelseID.
	HelseIDTimeout time.Duration
}

// NHNEnvironment is one HelseID authority and its Persontjenesten.
type NHNEnvironment struct {
	ID            string // mock, test, prod
	Authority     string // HelseID issuer, e.g. https://helseid-sts.test.nhn.no/
	TokenEndpoint string // optional; else from the discovery document
	APIBaseURL    string // Persontjenesten, e.g. https://et.persontjenesten.test.nhn.no
}

// Configured reports whether both URLs are set.
func (e NHNEnvironment) Configured() bool { return e.Authority != "" && e.APIBaseURL != "" }

// NHN's published test environment (see README "Persontjenesten").
const (
	DefaultTestAuthority  = "https://helseid-sts.test.nhn.no/"
	DefaultTestAPIBaseURL = "https://et.persontjenesten.test.nhn.no"
)

// nhnKeys are the NHN config keys; in the environment they are
// RESEPSJON_ + upper case with "." as "_" (RESEPSJON_HELSEID_TEST_AUTHORITY).
var nhnKeys = []string{
	"helseid.test_authority", "helseid.test_token_endpoint",
	"helseid.prod_authority", "helseid.prod_token_endpoint",
	"helseid.mock_authority", "helseid.mock_token_endpoint",
	"helseid.timeout",
	"persontjenesten.test_url", "persontjenesten.prod_url", "persontjenesten.mock_url",
	"persontjenesten.api_version", "persontjenesten.legal_basis", "persontjenesten.timeout",
}

func envName(key string) string {
	return "RESEPSJON_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

func nhnDefaults(v *viper.Viper) {
	v.SetDefault("helseid.test_authority", DefaultTestAuthority)
	v.SetDefault("persontjenesten.test_url", DefaultTestAPIBaseURL)
	v.SetDefault("helseid.timeout", "15s")
	v.SetDefault("persontjenesten.api_version", "2")
	v.SetDefault("persontjenesten.legal_basis", true)
	v.SetDefault("persontjenesten.timeout", "30s")
}

func nhnFromEnv(v *viper.Viper, getenv func(string) string) {
	for _, key := range nhnKeys {
		if val := getenv(envName(key)); val != "" {
			v.Set(key, val)
		}
	}
}

func loadNHN(v *viper.Viper) (NHN, error) {
	n := NHN{
		Test: NHNEnvironment{ID: "test", Authority: strings.TrimSpace(v.GetString("helseid.test_authority")),
			TokenEndpoint: strings.TrimSpace(v.GetString("helseid.test_token_endpoint")),
			APIBaseURL:    strings.TrimSpace(v.GetString("persontjenesten.test_url"))},
		Prod: NHNEnvironment{ID: "prod", Authority: strings.TrimSpace(v.GetString("helseid.prod_authority")),
			TokenEndpoint: strings.TrimSpace(v.GetString("helseid.prod_token_endpoint")),
			APIBaseURL:    strings.TrimSpace(v.GetString("persontjenesten.prod_url"))},
		Mock: NHNEnvironment{ID: "mock", Authority: strings.TrimSpace(v.GetString("helseid.mock_authority")),
			TokenEndpoint: strings.TrimSpace(v.GetString("helseid.mock_token_endpoint")),
			APIBaseURL:    strings.TrimSpace(v.GetString("persontjenesten.mock_url"))},
		APIVersion: strings.TrimSpace(v.GetString("persontjenesten.api_version")),
	}
	var err error
	if n.LegalBasis, err = boolValue(v, "persontjenesten.legal_basis"); err != nil {
		return NHN{}, err
	}
	if n.Timeout, err = durationValue(v, "persontjenesten.timeout"); err != nil {
		return NHN{}, err
	}
	if n.HelseIDTimeout, err = durationValue(v, "helseid.timeout"); err != nil {
		return NHN{}, err
	}
	return n, nil
}

// Environments lists the configured environments: mock, test, prod.
func (n NHN) Environments() []NHNEnvironment {
	var out []NHNEnvironment
	for _, e := range []NHNEnvironment{n.Mock, n.Test, n.Prod} {
		if e.Configured() {
			out = append(out, e)
		}
	}
	return out
}

// Validate checks the NHN settings and names the first wrong key.
func (n NHN) Validate() error {
	for _, e := range []struct {
		env            NHNEnvironment
		authKey, apiKy string
	}{
		{n.Test, "helseid.test_authority", "persontjenesten.test_url"},
		{n.Prod, "helseid.prod_authority", "persontjenesten.prod_url"},
		{n.Mock, "helseid.mock_authority", "persontjenesten.mock_url"},
	} {
		if (e.env.Authority == "") != (e.env.APIBaseURL == "") {
			return &InvalidError{Key: e.authKey, Value: e.env.Authority,
				Allowed: fmt.Sprintf("set both %s and %s, or neither", e.authKey, e.apiKy)}
		}
		for key, raw := range map[string]string{e.authKey: e.env.Authority, e.apiKy: e.env.APIBaseURL,
			strings.Replace(e.authKey, "authority", "token_endpoint", 1): e.env.TokenEndpoint} {
			if raw != "" && !serviceURL(raw) {
				return &InvalidError{Key: key, Value: raw, Allowed: "an https:// URL (http:// only on loopback)"}
			}
		}
	}
	if n.APIVersion == "" || strings.ContainsAny(n.APIVersion, " \t\r\n") {
		return &InvalidError{Key: "persontjenesten.api_version", Value: n.APIVersion, Allowed: `a version such as "2"`}
	}
	if n.Timeout < time.Second || n.Timeout > 10*time.Minute {
		return &InvalidError{Key: "persontjenesten.timeout", Value: n.Timeout, Allowed: "a duration from 1s to 10m, such as 30s"}
	}
	if n.HelseIDTimeout < time.Second || n.HelseIDTimeout > 10*time.Minute {
		return &InvalidError{Key: "helseid.timeout", Value: n.HelseIDTimeout, Allowed: "a duration from 1s to 10m, such as 15s"}
	}
	return nil
}

// serviceURL accepts absolute https URLs, and http on loopback (the mock).
func serviceURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return false
	}
	switch u.Scheme {
	case "https":
		return true
	case "http":
		return loopback.IsHost(u.Hostname())
	}
	return false
}

func durationValue(v *viper.Viper, key string) (time.Duration, error) {
	raw := v.Get(key)
	switch x := raw.(type) {
	case time.Duration:
		return x, nil
	case int:
		return time.Duration(x) * time.Second, nil
	case string:
		if d, err := time.ParseDuration(strings.TrimSpace(x)); err == nil {
			return d, nil
		}
	}
	return 0, &InvalidError{Key: key, Value: raw, Allowed: "a duration such as 30s or 1m"}
}
