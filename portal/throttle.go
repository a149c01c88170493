package portal

import (
	"strings"
	"sync"
	"time"
)

// Throttle limits failed logins per account (e-mail, existing or not, so
// that it reveals nothing) and per network address. After Max failures
// within Window the key is locked for Lock; a success clears the account's
// count. It is safe for concurrent use and lives in memory: a restart
// forgets it, which costs an attacker a restart of the practice's PC.
type Throttle struct {
	mu         sync.Mutex
	entries    map[string]*throttleEntry
	accountMax int
	addressMax int
	window     time.Duration
	lock       time.Duration
	now        func() time.Time
}

type throttleEntry struct {
	failures    []time.Time
	lockedUntil time.Time
}

// ThrottleConfig sets the limits; zero values take the defaults (5 per
// account and 20 per address within 15 minutes, then 15 minutes locked).
type ThrottleConfig struct {
	AccountMax int
	AddressMax int
	Window     time.Duration
	Lock       time.Duration
	Now        func() time.Time
}

// NewThrottle builds a throttle.
func NewThrottle(cfg ThrottleConfig) *Throttle {
	t := &Throttle{entries: map[string]*throttleEntry{}, accountMax: cfg.AccountMax, addressMax: cfg.AddressMax,
		window: cfg.Window, lock: cfg.Lock, now: cfg.Now}
	if t.accountMax <= 0 {
		t.accountMax = 5
	}
	if t.addressMax <= 0 {
		t.addressMax = 20
	}
	if t.window <= 0 {
		t.window = 15 * time.Minute
	}
	if t.lock <= 0 {
		t.lock = 15 * time.Minute
	}
	if t.now == nil {
		t.now = time.Now
	}
	return t
}

func accountKey(email string) string { return "a:" + strings.ToLower(strings.TrimSpace(email)) }
func addressKey(addr string) string  { return "n:" + addr }

// Check returns a *ThrottledError when the account or the address is
// locked now.
func (t *Throttle) Check(email, addr string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var wait time.Duration
	for _, k := range []string{accountKey(email), addressKey(addr)} {
		if e := t.entries[k]; e != nil && now.Before(e.lockedUntil) {
			wait = max(wait, e.lockedUntil.Sub(now))
		}
	}
	if wait > 0 {
		return &ThrottledError{RetryAfter: wait}
	}
	return nil
}

// Fail counts a failed login for the account and the address.
func (t *Throttle) Fail(email, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.fail(accountKey(email), t.accountMax, now)
	t.fail(addressKey(addr), t.addressMax, now)
	if len(t.entries) > 100_000 {
		t.prune(now)
	}
}

func (t *Throttle) fail(key string, limit int, now time.Time) {
	e := t.entries[key]
	if e == nil {
		e = &throttleEntry{}
		t.entries[key] = e
	}
	keep := e.failures[:0]
	for _, at := range e.failures {
		if now.Sub(at) < t.window {
			keep = append(keep, at)
		}
	}
	e.failures = append(keep, now)
	if len(e.failures) >= limit {
		e.lockedUntil = now.Add(t.lock)
		e.failures = nil
	}
}

// Succeed clears the account's failures (the address keeps its count).
func (t *Throttle) Succeed(email string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.entries, accountKey(email))
}

// prune drops entries with nothing recent; the caller holds the lock.
func (t *Throttle) prune(now time.Time) {
	for k, e := range t.entries {
		if now.After(e.lockedUntil) && (len(e.failures) == 0 || now.Sub(e.failures[len(e.failures)-1]) >= t.window) {
			delete(t.entries, k)
		}
	}
}
