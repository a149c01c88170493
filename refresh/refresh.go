// Package refresh is "Oppdater alle klienter fra Persontjenesten": one
// background job fetches every client with an identity number through
// bulk-by-nin and applies what changed, client by client, with the merge
// rules of "Oppdater via Persontjenesten" (package lookup), and keeps a
// report of what changed and what could not be saved. It knows neither
// HTTP nor SQL.
package refresh

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"resepsjon/activation"
	"resepsjon/lookup"
	"resepsjon/persontjeneste"
	"resepsjon/register"
)

// Job states.
const (
	StateRunning   = "running"
	StateDone      = "done"
	StateFailed    = "failed"
	StateCancelled = "cancelled"
	StateNone      = "none" // no run since the app started
)

// Why a client in the report was not updated.
const (
	ItemConflict       = "conflict"
	ItemDeleted        = "deleted"
	ItemDuplicate      = "duplicate"
	ItemPersonNotFound = "person_not_found"
	ItemInvalid        = "invalid"
	ItemInternal       = "internal"
)

var (
	// ErrRunning means a run is already going on.
	ErrRunning = errors.New("an update of all clients is already running")
	// ErrStopped means the runner has stopped (the app is shutting down).
	ErrStopped = errors.New("the update of all clients has stopped")
	// ErrNoRun means there is no interrupted run to finish.
	ErrNoRun = errors.New("there is no interrupted update of all clients to finish")
)

const (
	// defaultWorkers bounds how many bulk calls of persontjeneste.MaxBulk
	// persons run at once.
	defaultWorkers = 2
	// writeTimeout bounds one client's save.
	writeTimeout = 10 * time.Second
)

// Config wires a Runner; Connection, Lookup and Clients are required.
type Config struct {
	Connection *activation.Service
	// Lookup records the audit rows and classifies NHN failures as the
	// single lookups do.
	Lookup  *lookup.Service
	Clients register.ClientStore
	Now     register.Clock
	Logger  *slog.Logger
	Workers int // bulk calls at once; default 2
	// Runs keeps each run's state, so that a run cut off by a restart can
	// be finished (StartWith's Resume); nil keeps runs in memory only.
	Runs register.RunStore
}

// Runner holds the current (or last) run. Runs live as long as the Runner:
// Stop cancels a running one and waits for it.
type Runner struct {
	conn    *activation.Service
	lookup  *lookup.Service
	clients register.ClientStore
	now     register.Clock
	log     *slog.Logger
	workers int
	runs    register.RunStore

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu  sync.Mutex
	seq int64
	job *job
}

