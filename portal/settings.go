package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"resepsjon/loopback"
)

// SettingsKey is the settings entry that holds the practice's portal
// settings as JSON.
const SettingsKey = "portal.settings"

// Settings are the practice's portal settings (Pasientportal → Innstillinger).
type Settings struct {
	// Offered are the rights the practice offers at all; a user can only
	// be given these.
	Offered Rights `json:"offeredRights"`
	// ActivationHours is how long an activation link works (default 72).
	ActivationHours int `json:"activationHours"`
	// ResetMinutes is how long a password-reset link works (default 60).
	ResetMinutes int `json:"resetMinutes"`
	// PublicURL is the portal's address as patients reach it (behind the
	// practice's HTTPS proxy), used in links; empty: the patient
	// listener's own address.
	PublicURL string `json:"publicUrl"`
	// PracticeName appears in every mail and on the patient's pages.
	PracticeName string `json:"practiceName"`
	// SenderName and SenderAddress are the mail's From.
	SenderName    string `json:"senderName"`
	SenderAddress string `json:"senderAddress"`
	// Approval is how people's own requests for access are handled:
	// ApprovalManual («Behandle manuelt», the default) or
	// ApprovalAutomatic («Godkjenn automatisk»: verified requests are
	// approved at once; possible only with an identity provider).
	Approval string `json:"approval"`
	// OnlyExistingClients limits automatic approval to people who are
	// already clients («bare eksisterende klienter»).
	OnlyExistingClients bool `json:"onlyExistingClients"`
}

// DefaultSettings are used until the practice saves its own.
func DefaultSettings() Settings {
	return Settings{Offered: Rights{Consultation: true, Booking: true, Renewal: true}, ActivationHours: 72, ResetMinutes: 60,
		Approval: ApprovalManual}
}

// ActivationTTL and ResetTTL are the link lifetimes.
func (s Settings) ActivationTTL() time.Duration { return time.Duration(s.ActivationHours) * time.Hour }
func (s Settings) ResetTTL() time.Duration      { return time.Duration(s.ResetMinutes) * time.Minute }

// Settings field limits.
const (
	maxActivationHours = 30 * 24
	maxResetMinutes    = 24 * 60
	minResetMinutes    = 5
	maxSettingLen      = 200
)

// Validate checks the settings; field codes in a *ValidationError.
func (s Settings) Validate() error {
	f := map[string]string{}
	if s.ActivationHours < 1 || s.ActivationHours > maxActivationHours {
		f["activationHours"] = "portal.activation_hours"
	}
	if s.ResetMinutes < minResetMinutes || s.ResetMinutes > maxResetMinutes {
		f["resetMinutes"] = "portal.reset_minutes"
	}
	if s.PublicURL != "" && !validPublicURL(s.PublicURL) {
		f["publicUrl"] = "portal.public_url"
	}
	if len(s.PracticeName) > maxSettingLen || hasControl(s.PracticeName) {
		f["practiceName"] = "portal.text"
	}
	if len(s.SenderName) > maxSettingLen || hasControl(s.SenderName) {
		f["senderName"] = "portal.text"
	}
	if s.Approval != ApprovalManual && s.Approval != ApprovalAutomatic {
		f["approval"] = "invalid"
	}
	if s.SenderAddress != "" && !validEmail(s.SenderAddress) {
		f["senderAddress"] = "email"
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

// validPublicURL accepts https addresses, and http only on a loopback host
// (the demo, a proxy test on the same machine).
func validPublicURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
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

func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

// loadSettings reads the stored settings over the defaults.
func loadSettings(ctx context.Context, st SettingsStore) (Settings, error) {
	s := DefaultSettings()
	raw, ok, err := st.GetSetting(ctx, SettingsKey)
	if err != nil {
		return Settings{}, fmt.Errorf("read portal settings: %w", err)
	}
	if ok {
		if err := json.Unmarshal([]byte(raw), &s); err != nil {
			return Settings{}, fmt.Errorf("read portal settings: %w", err)
		}
	}
	if s.Approval == "" {
		s.Approval = ApprovalManual
	}
	return s, nil
}
