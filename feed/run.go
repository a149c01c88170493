package feed

import (
	"context"
	"errors"
	"time"

	"resepsjon/activation"
	"resepsjon/persontjeneste"
	"resepsjon/register"
)

// Status is the feed as the Persontjenesten page shows it.
type Status struct {
	Enabled   bool
	Activated bool
	Running   bool // a poll is going on
	// Started is false before the first poll after activation.
	Started        bool
	Interval       time.Duration
	LastRunAt      *time.Time
	NextRunAt      *time.Time
	EventsRead     int64
	ClientsUpdated int64
	NextSequence   int64
	// ErrCode (a lookup.Code*) and ErrService say why the last poll
	// failed; ErrAt is when. Empty after a good poll.
	ErrCode, ErrService string
	ErrAt               *time.Time
}

// Status is the feed now.
func (f *Follower) Status(ctx context.Context) (Status, error) {
	enabled, err := f.Enabled(ctx)
	if err != nil {
		return Status{}, err
	}
	st, err := f.conn.Load(ctx)
	if err != nil {
		return Status{}, err
	}
	state, started, err := f.store.FeedState(ctx)
	if err != nil {
		return Status{}, err
	}
	f.mu.Lock()
	out := Status{Enabled: enabled, Activated: st.Activated(), Running: f.running, Started: started, Interval: f.interval,
		NextRunAt: f.nextRun, LastRunAt: state.LastRunAt, EventsRead: state.EventsRead, ClientsUpdated: state.ClientsUpdated,
		NextSequence: state.NextSequence, ErrCode: state.LastErrorCode, ErrAt: state.LastErrorAt}
	if f.lastErr != nil {
		out.ErrCode, out.ErrService = f.lastErr.Code, f.lastErr.Service
	}
	f.mu.Unlock()
	return out, nil
}

// Enabled reports whether the practice has the feed on (the default).
func (f *Follower) Enabled(ctx context.Context) (bool, error) {
	v, ok, err := f.settings.GetSetting(ctx, SettingEnabled)
	if err != nil {
		return false, err
	}
	return !ok || v != "0", nil
}

// SetEnabled turns the feed on or off; turning it on polls at once.
func (f *Follower) SetEnabled(ctx context.Context, on bool) error {
	v := "0"
	if on {
		v = "1"
	}
	if err := f.settings.PutSetting(ctx, SettingEnabled, v); err != nil {
		return err
	}
	if on {
		f.Wake()
	}
	return nil
}

// Changes lists the feed's changes, newest first (clientID 0: all).
func (f *Follower) Changes(ctx context.Context, clientID int64, limit int) ([]register.FeedChange, error) {
	return f.store.FeedChanges(ctx, clientID, limit)
}

// Wake makes a running Run poll now instead of at its next time.
func (f *Follower) Wake() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// Run polls at the interval until ctx ends, when the feed is on and the
// practice activated. After a failed poll it waits longer each time
// (doubling, up to MaxBackoff, and at least a Retry-After NHN asked for);
// a good poll returns to the interval.
func (f *Follower) Run(ctx context.Context) {
	wait := time.Duration(0)
	for {
		next := f.now().Add(wait)
		f.mu.Lock()
		f.nextRun = &next
		f.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-f.wake:
			t.Stop()
		case <-t.C:
		}
		wait = f.step(ctx)
	}
}

// step runs one poll if the feed should, and says how long to wait.
func (f *Follower) step(ctx context.Context) time.Duration {
	enabled, err := f.Enabled(ctx)
	if err != nil || !enabled {
		return f.interval
	}
	_, err = f.Poll(ctx)
	if ctx.Err() != nil {
		return 0
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case err == nil, errors.Is(err, activation.ErrNotActivated):
		f.failures = 0
		return f.interval
	}
	f.failures++
	return f.backoff(err)
}

// backoff is the pause after f.failures failed polls in a row. Callers
// hold f.mu.
func (f *Follower) backoff(err error) time.Duration {
	return backoff(f.interval, f.maxBackoff, f.failures, err)
}

// backoff is the pause after failures failed polls in a row, the last with
// err: the interval, doubled for each failure after the first, at most
// maxWait, and at least the Retry-After of a 429.
func backoff(interval, maxWait time.Duration, failures int, err error) time.Duration {
	d := interval
	for i := 1; i < failures && d < maxWait; i++ {
		d *= 2
	}
	d = min(d, maxWait)
	var rl *persontjeneste.RateLimitedError
	if errors.As(err, &rl) && rl.RetryAfter > d {
		d = rl.RetryAfter
	}
	return d
}

// Backoff is the pause Run takes after n failed polls in a row, the last
// with err.
func (f *Follower) Backoff(n int, err error) time.Duration {
	return backoff(f.interval, f.maxBackoff, n, err)
}
