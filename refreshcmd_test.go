package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"resepsjon/activation"
	"resepsjon/config"
	"resepsjon/instance"
	"resepsjon/lookup"
	"resepsjon/nin"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/persontjeneste/nhnmock"
	"resepsjon/persontjeneste/nhnmock/population"
	"resepsjon/register"
	"resepsjon/store"
)

// refreshPractice is a data directory with a register activated against an
// in-process mock, clients imported from it, and some of them moved since.
type refreshPractice struct {
	dataDir string
	mock    *nhnmock.Mock
	pop     *population.Population
	keyFile string // the private JWK, for a child process
	keys    *helseid.MemoryKeyStore
	env     map[string]string
	moved   map[int64]bool
}

func newRefreshPractice(t *testing.T, clients, moves int) *refreshPractice {
	t.Helper()
	ctx := context.Background()
	pop, err := population.New(population.Config{Seed: 3, Size: 2 * clients})
	if err != nil {
		t.Fatal(err)
	}
	var org string
	for v := 310000010; org == ""; v++ {
		if o, err := nin.ParseOrgNumber(strconv.Itoa(v)); err == nil {
			org = o
		}
	}
	m, err := nhnmock.New(nhnmock.Config{Population: pop, Delegations: []string{org}, Agreements: []string{org}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m.Handler())
	t.Cleanup(srv.Close)
	key, err := helseid.GenerateKey(helseid.AlgES256)
	if err != nil {
		t.Fatal(err)
	}
	jwk, _ := key.PublicJWK()
	if err := m.RegisterClient(nhnmock.RegisteredClient{ClientID: "cli-test", PublicJWK: jwk, Tenancy: nhnmock.TenancyMulti,
		Scopes: []string{nhnmock.ScopeLegalBasis}}); err != nil {
		t.Fatal(err)
	}
	p := &refreshPractice{dataDir: t.TempDir(), mock: m, pop: pop, keys: helseid.NewMemoryKeyStore(), moved: map[int64]bool{},
		env: map[string]string{"RESEPSJON_HELSEID_MOCK_AUTHORITY": srv.URL + "/", "RESEPSJON_PERSONTJENESTEN_MOCK_URL": srv.URL}}
	priv, _ := key.PrivateJWK()
	p.keyFile = filepath.Join(t.TempDir(), "key.jwk")
	if err := os.WriteFile(p.keyFile, priv, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(p.dataDir, "resepsjon.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := activation.New(activation.Config{Settings: db, Keys: p.keys,
		NHN: config.NHN{Mock: config.NHNEnvironment{ID: "mock", Authority: srv.URL + "/", APIBaseURL: srv.URL},
			Timeout: 10 * time.Second, HelseIDTimeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Configure(ctx, activation.Settings{OrgNumber: org, Name: "Testklinikken", Environment: "mock",
		ClientID: "cli-test", Tenancy: helseid.TenancyMulti}, key); err != nil {
		t.Fatal(err)
	}
	if st, err := conn.Check(ctx, register.ActionActivate); err != nil || !st.Activated() {
		t.Fatalf("not activated: %v", err)
	}
	api, st, err := conn.Client(ctx)
	if err != nil {
		t.Fatal(err)
	}
	persons, err := api.BulkByNIN(ctx, pop.SampleNINs(clients), st.Settings.InformationParts)
	if err != nil {
		t.Fatal(err)
	}
	var drafts []register.Client
	for _, person := range persons {
		drafts = append(drafts, lookup.NewDraft(person, st.Settings.InformationParts, time.Now().UTC()))
	}
	if err := db.ImportClients(ctx, drafts); err != nil {
		t.Fatal(err)
	}
	cs, err := db.ClientsWithNIN(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if len(p.moved) == moves {
			break
		}
		if c.City == "" || c.DeathDate != "" {
			continue
		}
		if _, err := pop.MoveRandom(c.NIN); err == nil {
			p.moved[c.ID] = true
		}
	}
	return p
}

// environment runs commands in this process with the practice's key and
// mock.
func (p *refreshPractice) environment(stdout, stderr io.Writer) *environment {
	return &environment{stdin: strings.NewReader(""), stdout: stdout, stderr: stderr,
		getenv: func(k string) string { return p.env[k] }, keys: func() helseid.KeyStore { return p.keys }, handOverWait: 5 * time.Second}
}

func (p *refreshPractice) refresh(t *testing.T, args ...string) (refreshReport, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := p.environment(&stdout, &stderr).dispatch(context.Background(), "refresh", append([]string{"--json", "--data-dir", p.dataDir}, args...))
	var rep refreshReport
	if jerr := json.Unmarshal(stdout.Bytes(), &rep); jerr != nil && err == nil {
		t.Fatalf("refresh --json printed %q (%v); stderr %s", stdout.String(), jerr, stderr.String())
	}
	return rep, err
}

// versions are the clients' versions by id.
func (p *refreshPractice) versions(t *testing.T) map[int64]int64 {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(p.dataDir, "resepsjon.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cs, err := db.ClientsWithNIN(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]int64{}
	for _, c := range cs {
		out[c.ID] = c.Version
	}
	return out
}

func (p *refreshPractice) checkMovedUpdated(t *testing.T) {
	t.Helper()
	for id, v := range p.versions(t) {
		if want := map[bool]int64{true: 2, false: 1}[p.moved[id]]; v != want {
			t.Errorf("client %d (moved %v): version %d, want %d", id, p.moved[id], v, want)
		}
	}
}

// TestRefreshCommandAlone: with no app running the command opens the
// register under the lock; --dry-run saves nothing; the JSON report lists
// the moved clients; exit status 0.
func TestRefreshCommandAlone(t *testing.T) {
	p := newRefreshPractice(t, 120, 7)
	rep, err := p.refresh(t, "--dry-run")
	if err != nil || !rep.DryRun || rep.Changed != 7 || rep.Total != 120 || rep.ViaApp {
		t.Fatalf("dry run: %+v, %v", rep, err)
	}
	for id, v := range p.versions(t) {
		if v != 1 {
			t.Errorf("the dry run saved client %d", id)
		}
	}
	rep, err = p.refresh(t)
	if err != nil || rep.State != "done" || rep.Changed != 7 || rep.Done != 120 || len(rep.Report) != 7 {
		t.Fatalf("run: %+v, %v", rep, err)
	}
	p.checkMovedUpdated(t)
	if _, err := os.Stat(filepath.Join(p.dataDir, "resepsjon.lock")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the lock file is left: %v", err)
	}
}

// TestRefreshCommandCannotRun: a register that is not activated, or a
// Persontjenesten that does not answer, is exit status 2 with a reason.
func TestRefreshCommandCannotRun(t *testing.T) {
	var stdout, stderr bytes.Buffer
	env := testEnv(&stdout, &stderr)
	env.keys = func() helseid.KeyStore { return helseid.NewMemoryKeyStore() }
	err := env.dispatch(context.Background(), "refresh", []string{"--data-dir", t.TempDir()})
	if exitCode(err) != refreshExitCouldNotRun || !strings.Contains(err.Error(), "ikke aktivert") {
		t.Fatalf("not activated: %v (exit %d)", err, exitCode(err))
	}
	p := newRefreshPractice(t, 30, 2)
	p.mock.SetFaults(nhnmock.Faults{PersontjenestenDown: true})
	rep, err := p.refresh(t)
	if exitCode(err) != refreshExitCouldNotRun || rep.State != "failed" || rep.Error == nil || rep.Error.Code != lookup.CodeUnavailable {
		t.Fatalf("NHN down: %+v, %v (exit %d)", rep, err, exitCode(err))
	}
	if _, err := p.refresh(t, "--resume"); exitCode(err) != refreshExitCouldNotRun {
		t.Errorf("resume after the failure: %v", err)
	}
}

// TestRefreshCommandViaRunningApp: when the app holds the register, the
// command runs the update there through the app's API.
func TestRefreshCommandViaRunningApp(t *testing.T) {
	p := newRefreshPractice(t, 80, 5)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	out, errOut := newLockedBuffer(), newLockedBuffer()
	go func() {
		done <- p.environment(out, errOut).dispatch(ctx, "serve", []string{"--no-browser", "--port", "0", "--data-dir", p.dataDir})
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	// With --no-browser the app prints its address after it writes the
	// server file (once the search index is loaded): each write of output
	// is the moment to look again.
	files := dataFiles(p.dataDir, false)
	deadline := time.After(30 * time.Second)
	for {
		if info, err := instance.Read(files.server); err == nil && info.PID == os.Getpid() {
			break
		}
		select {
		case <-out.wrote:
		case err := <-done:
			done <- err
			t.Fatalf("the app ended before it served: %v\n%s", err, errOut.String())
		case <-deadline:
			t.Fatalf("the app did not start:\n%s%s", out.String(), errOut.String())
		}
	}
	rep, err := p.refresh(t)
	if err != nil || !rep.ViaApp || rep.State != "done" || rep.Changed != 5 {
		t.Fatalf("via the app: %+v, %v", rep, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	done <- nil
	p.checkMovedUpdated(t)
}

// TestRefreshCommandResumeAfterKill: a run killed with SIGKILL part way
// through is finished by --resume without redoing the clients it had done:
// every moved client is updated exactly once.
func TestRefreshCommandResumeAfterKill(t *testing.T) {
	if os.Getenv("RESEPSJON_REFRESH_CHILD") != "" {
		t.Skip("the child's own run")
	}
	p := newRefreshPractice(t, 1000, 100)
	// Slow answers, so the child is killed in the middle of its run.
	p.mock.SetFaults(nhnmock.Faults{Latency: 400 * time.Millisecond})
	cmd := exec.Command(os.Args[0], "-test.run=^TestRefreshChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "RESEPSJON_REFRESH_CHILD="+p.dataDir, "RESEPSJON_REFRESH_KEY="+p.keyFile,
		"RESEPSJON_HELSEID_MOCK_AUTHORITY="+p.env["RESEPSJON_HELSEID_MOCK_AUTHORITY"],
		"RESEPSJON_PERSONTJENESTEN_MOCK_URL="+p.env["RESEPSJON_PERSONTJENESTEN_MOCK_URL"])
	var childOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &childOut, &childOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once some, but not all, clients are done.
	db, err := store.Open(context.Background(), filepath.Join(p.dataDir, "resepsjon.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	// The run is in the child process: its progress shows only in the
	// register file, so the test reads it there every few milliseconds.
	deadline := time.After(60 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var run register.Run
	for {
		r, ok, err := db.UnfinishedRun(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if ok && r.Done >= 200 {
			run = r
			break
		}
		select {
		case <-tick.C:
		case <-deadline:
			_ = cmd.Process.Kill()
			t.Fatalf("the child's run did not get going:\n%s", childOut.String())
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	after, ok, err := db.UnfinishedRun(context.Background())
	if err != nil || !ok || after.Done < run.Done || after.Done == after.Total {
		t.Fatalf("after the kill: %+v %v %v", after, ok, err)
	}
	updatedBefore := auditUpdates(t, db)
	db.Close()

	p.mock.SetFaults(nhnmock.Faults{})
	calls := p.mock.Counters().APICalls["legal-basis bulk-by-nin"]
	rep, err := p.refresh(t, "--resume")
	if err != nil || !rep.Resumed || rep.State != "done" || rep.Done != 1000 || rep.Total != 1000 {
		t.Fatalf("resume: %+v, %v", rep, err)
	}
	if got, most := p.mock.Counters().APICalls["legal-basis bulk-by-nin"]-calls, int64((len(after.Pending)+99)/100); got > most {
		t.Errorf("the resumed run made %d bulk calls for %d clients not done", got, len(after.Pending))
	}
	p.checkMovedUpdated(t)
	db, err = store.Open(context.Background(), filepath.Join(p.dataDir, "resepsjon.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	updated := auditUpdates(t, db)
	for id, n := range updated {
		if n != 1 {
			t.Errorf("client %d has %d update rows (%d before the resume)", id, n, updatedBefore[id])
		}
	}
	if len(updated) != len(p.moved) {
		t.Errorf("%d clients updated, %d moved", len(updated), len(p.moved))
	}
	if _, ok, _ := db.UnfinishedRun(context.Background()); ok {
		t.Error("the run is still unfinished after --resume")
	}
}

// auditUpdates counts the update rows per client id.
func auditUpdates(t *testing.T, db *store.DB) map[int64]int {
	t.Helper()
	page, err := db.ListAudit(context.Background(), register.AuditFilter{Action: register.ActionUpdate})
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]int{}
	for _, e := range page.Entries {
		for _, f := range strings.Fields(e.Query) {
			if v, ok := strings.CutPrefix(f, "clientId="); ok {
				id, _ := strconv.ParseInt(v, 10, 64)
				out[id]++
			}
		}
	}
	return out
}

// TestRefreshChild is the process TestRefreshCommandResumeAfterKill kills:
// "resepsjon refresh" with the practice's key.
func TestRefreshChild(t *testing.T) {
	dataDir := os.Getenv("RESEPSJON_REFRESH_CHILD")
	if dataDir == "" {
		t.Skip("run by TestRefreshCommandResumeAfterKill only")
	}
	raw, err := os.ReadFile(os.Getenv("RESEPSJON_REFRESH_KEY"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := helseid.ImportKey(raw, "")
	if err != nil {
		t.Fatal(err)
	}
	keys := helseid.NewMemoryKeyStore()
	if err := keys.Save(context.Background(), key); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	env := &environment{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: os.Getenv,
		keys: func() helseid.KeyStore { return keys }}
	err = env.dispatch(context.Background(), "refresh", []string{"--data-dir", dataDir})
	t.Fatalf("the run ended before it was killed: %v\n%s%s", err, stdout.String(), stderr.String())
}
