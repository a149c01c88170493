package helseid

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// transportFor returns an HTTP client with the DPoP transport over f.
func transportFor(t *testing.T, f *fakeHelseID, key *Key) (*http.Client, *TokenClient) {
	t.Helper()
	c := newTestClient(t, f.config(key))
	return &http.Client{Transport: &Transport{Tokens: c}}, c
}

func postEcho(t *testing.T, hc *http.Client, url, body string) (*http.Response, string, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res, err := hc.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b), nil
}

// TestTransportSignsEveryCall: each call carries the DPoP token and a fresh
// proof (the fake checks typ, htm, htu, iat, ath, jti and the key binding)
// and the body arrives unchanged; one token serves every call.
func TestTransportSignsEveryCall(t *testing.T) {
	clock := newFakeClock()
	for _, alg := range []string{AlgES256, AlgRS256, AlgPS256, AlgRS512} {
		t.Run(alg, func(t *testing.T) {
			key := mustKey(t, alg)
			f := newFakeHelseID(t, key, clock.Now)
			hc, tc := transportFor(t, f, key)
			for i := range 3 {
				res, body, err := postEcho(t, hc, f.srv.URL+"/api/echo?x=1", "nin=0589854003"+string(rune('0'+i)))
				if err != nil || res.StatusCode != http.StatusOK || body != "nin=0589854003"+string(rune('0'+i)) {
					t.Fatalf("call %d: %v, %v, %q", i, res, err, body)
				}
			}
			if s := tc.Stats(); s.Fetches != 1 || s.Discoveries != 1 {
				t.Errorf("stats = %+v, want one token for three calls", s)
			}
		})
	}
}

// TestTransportNonce: a 401 use_dpop_nonce is retried once with the nonce;
// the newest nonce from any answer (200s included) is used for later calls;
// a server that keeps asking gets its 401 back after one retry.
func TestTransportNonce(t *testing.T) {
	clock := newFakeClock()
	key := mustKey(t, AlgES256)
	f := newFakeHelseID(t, key, clock.Now)
	f.set(func(f *fakeHelseID) { f.apiRequireNonce, f.apiRotateOnSuccess, f.apiNonce = true, true, "initial" })
	hc, _ := transportFor(t, f, key)
	for i := range 4 {
		res, body, err := postEcho(t, hc, f.srv.URL+"/api/echo", "a=b")
		if err != nil || res.StatusCode != http.StatusOK || body != "a=b" {
			t.Fatalf("call %d: %v %v %q", i, res, err, body)
		}
	}
	hits := f.hitsSnapshot()
	if len(hits) != 5 || hits[0].status != http.StatusUnauthorized || hits[0].proofNonce != "" {
		t.Fatalf("hits %+v: want one nonce challenge, then four calls", hits)
	}
	for _, h := range hits[1:] {
		if h.status != http.StatusOK || h.proofNonce == "" || h.body != "a=b" {
			t.Errorf("hit %+v: want the rotated nonce used and the body replayed", h)
		}
	}

	f.set(func(f *fakeHelseID) { f.apiNonceAlways = true })
	res, _, err := postEcho(t, hc, f.srv.URL+"/api/echo", "a=b")
	if err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("insistent server: %v, %v: want its 401", res, err)
	}
	if n := len(f.hitsSnapshot()); n != 7 {
		t.Errorf("%d hits, want 2 more (a call and one retry)", n)
	}
}

// TestTransportInvalidToken: a 401 invalid_token drops the cached token, a
// new one is fetched and the call repeated once; a second refusal is
// returned, not retried again.
func TestTransportInvalidToken(t *testing.T) {
	clock := newFakeClock()
	key := mustKey(t, AlgES256)
	f := newFakeHelseID(t, key, clock.Now)
	hc, tc := transportFor(t, f, key)
	if res, _, err := postEcho(t, hc, f.srv.URL+"/api/echo", "1"); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("first call: %v %v", res, err)
	}
	first, _ := tc.Token(t.Context())
	f.set(func(f *fakeHelseID) { f.revoked[first.AccessToken] = true })
	res, body, err := postEcho(t, hc, f.srv.URL+"/api/echo", "2")
	if err != nil || res.StatusCode != http.StatusOK || body != "2" {
		t.Fatalf("call with a revoked token: %v %v %q", res, err, body)
	}
	if s := tc.Stats(); s.Fetches != 2 || s.Discoveries != 1 {
		t.Errorf("stats = %+v: want a second token, discovery still cached", s)
	}
	if now, _ := tc.Token(t.Context()); now.AccessToken == first.AccessToken {
		t.Error("the revoked token is still cached")
	}

	f.set(func(f *fakeHelseID) { f.revokeAll = true })
	before := len(f.hitsSnapshot())
	res, _, err = postEcho(t, hc, f.srv.URL+"/api/echo", "3")
	if err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("every token refused: %v, %v: want the 401", res, err)
	}
	if n := len(f.hitsSnapshot()) - before; n != 2 {
		t.Errorf("%d API hits, want the call and one retry", n)
	}
	if s := tc.Stats(); s.Fetches != 3 {
		t.Errorf("stats = %+v: want exactly one more token", s)
	}
}

// TestTransportBodyNotReplayable: a retry needs req.GetBody; without it the
// transport says so instead of sending an empty body.
func TestTransportBodyNotReplayable(t *testing.T) {
	clock := newFakeClock()
	key := mustKey(t, AlgES256)
	f := newFakeHelseID(t, key, clock.Now)
	f.set(func(f *fakeHelseID) { f.apiRequireNonce, f.apiNonce = true, "initial" })
	hc, _ := transportFor(t, f, key)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, f.srv.URL+"/api/echo",
		io.NopCloser(strings.NewReader("a=b")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hc.Do(req); !errors.Is(err, ErrBodyNotReplayable) {
		t.Errorf("err = %v, want ErrBodyNotReplayable", err)
	}
}
