// Package patientweb is the patient's side of the patient portal: a second
// listener, separate from the staff app, off by default, that a practice
// publishes behind an HTTPS reverse proxy. It serves plain HTML forms —
// activate, log in, forgot password, new password, profile — in bokmål and
// English, and nothing else: the staff API and UI are not here, the staff
// session cookie means nothing here, and the portal's own cookie means
// nothing to the staff API.
package patientweb

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"resepsjon/idporten"
	"resepsjon/loopback"
	"resepsjon/portal"
)

// CookieName is the patient's session cookie. The staff app's cookie has
// another name and is never read here.
const CookieName = "resepsjon_portal"

const langCookie = "resepsjon_portal_lang"

// maxForm bounds a form body.
const maxForm = 16 << 10

// Config wires the patient's server.
type Config struct {
	Service *portal.Service
	Logger  *slog.Logger
	// Port is the port listened on: requests must name it (or the public
	// address's host) in Host.
	Port int
	// Location is the practice's time zone for dates (default local).
	Location *time.Location
	// IDPorten is the patients' login with ID-porten (patientweb/idporten.go);
	// nil: the patient side offers none.
	IDPorten *idporten.Service
}

// Server is the patient's side.
type Server struct {
	cfg  Config
	log  *slog.Logger
	tpl  *template.Template
	mux  *http.ServeMux
	svc  *portal.Service
	hand http.Handler
	// verified holds identities ID-porten verified until the request form is sent.
	verified *verifiedStore
}

// New builds the server; it does not listen.
func New(cfg Config) (*Server, error) {
	if cfg.Service == nil || cfg.Port == 0 {
		return nil, errors.New("patientweb: Service and Port are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	tpl, err := template.New("pages").Funcs(template.FuncMap{"field": newField, "rt": requestTexts}).Parse(pages + requestPages + idportenPages)
	if err != nil {
		return nil, fmt.Errorf("patientweb: templates: %w", err)
	}
	s := &Server{cfg: cfg, log: cfg.Logger, tpl: tpl, svc: cfg.Service, mux: http.NewServeMux(),
		verified: &verifiedStore{entries: map[string]verifiedEntry{}}}
	s.mux.HandleFunc("GET /{$}", s.root)
	s.mux.HandleFunc("GET /portal.css", s.stylesheet)
	s.mux.HandleFunc("GET /logg-inn", s.loginPage)
	s.mux.HandleFunc("POST /logg-inn", s.login)
	s.mux.HandleFunc("GET /aktiver", s.linkPage(portal.PurposeActivate))
	s.mux.HandleFunc("POST /aktiver", s.useLink(portal.PurposeActivate))
	s.mux.HandleFunc("GET /nytt-passord", s.linkPage(portal.PurposeReset))
	s.mux.HandleFunc("POST /nytt-passord", s.useLink(portal.PurposeReset))
	s.mux.HandleFunc("GET /glemt-passord", s.forgotPage)
	s.mux.HandleFunc("POST /glemt-passord", s.forgot)
	s.mux.HandleFunc("GET /profil", s.profilePage)
	s.mux.HandleFunc("POST /profil", s.savePreferences)
	s.mux.HandleFunc("POST /passord", s.changePassword)
	s.mux.HandleFunc("POST /logg-ut", s.logout)
	s.requestRoutes()
	s.idportenRoutes()
	s.mux.HandleFunc("/", s.notFound)
	s.hand = s.protect(s.mux)
	return s, nil
}

// Handler is the whole patient side as an http.Handler.
func (s *Server) Handler() http.Handler { return s.hand }

// Serve serves on ln until ctx ends.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.hand, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 32 << 10,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("patient portal: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

// protect adds the headers and checks every request gets: no caching, a
// strict Content-Security-Policy, the Host check, and for POST a form body
// of bounded size from this site only.
func (s *Server) protect(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("patient portal: panic", "path", r.URL.Path, "panic", fmt.Sprint(v))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
			// Paths only: a query can hold a link's token.
			s.log.Debug("patient portal request", "method", r.Method, "path", r.URL.Path, "took", time.Since(start))
		}()
		if !s.hostAllowed(r) {
			s.refuse(w, r, http.StatusForbidden)
			return
		}
		if r.Method == http.MethodPost {
			if !sameOrigin(r) {
				s.refuse(w, r, http.StatusForbidden)
				return
			}
			ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if err != nil || ct != "application/x-www-form-urlencoded" {
				s.refuse(w, r, http.StatusUnsupportedMediaType)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			if err := r.ParseForm(); err != nil {
				s.refuse(w, r, http.StatusRequestEntityTooLarge)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// hostAllowed accepts loopback names with the listener's port (the proxy
// on this machine, the demo) and the host of the portal's public address.
func (s *Server) hostAllowed(r *http.Request) bool {
	host, port, err := net.SplitHostPort(r.Host)
	if err != nil {
		host, port = r.Host, ""
	}
	if port == fmt.Sprint(s.cfg.Port) && (host == "localhost" || loopback.IsIP(host)) {
		return true
	}
	st, err := s.svc.Settings(r.Context())
	if err != nil || st.PublicURL == "" {
		return false
	}
	u, err := url.Parse(st.PublicURL)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}

// sameOrigin refuses a form posted from another site: by Sec-Fetch-Site
// where the browser sends it, else by Origin. (Under Referrer-Policy
// no-referrer a browser sends "Origin: null" with a form, so the fetch
// metadata decides for browsers; a client without either is not a browser
// another site could steer.)
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin":
		return true
	case "":
	default:
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && origin != "null" && strings.EqualFold(u.Host, r.Host)
}

// clientAddr is the patient's network address for the login throttle: the
// proxy's X-Forwarded-For (its last entry, which the proxy itself wrote)
// when the request comes from a proxy on this machine, else the peer.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if loopback.IsIP(host) {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if last := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(last) != nil {
				return last
			}
		}
	}
	return host
}