// New builds a Runner; a missing dependency is an error.
func New(cfg Config) (*Runner, error) {
	if cfg.Connection == nil || cfg.Lookup == nil || cfg.Clients == nil {
		return nil, errors.New("refresh: Connection, Lookup and Clients are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = defaultWorkers
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Runner{conn: cfg.Connection, lookup: cfg.Lookup, clients: cfg.Clients, now: cfg.Now, log: cfg.Logger,
		workers: cfg.Workers, runs: cfg.Runs, ctx: ctx, cancel: cancel}, nil
}

// Stop cancels a running job and waits until it has written its last
// change and its audit row.
func (r *Runner) Stop() {
	r.cancel()
	r.wg.Wait()
}

// job is one run; its fields are guarded by Runner.mu.
type job struct {
	id         string
	state      string
	total      int
	done       int
	startedAt  time.Time
	finishedAt *time.Time
	report     []Item // the changed clients and the failed ones
	errCode    string // when failed
	errService string // helseid or persontjenesten for nhn_unavailable
	cancel     context.CancelFunc
	ended      chan struct{} // closed by finish
	dryRun     bool          // nothing is saved
	persisted  bool          // the run's state is in Runs
	resumed    bool
}

// counts are how many clients of the report changed and how many failed.
func (j *job) counts() (changed, failed int) {
	for _, it := range j.report {
		if it.Error != "" {
			failed++
		} else {
			changed++
		}
	}
	return changed, failed
}

// Item is one client in the report: changed, or not updated and why.
type Item struct {
	ClientID int64
	Name     string
	Kinds    []persontjeneste.ChangeKind
	Changes  []lookup.Change
	// Kept are the contact details (phone, e-mail) changed in Resepsjon
	// after the client's last fetch: the register's value was not taken
	// ("beholdt din verdi"). Old is the practice's value, New the register's.
	Kept  []lookup.Change
	Error string // one of the Item* codes; "" when saved
}

// Job is a run as it is now.
type Job struct {
	ID         string
	State      string
	Total      int
	Done       int
	Changed    int
	Failed     int
	StartedAt  *time.Time
	FinishedAt *time.Time
	Report     []Item // by client id
	// ErrCode (a lookup.Code*) and ErrService say why a failed run stopped.
	ErrCode, ErrService string
	// DryRun: nothing was saved, the report says what would change.
	// Resumed: the run finishes one that was cut off.
	DryRun, Resumed bool
}

// Options change a run.
type Options struct {
	// DryRun fetches and reports without saving anything.
	DryRun bool
	// Resume finishes the run that was cut off by a restart (or stopped by
	// NHN's failure): only its clients not yet done. ErrNoRun when none.
	Resume bool
}

// Unfinished is the run that was cut off, if any: what the app offers to
// finish.
func (r *Runner) Unfinished(ctx context.Context) (register.Run, bool, error) {
	if r.runs == nil || r.Running() {
		return register.Run{}, false, nil
	}
	return r.runs.UnfinishedRun(ctx)
}

// Start reads the clients and starts a run in the background; the clients
// are read before Start returns, so an edit made after it is always seen as
// one made during the run (and never overwritten).
func (r *Runner) Start(ctx context.Context) (string, error) {
	return r.StartWith(ctx, Options{})
}

// StartWith is Start with options: a dry run, or finishing an interrupted
// run.
func (r *Runner) StartWith(ctx context.Context, opts Options) (string, error) {
	var resume register.Run
	if opts.Resume {
		var ok bool
		var err error
		if r.runs != nil && !r.Running() {
			if resume, ok, err = r.runs.UnfinishedRun(ctx); err != nil {
				return "", fmt.Errorf("refresh all: %w", err)
			}
		}
		if !ok {
			return "", ErrNoRun
		}
	}
	api, st, err := r.conn.Client(ctx)
	if err != nil {
		return "", r.lookup.RecordFailure(ctx, r.lookup.Entry(register.ActionBulk, "clients=0"), lookup.ConnectionCode(err), err)
	}
	r.mu.Lock()
	if r.job != nil && r.job.state == StateRunning {
		r.mu.Unlock()
		return "", ErrRunning
	}
	if r.ctx.Err() != nil {
		r.mu.Unlock()
		return "", ErrStopped
	}
	r.seq++
	jobCtx, cancel := context.WithCancel(r.ctx)
	j := &job{id: strconv.FormatInt(r.now().UnixNano(), 36) + "-" + strconv.FormatInt(r.seq, 10),
		state: StateRunning, startedAt: r.now().UTC(), cancel: cancel, ended: make(chan struct{}), dryRun: opts.DryRun}
	if opts.Resume {
		j.id, j.resumed, j.persisted = resume.ID, true, true
	}
	r.job = j
	r.mu.Unlock()

	clients, err := r.clients.ClientsWithNIN(ctx)
	if err == nil && opts.Resume {
		clients = pendingOnly(clients, resume.Pending)
	}
	if err == nil && r.runs != nil && !opts.DryRun && !opts.Resume {
		ids := make([]int64, len(clients))
		for i, c := range clients {
			ids[i] = c.ID
		}
		if err = r.runs.StartRun(ctx, j.id, ids, j.startedAt); err == nil {
			j.persisted = true
		}
	}
	if err != nil {
		cancel()
		r.finish(j, StateFailed, lookup.CodeInternal, "")
		err = fmt.Errorf("refresh all: read clients: %w", err)
		return "", r.lookup.RecordFailure(ctx, r.lookup.Entry(register.ActionBulk, "job="+j.id), lookup.CodeInternal, err)
	}
	r.mu.Lock()
	j.total = len(clients)
	if opts.Resume {
		j.total, j.done = resume.Total, resume.Done
	}
	r.mu.Unlock()
	parts := slices.Clone(st.Settings.InformationParts)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer cancel()
		r.run(jobCtx, j, api, parts, clients)
	}()
	return j.id, nil
}

// Cancel asks a running job to stop; it ends "cancelled" once the client
// being saved is saved. The answer is the job as it is now.
func (r *Runner) Cancel() Job {
	r.mu.Lock()
	if r.job != nil && r.job.state == StateRunning {
		r.job.cancel()
	}
	r.mu.Unlock()
	return r.Status()
}

// Running reports whether a run is going on.
func (r *Runner) Running() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.job != nil && r.job.state == StateRunning
}

