package outbox

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Mailbox is the demo's transport: instead of a mail server it keeps the
// last delivered messages in memory for the demo's outbox viewer. It is safe
// for concurrent use.
type Mailbox struct {
	mu   sync.Mutex
	msgs []Delivered
	max  int
	now  func() time.Time
}

// Delivered is a message as the mailbox received it.
type Delivered struct {
	Message
	DeliveredAt time.Time
}

// NewMailbox keeps at most max messages (the oldest go first).
func NewMailbox(max int) *Mailbox {
	if max <= 0 {
		max = 200
	}
	return &Mailbox{max: max, now: time.Now}
}

// Send keeps m.
func (b *Mailbox) Send(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.msgs = append(b.msgs, Delivered{Message: m, DeliveredAt: b.now()})
	if len(b.msgs) > b.max {
		b.msgs = slices.Delete(b.msgs, 0, len(b.msgs)-b.max)
	}
	return nil
}

// Messages lists the kept messages, newest first.
func (b *Mailbox) Messages() []Delivered {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := slices.Clone(b.msgs)
	slices.Reverse(out)
	return out
}
