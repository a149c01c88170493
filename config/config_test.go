package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/spf13/pflag"
)

func load(t *testing.T, args []string, env map[string]string) (Config, error) {
	t.Helper()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	Flags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("parse flags: %v", err)
	}
	return Load(fs, DefaultPort, func(k string) string { return env[k] })
}

func writeFile(t *testing.T, dir, body string) string {
	t.Helper()
	p := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "port: 9001\nlanguage: en\nlog_level: warn\n")
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantPort int
		wantLang string
		wantLvl  string
	}{
		{"defaults without file", []string{"--data-dir", t.TempDir()}, nil, DefaultPort, "nb", "info"},
		{"file in data dir", []string{"--data-dir", dir}, nil, 9001, "en", "warn"},
		{"env over file", []string{"--data-dir", dir}, map[string]string{"RESEPSJON_PORT": "9002"}, 9002, "en", "warn"},
		{"flag over env", []string{"--data-dir", dir, "--port", "9003"}, map[string]string{"RESEPSJON_PORT": "9002"}, 9003, "en", "warn"},
		{"data dir from env", nil, map[string]string{"RESEPSJON_DATA_DIR": dir}, 9001, "en", "warn"},
		{"explicit config file", []string{"--data-dir", t.TempDir(), "--config", filepath.Join(dir, "config.yaml")}, nil, 9001, "en", "warn"},
		{"flag language", []string{"--data-dir", dir, "--language", "nb", "--log-level", "debug"}, nil, 9001, "nb", "debug"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := load(t, tc.args, tc.env)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if c.Port != tc.wantPort || c.Language != tc.wantLang || c.LogLevel != tc.wantLvl {
				t.Errorf("got port=%d lang=%s level=%s, want %d %s %s", c.Port, c.Language, c.LogLevel, tc.wantPort, tc.wantLang, tc.wantLvl)
			}
		})
	}
}

func TestInvalidValuesNameTheKey(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		args    []string
		env     map[string]string
		wantKey string
	}{
		{"port too big", "port: 70000\n", nil, nil, "port"},
		{"port not a number", "port: abc\n", nil, nil, "port"},
		{"port env not a number", "", nil, map[string]string{"RESEPSJON_PORT": "80x"}, "port"},
		{"language", "language: de\n", nil, nil, "language"},
		{"log level", "log_level: loud\n", nil, nil, "log_level"},
		{"listen not an address", "listen: example.org\n", nil, nil, "listen"},
		{"non-loopback refused", "listen: 0.0.0.0\n", nil, nil, "listen"},
		{"allow_remote not bool", "allow_remote: maybe\n", nil, nil, "allow_remote"},
		{"no_browser env not bool", "", nil, map[string]string{"RESEPSJON_NO_BROWSER": "sometimes"}, "no_browser"},
		{"no_tray not bool", "no_tray: perhaps\n", nil, nil, "no_tray"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.file != "" {
				writeFile(t, dir, tc.file)
			}
			_, err := load(t, append([]string{"--data-dir", dir}, tc.args...), tc.env)
			var inv *InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("want *InvalidError, got %v", err)
			}
			if inv.Key != tc.wantKey || inv.Allowed == "" {
				t.Errorf("error names key %q (allowed %q), want %q", inv.Key, inv.Allowed, tc.wantKey)
			}
		})
	}
}

func TestNonLoopbackAllowedExplicitly(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "listen: 0.0.0.0\nallow_remote: true\n")
	c, err := load(t, []string{"--data-dir", dir}, nil)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.Listen != "0.0.0.0" || !c.AllowRemote {
		t.Errorf("got %+v", c)
	}
}

func TestMissingExplicitConfigFile(t *testing.T) {
	if _, err := load(t, []string{"--data-dir", t.TempDir(), "--config", filepath.Join(t.TempDir(), "nope.yaml")}, nil); err == nil {
		t.Fatal("want an error for a missing --config file")
	}
}

// TestNoTray: the tray icon is on unless the setting, its environment
// variable or the flag turns it off.
func TestNoTray(t *testing.T) {
	tests := []struct {
		name string
		file string
		args []string
		env  map[string]string
		want bool
	}{
		{"default on", "", nil, nil, false},
		{"file", "no_tray: true\n", nil, nil, true},
		{"env", "", nil, map[string]string{"RESEPSJON_NO_TRAY": "1"}, true},
		{"flag", "", []string{"--no-tray"}, nil, true},
		{"flag over file", "no_tray: true\n", []string{"--no-tray=false"}, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.file != "" {
				writeFile(t, dir, tc.file)
			}
			c, err := load(t, append([]string{"--data-dir", dir}, tc.args...), tc.env)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if c.NoTray != tc.want {
				t.Errorf("NoTray = %v, want %v", c.NoTray, tc.want)
			}
		})
	}
}
