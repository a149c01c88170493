package app

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"resepsjon/activation"
	"resepsjon/lookup"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/register"
)

// APIError is the JSON error body: {"error": {...}}.
type APIError struct {
	Status         int               `json:"-"`
	Code           string            `json:"code"`
	Message        string            `json:"message"`
	Fields         map[string]string `json:"fields,omitempty"`
	FieldCodes     map[string]string `json:"fieldCodes,omitempty"`
	ExistingID     int64             `json:"existingId,omitempty"`
	CurrentVersion int64             `json:"currentVersion,omitempty"`
	// Service names the outside service that did not answer, for
	// nhn_unavailable: "helseid" or "persontjenesten".
	Service string `json:"service,omitempty"`
}

func (e *APIError) Error() string { return e.Code + ": " + e.Message }

// messages holds the user-facing text per error code, bokmål and English.
// Each says what happened and what to do next.
var messages = map[string][2]string{
	"unauthorized":     {"Økten er utløpt eller mangler. Lukk fanen og start Resepsjon på nytt.", "The session has ended or is missing. Close this tab and start Resepsjon again."},
	"forbidden_host":   {"Forespørselen kom til feil adresse og ble stoppet. Åpne Resepsjon fra snarveien på denne maskinen.", "The request came to an unexpected address and was stopped. Open Resepsjon from the shortcut on this computer."},
	"forbidden_origin": {"Forespørselen kom fra en annen nettside og ble stoppet. Åpne Resepsjon fra snarveien på denne maskinen.", "The request came from another web site and was stopped. Open Resepsjon from the shortcut on this computer."},
	"invalid_input":    {"Noen felt må rettes. Se meldingene ved feltene.", "Some fields need correcting. See the messages beside the fields."},
	"invalid_json":     {"Resepsjon kunne ikke lese det som ble sendt. Last inn siden på nytt og prøv igjen.", "Resepsjon could not read what was sent. Reload the page and try again."},
	"not_found":        {"Klienten finnes ikke. Den kan være slettet.", "The client does not exist. It may have been deleted."},
	"route_not_found":  {"Siden finnes ikke. Gå tilbake til klientlisten.", "The page does not exist. Go back to the client list."},
	"conflict":         {"Klienten er endret av noen andre siden du åpnet den. Last inn på nytt; det du har skrevet, blir tatt vare på.", "The client was changed elsewhere since you opened it. Reload; what you typed is kept."},
	"duplicate":        {"Det finnes allerede en klient med dette fødselsnummeret. Sjekk fødselsnummeret, eller åpne den klienten i stedet.", "A client with this identity number already exists. Check the number, or open that client instead."},
	"unsupported_media_type": {"Resepsjon tar bare imot JSON her. Last inn siden på nytt og prøv igjen; skript må sende Content-Type: application/json.",
		"Resepsjon accepts only JSON here. Reload the page and try again; scripts must send Content-Type: application/json."},
	"invalid_query": {"Adressen har en ødelagt parameter (for eksempel et %-tegn som ikke er kodet). Rett adressen, eller gå tilbake til klientlisten og søk på nytt.",
		"The address has a broken parameter (a % sign that is not encoded, for example). Correct the address, or go back to the client list and search again."},
	"disk_full": {"Disken der registeret ligger, er full, så ingenting ble lagret. Det du skrev, er ikke tapt: la siden stå åpen, frigjør plass på disken (tøm papirkurven, slett store filer du ikke trenger) og lagre på nytt.",
		"The disk holding the register is full, so nothing was saved. What you typed is not lost: leave this page open, free some space on the disk (empty the recycle bin, delete large files you do not need) and save again."},
	"read_only": {"Registerfilen kan ikke skrives til, så ingenting ble lagret. Det du skrev, er ikke tapt: la siden stå åpen, be den som har ansvar for PC-en gi deg skrivetilgang til datamappen til Resepsjon, og lagre på nytt.",
		"The register file cannot be written to, so nothing was saved. What you typed is not lost: leave this page open, ask whoever looks after the PC to give you write access to Resepsjon's data folder, and save again."},
	"register_moved": {"Registerfilen er flyttet eller slettet mens Resepsjon kjørte, så ingenting ble lagret. Lukk Resepsjon og start programmet på nytt; mangler registeret da, hent det tilbake fra sikkerhetskopien.",
		"The register file was moved or deleted while Resepsjon was running, so nothing was saved. Close Resepsjon and start it again; if the register is missing then, restore it from the backup."},
	"too_large": {"Det som ble sendt, er for stort. Kort ned teksten og prøv igjen.", "What was sent is too large. Shorten the text and try again."},
	"method_not_allowed": {"Resepsjon kan ikke gjøre denne typen forespørsel her. Last inn siden på nytt og prøv igjen.",
		"Resepsjon cannot do this kind of request here. Reload the page and try again."},
	"internal": {"Noe gikk galt i Resepsjon. Prøv igjen; hvis det gjentar seg, start programmet på nytt.", "Something went wrong in Resepsjon. Try again; if it happens again, restart the program."},
}

