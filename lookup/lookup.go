// Package lookup is finding people in Persontjenesten and bringing them into
// the register: search (by identity number or name), lookup of one person
// into a client draft for "Legg til klient", and "Oppdater via
// Persontjenesten" for a stored client, with the merge rules that decide
// what a fetch may change. Every lookup writes its audit row, whatever the
// outcome. It knows neither HTTP nor SQL.
package lookup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"resepsjon/activation"
	"resepsjon/nin"
	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/register"
)

// Config wires a Service; Connection, Clients and Audit are required.
type Config struct {
	Connection *activation.Service
	Clients    register.ClientStore
	Audit      register.AuditLog
	Now        register.Clock
	OSUser     string // written to the audit log
	Logger     *slog.Logger
}

// Service runs lookups for the practice.
type Service struct {
	conn    *activation.Service
	clients register.ClientStore
	audit   register.AuditLog
	now     register.Clock
	osUser  string
	log     *slog.Logger
	fetches fetchMemory
}

// New builds the Service; a missing dependency is an error.
func New(cfg Config) (*Service, error) {
	if cfg.Connection == nil || cfg.Clients == nil || cfg.Audit == nil {
		return nil, errors.New("lookup: Connection, Clients and Audit are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{conn: cfg.Connection, clients: cfg.Clients, audit: cfg.Audit, now: cfg.Now, osUser: cfg.OSUser, log: cfg.Logger}, nil
}

// Request is a search: an identity number, or name fields with something
// that narrows the search.
type Request struct {
	NIN                string
	GivenName          string
	MiddleName         string
	FamilyName         string
	FullName           string
	BirthDate          string
	PostalCode         string
	MunicipalityNumber string
	StreetAddress      string
	CityName           string
	Gender             string
}

func (r Request) query() persontjeneste.SearchQuery {
	return persontjeneste.SearchQuery{GivenName: r.GivenName, MiddleName: r.MiddleName, FamilyName: r.FamilyName,
		FullName: r.FullName, BirthDate: r.BirthDate, PostalCode: r.PostalCode, MunicipalityNumber: r.MunicipalityNumber,
		StreetAddress: r.StreetAddress, CityName: r.CityName, Gender: r.Gender}
}

// text is the audit log's record of what was asked, in full.
func (r Request) text() string {
	var parts []string
	for _, f := range []struct{ k, v string }{
		{"nin", r.NIN}, {"givenName", r.GivenName}, {"middleName", r.MiddleName}, {"familyName", r.FamilyName},
		{"fullName", r.FullName}, {"birthDate", r.BirthDate}, {"postalCode", r.PostalCode},
		{"municipalityNumber", r.MunicipalityNumber}, {"streetAddress", r.StreetAddress}, {"cityName", r.CityName},
		{"gender", r.Gender},
	} {
		if v := strings.TrimSpace(f.v); v != "" {
			parts = append(parts, f.k+"="+v)
		}
	}
	return strings.Join(parts, " ")
}

// Match is one search result.
type Match struct {
	PersonID         string   `json:"personId"`
	NIN              string   `json:"nin"`
	NINType          string   `json:"ninType"`
	GivenName        string   `json:"givenName"`
	MiddleName       string   `json:"middleName"`
	FamilyName       string   `json:"familyName"`
	BirthDate        string   `json:"birthDate"`
	City             string   `json:"city"`
	PostalCode       string   `json:"postalCode"`
	Badges           []string `json:"badges"`
	ExistingClientID *int64   `json:"existingClientId"`
}

// Draft is a person fetched for "Legg til klient": the client to fill the
// form with (not saved), the client already registered with the person's
// number, if any, and the person's badges.
type Draft struct {
	Client           register.Client
	ExistingClientID *int64
	Badges           []string
}

// Refreshed is what "Oppdater via Persontjenesten" proposes for a stored
// client: the client with the register's changes applied (not saved), the
// changes, and the phone and e-mail changed in Resepsjon since the last
// fetch, whose register value is not proposed (Old the practice's, New the
// register's); neither is nil.
type Refreshed struct {
	Client  register.Client
	Changes []Change
	Kept    []Change
}

// parseNIN checks an identity number typed into field.
func parseNIN(field, raw string) (string, error) {
	n, err := nin.Parse(raw)
	if err != nil {
		return "", &register.ValidationError{Fields: map[string]string{field: nin.Code(err)}}
	}
	return n.Digits, nil
}

// Search finds persons by identity number (exact) or by name. Broken
// search rules are a *register.ValidationError before any call.
func (s *Service) Search(ctx context.Context, r Request) ([]Match, error) {
	entry := s.Entry(register.ActionSearch, r.text())
	var q persontjeneste.SearchQuery
	byNIN := strings.TrimSpace(r.NIN) != ""
	if byNIN {
		n, err := parseNIN("nin", r.NIN)
		if err != nil {
			return nil, err
		}
		r.NIN = n
		entry.Query = r.text()
	} else {
		q = r.query()
		if err := persontjeneste.ValidateSearch(q); err != nil {
			return nil, searchRuleError(err)
		}
	}
	var results []Match
	err := s.audited(ctx, &entry, func(ctx context.Context, api *persontjeneste.Client, parts []persontjeneste.InformationPart) error {
		var persons []persontjeneste.Person
		if byNIN {
			p, err := api.GetByNIN(ctx, r.NIN, parts, false)
			switch {
			case errors.Is(err, persontjeneste.ErrNotFound):
			case err != nil:
				return err
			default:
				persons = append(persons, p)
			}
		} else {
			var err error
			if persons, err = api.Search(ctx, q, parts); err != nil {
				return err
			}
		}
		now := s.now().UTC()
		results = make([]Match, 0, len(persons))
		for _, p := range persons {
			d := persontjeneste.ToClient(p, now)
			m := Match{PersonID: p.ID, NIN: d.NIN, NINType: d.NINType, GivenName: d.GivenName, MiddleName: d.MiddleName,
				FamilyName: d.FamilyName, BirthDate: d.BirthDate, City: d.City, PostalCode: d.PostalCode,
				Badges: persontjeneste.Badges(p)}
			if slices.Contains(m.Badges, persontjeneste.BadgeAddressProtected) {
				// A protected address is never shown in a list (Confidential:
				// hidden in lists; StrictlyConfidential: never shown at all).
				m.City, m.PostalCode = "", ""
			}
			m.ExistingClientID = s.existingClient(ctx, d.NIN)
			results = append(results, m)
			entry.PersonIDs = append(entry.PersonIDs, p.ID)
		}
		entry.Results = len(results)
		return nil
	})
	return results, err
}

// existingClient is the id of the client with this identity number, if any.
func (s *Service) existingClient(ctx context.Context, number string) *int64 {
	if number == "" {
		return nil
	}
	cl, err := s.clients.ClientByNIN(ctx, number)
	if err != nil {
		return nil
	}
	return &cl.ID
}

// Lookup fetches one person, by person id (from a search) or identity
// number, into a client draft.
func (s *Service) Lookup(ctx context.Context, personID, number string) (Draft, error) {
	personID = strings.TrimSpace(personID)
	var query string
	switch {
	case personID != "":
		if len(personID) > 64 {
			return Draft{}, &register.ValidationError{Fields: map[string]string{"personId": register.CodeTooLong}}
		}
		query = "personId=" + personID
	case strings.TrimSpace(number) != "":
		n, err := parseNIN("nin", number)
		if err != nil {
			return Draft{}, err
		}
		number = n
		query = "nin=" + n
	default:
		return Draft{}, &register.ValidationError{Fields: map[string]string{"nin": register.CodeRequired}}
	}
	entry := s.Entry(register.ActionLookup, query)
	var out Draft
	err := s.audited(ctx, &entry, func(ctx context.Context, api *persontjeneste.Client, parts []persontjeneste.InformationPart) error {
		var p persontjeneste.Person
		var err error
		if personID != "" {
			p, err = api.GetByID(ctx, personID, parts, false)
		} else {
			p, err = api.GetByNIN(ctx, number, parts, false)
		}
		if err != nil {
			return err
		}
		entry.Results, entry.PersonIDs = 1, []string{p.ID}
		out.Client = NewDraft(p, parts, s.now().UTC())
		s.fetches.remember(out.Client, s.now())
		out.Badges = persontjeneste.Badges(p)
		out.ExistingClientID = s.existingClient(ctx, out.Client.NIN)
		if out.ExistingClientID == nil && number != "" && number != out.Client.NIN {
			out.ExistingClientID = s.existingClient(ctx, number)
		}
		return nil
	})
	return out, err
}

// Update fetches the stored client's person by its identity number and
// proposes the changes; nothing is saved. Historic numbers are accepted,
// so a former D-number finds the person, whose current number comes back.
func (s *Service) Update(ctx context.Context, clientID int64) (Refreshed, error) {
	old, err := s.clients.GetClient(ctx, clientID)
	if err != nil {
		return Refreshed{}, err
	}
	if old.NIN == "" {
		return Refreshed{}, &register.ValidationError{Fields: map[string]string{"nin": register.CodeRequired}}
	}
	entry := s.Entry(register.ActionUpdate, "clientId="+strconv.FormatInt(clientID, 10)+" nin="+old.NIN)
	var out Refreshed
	err = s.audited(ctx, &entry, func(ctx context.Context, api *persontjeneste.Client, parts []persontjeneste.InformationPart) error {
		p, err := api.GetByNIN(ctx, old.NIN, parts, false)
		if err != nil {
			return err
		}
		entry.Results, entry.PersonIDs = 1, []string{p.ID}
		out.Client, out.Changes = Refresh(old, p, parts, s.now().UTC())
		out.Changes, out.Kept = KeepPracticeContact(old, &out.Client, out.Changes)
		s.fetches.remember(out.Client, s.now())
		return nil
	})
	return out, err
}

// Entry starts an audit row for action.
func (s *Service) Entry(action, query string) register.AuditEntry {
	return register.AuditEntry{Time: s.now().UTC(), OSUser: s.osUser, Action: action, Query: query, PersonIDs: []string{}}
}

// audited runs one lookup against Persontjenesten under the configured
// timeout and ctx (a closed browser request stops it), and writes its audit
// row whatever the outcome. run fills entry's results.
func (s *Service) audited(ctx context.Context, entry *register.AuditEntry,
	run func(ctx context.Context, api *persontjeneste.Client, parts []persontjeneste.InformationPart) error) error {
	api, st, err := s.conn.Client(ctx)
	if err != nil {
		return s.RecordFailure(ctx, *entry, ConnectionCode(err), err)
	}
	opCtx, cancel := context.WithTimeout(ctx, s.conn.Timeout())
	defer cancel()
	if err := run(opCtx, api, st.Settings.InformationParts); err != nil {
		f := s.Failed(ctx, api, err)
		code := f.Code
		if ctx.Err() != nil {
			code = register.ErrorCancelled
		}
		return s.RecordFailure(ctx, *entry, code, f)
	}
	final := *entry
	final.Outcome = register.OutcomeOK
	return s.Record(ctx, final)
}

// RecordFailure writes entry as failed with code and returns err (or the
// audit error).
func (s *Service) RecordFailure(ctx context.Context, entry register.AuditEntry, code string, err error) error {
	entry.Outcome, entry.ErrorCode = register.OutcomeError, code
	if aerr := s.Record(ctx, entry); aerr != nil {
		return aerr
	}
	return err
}

// Record writes an audit row even when ctx is cancelled.
func (s *Service) Record(ctx context.Context, e register.AuditEntry) error {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := s.audit.RecordAudit(wctx, e); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// ConnectionCode is the audit code of an action that could not start
// because the practice has no Persontjenesten client.
func ConnectionCode(err error) string {
	switch {
	case errors.Is(err, activation.ErrNotActivated):
		return CodeNotActivated
	case errors.Is(err, helseid.ErrNoKeyring):
		return CodeKeyringUnavailable
	}
	return CodeInternal
}

// searchRuleError turns a broken search rule into field errors; the codes
// are "search.<rule>".
func searchRuleError(err error) error {
	var rule *persontjeneste.SearchRuleError
	if !errors.As(err, &rule) {
		return err
	}
	field := rule.Field
	if field == "" {
		field = "narrowing"
	}
	return &register.ValidationError{Fields: map[string]string{field: "search." + rule.Rule}}
}
