package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"resepsjon/app"
	"resepsjon/lookup"
	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/nhnmock"
	"resepsjon/persontjeneste/nhnmock/population"
	"resepsjon/register"
)

const bulkPath = "/api/persontjenesten/refresh-all"

// startBulk presses "Oppdater alle fra Persontjenesten".
func (h *faultHarness) startBulk() string {
	h.t.Helper()
	r := h.do(http.MethodPost, bulkPath, nil)
	if r.status != http.StatusAccepted {
		h.t.Fatalf("start refresh all: %d %s", r.status, r.body)
	}
	var out struct {
		JobID string `json:"jobId"`
	}
	r.decode(h.t, &out)
	if out.JobID == "" {
		h.t.Fatalf("no job id: %s", r.body)
	}
	return out.JobID
}

func (h *faultHarness) bulkNow(mutate ...func(*http.Request)) app.BulkJob {
	h.t.Helper()
	r := h.do(http.MethodGet, bulkPath, nil, mutate...)
	if r.status != http.StatusOK {
		h.t.Fatalf("refresh all status: %d %s", r.status, r.body)
	}
	var j app.BulkJob
	r.decode(h.t, &j)
	return j
}

// waitBulk polls the job, as the page does, until until(job) holds.
func (h *faultHarness) waitBulk(until func(app.BulkJob) bool, mutate ...func(*http.Request)) app.BulkJob {
	h.t.Helper()
	var j app.BulkJob
	eventually(h.t, 90*time.Second, "refresh all did not get there", func() bool {
		j = h.bulkNow(mutate...)
		return until(j)
	})
	return j
}

func finished(j app.BulkJob) bool { return j.State != "running" }

// control sends one request to the mock's control API.
func (h *faultHarness) control(path string, body any) {
	h.t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		h.t.Fatal(err)
	}
	resp, err := http.Post(h.nhn.URL+path, "application/json", bytes.NewReader(data))
	if err != nil {
		h.t.Fatalf("mock %s: %v", path, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("mock %s: %d", path, resp.StatusCode)
	}
}

// residents are the numbers of persons living at an ordinary, unprotected
// address (the ones the mock can move), from a sample of n.
func (h *faultHarness) residents(n int) []string {
	h.t.Helper()
	var out []string
	for _, number := range h.pop.SampleNINs(n) {
		if _, c := h.registerPerson(number); c.City != "" && c.AddressProtection == register.AddressProtectionNone && c.Status == "Resident" {
			out = append(out, number)
		}
	}
	return out
}

// importPersons stores the mock's current record of each person as a
// client, the way a large register looks, and returns them by id.
func (h *faultHarness) importPersons(numbers []string) []register.Client {
	h.t.Helper()
	cs := make([]register.Client, 0, len(numbers))
	for _, n := range numbers {
		_, c := h.registerPerson(n)
		cs = append(cs, c)
	}
	ctx := context.Background()
	if err := h.db.ImportClients(ctx, cs); err != nil {
		h.t.Fatal(err)
	}
	stored, err := h.db.ClientsWithNIN(ctx)
	if err != nil || len(stored) != len(numbers) {
		h.t.Fatalf("imported %d clients, stored %d: %v", len(numbers), len(stored), err)
	}
	return stored
}