// language picks "en" or "nb" from Accept-Language, else the default.
func language(r *http.Request, def string) string {
	al := strings.ToLower(r.Header.Get("Accept-Language"))
	for _, part := range strings.Split(al, ",") {
		tag := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		switch {
		case strings.HasPrefix(tag, "en"):
			return "en"
		case strings.HasPrefix(tag, "nb"), strings.HasPrefix(tag, "no"), strings.HasPrefix(tag, "nn"):
			return "nb"
		}
	}
	return def
}

func message(code, lang string) string {
	m, ok := messages[code]
	if !ok {
		m, ok = persontjenestenMessages[code]
	}
	if !ok {
		m, ok = transferMessages[code]
	}
	if !ok {
		m = messages["internal"]
	}
	return inLang(m, lang)
}

func newError(status int, code string) *APIError {
	return &APIError{Status: status, Code: code}
}

// toAPIError turns any handler error into the API's error shape.
func (s *Server) toAPIError(err error, lang string) *APIError {
	var apiErr *APIError
	var verr *register.ValidationError
	var conflict *register.ConflictError
	var dup *register.DuplicateError
	var he *echo.HTTPError
	var failure *lookup.Failure
	if pe := portalError(err, lang); pe != nil {
		return pe
	}
	switch {
	case errors.As(err, &apiErr):
		out := *apiErr
		if out.Message == "" {
			code := out.Code
			if _, ok := persontjenestenMessages[code+"."+out.Service]; ok && out.Service != "" {
				code += "." + out.Service
			}
			out.Message = message(code, lang)
		}
		return &out
	case errors.As(err, &verr):
		out := &APIError{Status: http.StatusBadRequest, Code: "invalid_input", Message: message("invalid_input", lang),
			Fields: map[string]string{}, FieldCodes: map[string]string{}}
		for field, code := range verr.Fields {
			out.FieldCodes[field] = code
			if m, ok := fieldMessages[code]; ok {
				out.Fields[field] = inLang(m, lang)
				continue
			}
			if lang == "en" {
				out.Fields[field] = register.MessageEN(code)
			} else {
				out.Fields[field] = register.MessageNB(code)
			}
		}
		return out
	case errors.As(err, &failure):
		status, ok := failureStatus[failure.Code]
		if !ok {
			status = http.StatusServiceUnavailable
		}
		return s.toAPIError(&APIError{Status: status, Code: failure.Code, Service: failure.Service, Fields: failure.Fields}, lang)
	case errors.As(err, &conflict):
		return &APIError{Status: http.StatusConflict, Code: "conflict", Message: message("conflict", lang), CurrentVersion: conflict.Current}
	case errors.As(err, &dup):
		return &APIError{Status: http.StatusConflict, Code: "duplicate", Message: message("duplicate", lang), ExistingID: dup.ExistingID}
	case errors.Is(err, activation.ErrNotActivated):
		return &APIError{Status: http.StatusConflict, Code: "not_activated", Message: message("not_activated", lang)}
	case errors.Is(err, helseid.ErrNoKeyring):
		return &APIError{Status: http.StatusServiceUnavailable, Code: "keyring_unavailable", Message: message("keyring_unavailable", lang)}
	case errors.Is(err, register.ErrDiskFull):
		return &APIError{Status: http.StatusInsufficientStorage, Code: "disk_full", Message: message("disk_full", lang)}
	case errors.Is(err, register.ErrReadOnly):
		return &APIError{Status: http.StatusServiceUnavailable, Code: "read_only", Message: message("read_only", lang)}
	case errors.Is(err, register.ErrRegisterMoved):
		return &APIError{Status: http.StatusServiceUnavailable, Code: "register_moved", Message: message("register_moved", lang)}
	case errors.Is(err, register.ErrNotFound):
		return &APIError{Status: http.StatusNotFound, Code: "not_found", Message: message("not_found", lang)}
	case errors.As(err, &he):
		if code, ok := echoErrorCodes[he.Code]; ok {
			return &APIError{Status: he.Code, Code: code, Message: message(code, lang)}
		}
	}
	return &APIError{Status: http.StatusInternalServerError, Code: "internal", Message: message("internal", lang)}
}

// failureStatus is the HTTP status of each failed lookup's code.
var failureStatus = map[string]int{
	lookup.CodeInvalidInput:   http.StatusBadRequest,
	lookup.CodePersonNotFound: http.StatusNotFound,
	lookup.CodeRateLimited:    http.StatusServiceUnavailable,
	lookup.CodeNoAccess:       http.StatusForbidden,
	lookup.CodeUnavailable:    http.StatusServiceUnavailable,
}

// echoErrorCodes are the API's codes for the statuses echo answers itself.
var echoErrorCodes = map[int]string{
	http.StatusNotFound:              "route_not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: "too_large",
	http.StatusUnauthorized:          "unauthorized",
}

// inLang is the text of a bokmål/English pair in lang.
func inLang(m [2]string, lang string) string {
	if lang == "en" {
		return m[1]
	}
	return m[0]
}

// errorHandler is echo's central error handler: every error leaves as JSON,
// and only unexpected ones are logged (without request data).
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	apiErr := s.toAPIError(err, language(c.Request(), s.cfg.Language))
	if apiErr.Status >= 500 {
		s.log.Error("request failed", "method", c.Request().Method, "route", c.Path(), "err", err)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(apiErr.Status)
		return
	}
	_ = c.JSON(apiErr.Status, map[string]*APIError{"error": apiErr})
}
