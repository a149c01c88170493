package activation

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"resepsjon/nin"
	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/register"
)

// Change is an edit of the settings: nil parts are left as they are.
type Change struct {
	Practice *PracticeChange
	HelseID  *HelseIDChange
	// InformationParts replaces the parts fetched when not nil.
	InformationParts []persontjeneste.InformationPart
}

// PracticeChange replaces the practice's organisation numbers and name.
type PracticeChange struct {
	OrgNumber, SubOrgNumber, Name string
}

// HelseIDChange sets the HelseID fields that are not nil.
type HelseIDChange struct {
	Environment, ClientID, Tenancy *string
}

// Update checks and stores a change of the settings. Wrong fields give a
// *register.ValidationError (keys practice.orgNumber, helseid.clientId,
// informationParts, ...) and nothing is stored. Changing what the checks
// depend on leaves both unchecked.
func (s *Service) Update(ctx context.Context, ch Change) (State, error) {
	st, err := s.Load(ctx)
	if err != nil {
		return st, err
	}
	next := st.Settings
	fields := map[string]string{}
	if p := ch.Practice; p != nil {
		next.Name = strings.TrimSpace(p.Name)
		next.OrgNumber = ""
		if raw := strings.TrimSpace(p.OrgNumber); raw != "" {
			org, err := nin.ParseOrgNumber(raw)
			if err != nil {
				fields["practice.orgNumber"] = nin.Code(err)
			}
			next.OrgNumber = org
		}
		next.SubOrgNumber = ""
		if raw := strings.TrimSpace(p.SubOrgNumber); raw != "" {
			org, err := nin.ParseOrgNumber(raw)
			if err != nil {
				fields["practice.subOrgNumber"] = nin.Code(err)
			}
			next.SubOrgNumber = org
		}
		if len([]rune(next.Name)) > 200 {
			fields["practice.name"] = register.CodeTooLong
		}
	}
	if h := ch.HelseID; h != nil {
		if h.Environment != nil {
			next.Environment = strings.TrimSpace(*h.Environment)
			if _, ok := s.environment(next.Environment); !ok {
				fields["helseid.environment"] = register.CodeInvalid
			}
		}
		if h.ClientID != nil {
			next.ClientID = strings.TrimSpace(*h.ClientID)
			if len(next.ClientID) > 200 || strings.ContainsFunc(next.ClientID, func(r rune) bool { return r < 0x20 }) {
				fields["helseid.clientId"] = register.CodeInvalid
			}
		}
		if h.Tenancy != nil {
			next.Tenancy = strings.TrimSpace(*h.Tenancy)
			if next.Tenancy != helseid.TenancySingle && next.Tenancy != helseid.TenancyMulti {
				fields["helseid.tenancy"] = register.CodeInvalid
			}
		}
	}
	if ch.InformationParts != nil {
		var parts []persontjeneste.InformationPart
		for _, part := range ch.InformationParts {
			if !persontjeneste.UsedInformationPart(part) {
				fields["informationParts"] = register.CodeInvalid
			}
		}
		if len(ch.InformationParts) == 0 {
			fields["informationParts"] = register.CodeRequired
		}
		// Name and identity number are always fetched, whatever was sent.
		wanted := append(slices.Clone(ch.InformationParts), persontjeneste.AlwaysFetchedParts()...)
		for _, part := range persontjeneste.AllInformationParts() {
			if slices.Contains(wanted, part) {
				parts = append(parts, part)
			}
		}
		next.InformationParts = parts
	}
	if len(fields) > 0 {
		return st, &register.ValidationError{Fields: fields}
	}
	if err := s.store(ctx, next); err != nil {
		return st, err
	}
	return s.Load(ctx)
}

// store writes the settings as they are.
func (s *Service) store(ctx context.Context, next Settings) error {
	raw, err := json.Marshal(next)
	if err != nil {
		return err
	}
	return s.settings.PutSetting(ctx, settingPersontjenesten, string(raw))
}

// Configure replaces the whole set-up with settings, checked like Update,
// and makes k the active key. The demo sets its practice up with it.
func (s *Service) Configure(ctx context.Context, settings Settings, k *helseid.Key) error {
	env, tenancy, client := settings.Environment, settings.Tenancy, settings.ClientID
	if _, err := s.Update(ctx, Change{
		Practice:         &PracticeChange{OrgNumber: settings.OrgNumber, SubOrgNumber: settings.SubOrgNumber, Name: settings.Name},
		HelseID:          &HelseIDChange{Environment: &env, ClientID: &client, Tenancy: &tenancy},
		InformationParts: settings.InformationParts,
	}); err != nil {
		return err
	}
	_, err := s.InstallKey(ctx, k, true)
	return err
}
