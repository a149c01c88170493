package nhnmock

import (
	"encoding/json"
	"fmt"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"resepsjon/loopback"
)

const maxControlBody = 64 << 10

// faultsJSON is Faults on the control API, with durations as Go duration strings.
type faultsJSON struct {
	Latency             string  `json:"latency,omitempty"`
	ErrorRate           float64 `json:"errorRate"`
	RateLimitEvery      int     `json:"rateLimitEvery"`
	RetryAfter          string  `json:"retryAfter,omitempty"`
	HelseIDDown         bool    `json:"helseIdDown"`
	PersontjenestenDown bool    `json:"persontjenestenDown"`
	RejectStatus        int     `json:"rejectStatus,omitempty"`
	RejectProof         bool    `json:"rejectProof,omitempty"`
}

type clientJSON struct {
	ClientID   string          `json:"clientId"`
	PublicJWK  json.RawMessage `json:"publicJwk"`
	Tenancy    string          `json:"tenancy"`
	OrgNumbers []string        `json:"orgNumbers"`
	Scopes     []string        `json:"scopes"`
}

type orgFlagJSON struct {
	Org string `json:"org"`
	OK  *bool  `json:"ok"`
}

type personChangeJSON struct {
	NIN        string `json:"nin"`
	Date       string `json:"date,omitempty"` // die: YYYY-MM-DD, default today
	GivenName  string `json:"givenName,omitempty"`
	MiddleName string `json:"middleName,omitempty"`
	FamilyName string `json:"familyName,omitempty"`
	// Level is protect's protection level: StrictlyConfidential,
	// Confidential or Unclassified (lifted).
	Level string `json:"level,omitempty"`
	// Phone and Email are contact's new values in the contact register.
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
}

func controlError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// serveControl is the test and demo API under /_mock/. It answers loopback
// callers only and takes JSON bodies only, so a web page cannot drive it with
// a simple cross-origin form post.
func (m *Mock) serveControl(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil || !loopback.IsIP(host) {
		controlError(w, http.StatusForbidden, "the control API answers loopback callers only")
		return
	}
	if !loopback.IsHost(r.Host) {
		// A page whose DNS name was re-pointed at 127.0.0.1 (DNS
		// rebinding) reaches the mock from the local browser, but with
		// its own name in Host.
		controlError(w, http.StatusForbidden, "the control API answers requests addressed to a loopback name only")
		return
	}
	route := r.Method + " " + strings.TrimSuffix(r.URL.Path, "/")
	switch route {
	case "GET /_mock":
		writeJSON(w, http.StatusOK, map[string][]string{"endpoints": {
			"POST /_mock/clients", "POST /_mock/delegations", "POST /_mock/agreements",
			"GET /_mock/faults", "PUT /_mock/faults", "GET /_mock/counters",
			"POST /_mock/persons/move", "POST /_mock/persons/die", "POST /_mock/persons/rename",
			"POST /_mock/persons/new-number", "POST /_mock/persons/protect", "POST /_mock/persons/contact",
			"GET /_mock/events/latest", "GET /_mock/edge-cases", "GET /_mock/sample-nins?n=10",
		}})
	case "POST /_mock/clients":
		var c clientJSON
		if !decodeControl(w, r, &c) {
			return
		}
		err := m.RegisterClient(RegisteredClient{ClientID: c.ClientID, PublicJWK: c.PublicJWK, Tenancy: c.Tenancy,
			OrgNumbers: c.OrgNumbers, Scopes: c.Scopes})
		if err != nil {
			controlError(w, http.StatusBadRequest, err.Error())
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"clientId": c.ClientID})
	case "POST /_mock/delegations", "POST /_mock/agreements":
		var f orgFlagJSON
		if !decodeControl(w, r, &f) {
			return
		}
		if err := checkOrgNumber(f.Org); err != nil || f.OK == nil {
			controlError(w, http.StatusBadRequest, `want {"org": "<valid organisation number>", "ok": true|false}`)
			return
		}
		if strings.HasSuffix(route, "delegations") {
			m.SetDelegation(f.Org, *f.OK)
		} else {
			m.SetAgreement(f.Org, *f.OK)
		}
		writeJSON(w, http.StatusOK, f)
	case "GET /_mock/faults":
		writeJSON(w, http.StatusOK, toFaultsJSON(m.Faults()))
	case "PUT /_mock/faults":
		var f faultsJSON
		if !decodeControl(w, r, &f) {
			return
		}
		faults, err := fromFaultsJSON(f)
		if err != nil {
			controlError(w, http.StatusBadRequest, err.Error())
			return
		}
		m.SetFaults(faults)
		writeJSON(w, http.StatusOK, toFaultsJSON(m.Faults()))
	case "GET /_mock/counters":
		writeJSON(w, http.StatusOK, m.Counters())
	case "POST /_mock/persons/move", "POST /_mock/persons/die", "POST /_mock/persons/rename",
		"POST /_mock/persons/new-number", "POST /_mock/persons/protect", "POST /_mock/persons/contact":
		m.controlPersonChange(w, r, route)
	case "GET /_mock/events/latest":
		// The newest event without a token, for tests and the demo.
		ev, _ := m.pop.LatestEvent()
		writeJSON(w, http.StatusOK, ev)
	case "GET /_mock/edge-cases":
		writeJSON(w, http.StatusOK, m.pop.EdgeCases())
	case "GET /_mock/sample-nins":
		n := 10
		if s := r.URL.Query().Get("n"); s != "" {
			v, err := strconv.Atoi(s)
			if err != nil || v < 1 || v > 10000 {
				controlError(w, http.StatusBadRequest, "n must be 1..10000")
				return
			}
			n = v
		}
		writeJSON(w, http.StatusOK, m.pop.SampleNINs(n))
	default:
		controlError(w, http.StatusNotFound, "unknown control endpoint; GET /_mock/ lists them")
	}
}

