package app

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"resepsjon/loopback"

	"github.com/labstack/echo/v4"
)

// The browser gets the session through a one-time launch token in the URL,
// exchanged for an HttpOnly, SameSite=Strict cookie. Scripts use
// "Authorization: Bearer <token>" with the token from server.json.

const launchTokenLifetime = 10 * time.Minute

// NewToken returns 32 random bytes, base64url.
func NewToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// launchTokens are one-time tokens for opening the browser.
type launchTokens struct {
	mu     sync.Mutex
	tokens map[string]time.Time // token -> expiry
}

func (l *launchTokens) issue(now time.Time) (string, error) {
	t, err := NewToken()
	if err != nil {
		return "", err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, exp := range l.tokens {
		if now.After(exp) {
			delete(l.tokens, k)
		}
	}
	l.tokens[t] = now.Add(launchTokenLifetime)
	return t, nil
}

// redeem consumes t; it succeeds once.
func (l *launchTokens) redeem(t string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	exp, ok := l.tokens[t]
	if !ok {
		return false
	}
	delete(l.tokens, t)
	return now.Before(exp)
}

func (s *Server) cookieName() string {
	return "resepsjon_" + strconv.Itoa(s.cfg.Port)
}

// securityHeaders are sent on every response.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if p := c.Request().URL.Path; p == "/api" || strings.HasPrefix(p, "/api/") {
			// API answers carry personal data: never into the browser's
			// disk cache, which outlives a deleted client.
			h.Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}

// checkHost refuses requests whose Host header is not this server under a
// loopback name: a page on another site that re-points its DNS name at
// 127.0.0.1 (DNS rebinding) carries its own name in Host.
func (s *Server) checkHost(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !s.hostAllowed(c.Request().Host) {
			return newError(http.StatusForbidden, "forbidden_host")
		}
		return next(c)
	}
}

func (s *Server) hostAllowed(hostport string) bool {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil || port != strconv.Itoa(s.cfg.Port) {
		return false
	}
	if loopback.IsHost(hostport) {
		return true
	}
	for _, h := range s.cfg.ExtraHosts {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	return false
}

// checkOrigin refuses state-changing requests sent by another origin (CSRF).
// Browsers send Origin on cross-origin POST/PUT/DELETE; scripts without a
// browser send none, and they still need the bearer token.
//
// It stays hand-written rather than net/http's CrossOriginProtection: that
// compares only the Origin's host with Host, so an https:// origin on the
// app's own host and port would pass, and with Sec-Fetch-Site present it
// does not look at Origin at all; here both must name the page's own
// http origin (TestCrossOriginWritesRefused).
func (s *Server) checkOrigin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if origin := r.Header.Get("Origin"); origin != "" {
			if origin != "http://"+r.Host {
				return newError(http.StatusForbidden, "forbidden_origin")
			}
		}
		if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
			return newError(http.StatusForbidden, "forbidden_origin")
		}
		return next(c)
	}
}

// requireSession admits a request carrying the session cookie or the bearer
// token.
func (s *Server) requireSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.authenticated(c.Request()) {
			return next(c)
		}
		return newError(http.StatusUnauthorized, "unauthorized")
	}
}

// authenticated: a bearer token decides alone; other Authorization schemes
// (a proxy's Basic, say) are not ours and are ignored. Any cookie of the
// session's name may match: cookies ignore ports, so a page on another
// 127.0.0.1 port can plant a second one with the same name.
func (s *Server) authenticated(r *http.Request) bool {
	if auth := r.Header.Get("Authorization"); auth != "" {
		scheme, tok, ok := strings.Cut(auth, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return s.tokenMatches(strings.TrimSpace(tok))
		}
	}
	name := s.cookieName()
	for _, ck := range r.Cookies() {
		if ck.Name == name && s.tokenMatches(ck.Value) {
			return true
		}
	}
	return false
}

// requireJSON refuses a state-changing request whose body is not declared
// as JSON (415): a second line of defence behind the Origin check, since a
// cross-site form can send only form or text bodies. A request without a
// body and without Content-Type (a DELETE, the launcher's POST) passes.
func requireJSON(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if r.URL.Path == importUploadPath {
			return next(c) // a client list file: postImportFile checks its types
		}
		ct := r.Header.Get("Content-Type")
		if ct == "" && r.ContentLength == 0 {
			return next(c)
		}
		if mt, params, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" ||
			(params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8")) {
			return newError(http.StatusUnsupportedMediaType, "unsupported_media_type")
		}
		return next(c)
	}
}

// checkQuery refuses a malformed query string (q=%ZZ, or escapes that are
// not UTF-8) with 400: read
// leniently, the broken parameter would vanish and a search would list
// everyone.
func checkQuery(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		values, err := url.ParseQuery(c.Request().URL.RawQuery)
		if err != nil {
			return newError(http.StatusBadRequest, "invalid_query")
		}
		for _, vs := range values {
			for _, v := range vs {
				if !utf8.ValidString(v) {
					return newError(http.StatusBadRequest, "invalid_query")
				}
			}
		}
		return next(c)
	}
}

func (s *Server) tokenMatches(t string) bool {
	return t != "" && subtle.ConstantTimeCompare([]byte(t), []byte(s.cfg.Token)) == 1
}

// limitBody caps request bodies; a larger body is a 413.
func (s *Server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		limit := s.cfg.MaxBodyBytes
		if r.URL.Path == importUploadPath {
			limit = s.cfg.Transfer.MaxUploadBytes // a client list is a file
		}
		if r.ContentLength > limit {
			return newError(http.StatusRequestEntityTooLarge, "too_large")
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
		}
		return next(c)
	}
}

// launch exchanges a one-time launch token for the session cookie and sends
// the browser on without the token in its address bar or history.
func (s *Server) launch(c echo.Context) error {
	if t := c.QueryParam("token"); t != "" {
		if s.launches.redeem(t, s.now()) {
			c.SetCookie(&http.Cookie{
				Name:     s.cookieName(),
				Value:    s.cfg.Token,
				Path:     "/",
				HttpOnly: true,
				SameSite: http.SameSiteStrictMode,
			})
		} else {
			s.log.Info("launch token refused: unknown, used or expired")
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.Redirect(http.StatusSeeOther, "/")
	}
	return s.serveIndex(c)
}

// LaunchURL issues a fresh one-time launch URL for this server.
func (s *Server) LaunchURL() (string, error) {
	t, err := s.launches.issue(s.now())
	if err != nil {
		return "", err
	}
	return s.cfg.BaseURL + "/?token=" + t, nil
}

// postLaunch issues a one-time launch token for a second launch, which
// builds the address to open itself; the URL is for scripts.
func (s *Server) postLaunch(c echo.Context) error {
	t, err := s.launches.issue(s.now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"url": s.cfg.BaseURL + "/?token=" + t, "token": t})
}
