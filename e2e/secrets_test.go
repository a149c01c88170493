//go:build unix

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"resepsjon/instance"
	"resepsjon/nin"
	"resepsjon/register"
	"resepsjon/store"
)

// Patterns of secrets that must never be written to a log.
var (
	elevenDigits = regexp.MustCompile(`\d{6}[ .-]?\d{5}`)
	jwtLike      = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`) // access tokens, DPoP proofs, client assertions
	keyMaterial  = regexp.MustCompile(`(?i)PRIVATE KEY|"d"\s*:\s*"|\bDPoP\s+eyJ`)
)

// findSecrets lists what in text looks like an identity number, a token,
// a DPoP proof or private key material, and each exact string in known.
func findSecrets(text string, known []string) []string {
	var found []string
	for _, m := range elevenDigits.FindAllString(text, -1) {
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, m)
		if _, err := nin.Parse(digits); err == nil {
			found = append(found, "identity number "+m)
		}
	}
	for _, m := range jwtLike.FindAllString(text, -1) {
		found = append(found, "JWT "+m)
	}
	for _, m := range keyMaterial.FindAllString(text, -1) {
		found = append(found, "key material "+m)
	}
	for _, k := range known {
		if k != "" && strings.Contains(text, k) {
			found = append(found, "known secret "+k)
		}
	}
	return found
}

func TestFindSecrets(t *testing.T) {
	fnr := secretsNIN(t, "1985-03-14")
	tests := []struct {
		text string
		want bool
	}{
		{"level=INFO msg=request route=/api/clients status=200", false},
		{"q=" + fnr, true},
		{"nin " + fnr[:6] + " " + fnr[6:], true},
		{"id=12345678901", false}, // 11 digits that are no identity number
		{"token=eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.sig", true},
		{"-----BEGIN EC PRIVATE KEY-----", true},
		{`{"kty":"EC","d":"abc"}`, true},
		{"Authorization: DPoP eyJhbGciOiJFUzI1NiJ9", true},
		{"the token is s3cr3t", true},
	}
	for _, tc := range tests {
		if got := len(findSecrets(tc.text, []string{"s3cr3t"})) > 0; got != tc.want {
			t.Errorf("%q: found %v, want %v", tc.text, got, tc.want)
		}
	}
}

