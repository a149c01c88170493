package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"resepsjon/app"
	"resepsjon/register"
	"resepsjon/store"
)

// fuzzPort is the port the in-process handler believes it serves; requests
// carry it in Host so that they pass the loopback check.
const fuzzPort = 8710

// fuzzApp is the real handler over a real SQLite file, called in-process.
type fuzzApp struct {
	h     http.Handler
	db    *store.DB
	token string
}

func newFuzzApp(f *testing.F) *fuzzApp {
	f.Helper()
	db, err := store.Open(context.Background(), filepath.Join(f.TempDir(), "resepsjon.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	token, err := app.NewToken()
	if err != nil {
		f.Fatal(err)
	}
	srv, err := app.New(wire(f, db, testConfig{Config: app.Config{UI: fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}},
		Token: token, Port: fuzzPort, Version: "fuzz"}}))
	if err != nil {
		f.Fatal(err)
	}
	return &fuzzApp{h: srv.Handler(), db: db, token: token}
}

func (a *fuzzApp) call(method, target string, body []byte) *httptest.ResponseRecorder {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req := httptest.NewRequest(method, "http://127.0.0.1:"+strconv.Itoa(fuzzPort)+target, rd)
	req.Header.Set("Authorization", "Bearer "+a.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	return rec
}

// checkAnswer fails on a 5xx and on an error answer that is not the API's
// JSON error with a code and a message.
func checkAnswer(t *testing.T, what string, status int, body []byte) {
	t.Helper()
	if status >= 500 {
		t.Fatalf("%s: %d %s", what, status, body)
	}
	if status >= 400 {
		var e struct {
			Error app.APIError `json:"error"`
		}
		if err := json.Unmarshal(body, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
			t.Fatalf("%s: %d with an unclear error %q", what, status, body)
		}
	}
}

// expected is what the app should store for body: the text fields as sent,
// without surrounding white space, and nothing else changed. valid tells
// whether the body is one JSON object of a client that passes validation.
func expected(body []byte) (sent register.Client, valid bool) {
	if !utf8.Valid(body) {
		return sent, false // refused, not mended into U+FFFD
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if dec.Decode(&sent) != nil {
		return sent, false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return sent, false
	}
	// A U+FFFD the body did not spell out is a lone surrogate escape the
	// decoder mended: refused.
	if !bytes.Contains(body, []byte("\uFFFD")) && !bytes.Contains(bytes.ToLower(body), []byte(`\ufffd`)) {
		for _, f := range []string{sent.GivenName, sent.MiddleName, sent.FamilyName, sent.Notes, sent.StreetAddress,
			sent.City, sent.PostalAddress, sent.Phone, sent.Email, sent.PersonID, sent.NIN, sent.BirthDate} {
			if strings.ContainsRune(f, utf8.RuneError) {
				return sent, false
			}
		}
	}
	validated := sent
	valid = register.Validate(&validated) == nil
	for _, p := range []*string{&sent.GivenName, &sent.MiddleName, &sent.FamilyName, &sent.Notes,
		&sent.StreetAddress, &sent.City, &sent.Phone, &sent.Email} {
		*p = strings.TrimSpace(*p)
	}
	return sent, valid
}

// clientSeeds are request bodies for the client handlers: valid ones with
// awkward text, and the classic kinds of hostile input.
func clientSeeds(nin string) []string {
	nfc := "\u00c5se \u00c5sheim"   // Åse Åsheim, precomposed
	nfd := "A\u030ase A\u030asheim" // the same, decomposed
	return []string{
		`{"givenName":"Kari","familyName":"Nordmann"}`,
		`{"givenName":"Kari","familyName":"Nordmann","nin":"` + nin + `"}`,
		`{"givenName":"Kari","familyName":"Nordmann","nin":"` + nin[:6] + " " + nin[6:] + `"}`,
		`{"givenName":"` + nfc + `","familyName":"` + nfd + `"}`,
		`{"givenName":"` + nfd + `","familyName":"Ødegård-Æsøy"}`,
		`{"givenName":"Robert'); DROP TABLE clients;--","familyName":"O'Brien \" OR 1=1 --"}`,
		`{"givenName":"%_*","familyName":"NEAR(a b) OR \"x\"* ^y"}`,
		`{"givenName":"Kari\u0000","familyName":"Nordmann"}`,
		`{"givenName":"Kari\nOla","familyName":"Nordmann"}`,
		`{"givenName":"Kari\u202e","familyName":"Nordmann\u200b"}`,
		`{"givenName":"\ud800","familyName":"x"}`,
		"{\"givenName\":\"\xff\xfe\",\"familyName\":\"x\"}",
		`{"givenName":"` + strings.Repeat("Å", 100) + `","familyName":"` + strings.Repeat("a", 101) + `"}`,
		`{"givenName":"` + strings.Repeat("x", 70000) + `","familyName":"y"}`,
		`{"givenName":"  Kari  ","familyName":"\tNordmann "}`,
		`{"givenName":"Kari","familyName":"Nordmann","notes":"linje 1\nlinje 2\r\n\ttabulator"}`,
		`{"givenName":12,"familyName":"Nordmann"}`,
		`{"givenName":null,"familyName":null}`,
		`{"givenName":["Kari"],"familyName":{"x":1}}`,
		`{"givenName":"Kari","familyName":"Nordmann","version":1e400}`,
		`{"givenName":"Kari","familyName":"Nordmann","version":-1}`,
		`{"givenName":"Kari","familyName":"Nordmann","version":9223372036854775807}`,
		`{"givenName":"Kari","familyName":"Nordmann","sequenceNumber":1.5}`,
		`{"givenName":"Kari","familyName":"Nordmann","fetchedAt":"i går"}`,
		`{"givenName":"Kari","familyName":"Nordmann","fetchedAt":"9999-12-31T23:59:59Z"}`,
		`{"givenName":"Kari","familyName":"Nordmann","birthDate":"1985-02-30"}`,
		`{"givenName":"Kari","familyName":"Nordmann","nin":14838512345}`,
		`{"givenName":"Kari","familyName":"Nordmann","id":7,"createdAt":"2020-01-01T00:00:00Z"}`,
		`{"givenName":"Kari","givenName":"Ola","familyName":"Nordmann"}`,
		`{"givenName":"Kari","familyName":"Nordmann","addressProtection":"StrictlyConfidential","streetAddress":"Storgata 1"}`,
		`{"givenName":"Kari","familyName":"Nordmann","email":"a@b"}`,
		`{"givenName":"Kari","familyName":"Nordmann"`,
		`{"givenName":"Kari","familyName":"Nordmann"}{}`,
		`{"givenName":"Kari","familyName":"Nordmann"} x`,
		"\ufeff{\"givenName\":\"Kari\",\"familyName\":\"Nordmann\"}",
		`[]`, `null`, `""`, `0`, ``, `{`, `}`, `{"":""}`, `{"surname":"x"}`,
		strings.Repeat(`{"a":`, 10000) + strings.Repeat(`}`, 10000),
		strings.Repeat("[", 100000),
	}
}

func FuzzCreateClient(f *testing.F) {
	a := newFuzzApp(f)
	for _, s := range clientSeeds(synthetic(f, "1985-03-14", 120)) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := a.call("POST", "/api/clients", body)
		checkAnswer(t, "POST", rec.Code, rec.Body.Bytes())
		switch rec.Code {
		case http.StatusCreated, http.StatusBadRequest, http.StatusConflict, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("POST: unexpected status %d %s", rec.Code, rec.Body.Bytes())
		}
		want, valid := expected(body)
		if rec.Code != http.StatusCreated {
			if valid && rec.Code == http.StatusBadRequest {
				t.Fatalf("a valid client was refused: %s", rec.Body.Bytes())
			}
			return
		}
		if !valid {
			t.Fatalf("an invalid body was stored: %q", body)
		}
		created := rec.Body.Bytes()
		var c register.Client
		if err := json.Unmarshal(created, &c); err != nil {
			t.Fatal(err)
		}
		// What was stored is what was sent (without surrounding white
		// space), byte for byte: no Unicode normalisation, no escaping, no
		// truncation.
		got := []string{c.GivenName, c.MiddleName, c.FamilyName, c.Notes, c.StreetAddress, c.City, c.Phone, c.Email}
		exp := []string{want.GivenName, want.MiddleName, want.FamilyName, want.Notes, want.StreetAddress, want.City, want.Phone, want.Email}
		for i := range got {
			if got[i] != exp[i] {
				t.Fatalf("stored %q, sent %q", got[i], exp[i])
			}
		}
		// A GET returns exactly what the create answered.
		rec = a.call("GET", "/api/clients/"+strconv.FormatInt(c.ID, 10), nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET after create: %d %s", rec.Code, rec.Body.Bytes())
		}
		if !bytes.Equal(bytes.TrimSpace(rec.Body.Bytes()), bytes.TrimSpace(created)) {
			t.Fatalf("GET differs from the create answer:\n%s\n%s", rec.Body.Bytes(), created)
		}
		// The client is found by its family name.
		if w := firstWord(c.FamilyName); w != "" {
			rec = a.call("GET", "/api/clients?limit=200&q="+url.QueryEscape(w), nil)
			checkAnswer(t, "search", rec.Code, rec.Body.Bytes())
		}
		// Keep the register small and the identity numbers free.
		rec = a.call("DELETE", "/api/clients/"+strconv.FormatInt(c.ID, 10)+"?version=1", nil)
		if rec.Code != http.StatusNoContent {
			t.Fatalf("DELETE: %d %s", rec.Code, rec.Body.Bytes())
		}
	})
}

