package outbox

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Backoff bounds: the pause after the first failure, doubled per attempt up
// to the cap.
const (
	DefaultFirstRetry = 30 * time.Second
	DefaultMaxRetry   = 30 * time.Minute
	batchSize         = 20
)

// Sender delivers due messages. Run it in one goroutine per database (the
// instance lock keeps it to one process); Wake after queueing a message.
type Sender struct {
	store      Store
	transport  Transport
	log        *slog.Logger
	now        func() time.Time
	firstRetry time.Duration
	maxRetry   time.Duration
	timeout    time.Duration
	wake       chan struct{}
}

// SenderConfig wires a Sender. Zero durations take the defaults.
type SenderConfig struct {
	Store      Store
	Transport  Transport
	Logger     *slog.Logger
	Now        func() time.Time
	FirstRetry time.Duration
	MaxRetry   time.Duration
	// Timeout bounds one delivery attempt (default 60 s).
	Timeout time.Duration
}

// NewSender builds a sender; it does nothing until Run.
func NewSender(cfg SenderConfig) *Sender {
	s := &Sender{store: cfg.Store, transport: cfg.Transport, log: cfg.Logger, now: cfg.Now,
		firstRetry: cfg.FirstRetry, maxRetry: cfg.MaxRetry, timeout: cfg.Timeout, wake: make(chan struct{}, 1)}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.firstRetry <= 0 {
		s.firstRetry = DefaultFirstRetry
	}
	if s.maxRetry <= 0 {
		s.maxRetry = DefaultMaxRetry
	}
	if s.timeout <= 0 {
		s.timeout = 60 * time.Second
	}
	return s
}

// Wake makes a running sender look for due messages now. It never blocks.
func (s *Sender) Wake() {
	if s == nil {
		return
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx is done. It starts with whatever a previous run
// left queued.
func (s *Sender) Run(ctx context.Context) {
	for {
		if _, err := s.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("outbox: delivery round failed", "err", err)
		}
		wait := s.maxRetry
		if at, ok, err := s.store.NextDue(ctx); err == nil && ok {
			wait = max(at.Sub(s.now()), 0)
		}
		if wait == 0 {
			wait = 10 * time.Millisecond // something is due already: loop, but never spin
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-s.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// DeliverDue sends every message due now, one at a time, and reports how
// many the server accepted.
func (s *Sender) DeliverDue(ctx context.Context) (int, error) {
	sent := 0
	for {
		msgs, err := s.store.DueMessages(ctx, s.now(), batchSize)
		if err != nil {
			return sent, fmt.Errorf("outbox: due messages: %w", err)
		}
		if len(msgs) == 0 {
			return sent, nil
		}
		for _, m := range msgs {
			if ctx.Err() != nil {
				return sent, ctx.Err()
			}
			ok, err := s.deliver(ctx, m)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
		if len(msgs) < batchSize {
			return sent, nil
		}
	}
}

// deliver makes one attempt at m. The message is marked sent only after the
// transport returned without error; a failure schedules the next attempt.
func (s *Sender) deliver(ctx context.Context, m Message) (bool, error) {
	actx, cancel := context.WithTimeout(ctx, s.timeout)
	err := s.transport.Send(actx, m)
	cancel()
	if err == nil {
		if err := s.store.MarkSent(ctx, m.ID, s.now()); err != nil {
			return false, fmt.Errorf("outbox: mark message %d sent: %w", m.ID, err)
		}
		s.log.Info("outbox: message delivered", "id", m.ID, "kind", m.Kind)
		return true, nil
	}
	if ctx.Err() != nil {
		return false, ctx.Err() // stopping: the attempt does not count
	}
	reason, permanent := reasonOf(err)
	var next time.Time
	if !permanent {
		next = s.now().Add(s.backoff(m.Attempts + 1))
	}
	s.log.Warn("outbox: delivery failed", "id", m.ID, "kind", m.Kind, "reason", reason, "permanent", permanent, "err", err)
	if err := s.store.MarkAttemptFailed(ctx, m.ID, reason, next); err != nil {
		return false, fmt.Errorf("outbox: record failed attempt of message %d: %w", m.ID, err)
	}
	return false, nil
}

// backoff is the pause after the n-th failed attempt (n ≥ 1).
func (s *Sender) backoff(n int) time.Duration {
	d := s.firstRetry
	for i := 1; i < n && d < s.maxRetry; i++ {
		d *= 2
	}
	return min(d, s.maxRetry)
}
