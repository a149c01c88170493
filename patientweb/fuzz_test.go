package patientweb_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"resepsjon/patientweb"
	"resepsjon/portal"
	"resepsjon/store"
)

// FuzzPatientForms posts arbitrary values to every form of the patient
// side: no answer is a server error, and no value comes back unescaped.
func FuzzPatientForms(f *testing.F) {
	f.Add(0, "kari@example.no", "et godt passord", "et godt passord", "abc", "1", "nb")
	f.Add(1, "<script>alert(1)</script>", "\x00", "", strings.Repeat("A", 200), "0", "en")
	f.Add(2, "a@b", "\"'><img src=x>", "x", "", "", "de")
	f.Add(3, "", "", "", "%00", "2", "")
	f.Add(4, "ola@example.no\r\nBcc: x@y.no", "p", "p", "t", "1", "en")
	db, err := store.Open(context.Background(), filepath.Join(f.TempDir(), "fuzz.db"), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	argon := portal.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	svc, err := portal.New(portal.Config{Store: db, Clients: db, Settings: db, Argon2: &argon, PatientURL: "http://127.0.0.1:8730",
		Throttle: portal.NewThrottle(portal.ThrottleConfig{AccountMax: 1 << 30, AddressMax: 1 << 30})})
	if err != nil {
		f.Fatal(err)
	}
	srv, err := patientweb.New(patientweb.Config{Service: svc, Port: 8730})
	if err != nil {
		f.Fatal(err)
	}
	h := srv.Handler()
	paths := []string{"/logg-inn", "/aktiver", "/nytt-passord", "/glemt-passord", "/profil", "/passord", "/logg-ut"}
	f.Fuzz(func(t *testing.T, route int, email, password, repeat, token, reply, lang string) {
		path := paths[(route%len(paths)+len(paths))%len(paths)]
		form := url.Values{"email": {email}, "password": {password}, "repeat": {repeat}, "current": {password}, "t": {token},
			"reply": {reply}, "language": {lang}}
		req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8730"+path+"?lang="+url.QueryEscape(lang), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: patientweb.CookieName, Value: token})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
		body := rec.Body.String()
		for _, v := range []string{email, password, token} {
			if strings.ContainsAny(v, "<>\"") && len(v) > 3 && strings.Contains(body, v) {
				t.Fatalf("%s reflects %q unescaped", path, v)
			}
		}
		if password != "" && len(password) > 3 && strings.Contains(body, "value=\""+password) {
			t.Fatalf("%s puts the password back into the page", path)
		}
	})
}
