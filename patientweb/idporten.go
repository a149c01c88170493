package patientweb

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"resepsjon/idporten"
	"resepsjon/portal"
)

// «Logg inn med ID-porten»: the patient asks for access with an identity
// the practice's identity provider verified; the request goes to the
// portal's approval rules (portal.Service.RequestAccess) marked verified. The login is bound to the
// browser by a short-lived cookie (the handle of the login kept by package
// idporten); the verified identity waits here, under another cookie, until
// the patient has filled in the e-mail address and sent the request.

const (
	loginCookie    = "resepsjon_idporten_login"
	verifiedCookie = "resepsjon_idporten_id"
	idportenPath   = "/idporten"
	// verifiedLifetime is how long a verified identity waits for the form.
	verifiedLifetime = 15 * time.Minute
	maxVerified      = 10000
)

// verifiedStore keeps verified identities between the callback and the
// request form.
type verifiedStore struct {
	mu      sync.Mutex
	entries map[string]verifiedEntry
}

type verifiedEntry struct {
	id      idporten.Identity
	expires time.Time
}

func (v *verifiedStore) put(id idporten.Identity, now time.Time) (string, bool) {
	h := rand.Text()
	v.mu.Lock()
	defer v.mu.Unlock()
	for k, e := range v.entries {
		if now.After(e.expires) {
			delete(v.entries, k)
		}
	}
	if len(v.entries) >= maxVerified {
		return "", false
	}
	v.entries[h] = verifiedEntry{id: id, expires: now.Add(verifiedLifetime)}
	return h, true
}

func (v *verifiedStore) get(h string, now time.Time) (idporten.Identity, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	e, ok := v.entries[h]
	if !ok || now.After(e.expires) {
		return idporten.Identity{}, false
	}
	return e.id, true
}

func (v *verifiedStore) drop(h string) {
	v.mu.Lock()
	delete(v.entries, h)
	v.mu.Unlock()
}

func (s *Server) idportenRoutes() {
	s.mux.HandleFunc("GET "+idportenPath+"/logg-inn", s.idportenStart)
	s.mux.HandleFunc("GET "+idporten.CallbackPath, s.idportenCallback)
	s.mux.HandleFunc("GET "+idportenPath+"/foresporsel", s.verifiedRequestPage)
	s.mux.HandleFunc("POST "+idportenPath+"/foresporsel", s.verifiedRequest)
}

// idportenOffered tells whether the ID-porten way in is open: the login is
// configured and requests can be taken.
func (s *Server) idportenOffered(ctx context.Context) bool {
	if s.cfg.IDPorten == nil {
		return false
	}
	ok, err := s.cfg.IDPorten.IdentityProviderConfigured(ctx)
	if err != nil {
		s.log.Warn("patient portal: ID-porten settings", "err", err)
	}
	return ok
}

func (s *Server) setShortCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: idportenPath, MaxAge: int(maxAge / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
}

func (s *Server) clearShortCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: idportenPath, MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
}

// idportenMessage shows a page with a message and a way on.
func (s *Server) idportenMessage(w http.ResponseWriter, r *http.Request, status int, p page, text string, isError bool) {
	if isError {
		p.Error = text
	} else {
		p.Notice = text
	}
	s.render(w, status, "idporten-message", p)
}

// idportenStart begins a login and sends the browser to the provider.
func (s *Server) idportenStart(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, func(t texts) string { return idTextsFor(t.Lang).Title })
	if !s.idportenOffered(r.Context()) {
		s.idportenMessage(w, r, http.StatusNotFound, p, p.ID.NotOffered, true)
		return
	}
	started, err := s.cfg.IDPorten.Begin(r.Context(), p.T.Lang)
	if err != nil {
		s.loginFailed(w, r, p, err)
		return
	}
	s.setShortCookie(w, r, loginCookie, started.Handle, 10*time.Minute)
	http.Redirect(w, r, started.URL, http.StatusSeeOther)
}

// loginFailed tells the patient why the login gave no identity; the cause
// goes to the log (never the identity number: the login error holds none).
func (s *Server) loginFailed(w http.ResponseWriter, r *http.Request, p page, err error) {
	var le *idporten.LoginError
	code := idporten.CodeUnavailable
	if errors.As(err, &le) {
		code = le.Code
	}
	level := s.log.Warn
	if code == idporten.CodeCancelled || code == idporten.CodeExpired {
		level = s.log.Info
	}
	level("patient portal: ID-porten login gave no identity", "code", code, "err", err)
	s.idportenMessage(w, r, http.StatusBadRequest, p, p.ID.failure(code), true)
}

