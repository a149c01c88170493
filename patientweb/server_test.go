package patientweb_test

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"resepsjon/activation"
	"resepsjon/app"
	"resepsjon/lookup"
	"resepsjon/outbox"
	"resepsjon/outbox/smtptest"
	"resepsjon/patientweb"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/portal"
	"resepsjon/refresh"
	"resepsjon/register"
	"resepsjon/store"
)

// world is the whole portal on loopback: the staff app, the patient
// listener, a real SMTP server and the outbox sender, over one SQLite file.
type world struct {
	t          *testing.T
	db         *store.DB
	smtp       *smtptest.Server
	staffURL   string
	staffToken string
	staffPort  int
	patientURL string
	sender     *outbox.Sender
	// marked gets a tick each time the sender has recorded a mail as sent.
	marked chan struct{}
}

// markingStore is the outbox's store that tells the world each time a mail
// is recorded as sent.
type markingStore struct {
	outbox.Store
	marked chan<- struct{}
}

func (s markingStore) MarkSent(ctx context.Context, id int64, at time.Time) error {
	err := s.Store.MarkSent(ctx, id, at)
	select {
	case s.marked <- struct{}{}:
	default:
	}
	return err
}

// waitMarkedSent waits until the sender has recorded n more mails as sent.
func (w *world) waitMarkedSent(n int) {
	w.t.Helper()
	for range n {
		select {
		case <-w.marked:
		case <-time.After(20 * time.Second):
			w.t.Fatal("the outbox sender recorded no mail as sent within 20 s")
		}
	}
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "r.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := smtptest.Start(smtptest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	staffLn, _ := net.Listen("tcp", "127.0.0.1:0")
	patientLn, _ := net.Listen("tcp", "127.0.0.1:0")
	w := &world{t: t, db: db, smtp: srv, staffPort: staffLn.Addr().(*net.TCPAddr).Port, marked: make(chan struct{}, 100)}
	w.staffURL = "http://127.0.0.1:" + strconv.Itoa(w.staffPort)
	pport := patientLn.Addr().(*net.TCPAddr).Port
	w.patientURL = "http://127.0.0.1:" + strconv.Itoa(pport)

	sender := outbox.NewSender(outbox.SenderConfig{Store: markingStore{Store: db, marked: w.marked}, Transport: outbox.NewSMTP(outbox.SMTPConfig{Host: "127.0.0.1", Port: srv.Port(),
		From:      func(context.Context) (string, string, error) { return "Fysio Nord", "post@fysio.example.no", nil },
		TLSConfig: &tls.Config{RootCAs: srv.RootCAs, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}})})
	argon := portal.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	w.sender = sender
	svc, err := portal.New(portal.Config{Store: db, Clients: db, Settings: db, Argon2: &argon, PatientURL: w.patientURL, Wake: sender.Wake})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := activation.New(activation.Config{Settings: db, Keys: helseid.NoKeyring{}})
	if err != nil {
		t.Fatal(err)
	}
	look, err := lookup.New(lookup.Config{Connection: conn, Clients: db, Audit: db})
	if err != nil {
		t.Fatal(err)
	}
	runner, err := refresh.New(refresh.Config{Connection: conn, Lookup: look, Clients: db})
	if err != nil {
		t.Fatal(err)
	}
	w.staffToken, _ = app.NewToken()
	staff, err := app.New(app.Config{Clients: db, Audit: db, Connection: conn, Lookup: look, Refresh: runner, Token: w.staffToken, Port: w.staffPort,
		UI:     fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Resepsjon</title>")}},
		Portal: app.PortalConfig{Service: svc, PatientURL: w.patientURL}, OSUser: "resepsjonist"})
	if err != nil {
		t.Fatal(err)
	}
	patient, err := patientweb.New(patientweb.Config{Service: svc, Port: pport})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{}, 3)
	go func() { staff.Serve(ctx, staffLn); done <- struct{}{} }()
	go func() { patient.Serve(ctx, patientLn); done <- struct{}{} }()
	go func() { sender.Run(ctx); done <- struct{}{} }()
	t.Cleanup(func() {
		cancel()
		for range 3 {
			<-done
		}
		srv.Close()
		db.Close()
	})
	return w
}

// staff calls the staff API with the bearer token.
func (w *world) staff(method, path, body string) (int, string) {
	w.t.Helper()
	req, _ := http.NewRequest(method, w.staffURL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+w.staffToken)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// browser is a patient's browser: a cookie jar, no automatic redirects.
type browser struct {
	t      *testing.T
	client *http.Client
	base   string
}

func (w *world) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: w.t, base: w.patientURL, client: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	status   int
	location string
	body     string
}

