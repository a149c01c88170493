// Package config loads Resepsjon's settings with viper. Precedence, highest
// first: command-line flags, RESEPSJON_* environment variables, the config
// file (--config, else config.yaml in the data directory), defaults.
package config

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"resepsjon/loopback"
	"resepsjon/messages"
)

// Config is every setting the program reads. Keys in the config file and
// environment are the mapstructure names (nested with "." in files and "_"
// in environment variables: RESEPSJON_LOG_LEVEL).
type Config struct {
	DataDir     string `mapstructure:"data_dir"`
	Listen      string `mapstructure:"listen"`
	Port        int    `mapstructure:"port"`
	AllowRemote bool   `mapstructure:"allow_remote"`
	NoBrowser   bool   `mapstructure:"no_browser"`
	// NoTray turns the tray icon off (headless runs, tests).
	NoTray   bool   `mapstructure:"no_tray"`
	Language string `mapstructure:"language"`
	LogLevel string `mapstructure:"log_level"`
	// NHN holds the HelseID and Persontjenesten environments (config/nhn.go).
	NHN NHN `mapstructure:"-"`
	// Portal is the patient portal's listener, Mail the outbox's SMTP
	// server (config/portal.go).
	Portal Portal `mapstructure:"-"`
	Mail   Mail   `mapstructure:"-"`
	// Feed is the change feed's poll interval and the demo's trickle
	// (config/feed.go).
	Feed Feed `mapstructure:"-"`
	// ConfigFile is the file that was read, if any.
	ConfigFile string `mapstructure:"-"`
}

// Default ports: the real app and the demo differ so both can run side by side.
const (
	DefaultPort     = 8710
	DefaultDemoPort = 8720
)

// InvalidError names the key that is wrong and what is allowed.
type InvalidError struct {
	Key     string
	Value   any
	Allowed string
}

func (e *InvalidError) Error() string {
	return fmt.Sprintf("config: %s = %v is not allowed: %s", e.Key, e.Value, e.Allowed)
}

// Flags registers the flags every serving command shares.
func Flags(fs *pflag.FlagSet) {
	fs.String("config", "", messages.Inline("cli.flag.config"))
	fs.String("data-dir", "", messages.Inline("cli.flag.data_dir"))
	fs.String("listen", "", messages.Inline("cli.flag.listen"))
	fs.Int("port", 0, messages.Inline("cli.flag.port"))
	fs.Bool("no-browser", false, messages.Inline("cli.flag.no_browser"))
	fs.Bool("no-tray", false, messages.Inline("cli.flag.no_tray"))
	fs.String("language", "", messages.Inline("cli.flag.language"))
	fs.String("log-level", "", messages.Inline("cli.flag.log_level"))
}

// flagKeys maps flag names to config keys.
var flagKeys = map[string]string{
	"data-dir":   "data_dir",
	"listen":     "listen",
	"port":       "port",
	"no-browser": "no_browser",
	"no-tray":    "no_tray",
	"language":   "language",
	"log-level":  "log_level",
}

// envKeys are the config keys that a RESEPSJON_* environment variable sets
// (RESEPSJON_CONFIG names the config file).
var envKeys = []string{"data_dir", "listen", "port", "allow_remote", "no_browser", "no_tray", "language", "log_level"}

