package register

import (
	"context"
	"errors"
	"time"
)

// FeedStore keeps where the Persontjenesten change feed stands and what it
// changed. The feed's position moves only together with the updates it
// caused.
type FeedStore interface {
	// FeedState is where the feed stands; ok is false before its first
	// poll after activation.
	FeedState(ctx context.Context) (state FeedState, ok bool, err error)
	// StartFeed sets the feed's first position (the event after the newest
	// when activated) unless it already has one.
	StartFeed(ctx context.Context, next int64) error
	// ResetFeed forgets the position and its statistics: the next poll
	// starts again at the newest event.
	ResetFeed(ctx context.Context) error
	// ClientsByPersonID lists the clients with these person ids (an index
	// lookup), by id.
	ClientsByPersonID(ctx context.Context, ids []string) ([]Client, error)
	// ApplyFeed saves a page of the feed in one transaction: each update
	// with its audit row, the changes list, and the new position. A client
	// changed since it was read is not saved and comes back in Kept. When
	// the stored position is not batch.From nothing is saved and the error
	// is ErrFeedMoved.
	ApplyFeed(ctx context.Context, batch FeedBatch) (FeedApplied, error)
	// RecordFeedError notes why the last poll failed ("" clears it).
	RecordFeedError(ctx context.Context, code string, at time.Time) error
	// FeedChanges lists the newest changes first; clientID 0 means all.
	FeedChanges(ctx context.Context, clientID int64, limit int) ([]FeedChange, error)
}

// ErrFeedMoved means another writer moved the feed's position: the page
// was not saved.
var ErrFeedMoved = errors.New("the change feed's position was moved by another writer")

// FeedState is where the change feed stands and what it has done.
type FeedState struct {
	NextSequence   int64
	LastRunAt      *time.Time
	EventsRead     int64
	ClientsUpdated int64
	LastErrorCode  string
	LastErrorAt    *time.Time
}

// Feed change outcomes.
const (
	FeedUpdated = "updated" // the client was updated from the register
	FeedKept    = "kept"    // edited in Resepsjon since the change: not overwritten
)

// FeedChange is one line of "Endret fra Folkeregisteret".
type FeedChange struct {
	ID       int64
	ClientID int64
	Name     string // the client's name now (read with the change); "" if deleted
	Time     time.Time
	Sequence int64
	Outcome  string
	Kinds    []string
	Fields   []string
}

// FeedUpdate is one client the feed saves, with its audit row and its line.
type FeedUpdate struct {
	Client Client
	Audit  AuditEntry
	Change FeedChange
}

// FeedBatch is one page of events applied: the position it started at and
// the one after it, how many events it read, the updates and the clients
// kept as the practice edited them.
type FeedBatch struct {
	From, Next int64
	Events     int
	RunAt      time.Time
	Updates    []FeedUpdate
	Kept       []FeedChange
}

// FeedApplied is what ApplyFeed saved: the updated clients, and the lines
// of the ones kept (those of the batch and those changed meanwhile).
type FeedApplied struct {
	Updated []FeedChange
	Kept    []FeedChange
}