func (h *faultHarness) stored(id int64) register.Client {
	h.t.Helper()
	c, err := h.db.GetClient(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

// reportOf indexes a report by client id.
func reportOf(j app.BulkJob) map[int64]app.BulkItem {
	out := map[int64]app.BulkItem{}
	for _, it := range j.Report {
		out[it.ClientID] = it
	}
	return out
}

// wantApplied checks that the stored client is the client as read before
// the run with exactly the item's changes, saved once.
func wantApplied(t *testing.T, before, now register.Client, it app.BulkItem) {
	t.Helper()
	if now.Version != before.Version+1 {
		t.Fatalf("client %d: version %d -> %d", before.ID, before.Version, now.Version)
	}
	got := lookup.Diff(before, now)
	if len(got) != len(it.Changes) {
		t.Fatalf("client %d: stored changes %+v, reported %+v", before.ID, got, it.Changes)
	}
	for i := range got {
		if got[i] != it.Changes[i] {
			t.Fatalf("client %d: stored change %+v, reported %+v", before.ID, got[i], it.Changes[i])
		}
	}
	if now.Notes != before.Notes {
		t.Fatalf("client %d: fields the register owns changed: %+v", before.ID, now)
	}
}

func TestBulkRefreshReportsMovedRenamedDeceased(t *testing.T) {
	t.Parallel()
	h := newFaultHarness(t, faultOptions{})
	h.activate()
	numbers := h.residents(60)
	if len(numbers) < 6 {
		t.Fatalf("only %d residents in the sample", len(numbers))
	}
	numbers = numbers[:6]
	var clients []register.Client
	for _, n := range numbers {
		d := h.lookup(map[string]string{"nin": n}).Draft
		d.Notes = "Foretrekker morgentimer"
		clients = append(clients, h.create(d))
	}
	moved, renamed, died := clients[0], clients[1], clients[2]
	h.control("/_mock/persons/move", map[string]string{"nin": moved.NIN})
	h.control("/_mock/persons/rename", map[string]string{"nin": renamed.NIN, "givenName": renamed.GivenName, "familyName": "Østby-Ærø"})
	h.control("/_mock/persons/die", map[string]string{"nin": died.NIN, "date": "2026-03-02"})
	// Registered by hand with the D-number the person had before the
	// fødselsnummer (no person id: the former number must be followed).
	edges := h.pop.EdgeCases()
	dnr := edges[population.EdgeFormerDNumber]
	_, current := h.registerPerson(dnr)
	c := current
	c.NIN, c.NINType, c.PersonID, c.FetchedAt, c.SequenceNumber = dnr, "", "", nil, nil
	renumbered := h.create(c)
	// Registered with an address before the address became strictly
	// confidential.
	d := h.lookup(map[string]string{"nin": edges[population.EdgeStrictlyConfidential]}).Draft
	d.AddressProtection = register.AddressProtectionNone
	d.StreetAddress, d.PostalCode, d.City, d.MunicipalityNumber = "Gamleveien 3", "0150", "Oslo", "0301"
	protected := h.create(d)

	if j := h.bulkNow(); j.State != "none" || j.Report == nil {
		t.Fatalf("before any run: %+v", j)
	}
	id := h.startBulk()
	j := h.waitBulk(finished)
	if j.JobID != id || j.State != "done" || j.Total != 8 || j.Done != 8 || j.Changed != 5 || j.Failed != 0 || j.Error != nil ||
		j.StartedAt == nil || j.FinishedAt == nil || j.FinishedAt.Before(*j.StartedAt) {
		t.Fatalf("job %+v", j)
	}
	rep := reportOf(j)
	if len(j.Report) != 5 {
		t.Fatalf("report %+v, want the five changed clients", j.Report)
	}
	for _, c := range []struct {
		client register.Client
		kind   persontjeneste.ChangeKind
	}{{moved, "moved"}, {renamed, "renamed"}, {died, "deceased"}, {renumbered, "new_number"}, {protected, "protected"}} {
		it, ok := rep[c.client.ID]
		if !ok || it.Error != nil || !slices.Equal(it.Kinds, []persontjeneste.ChangeKind{c.kind}) || it.Name == "" {
			t.Fatalf("client %d in the report: %+v, want kind %s", c.client.ID, it, c.kind)
		}
		wantApplied(t, c.client, h.stored(c.client.ID), it)
	}
	if now := h.stored(renumbered.ID); now.NIN != current.NIN {
		t.Errorf("the former D-number was not followed: %s", now.NIN)
	}
	if now := h.stored(protected.ID); now.StreetAddress != "" || now.City != "" || now.AddressProtection != register.AddressProtectionStrictlyConfidential {
		t.Errorf("strictly confidential client keeps the address: %+v", now)
	}
	if name := rep[renamed.ID].Name; !strings.Contains(name, "Østby-Ærø") {
		t.Errorf("renamed client reported as %q", name)
	}
	if d := h.stored(died.ID); d.Status != persontjeneste.StatusDeceased || d.DeathDate != "2026-03-02" {
		t.Errorf("deceased client stored as %s %s", d.Status, d.DeathDate)
	}
	for _, c := range clients[3:] {
		if now := h.stored(c.ID); now.Version != c.Version || !now.UpdatedAt.Equal(c.UpdatedAt) {
			t.Errorf("unchanged person's client %d was saved: %+v", c.ID, now)
		}
	}

	// The audit log: one "bulk" row for the run, one "update" row per saved
	// client (written with the change).
	bulk := h.audit("&action=bulk")
	if len(bulk) != 1 || bulk[0].Outcome != "ok" || bulk[0].Results != 8 || len(bulk[0].PersonIDs) != 8 ||
		!strings.Contains(bulk[0].Query, id) || bulk[0].OSUser != "resepsjonist" {
		t.Fatalf("bulk audit rows %+v", bulk)
	}
	var updates int
	for _, row := range h.audit("&action=update") {
		if strings.Contains(row.Query, "job="+id) {
			updates++
			if row.Outcome != "ok" || len(row.PersonIDs) != 1 {
				t.Errorf("update row %+v", row)
			}
		}
	}
	if updates != 5 {
		t.Errorf("%d update audit rows for the run, want 5", updates)
	}

	// In English on request.
	if j := h.bulkNow(english); j.State != "done" || len(j.Report) != 5 {
		t.Fatalf("English view %+v", j)
	}

	// A second run finds nothing new.
	h.startBulk()
	j = h.waitBulk(finished)
	if j.State != "done" || j.Total != 8 || j.Done != 8 || j.Changed != 0 || j.Failed != 0 || len(j.Report) != 0 {
		t.Fatalf("second run %+v", j)
	}
}

func TestBulkRefreshSkipsClientEditedMeanwhile(t *testing.T) {
	t.Parallel()
	h := newFaultHarness(t, faultOptions{})
	h.activate()
	numbers := h.residents(60)[:3]
	var clients []register.Client
	for _, n := range numbers {
		clients = append(clients, h.create(h.lookup(map[string]string{"nin": n}).Draft))
	}
	edited, other := clients[0], clients[1]
	h.control("/_mock/persons/move", map[string]string{"nin": edited.NIN})
	h.control("/_mock/persons/move", map[string]string{"nin": other.NIN})

	// Persontjenesten is slow, and the receptionist saves the client
	// while the run waits for it.
	h.mock.SetFaults(nhnmock.Faults{Latency: time.Second})
	h.startBulk()
	typed := edited
	typed.Notes, typed.StreetAddress = "Ny adresse oppgitt i skranken", "Skrankeveien 1"
	r := h.do(http.MethodPut, fmt.Sprintf("/api/clients/%d", edited.ID), typed)
	if r.status != http.StatusOK {
		t.Fatalf("save during the run: %d %s", r.status, r.body)
	}
	var saved register.Client
	r.decode(t, &saved)

	j := h.waitBulk(finished)
	if j.State != "done" || j.Done != 3 || j.Changed != 1 || j.Failed != 1 {
		t.Fatalf("job %+v", j)
	}
	it, ok := reportOf(j)[edited.ID]
	if !ok || it.Error == nil || it.Error.Code != "conflict" || it.Error.Message == "" || !slices.Contains(it.Kinds, "moved") {
		t.Fatalf("edited client in the report: %+v", it)
	}
	now := h.stored(edited.ID)
	if now.Version != saved.Version || now.Notes != typed.Notes || now.StreetAddress != typed.StreetAddress || now.City != typed.City {
		t.Fatalf("the receptionist's save was overwritten: %+v", now)
	}
	wantApplied(t, other, h.stored(other.ID), reportOf(j)[other.ID])
}

func TestBulkRefreshCancel(t *testing.T) {
	t.Parallel()
	h := newFaultHarness(t, faultOptions{})
	h.activate()
	clients := h.importPersons(h.residents(300))
	for _, c := range clients[:5] {
		h.control("/_mock/persons/move", map[string]string{"nin": c.NIN})
	}
	h.mock.SetFaults(nhnmock.Faults{Latency: time.Second})
	h.startBulk()

	// One run at a time.
	if r := h.do(http.MethodPost, bulkPath, nil); r.status != http.StatusConflict || r.apiError(t).Code != "job_running" || r.apiError(t).Message == "" {
		t.Fatalf("second start: %d %s", r.status, r.body)
	}
	if r := h.do(http.MethodDelete, bulkPath, nil); r.status != http.StatusAccepted {
		t.Fatalf("cancel: %d %s", r.status, r.body)
	}
	j := h.waitBulk(finished)
	if j.State != "cancelled" || j.Done >= j.Total || j.Total != len(clients) || j.FinishedAt == nil {
		t.Fatalf("cancelled job %+v", j)
	}
	rep := reportOf(j)
	for _, c := range clients {
		now := h.stored(c.ID)
		if it, ok := rep[c.ID]; ok {
			wantApplied(t, c, now, it)
		} else if now.Version != c.Version {
			t.Fatalf("client %d saved but not reported", c.ID)
		}
	}
	if rows := h.audit("&action=bulk"); len(rows) != 1 || rows[0].Outcome != "error" || rows[0].ErrorCode != "cancelled" {
		t.Fatalf("audit after cancel %+v", rows)
	}

	// A new run can start and finishes the work.
	h.mock.SetFaults(nhnmock.Faults{})
	h.startBulk()
	if j = h.waitBulk(finished); j.State != "done" || j.Done != len(clients) || j.Failed != 0 {
		t.Fatalf("run after cancel %+v", j)
	}
	for _, c := range clients[:5] {
		if now := h.stored(c.ID); now.StreetAddress == c.StreetAddress && now.PostalCode == c.PostalCode {
			t.Errorf("moved client %d not updated after the new run", c.ID)
		}
	}
}

func TestBulkRefreshNotActivated(t *testing.T) {
	t.Parallel()
	h := newFaultHarness(t, faultOptions{})
	h.importPersons(h.pop.SampleNINs(3))
	r := h.do(http.MethodPost, bulkPath, nil)
	if e := r.apiError(t); r.status != http.StatusConflict || e.Code != "not_activated" || e.Message == "" {
		t.Fatalf("start without activation: %d %s", r.status, r.body)
	}
	if j := h.bulkNow(); j.State != "none" {
		t.Fatalf("a job after a refused start: %+v", j)
	}
	if rows := h.audit("&action=bulk"); len(rows) != 1 || rows[0].Outcome != "error" || rows[0].ErrorCode != "not_activated" {
		t.Fatalf("audit %+v", rows)
	}
	if h.mock.Counters().TokenRequests != 0 {
		t.Fatal("HelseID was asked though Persontjenesten is not activated")
	}
}

// TestBulkRefreshTokenExpiry: a run that lasts several token lifetimes
// completes; the token client fetches new tokens as they run out.
func TestBulkRefreshTokenExpiry(t *testing.T) {
	t.Parallel()
	// Every Persontjenesten call takes 0.45 s on the clock: five calls of
	// 100 outlast the 2 s token the run starts with (the activation's token
	// has run out before the start).
	h := newFaultHarness(t, faultOptions{tokenLifetime: 2 * time.Second, apiCallTakes: 450 * time.Millisecond})
	h.activate()
	clients := h.importPersons(h.pop.SampleNINs(500))
	movable := h.residents(40)[:2]
	for _, n := range movable {
		h.control("/_mock/persons/move", map[string]string{"nin": n})
	}
	h.clock.Advance(2100 * time.Millisecond)
	before := h.mock.Counters()
	h.startBulk()
	j := h.waitBulk(finished)
	if j.State != "done" || j.Total != len(clients) || j.Done != len(clients) || j.Failed != 0 || j.Changed != len(movable) {
		t.Fatalf("job %+v error %+v", j, j.Error)
	}
	after := h.mock.Counters()
	if n := after.TokensIssued - before.TokensIssued; n < 2 {
		t.Fatalf("%d tokens issued during the run: it did not outlast a token", n)
	}
	if n := after.APICalls["legal-basis bulk-by-nin"] - before.APICalls["legal-basis bulk-by-nin"]; n < 5 {
		t.Errorf("%d bulk calls for %d clients (counters %v)", n, len(clients), after.APICalls)
	}
}

// TestBulkRefreshHelseIDDownMidBatch: HelseID stops answering while the run
// needs a new token. The run ends "failed" with a message naming HelseID;
// the clients saved before keep their changes, each whole, the others are
// untouched; a new run when HelseID is back does the rest.
func TestBulkRefreshHelseIDDownMidBatch(t *testing.T) {
	t.Parallel()
	h := newFaultHarness(t, faultOptions{tokenLifetime: 2 * time.Second, apiCallTakes: 450 * time.Millisecond})
	h.activate()
	clients := h.importPersons(h.pop.SampleNINs(500))
	// Movable persons spread over the register, so every call of 100 has
	// some.
	var movedIDs []int64
	movable := map[string]bool{}
	for _, n := range h.residents(500) {
		movable[n] = true
	}
	for i, c := range clients {
		if i%25 == 0 && movable[c.NIN] {
			h.control("/_mock/persons/move", map[string]string{"nin": c.NIN})
			movedIDs = append(movedIDs, c.ID)
		}
	}
	if len(movedIDs) < 10 {
		t.Fatalf("only %d persons moved", len(movedIDs))
	}
	// Every call takes 0.45 s on the clock, so the token fetched at the
	// start (2 s) runs out by the third round of calls; HelseID goes down
	// as soon as the first round is saved. The answers also take a little
	// real time, so the first round's save is seen before the next round.
	slow := nhnmock.Faults{Latency: 300 * time.Millisecond}
	h.mock.SetFaults(slow)
	h.clock.Advance(2100 * time.Millisecond)
	h.startBulk()
	h.waitBulk(func(j app.BulkJob) bool { return j.Done > 0 || finished(j) })
	slow.HelseIDDown = true
	h.mock.SetFaults(slow)
	j := h.waitBulk(finished, english)
	if j.State != "failed" || j.Error == nil || j.Error.Code != "nhn_unavailable" || j.Error.Service != "helseid" ||
		!strings.Contains(j.Error.Message, "HelseID") || j.Done == 0 || j.Done >= j.Total {
		t.Fatalf("job after HelseID went down: %+v", j)
	}
	rep := reportOf(j)
	saved := 0
	for _, c := range clients {
		now := h.stored(c.ID)
		if it, ok := rep[c.ID]; ok && it.Error == nil {
			wantApplied(t, c, now, it)
			saved++
		} else if now.Version != c.Version || !now.UpdatedAt.Equal(c.UpdatedAt) {
			t.Fatalf("client %d saved but not reported as changed: %+v", c.ID, now)
		}
	}
	if saved != j.Changed || saved == 0 || saved == len(movedIDs) {
		t.Fatalf("%d clients saved, %d reported changed, %d moved", saved, j.Changed, len(movedIDs))
	}
	rows := h.audit("&action=bulk")
	if len(rows) != 1 || rows[0].Outcome != "error" || rows[0].ErrorCode != "nhn_unavailable" {
		t.Fatalf("bulk audit %+v", rows)
	}
	updates := 0
	for _, row := range h.audit("&action=update") {
		if strings.Contains(row.Query, "job="+j.JobID) {
			updates++
		}
	}
	if updates != saved {
		t.Fatalf("%d update audit rows, %d clients saved", updates, saved)
	}

	// HelseID back: a new run saves the rest.
	h.mock.SetFaults(nhnmock.Faults{})
	h.startBulk()
	j2 := h.waitBulk(finished)
	if j2.State != "done" || j2.Failed != 0 || j2.Changed != len(movedIDs)-saved {
		t.Fatalf("run after HelseID is back: %+v (first run saved %d of %d)", j2, saved, len(movedIDs))
	}
}