func (b *browser) get(path string) page {
	b.t.Helper()
	resp, err := b.client.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	return read(resp)
}

func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.base)
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	return read(resp)
}

func read(resp *http.Response) page {
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(body)}
}

func (w *world) client(given, family string) register.Client {
	w.t.Helper()
	c, err := w.db.CreateClient(context.Background(), register.Client{GivenName: given, FamilyName: family})
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

var linkRE = regexp.MustCompile(`http://127\.0\.0\.1:\d+(/(?:aktiver|nytt-passord)\?t=[A-Za-z0-9_-]+)`)

// mail waits for the n-th mail and returns its link's path and query.
func (w *world) mailLink(n int) (to, link string) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs, err := w.smtp.WaitFor(ctx, n)
	if err != nil {
		w.t.Fatal(err)
	}
	m := msgs[n-1]
	// The quoted-printable body breaks "=" as "=3D".
	data := strings.ReplaceAll(strings.ReplaceAll(string(m.Data), "=\r\n", ""), "=3D", "=")
	sm := linkRE.FindStringSubmatch(data)
	if sm == nil {
		return m.To[0], ""
	}
	return m.To[0], sm[1]
}

func TestPatientFlow(t *testing.T) {
	w := newWorld(t)
	c := w.client("Kari", "Nordmann")
	id := strconv.FormatInt(c.ID, 10)
	if st, body := w.staff("POST", "/api/clients/"+id+"/portal", `{"email":"kari@example.no","rights":{"consultation":true,"renewal":true},"wantsElectronicReply":true}`); st != 201 {
		t.Fatalf("create: %d %s", st, body)
	}
	to, link := w.mailLink(1)
	if to != "kari@example.no" || link == "" {
		t.Fatalf("activation mail to %s with link %q", to, link)
	}
	b := w.browser()
	p := b.get(link)
	if p.status != 200 || !strings.Contains(p.body, "Aktiver tilgangen") || !strings.Contains(p.body, "Minst 10 tegn") {
		t.Fatalf("activation page: %d %s", p.status, p.body)
	}
	tok := strings.TrimPrefix(link, "/aktiver?t=")
	// Mismatch and weak passwords are explained; the link stays usable.
	p = b.post("/aktiver", url.Values{"t": {tok}, "password": {"kort"}, "repeat": {"kort"}})
	if p.status != 400 || !strings.Contains(p.body, "minst 10 tegn") {
		t.Fatalf("weak password: %d", p.status)
	}
	p = b.post("/aktiver", url.Values{"t": {tok}, "password": {"blå sykkel ved sjøen"}, "repeat": {"blå sykkel ved sjøen"}})
	if p.status != 303 || !strings.HasPrefix(p.location, "/profil") {
		t.Fatalf("activate: %d %s", p.status, p.body)
	}
	p = b.get(p.location)
	for _, want := range []string{"Kari Nordmann", "kari@example.no", "E-konsultasjon: <strong>ja", "E-timebestilling: <strong>nei", "E-reseptfornyelse: <strong>ja", "checked", "Tilgangen din er aktivert"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("profile lacks %q", want)
		}
	}
	// The link is spent.
	if p = b.get(link); p.status != http.StatusGone || !strings.Contains(p.body, "Lenken er brukt") {
		t.Fatalf("used link: %d", p.status)
	}
	// The staff panel says active.
	if _, body := w.staff("GET", "/api/clients/"+id+"/portal", ""); !strings.Contains(body, `"status":"active"`) {
		t.Fatalf("panel: %s", body)
	}
	// Log out, log in.
	if p = b.post("/logg-ut", nil); p.status != 303 {
		t.Fatalf("logout: %d", p.status)
	}
	if p = b.get("/profil"); p.status != 303 || p.location != "/logg-inn" {
		t.Fatalf("profile after logout: %d %s", p.status, p.location)
	}
	if p = b.post("/logg-inn", url.Values{"email": {"kari@example.no"}, "password": {"blå sykkel ved sjøen"}}); p.status != 303 {
		t.Fatalf("login: %d %s", p.status, p.body)
	}
	// Remove every right: profile only.
	_, body := w.staff("GET", "/api/clients/"+id+"/portal", "")
	version := regexp.MustCompile(`"version":(\d+)`).FindStringSubmatch(body)[1]
	if st, body := w.staff("PUT", "/api/clients/"+id+"/portal", `{"email":"kari@example.no","rights":{},"version":`+version+`}`); st != 200 {
		t.Fatalf("remove rights: %d %s", st, body)
	}
	if p = b.get("/profil"); !strings.Contains(p.body, "Ingen tjenester nå") {
		t.Fatalf("profile without rights: %s", p.body)
	}
	// «Ny kode»: reset link, new password, old one refused.
	if st, body := w.staff("POST", "/api/clients/"+id+"/portal/reset", ""); st != 200 {
		t.Fatalf("reset: %d %s", st, body)
	}
	_, reset := w.mailLink(2)
	b2 := w.browser()
	p = b2.post("/nytt-passord", url.Values{"t": {strings.TrimPrefix(reset, "/nytt-passord?t=")}, "password": {"grønn båt i havna"}, "repeat": {"grønn båt i havna"}})
	if p.status != 303 {
		t.Fatalf("new password: %d %s", p.status, p.body)
	}
	if p = b.get("/profil"); p.status != 303 {
		t.Fatal("the old session must end with a new password")
	}
	if p = b.post("/logg-inn", url.Values{"email": {"kari@example.no"}, "password": {"blå sykkel ved sjøen"}}); p.status != 401 {
		t.Fatalf("old password: %d", p.status)
	}
	// «Slett»: login refused, the client stays.
	if st, _ := w.staff("DELETE", "/api/clients/"+id+"/portal", ""); st != 204 {
		t.Fatal(st)
	}
	if p = b.post("/logg-inn", url.Values{"email": {"kari@example.no"}, "password": {"grønn båt i havna"}}); p.status != 401 {
		t.Fatalf("login after delete: %d", p.status)
	}
	if st, _ := w.staff("GET", "/api/clients/"+id, ""); st != 200 {
		t.Fatal("client gone")
	}
}