// idportenCallback finishes the login: the provider's answer must belong
// to the login this browser started.
func (s *Server) idportenCallback(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, func(t texts) string { return idTextsFor(t.Lang).Title })
	p.OtherLangURL = idportenPath + "/foresporsel?lang=" + p.T.OtherLang
	if s.cfg.IDPorten == nil {
		s.idportenMessage(w, r, http.StatusNotFound, p, p.ID.NotOffered, true)
		return
	}
	handle := ""
	if c, err := r.Cookie(loginCookie); err == nil {
		handle = c.Value
	}
	s.clearShortCookie(w, r, loginCookie)
	id, err := s.cfg.IDPorten.Complete(r.Context(), handle, r.URL.Query())
	if err != nil {
		s.loginFailed(w, r, p, err)
		return
	}
	h, ok := s.verified.put(id, time.Now())
	if !ok {
		s.loginFailed(w, r, p, &idporten.LoginError{Code: idporten.CodeUnavailable, Err: errors.New("too many verified identities waiting")})
		return
	}
	s.setShortCookie(w, r, verifiedCookie, h, verifiedLifetime)
	// The code and state leave the address bar.
	http.Redirect(w, r, idportenPath+"/foresporsel", http.StatusSeeOther)
}

// verifiedIdentity is the identity this browser's cookie points to.
func (s *Server) verifiedIdentity(r *http.Request) (string, idporten.Identity, bool) {
	c, err := r.Cookie(verifiedCookie)
	if err != nil {
		return "", idporten.Identity{}, false
	}
	id, ok := s.verified.get(c.Value, time.Now())
	return c.Value, id, ok
}

// requestForm is what the verified request form shows.
type requestForm struct {
	MaskedPID, Name, Email string
	Offered, Rights        portal.Rights
	WantsReply             bool
}

func maskPID(pid string) string {
	if len(pid) != 11 {
		return "***********"
	}
	return pid[:6] + " *****"
}

func (s *Server) verifiedForm(w http.ResponseWriter, r *http.Request, id idporten.Identity) (page, bool) {
	p := s.newPage(w, r, func(t texts) string { return idTextsFor(t.Lang).RequestTitle })
	st, err := s.svc.Settings(r.Context())
	if err != nil {
		s.fail(w, r, p, err)
		return p, false
	}
	p.Request = requestForm{MaskedPID: maskPID(id.PID), Name: id.Name, Offered: st.Offered, WantsReply: true}
	return p, true
}

func (s *Server) verifiedRequestPage(w http.ResponseWriter, r *http.Request) {
	_, id, ok := s.verifiedIdentity(r)
	if !ok {
		p := s.newPage(w, r, func(t texts) string { return idTextsFor(t.Lang).Title })
		s.idportenMessage(w, r, http.StatusGone, p, p.ID.failure(idporten.CodeExpired), true)
		return
	}
	p, ok := s.verifiedForm(w, r, id)
	if !ok {
		return
	}
	s.render(w, http.StatusOK, "idporten-request", p)
}

func (s *Server) verifiedRequest(w http.ResponseWriter, r *http.Request) {
	h, id, ok := s.verifiedIdentity(r)
	if !ok {
		p := s.newPage(w, r, func(t texts) string { return idTextsFor(t.Lang).Title })
		s.idportenMessage(w, r, http.StatusGone, p, p.ID.failure(idporten.CodeExpired), true)
		return
	}
	p, ok := s.verifiedForm(w, r, id)
	if !ok {
		return
	}
	f := &p.Request
	f.Name = strings.TrimSpace(r.PostFormValue("name"))
	if id.Name != "" {
		f.Name = id.Name // the provider's name is the verified one
	}
	f.Email = strings.TrimSpace(r.PostFormValue("email"))
	f.Rights = portal.Rights{Consultation: r.PostFormValue("consultation") == "1", Booking: r.PostFormValue("booking") == "1",
		Renewal: r.PostFormValue("renewal") == "1"}.Within(f.Offered)
	f.WantsReply = r.PostFormValue("reply") == "1"
	// The identity number and level come from the verified ID token only.
	out, err := s.svc.RequestAccess(r.Context(), portal.AccessRequest{Name: f.Name, NIN: id.PID, Email: f.Email,
		Rights: f.Rights, Verified: true, ACR: id.ACR, WantsElectronicReply: f.WantsReply, Language: p.T.Lang, Addr: clientAddr(r)})
	var ve *portal.ValidationError
	var te *portal.ThrottledError
	switch {
	case errors.As(err, &ve):
		for field, code := range ve.Fields {
			p.Fields[field], _ = portal.Message(code, p.T.Lang)
		}
		p.Error = p.ID.FixFields
		s.render(w, http.StatusBadRequest, "idporten-request", p)
		return
	case errors.As(err, &te):
		w.Header().Set("Retry-After", fmt.Sprint(int(te.RetryAfter.Seconds())+1))
		p.Error, _ = portal.Message("portal.throttled", p.T.Lang)
		s.render(w, http.StatusTooManyRequests, "idporten-request", p)
		return
	case err != nil:
		s.fail(w, r, p, err)
		return
	}
	s.verified.drop(h)
	s.clearShortCookie(w, r, verifiedCookie)
	p.Title = p.ID.SentTitle
	text := p.ID.Pending
	if out.Status == portal.RequestApproved {
		text = p.ID.Approved
	}
	s.idportenMessage(w, r, http.StatusOK, p, text, false)
}