// Finished is closed once the current (or last) run has ended, the moment
// its report in Status is complete; with no run it is closed already.
func (r *Runner) Finished() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.job == nil {
		ended := make(chan struct{})
		close(ended)
		return ended
	}
	return r.job.ended
}

// Status is the current or last run.
func (r *Runner) Status() Job {
	r.mu.Lock()
	defer r.mu.Unlock()
	j := r.job
	if j == nil {
		return Job{State: StateNone, Report: []Item{}}
	}
	started := j.startedAt
	changed, failed := j.counts()
	out := Job{ID: j.id, State: j.state, Total: j.total, Done: j.done, Changed: changed, Failed: failed,
		StartedAt: &started, FinishedAt: j.finishedAt, Report: slices.Clone(j.report), ErrCode: j.errCode, ErrService: j.errService,
		DryRun: j.dryRun, Resumed: j.resumed}
	slices.SortFunc(out.Report, func(a, b Item) int { return int(a.ClientID - b.ClientID) })
	return out
}

// finish ends j in state.
func (r *Runner) finish(j *job, state, code, service string) {
	r.mu.Lock()
	now := r.now().UTC()
	j.state, j.finishedAt, j.errCode, j.errService = state, &now, code, service
	persisted := j.persisted
	r.mu.Unlock()
	defer close(j.ended)
	if persisted {
		wctx, cancel := context.WithTimeout(context.WithoutCancel(r.ctx), writeTimeout)
		defer cancel()
		if err := r.runs.FinishRun(wctx, j.id, state, now); err != nil {
			r.log.Error("refresh all: the run's end not recorded", "err", err)
		}
	}
}

// pendingOnly keeps the clients whose ids are in pending (both by id).
func pendingOnly(clients []register.Client, pending []int64) []register.Client {
	out := clients[:0:0]
	for _, c := range clients {
		if _, ok := slices.BinarySearch(pending, c.ID); ok {
			out = append(out, c)
		}
	}
	return out
}

