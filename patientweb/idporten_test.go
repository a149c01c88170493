package patientweb_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"resepsjon/activation"
	"resepsjon/app"
	"resepsjon/idporten"
	"resepsjon/idporten/idportenmock"
	"resepsjon/lookup"
	"resepsjon/patientweb"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/persontjeneste/nhnmock/population"
	"resepsjon/portal"
	"resepsjon/refresh"
	"resepsjon/store"
)

// idWorld is the staff app and the patient side with ID-porten against
// the mock, all on loopback over one SQLite file.
type idWorld struct {
	t          *testing.T
	svc        *portal.Service
	mock       *idportenmock.Mock
	mockURL    string
	pop        *population.Population
	staffURL   string
	staffToken string
	patientURL string
}

func newIDWorld(t *testing.T) *idWorld {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "r.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	pop, err := population.New(population.Config{Seed: 5, Size: 150})
	if err != nil {
		t.Fatal(err)
	}
	m, err := idportenmock.New(idportenmock.Config{Population: pop})
	if err != nil {
		t.Fatal(err)
	}
	mockSrv := httptest.NewServer(m.Handler())
	staffLn, _ := net.Listen("tcp", "127.0.0.1:0")
	patientLn, _ := net.Listen("tcp", "127.0.0.1:0")
	staffPort, pport := staffLn.Addr().(*net.TCPAddr).Port, patientLn.Addr().(*net.TCPAddr).Port
	w := &idWorld{t: t, mock: m, mockURL: mockSrv.URL, pop: pop, staffURL: "http://127.0.0.1:" + strconv.Itoa(staffPort),
		patientURL: "http://127.0.0.1:" + strconv.Itoa(pport)}
	idp, err := idporten.New(idporten.Config{Settings: db, Keys: helseid.NewMemoryKeyStore(),
		RedirectURI: func(context.Context) (string, error) { return w.patientURL + idporten.CallbackPath, nil }})
	if err != nil {
		t.Fatal(err)
	}
	argon := portal.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	w.svc, err = portal.New(portal.Config{Store: db, Clients: db, Settings: db, Argon2: &argon, PatientURL: w.patientURL, Identity: idp})
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
	staff, err := app.New(app.Config{Clients: db, Audit: db, Connection: conn, Lookup: look, Refresh: runner, Token: w.staffToken, Port: staffPort,
		UI:     fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Resepsjon</title>")}},
		Portal: app.PortalConfig{Service: w.svc, PatientURL: w.patientURL, IDPorten: idp}, OSUser: "resepsjonist"})
	if err != nil {
		t.Fatal(err)
	}
	patient, err := patientweb.New(patientweb.Config{Service: w.svc, Port: pport, IDPorten: idp})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{}, 2)
	go func() { staff.Serve(ctx, staffLn); done <- struct{}{} }()
	go func() { patient.Serve(ctx, patientLn); done <- struct{}{} }()
	t.Cleanup(func() {
		cancel()
		for range 2 {
			<-done
		}
		mockSrv.Close()
		db.Close()
	})
	return w
}

