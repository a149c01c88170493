package register

import "time"

// AuditEntry is one row of the audit log: a lookup in Persontjenesten (or an
// activation check), successful or not.
type AuditEntry struct {
	ID        int64
	Time      time.Time
	OSUser    string
	Action    string // one of the Action* constants
	Query     string // what was asked, in full
	Results   int
	PersonIDs []string
	Outcome   string // OutcomeOK or OutcomeError
	ErrorCode string
}

// Audit actions: what was done against Persontjenesten.
const (
	ActionSearch   = "search"
	ActionLookup   = "lookup"
	ActionUpdate   = "update"
	ActionActivate = "activate"
	ActionRefresh  = "refresh"
	ActionBulk     = "bulk"
)

// Audit actions on the register as a whole: a client list imported or
// exported, a backup restored.
const (
	ActionImport  = "import"
	ActionExport  = "export"
	ActionRestore = "restore"
)

// AuditActions lists every audit action, for filters.
var AuditActions = []string{ActionSearch, ActionLookup, ActionUpdate, ActionActivate, ActionRefresh, ActionBulk,
	ActionImport, ActionExport, ActionRestore}

// Audit outcomes, and the error code of an action the user cancelled.
const (
	OutcomeOK      = "ok"
	OutcomeError   = "error"
	ErrorCancelled = "cancelled"
)

// AuditFilter selects audit rows. From and To are inclusive calendar days
// in their own location (the reception's time zone; zero: open); Action
// empty means all. Limit 0 means no limit.
type AuditFilter struct {
	From, To time.Time
	Action   string
	Limit    int
	Offset   int
}

// AuditPage is one page of audit rows, newest first, and the total matching.
type AuditPage struct {
	Entries []AuditEntry
	Total   int
}