// secure reports whether the patient reached us over HTTPS: directly, or
// through the proxy (the public address is https).
func (s *Server) secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	st, err := s.svc.Settings(r.Context())
	return err == nil && strings.HasPrefix(st.PublicURL, "https://") && !loopback.IsHost(r.Host)
}

// lang is the page language: ?lang=, the language cookie, Accept-Language.
func (s *Server) lang(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "nb" || l == "en" {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "nb" || c.Value == "en") {
		return c.Value
	}
	for _, part := range strings.Split(strings.ToLower(r.Header.Get("Accept-Language")), ",") {
		tag := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		switch {
		case strings.HasPrefix(tag, "en"):
			return "en"
		case strings.HasPrefix(tag, "nb"), strings.HasPrefix(tag, "no"), strings.HasPrefix(tag, "nn"):
			return "nb"
		}
	}
	return "nb"
}

// page is what every template gets.
type page struct {
	T            texts
	Title        string
	Practice     string
	OtherLangURL string
	Notice       string
	Error        string
	Email        string
	Fields       map[string]string
	// setpassword
	LinkOK               bool
	Token, Action, Intro string
	Button               string
	Profile              portal.Profile
	// X is what the pages of access requests and the rights' functions need.
	X extra
	// ID-porten: its texts, whether its login is offered, the request form.
	ID       idTexts
	IDPorten bool
	Request  requestForm
}

func (s *Server) newPage(w http.ResponseWriter, r *http.Request, title func(texts) string) page {
	l := s.lang(w, r)
	t := textsFor(l)
	q := url.Values{}
	if tok := r.FormValue("t"); tok != "" && len(tok) <= 128 {
		q.Set("t", tok)
	}
	q.Set("lang", t.OtherLang)
	p := page{T: t, Title: title(t), OtherLangURL: r.URL.Path + "?" + q.Encode(), Fields: map[string]string{},
		ID: idTextsFor(t.Lang), IDPorten: s.idportenOffered(r.Context())}
	if st, err := s.svc.Settings(r.Context()); err == nil {
		p.Practice = st.PracticeName
	}
	return p
}

func (s *Server) render(w http.ResponseWriter, status int, name string, p page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := s.tpl.ExecuteTemplate(w, name, p); err != nil {
		s.log.Error("patient portal: render", "page", name, "err", err)
	}
}

// refuse answers a request the checks stopped, as a page in the patient's
// language.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, status int) {
	p := page{T: textsFor(s.lang(w, r)), Fields: map[string]string{}}
	p.Title, p.Error, p.OtherLangURL = p.T.Portal, p.T.Refused, "/logg-inn?lang="+p.T.OtherLang
	s.render(w, status, "message", p)
}

// field is one labelled input for the "field" template.
type field struct {
	ID, Name, Type, Label, Help, Value, Auto, Err string
	Max                                           int
}

func newField(id, name, typ, label, help, value, auto, errText string, max int) field {
	return field{ID: id, Name: name, Type: typ, Label: label, Help: help, Value: value, Auto: auto, Err: errText, Max: max}
}

