package idportenmock

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"resepsjon/persontjeneste/nhnmock/population"
)

// authorize checks an authentication request and shows the login page. A
// request naming an unknown client or an unregistered redirect URI gets an
// error page, never a redirect (OAuth 2.0, RFC 6749 section 4.1.2.1); other
// faults are sent back to the client's redirect URI.
func (m *Mock) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lang := pageLang(q.Get("ui_locales"))
	for k, v := range q {
		if len(v) > 1 {
			m.errorPage(w, lang, http.StatusBadRequest, "parameter "+k+" is repeated")
			return
		}
	}
	clientID, redirectURI := q.Get("client_id"), q.Get("redirect_uri")
	m.mu.Lock()
	c, known := m.clients[clientID]
	m.mu.Unlock()
	if !known {
		m.errorPage(w, lang, http.StatusBadRequest, "unknown client_id")
		return
	}
	if !slices.Contains(c.RedirectURIs, redirectURI) {
		m.errorPage(w, lang, http.StatusBadRequest, "redirect_uri is not registered for the client")
		return
	}
	state := q.Get("state")
	fail := func(code, desc string) {
		m.log.Info("idportenmock: authentication request refused", "error", code, "description", desc)
		redirectError(w, r, redirectURI, state, m.issuer(r), code, desc)
	}
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", "response_type must be code")
	case !slices.Contains(strings.Fields(q.Get("scope")), "openid"):
		fail("invalid_scope", "scope must include openid")
	case state == "":
		fail("invalid_request", "state is required")
	case q.Get("nonce") == "":
		fail("invalid_request", "nonce is required")
	case q.Get("code_challenge_method") != "S256":
		fail("invalid_request", "code_challenge_method must be S256")
	case len(q.Get("code_challenge")) != 43:
		fail("invalid_request", "code_challenge must be the base64url SHA-256 of the verifier (43 characters)")
	case q.Get("acr_values") != "" && q.Get("acr_values") != LevelSubstantial && q.Get("acr_values") != LevelHigh:
		fail("invalid_request", "acr_values must be "+LevelSubstantial+" or "+LevelHigh)
	default:
		for _, s := range strings.Fields(q.Get("scope")) {
			if s != "openid" && s != "profile" {
				fail("invalid_scope", "scope "+s+" is not known")
				return
			}
		}
		now := m.now()
		p := &pendingAuth{client: clientID, redirectURI: redirectURI, state: state, nonce: q.Get("nonce"),
			challenge: q.Get("code_challenge"), scope: q.Get("scope"), acr: q.Get("acr_values"), locale: lang,
			expires: now.Add(pendingLifetime)}
		id := rand.Text()
		m.mu.Lock()
		m.sweep(now)
		m.pending[id] = p
		m.mu.Unlock()
		m.renderLogin(w, http.StatusOK, loginPage{Request: id, Level: p.acr}, lang)
	}
}

// redirectError sends an OAuth error back to the client.
func redirectError(w http.ResponseWriter, r *http.Request, redirectURI, state, iss, code, desc string) {
	v := url.Values{"error": {code}, "error_description": {desc}, "iss": {iss}}
	if state != "" {
		v.Set("state", state)
	}
	http.Redirect(w, r, withQuery(redirectURI, v), http.StatusFound)
}

func withQuery(u string, v url.Values) string {
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + v.Encode()
}

// pick is the tester's choice on the login page: a person (or cancel).
func (m *Mock) pick(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		m.errorPage(w, "nb", http.StatusBadRequest, "the form cannot be read")
		return
	}
	id := r.PostFormValue("request")
	now := m.now()
	m.mu.Lock()
	m.sweep(now)
	p := m.pending[id]
	m.mu.Unlock()
	if p == nil {
		m.errorPage(w, pageLang(r.PostFormValue("lang")), http.StatusBadRequest, "the login has expired or was already used; start again from the service")
		return
	}
	lang := p.locale
	if r.PostFormValue("action") == "cancel" {
		m.mu.Lock()
		delete(m.pending, id)
		m.mu.Unlock()
		redirectError(w, r, p.redirectURI, p.state, m.issuer(r), "access_denied", "the user cancelled the login")
		return
	}
	pid := strings.TrimSpace(r.PostFormValue("other"))
	if pid == "" {
		pid = r.PostFormValue("pid")
	}
	level := r.PostFormValue("level")
	if level != LevelHigh {
		level = LevelSubstantial
	}
	person, ok := m.pop.ByNIN(pid)
	if pid == "" || !ok || currentNIN(person) != pid {
		msg := texts(lang).UnknownPerson
		if pid == "" {
			msg = texts(lang).ChoosePerson
		}
		m.renderLogin(w, http.StatusBadRequest, loginPage{Request: id, Error: msg, Other: pid, Level: p.acr}, lang)
		return
	}
	if p.acr == LevelHigh && level != LevelHigh {
		m.renderLogin(w, http.StatusBadRequest, loginPage{Request: id, Error: texts(lang).NeedHigh, Level: p.acr}, lang)
		return
	}
	code := rand.Text()
	m.mu.Lock()
	delete(m.pending, id)
	m.codes[code] = &grant{pendingAuth: *p, pid: pid, name: fullName(person), level: level, authTime: now}
	m.codes[code].expires = now.Add(codeLifetime)
	m.mu.Unlock()
	v := url.Values{"code": {code}, "state": {p.state}, "iss": {m.issuer(r)}}
	http.Redirect(w, r, withQuery(p.redirectURI, v), http.StatusFound)
}

// currentNIN is the person's identity number in use.
func currentNIN(p population.Person) string {
	for _, n := range p.NorwegianIdentificationNumber {
		if n.IsValid && n.Status != "Discontinued" {
			return n.IdentificationNumber
		}
	}
	return ""
}

// fullName is the person's current name.
func fullName(p population.Person) string {
	for _, n := range p.Name {
		if n.IsValid {
			return strings.Join(strings.Fields(n.GivenName+" "+n.MiddleName+" "+n.FamilyName), " ")
		}
	}
	return ""
}

// choices are the persons offered on the login page.
func (m *Mock) choices() []choice {
	out := make([]choice, 0, len(m.persons))
	for _, n := range m.persons {
		if p, ok := m.pop.ByNIN(n); ok {
			out = append(out, choice{PID: n, Name: fullName(p)})
		}
	}
	return out
}
