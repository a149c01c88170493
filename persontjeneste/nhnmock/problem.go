package nhnmock

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
)

// problemTypes are the RFC 9110 section anchors ASP.NET Core puts in
// ProblemDetails.type for each status.
var problemTypes = map[int]string{
	http.StatusBadRequest:            "https://tools.ietf.org/html/rfc9110#section-15.5.1",
	http.StatusUnauthorized:          "https://tools.ietf.org/html/rfc9110#section-15.5.2",
	http.StatusForbidden:             "https://tools.ietf.org/html/rfc9110#section-15.5.4",
	http.StatusNotFound:              "https://tools.ietf.org/html/rfc9110#section-15.5.5",
	http.StatusMethodNotAllowed:      "https://tools.ietf.org/html/rfc9110#section-15.5.6",
	http.StatusRequestEntityTooLarge: "https://tools.ietf.org/html/rfc9110#section-15.5.14",
	http.StatusUnsupportedMediaType:  "https://tools.ietf.org/html/rfc9110#section-15.5.16",
	http.StatusTooManyRequests:       "https://tools.ietf.org/html/rfc6585#section-4",
	http.StatusInternalServerError:   "https://tools.ietf.org/html/rfc9110#section-15.6.1",
	http.StatusServiceUnavailable:    "https://tools.ietf.org/html/rfc9110#section-15.6.4",
}

// problem is the contract's ProblemDetails, shaped like ASP.NET Core's
// (type, title, status, detail, instance, traceId; errors for field validation).
type problem struct {
	Type     string              `json:"type"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Detail   string              `json:"detail,omitempty"`
	Instance string              `json:"instance,omitempty"`
	Errors   map[string][]string `json:"errors,omitempty"`
	TraceID  string              `json:"traceId"`
}

// problemOption adjusts a problem before it is written.
type problemOption func(*problem)

// withType overrides the default RFC anchor (API versioning has its own types).
func withType(t, title string) problemOption {
	return func(p *problem) { p.Type, p.Title = t, title }
}

// withFieldError adds an ASP.NET-style validation entry.
func withFieldError(field, msg string) problemOption {
	return func(p *problem) {
		if p.Errors == nil {
			p.Errors = map[string][]string{}
		}
		p.Errors[field] = append(p.Errors[field], msg)
	}
}

// writeProblem answers with application/problem+json, which is what ASP.NET
// Core sends for ProblemDetails (the contract's generated spec says
// application/json; the body is the same ProblemDetails object).
func (m *Mock) writeProblem(w http.ResponseWriter, r *http.Request, status int, detail string, opts ...problemOption) {
	p := problem{
		Type:     problemTypes[status],
		Title:    http.StatusText(status),
		Status:   status,
		Detail:   detail,
		Instance: r.URL.Path,
		TraceID:  traceID(),
	}
	for _, o := range opts {
		o(&p)
	}
	if p.Status != status {
		p.Status = status
	}
	m.countError("http_" + strconv.Itoa(status))
	b, err := json.Marshal(p)
	if err != nil {
		http.Error(w, http.StatusText(status), status)
		return
	}
	w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// traceID has the W3C traceparent form ASP.NET Core reports.
func traceID() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return "00-" + hex.EncodeToString(b[:16]) + "-" + hex.EncodeToString(b[16:]) + "-00"
}