func TestNoEnumerationAndThrottle(t *testing.T) {
	w := newWorld(t)
	c := w.client("Ola", "Hansen")
	w.staff("POST", "/api/clients/"+strconv.FormatInt(c.ID, 10)+"/portal", `{"email":"ola@example.no"}`)
	_, link := w.mailLink(1)
	b := w.browser()
	b.post("/aktiver", url.Values{"t": {strings.TrimPrefix(link, "/aktiver?t=")}, "password": {"olas lange passord"}, "repeat": {"olas lange passord"}})

	known := b.post("/logg-inn", url.Values{"email": {"ola@example.no"}, "password": {"feil feil feil"}})
	unknown := b.post("/logg-inn", url.Values{"email": {"ingen@example.no"}, "password": {"feil feil feil"}})
	if known.status != unknown.status || strip(known.body, "ola@example.no") != strip(unknown.body, "ingen@example.no") {
		t.Fatal("a wrong password and an unknown address must look the same")
	}
	f1 := b.post("/glemt-passord", url.Values{"email": {"ola@example.no"}})
	f2 := b.post("/glemt-passord", url.Values{"email": {"ingen@example.no"}})
	if f1.status != f2.status || f1.body != f2.body {
		t.Fatal("«Glemt passord» must answer the same for known and unknown addresses")
	}
	for range 5 {
		b.post("/logg-inn", url.Values{"email": {"ola@example.no"}, "password": {"feil feil feil"}})
	}
	p := b.post("/logg-inn", url.Values{"email": {"ola@example.no"}, "password": {"olas lange passord"}})
	if p.status != http.StatusTooManyRequests || !strings.Contains(p.body, "For mange forsøk") {
		t.Fatalf("after many failures: %d", p.status)
	}
}

func strip(s, email string) string { return strings.ReplaceAll(s, email, "") }

