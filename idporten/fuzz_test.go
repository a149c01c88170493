package idporten

import (
	"context"
	"net/url"
	"testing"

	"resepsjon/loopback"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/register"
	"resepsjon/register/registertest"
)

// FuzzCheckIssuer: any text gives a verdict, and what passes is an
// absolute URL without query or fragment, https unless on loopback.
func FuzzCheckIssuer(f *testing.F) {
	for _, s := range []string{IssuerTest, IssuerProduction, "http://127.0.0.1:8080", "http://[::1]:1", "http://localhost",
		"http://idporten.no", "https://x/?a=b", "https://x/#f", "https://u:p@x", "idporten", "", "https://", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		code := checkIssuer(raw)
		if code != "" && code != register.CodeInvalid && code != "issuer.https" {
			t.Fatalf("unknown code %q", code)
		}
		if code != "" {
			return
		}
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			t.Fatalf("%q passed", raw)
		}
		if u.Scheme != "https" && !(u.Scheme == "http" && loopback.IsHost(u.Hostname())) {
			t.Fatalf("%q passed with scheme %q", raw, u.Scheme)
		}
	})
}

// FuzzCompleteQuery: whatever the callback's query and cookie hold, a
// login that was never started gives no identity, and nothing panics.
func FuzzCompleteQuery(f *testing.F) {
	f.Add("code=abc&state=xyz", "handle")
	f.Add("error=access_denied&state=", "")
	f.Add("%zz&&==", "x")
	svc, err := New(Config{Settings: registertest.New(), Keys: helseid.NewMemoryKeyStore(),
		RedirectURI: func(context.Context) (string, error) { return "http://127.0.0.1:9/idporten/callback", nil }})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, rawQuery, handle string) {
		q, _ := url.ParseQuery(rawQuery)
		id, err := svc.Complete(t.Context(), handle, q)
		if codeOf(err) != CodeExpired || id.PID != "" {
			t.Fatalf("unstarted login: %+v %v", id, err)
		}
	})
}