func (w *idWorld) staff(method, path string, body any) (int, map[string]any) {
	w.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, w.staffURL+path, rd)
	req.Header.Set("Authorization", "Bearer "+w.staffToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// configure sets ID-porten up through the staff API, as the practice does,
// and registers the public key and redirect URI with the provider.
func (w *idWorld) configure() {
	w.t.Helper()
	status, out := w.staff(http.MethodPut, "/api/portal/idporten", map[string]any{"issuer": w.mockURL, "clientId": "praksis", "askName": true})
	if status != http.StatusOK || out["ready"] != false {
		w.t.Fatalf("settings: %d %v", status, out)
	}
	status, out = w.staff(http.MethodPost, "/api/portal/idporten/key", map[string]any{"generate": true})
	if status != http.StatusOK || out["ready"] != true {
		w.t.Fatalf("key: %d %v", status, out)
	}
	jwk, _ := out["publicJwk"].(string)
	if strings.Contains(jwk, `"d"`) {
		w.t.Fatal("the public JWK holds the private key")
	}
	if out["redirectUri"] != w.patientURL+idporten.CallbackPath {
		w.t.Fatalf("redirect URI %v", out["redirectUri"])
	}
	if err := w.mock.Register(idportenmock.Client{ClientID: "praksis", PublicJWK: []byte(jwk), RedirectURIs: []string{out["redirectUri"].(string)}}); err != nil {
		w.t.Fatal(err)
	}
}

func idBrowser(t *testing.T) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

var mockRequest = regexp.MustCompile(`name="request" value="([^"]+)"`)

// loginAt plays the patient: «Logg inn med ID-porten», pick pid at the
// mock; the answer is the page the callback ends on.
func (w *idWorld) loginAt(b *http.Client, pid string, edit func(cb *url.URL)) (*http.Response, string) {
	w.t.Helper()
	resp, err := b.Get(w.patientURL + "/idporten/logg-inn")
	if err != nil {
		w.t.Fatal(err)
	}
	body0 := readBody(w.t, resp)
	m := mockRequest.FindStringSubmatch(body0)
	if resp.StatusCode != http.StatusOK || m == nil || !strings.HasPrefix(resp.Request.URL.String(), w.mockURL) {
		w.t.Fatalf("login page at the mock: %d %s", resp.StatusCode, resp.Request.URL)
	}
	noFollow := *b
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err = noFollow.PostForm(w.mockURL+"/authorize", url.Values{"request": {m[1]}, "pid": {pid}, "action": {"login"}})
	if err != nil {
		w.t.Fatal(err)
	}
	readBody(w.t, resp)
	cb, _ := url.Parse(resp.Header.Get("Location"))
	if edit != nil {
		edit(cb)
	}
	resp, err = b.Get(cb.String())
	if err != nil {
		w.t.Fatal(err)
	}
	return resp, readBody(w.t, resp)
}

func TestIDPortenRequestThroughTheMock(t *testing.T) {
	w := newIDWorld(t)
	b := idBrowser(t)
	// Not configured: no offer on the login page, and the start says so.
	resp, err := b.Get(w.patientURL + "/logg-inn")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(readBody(t, resp), "idporten-login") {
		t.Fatal("ID-porten offered before it is set up")
	}
	w.configure()
	resp, _ = b.Get(w.patientURL + "/logg-inn")
	if !strings.Contains(readBody(t, resp), `id="idporten-login"`) {
		t.Fatal("no «Logg inn med ID-porten» once set up")
	}

	pid := w.pop.SampleNINs(3)[2]
	resp, form := w.loginAt(b, pid, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(form, pid[:6]+" *****") || strings.Contains(form, pid) {
		t.Fatalf("request form: %d, masked number shown %v", resp.StatusCode, strings.Contains(form, pid[:6]+" *****"))
	}
	if strings.Contains(resp.Request.URL.RawQuery, "code=") {
		t.Fatal("the code stays in the address bar")
	}
	// A bad e-mail loses nothing: the form comes back with the field marked.
	resp, err = b.PostForm(w.patientURL+"/idporten/foresporsel", url.Values{"name": {"x"}, "email": {"ikke-en-adresse"}, "consultation": {"1"}})
	if err != nil {
		t.Fatal(err)
	}
	if body := readBody(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="email-err"`) {
		t.Fatalf("bad e-mail: %d", resp.StatusCode)
	}
	resp, err = b.PostForm(w.patientURL+"/idporten/foresporsel", url.Values{"name": {"ignored"}, "email": {"pasient@example.no"}, "consultation": {"1"}, "reply": {"1"}})
	if err != nil {
		t.Fatal(err)
	}
	if body := readBody(t, resp); resp.StatusCode != http.StatusOK || !strings.Contains(body, `class="notice"`) {
		t.Fatalf("send: %d %s", resp.StatusCode, body)
	}
	reqs, err := w.svc.Requests(t.Context(), portal.RequestFilter{})
	if err != nil || len(reqs) != 1 {
		t.Fatalf("requests: %v %v", reqs, err)
	}
	r := reqs[0]
	if !r.Verified || r.NIN != pid || r.ACR != idportenmock.LevelSubstantial || r.Email != "pasient@example.no" || r.Name == "ignored" || r.Name == "" {
		t.Fatalf("stored request: verified %v acr %q name %q", r.Verified, r.ACR, r.Name)
	}
	// The verified identity was used up by the request.
	resp, err = b.PostForm(w.patientURL+"/idporten/foresporsel", url.Values{"email": {"igjen@example.no"}})
	if err != nil {
		t.Fatal(err)
	}
	if readBody(t, resp); resp.StatusCode != http.StatusGone {
		t.Fatalf("second request with the same login: %d", resp.StatusCode)
	}
}

// TestIDPortenCallbackRefusals: an answer that does not belong to this
// browser's login gives no identity and no request form.
func TestIDPortenCallbackRefusals(t *testing.T) {
	w := newIDWorld(t)
	w.configure()
	pid := w.pop.SampleNINs(1)[0]
	for _, tc := range []struct {
		name string
		edit func(cb *url.URL)
		// other makes another browser present the answer.
		other bool
		want  string
	}{
		{"wrong state", func(cb *url.URL) {
			q := cb.Query()
			q.Set("state", "FORGED")
			cb.RawQuery = q.Encode()
		}, false, "hører ikke til denne innloggingen"},
		{"answer in another browser", nil, true, "tok for lang tid eller er allerede brukt"},
		{"cancelled at the provider", func(cb *url.URL) {
			q := cb.Query()
			q.Del("code")
			q.Set("error", "access_denied")
			cb.RawQuery = q.Encode()
		}, false, "Du avbrøt innloggingen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := idBrowser(t)
			var cbURL *url.URL
			edit := func(cb *url.URL) {
				if tc.edit != nil {
					tc.edit(cb)
				}
				cbURL = cb
			}
			if tc.other {
				edit = func(cb *url.URL) {
					cbURL = cb
					cb.Path = "/logg-inn" // this browser does not present it
				}
			}
			resp, body := w.loginAt(b, pid, edit)
			if tc.other {
				resp, err := idBrowser(t).Get(w.patientURL + idporten.CallbackPath + "?" + cbURL.RawQuery)
				if err != nil {
					t.Fatal(err)
				}
				body = readBody(t, resp)
				if resp.StatusCode != http.StatusBadRequest {
					t.Fatalf("status %d", resp.StatusCode)
				}
			} else if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if !strings.Contains(body, tc.want) || strings.Contains(body, `action="/idporten/foresporsel"`) {
				t.Fatalf("page does not say %q", tc.want)
			}
			// The form is not reachable either.
			resp, err := b.Get(w.patientURL + "/idporten/foresporsel")
			if err != nil {
				t.Fatal(err)
			}
			if readBody(t, resp); resp.StatusCode != http.StatusGone {
				t.Fatalf("request form after a refused login: %d", resp.StatusCode)
			}
		})
	}
	reqs, err := w.svc.Requests(t.Context(), portal.RequestFilter{})
	if err != nil || len(reqs) != 0 {
		t.Fatalf("requests after refusals: %d %v", len(reqs), err)
	}
}
