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
	select {
	case <-h.runner.Finished():
	case <-time.After(30 * time.Second):
		h.t.Fatal("the run did not finish")
	}
	j := h.runner.Status()
	if j.ID != id || j.State == refresh.StateRunning {
		h.t.Fatalf("after the run ended: job %s in state %s, want %s ended", j.ID, j.State, id)
	}
	return j
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

// TestKeepsContactChangedInResepsjon: the phone and e-mail rule of
// "Oppdater alle", a three-way merge per field with the contact register's
// value at the last fetch as the base. A value that differs from the base
// was changed in Resepsjon and is kept (listed as kept); one equal to it
// takes the register's new value, however long after the fetch the client
// was saved. Clients without a base keep the older rule: saved more than 2
// minutes after the fetch, kept.
func TestKeepsContactChangedInResepsjon(t *testing.T) {
	const (
		typedEmail = "skrevet.i.resepsjonen@example.no"
		newEmail   = "ny.adresse@example.no"
		newPhone   = "+4741234567"
	)
	longAgo := time.Now().Add(-3 * time.Hour)
	cases := []struct {
		name string
		// fetchedLongAgo: the client's fetch was 3 hours before its last
		// save (saved notes only, say); noBase: saved before the base was
		// kept.
		fetchedLongAgo, noBase bool
		edit                   func(c *register.Client) // in Resepsjon, after the fetch
		register               [2]string                // the contact register's new phone, e-mail
		wantEmail, wantPhone   string                   // "" means the register's value at the end
		wantKept               []string                 // fields listed as kept
	}{
		{name: "taken: never touched, saved long after", fetchedLongAgo: true,
			edit:     func(c *register.Client) { c.Notes = "Ny merknad" },
			register: [2]string{"", newEmail}, wantKept: nil},
		{name: "kept: typed right after the import", edit: func(c *register.Client) { c.Email = typedEmail },
			wantEmail: typedEmail, wantKept: []string{"email"}},
		{name: "both changed: the practice's value is kept", edit: func(c *register.Client) { c.Email = typedEmail },
			register: [2]string{newPhone, newEmail}, wantEmail: typedEmail, wantKept: []string{"email"}},
		{name: "cleared by the receptionist: stays empty", edit: func(c *register.Client) { c.Email = "" },
			register: [2]string{"", newEmail}, wantEmail: "-", wantKept: []string{"email"}},
		{name: "phone written another way is the register's", edit: func(c *register.Client) { c.Phone = spaced(c.Phone) },
			register: [2]string{newPhone, ""}, wantKept: nil},
		{name: "no base, saved long after: kept (older rule)", noBase: true, fetchedLongAgo: true,
			edit:     func(c *register.Client) { c.Notes = "Ny merknad" },
			register: [2]string{"", newEmail}, wantEmail: "old", wantKept: []string{"email"}},
		{name: "no base, saved with its fetch: taken (older rule)", noBase: true,
			register: [2]string{"", newEmail}, wantKept: nil},
		{name: "no base, cleared: filled from the register (older rule)", noBase: true, fetchedLongAgo: true,
			edit: func(c *register.Client) { c.Email = "" }, wantKept: nil},
	}

	h := newHarness(t)
	ctx := context.Background()
	var numbers []string
	for _, n := range h.p.Pop.SampleNINs(200) {
		d, err := h.look.Lookup(ctx, "", n)
		if err != nil {
			t.Fatal(err)
		}
		if d.Client.Phone != "" && d.Client.Email != "" && d.Client.AddressProtection == register.AddressProtectionNone && d.Client.DeathDate == "" {
			numbers = append(numbers, n)
		}
		if len(numbers) == len(cases) {
			break
		}
	}
	if len(numbers) < len(cases) {
		t.Fatalf("only %d persons with phone and e-mail in the contact register", len(numbers))
	}
	type client struct {
		c        register.Client
		oldEmail string
	}
	clients := make([]client, len(cases))
	for i, tc := range cases {
		d, err := h.look.Lookup(ctx, "", numbers[i])
		if err != nil {
			t.Fatal(err)
		}
		if d.Client.FetchedEmail == nil || *d.Client.FetchedEmail != d.Client.Email {
			t.Fatalf("%s: the draft's base %v is not the fetched e-mail %q", tc.name, d.Client.FetchedEmail, d.Client.Email)
		}
		if tc.fetchedLongAgo {
			d.Client.FetchedAt = &longAgo
		}
		if tc.noBase {
			d.Client.FetchedPhone, d.Client.FetchedEmail = nil, nil
		}
		c, err := h.mem.CreateClient(ctx, d.Client)
		if err != nil {
			t.Fatal(err)
		}
		if tc.edit != nil {
			tc.edit(&c)
			if c, err = h.mem.UpdateClient(ctx, c); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
		}
		if tc.register != [2]string{} {
			if _, err := h.p.Pop.SetContact(numbers[i], tc.register[0], tc.register[1]); err != nil {
				t.Fatal(err)
			}
		}
		clients[i] = client{c: c, oldEmail: d.Client.Email}
	}

	j := h.run()
	if j.State != refresh.StateDone {
		t.Fatalf("job %+v", j)
	}
	report := map[int64]refresh.Item{}
	for _, it := range j.Report {
		report[it.ClientID] = it
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cl := clients[i]
			got, err := h.mem.GetClient(ctx, cl.c.ID)
			if err != nil {
				t.Fatal(err)
			}
			now, err := h.look.Lookup(ctx, "", numbers[i])
			if err != nil {
				t.Fatal(err)
			}
			want := tc.wantEmail
			switch want {
			case "":
				want = now.Client.Email
			case "-":
				want = ""
			case "old":
				want = cl.oldEmail
			}
			if got.Email != want {
				t.Errorf("e-mail %q, want %q", got.Email, want)
			}
			if tc.register[0] != "" && !slices.Contains(tc.wantKept, "phone") && !register.SamePhone(got.Phone, tc.register[0]) {
				t.Errorf("phone %q, want the register's %q", got.Phone, tc.register[0])
			}
			var kept []string
			for _, k := range report[cl.c.ID].Kept {
				kept = append(kept, k.Field.Name)
				if k.New != now.Client.Email && k.Field.Name == "email" {
					t.Errorf("kept %+v: New is not the register's %q", k, now.Client.Email)
				}
			}
			if !slices.Equal(kept, tc.wantKept) {
				t.Errorf("kept %v, want %v", kept, tc.wantKept)
			}
			if got.Version != cl.c.Version && got.FetchedEmail != nil && *got.FetchedEmail != now.Client.Email {
				t.Errorf("saved with the base %q, want the register's %q", *got.FetchedEmail, now.Client.Email)
			}
		})
	}
}

// spaced writes a phone number +47XXXXXXXX as +47 XXX XX XXX.
func spaced(p string) string {
	if len(p) != 11 {
		return p
	}
	return p[:3] + " " + p[3:6] + " " + p[6:8] + " " + p[8:]
}
