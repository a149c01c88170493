// Package registertest keeps the register in memory for the use cases'
// tests: clients with versions and unique identity numbers, settings and
// the audit log, with failures that a test can switch on.
package registertest

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"time"

	"resepsjon/register"
)

// ErrInjected is the error a switched-on failure returns.
var ErrInjected = errors.New("injected failure")

// Store is an in-memory register.ClientStore, register.SettingsStore and
// register.AuditLog. The zero value is not usable: call New.
type Store struct {
	mu       sync.Mutex
	clients  map[int64]register.Client
	nextID   int64
	settings map[string]string
	audit    []register.AuditEntry

	// FailPutSetting makes PutSetting and PutSettingsAudited fail.
	FailPutSetting bool
	// FailUpdate makes UpdateClient and UpdateClientAudited fail.
	FailUpdate bool
	// BeforeUpdate runs (without the lock) before a client is saved.
	BeforeUpdate func(c register.Client)
}

var (
	_ register.ClientStore   = (*Store)(nil)
	_ register.SettingsStore = (*Store)(nil)
	_ register.AuditLog      = (*Store)(nil)
)

// New returns an empty store.
func New() *Store {
	return &Store{clients: map[int64]register.Client{}, settings: map[string]string{}}
}

// CreateClient stores c with a new id and version 1.
func (s *Store) CreateClient(_ context.Context, c register.Client) (register.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.unique(c); err != nil {
		return register.Client{}, err
	}
	s.nextID++
	c.ID, c.Version = s.nextID, 1
	c.CreatedAt, c.UpdatedAt = time.Now().UTC(), time.Now().UTC()
	s.clients[c.ID] = c
	return c, nil
}

func (s *Store) unique(c register.Client) error {
	if c.NIN == "" {
		return nil
	}
	for _, o := range s.clients {
		if o.NIN == c.NIN && o.ID != c.ID {
			return &register.DuplicateError{ExistingID: o.ID}
		}
	}
	return nil
}

// GetClient returns the client or register.ErrNotFound.
func (s *Store) GetClient(_ context.Context, id int64) (register.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clients[id]
	if !ok {
		return register.Client{}, register.ErrNotFound
	}
	return c, nil
}

// UpdateClient saves c when its version is the stored one.
func (s *Store) UpdateClient(ctx context.Context, c register.Client) (register.Client, error) {
	return s.UpdateClientAudited(ctx, c, register.AuditEntry{})
}

// UpdateClientAudited saves c and, when e has an action, records e.
func (s *Store) UpdateClientAudited(_ context.Context, c register.Client, e register.AuditEntry) (register.Client, error) {
	if s.BeforeUpdate != nil {
		s.BeforeUpdate(c)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.FailUpdate {
		return register.Client{}, ErrInjected
	}
	old, ok := s.clients[c.ID]
	if !ok {
		return register.Client{}, register.ErrNotFound
	}
	if old.Version != c.Version {
		return register.Client{}, &register.ConflictError{Current: old.Version}
	}
	if err := s.unique(c); err != nil {
		return register.Client{}, err
	}
	register.KeepFetchedContact(old, &c)
	c.Version++
	c.CreatedAt, c.UpdatedAt = old.CreatedAt, time.Now().UTC()
	s.clients[c.ID] = c
	if e.Action != "" {
		s.record(e)
	}
	return c, nil
}

// DeleteClient removes the client when version is the stored one.
func (s *Store) DeleteClient(_ context.Context, id, version int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.clients[id]
	if !ok {
		return register.ErrNotFound
	}
	if old.Version != version {
		return &register.ConflictError{Current: old.Version}
	}
	delete(s.clients, id)
	return nil
}

// SearchClients lists every client by id (the query is not interpreted).
func (s *Store) SearchClients(_ context.Context, q register.Query) (register.Page, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	all := s.sorted()
	page := register.Page{Total: len(all), Results: []register.ClientSummary{}}
	if q.Offset < len(all) {
		all = all[q.Offset:]
		if q.Limit > 0 && len(all) > q.Limit {
			all = all[:q.Limit]
		}
		for i := range all {
			page.Results = append(page.Results, all[i].Summary())
		}
	}
	return page, nil
}

// SearchClientsAhead answers each query as SearchClients does.
func (s *Store) SearchClientsAhead(ctx context.Context, qs []register.Query) ([]register.Page, error) {
	pages := make([]register.Page, len(qs))
	for i, q := range qs {
		p, err := s.SearchClients(ctx, q)
		if err != nil {
			return nil, err
		}
		pages[i] = p
	}
	return pages, nil
}

func (s *Store) sorted() []register.Client {
	out := slices.Collect(maps.Values(s.clients))
	slices.SortFunc(out, func(a, b register.Client) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// ClientByNIN returns the client with this identity number.
func (s *Store) ClientByNIN(_ context.Context, nin string) (register.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.clients {
		if c.NIN == nin {
			return c, nil
		}
	}
	return register.Client{}, register.ErrNotFound
}

// ClientsWithNIN lists the clients with an identity number, by id.
func (s *Store) ClientsWithNIN(context.Context) ([]register.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []register.Client
	for _, c := range s.sorted() {
		if c.NIN != "" {
			out = append(out, c)
		}
	}
	return out, nil
}

// GetSetting returns the value under key.
func (s *Store) GetSetting(_ context.Context, key string) (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.settings[key]
	return v, ok, nil
}

// PutSetting stores value under key.
func (s *Store) PutSetting(_ context.Context, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.FailPutSetting {
		return ErrInjected
	}
	s.settings[key] = value
	return nil
}

// PutSettingsAudited stores settings and records e.
func (s *Store) PutSettingsAudited(_ context.Context, settings map[string]string, e register.AuditEntry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.FailPutSetting {
		return ErrInjected
	}
	maps.Copy(s.settings, settings)
	s.record(e)
	return nil
}

// RecordAudit appends e to the log.
func (s *Store) RecordAudit(_ context.Context, e register.AuditEntry) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.record(e), nil
}

func (s *Store) record(e register.AuditEntry) int64 {
	e.ID = int64(len(s.audit) + 1)
	s.audit = append(s.audit, e)
	return e.ID
}

// ListAudit returns every row with f.Action (all when empty), newest first.
func (s *Store) ListAudit(_ context.Context, f register.AuditFilter) (register.AuditPage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	page := register.AuditPage{Entries: []register.AuditEntry{}}
	for _, e := range slices.Backward(s.audit) {
		if f.Action == "" || e.Action == f.Action {
			page.Entries = append(page.Entries, e)
		}
	}
	page.Total = len(page.Entries)
	return page, nil
}

// Audit returns the audit rows in the order written.
func (s *Store) Audit() []register.AuditEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.audit)
}