func secretsNIN(t *testing.T, birth string) string {
	t.Helper()
	n, err := syntheticNIN(dateOf(t, birth))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func dateOf(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// runServeInProcess runs the program (serve or demo) with its standard
// output and its log (standard error) captured apart, and returns the
// running instance, both outputs, and a stop function that sends SIGTERM
// and waits for a clean exit.
func runServeInProcess(t *testing.T, args ...string) (info instance.Info, stdout, logs *lockedBuffer, stop func()) {
	t.Helper()
	stdout, logs = &lockedBuffer{}, &lockedBuffer{}
	proc := exec.Command(wholeBinary(t), args...)
	proc.Env = appEnv()
	proc.Stdout, proc.Stderr = stdout, logs
	if err := proc.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- proc.Wait() }()
	serverFile := ""
	for i, a := range args {
		if a == "--data-dir" {
			serverFile = filepath.Join(args[i+1], "server.json")
			if args[0] == "demo" {
				serverFile = filepath.Join(args[i+1], "demo-server.json")
			}
		}
	}
	// The program is a child process: its server file is looked at until
	// it names the child.
	deadline := time.Now().Add(30 * time.Second)
	for {
		var err error
		if info, err = instance.Read(serverFile); err == nil && info.PID == proc.Process.Pid {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the program ended early: %v\n%s", err, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			_ = proc.Process.Kill()
			t.Fatalf("no %s after 30 s:\n%s", serverFile, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		_ = proc.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("exit after SIGTERM: %v\n%s", err, logs.String())
			}
		case <-time.After(15 * time.Second):
			_ = proc.Process.Kill()
			t.Errorf("still running 15 s after SIGTERM")
		}
	}
	t.Cleanup(stop)
	return info, stdout, logs, stop
}

// syntheticNIN is the first valid synthetic fødselsnummer born on birth
// from the individual number 200 on (in the range of the century).
func syntheticNIN(birth time.Time) (string, error) {
	start := 200
	if birth.Year() >= 2000 {
		start += 500
	}
	for ind := start; ind < start+100; ind++ {
		n, err := nin.Generate(birth, ind, nin.KindNational, true)
		if errors.Is(err, nin.ErrNoValidCheckDigit) {
			continue
		}
		return n, err
	}
	return "", fmt.Errorf("no valid identity number for %s", birth.Format(time.DateOnly))
}

type secAPI struct {
	t      *testing.T
	base   string
	header map[string]string
	client *http.Client
}

func (a secAPI) call(method, path string, body any) (int, []byte) {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte: // sent as is, valid JSON or not
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range a.header {
		req.Header.Set(k, v)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

// TestLogsCarryNoSecrets runs the program at log level debug through a
// whole session of API use with identity numbers, tokens and errors, and
// checks every line it logged.
func TestLogsCarryNoSecrets(t *testing.T) {
	dataDir := t.TempDir()
	info, stdout, logs, stop := runServeInProcess(t, "serve", "--no-browser", "--data-dir", dataDir, "--port", "0", "--log-level", "debug")

	// The launch URL printed for the receptionist: open it like a browser.
	// The server file is written just before the URL is printed: read the
	// child process's output until it is there.
	launch := regexp.MustCompile(`http://\S+/\?token=(\S+)`)
	m := launch.FindStringSubmatch(stdout.String())
	for deadline := time.Now().Add(30 * time.Second); m == nil && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		m = launch.FindStringSubmatch(stdout.String())
	}
	if m == nil {
		t.Fatalf("no launch URL printed:\n%s", stdout.String())
	}
	launchURL, launchToken := m[0], m[1]
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	resp, err := browser.Get(launchURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// A used launch URL again, and wrong tokens: all refused, and logged
	// (if at all) without the token.
	if resp, err := browser.Get(launchURL); err == nil {
		resp.Body.Close()
	}
	wrongToken := "feil-" + strings.Repeat("x", 40)
	script := secAPI{t: t, base: info.URL, header: map[string]string{"Authorization": "Bearer " + info.Token}, client: &http.Client{Timeout: 10 * time.Second}}
	intruder := secAPI{t: t, base: info.URL, header: map[string]string{"Authorization": "Bearer " + wrongToken}, client: &http.Client{Timeout: 10 * time.Second}}
	tab := secAPI{t: t, base: info.URL, header: map[string]string{"Origin": info.URL}, client: browser}
	if code, _ := intruder.call("GET", "/api/clients?q=nordmann", nil); code != 401 {
		t.Fatalf("wrong token: %d", code)
	}
	if code, _ := script.call("GET", "/?token="+info.Token, nil); code != 200 {
		t.Fatalf("token in URL: %d", code)
	}

	var numbers []string
	births := []string{"1985-03-14", "1972-11-02", "1990-07-21", "2001-05-09"}
	for i, b := range births {
		n := secretsNIN(t, b)
		numbers = append(numbers, n)
		c := register.Client{NIN: n, GivenName: "Kari", FamilyName: fmt.Sprintf("Loggtest%d", i), Phone: "912 34 56" + strconv.Itoa(i), Email: "kari@eksempel.no"}
		api := script
		if i%2 == 1 {
			api = tab
		}
		code, body := api.call("POST", "/api/clients", c)
		if code != 201 {
			t.Fatalf("create: %d %s", code, body)
		}
		var got register.Client
		_ = json.Unmarshal(body, &got)
		id := strconv.FormatInt(got.ID, 10)
		// Search by the number (typed with and without a space), by birth
		// date and by phone; open, save, save stale, duplicate.
		for _, q := range []string{n, n[:6] + " " + n[6:], n[:6], b[8:10] + "." + b[5:7] + "." + b[:4], "912 34"} {
			if code, body := api.call("GET", "/api/clients?q="+url.QueryEscape(q), nil); code != 200 {
				t.Fatalf("search: %d %s", code, body)
			}
		}
		api.call("GET", "/api/clients/"+id, nil)
		got.Notes = "Fødselsnummer " + n + " bekreftet"
		if code, body := api.call("PUT", "/api/clients/"+id, got); code != 200 {
			t.Fatalf("save: %d %s", code, body)
		}
		if code, _ := api.call("PUT", "/api/clients/"+id, got); code != 409 {
			t.Fatalf("stale save: %d", code)
		}
		if code, _ := api.call("POST", "/api/clients", c); code != 409 {
			t.Fatalf("duplicate: %d", code)
		}
		// Wrong input carrying the number: a digit off, the wrong type,
		// broken JSON.
		bad := c
		bad.NIN = n[:10] + strconv.Itoa((int(n[10]-'0')+1)%10)
		api.call("POST", "/api/clients", bad)
		api.call("POST", "/api/clients", []byte(`{"nin":`+n+`,"givenName":"Kari","familyName":"X"}`))
		api.call("POST", "/api/clients", []byte(`{"nin":"`+n+`","givenName":"Kari","familyName":"X"`))
		api.call("POST", "/api/clients", []byte(`{"nin":"`+n+`","givenName":"Kari","familyName":"`+strings.Repeat("x", 2<<20)+`"}`))
		api.call("GET", "/api/clients/"+n, nil)
		api.call("DELETE", "/api/clients/"+id+"?version="+n, nil)
	}
	script.call("GET", "/api/clients?limit=0&q="+numbers[0], nil)
	script.call("POST", "/api/launch", nil)
	// Cross-origin and rebinding attempts carrying a number.
	foreign := secAPI{t: t, base: info.URL, header: map[string]string{"Authorization": "Bearer " + info.Token, "Origin": "http://evil.example"}, client: &http.Client{Timeout: 10 * time.Second}}
	foreign.call("POST", "/api/clients", register.Client{NIN: numbers[0], GivenName: "X", FamilyName: "Y"})
	stop()

	log := logs.String()
	if !strings.Contains(log, "msg=request") || !strings.Contains(log, "msg=serving") {
		t.Fatalf("the log does not show the session (is debug logging captured?):\n%s", log)
	}
	known := append([]string{info.Token, launchToken, wrongToken}, numbers...)
	for _, s := range findSecrets(log, known) {
		t.Errorf("in the log: %s", s)
	}
	// What the program prints for the receptionist: the launch URL only.
	for _, s := range findSecrets(stdout.String(), append([]string{info.Token, wrongToken}, numbers...)) {
		t.Errorf("on stdout: %s", s)
	}
	if t.Failed() {
		t.Logf("log:\n%s", log)
	}
}

// TestDemoNeverOpensTheRealDatabase runs the real program and then the demo
// in the same data directory: the demo leaves resepsjon.db byte for byte
// and time for time as it was, and keeps its synthetic clients in demo.db.
func TestDemoNeverOpensTheRealDatabase(t *testing.T) {
	bin := wholeBinary(t)
	dataDir := filepath.Join(t.TempDir(), "data")
	realDB := filepath.Join(dataDir, "resepsjon.db")

	proc, info, out, exited := startServe(t, bin, dataDir)
	api := secAPI{t: t, base: info.URL, header: map[string]string{"Authorization": "Bearer " + info.Token}, client: &http.Client{Timeout: 10 * time.Second}}
	if code, body := api.call("POST", "/api/clients", register.Client{GivenName: "Ekte", FamilyName: "Klient"}); code != 201 {
		t.Fatalf("create: %d %s", code, body)
	}
	proc.Process.Signal(syscall.SIGTERM)
	if err := <-exited; err != nil {
		t.Fatalf("serve exit: %v\n%s", err, out.String())
	}
	before := dirSnapshot(t, dataDir)
	if _, ok := before["resepsjon.db"]; !ok {
		t.Fatalf("no resepsjon.db after serve: %v", before)
	}

	// The demo, in the same data directory, used for real.
	demo := exec.Command(bin, "demo", "--no-browser", "--no-tray", "--data-dir", dataDir, "--port", "0")
	demoOut := &lockedBuffer{}
	demo.Stdout, demo.Stderr = demoOut, demoOut
	if err := demo.Start(); err != nil {
		t.Fatal(err)
	}
	demoExited := make(chan error, 1)
	go func() { demoExited <- demo.Wait() }()
	t.Cleanup(func() { demo.Process.Kill() })
	dinfo := waitForServerFile(t, filepath.Join(dataDir, "demo-server.json"), demo, demoOut)
	dapi := secAPI{t: t, base: dinfo.URL, header: map[string]string{"Authorization": "Bearer " + dinfo.Token}, client: &http.Client{Timeout: 10 * time.Second}}
	code, body := dapi.call("GET", "/api/clients", nil)
	var page register.Page
	if code != 200 || json.Unmarshal(body, &page) != nil || page.Total == 0 {
		t.Fatalf("demo register: %d %s", code, body)
	}
	for _, c := range page.Results {
		if c.FamilyName == "Klient" {
			t.Fatal("the demo shows a client of the real register")
		}
	}
	if code, body := dapi.call("POST", "/api/clients", register.Client{GivenName: "Demo", FamilyName: "Syntetisk"}); code != 201 {
		t.Fatalf("demo create: %d %s", code, body)
	}
	if code, body := dapi.call("GET", "/api/app", nil); code != 200 || !strings.Contains(string(body), `"demo":true`) {
		t.Fatalf("demo app info: %d %s", code, body)
	}
	demo.Process.Signal(syscall.SIGTERM)
	if err := <-demoExited; err != nil {
		t.Fatalf("demo exit: %v\n%s", err, demoOut.String())
	}

	after := dirSnapshot(t, dataDir)
	for _, name := range []string{"resepsjon.db", "resepsjon.db-wal", "resepsjon.db-shm", "server.json"} {
		b, a := before[name], after[name]
		if b != a {
			t.Errorf("%s changed while the demo ran: %+v -> %+v", name, b, a)
		}
	}
	if _, ok := after["demo.db"]; !ok {
		t.Fatalf("the demo wrote no demo.db: %v", after)
	}
	db, err := store.Open(context.Background(), realDB, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.SearchClients(context.Background(), register.Query{})
	if err != nil || p.Total != 1 || p.Results[0].FamilyName != "Klient" {
		t.Fatalf("real register after the demo: %+v %v", p, err)
	}
}

// dirFile is a file's content hash, size, mode and modification time.
type dirFile struct {
	content string
	mode    os.FileMode
	mtime   time.Time
}

func dirSnapshot(t *testing.T, dir string) map[string]dirFile {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]dirFile{}
	for _, e := range entries {
		st, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if st.IsDir() {
			// the demo's backup folder; the files beside it are what counts
			out[e.Name()] = dirFile{mode: st.Mode()}
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = dirFile{content: string(data), mode: st.Mode(), mtime: st.ModTime()}
	}
	return out
}

// TestDataFilesArePrivate starts the program on a data directory that
// others may read and checks that it is closed, and that every file the
// program writes there is readable by the user only.
func TestDataFilesArePrivate(t *testing.T) {
	bin := wholeBinary(t)
	dataDir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dataDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dataDir, 0o755); err != nil { // whatever the umask
		t.Fatal(err)
	}
	proc, info, out, exited := startServe(t, bin, dataDir)
	api := secAPI{t: t, base: info.URL, header: map[string]string{"Authorization": "Bearer " + info.Token}, client: &http.Client{Timeout: 10 * time.Second}}
	if code, body := api.call("POST", "/api/clients", register.Client{GivenName: "Kari", FamilyName: "Nordmann"}); code != 201 {
		t.Fatalf("create: %d %s", code, body)
	}
	st, err := os.Stat(dataDir)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("data directory mode %v (%v), want 0700", st.Mode().Perm(), err)
	}
	entries, err := os.ReadDir(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		st, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		seen[e.Name()] = true
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v: others can read it", e.Name(), st.Mode().Perm())
		}
	}
	for _, name := range []string{"server.json", "resepsjon.db", "resepsjon.db-wal"} {
		if !seen[name] {
			t.Errorf("%s not found in the data directory (%v)", name, seen)
		}
	}
	proc.Process.Signal(syscall.SIGTERM)
	if err := <-exited; err != nil {
		t.Fatalf("exit: %v\n%s", err, out.String())
	}
	if _, err := os.Stat(filepath.Join(dataDir, "server.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("server.json (with the token) left behind after shutdown: %v", err)
	}
}

// TestDemoLogsCarryNoSecrets runs the demo (the app with the NHN mock, a key
// and HelseID tokens) at log level debug through searches, lookups, an
// import and an update from Persontjenesten, and checks every line logged:
// no identity number, access token, DPoP proof or key.
func TestDemoLogsCarryNoSecrets(t *testing.T) {
	dataDir := t.TempDir()
	info, stdout, logs, stop := runServeInProcess(t, "demo", "--no-browser", "--data-dir", dataDir, "--port", "0", "--log-level", "debug")
	api := secAPI{t: t, base: info.URL, header: map[string]string{"Authorization": "Bearer " + info.Token}, client: &http.Client{Timeout: 60 * time.Second}}

	var numbers []string
	for _, q := range []map[string]string{
		{"familyName": "Hansen", "municipalityNumber": "0301"},
		{"givenName": "Kari", "birthDate": "1985-03-14"},
		{"familyName": "Berg", "municipalityNumber": "4601"},
	} {
		code, body := api.call("POST", "/api/persontjenesten/search", q)
		if code != 200 {
			t.Fatalf("search %v: %d %s", q, code, body)
		}
		var res struct {
			Results []struct {
				NIN string `json:"nin"`
			} `json:"results"`
		}
		if err := json.Unmarshal(body, &res); err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Results {
			numbers = append(numbers, r.NIN)
		}
	}
	if len(numbers) < 2 {
		t.Fatalf("the demo population gave %d search results", len(numbers))
	}
	for i, n := range numbers[:min(len(numbers), 4)] {
		code, body := api.call("POST", "/api/persontjenesten/lookup", map[string]string{"nin": n})
		if code != 200 {
			t.Fatalf("lookup: %d %s", code, body)
		}
		var lk struct {
			Draft            register.Client `json:"draft"`
			ExistingClientID *int64          `json:"existingClientId"`
		}
		if err := json.Unmarshal(body, &lk); err != nil {
			t.Fatal(err)
		}
		if lk.ExistingClientID != nil || i%2 == 1 {
			continue
		}
		code, body = api.call("POST", "/api/clients", lk.Draft)
		if code != 201 {
			t.Fatalf("import: %d %s", code, body)
		}
		var c register.Client
		_ = json.Unmarshal(body, &c)
		if code, body := api.call("POST", "/api/clients/"+strconv.FormatInt(c.ID, 10)+"/persontjenesten/update", nil); code != 200 {
			t.Fatalf("update from Persontjenesten: %d %s", code, body)
		}
	}
	// A number the register does not know, a broken one, and the audit log.
	api.call("POST", "/api/persontjenesten/lookup", map[string]string{"nin": secretsNIN(t, "1999-12-31")})
	api.call("POST", "/api/persontjenesten/lookup", map[string]string{"nin": numbers[0][:10] + "x"})
	api.call("GET", "/api/audit", nil)
	api.call("GET", "/api/persontjenesten/status", nil)
	stop()

	log := logs.String()
	if !strings.Contains(log, "msg=request") || !strings.Contains(log, "access token issued") {
		t.Fatalf("the log does not show the session and the token traffic (is debug logging captured?):\n%s", log)
	}
	t.Logf("%d identity numbers used, %d log lines checked", len(numbers), strings.Count(log, "\n"))
	for _, s := range findSecrets(log, append([]string{info.Token}, numbers...)) {
		t.Errorf("in the demo's log: %s", s)
	}
	for _, s := range findSecrets(stdout.String(), append([]string{info.Token}, numbers...)) {
		t.Errorf("on the demo's stdout: %s", s)
	}
	if t.Failed() {
		t.Logf("log:\n%s", log)
	}
}
