// Package feed follows Persontjenesten's change feed: a background worker
// reads the events after the last one applied, and for events about the
// register's own clients fetches those persons (bulk-by-id, 100 at a time)
// and saves what changed with the rules of "Oppdater alle" (package
// refresh). Events about anyone else cost no call. The position in the
// feed is saved in the same transaction as the updates a page of events
// caused, so a crash never skips an event nor applies one twice. It knows
// neither HTTP nor SQL.
package feed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"resepsjon/activation"
	"resepsjon/lookup"
	"resepsjon/persontjeneste"
	"resepsjon/refresh"
	"resepsjon/register"
)

// Defaults.
const (
	// DefaultInterval is the pause between polls.
	DefaultInterval = 5 * time.Minute
	// DefaultMaxBackoff bounds the pause after failed polls.
	DefaultMaxBackoff = time.Hour
	// pageSize is the contract's most events per answer.
	pageSize = 1000
	// SettingEnabled is the practice setting that turns the feed off ("0")
	// or on (anything else; on by default once activated).
	SettingEnabled = "feed.enabled"
	// settingEnvironment is the NHN environment the stored position belongs
	// to: sequence numbers of the test environment mean nothing in
	// production, so a change of environment starts the feed afresh.
	settingEnvironment = "feed.environment"
)

// ErrNotActivated means the practice has not activated Persontjenesten:
// the feed has nothing to follow.
var ErrNotActivated = activation.ErrNotActivated

// Config wires a Follower; Connection, Lookup, Store and Settings are
// required.
type Config struct {
	Connection *activation.Service
	// Lookup writes the audit rows and classifies NHN failures as the
	// single lookups do.
	Lookup   *lookup.Service
	Store    register.FeedStore
	Settings register.SettingsStore
	Now      register.Clock
	Logger   *slog.Logger
	// Interval between polls (default 5 minutes); MaxBackoff bounds the
	// pause after failures (default 1 hour).
	Interval   time.Duration
	MaxBackoff time.Duration
}

// Follower follows the change feed. Poll runs one poll; Run polls until
// its context ends.
type Follower struct {
	conn       *activation.Service
	lookup     *lookup.Service
	store      register.FeedStore
	settings   register.SettingsStore
	now        register.Clock
	log        *slog.Logger
	interval   time.Duration
	maxBackoff time.Duration

	pollMu sync.Mutex // one poll at a time
	wake   chan struct{}

	mu       sync.Mutex
	running  bool
	failures int
	nextRun  *time.Time
	lastErr  *lookup.Failure
}

