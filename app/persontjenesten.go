package app

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"resepsjon/activation"
	"resepsjon/messages"
	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/register"
)

// statusKeyTimeout bounds reading the key for the status page, which must
// not hang on a keyring that waits to be unlocked.
const statusKeyTimeout = 5 * time.Second

// --- status ---------------------------------------------------------------

// The response types of the Persontjenesten routes are exported so that
// the tests decode the answer into the handler's own type.

// StatusPractice is the practice the connection is set up for.
type StatusPractice struct {
	OrgNumber    string `json:"orgNumber"`
	SubOrgNumber string `json:"subOrgNumber"`
	Name         string `json:"name"`
}

// StatusHelseID is the HelseID client and its key.
type StatusHelseID struct {
	Environment string          `json:"environment"`
	ClientID    string          `json:"clientId"`
	Tenancy     string          `json:"tenancy"`
	KeyID       string          `json:"keyId"`
	Alg         string          `json:"alg"`
	PublicJWK   json.RawMessage `json:"publicJwk"`
	KeyError    string          `json:"keyError,omitempty"`
}

// StatusEnvironment is an NHN environment the practice can choose.
type StatusEnvironment struct {
	ID            string `json:"id"`
	Authority     string `json:"authority"`
	TokenEndpoint string `json:"tokenEndpoint,omitempty"`
	APIBaseURL    string `json:"apiBaseUrl"`
}

// StatusCheck is one activation check (delegation, access) as last run.
type StatusCheck struct {
	State       string        `json:"state"`
	CheckedAt   *time.Time    `json:"checkedAt"`
	Code        string        `json:"code"`
	Message     string        `json:"message"`
	Help        string        `json:"help"`
	Link        string        `json:"link"`
	LastAttempt *CheckAttempt `json:"lastAttempt,omitempty"`
}

// CheckAttempt is a failed attempt at a check whose last confirmed state is
// still shown: when, why, and what to do.
type CheckAttempt struct {
	At      time.Time `json:"at"`
	Code    string    `json:"code"`
	Message string    `json:"message"`
	Help    string    `json:"help"`
}

// PersontjenestenStatus is GET /api/persontjenesten/status (and the answer
// of the settings and check routes).
type PersontjenestenStatus struct {
	Activated        bool                             `json:"activated"`
	Demo             bool                             `json:"demo"`
	Practice         StatusPractice                   `json:"practice"`
	HelseID          StatusHelseID                    `json:"helseid"`
	Environments     []StatusEnvironment              `json:"environments"`
	Delegation       StatusCheck                      `json:"delegation"`
	Access           StatusCheck                      `json:"access"`
	InformationParts []persontjeneste.InformationPart `json:"informationParts"`
	AvailableParts   []persontjeneste.InformationPart `json:"availableParts"`
	DefaultParts     []persontjeneste.InformationPart `json:"defaultParts"`
	// DemoOrganisations lists the demo's organisation numbers and what each
	// is for (demo only), so testers can try the failure paths.
	DemoOrganisations []DemoOrganisation `json:"demoOrganisations,omitempty"`
}

// DemoOrganisation is an organisation number the demo's NHN mock knows.
type DemoOrganisation struct {
	OrgNumber string `json:"orgNumber"`
	Purpose   string `json:"purpose"` // ok, no_delegation, no_agreement
}

func (s *Server) status(ctx context.Context, cur activation.State, lang string) PersontjenestenStatus {
	out := PersontjenestenStatus{
		Activated: cur.Activated(),
		Demo:      s.cfg.Demo,
		Practice:  StatusPractice{OrgNumber: cur.Settings.OrgNumber, SubOrgNumber: cur.Settings.SubOrgNumber, Name: cur.Settings.Name},
		HelseID: StatusHelseID{Environment: cur.Settings.Environment, ClientID: cur.Settings.ClientID,
			Tenancy: cur.Settings.Tenancy, KeyID: cur.KeyID, PublicJWK: json.RawMessage("null")},
		Environments:      []StatusEnvironment{},
		Delegation:        checkView(cur.Checks.Delegation, "delegation", lang, cur.Settings.Environment),
		Access:            checkView(cur.Checks.Access, "access", lang, cur.Settings.Environment),
		InformationParts:  slices.Clone(cur.Settings.InformationParts),
		AvailableParts:    persontjeneste.DefaultInformationParts(),
		DefaultParts:      persontjeneste.DefaultInformationParts(),
		DemoOrganisations: s.cfg.DemoOrganisations,
	}
	for _, e := range s.conn.Environments() {
		out.Environments = append(out.Environments, StatusEnvironment{ID: e.ID, Authority: e.Authority,
			TokenEndpoint: e.TokenEndpoint, APIBaseURL: e.APIBaseURL})
	}
	if cur.KeyID != "" {
		// The status page must not hang on a keyring that waits to be unlocked.
		k, err := s.conn.ActiveKey(ctx, statusKeyTimeout)
		switch {
		case err == nil:
			out.HelseID.Alg = k.Alg()
			if jwk, err := k.PublicJWK(); err == nil {
				out.HelseID.PublicJWK = jwk
			}
		case errors.Is(err, helseid.ErrNoKeyring):
			out.HelseID.KeyError = "keyring_unavailable"
		default:
			out.HelseID.KeyError = "key_missing"
		}
	}
	return out
}

