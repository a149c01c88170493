package nhnmock

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"resepsjon/persontjeneste"
)

const (
	maxBulkItems    = 100
	maxSearchHits   = 100
	maxEventResults = 1000
	maxIDLength     = 64
	maxNINLength    = 12
)

// supportedAPIVersions are the api-version header values the contract (version "2") describes.
var supportedAPIVersions = []string{"2", "2.0"}

// apiRoute is one Persontjenesten operation, the same under both bases.
type apiRoute struct {
	name   string
	method string
	// parts: the contract requires informationParts (and allows includeHistory).
	parts   bool
	form    bool
	handler func(m *Mock, w http.ResponseWriter, r *http.Request, c *apiCall)
}

// apiCall is a request that passed authentication and the common checks.
type apiCall struct {
	legalBasis     bool
	parts          []string
	includeHistory bool
	form           url.Values
	id             string // person/{id}
}

var apiRoutes = map[string]apiRoute{
	"person/get-by-nin":  {name: "get-by-nin", method: http.MethodPost, parts: true, form: true, handler: (*Mock).handleGetByNIN},
	"person/bulk-by-nin": {name: "bulk-by-nin", method: http.MethodPost, parts: true, form: true, handler: (*Mock).handleBulkByNIN},
	"person/bulk-by-id":  {name: "bulk-by-id", method: http.MethodPost, parts: true, form: true, handler: (*Mock).handleBulkByID},
	"person/{id}":        {name: "person", method: http.MethodGet, parts: true, handler: (*Mock).handleGetByID},
	"search/person":      {name: "search-person", method: http.MethodPost, parts: true, form: true, handler: (*Mock).handleSearch},
	"event":              {name: "event", method: http.MethodGet, handler: (*Mock).handleEvents},
	"event/latest":       {name: "event-latest", method: http.MethodGet, handler: (*Mock).handleLatestEvent},
}

// matchRoute finds the operation for a path below /api/.
func matchRoute(path string) (route apiRoute, legalBasis bool, id string, ok bool) {
	rest, _ := strings.CutPrefix(path, "/api/")
	basis, sub, _ := strings.Cut(rest, "/")
	switch basis {
	case "legal-basis":
		legalBasis = true
	case "no-legal-basis":
	default:
		return apiRoute{}, false, "", false
	}
	if route, ok = apiRoutes[sub]; ok {
		return route, legalBasis, "", true
	}
	if pid, found := strings.CutPrefix(sub, "person/"); found && pid != "" && !strings.Contains(pid, "/") {
		return apiRoutes["person/{id}"], legalBasis, pid, true
	}
	return apiRoute{}, false, "", false
}

func (m *Mock) serveAPI(w http.ResponseWriter, r *http.Request) {
	route, legalBasis, id, ok := matchRoute(r.URL.Path)
	if !ok {
		m.writeProblem(w, r, http.StatusNotFound, "No such Persontjenesten route")
		return
	}
	basis := "no-legal-basis"
	if legalBasis {
		basis = "legal-basis"
	}
	m.mu.Lock()
	m.counters.APICalls[basis+" "+route.name]++
	m.mu.Unlock()
	if r.Method != route.method {
		w.Header().Set("Allow", route.method)
		m.writeProblem(w, r, http.StatusMethodNotAllowed, "Use "+route.method+" for this route")
		return
	}
	claims, ok := m.authenticate(w, r)
	if !ok || !m.authorize(w, r, claims, legalBasis) || !m.checkAPIVersion(w, r) {
		return
	}
	call := &apiCall{legalBasis: legalBasis, id: id}
	if route.parts && !m.readParts(w, r, call) {
		return
	}
	if route.form {
		ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || ct != "application/x-www-form-urlencoded" {
			m.writeProblem(w, r, http.StatusUnsupportedMediaType, "The request body must be application/x-www-form-urlencoded")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				m.writeProblem(w, r, http.StatusRequestEntityTooLarge, "The request body is too large")
				return
			}
			m.writeProblem(w, r, http.StatusBadRequest, "The form body cannot be parsed")
			return
		}
		call.form = r.PostForm
	}
	route.handler(m, w, r, call)
}