// Load reads the configuration. defaultPort differs between the app and demo.
// getenv is os.Getenv in production and a map lookup in tests.
func Load(fs *pflag.FlagSet, defaultPort int, getenv func(string) string) (Config, error) {
	v := viper.New()
	v.SetDefault("listen", "127.0.0.1")
	v.SetDefault("port", defaultPort)
	v.SetDefault("allow_remote", false)
	v.SetDefault("no_browser", false)
	v.SetDefault("no_tray", false)
	v.SetDefault("language", "nb")
	v.SetDefault("log_level", "info")
	nhnDefaults(v)
	portalDefaults(v)
	feedDefaults(v)

	// Environment: read through getenv so tests need not touch the process env.
	fromEnv := map[string]string{}
	for _, key := range append([]string{"config"}, envKeys...) {
		if val := getenv("RESEPSJON_" + strings.ToUpper(key)); val != "" {
			fromEnv[key] = val
		}
	}
	envOr := func(key string) (string, bool) {
		val, ok := fromEnv[key]
		return val, ok
	}

	// The data directory decides where the default config file is, so it is
	// settled from flags, env and the OS default before the file is read.
	dataDir := ""
	if f := fs.Lookup("data-dir"); f != nil && f.Changed {
		dataDir = f.Value.String()
	} else if d, ok := envOr("data_dir"); ok {
		dataDir = d
	}

	configFile := ""
	if f := fs.Lookup("config"); f != nil && f.Changed {
		configFile = f.Value.String()
	} else if c, ok := envOr("config"); ok {
		configFile = c
	}
	explicitFile := configFile != ""
	if !explicitFile {
		dir := dataDir
		if dir == "" {
			var err error
			dir, err = DefaultDataDir()
			if err != nil {
				return Config{}, err
			}
		}
		configFile = filepath.Join(dir, "config.yaml")
	}
	fileUsed := ""
	if _, err := os.Stat(configFile); err == nil {
		v.SetConfigFile(configFile)
		if err := v.ReadInConfig(); err != nil {
			return Config{}, fmt.Errorf("config: read %s: %w", configFile, err)
		}
		fileUsed = configFile
	} else if explicitFile {
		return Config{}, fmt.Errorf("config: file %s: %w", configFile, err)
	}

	for _, key := range envKeys {
		if val, ok := envOr(key); ok {
			v.Set(key, val)
		}
	}
	nhnFromEnv(v, getenv)
	portalFromEnv(v, getenv)
	feedFromEnv(v, getenv)
	for flag, key := range flagKeys {
		if f := fs.Lookup(flag); f != nil && f.Changed {
			v.Set(key, f.Value.String())
		}
	}

	var c Config
	var err error
	if c.DataDir = v.GetString("data_dir"); c.DataDir == "" {
		if c.DataDir, err = DefaultDataDir(); err != nil {
			return Config{}, err
		}
	}
	c.Listen = v.GetString("listen")
	if c.Port, err = intValue(v, "port"); err != nil {
		return Config{}, err
	}
	if c.AllowRemote, err = boolValue(v, "allow_remote"); err != nil {
		return Config{}, err
	}
	if c.NoBrowser, err = boolValue(v, "no_browser"); err != nil {
		return Config{}, err
	}
	if c.NoTray, err = boolValue(v, "no_tray"); err != nil {
		return Config{}, err
	}
	c.Language = v.GetString("language")
	c.LogLevel = v.GetString("log_level")
	c.ConfigFile = fileUsed
	if c.NHN, err = loadNHN(v); err != nil {
		return Config{}, err
	}
	if c.Portal, c.Mail, err = loadPortal(v); err != nil {
		return Config{}, err
	}
	if c.Feed, err = loadFeed(v); err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// DefaultDataDir is <user config dir>/resepsjon.
func DefaultDataDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("config: no user config directory (set --data-dir): %w", err)
	}
	return filepath.Join(dir, "resepsjon"), nil
}

// Validate checks every value and names the first wrong key.
func (c Config) Validate() error {
	if c.Port < 0 || c.Port > 65535 {
		return &InvalidError{Key: "port", Value: c.Port, Allowed: "a port number from 0 to 65535 (0 picks a free port)"}
	}
	ip := net.ParseIP(c.Listen)
	if c.Listen != "localhost" && ip == nil {
		return &InvalidError{Key: "listen", Value: c.Listen, Allowed: "an IP address such as 127.0.0.1, or localhost"}
	}
	if !loopback.IsHost(c.Listen) && !c.AllowRemote {
		return &InvalidError{Key: "listen", Value: c.Listen, Allowed: "a loopback address (127.0.0.1, ::1, localhost); other addresses expose the client register to the network and need allow_remote: true"}
	}
	switch c.Language {
	case "nb", "en":
	default:
		return &InvalidError{Key: "language", Value: c.Language, Allowed: "nb or en"}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return &InvalidError{Key: "log_level", Value: c.LogLevel, Allowed: "debug, info, warn or error"}
	}
	if c.DataDir == "" {
		return &InvalidError{Key: "data_dir", Value: c.DataDir, Allowed: "a directory path"}
	}
	if c.Portal.Listen != "" {
		if err := c.Portal.validate(); err != nil {
			return err
		}
		if err := c.Mail.validate(); err != nil {
			return err
		}
	}
	if c.NHN.APIVersion != "" || c.NHN.Timeout != 0 {
		if err := c.NHN.Validate(); err != nil {
			return err
		}
	}
	return nil
}

func intValue(v *viper.Viper, key string) (int, error) {
	raw := v.Get(key)
	switch x := raw.(type) {
	case int:
		return x, nil
	case int64:
		return int(x), nil
	case float64:
		if x == float64(int(x)) {
			return int(x), nil
		}
	case string:
		var n int
		if _, err := fmt.Sscanf(strings.TrimSpace(x), "%d", &n); err == nil && fmt.Sprint(n) == strings.TrimSpace(x) {
			return n, nil
		}
	}
	return 0, &InvalidError{Key: key, Value: raw, Allowed: "a whole number"}
}

func boolValue(v *viper.Viper, key string) (bool, error) {
	raw := v.Get(key)
	switch x := raw.(type) {
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "1", "yes":
			return true, nil
		case "false", "0", "no", "":
			return false, nil
		}
	}
	return false, &InvalidError{Key: key, Value: raw, Allowed: "true or false"}
}