func checkView(r activation.CheckResult, which, lang, env string) StatusCheck {
	v := StatusCheck{State: r.State, CheckedAt: r.CheckedAt, Code: r.Code}
	code := r.Code
	if r.State == activation.StateUnchecked && code == "" {
		code = which + "_unchecked"
	}
	if r.State == activation.StateOK {
		code = which + "_ok"
	}
	if messages.Has("check." + code) {
		v.Message, v.Help, v.Link = checkText(code, lang)
		if v.Link == linkSelvbetjening && env == "test" {
			v.Link = linkSelvbetjeningTest
		}
	}
	if a := r.LastAttempt; a != nil && r.State == activation.StateOK {
		v.LastAttempt = &CheckAttempt{At: a.At, Code: a.Code}
		if messages.Has("check." + a.Code) {
			v.LastAttempt.Message, v.LastAttempt.Help, _ = checkText(a.Code, lang)
		}
	}
	return v
}

// checkText is what a check's result says in lang: what happened, what to
// do, and where.
func checkText(code, lang string) (message, help, link string) {
	message = messages.Get("check."+code, "error.internal", lang)
	if messages.Has("check." + code + ".help") {
		help = messages.Get("check."+code+".help", "error.internal", lang)
	}
	return message, help, checkLinks[code]
}

func (s *Server) getPersontjenestenStatus(c echo.Context) error {
	ctx := c.Request().Context()
	cur, err := s.conn.Load(ctx)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.status(ctx, cur, s.lang(c)))
}

func (s *Server) lang(c echo.Context) string { return language(c.Request(), s.cfg.Language) }

// --- settings -------------------------------------------------------------

type settingsBody struct {
	Practice *StatusPractice `json:"practice"`
	HelseID  *struct {
		Environment *string `json:"environment"`
		ClientID    *string `json:"clientId"`
		Tenancy     *string `json:"tenancy"`
	} `json:"helseid"`
	InformationParts []persontjeneste.InformationPart `json:"informationParts"`
}

func (s *Server) putPersontjenestenSettings(c echo.Context) error {
	ctx := c.Request().Context()
	var in settingsBody
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ch := activation.Change{InformationParts: in.InformationParts}
	if p := in.Practice; p != nil {
		ch.Practice = &activation.PracticeChange{OrgNumber: p.OrgNumber, SubOrgNumber: p.SubOrgNumber, Name: p.Name}
	}
	if h := in.HelseID; h != nil {
		ch.HelseID = &activation.HelseIDChange{Environment: h.Environment, ClientID: h.ClientID, Tenancy: h.Tenancy}
	}
	cur, err := s.conn.Update(ctx, ch)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.status(ctx, cur, s.lang(c)))
}

// --- key ------------------------------------------------------------------

// HelseIDKey is the answer of POST /api/persontjenesten/key: the active
// key's id, algorithm and public JWK (to register in HelseID selvbetjening).
type HelseIDKey struct {
	KeyID     string          `json:"keyId"`
	Alg       string          `json:"alg"`
	PublicJWK json.RawMessage `json:"publicJwk"`
}

type keyBody struct {
	Generate *struct {
		Alg string `json:"alg"`
	} `json:"generate"`
	Import *struct {
		Key string `json:"key"`
		Alg string `json:"alg"`
	} `json:"import"`
}

// defaultKeyAlg is the key type the activation screen makes when none is
// chosen; the screen recommends it.
const defaultKeyAlg = helseid.AlgES256

func (s *Server) postPersontjenestenKey(c echo.Context) error {
	ctx := c.Request().Context()
	var in keyBody
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	var (
		k   *helseid.Key
		err error
	)
	switch {
	case in.Generate != nil && in.Import == nil:
		alg := in.Generate.Alg
		if alg == "" {
			alg = defaultKeyAlg
		}
		k, err = activation.NewKey(alg, "generate.alg")
	case in.Import != nil && in.Generate == nil:
		k, err = activation.ParseKey([]byte(in.Import.Key), in.Import.Alg, "import.key")
	default:
		err = &register.ValidationError{Fields: map[string]string{"generate": register.CodeRequired}}
	}
	if err != nil {
		return err
	}
	// The activation screen always replaces the key in use.
	if _, err := s.conn.InstallKey(ctx, k, true); err != nil {
		return err
	}
	jwk, err := k.PublicJWK()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, HelseIDKey{KeyID: k.KID(), Alg: k.Alg(), PublicJWK: json.RawMessage(jwk)})
}

// --- activation -----------------------------------------------------------

func (s *Server) postActivate(c echo.Context) error {
	return s.runChecks(c, register.ActionActivate)
}
func (s *Server) postRefresh(c echo.Context) error { return s.runChecks(c, register.ActionRefresh) }

// runChecks runs the checks and answers the status.
func (s *Server) runChecks(c echo.Context, action string) error {
	ctx := c.Request().Context()
	cur, err := s.conn.Check(ctx, action)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.status(ctx, cur, s.lang(c)))
}

func (s *Server) postDeactivate(c echo.Context) error {
	ctx := c.Request().Context()
	cur, err := s.conn.Deactivate(ctx)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.status(ctx, cur, s.lang(c)))
}