// New builds a Follower; a missing dependency is an error.
func New(cfg Config) (*Follower, error) {
	if cfg.Connection == nil || cfg.Lookup == nil || cfg.Store == nil || cfg.Settings == nil {
		return nil, errors.New("feed: Connection, Lookup, Store and Settings are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = DefaultMaxBackoff
	}
	cfg.MaxBackoff = max(cfg.MaxBackoff, cfg.Interval)
	return &Follower{conn: cfg.Connection, lookup: cfg.Lookup, store: cfg.Store, settings: cfg.Settings, now: cfg.Now,
		log: cfg.Logger, interval: cfg.Interval, maxBackoff: cfg.MaxBackoff, wake: make(chan struct{}, 1)}, nil
}

// Result is what one poll did.
type Result struct {
	// Started is true when the poll only set the feed's first position
	// (the first poll after activation: no history is replayed).
	Started bool
	Events  int // events read
	// Calls is how many person calls (bulk-by-id) the poll made.
	Calls   int
	Updated []register.FeedChange
	Kept    []register.FeedChange
	Next    int64 // the first event not yet applied
}

// Poll reads the feed from the stored position to its end and applies the
// events about the register's clients, page by page. A failure stops it:
// pages already applied stay applied, the position stays at the first
// event not applied. The error is a *lookup.Failure for NHN's failures.
func (f *Follower) Poll(ctx context.Context) (Result, error) {
	f.pollMu.Lock()
	defer f.pollMu.Unlock()
	f.setRunning(true)
	defer f.setRunning(false)
	res, err := f.poll(ctx)
	if err != nil {
		if errors.Is(err, activation.ErrNotActivated) {
			return res, err
		}
		var fail *lookup.Failure
		if !errors.As(err, &fail) {
			fail = &lookup.Failure{Code: lookup.CodeInternal, Err: err}
		}
		f.mu.Lock()
		f.lastErr = fail
		f.mu.Unlock()
		if rerr := f.store.RecordFeedError(context.WithoutCancel(ctx), fail.Code, f.now().UTC()); rerr != nil {
			f.log.Error("change feed: error not recorded", "err", rerr)
		}
		f.log.Warn("change feed poll failed", "code", fail.Code, "service", fail.Service, "events", res.Events)
		return res, fail
	}
	f.mu.Lock()
	f.lastErr = nil
	f.mu.Unlock()
	if len(res.Updated)+len(res.Kept) > 0 {
		f.log.Info("change feed applied", "events", res.Events, "updated", len(res.Updated), "kept", len(res.Kept), "calls", res.Calls)
	}
	return res, nil
}

func (f *Follower) setRunning(v bool) {
	f.mu.Lock()
	f.running = v
	f.mu.Unlock()
}

func (f *Follower) poll(ctx context.Context) (res Result, err error) {
	// The connection's client is kept between polls, and with it the
	// HelseID token until it expires.
	api, st, err := f.conn.Client(ctx)
	if err != nil {
		if errors.Is(err, activation.ErrNotActivated) {
			return res, err
		}
		return res, &lookup.Failure{Code: lookup.ConnectionCode(err), Err: err}
	}
	parts := slices.Clone(st.Settings.InformationParts)
	state, ok, err := f.store.FeedState(ctx)
	if err != nil {
		return res, err
	}
	if ok {
		if ok, err = f.sameEnvironment(ctx, st.Settings.Environment); err != nil {
			return res, err
		}
	}
	if !ok {
		next, err := f.start(ctx, api, st.Settings.Environment)
		if err != nil {
			return res, err
		}
		res.Started, res.Next = true, next
		return res, nil
	}
	next := state.NextSequence
	res.Next = next
	// Pages that change no client are not saved one by one: the position
	// moves over them with the next page that does, or at the end (also
	// after a failure, since every page before the failed one is done). A
	// crash before that only means reading them again.
	stored, skipped := next, 0
	defer func() {
		if next == stored {
			return
		}
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, ferr := f.store.ApplyFeed(wctx, register.FeedBatch{From: stored, Next: next, Events: skipped, RunAt: f.now().UTC()}); ferr != nil && err == nil {
			err = ferr
		}
	}()
	for {
		callCtx, cancel := context.WithTimeout(ctx, f.conn.Timeout())
		events, err := api.Events(callCtx, next, nil)
		cancel()
		if errors.Is(err, persontjeneste.ErrNotFound) {
			// Past the newest event: nothing new.
			events, err = nil, nil
		}
		if err != nil {
			return res, f.lookup.Failed(ctx, api, err)
		}
		page, last, err := inOrder(events, next)
		if err != nil {
			return res, err
		}
		if last < next {
			// Nothing new (an empty page, or only events already applied).
			if next == stored {
				if err := f.store.RecordFeedError(ctx, "", f.now().UTC()); err != nil {
					return res, err
				}
			}
			return res, nil
		}
		batch, calls, err := f.pageBatch(ctx, api, parts, page, last+1)
		res.Calls += calls
		if err != nil {
			return res, err
		}
		res.Events += len(page)
		if len(batch.Updates)+len(batch.Kept) == 0 {
			skipped += len(page)
			next = last + 1
			res.Next = next
		} else {
			batch.From, batch.Events = stored, skipped+len(page)
			applied, err := f.store.ApplyFeed(ctx, batch)
			if err != nil {
				return res, err
			}
			stored, skipped = batch.Next, 0
			res.Updated = append(res.Updated, applied.Updated...)
			res.Kept = append(res.Kept, applied.Kept...)
			next = last + 1
		}
		res.Next = next
		if len(events) < pageSize || ctx.Err() != nil {
			return res, ctx.Err()
		}
	}
}

// start sets the first position: the event after the newest, so that
// activation does not replay history.
func (f *Follower) start(ctx context.Context, api *persontjeneste.Client, env string) (int64, error) {
	callCtx, cancel := context.WithTimeout(ctx, f.conn.Timeout())
	defer cancel()
	ev, err := api.LatestEvent(callCtx)
	next := int64(1)
	switch {
	case errors.Is(err, persontjeneste.ErrNotFound):
	case err != nil:
		return 0, f.lookup.Failed(ctx, api, err)
	default:
		seq, err := ev.Sequence()
		if err != nil {
			return 0, &lookup.Failure{Code: lookup.CodeRejected, Err: err}
		}
		next = seq + 1
	}
	if err := f.store.StartFeed(ctx, next); err != nil {
		return 0, err
	}
	if err := f.settings.PutSetting(ctx, settingEnvironment, env); err != nil {
		return 0, fmt.Errorf("remember the feed's environment: %w", err)
	}
	f.log.Info("change feed started at the newest event", "next", next)
	return next, nil
}

// sameEnvironment reports whether the stored position belongs to env. When
// it belongs to another environment (the practice moved from NHN's test
// environment to production), the position is forgotten and false is
// returned, so the poll starts again at the newest event.
func (f *Follower) sameEnvironment(ctx context.Context, env string) (bool, error) {
	stored, ok, err := f.settings.GetSetting(ctx, settingEnvironment)
	if err != nil {
		return false, fmt.Errorf("read the feed's environment: %w", err)
	}
	if !ok || stored == env {
		if !ok {
			// A position stored before the environment was noted: note it.
			if err := f.settings.PutSetting(ctx, settingEnvironment, env); err != nil {
				return false, fmt.Errorf("remember the feed's environment: %w", err)
			}
		}
		return true, nil
	}
	if err := f.store.ResetFeed(ctx); err != nil {
		return false, err
	}
	f.log.Info("change feed restarts: the NHN environment changed", "from", stored, "to", env)
	return false, nil
}

// event is one parsed event of a page.
type event struct {
	seq      int64
	personID string
}

// inOrder parses a page's sequence numbers, drops events before next, and
// returns the page and its last sequence number (next-1 when nothing is
// new). A sequence number that does not parse is an error: skipping it
// could skip a change.
func inOrder(events []persontjeneste.EventDocument, next int64) ([]event, int64, error) {
	last := next - 1
	page := make([]event, 0, len(events))
	for _, e := range events {
		seq, err := e.Sequence()
		if err != nil {
			return nil, 0, &lookup.Failure{Code: lookup.CodeRejected, Err: err}
		}
		if seq < next {
			continue
		}
		page = append(page, event{seq: seq, personID: e.PersonID})
		last = max(last, seq)
	}
	return page, last, nil
}

// pageBatch fetches the persons of one page's clients and makes what the
// page changes (From and Events are the caller's to set).
func (f *Follower) pageBatch(ctx context.Context, api *persontjeneste.Client, parts []persontjeneste.InformationPart,
	page []event, next int64) (register.FeedBatch, int, error) {
	seqOf := make(map[string]int64, len(page))
	ids := make([]string, 0, len(page))
	for _, e := range page {
		if e.personID == "" {
			continue
		}
		if _, seen := seqOf[e.personID]; !seen {
			ids = append(ids, e.personID)
		}
		seqOf[e.personID] = max(seqOf[e.personID], e.seq)
	}
	clients, err := f.store.ClientsByPersonID(ctx, ids)
	if err != nil {
		return register.FeedBatch{}, 0, err
	}
	now := f.now().UTC()
	batch := register.FeedBatch{Next: next, RunAt: now}
	calls := 0
	if len(clients) > 0 {
		wanted := make([]string, 0, len(clients))
		for _, c := range clients {
			wanted = append(wanted, c.PersonID)
		}
		slices.Sort(wanted)
		wanted = slices.Compact(wanted)
		calls = (len(wanted) + persontjeneste.MaxBulk - 1) / persontjeneste.MaxBulk
		callCtx, cancel := context.WithTimeout(ctx, f.conn.Timeout())
		persons, err := api.BulkByID(callCtx, wanted, parts)
		cancel()
		entry := f.lookup.Entry(register.ActionBulk, fmt.Sprintf("feed from=%d to=%d events=%d clients=%d", page[0].seq, next-1, len(page), len(clients)))
		if err != nil {
			fail := f.lookup.Failed(ctx, api, err)
			if aerr := f.lookup.RecordFailure(ctx, entry, fail.Code, fail); aerr != nil {
				return register.FeedBatch{}, calls, aerr
			}
			return register.FeedBatch{}, calls, fail
		}
		byID := make(map[string]persontjeneste.Person, len(persons))
		for _, p := range persons {
			byID[p.ID] = p
			entry.PersonIDs = append(entry.PersonIDs, p.ID)
		}
		entry.Results, entry.Outcome = len(persons), register.OutcomeOK
		if err := f.lookup.Record(ctx, entry); err != nil {
			return register.FeedBatch{}, calls, err
		}
		for _, old := range clients {
			p, found := byID[old.PersonID]
			if !found {
				continue
			}
			f.merge(&batch, old, p, parts, seqOf[old.PersonID], now)
		}
	}
	return batch, calls, nil
}

// merge adds what p changes in old to the batch: an update, or a kept
// line when the client was edited in Resepsjon after the change was
// registered.
func (f *Follower) merge(b *register.FeedBatch, old register.Client, p persontjeneste.Person,
	parts []persontjeneste.InformationPart, seq int64, now time.Time) {
	draft, changes, _ := refresh.Merge(old, p, parts, now)
	if len(changes) == 0 {
		return
	}
	line := register.FeedChange{ClientID: old.ID, Time: now, Sequence: seq}
	for _, k := range lookup.Kinds(changes, draft) {
		line.Kinds = append(line.Kinds, string(k))
	}
	for _, ch := range changes {
		line.Fields = append(line.Fields, ch.Field.Name)
	}
	if editedAfterChange(old, p) {
		b.Kept = append(b.Kept, line)
		return
	}
	if err := register.Validate(&draft); err != nil {
		f.log.Warn("change feed: client not updated, the register's record does not validate", "clientId", old.ID)
		b.Kept = append(b.Kept, line)
		return
	}
	entry := f.lookup.Entry(register.ActionUpdate, "feed sequence="+strconv.FormatInt(seq, 10)+
		" clientId="+strconv.FormatInt(old.ID, 10)+" nin="+old.NIN)
	entry.Results, entry.PersonIDs, entry.Outcome = 1, []string{p.ID}, register.OutcomeOK
	b.Updates = append(b.Updates, register.FeedUpdate{Client: draft, Audit: entry, Change: line})
}

// editedAfterChange reports whether the client was edited in Resepsjon
// (saved well after its last fetch) after the register recorded the
// person's newest change: the practice's edit is then newer than the
// register's, and the feed does not overwrite it.
func editedAfterChange(c register.Client, p persontjeneste.Person) bool {
	if !refresh.EditedAfterFetch(c) {
		return false
	}
	changed, ok := LatestRegistration(p)
	if !ok {
		return true
	}
	return c.UpdatedAt.After(changed)
}

// LatestRegistration is when the register recorded the person's newest
// value; false when no value carries a time.
func LatestRegistration(p persontjeneste.Person) (time.Time, bool) {
	var regs []persontjeneste.Registration
	for _, v := range p.Name {
		regs = append(regs, v.Registration)
	}
	for _, v := range p.NorwegianIdentificationNumber {
		regs = append(regs, v.Registration)
	}
	for _, v := range p.Status {
		regs = append(regs, v.Registration)
	}
	if p.Death != nil {
		regs = append(regs, p.Death.Registration)
	}
	for _, v := range p.AddressProtection {
		regs = append(regs, v.Registration)
	}
	for _, v := range p.ResidentialAddress {
		regs = append(regs, v.Registration)
	}
	for _, v := range p.PostalAddress {
		regs = append(regs, v.Registration)
	}
	for _, v := range p.PreferredContactAddress {
		regs = append(regs, v.Registration)
	}
	for _, v := range p.EmigrationFromNorway {
		regs = append(regs, v.Registration)
	}
	var latest time.Time
	for _, r := range regs {
		if t, ok := r.RegisteredAt.Time(); ok && t.After(latest) {
			latest = t
		}
	}
	return latest, !latest.IsZero()
}
