package lookup

import (
	"context"
	"errors"
	"strings"

	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/helseid"
)

// Codes of a failed lookup, as written to the audit log and answered by
// the API.
const (
	CodeNotActivated       = "not_activated"
	CodeKeyringUnavailable = "keyring_unavailable"
	CodeInternal           = "internal"
	CodeInvalidInput       = "invalid_input"
	CodePersonNotFound     = "person_not_found"
	CodeRateLimited        = "nhn_rate_limited"
	CodeNoAccess           = "nhn_no_access"
	CodeUnavailable        = "nhn_unavailable"
	// CodeRejected: Persontjenesten answered and refused the request (a
	// 4xx such as 422): a fault in the program, not an outage.
	CodeRejected = "nhn_rejected"
	// CodeTokenRejected: Persontjenesten did not accept the HelseID token
	// or the DPoP proof, also after a new token.
	CodeTokenRejected = "helseid_token_rejected"
)

// Services named by an nhn_unavailable failure.
const (
	ServiceHelseID         = "helseid"
	ServicePersontjenesten = "persontjenesten"
)

// Failure is a lookup that HelseID or Persontjenesten did not answer as
// hoped: a code the caller decides on, the service that did not answer
// (for CodeUnavailable), and the query problem Persontjenesten named (for
// CodeInvalidInput). Err is the cause.
type Failure struct {
	Code    string
	Service string
	Fields  map[string]string
	Err     error
}

func (f *Failure) Error() string { return f.Code + ": " + f.Err.Error() }
func (f *Failure) Unwrap() error { return f.Err }

// Failed classifies a failed call through api. After HelseID failed, the
// token client holds back new token requests for a moment; dropping it
// lets "try again" work as soon as HelseID is back.
func (s *Service) Failed(ctx context.Context, api *persontjeneste.Client, err error) *Failure {
	if helseid.IsUnavailable(err) {
		s.conn.Drop(api)
	}
	var rl *persontjeneste.RateLimitedError
	var iq *persontjeneste.InvalidQueryError
	var rule *persontjeneste.SearchRuleError
	switch {
	case errors.As(err, &rule):
		return &Failure{Code: CodeInvalidInput, Err: searchRuleError(err)}
	case errors.Is(err, persontjeneste.ErrNotFound):
		return &Failure{Code: CodePersonNotFound, Err: err}
	case errors.As(err, &rl):
		return &Failure{Code: CodeRateLimited, Err: err}
	case errors.Is(err, persontjeneste.ErrTokenRejected):
		// The transport has already tried once with a new token; the next
		// try starts from a fresh client.
		s.conn.Drop(api)
		s.log.Error("Persontjenesten did not accept the HelseID token or DPoP proof, also with a new token", "err", redactDigits(err.Error()))
		return &Failure{Code: CodeTokenRejected, Err: err}
	case errors.Is(err, persontjeneste.ErrRejected):
		attrs := []any{"err", redactDigits(err.Error())}
		var se *persontjeneste.StatusError
		if errors.As(err, &se) {
			attrs = append(attrs, "status", se.StatusCode)
			if se.Problem != nil {
				attrs = append(attrs, "title", redactDigits(se.Problem.Title), "detail", redactDigits(se.Problem.Detail))
			}
		}
		s.log.Error("Persontjenesten refused the request: a fault in Resepsjon to report", attrs...)
		return &Failure{Code: CodeRejected, Err: err}
	case errors.Is(err, persontjeneste.ErrNoAccess), errors.Is(err, persontjeneste.ErrUnauthorized):
		s.log.Warn("Persontjenesten refused access", "err", err)
		return &Failure{Code: CodeNoAccess, Err: err}
	case errors.As(err, &iq):
		f := &Failure{Code: CodeInvalidInput, Err: err}
		if iq.Detail != "" {
			f.Fields = map[string]string{"query": iq.Detail}
		}
		return f
	case errors.Is(err, persontjeneste.ErrUnavailable), helseid.IsUnavailable(err),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		if ctx.Err() == nil {
			s.log.Warn("Persontjenesten unavailable", "err", err)
		}
	default:
		s.log.Error("Persontjenesten lookup failed", "err", err)
	}
	f := &Failure{Code: CodeUnavailable, Service: ServicePersontjenesten, Err: err}
	if helseid.IsUnavailable(err) {
		f.Service = ServiceHelseID
	}
	return f
}

// redactDigits masks every run of six or more digits (identity numbers,
// birth dates written as digits) in text from NHN before it is logged.
func redactDigits(s string) string {
	var b strings.Builder
	run := 0
	flush := func(digits string) {
		if len(digits) >= 6 {
			b.WriteString(strings.Repeat("*", len(digits)))
		} else {
			b.WriteString(digits)
		}
	}
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if run == 0 {
				start = i
			}
			run++
			continue
		}
		if run > 0 {
			flush(s[start:i])
			run = 0
		}
		if i < len(s) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