func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

func FuzzUpdateClient(f *testing.F) {
	a := newFuzzApp(f)
	n := synthetic(f, "1985-03-14", 120)
	rec := a.call("POST", "/api/clients", []byte(`{"givenName":"Kari","familyName":"Nordmann","nin":"`+n+`"}`))
	if rec.Code != http.StatusCreated {
		f.Fatalf("create: %d %s", rec.Code, rec.Body.Bytes())
	}
	var c register.Client
	if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil {
		f.Fatal(err)
	}
	path := "/api/clients/" + strconv.FormatInt(c.ID, 10)
	for _, s := range clientSeeds(n) {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, body []byte, currentVersion bool) {
		before := a.call("GET", path, nil)
		if before.Code != http.StatusOK {
			t.Fatalf("GET: %d", before.Code)
		}
		if currentVersion {
			// Put the stored version into an object body, so that the
			// fuzzer reaches the save and not only the conflict.
			var m map[string]any
			if json.Unmarshal(body, &m) == nil && m != nil {
				var cur register.Client
				_ = json.Unmarshal(before.Body.Bytes(), &cur)
				m["version"] = cur.Version
				body, _ = json.Marshal(m)
			}
		}
		rec := a.call("PUT", path, body)
		checkAnswer(t, "PUT", rec.Code, rec.Body.Bytes())
		after := a.call("GET", path, nil)
		if rec.Code != http.StatusOK {
			// A refused save changes nothing.
			if !bytes.Equal(after.Body.Bytes(), before.Body.Bytes()) {
				t.Fatalf("refused save (%d) changed the client:\n%s\n%s", rec.Code, before.Body.Bytes(), after.Body.Bytes())
			}
			return
		}
		if !bytes.Equal(bytes.TrimSpace(after.Body.Bytes()), bytes.TrimSpace(rec.Body.Bytes())) {
			t.Fatalf("GET differs from the save answer:\n%s\n%s", after.Body.Bytes(), rec.Body.Bytes())
		}
		want, valid := expected(body)
		var got register.Client
		_ = json.Unmarshal(rec.Body.Bytes(), &got)
		if !valid || got.GivenName != want.GivenName || got.FamilyName != want.FamilyName || got.MiddleName != want.MiddleName ||
			got.Notes != want.Notes || got.StreetAddress != want.StreetAddress || got.City != want.City {
			t.Fatalf("saved %+v for %q", got, body)
		}
	})
}

