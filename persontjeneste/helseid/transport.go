package helseid

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxDrainBytes is how much of a refused response is read before it is
// closed, so that the connection can be reused for the retry.
const maxDrainBytes = 64 << 10

// Transport is an http.RoundTripper for APIs that take HelseID DPoP tokens
// (Persontjenesten). Each request gets "Authorization: DPoP <token>" and a
// fresh DPoP proof (htm, htu without query, ath, and the API's nonce when it
// gave one). A 401 asking for a DPoP nonce is retried once with the nonce; a
// 401 invalid_token or invalid_dpop_proof is retried once with a new token
// (and a new proof). Retried requests with
// a body need req.GetBody, which http.NewRequest sets for bytes.Buffer,
// bytes.Reader and strings.Reader bodies.
type Transport struct {
	// Tokens supplies access tokens; required.
	Tokens *TokenClient
	// Key signs the proofs; nil means Tokens.Key(). It must be the key the
	// token is bound to.
	Key *Key
	// Base sends the requests; nil means http.DefaultTransport.
	Base http.RoundTripper
}

// RoundTrip implements http.RoundTripper. It does not modify req.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.roundTrip(req)
	if err != nil {
		return nil, fmt.Errorf("helseid transport: %w", err)
	}
	return resp, nil
}

func (t *Transport) roundTrip(req *http.Request) (*http.Response, error) {
	bodyUsed := false
	closeBody := func() {
		if !bodyUsed && req.Body != nil {
			_ = req.Body.Close()
		}
	}
	if t.Tokens == nil {
		closeBody()
		return nil, errors.New("no token client")
	}
	key := t.Key
	if key == nil {
		key = t.Tokens.Key()
	}
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	htu, err := normalizedURI(req.URL)
	if err != nil {
		closeBody()
		return nil, err
	}
	ctx := req.Context()
	tok, err := t.Tokens.Token(ctx)
	if err != nil {
		closeBody()
		return nil, err
	}

	hasBody := req.Body != nil && req.Body != http.NoBody
	nonceRetried, tokenRetried := false, false
	for attempt := 0; ; attempt++ {
		nonce := t.Tokens.nonces.get(roleResourceServer, req.URL)
		proof, err := NewProof(key, method, htu, nonce, tok.AccessToken, t.Tokens.now())
		if err != nil {
			closeBody()
			return nil, err
		}
		out := req.Clone(ctx)
		if attempt > 0 && hasBody {
			body, err := req.GetBody()
			if err != nil {
				return nil, fmt.Errorf("replay request body: %w", err)
			}
			out.Body = body
		}
		out.Header.Set("Authorization", tokenTypeDPoP+" "+tok.AccessToken)
		out.Header.Set(headerDPoP, proof)

		bodyUsed = true // the base transport closes it from here on
		resp, err := base.RoundTrip(out)
		if err != nil {
			return nil, err
		}
		t.Tokens.nonces.remember(roleResourceServer, req.URL, resp.Header.Get(headerDPoPNonce))
		if resp.StatusCode != http.StatusUnauthorized {
			return resp, nil
		}

		switch dpopError(resp.Header.Values("WWW-Authenticate")) {
		case CodeUseDPoPNonce:
			if nonceRetried || resp.Header.Get(headerDPoPNonce) == "" {
				return resp, nil
			}
			nonceRetried = true
			t.Tokens.logger.DebugContext(ctx, "api asked for a DPoP nonce; retrying")
		case "invalid_token", CodeInvalidDPoPProof:
			if tokenRetried {
				return resp, nil
			}
			tokenRetried = true
			t.Tokens.logger.DebugContext(ctx, "api refused the token; retrying with a new one")
			if hasBody && req.GetBody == nil {
				discard(resp)
				return nil, ErrBodyNotReplayable
			}
			t.Tokens.Invalidate(tok.AccessToken)
			if tok, err = t.Tokens.Token(ctx); err != nil {
				discard(resp)
				return nil, err
			}
		default:
			return resp, nil
		}
		if hasBody && req.GetBody == nil {
			discard(resp)
			return nil, ErrBodyNotReplayable
		}
		discard(resp)
	}
}

// discard reads a little of resp's body and closes it.
func discard(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, maxDrainBytes)
	_ = resp.Body.Close()
}

// ChallengeError is the error a 401's WWW-Authenticate challenge names
// (DPoP first, then Bearer): "invalid_token", "invalid_dpop_proof", ... or
// "" when it names none.
func ChallengeError(h http.Header) string {
	if e := dpopError(h.Values("WWW-Authenticate")); e != "" {
		return e
	}
	for _, ch := range parseChallenges(h.Values("WWW-Authenticate")) {
		if strings.EqualFold(ch.scheme, "Bearer") {
			return ch.params["error"]
		}
	}
	return ""
}

// dpopError returns the error parameter of the DPoP challenge in the
// WWW-Authenticate header values, or "".
func dpopError(values []string) string {
	for _, ch := range parseChallenges(values) {
		if strings.EqualFold(ch.scheme, tokenTypeDPoP) {
			return ch.params["error"]
		}
	}
	return ""
}

// challenge is one WWW-Authenticate challenge (RFC 9110 section 11.6.1).
type challenge struct {
	scheme string
	params map[string]string // names in lower case
}

// parseChallenges parses WWW-Authenticate values leniently: malformed parts
// are skipped, and it always terminates. A token68 credential is not
// interpreted (neither Bearer nor DPoP challenges use one).
func parseChallenges(values []string) []challenge {
	var out []challenge
	for _, v := range values {
		l := lexer{s: v}
		cur := -1
		for {
			l.skip(" \t,")
			if l.eof() {
				break
			}
			name := l.token()
			if name == "" {
				l.pos++ // not a token character: skip it
				continue
			}
			l.skip(" \t")
			if l.peek() != '=' {
				out = append(out, challenge{scheme: name, params: map[string]string{}})
				cur = len(out) - 1
				continue
			}
			l.pos++ // '='
			l.skip(" \t")
			var value string
			if l.peek() == '"' {
				value = l.quoted()
			} else {
				value = l.token()
			}
			if cur >= 0 {
				key := strings.ToLower(name)
				if _, seen := out[cur].params[key]; !seen {
					out[cur].params[key] = value
				}
			}
		}
	}
	return out
}

type lexer struct {
	s   string
	pos int
}

func (l *lexer) eof() bool { return l.pos >= len(l.s) }

func (l *lexer) peek() byte {
	if l.eof() {
		return 0
	}
	return l.s[l.pos]
}

func (l *lexer) skip(chars string) {
	for !l.eof() && strings.IndexByte(chars, l.s[l.pos]) >= 0 {
		l.pos++
	}
}

func (l *lexer) token() string {
	start := l.pos
	for !l.eof() && isTokenChar(l.s[l.pos]) {
		l.pos++
	}
	return l.s[start:l.pos]
}

// quoted reads a quoted-string starting at '"', resolving backslash
// escapes; an unterminated string runs to the end.
func (l *lexer) quoted() string {
	l.pos++ // opening quote
	var b strings.Builder
	for !l.eof() {
		c := l.s[l.pos]
		l.pos++
		switch {
		case c == '"':
			return b.String()
		case c == '\\' && !l.eof():
			b.WriteByte(l.s[l.pos])
			l.pos++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isTokenChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
