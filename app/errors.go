package app

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"resepsjon/activation"
	"resepsjon/lookup"
	"resepsjon/messages"
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

// message is the text of an API error code in lang (package messages,
// under "error.").
func message(code, lang string) string {
	return messages.Get("error."+code, "error.internal", lang)
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
			if out.Service != "" && messages.Has("error."+code+"."+out.Service) {
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
			out.Fields[field] = messages.Get("field."+code, "field.unknown", lang)
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
	lookup.CodeRejected:       http.StatusBadGateway,
	lookup.CodeTokenRejected:  http.StatusBadGateway,
}

// echoErrorCodes are the API's codes for the statuses echo answers itself.
var echoErrorCodes = map[int]string{
	http.StatusNotFound:              "route_not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: "too_large",
	http.StatusUnauthorized:          "unauthorized",
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
