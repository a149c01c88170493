package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"resepsjon/idporten"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/register/registertest"
)

// TestMockCommandServesIDPorten: "resepsjon mock" also serves the ID-porten
// mock, prints its issuer next to the NHN mock's addresses with the client
// to enter in Resepsjon's ID-porten card, and a patient's login goes through
// with Resepsjon's own relying party configured from what was printed.
func TestMockCommandServesIDPorten(t *testing.T) {
	const redirect = "http://127.0.0.1:8740/idporten/callback"
	m := startMock(t, "--listen", "127.0.0.1:0", "--population", "100", "--idporten-listen", "127.0.0.1:0",
		"--idporten-client-id", "klinikk-idporten")
	issuer := m.lines["idporten issuer"]
	if !strings.HasPrefix(issuer, "http://127.0.0.1:") || issuer == m.lines["base URL"] {
		t.Fatalf("ID-porten issuer %q (NHN mock %q):\n%s", issuer, m.lines["base URL"], m.out)
	}
	if m.lines["idporten client id"] != "klinikk-idporten" || m.lines["idporten redirect URI"] != redirect {
		t.Fatalf("the ID-porten client printed: %q %q\n%s", m.lines["idporten client id"], m.lines["idporten redirect URI"], m.out)
	}
	priv := m.lines["idporten private key"]
	key, err := helseid.ImportKey([]byte(priv), "")
	if err != nil {
		t.Fatalf("the printed ID-porten key does not import: %v\n%s", err, m.out)
	}
	if m.lines["idporten key id"] != key.KID() {
		t.Errorf("printed key id %q, want %q", m.lines["idporten key id"], key.KID())
	}

	// Resepsjon's ID-porten card, filled from the printout.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	rp, err := idporten.New(idporten.Config{Settings: registertest.New(), Keys: helseid.NewMemoryKeyStore(),
		RedirectURI: func(context.Context) (string, error) { return redirect, nil }})
	if err != nil {
		t.Fatal(err)
	}
	client := m.lines["idporten client id"]
	if _, err := rp.Update(ctx, idporten.Change{Issuer: &issuer, ClientID: &client}); err != nil {
		t.Fatal(err)
	}
	if _, err := rp.ImportKey(ctx, []byte(priv)); err != nil {
		t.Fatal(err)
	}
	started, err := rp.Begin(ctx, "nb")
	if err != nil {
		t.Fatalf("begin the login: %v", err)
	}

	// The patient picks the first synthetic person on the mock's page.
	hc := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(started.URL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	field := func(re string) string {
		got := regexp.MustCompile(re).FindSubmatch(page)
		if got == nil {
			t.Fatalf("the login page (%d) lacks %s:\n%s", resp.StatusCode, re, page)
		}
		return string(got[1])
	}
	request, pid := field(`name="request" value="([^"]+)"`), field(`id="pid-0" value="([0-9]+)"`)
	resp, err = hc.PostForm(issuer+"/authorize", url.Values{"request": {request}, "pid": {pid}, "level": {idporten.LevelSubstantial}, "action": {"login"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(back.String(), redirect) {
		t.Fatalf("after the login: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	id, err := rp.Complete(ctx, started.Handle, back.Query())
	if err != nil {
		t.Fatalf("complete the login: %v", err)
	}
	if id.PID != pid || id.ACR != idporten.LevelSubstantial {
		t.Errorf("identity %s at %q, want %s at %s", id, id.ACR, pid[:6], idporten.LevelSubstantial)
	}

	m.stop(t)
	if _, err := (&http.Client{Timeout: 2 * time.Second}).Get(issuer + "/.well-known/openid-configuration"); err == nil {
		t.Error("the ID-porten mock still answers after the command stopped")
	}
}
