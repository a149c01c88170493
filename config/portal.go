package config

import (
	"net"
	"strings"

	"resepsjon/loopback"

	"github.com/spf13/viper"
)

// Portal is the patient portal's own listener. It is off by default; when
// on, it listens on loopback unless allow_remote is set, and a practice
// publishes it through an HTTPS reverse proxy (README "Pasientportalen").
type Portal struct {
	Enabled     bool
	Listen      string
	Port        int
	AllowRemote bool
}

// Mail is the SMTP server the outbox delivers through. The password is in
// the OS keyring (resepsjon mail-password), never here.
type Mail struct {
	Host     string
	Port     int
	Security string // starttls, tls or none
	User     string
}

// Default ports of the patient listener: the real app's and the demo's.
const (
	DefaultPortalPort     = 8730
	DefaultDemoPortalPort = 8740
)

var portalKeys = []string{"portal.enabled", "portal.listen", "portal.port", "portal.allow_remote",
	"mail.host", "mail.port", "mail.security", "mail.user"}

func portalDefaults(v *viper.Viper) {
	v.SetDefault("portal.enabled", false)
	v.SetDefault("portal.listen", "127.0.0.1")
	v.SetDefault("portal.port", DefaultPortalPort)
	v.SetDefault("portal.allow_remote", false)
	v.SetDefault("mail.host", "")
	v.SetDefault("mail.port", 587)
	v.SetDefault("mail.security", "starttls")
	v.SetDefault("mail.user", "")
}

func portalFromEnv(v *viper.Viper, getenv func(string) string) {
	for _, key := range portalKeys {
		if val := getenv(envName(key)); val != "" {
			v.Set(key, val)
		}
	}
}

func loadPortal(v *viper.Viper) (Portal, Mail, error) {
	var p Portal
	var m Mail
	var err error
	if p.Enabled, err = boolValue(v, "portal.enabled"); err != nil {
		return p, m, err
	}
	if p.AllowRemote, err = boolValue(v, "portal.allow_remote"); err != nil {
		return p, m, err
	}
	if p.Port, err = intValue(v, "portal.port"); err != nil {
		return p, m, err
	}
	p.Listen = strings.TrimSpace(v.GetString("portal.listen"))
	if m.Port, err = intValue(v, "mail.port"); err != nil {
		return p, m, err
	}
	m.Host = strings.TrimSpace(v.GetString("mail.host"))
	m.Security = strings.ToLower(strings.TrimSpace(v.GetString("mail.security")))
	m.User = strings.TrimSpace(v.GetString("mail.user"))
	return p, m, nil
}

func (p Portal) validate() error {
	if p.Port < 0 || p.Port > 65535 {
		return &InvalidError{Key: "portal.port", Value: p.Port, Allowed: "a port number from 0 to 65535"}
	}
	if p.Listen != "localhost" && net.ParseIP(p.Listen) == nil {
		return &InvalidError{Key: "portal.listen", Value: p.Listen, Allowed: "an IP address such as 127.0.0.1, or localhost"}
	}
	if !loopback.IsHost(p.Listen) && !p.AllowRemote {
		return &InvalidError{Key: "portal.listen", Value: p.Listen, Allowed: "a loopback address; publish the portal through an HTTPS reverse proxy on this machine, or set portal.allow_remote: true"}
	}
	return nil
}

func (m Mail) validate() error {
	if m.Port < 1 || m.Port > 65535 {
		return &InvalidError{Key: "mail.port", Value: m.Port, Allowed: "a port number from 1 to 65535 (587 for STARTTLS, 465 for TLS)"}
	}
	switch m.Security {
	case "starttls", "tls", "none":
	default:
		return &InvalidError{Key: "mail.security", Value: m.Security, Allowed: "starttls, tls or none"}
	}
	if m.Security == "none" && m.Host != "" && !loopback.IsHost(m.Host) {
		return &InvalidError{Key: "mail.security", Value: m.Security, Allowed: "starttls or tls: mail to a server on another machine is always encrypted"}
	}
	return nil
}