func (s *Server) stylesheet(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write([]byte(css + requestCSS + idportenCSS))
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, func(t texts) string { return t.NotFound })
	p.Error = p.T.NotFoundText
	s.render(w, http.StatusNotFound, "message", p)
}

func (s *Server) root(w http.ResponseWriter, r *http.Request) {
	if _, err := s.user(r); err == nil {
		http.Redirect(w, r, "/profil", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/logg-inn", http.StatusSeeOther)
}

// user is the logged-in patient, from the portal's own cookie only.
func (s *Server) user(r *http.Request) (portal.User, error) {
	c, err := r.Cookie(CookieName)
	if err != nil {
		return portal.User{}, portal.ErrNoSession
	}
	return s.svc.Session(r.Context(), c.Value)
}

func (s *Server) setSession(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
}

func (s *Server) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, func(t texts) string { return t.LoginTitle })
	s.render(w, http.StatusOK, "login", p)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, func(t texts) string { return t.LoginTitle })
	email := strings.TrimSpace(r.PostFormValue("email"))
	if len(email) <= 254 {
		p.Email = email
	}
	token, _, err := s.svc.Login(r.Context(), email, r.PostFormValue("password"), clientAddr(r))
	if err != nil {
		var te *portal.ThrottledError
		switch {
		case errors.As(err, &te):
			w.Header().Set("Retry-After", fmt.Sprint(int(te.RetryAfter.Seconds())+1))
			p.Error, _ = portal.Message("portal.throttled", p.T.Lang)
			s.render(w, http.StatusTooManyRequests, "login", p)
		case errors.Is(err, portal.ErrLoginFailed):
			p.Error, _ = portal.Message("portal.login_failed", p.T.Lang)
			s.render(w, http.StatusUnauthorized, "login", p)
		default:
			s.fail(w, r, p, err)
		}
		return
	}
	s.setSession(w, r, token)
	http.Redirect(w, r, "/profil", http.StatusSeeOther)
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, p page, err error) {
	s.log.Error("patient portal: request failed", "path", r.URL.Path, "err", err)
	p.Error = p.T.Error
	s.render(w, http.StatusInternalServerError, "message", p)
}

func (s *Server) linkPage(purpose string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := s.setPasswordPage(w, r, purpose)
		ok, err := s.svc.LinkValid(r.Context(), p.Token, purpose)
		if err != nil {
			s.fail(w, r, p, err)
			return
		}
		status := http.StatusOK
		if !ok {
			p.LinkOK, p.Title = false, p.T.LinkInvalidTitle
			p.Error, _ = portal.Message("portal.link_invalid", p.T.Lang)
			status = http.StatusGone
		}
		s.render(w, status, "setpassword", p)
	}
}

func (s *Server) setPasswordPage(w http.ResponseWriter, r *http.Request, purpose string) page {
	p := s.newPage(w, r, func(t texts) string {
		if purpose == portal.PurposeReset {
			return t.ResetTitle
		}
		return t.ActivateTitle
	})
	p.LinkOK = true
	if tok := r.FormValue("t"); len(tok) <= 128 {
		p.Token = tok
	}
	if purpose == portal.PurposeReset {
		p.Action, p.Intro, p.Button = "/nytt-passord", p.T.ResetIntro, p.T.ResetButton
	} else {
		p.Action, p.Intro, p.Button = "/aktiver", p.T.ActivateIntro, p.T.ActivateButton
	}
	return p
}

func (s *Server) useLink(purpose string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := s.setPasswordPage(w, r, purpose)
		pw, repeat := r.PostFormValue("password"), r.PostFormValue("repeat")
		if pw != repeat {
			p.Fields["repeat"], _ = portal.Message("password.mismatch", p.T.Lang)
			s.render(w, http.StatusBadRequest, "setpassword", p)
			return
		}
		token, _, err := s.svc.UseLink(r.Context(), p.Token, purpose, pw)
		var ve *portal.ValidationError
		switch {
		case errors.As(err, &ve):
			for f, code := range ve.Fields {
				p.Fields[f], _ = portal.Message(code, p.T.Lang)
			}
			s.render(w, http.StatusBadRequest, "setpassword", p)
			return
		case errors.Is(err, portal.ErrLinkInvalid):
			p.LinkOK, p.Title = false, p.T.LinkInvalidTitle
			p.Error, _ = portal.Message("portal.link_invalid", p.T.Lang)
			s.render(w, http.StatusGone, "setpassword", p)
			return
		case err != nil:
			s.fail(w, r, p, err)
			return
		}
		s.setSession(w, r, token)
		note := "activated"
		if purpose == portal.PurposeReset {
			note = "reset"
		}
		http.Redirect(w, r, "/profil?ok="+note, http.StatusSeeOther)
	}
}