// run fetches the clients in bulk calls (persontjeneste's one chunking
// layer, r.workers calls at a time) and applies each person's changes as
// each answer arrives. The first failed call stops the run: clients
// already saved keep their changes (each saved whole, with its audit row),
// the others are untouched.
func (r *Runner) run(ctx context.Context, j *job, api *persontjeneste.Client, parts []persontjeneste.InformationPart, clients []register.Client) {
	var (
		mu        sync.Mutex
		personIDs []string
	)
	byNumber := make(map[string]register.Client, len(clients))
	nins := make([]string, len(clients))
	for i, cl := range clients {
		nins[i] = cl.NIN
		byNumber[cl.NIN] = cl
	}
	// Each call is bounded by the client's attempt timeout and retries.
	err := api.EachBulkByNIN(ctx, nins, parts, r.workers, func(callCtx context.Context, chunk []string, persons []persontjeneste.Person) error {
		byNIN := map[string]persontjeneste.Person{}
		byID := map[string]persontjeneste.Person{}
		mu.Lock()
		for _, p := range persons {
			personIDs = append(personIDs, p.ID)
			byID[p.ID] = p
			for _, n := range p.NorwegianIdentificationNumber {
				if n.IdentificationNumber != "" {
					byNIN[n.IdentificationNumber] = p
				}
			}
		}
		mu.Unlock()
		var checked []int64
		defer func() { r.markDone(j, checked) }()
		for _, number := range chunk {
			if callCtx.Err() != nil {
				return callCtx.Err()
			}
			cl := byNumber[number]
			p, found := byNIN[cl.NIN]
			if !found && cl.PersonID != "" {
				p, found = byID[cl.PersonID]
			}
			if !found {
				// A bulk answer carries current numbers only; a client
				// registered with a former number (a D-number, say) is
				// looked up on its own, which follows it.
				var err error
				if p, found, err = r.followNumber(callCtx, api, cl.NIN, parts); err != nil {
					return err
				}
				if found {
					mu.Lock()
					personIDs = append(personIDs, p.ID)
					mu.Unlock()
				}
			}
			if !r.apply(ctx, j, cl, p, found, parts) {
				checked = append(checked, cl.ID)
			}
		}
		return nil
	})

	r.mu.Lock()
	changed, failed := j.counts()
	done := j.done
	r.mu.Unlock()
	entry := r.lookup.Entry(register.ActionBulk, fmt.Sprintf("job=%s clients=%d done=%d changed=%d failed=%d",
		j.id, len(clients), done, changed, failed))
	slices.Sort(personIDs)
	personIDs = slices.Compact(personIDs)
	entry.Results, entry.Outcome = len(personIDs), register.OutcomeOK
	if personIDs != nil {
		entry.PersonIDs = personIDs
	}
	state, code, service := StateDone, "", ""
	switch {
	case ctx.Err() != nil:
		state = StateCancelled
		entry.Outcome, entry.ErrorCode = register.OutcomeError, register.ErrorCancelled
	case err != nil:
		f := r.lookup.Failed(ctx, api, err)
		state, code, service = StateFailed, f.Code, f.Service
		entry.Outcome, entry.ErrorCode = register.OutcomeError, code
	}
	if err := r.lookup.Record(ctx, entry); err != nil {
		r.log.Error("refresh all: audit row not written", "err", err)
		if state == StateDone {
			state, code = StateFailed, lookup.CodeInternal
		}
	}
	r.log.Info("refresh all from Persontjenesten finished", "state", state, "clients", len(clients),
		"done", done, "changed", changed, "failed", failed, "code", code)
	r.finish(j, state, code, service)
}

// followNumber fetches the person with this (possibly former) identity
// number; found is false when the population register has none.
func (r *Runner) followNumber(ctx context.Context, api *persontjeneste.Client, number string, parts []persontjeneste.InformationPart) (persontjeneste.Person, bool, error) {
	callCtx, cancel := context.WithTimeout(ctx, r.conn.Timeout())
	defer cancel()
	p, err := api.GetByNIN(callCtx, number, parts, false)
	switch {
	case errors.Is(err, persontjeneste.ErrNotFound):
		return persontjeneste.Person{}, false, nil
	case err != nil:
		return persontjeneste.Person{}, false, err
	}
	return p, true, nil
}

