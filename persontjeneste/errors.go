package persontjeneste

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Errors the app decides on. Every error a Client returns wraps one of these
// (or is an *InvalidQueryError, *RateLimitedError or *SearchRuleError) with
// the operation as context, so callers use errors.Is / errors.As.
var (
	// ErrNotFound: the person (or event) does not exist (404).
	ErrNotFound = errors.New("not found in Persontjenesten")
	// ErrUnauthorized: the access token was refused (401), or HelseID refused
	// to issue one (the error then also wraps the *helseid.TokenError, so
	// helseid.IsNoDelegation and its siblings tell why); a new token is
	// needed, or the HelseID client is misconfigured.
	ErrUnauthorized = errors.New("access token refused by Persontjenesten")
	// ErrNoAccess: the organisation has no access agreement, has not accepted
	// the terms, or lacks the scope for this route (403).
	ErrNoAccess = errors.New("no access to Persontjenesten for this organisation")
	// ErrUnavailable: Persontjenesten could not be reached or failed (5xx,
	// network error, timeout). Worth trying again later.
	ErrUnavailable = errors.New("no answer from Persontjenesten (unavailable)")
	// ErrTokenRejected: a 401 whose WWW-Authenticate challenge names a token
	// or proof error (invalid_token, invalid_dpop_proof), still so after a
	// new token: a HelseID/DPoP problem (clock, key, client), not a missing
	// agreement.
	ErrTokenRejected = errors.New("HelseID token or DPoP proof not accepted by Persontjenesten")
	// ErrRejected: Persontjenesten answered and refused the request with a
	// 4xx other than 400, 401, 403, 404 and 429 (422, 409, 415, ...): the
	// request was wrong, which trying again does not change.
	ErrRejected = errors.New("request refused by Persontjenesten")
)

// InvalidQueryError is a 400 from the API (or a request refused locally
// before sending); Detail is the API's explanation.
type InvalidQueryError struct {
	Detail  string
	Problem *ProblemDetails // nil when refused locally or the body was not ProblemDetails
}

func (e *InvalidQueryError) Error() string {
	if e.Detail == "" {
		return "invalid query"
	}
	return "invalid query: " + e.Detail
}

// RateLimitedError is a 429 that was not (or no longer) retried; RetryAfter is
// the server's requested wait, zero when it gave none.
type RateLimitedError struct {
	RetryAfter time.Duration
}

func (e *RateLimitedError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("Persontjenesten rate limit reached, retry after %s", e.RetryAfter)
	}
	return "Persontjenesten rate limit reached"
}

// StatusError is an HTTP error answer. It unwraps to the sentinel matching
// its status (ErrNotFound, ErrUnauthorized, ErrNoAccess, ErrUnavailable), or
// to nothing for statuses the app has no decision for.
type StatusError struct {
	StatusCode int
	Problem    *ProblemDetails // nil when the body was not ProblemDetails
	kind       error
}

func (e *StatusError) Error() string {
	var b strings.Builder
	b.WriteString("HTTP ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.kind != nil {
		b.WriteString(": ")
		b.WriteString(e.kind.Error())
	}
	if e.Problem != nil {
		if s := e.Problem.summary(); s != "" {
			b.WriteString(" (")
			b.WriteString(s)
			b.WriteString(")")
		}
	}
	return b.String()
}

// Unwrap returns the sentinel for the status.
func (e *StatusError) Unwrap() error { return e.kind }

func (p *ProblemDetails) summary() string {
	switch {
	case p.Detail != "" && p.Title != "":
		return p.Title + ": " + p.Detail
	case p.Detail != "":
		return p.Detail
	default:
		return p.Title
	}
}

// errorForStatus turns a non-2xx answer into the error the app acts on.
// retryAfter is the parsed Retry-After header (zero when absent);
// challengeError is the error named by a 401's WWW-Authenticate challenge.
func errorForStatus(status int, problem *ProblemDetails, retryAfter time.Duration, challengeError string) error {
	switch {
	case status == http.StatusBadRequest:
		e := &InvalidQueryError{Problem: problem}
		if problem != nil {
			e.Detail = problem.summary()
		}
		return e
	case status == http.StatusTooManyRequests:
		return &RateLimitedError{RetryAfter: retryAfter}
	case status == http.StatusNotFound:
		return &StatusError{StatusCode: status, Problem: problem, kind: ErrNotFound}
	case status == http.StatusUnauthorized && (challengeError == "invalid_token" || challengeError == "invalid_dpop_proof"):
		return &StatusError{StatusCode: status, Problem: problem, kind: ErrTokenRejected}
	case status == http.StatusUnauthorized:
		return &StatusError{StatusCode: status, Problem: problem, kind: ErrUnauthorized}
	case status == http.StatusForbidden:
		return &StatusError{StatusCode: status, Problem: problem, kind: ErrNoAccess}
	case status >= 500:
		return &StatusError{StatusCode: status, Problem: problem, kind: ErrUnavailable}
	case status >= 400 && status < 500:
		return &StatusError{StatusCode: status, Problem: problem, kind: ErrRejected}
	default:
		return &StatusError{StatusCode: status, Problem: problem}
	}
}

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP-date
// (RFC 9110 §10.2.3). Unparseable or past values give zero.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		// Cap before multiplying so absurd values cannot overflow.
		const maxSecs = int64(24 * time.Hour / time.Second)
		return time.Duration(min(secs, maxSecs)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, 24*time.Hour)
		}
	}
	return 0
}
