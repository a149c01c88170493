package helseid

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrUnavailable wraps failures to reach HelseID: network errors,
	// timeouts, 5xx and 429 answers, and failed discovery. The app tells the
	// user that HelseID is unreachable and that trying later may help.
	ErrUnavailable = errors.New("HelseID unavailable")
	// ErrInvalidResponse wraps answers from HelseID that break the protocol
	// (malformed JSON, a token that is not DPoP-bound, no expiry).
	ErrInvalidResponse = errors.New("invalid response from HelseID")
	// ErrBodyNotReplayable is returned by Transport when a request must be
	// retried (new nonce or new token) but its body cannot be sent again
	// because req.GetBody is nil.
	ErrBodyNotReplayable = errors.New("request body cannot be replayed for a DPoP retry (req.GetBody is nil)")
)

// OAuth error codes from HelseID's token endpoint that the app decides on.
const (
	CodeInvalidClient      = "invalid_client"
	CodeUnauthorizedClient = "unauthorized_client"
	CodeInvalidScope       = "invalid_scope"
	CodeInvalidRequest     = "invalid_request"
	CodeUseDPoPNonce       = "use_dpop_nonce"
	CodeInvalidDPoPProof   = "invalid_dpop_proof"
)

// TokenError is an OAuth error answer from HelseID's token endpoint.
type TokenError struct {
	Status      int    // HTTP status
	Code        string // OAuth "error", empty when the body was not an OAuth error
	Description string // OAuth "error_description"
}

func (e *TokenError) Error() string {
	code := e.Code
	if code == "" {
		code = "unexpected answer"
	}
	if e.Description == "" {
		return fmt.Sprintf("HelseID token request refused (HTTP %d): %s", e.Status, code)
	}
	return fmt.Sprintf("HelseID token request refused (HTTP %d): %s: %s", e.Status, code, e.Description)
}

// IsInvalidClient reports whether HelseID did not accept the client: a wrong
// client id, or a key that is not registered for it.
func IsInvalidClient(err error) bool {
	var te *TokenError
	return errors.As(err, &te) && te.Code == CodeInvalidClient
}

// IsNoDelegation reports whether HelseID refused the organisation: the
// organisation has not delegated to this (multi-tenant) client in Altinn, or
// the single-tenant client is not registered for it. HelseID answers
// unauthorized_client for that; a description that mentions delegation
// counts too, whatever the code.
func IsNoDelegation(err error) bool {
	var te *TokenError
	if !errors.As(err, &te) {
		return false
	}
	return te.Code == CodeUnauthorizedClient || strings.Contains(strings.ToLower(te.Description), "delegat")
}

// IsInvalidScope reports whether HelseID refused a requested scope (the
// client lacks access to the API or the legal-basis variant).
func IsInvalidScope(err error) bool {
	var te *TokenError
	return errors.As(err, &te) && te.Code == CodeInvalidScope
}

// IsUnavailable reports whether err means HelseID could not be reached or
// failed (network, timeout, 5xx, 429, discovery).
func IsUnavailable(err error) bool { return errors.Is(err, ErrUnavailable) }
