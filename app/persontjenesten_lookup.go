package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"resepsjon/activation"
	"resepsjon/nin"
	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/register"
)

// searchBody is POST /api/persontjenesten/search: an identity number, or
// name fields with something that narrows the search.
type searchBody struct {
	NIN                string `json:"nin"`
	GivenName          string `json:"givenName"`
	MiddleName         string `json:"middleName"`
	FamilyName         string `json:"familyName"`
	FullName           string `json:"fullName"`
	BirthDate          string `json:"birthDate"`
	PostalCode         string `json:"postalCode"`
	MunicipalityNumber string `json:"municipalityNumber"`
	StreetAddress      string `json:"streetAddress"`
	CityName           string `json:"cityName"`
	Gender             string `json:"gender"`
}

func (b searchBody) query() persontjeneste.SearchQuery {
	return persontjeneste.SearchQuery{GivenName: b.GivenName, MiddleName: b.MiddleName, FamilyName: b.FamilyName,
		FullName: b.FullName, BirthDate: b.BirthDate, PostalCode: b.PostalCode, MunicipalityNumber: b.MunicipalityNumber,
		StreetAddress: b.StreetAddress, CityName: b.CityName, Gender: b.Gender}
}

// text is the audit log's record of what was asked, in full.
func (b searchBody) text() string {
	var parts []string
	for _, f := range []struct{ k, v string }{
		{"nin", b.NIN}, {"givenName", b.GivenName}, {"middleName", b.MiddleName}, {"familyName", b.FamilyName},
		{"fullName", b.FullName}, {"birthDate", b.BirthDate}, {"postalCode", b.PostalCode},
		{"municipalityNumber", b.MunicipalityNumber}, {"streetAddress", b.StreetAddress}, {"cityName", b.CityName},
		{"gender", b.Gender},
	} {
		if v := strings.TrimSpace(f.v); v != "" {
			parts = append(parts, f.k+"="+v)
		}
	}
	return strings.Join(parts, " ")
}