func TestSessionsAreSeparate(t *testing.T) {
	w := newWorld(t)
	c := w.client("Siv", "Moe")
	w.staff("POST", "/api/clients/"+strconv.FormatInt(c.ID, 10)+"/portal", `{"email":"siv@example.no"}`)
	_, link := w.mailLink(1)
	b := w.browser()
	b.post("/aktiver", url.Values{"t": {strings.TrimPrefix(link, "/aktiver?t=")}, "password": {"sivs lange passord"}, "repeat": {"sivs lange passord"}})
	pu, _ := url.Parse(w.patientURL)
	var portalCookie *http.Cookie
	for _, ck := range b.client.Jar.Cookies(pu) {
		if ck.Name == patientweb.CookieName {
			portalCookie = ck
		}
	}
	if portalCookie == nil {
		t.Fatal("no portal cookie")
	}
	// The portal cookie (and its value as a bearer token) gets 401 on the staff API.
	for _, set := range []func(*http.Request){
		func(r *http.Request) { r.AddCookie(portalCookie) },
		func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+portalCookie.Value) },
		func(r *http.Request) {
			r.AddCookie(&http.Cookie{Name: "resepsjon_" + strconv.Itoa(w.staffPort), Value: portalCookie.Value})
		},
	} {
		req, _ := http.NewRequest("GET", w.staffURL+"/api/clients", nil)
		set(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("staff API with the portal's session: %d", resp.StatusCode)
		}
	}
	// The staff session means nothing on the patient side.
	req, _ := http.NewRequest("GET", w.patientURL+"/profil", nil)
	req.AddCookie(&http.Cookie{Name: "resepsjon_" + strconv.Itoa(w.staffPort), Value: w.staffToken})
	req.Header.Set("Authorization", "Bearer "+w.staffToken)
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/logg-inn" {
		t.Fatalf("patient side with the staff session: %d", resp.StatusCode)
	}
	// The patient listener refuses staff routes, even with the staff token.
	for _, path := range []string{"/api/clients", "/api/health", "/api/portal/users", "/?token=" + w.staffToken, "/app.js", "/index.html"} {
		req, _ := http.NewRequest("GET", w.patientURL+path, nil)
		req.Header.Set("Authorization", "Bearer "+w.staffToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if path == "/?token="+w.staffToken {
			if resp.StatusCode != 200 || !strings.Contains(string(body), "Logg inn") { // redirected to the login page
				t.Errorf("%s: %d", path, resp.StatusCode)
			}
			continue
		}
		if resp.StatusCode != http.StatusNotFound || strings.Contains(string(body), "{") {
			t.Errorf("%s on the patient listener: %d %s", path, resp.StatusCode, body)
		}
	}
	// Cookie attributes: HttpOnly, SameSite=Lax; not Secure over plain loopback HTTP.
	p := w.browser().post("/logg-inn", url.Values{"email": {"siv@example.no"}, "password": {"sivs lange passord"}})
	_ = p
	req, _ = http.NewRequest("POST", w.patientURL+"/logg-inn", strings.NewReader("email=siv%40example.no&password=sivs+lange+passord"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	sc := resp.Header.Get("Set-Cookie")
	if !strings.Contains(sc, patientweb.CookieName+"=") || !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") || strings.Contains(sc, "Secure") {
		t.Fatalf("Set-Cookie: %s", sc)
	}
}

func TestPatientRequestChecks(t *testing.T) {
	w := newWorld(t)
	tests := []struct {
		name   string
		req    func() *http.Request
		status int
	}{
		{"foreign Host", func() *http.Request {
			r, _ := http.NewRequest("GET", w.patientURL+"/logg-inn", nil)
			r.Host = "evil.example"
			return r
		}, 403},
		{"cross-site form", func() *http.Request {
			r, _ := http.NewRequest("POST", w.patientURL+"/logg-inn", strings.NewReader("email=a%40b.no&password=x"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set("Origin", "https://evil.example")
			return r
		}, 403},
		{"Sec-Fetch-Site cross-site", func() *http.Request {
			r, _ := http.NewRequest("POST", w.patientURL+"/logg-inn", strings.NewReader("email=a%40b.no&password=x"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set("Sec-Fetch-Site", "cross-site")
			return r
		}, 403},
		{"JSON body", func() *http.Request {
			r, _ := http.NewRequest("POST", w.patientURL+"/logg-inn", strings.NewReader(`{"email":"a@b.no"}`))
			r.Header.Set("Content-Type", "application/json")
			return r
		}, 415},
		{"huge form", func() *http.Request {
			r, _ := http.NewRequest("POST", w.patientURL+"/glemt-passord", strings.NewReader("email="+strings.Repeat("a", 20000)))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, 413},
		{"English", func() *http.Request {
			r, _ := http.NewRequest("GET", w.patientURL+"/logg-inn", nil)
			r.Header.Set("Accept-Language", "en-GB,en;q=0.9")
			return r
		}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.DefaultClient.Do(tt.req())
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("%d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Cache-Control"} {
				if resp.Header.Get(h) == "" {
					t.Errorf("missing %s", h)
				}
			}
			if tt.name == "English" && !strings.Contains(string(body), "Log in to the patient portal") {
				t.Errorf("English page: %s", body)
			}
		})
	}
}
