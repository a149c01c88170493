package register

import (
	"context"
	"time"
)

// The interfaces below are what the use cases need of storage. Package store
// implements them on SQLite; registertest implements them in memory. The
// key store is helseid.KeyStore: its one method set is about HelseID's key
// type, so it lives with that type (the OS keyring, memory, or NoKeyring).

// ClientStore keeps the practice's clients.
type ClientStore interface {
	CreateClient(ctx context.Context, c Client) (Client, error)
	GetClient(ctx context.Context, id int64) (Client, error)
	// UpdateClient saves c if c.Version is the stored version, else
	// *ConflictError.
	UpdateClient(ctx context.Context, c Client) (Client, error)
	DeleteClient(ctx context.Context, id, version int64) error
	SearchClients(ctx context.Context, q Query) (Page, error)
	// SearchClientsAhead answers several searches as SearchClients would,
	// from one state of the register; it may take longer to answer
	// (answers asked ahead of the receptionist can wait).
	SearchClientsAhead(ctx context.Context, qs []Query) ([]Page, error)
	// ClientByNIN is the client with this identity number, or ErrNotFound.
	ClientByNIN(ctx context.Context, nin string) (Client, error)
	// ClientsWithNIN lists every client with an identity number, by id.
	ClientsWithNIN(ctx context.Context) ([]Client, error)
	// UpdateClientAudited saves c like UpdateClient and writes e in the
	// same transaction: both or neither.
	UpdateClientAudited(ctx context.Context, c Client, e AuditEntry) (Client, error)
}

// SettingsStore keeps the practice's settings as key → text.
type SettingsStore interface {
	// GetSetting returns the value under key; ok is false when there is none.
	GetSetting(ctx context.Context, key string) (value string, ok bool, err error)
	PutSetting(ctx context.Context, key, value string) error
	// PutSettingsAudited stores settings and e in one transaction.
	PutSettingsAudited(ctx context.Context, settings map[string]string, e AuditEntry) error
}

// AuditLog is the record of every lookup in Persontjenesten.
type AuditLog interface {
	RecordAudit(ctx context.Context, e AuditEntry) (int64, error)
	ListAudit(ctx context.Context, f AuditFilter) (AuditPage, error)
}

// Clock tells the time; tests pass a settable one.
type Clock func() time.Time