func FuzzSearchClients(f *testing.F) {
	a := newFuzzApp(f)
	for _, body := range []string{
		`{"givenName":"Kari","familyName":"Nordmann","phone":"912 34 567","birthDate":"1985-03-14"}`,
		`{"givenName":"Åse","middleName":"Bø","familyName":"Ødegård-Æsøy"}`,
		`{"givenName":"A` + "\u030a" + `se","familyName":"O'Brien"}`,
	} {
		if rec := a.call("POST", "/api/clients", []byte(body)); rec.Code != http.StatusCreated {
			f.Fatalf("seed client: %d %s", rec.Code, rec.Body.Bytes())
		}
	}
	for _, q := range []string{
		"", "kari", "nord ka", "åse", "A\u030ase", "Ødegård-", "14.03.1985", "1985-03-14", "912 34 567", "+47 912",
		"14838512345", "\"", "*", "kari*", "NEAR(kari nordmann)", "kari OR 1=1", "'; DROP TABLE clients; --",
		"a:b", "names:kari", "-kari", "^kari", "(", ")", "{names}: x", "%", "_", "\x00", "\xff", "\u202e",
		strings.Repeat("a ", 100), strings.Repeat("1", 200), strings.Repeat("å", 101), "1.1.1", "31.02.2000",
	} {
		f.Add(q, "", "")
		f.Add(q, "1", "0")
	}
	f.Add("kari", "0", "-1")
	f.Add("kari", "201", "1073741825")
	f.Add("kari", "1e3", "0x10")
	f.Fuzz(func(t *testing.T, q, limit, offset string) {
		v := url.Values{"q": {q}}
		if limit != "" {
			v.Set("limit", limit)
		}
		if offset != "" {
			v.Set("offset", offset)
		}
		rec := a.call("GET", "/api/clients?"+v.Encode(), nil)
		checkAnswer(t, "search", rec.Code, rec.Body.Bytes())
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			t.Fatalf("search: %d %s", rec.Code, rec.Body.Bytes())
		}
		if rec.Code == http.StatusOK {
			var page register.Page
			if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil || page.Results == nil || page.Total < len(page.Results) {
				t.Fatalf("page %s (%v)", rec.Body.Bytes(), err)
			}
		}
	})
}