func (s *Server) forgotPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "forgot", s.newPage(w, r, func(t texts) string { return t.ForgotTitle }))
}

// forgot answers the same whether or not the address has an account.
func (s *Server) forgot(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, func(t texts) string { return t.ForgotTitle })
	email := strings.TrimSpace(r.PostFormValue("email"))
	err := s.svc.RequestReset(r.Context(), email, clientAddr(r))
	var te *portal.ThrottledError
	switch {
	case errors.As(err, &te):
		p.Error, _ = portal.Message("portal.throttled", p.T.Lang)
		s.render(w, http.StatusTooManyRequests, "forgot", p)
		return
	case err != nil:
		s.log.Error("patient portal: reset request", "err", err)
	}
	p.Notice, _ = portal.Message("portal.reset_sent", p.T.Lang)
	s.render(w, http.StatusOK, "forgot", p)
}

func (s *Server) profilePage(w http.ResponseWriter, r *http.Request) {
	s.showProfile(w, r, http.StatusOK, nil)
}

func (s *Server) showProfile(w http.ResponseWriter, r *http.Request, status int, edit func(*page)) {
	u, err := s.user(r)
	if err != nil {
		http.Redirect(w, r, "/logg-inn", http.StatusSeeOther)
		return
	}
	p := s.newPage(w, r, func(t texts) string { return t.ProfileTitle })
	if p.Profile, err = s.svc.Profile(r.Context(), u); err != nil {
		s.fail(w, r, p, err)
		return
	}
	if st, err := s.svc.Settings(r.Context()); err == nil {
		p.X.Rights = u.Rights.Within(st.Offered)
	}
	switch r.URL.Query().Get("ok") {
	case "activated":
		p.Notice = p.T.Activated
	case "reset":
		p.Notice = p.T.ResetDone
	case "saved":
		p.Notice = p.T.Saved
	case "password":
		p.Notice = p.T.PasswordChanged
	}
	if edit != nil {
		edit(&p)
	}
	s.render(w, status, "profile", p)
}

func (s *Server) savePreferences(w http.ResponseWriter, r *http.Request) {
	u, err := s.user(r)
	if err != nil {
		http.Redirect(w, r, "/logg-inn", http.StatusSeeOther)
		return
	}
	if _, err := s.svc.SetPreferences(r.Context(), u, r.PostFormValue("reply") == "1", r.PostFormValue("language")); err != nil {
		s.fail(w, r, s.newPage(w, r, func(t texts) string { return t.ProfileTitle }), err)
		return
	}
	http.Redirect(w, r, "/profil?ok=saved", http.StatusSeeOther)
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	u, err := s.user(r)
	if err != nil {
		http.Redirect(w, r, "/logg-inn", http.StatusSeeOther)
		return
	}
	lang := s.lang(w, r)
	next, repeat := r.PostFormValue("password"), r.PostFormValue("repeat")
	if next != repeat {
		msg, _ := portal.Message("password.mismatch", lang)
		s.showProfile(w, r, http.StatusBadRequest, func(p *page) { p.Fields["repeat"] = msg })
		return
	}
	token, err := s.svc.ChangePassword(r.Context(), u, r.PostFormValue("current"), next, clientAddr(r))
	var ve *portal.ValidationError
	var te *portal.ThrottledError
	switch {
	case errors.As(err, &ve):
		s.showProfile(w, r, http.StatusBadRequest, func(p *page) {
			for f, code := range ve.Fields {
				p.Fields[f], _ = portal.Message(code, lang)
			}
		})
		return
	case errors.As(err, &te):
		msg, _ := portal.Message("portal.throttled", lang)
		s.showProfile(w, r, http.StatusTooManyRequests, func(p *page) { p.Error = msg })
		return
	case err != nil:
		s.fail(w, r, s.newPage(w, r, func(t texts) string { return t.ProfileTitle }), err)
		return
	}
	s.setSession(w, r, token)
	http.Redirect(w, r, "/profil?ok=password", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(CookieName); err == nil {
		if err := s.svc.Logout(r.Context(), c.Value); err != nil {
			s.log.Warn("patient portal: logout", "err", err)
		}
	}
	s.clearSession(w, r)
	http.Redirect(w, r, "/logg-inn", http.StatusSeeOther)
}