func (m *Mock) controlPersonChange(w http.ResponseWriter, r *http.Request, route string) {
	var c personChangeJSON
	if !decodeControl(w, r, &c) {
		return
	}
	if c.NIN == "" {
		controlError(w, http.StatusBadRequest, "nin is required")
		return
	}
	var (
		ev  any
		err error
	)
	switch {
	case strings.HasSuffix(route, "/move"):
		ev, err = m.pop.MoveRandom(c.NIN)
	case strings.HasSuffix(route, "/die"):
		date := m.now()
		if c.Date != "" {
			if date, err = time.Parse(time.DateOnly, c.Date); err != nil {
				controlError(w, http.StatusBadRequest, "date must be YYYY-MM-DD")
				return
			}
		}
		ev, err = m.pop.Die(c.NIN, date)
	case strings.HasSuffix(route, "/new-number"):
		ev, err = m.pop.NewNumber(c.NIN)
	case strings.HasSuffix(route, "/contact"):
		ev, err = m.pop.SetContact(c.NIN, c.Phone, c.Email)
	case strings.HasSuffix(route, "/protect"):
		level := c.Level
		if level == "" {
			level = "StrictlyConfidential"
		}
		ev, err = m.pop.Protect(c.NIN, level)
	default:
		ev, err = m.pop.Rename(c.NIN, c.GivenName, c.MiddleName, c.FamilyName)
	}
	if err != nil {
		// The population's errors never contain more than the caller sent.
		controlError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, ev)
}

func decodeControl(w http.ResponseWriter, r *http.Request, v any) bool {
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "application/json" {
		controlError(w, http.StatusUnsupportedMediaType, "send application/json")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxControlBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		controlError(w, http.StatusBadRequest, "bad JSON: "+err.Error())
		return false
	}
	return true
}

func toFaultsJSON(f Faults) faultsJSON {
	out := faultsJSON{ErrorRate: f.ErrorRate, RateLimitEvery: f.RateLimitEvery,
		HelseIDDown: f.HelseIDDown, PersontjenestenDown: f.PersontjenestenDown,
		RejectStatus: f.RejectStatus, RejectProof: f.RejectProof}
	if f.Latency > 0 {
		out.Latency = f.Latency.String()
	}
	if f.RetryAfter > 0 {
		out.RetryAfter = f.RetryAfter.String()
	}
	return out
}

func fromFaultsJSON(f faultsJSON) (Faults, error) {
	out := Faults{ErrorRate: f.ErrorRate, RateLimitEvery: f.RateLimitEvery,
		HelseIDDown: f.HelseIDDown, PersontjenestenDown: f.PersontjenestenDown,
		RejectStatus: f.RejectStatus, RejectProof: f.RejectProof}
	if out.RejectStatus != 0 && (out.RejectStatus < 400 || out.RejectStatus > 499) {
		return Faults{}, fmt.Errorf("rejectStatus: %d is not a 4xx status", out.RejectStatus)
	}
	var err error
	if f.Latency != "" {
		if out.Latency, err = time.ParseDuration(f.Latency); err != nil {
			return Faults{}, fmt.Errorf("latency: %w", err)
		}
	}
	if f.RetryAfter != "" {
		if out.RetryAfter, err = time.ParseDuration(f.RetryAfter); err != nil {
			return Faults{}, fmt.Errorf("retryAfter: %w", err)
		}
	}
	if err := checkFaults(out); err != nil {
		return Faults{}, err
	}
	return out, nil
}