// TestRandomRequests sends a bounded number of random requests to the
// running server: random methods, paths, headers and bodies made from valid
// ones with random damage. No answer is a 5xx, every error is the API's JSON,
// and the register is intact afterwards.
func TestRandomRequests(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	const requests = 2000
	rng := rand.New(rand.NewPCG(2026, 11))
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	base := validClient(t)
	valid, _ := json.Marshal(base)
	var fields map[string]any
	_ = json.Unmarshal(valid, &fields)
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}

	strs := []string{"", " ", "Kari", "Å", "A\u030a", "ø", "'", `"`, "\\", "\x00", "\x1b[31m", "\u2028", "\u202e", "\U0001F600",
		"'; DROP TABLE clients; --", "<script>alert(1)</script>", "%00", "../../etc/passwd", "NEAR(a b)", "*",
		strings.Repeat("x", 101), strings.Repeat("ø", 5000), "14838512345", "1985-03-14", "2099-01-01", "None", "StrictlyConfidential"}
	values := func() any {
		switch rng.IntN(8) {
		case 0:
			return rng.Int64()
		case 1:
			return rng.Float64() * 1e300
		case 2:
			return nil
		case 3:
			return []any{"a", 1}
		case 4:
			return map[string]any{"x": "y"}
		case 5:
			return rng.IntN(2) == 0
		default:
			return strs[rng.IntN(len(strs))]
		}
	}
	body := func() []byte {
		if rng.IntN(100) == 0 { // over the 1 MiB limit
			return append(append([]byte(`{"notes":"`), bytes.Repeat([]byte("ø"), 1<<20)...), `"}`...)
		}
		switch rng.IntN(6) {
		case 0:
			return nil
		case 1: // random bytes
			b := make([]byte, rng.IntN(300))
			for i := range b {
				b[i] = byte(rng.IntN(256))
			}
			return b
		case 2: // truncated
			return valid[:rng.IntN(len(valid))]
		default: // a valid client with some fields damaged
			m := map[string]any{}
			for k, v := range fields {
				m[k] = v
			}
			m["nin"] = ""
			m["version"] = 1 + rng.IntN(3)
			if rng.IntN(3) == 0 {
				return mustJSON(t, m) // undamaged: reaches the store
			}
			for range 1 + rng.IntN(4) {
				k := keys[rng.IntN(len(keys))]
				switch rng.IntN(4) {
				case 0:
					delete(m, k)
				default:
					m[k] = values()
				}
			}
			if rng.IntN(10) == 0 {
				m[strs[rng.IntN(len(strs))]] = "unknown field"
			}
			b, _ := json.Marshal(m)
			return b
		}
	}
	var created []int64 // ids of clients the random requests created
	paths := func() string {
		ids := []string{"1", "2", "0", "-1", "999999", "abc", "1.5", "9223372036854775808", "%00", "1;DROP", "..%2f..%2f", strings.Repeat("9", 100)}
		switch rng.IntN(7) {
		case 0:
			return "/api/clients/" + ids[rng.IntN(len(ids))]
		case 1:
			return "/api/clients/" + ids[rng.IntN(len(ids))] + "?version=" + ids[rng.IntN(len(ids))]
		case 2:
			return "/api/clients?q=" + url.QueryEscape(strs[rng.IntN(len(strs))]) + "&limit=" + ids[rng.IntN(len(ids))] + "&offset=" + ids[rng.IntN(len(ids))]
		case 3:
			return []string{"/api/app", "/api/health", "/api/launch", "/api/nothing", "/api/", "/api", "/", "/index.html", "/%2e%2e/", "/app.js", "/api/clients/1/x"}[rng.IntN(11)]
		default:
			if len(created) > 0 && rng.IntN(2) == 0 {
				id := created[rng.IntN(len(created))]
				if rng.IntN(2) == 0 {
					return fmt.Sprintf("/api/clients/%d?version=%d", id, 1+rng.IntN(3))
				}
				return fmt.Sprintf("/api/clients/%d", id)
			}
			return "/api/clients"
		}
	}
	headerValues := []string{"", "text/plain", "application/json; charset=latin1", "multipart/form-data; boundary=x",
		"en", "nb-NO,en;q=0.5", "*", "xx-YY;q=abc", ",,,;", strings.Repeat("a,", 2000), "\u00e5"}
	methods := []string{"GET", "POST", "POST", "PUT", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"}
	counts := map[int]int{}
	for i := range requests {
		method := methods[rng.IntN(len(methods))]
		p := paths()
		b := body()
		h := map[string]string{"Authorization": "Bearer " + a.token}
		switch rng.IntN(10) {
		case 0:
			delete(h, "Authorization")
		case 1:
			h["Content-Type"] = headerValues[rng.IntN(len(headerValues))]
		case 2:
			h["Accept-Language"] = headerValues[rng.IntN(len(headerValues))]
		case 3:
			h["Origin"] = a.base
		}
		r, err := try(client, method, a.base+p, b, h)
		if err != nil {
			t.Fatalf("request %d %s %s: %v", i, method, p, err)
		}
		counts[r.status]++
		if r.status < 300 && method != "GET" && method != "HEAD" && method != "OPTIONS" {
			// After every write the file and its search index are intact.
			if err := a.db.IntegrityCheck(context.Background()); err != nil {
				t.Fatalf("request %d %s %s %q: %d, then %v", i, method, p, b, r.status, err)
			}
		}
		if r.status == http.StatusCreated {
			var c register.Client
			if err := json.Unmarshal(r.body, &c); err != nil {
				t.Fatal(err)
			}
			created = append(created, c.ID)
		}
		if r.status >= 500 {
			t.Fatalf("request %d %s %s %q: %d %s", i, method, p, b, r.status, r.body)
		}
		if r.status >= 400 && method != "HEAD" {
			var e struct {
				Error app.APIError `json:"error"`
			}
			if err := json.Unmarshal(r.body, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Fatalf("request %d %s %s: %d with unclear error %q", i, method, p, r.status, r.body)
			}
		}
	}
	t.Logf("statuses: %v", counts)
	if r := a.do("GET", "/api/health", nil); r.status != http.StatusOK {
		t.Fatalf("health after random requests: %d", r.status)
	}
	if err := a.db.IntegrityCheck(context.Background()); err != nil {
		t.Fatalf("integrity after random requests: %v", err)
	}
	if counts[http.StatusCreated] == 0 && counts[http.StatusOK] == 0 {
		t.Fatal(fmt.Sprint("no random request succeeded: the generator only made garbage ", counts))
	}
}