// apply saves what Persontjenesten's record changes in one client, with
// its audit row in the same transaction; a client saved by someone else
// since the run read it is skipped and reported, never overwritten.
func (r *Runner) apply(ctx context.Context, j *job, old register.Client, p persontjeneste.Person, found bool, parts []persontjeneste.InformationPart) (markedDone bool) {
	item := Item{ClientID: old.ID, Name: clientName(old), Kinds: []persontjeneste.ChangeKind{}, Changes: []lookup.Change{}}
	record := func(changed bool) {
		r.mu.Lock()
		defer r.mu.Unlock()
		j.done++
		if item.Error != "" || changed {
			j.report = append(j.report, item)
		}
	}
	if !found {
		item.Error = ItemPersonNotFound
		record(false)
		return false
	}
	draft, changes, kept := Merge(old, p, parts, r.now().UTC())
	item.Kept = kept
	if len(changes) == 0 && old.PersonID == "" && draft.PersonID != "" && !j.dryRun {
		// A client typed in by hand gets its person id, so that the
		// change feed finds it from now on; nothing to report.
		r.savePersonID(ctx, j, old, draft, p.ID)
	}
	if len(changes) == 0 {
		if len(item.Kept) > 0 {
			// Nothing to save, but the report says what was kept.
			r.mu.Lock()
			j.done++
			j.report = append(j.report, item)
			r.mu.Unlock()
			return false
		}
		record(false)
		return false
	}
	item.Name, item.Changes, item.Kinds = clientName(draft), changes, lookup.Kinds(changes, draft)
	if err := register.Validate(&draft); err != nil {
		item.Error = ItemInvalid
		record(false)
		return false
	}
	if j.dryRun {
		// Reported as it would be saved; nothing is written.
		record(true)
		return false
	}
	entry := r.lookup.Entry(register.ActionUpdate, "job="+j.id+" clientId="+strconv.FormatInt(old.ID, 10)+" nin="+old.NIN)
	entry.Results, entry.PersonIDs, entry.Outcome = 1, []string{p.ID}, register.OutcomeOK
	// A started save is finished even when the run is cancelled meanwhile.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	var err error
	if j.persisted {
		_, err = r.runs.UpdateClientInRun(wctx, draft, entry, j.id)
	} else {
		_, err = r.clients.UpdateClientAudited(wctx, draft, entry)
	}
	var conflict *register.ConflictError
	var dup *register.DuplicateError
	switch {
	case err == nil:
	case errors.As(err, &conflict):
		item.Error = ItemConflict
	case errors.Is(err, register.ErrNotFound):
		item.Error = ItemDeleted
	case errors.As(err, &dup):
		item.Error = ItemDuplicate
	default:
		r.log.Error("refresh all: client not saved", "clientId", old.ID, "err", err)
		item.Error = ItemInternal
	}
	if item.Error != "" {
		// Nothing was saved: the report shows what would have changed.
		item.Name = clientName(old)
	}
	record(err == nil)
	return err == nil && j.persisted
}

// Merge is what Persontjenesten's record p changes in the stored client
// old, fetched with parts, by the rules of "Oppdater alle" (and of the
// change feed): lookup.Refresh, and a phone or e-mail changed in Resepsjon
// since the last fetch is kept (lookup.KeepPracticeContact: returned in
// kept, its value put back in draft). draft carries the contact values as
// fetched, the base the next fetch is merged against.
func Merge(old register.Client, p persontjeneste.Person, parts []persontjeneste.InformationPart, now time.Time) (draft register.Client, changes, kept []lookup.Change) {
	draft, changes = lookup.Refresh(old, p, parts, now)
	changes, kept = lookup.KeepPracticeContact(old, &draft, changes)
	return draft, changes, kept
}

// EditedAfterFetch reports whether the client was saved in Resepsjon well
// after the register last filled it, or never fetched
// (lookup.EditedAfterFetch).
func EditedAfterFetch(c register.Client) bool { return lookup.EditedAfterFetch(c) }

// savePersonID stores the person id (and the fetch's provenance) of a client
// that had none, with its audit row; a failure is only logged, since the
// client's data did not change.
func (r *Runner) savePersonID(ctx context.Context, j *job, old, draft register.Client, personID string) {
	entry := r.lookup.Entry(register.ActionUpdate, "job="+j.id+" clientId="+strconv.FormatInt(old.ID, 10)+" nin="+old.NIN)
	entry.Results, entry.PersonIDs, entry.Outcome = 1, []string{personID}, register.OutcomeOK
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	if _, err := r.clients.UpdateClientAudited(wctx, draft, entry); err != nil {
		r.log.Warn("refresh all: person id not saved", "clientId", old.ID, "err", err)
	}
}

// markDone records clients of a persisted run as done (checked, nothing
// to save, or reported as not saved); a failure is only logged: those
// clients are checked again when the run is finished.
func (r *Runner) markDone(j *job, ids []int64) {
	if !j.persisted || len(ids) == 0 {
		return
	}
	wctx, cancel := context.WithTimeout(context.WithoutCancel(r.ctx), writeTimeout)
	defer cancel()
	if err := r.runs.MarkRunDone(wctx, j.id, ids); err != nil {
		r.log.Warn("refresh all: done clients not recorded", "err", err)
	}
}

// clientName is the client's full name as shown in lists.
func clientName(c register.Client) string {
	var parts []string
	for _, p := range []string{c.GivenName, c.MiddleName, c.FamilyName} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}
