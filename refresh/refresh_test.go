package refresh_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"resepsjon/activation"
	"resepsjon/activation/activationtest"
	"resepsjon/lookup"
	"resepsjon/nin"
	"resepsjon/persontjeneste"
	"resepsjon/refresh"
	"resepsjon/register"
	"resepsjon/register/registertest"
)

type harness struct {
	t      *testing.T
	mem    *registertest.Store
	p      *activationtest.Practice
	look   *lookup.Service
	runner *refresh.Runner
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	mem := registertest.New()
	p := activationtest.New(t, mem, activationtest.Options{})
	look, err := lookup.New(lookup.Config{Connection: p.Conn, Clients: mem, Audit: mem, OSUser: "resepsjonist"})
	if err != nil {
		t.Fatal(err)
	}
	runner, err := refresh.New(refresh.Config{Connection: p.Conn, Lookup: look, Clients: mem})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(runner.Stop)
	return &harness{t: t, mem: mem, p: p, look: look, runner: runner}
}

// add saves the client that a lookup of number drafts.
func (h *harness) add(number string) register.Client {
	h.t.Helper()
	d, err := h.look.Lookup(context.Background(), "", number)
	if err != nil {
		h.t.Fatal(err)
	}
	d.Client.Notes = "Foretrekker morgentimer"
	c, err := h.mem.CreateClient(context.Background(), d.Client)
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

// run starts a run and waits until it has finished.
func (h *harness) run() refresh.Job {
	h.t.Helper()
	id, err := h.runner.Start(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	for range 500 {
		j := h.runner.Status()
		if j.ID != id {
			h.t.Fatalf("job %s, want %s", j.ID, id)
		}
		if j.State != refresh.StateRunning {
			return j
		}
		time.Sleep(10 * time.Millisecond)
	}
	h.t.Fatal("the run did not finish")
	return refresh.Job{}
}

func TestNewRefusesMissingDependencies(t *testing.T) {
	if _, err := refresh.New(refresh.Config{Clients: registertest.New()}); err == nil {
		t.Fatal("New without a connection succeeded")
	}
}

// TestRun: one run over clients the register changed in different ways;
// each lands in the report with its group, and is saved with its notes.
func TestRun(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	var residents []string
	for _, n := range h.p.Pop.SampleNINs(60) {
		d, err := h.look.Lookup(ctx, "", n)
		if err != nil {
			t.Fatal(err)
		}
		if c := d.Client; c.City != "" && c.AddressProtection == register.AddressProtectionNone && c.Status == persontjeneste.StatusResident && len(residents) < 5 {
			residents = append(residents, n)
		}
	}
	if len(residents) < 5 {
		t.Fatalf("only %d residents in the sample", len(residents))
	}
	var clients []register.Client
	for _, n := range residents[:4] {
		clients = append(clients, h.add(n))
	}
	moved, renamed, died, same := clients[0], clients[1], clients[2], clients[3]
	if _, err := h.p.Pop.MoveRandom(moved.NIN); err != nil {
		t.Fatal(err)
	}
	if _, err := h.p.Pop.Rename(renamed.NIN, renamed.GivenName, "", "Østby-Ærø"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.p.Pop.Die(died.NIN, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	// A made-up number the population register does not have.
	unknown, err := nin.Generate(time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), 499, nin.KindNational, true)
	if err != nil && !errors.Is(err, nin.ErrNoValidCheckDigit) {
		t.Fatal(err)
	}
	if errors.Is(err, nin.ErrNoValidCheckDigit) {
		unknown, _ = nin.Generate(time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC), 499, nin.KindNational, true)
	}
	missing, err := h.mem.CreateClient(ctx, register.Client{NIN: unknown, GivenName: "Ukjent", FamilyName: "Person"})
	if err != nil {
		t.Fatal(err)
	}
	// Another client, edited in Resepsjon while the run is saving it.
	edited := h.add(residents[4])
	if _, err := h.p.Pop.MoveRandom(edited.NIN); err != nil {
		t.Fatal(err)
	}
	h.mem.BeforeUpdate = func(c register.Client) {
		if c.ID != edited.ID {
			return
		}
		h.mem.BeforeUpdate = nil
		cur, _ := h.mem.GetClient(ctx, edited.ID)
		cur.Notes = "Endret i resepsjonen"
		if _, err := h.mem.UpdateClient(ctx, cur); err != nil {
			t.Error(err)
		}
	}

	j := h.run()
	if j.State != refresh.StateDone || j.Total != 6 || j.Done != 6 || j.Changed != 3 || j.Failed != 2 || j.ErrCode != "" {
		t.Fatalf("job %+v", j)
	}
	report := map[int64]refresh.Item{}
	for _, it := range j.Report {
		report[it.ClientID] = it
	}
	for _, tc := range []struct {
		client register.Client
		kind   persontjeneste.ChangeKind
		err    string
	}{
		{moved, persontjeneste.KindMoved, ""},
		{renamed, persontjeneste.KindRenamed, ""},
		{died, persontjeneste.KindDeceased, ""},
		{missing, "", refresh.ItemPersonNotFound},
		{edited, persontjeneste.KindMoved, refresh.ItemConflict},
	} {
		it, ok := report[tc.client.ID]
		if !ok || it.Error != tc.err || (tc.kind != "" && !slices.Equal(it.Kinds, []persontjeneste.ChangeKind{tc.kind})) {
			t.Errorf("client %d: %+v, want kind %q error %q", tc.client.ID, it, tc.kind, tc.err)
		}
		stored, _ := h.mem.GetClient(ctx, tc.client.ID)
		if tc.err == "" {
			if stored.Version != tc.client.Version+1 || stored.Notes != tc.client.Notes {
				t.Errorf("client %d not saved with its notes: %+v", tc.client.ID, stored)
			}
			draft := tc.client
			lookup.Apply(&draft, it.Changes)
			for _, f := range persontjeneste.Fields {
				if f.Get(&stored) != f.Get(&draft) {
					t.Errorf("client %d: %s stored %q, report says %q", tc.client.ID, f.Name, f.Get(&stored), f.Get(&draft))
				}
			}
		}
	}
	if _, ok := report[same.ID]; ok {
		t.Errorf("an unchanged client is in the report")
	}
	if got, _ := h.mem.GetClient(ctx, edited.ID); got.Notes != "Endret i resepsjonen" {
		t.Errorf("the edit made during the run was overwritten: %+v", got)
	}
	// The audit log: one row per saved client and one for the run.
	var updates, bulk int
	for _, r := range h.mem.Audit() {
		switch r.Action {
		case register.ActionUpdate:
			updates++
		case register.ActionBulk:
			bulk++
			if r.Outcome != register.OutcomeOK || r.Results == 0 {
				t.Errorf("bulk row %+v", r)
			}
		}
	}
	if updates != 3 || bulk != 1 {
		t.Errorf("%d update rows and %d bulk rows, want 3 and 1", updates, bulk)
	}
	// A second run saves the move of the client edited meanwhile, keeping
	// the edit, and finds nothing else new.
	if j := h.run(); j.State != refresh.StateDone || j.Changed != 1 || j.Failed != 1 || j.Report[1].ClientID != edited.ID {
		t.Errorf("second run %+v", j)
	}
	if got, _ := h.mem.GetClient(ctx, edited.ID); got.Notes != "Endret i resepsjonen" || got.City == edited.City {
		t.Errorf("after the second run: %+v", got)
	}
}

func TestStartRefusals(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	if j := h.runner.Status(); j.State != refresh.StateNone || j.Report == nil {
		t.Fatalf("before any run: %+v", j)
	}
	// Not activated: refused, with an audit row saying why.
	if _, err := h.p.Conn.Deactivate(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := h.runner.Start(ctx)
	if !errors.Is(err, activation.ErrNotActivated) {
		t.Fatalf("start without activation: %v", err)
	}
	rows := h.mem.Audit()
	if last := rows[len(rows)-1]; last.Action != register.ActionBulk || last.ErrorCode != lookup.CodeNotActivated {
		t.Errorf("audit row %+v", last)
	}
	// Stopped: no new run.
	h.runner.Stop()
	h2 := newHarness(t)
	h2.runner.Stop()
	if _, err := h2.runner.Start(ctx); !errors.Is(err, refresh.ErrStopped) {
		t.Errorf("start after stop: %v", err)
	}
}

// TestKeepsContactChangedInResepsjon: a phone or e-mail changed in Resepsjon
// after the client's last fetch is never replaced by the contact register's
// value; the report lists it as kept. A client saved right after its fetch
// takes the register's value.
func TestKeepsContactChangedInResepsjon(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	var withPhone []string
	for _, n := range h.p.Pop.SampleNINs(80) {
		d, err := h.look.Lookup(ctx, "", n)
		if err != nil {
			t.Fatal(err)
		}
		if d.Client.Phone != "" && d.Client.Email != "" && d.Client.AddressProtection == register.AddressProtectionNone && len(withPhone) < 2 {
			withPhone = append(withPhone, n)
		}
	}
	if len(withPhone) < 2 {
		t.Fatalf("only %d persons with phone and e-mail in the contact register", len(withPhone))
	}
	// Typed at the desk three hours after the last fetch.
	typed := h.add(withPhone[0])
	longAgo := time.Now().Add(-3 * time.Hour)
	typed.FetchedAt = &longAgo
	typed.Phone, typed.Email = "+4799999991", "typed@example.no"
	typed, err := h.mem.UpdateClient(ctx, typed)
	if err != nil {
		t.Fatal(err)
	}
	// Saved together with its fetch, with an old number the register has since replaced.
	fresh := h.add(withPhone[1])
	fresh.Phone = "+4799999992"
	fresh, err = h.mem.UpdateClient(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}

	j := h.run()
	if j.State != refresh.StateDone {
		t.Fatalf("job %+v", j)
	}
	report := map[int64]refresh.Item{}
	for _, it := range j.Report {
		report[it.ClientID] = it
	}
	it, ok := report[typed.ID]
	if !ok || len(it.Kept) != 2 || len(it.Changes) != 0 || it.Error != "" {
		t.Fatalf("typed client in the report: %+v", it)
	}
	for _, k := range it.Kept {
		if k.Field.Name != "phone" && k.Field.Name != "email" || k.New == "" {
			t.Errorf("kept %+v", k)
		}
	}
	if got, _ := h.mem.GetClient(ctx, typed.ID); got.Phone != "+4799999991" || got.Email != "typed@example.no" || got.Version != typed.Version {
		t.Errorf("the typed contact details were changed: %+v", got)
	}
	if got, _ := h.mem.GetClient(ctx, fresh.ID); got.Phone == "+4799999992" {
		t.Errorf("the client saved with its fetch kept the old number %q", got.Phone)
	}
	if it := report[fresh.ID]; len(it.Kept) != 0 {
		t.Errorf("the client saved with its fetch has kept values: %+v", it)
	}
}
