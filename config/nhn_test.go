package config

import (
	"errors"
	"testing"
	"time"
)

func TestNHNDefaults(t *testing.T) {
	c, err := load(t, []string{"--data-dir", t.TempDir()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := c.NHN
	if n.Test.Authority != DefaultTestAuthority || n.Test.APIBaseURL != DefaultTestAPIBaseURL || n.APIVersion != "2" ||
		!n.LegalBasis || n.Timeout != 30*time.Second || n.HelseIDTimeout != 15*time.Second {
		t.Fatalf("defaults %+v", n)
	}
	envs := n.Environments()
	if len(envs) != 1 || envs[0].ID != "test" {
		t.Errorf("environments %+v: only test has URLs by default (prod comes from configuration)", envs)
	}
}

func TestNHNFromFileAndEnv(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, `helseid:
  prod_authority: https://helseid.example/
  timeout: 20s
persontjenesten:
  prod_url: https://persontjenesten.example
  api_version: "3"
  timeout: 45s
`)
	c, err := load(t, []string{"--data-dir", dir}, map[string]string{
		"RESEPSJON_PERSONTJENESTEN_TIMEOUT":  "1m",
		"RESEPSJON_HELSEID_MOCK_AUTHORITY":   "http://127.0.0.1:8790/",
		"RESEPSJON_PERSONTJENESTEN_MOCK_URL": "http://127.0.0.1:8790",
	})
	if err != nil {
		t.Fatal(err)
	}
	n := c.NHN
	if n.Prod.Authority != "https://helseid.example/" || n.Prod.APIBaseURL != "https://persontjenesten.example" ||
		n.APIVersion != "3" || n.HelseIDTimeout != 20*time.Second || n.Timeout != time.Minute {
		t.Fatalf("loaded %+v", n)
	}
	var ids []string
	for _, e := range n.Environments() {
		ids = append(ids, e.ID)
	}
	if len(ids) != 3 || ids[0] != "mock" || ids[1] != "test" || ids[2] != "prod" {
		t.Errorf("environments %v", ids)
	}
}

func TestNHNInvalid(t *testing.T) {
	tests := []struct {
		name, key string
		env       map[string]string
	}{
		{"plain http off loopback", "helseid.test_authority", map[string]string{"RESEPSJON_HELSEID_TEST_AUTHORITY": "http://helseid.example/"}},
		{"authority without API", "helseid.prod_authority", map[string]string{"RESEPSJON_HELSEID_PROD_AUTHORITY": "https://helseid.example/"}},
		{"not a URL", "persontjenesten.test_url", map[string]string{"RESEPSJON_PERSONTJENESTEN_TEST_URL": "et.persontjenesten"}},
		{"timeout", "persontjenesten.timeout", map[string]string{"RESEPSJON_PERSONTJENESTEN_TIMEOUT": "soon"}},
		{"timeout too short", "persontjenesten.timeout", map[string]string{"RESEPSJON_PERSONTJENESTEN_TIMEOUT": "10ms"}},
		{"helseid timeout", "helseid.timeout", map[string]string{"RESEPSJON_HELSEID_TIMEOUT": "0s"}},
		{"legal basis", "persontjenesten.legal_basis", map[string]string{"RESEPSJON_PERSONTJENESTEN_LEGAL_BASIS": "maybe"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, []string{"--data-dir", t.TempDir()}, tc.env)
			var inv *InvalidError
			if !errors.As(err, &inv) || inv.Key != tc.key {
				t.Fatalf("err %v, want an InvalidError for %s", err, tc.key)
			}
		})
	}
}

func TestExampleConfigLoads(t *testing.T) {
	c, err := load(t, []string{"--data-dir", t.TempDir(), "--config", "../config.example.yaml"}, nil)
	if err != nil {
		t.Fatalf("config.example.yaml: %v", err)
	}
	if c.NHN.Test.Authority != DefaultTestAuthority || c.NHN.Timeout != 30*time.Second {
		t.Errorf("example NHN settings %+v", c.NHN)
	}
}
