package register

import (
	"context"
	"time"
)

// RunStore keeps the state of "Oppdater alle" runs, so that a run cut off
// by a crash or a restart can be finished without redoing its done clients.
type RunStore interface {
	// StartRun records a run over these clients, none of them done.
	StartRun(ctx context.Context, id string, clientIDs []int64, at time.Time) error
	// MarkRunDone marks clients of the run done (checked, nothing saved).
	MarkRunDone(ctx context.Context, id string, clientIDs []int64) error
	// UpdateClientInRun saves c with its audit row, like
	// ClientStore.UpdateClientAudited, and marks it done in the run, all
	// in one transaction.
	UpdateClientInRun(ctx context.Context, c Client, e AuditEntry, runID string) (Client, error)
	// FinishRun records how the run ended (done, cancelled or failed).
	FinishRun(ctx context.Context, id, state string, at time.Time) error
	// UnfinishedRun is the newest run that did not end (the program
	// stopped) or failed, with the clients it has not done; ok is false
	// when there is none.
	UnfinishedRun(ctx context.Context) (run Run, ok bool, err error)
}

// Run is a stored "Oppdater alle" run.
type Run struct {
	ID        string
	StartedAt time.Time
	State     string
	Total     int
	Done      int
	Pending   []int64 // the clients not done, by id
}
