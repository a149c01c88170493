package nhnmock

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// statusRecorder remembers the status for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (m *Mock) serveHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if path == "/_mock" || strings.HasPrefix(path, "/_mock/") {
		m.serveControl(w, r)
		return
	}
	api := strings.HasPrefix(path, "/api/")
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w}
	// Every HelseID and Persontjenesten answer carries the current nonce; clients
	// remember the newest one they have seen.
	rec.Header().Set("DPoP-Nonce", m.currentNonce())
	if !m.injectFault(rec, r, api) {
		if api {
			m.serveAPI(rec, r)
		} else {
			m.serveHelseID(rec, r)
		}
	}
	// Paths are logged, never bodies or headers: those carry identity numbers and tokens.
	m.log.Debug("nhnmock: request", "method", r.Method, "path", logPath(path), "status", rec.status,
		"duration", time.Since(start))
}

// logPath keeps person ids out of the log line; they are stable identifiers of
// a person even if synthetic here.
func logPath(p string) string {
	for _, basis := range []string{"/api/legal-basis/person/", "/api/no-legal-basis/person/"} {
		if rest, ok := strings.CutPrefix(p, basis); ok && !strings.Contains(rest, "/") &&
			rest != "get-by-nin" && rest != "bulk-by-nin" && rest != "bulk-by-id" {
			return basis + "{id}"
		}
	}
	return p
}

type faultDecision struct {
	latency    time.Duration
	reject     int
	badProof   bool
	down       bool
	fail       bool
	limited    bool
	retryAfter time.Duration
}

func (m *Mock) decideFault(api bool) faultDecision {
	m.mu.Lock()
	defer m.mu.Unlock()
	f := m.faults
	d := faultDecision{latency: f.Latency, retryAfter: f.RetryAfter}
	if d.retryAfter <= 0 {
		d.retryAfter = defaultRetryAfter
	}
	if (api && f.PersontjenestenDown) || (!api && f.HelseIDDown) {
		d.down = true
		return d
	}
	if api && f.RejectProof {
		d.badProof = true
		return d
	}
	if api && f.RejectStatus >= 400 && f.RejectStatus < 500 {
		d.reject = f.RejectStatus
		return d
	}
	if f.ErrorRate > 0 {
		// Accumulating the rate spreads failures evenly and makes them countable.
		m.errorAcc += f.ErrorRate
		if m.errorAcc >= 1-1e-9 {
			m.errorAcc--
			d.fail = true
			return d
		}
	}
	if api && f.RateLimitEvery > 0 {
		m.apiSeen++
		d.limited = m.apiSeen%int64(f.RateLimitEvery) == 0
	}
	return d
}

// injectFault applies the configured faults; it reports whether it answered.
func (m *Mock) injectFault(w http.ResponseWriter, r *http.Request, api bool) bool {
	d := m.decideFault(api)
	if d.latency > 0 {
		// Read the body before waiting: net/http notices a client that gave
		// up (and cancels r.Context) only once the body has been consumed.
		if err := bufferBody(r); err != nil {
			m.countError("fault_latency_cancelled")
			return true
		}
		t := time.NewTimer(d.latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			m.countError("fault_latency_cancelled")
			return true
		}
	}
	switch {
	case d.badProof:
		m.countError("fault_invalid_dpop_proof")
		m.challenge(w, r, protoErr("invalid_dpop_proof", "The DPoP proof was not accepted (simulated)"))
		return true
	case d.reject != 0:
		m.countError("fault_" + strconv.Itoa(d.reject))
		m.writeProblem(w, r, d.reject, "The request was refused (simulated): the information parts asked for cannot be combined")
		return true
	case d.down:
		m.countError("fault_down")
		if api {
			m.writeProblem(w, r, http.StatusServiceUnavailable, "Persontjenesten is unavailable (simulated outage)")
		} else {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "temporarily_unavailable",
				"error_description": "HelseID is unavailable (simulated outage)"})
		}
		return true
	case d.fail:
		m.countError("fault_5xx")
		if api {
			m.writeProblem(w, r, http.StatusInternalServerError, "Simulated internal error")
		} else {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error",
				"error_description": "Simulated internal error"})
		}
		return true
	case d.limited:
		m.countError("fault_429")
		secs := int64((d.retryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		m.writeProblem(w, r, http.StatusTooManyRequests, "Rate limit exceeded; retry after "+strconv.FormatInt(secs, 10)+" s")
		return true
	}
	return false
}

// bufferBody reads up to maxFormBytes+1 bytes of the request body into
// memory and puts them back in front of the rest, so the handlers parse the
// same body (and still see one that is too large).
func bufferBody(r *http.Request) error {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	buf, err := io.ReadAll(io.LimitReader(r.Body, maxFormBytes+1))
	if err != nil {
		return fmt.Errorf("read request body: %w", err)
	}
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(buf), r.Body), r.Body}
	return nil
}