// checkAPIVersion answers like ASP.NET API versioning when the api-version
// header is missing or names a version the contract does not describe.
func (m *Mock) checkAPIVersion(w http.ResponseWriter, r *http.Request) bool {
	vs := r.Header.Values("api-version")
	switch {
	case len(vs) == 0 || strings.TrimSpace(vs[0]) == "":
		m.writeProblem(w, r, http.StatusBadRequest, "An API version is required, but was not specified.",
			withType("https://docs.api-versioning.org/problems#unspecified", "Unspecified API version"))
		return false
	case len(vs) > 1:
		m.writeProblem(w, r, http.StatusBadRequest, "The api-version header was given more than once.",
			withType("https://docs.api-versioning.org/problems#ambiguous", "Ambiguous API version"))
		return false
	case !slices.Contains(supportedAPIVersions, strings.TrimSpace(vs[0])):
		m.writeProblem(w, r, http.StatusBadRequest, "The HTTP resource that matches the request URI '"+r.URL.Path+
			"' does not support the API version '"+vs[0]+"'.",
			withType("https://docs.api-versioning.org/problems#unsupported", "Unsupported API version"))
		return false
	}
	return true
}

// readParts reads informationParts (repeated query key, required, enum values)
// and includeHistory.
func (m *Mock) readParts(w http.ResponseWriter, r *http.Request, c *apiCall) bool {
	q := r.URL.Query()
	raw := q["informationParts"]
	if len(raw) == 0 {
		m.writeProblem(w, r, http.StatusBadRequest, "The informationParts field is required.",
			withFieldError("informationParts", "The informationParts field is required."))
		return false
	}
	for _, p := range raw {
		// The client's list is checked against the contract (TestPartsMatchContract).
		if !persontjeneste.ValidInformationPart(persontjeneste.InformationPart(p)) {
			m.writeProblem(w, r, http.StatusBadRequest, "The value '"+p+"' is not a valid InformationPart.",
				withFieldError("informationParts", "The value '"+p+"' is not valid."))
			return false
		}
		if !slices.Contains(c.parts, p) {
			c.parts = append(c.parts, p)
		}
	}
	var ok bool
	c.includeHistory, ok = m.boolParam(w, r, q, "includeHistory")
	return ok
}

// boolParam reads an optional boolean query parameter ("true"/"false", any case).
func (m *Mock) boolParam(w http.ResponseWriter, r *http.Request, q url.Values, name string) (bool, bool) {
	vs := q[name]
	if len(vs) == 0 {
		return false, true
	}
	if len(vs) == 1 {
		switch strings.ToLower(vs[0]) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	m.writeProblem(w, r, http.StatusBadRequest, "The value of "+name+" must be true or false.",
		withFieldError(name, "The value '"+strings.Join(vs, ",")+"' is not valid."))
	return false, false
}

// singleFormValue reads a required form field that must appear exactly once.
func (m *Mock) singleFormValue(w http.ResponseWriter, r *http.Request, form url.Values, name string, maxLen int) (string, bool) {
	vs := form[name]
	switch {
	case len(vs) == 0 || vs[0] == "":
		m.writeProblem(w, r, http.StatusBadRequest, "The "+name+" field is required.",
			withFieldError(name, "The "+name+" field is required."))
		return "", false
	case len(vs) > 1:
		m.writeProblem(w, r, http.StatusBadRequest, "The "+name+" field is given more than once.",
			withFieldError(name, "The "+name+" field is given more than once."))
		return "", false
	case utf8.RuneCountInString(vs[0]) > maxLen:
		m.writeProblem(w, r, http.StatusBadRequest, "The field "+name+" must be at most "+strconv.Itoa(maxLen)+" characters.",
			withFieldError(name, "The field "+name+" must be at most "+strconv.Itoa(maxLen)+" characters."))
		return "", false
	}
	return vs[0], true
}

// listFormValues reads a repeated form field with 1..100 non-empty values.
func (m *Mock) listFormValues(w http.ResponseWriter, r *http.Request, form url.Values, name string) ([]string, bool) {
	vs := form[name]
	switch {
	case len(vs) == 0:
		m.writeProblem(w, r, http.StatusBadRequest, "The "+name+" field is required.",
			withFieldError(name, "The "+name+" field is required."))
		return nil, false
	case len(vs) > maxBulkItems:
		m.writeProblem(w, r, http.StatusBadRequest, "At most "+strconv.Itoa(maxBulkItems)+" items are allowed in "+name+
			", got "+strconv.Itoa(len(vs))+".",
			withFieldError(name, "The field "+name+" must have at most "+strconv.Itoa(maxBulkItems)+" items."))
		return nil, false
	}
	if slices.Contains(vs, "") {
		m.writeProblem(w, r, http.StatusBadRequest, "The "+name+" field has an empty value.",
			withFieldError(name, "Empty values are not allowed."))
		return nil, false
	}
	return vs, true
}

func allDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}