// match is one search result.
type match struct {
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

// parseNIN checks an identity number typed into field.
func parseNIN(field, raw string) (string, error) {
	n, err := nin.Parse(raw)
	if err != nil {
		return "", &register.ValidationError{Fields: map[string]string{field: nin.Code(err)}}
	}
	return n.Digits, nil
}

func (s *Server) postPersontjenestenSearch(c echo.Context) error {
	var in searchBody
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	entry := s.auditEntry(register.ActionSearch, in.text())
	var q persontjeneste.SearchQuery
	byNIN := strings.TrimSpace(in.NIN) != ""
	if byNIN {
		n, err := parseNIN("nin", in.NIN)
		if err != nil {
			return err
		}
		in.NIN = n
		entry.Query = in.text()
	} else {
		q = in.query()
		if err := persontjeneste.ValidateSearch(q); err != nil {
			return searchRuleError(err)
		}
	}
	return s.lookupAudited(c, &entry, func(ctx context.Context, api *persontjeneste.Client, parts []string) (any, error) {
		var persons []persontjeneste.Person
		if byNIN {
			p, err := api.GetByNIN(ctx, in.NIN, parts, false)
			switch {
			case errors.Is(err, persontjeneste.ErrNotFound):
			case err != nil:
				return nil, err
			default:
				persons = append(persons, p)
			}
		} else {
			var err error
			if persons, err = api.Search(ctx, q, parts); err != nil {
				return nil, err
			}
		}
		now := s.now().UTC()
		results := make([]match, 0, len(persons))
		for _, p := range persons {
			d := persontjeneste.ToClient(p, now)
			m := match{PersonID: p.ID, NIN: d.NIN, NINType: d.NINType, GivenName: d.GivenName, MiddleName: d.MiddleName,
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
		return map[string]any{"results": results, "total": len(results)}, nil
	})
}

// existingClient is the id of the client with this identity number, if any.
func (s *Server) existingClient(ctx context.Context, number string) *int64 {
	if number == "" {
		return nil
	}
	cl, err := s.cfg.Clients.ClientByNIN(ctx, number)
	if err != nil {
		return nil
	}
	return &cl.ID
}

type lookupBody struct {
	PersonID string `json:"personId"`
	NIN      string `json:"nin"`
}

func (s *Server) postPersontjenestenLookup(c echo.Context) error {
	var in lookupBody
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	in.PersonID = strings.TrimSpace(in.PersonID)
	var query string
	switch {
	case in.PersonID != "":
		if len(in.PersonID) > 64 {
			return &register.ValidationError{Fields: map[string]string{"personId": register.CodeTooLong}}
		}
		query = "personId=" + in.PersonID
	case strings.TrimSpace(in.NIN) != "":
		n, err := parseNIN("nin", in.NIN)
		if err != nil {
			return err
		}
		in.NIN = n
		query = "nin=" + n
	default:
		return &register.ValidationError{Fields: map[string]string{"nin": register.CodeRequired}}
	}
	entry := s.auditEntry(register.ActionLookup, query)
	return s.lookupAudited(c, &entry, func(ctx context.Context, api *persontjeneste.Client, parts []string) (any, error) {
		var p persontjeneste.Person
		var err error
		if in.PersonID != "" {
			p, err = api.GetByID(ctx, in.PersonID, parts, false)
		} else {
			p, err = api.GetByNIN(ctx, in.NIN, parts, false)
		}
		if err != nil {
			return nil, err
		}
		entry.Results, entry.PersonIDs = 1, []string{p.ID}
		draft := persontjeneste.ToClient(p, s.now().UTC())
		keepParts(&draft, register.Client{}, parts)
		existing := s.existingClient(ctx, draft.NIN)
		if existing == nil && in.NIN != "" && in.NIN != draft.NIN {
			existing = s.existingClient(ctx, in.NIN)
		}
		return map[string]any{"draft": draft, "existingClientId": existing, "badges": persontjeneste.Badges(p)}, nil
	})
}

func (s *Server) postClientUpdateFromPersontjenesten(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	old, err := s.cfg.Clients.GetClient(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if old.NIN == "" {
		return &register.ValidationError{Fields: map[string]string{"nin": register.CodeRequired}}
	}
	entry := s.auditEntry(register.ActionUpdate, "clientId="+strconv.FormatInt(id, 10)+" nin="+old.NIN)
	return s.lookupAudited(c, &entry, func(ctx context.Context, api *persontjeneste.Client, parts []string) (any, error) {
		// Historic numbers are accepted, so a former D-number finds the
		// person, whose current number comes back.
		p, err := api.GetByNIN(ctx, old.NIN, parts, false)
		if err != nil {
			return nil, err
		}
		entry.Results, entry.PersonIDs = 1, []string{p.ID}
		draft, changes := refreshedClient(old, p, parts, s.now().UTC())
		return map[string]any{"draft": draft, "changes": changes}, nil
	})
}

// refreshedClient is what Persontjenesten's record p changes in the stored
// client old, fetched with parts: the client with the changes applied (and
// the provenance of p), and the changes (never nil). Fields the register
// does not own are kept (see keepParts and persontjeneste.Diff). Both
// "Oppdater via Persontjenesten" and "Oppdater alle" use it.
func refreshedClient(old register.Client, p persontjeneste.Person, parts []string, now time.Time) (register.Client, []persontjeneste.Change) {
	fresh := persontjeneste.ToClient(p, now)
	keepParts(&fresh, old, parts)
	changes := persontjeneste.Diff(old, fresh)
	if changes == nil {
		changes = []persontjeneste.Change{}
	}
	draft := old
	applyChanges(&draft, changes)
	draft.PersonID, draft.FetchedAt, draft.SequenceNumber = fresh.PersonID, fresh.FetchedAt, fresh.SequenceNumber
	return draft, changes
}

// keepParts puts back old values for the fields whose information part was
// not requested, so that leaving a part out never proposes erasing what
// the register holds. A strictly confidential address is the exception: it
// is always removed.
func keepParts(fresh *register.Client, old register.Client, parts []string) {
	has := func(p string) bool { return slices.Contains(parts, p) }
	if !has("Name") {
		fresh.GivenName, fresh.MiddleName, fresh.FamilyName = old.GivenName, old.MiddleName, old.FamilyName
	}
	if !has("NorwegianIdentificationNumber") {
		fresh.NIN, fresh.NINType = old.NIN, old.NINType
	}
	if !has("Birth") {
		fresh.BirthDate = old.BirthDate
	}
	if !has("Gender") {
		fresh.Gender = old.Gender
	}
	if !has("Status") {
		fresh.Status = old.Status
	}
	if !has("Death") {
		fresh.DeathDate = old.DeathDate
	}
	strict := fresh.AddressProtection == register.AddressProtectionStrictlyConfidential
	if !has("AddressProtection") && !strict {
		fresh.AddressProtection = old.AddressProtection
		if fresh.AddressProtection == "" {
			fresh.AddressProtection = register.AddressProtectionNone
		}
	}
	if !has("ResidentialAddress") && !strict {
		fresh.StreetAddress, fresh.PostalCode, fresh.City, fresh.MunicipalityNumber =
			old.StreetAddress, old.PostalCode, old.City, old.MunicipalityNumber
	}
	if !has("PostalAddress") && !has("PreferredContactAddress") && !strict {
		fresh.PostalAddress = old.PostalAddress
	}
	if !has("CommonContactRegisterInformation") {
		fresh.Phone, fresh.Email = "", ""
	}
	fresh.Notes = old.Notes
}

// applyChanges sets the changed fields on c.
func applyChanges(c *register.Client, changes []persontjeneste.Change) {
	for _, ch := range changes {
		switch ch.Field {
		case "givenName":
			c.GivenName = ch.New
		case "middleName":
			c.MiddleName = ch.New
		case "familyName":
			c.FamilyName = ch.New
		case "nin":
			c.NIN = ch.New
		case "ninType":
			c.NINType = ch.New
		case "birthDate":
			c.BirthDate = ch.New
		case "gender":
			c.Gender = ch.New
		case "status":
			c.Status = ch.New
		case "deathDate":
			c.DeathDate = ch.New
		case "addressProtection":
			c.AddressProtection = ch.New
		case "streetAddress":
			c.StreetAddress = ch.New
		case "postalCode":
			c.PostalCode = ch.New
		case "city":
			c.City = ch.New
		case "municipalityNumber":
			c.MunicipalityNumber = ch.New
		case "postalAddress":
			c.PostalAddress = ch.New
		case "phone":
			c.Phone = ch.New
		case "email":
			c.Email = ch.New
		}
	}
}

// lookupAudited runs one lookup against Persontjenesten under the configured
// timeout and the request's context (a closed browser request stops it), and
// writes its audit row whatever the outcome.
func (s *Server) lookupAudited(c echo.Context, entry *register.AuditEntry,
	run func(ctx context.Context, api *persontjeneste.Client, parts []string) (any, error)) error {
	ctx := c.Request().Context()
	api, cur, err := s.conn.Client(ctx)
	if err != nil {
		return s.auditNoClient(ctx, *entry, err)
	}
	opCtx, cancel := context.WithTimeout(ctx, s.conn.Timeout())
	defer cancel()
	out, err := run(opCtx, api, cur.Settings.InformationParts)
	final := *entry
	if err != nil {
		apiErr := s.callError(ctx, api, err)
		final.Outcome, final.ErrorCode = register.OutcomeError, apiErr.Code
		if ctx.Err() != nil {
			final.ErrorCode = "cancelled"
		}
		if aerr := s.recordAudit(ctx, final); aerr != nil {
			return aerr
		}
		return apiErr
	}
	final.Outcome = register.OutcomeOK
	if err := s.recordAudit(ctx, final); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// auditNoClient writes the audit row of an action that could not start
// because there is no Persontjenesten client (err, from the connection), and
// returns err.
func (s *Server) auditNoClient(ctx context.Context, entry register.AuditEntry, err error) error {
	entry.Outcome, entry.ErrorCode = register.OutcomeError, "internal"
	switch {
	case errors.Is(err, activation.ErrNotActivated):
		entry.ErrorCode = "not_activated"
	case errors.Is(err, helseid.ErrNoKeyring):
		entry.ErrorCode = "keyring_unavailable"
	}
	if aerr := s.recordAudit(ctx, entry); aerr != nil {
		return aerr
	}
	return err
}

// callError maps a failed call through api to the API's answer. After
// HelseID failed, the token client holds back new token requests for a
// moment; dropping it lets "try again" work as soon as HelseID is back.
func (s *Server) callError(ctx context.Context, api *persontjeneste.Client, err error) *APIError {
	if helseid.IsUnavailable(err) {
		s.conn.Drop(api)
	}
	return s.nhnError(ctx, err)
}

// nhnError maps an error from HelseID or Persontjenesten to the API's answer.
func (s *Server) nhnError(ctx context.Context, err error) *APIError {
	var rl *persontjeneste.RateLimitedError
	var iq *persontjeneste.InvalidQueryError
	var rule *persontjeneste.SearchRuleError
	switch {
	case errors.As(err, &rule):
		var apiErr *APIError
		errors.As(searchRuleError(err), &apiErr)
		return apiErr
	case errors.Is(err, persontjeneste.ErrNotFound):
		return newError(http.StatusNotFound, "person_not_found")
	case errors.As(err, &rl):
		return newError(http.StatusServiceUnavailable, "nhn_rate_limited")
	case errors.Is(err, persontjeneste.ErrNoAccess), errors.Is(err, persontjeneste.ErrUnauthorized):
		s.log.Warn("Persontjenesten refused access", "err", err)
		return newError(http.StatusForbidden, "nhn_no_access")
	case errors.As(err, &iq):
		e := newError(http.StatusBadRequest, "invalid_input")
		if iq.Detail != "" {
			e.Fields = map[string]string{"query": iq.Detail}
		}
		return e
	case errors.Is(err, persontjeneste.ErrUnavailable), helseid.IsUnavailable(err),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		if ctx.Err() == nil {
			s.log.Warn("Persontjenesten unavailable", "err", err)
		}
		return nhnUnavailable(err)
	}
	s.log.Error("Persontjenesten lookup failed", "err", err)
	return nhnUnavailable(err)
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

// auditEntry starts an audit row for action.
func (s *Server) auditEntry(action, query string) register.AuditEntry {
	return register.AuditEntry{Time: s.now().UTC(), OSUser: s.cfg.OSUser, Action: action, Query: query, PersonIDs: []string{}}
}

// recordAudit writes an audit row even when the request was cancelled.
func (s *Server) recordAudit(ctx context.Context, e register.AuditEntry) error {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := s.cfg.Audit.RecordAudit(wctx, e); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}
