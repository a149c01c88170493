package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// nameOrder keeps every client's sort key in memory by id, so that a search
// with thousands of hits can pick the page in name order without reading
// every hit's row (about a microsecond each in SQLite against a few
// nanoseconds here).
//
// It only orders: which clients match, the total and the rows shown always
// come from the search's read transaction. Every write of a client row goes
// through CreateClient, ImportClients, UpdateClient or DeleteClient, which
// report the change after their commit. Changes carry the client's version
// and deletes leave a tombstone (ids are never reused), so reports that
// arrive late or before the first load never overwrite newer knowledge. A
// search may meet a hit the cache does not know yet (a commit whose report is
// still on its way); its key is then read in the search's transaction.
type nameOrder struct {
	mu      sync.RWMutex
	loaded  bool
	entries []orderEntry // by client id
}

type orderEntry struct {
	key     string
	version int64 // 0: unknown
	deleted bool
}

// set records a client's sort key at version.
func (o *nameOrder) set(id, version int64, key string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.setLocked(id, version, key)
}

// setMany records the keys of newly stored clients (version 1).
func (o *nameOrder) setMany(hits []hit) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, h := range hits {
		o.setLocked(h.id, 1, h.key)
	}
}

func (o *nameOrder) setLocked(id, version int64, key string) {
	if e := o.entry(id); e != nil && !e.deleted && e.version < version {
		*e = orderEntry{key: key, version: version}
	}
}

// remove records that the client is gone for good.
func (o *nameOrder) remove(id int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if e := o.entry(id); e != nil {
		*e = orderEntry{deleted: true}
	}
}

// entry returns id's slot, growing the table; nil for ids below 1.
func (o *nameOrder) entry(id int64) *orderEntry {
	if id <= 0 {
		return nil
	}
	if n := int64(len(o.entries)); n <= id {
		o.entries = slices.Grow(o.entries, int(id+1-n))[:id+1]
	}
	return &o.entries[id]
}

// load reads every client's key in tx once, merging with what writes have
// reported meanwhile.
func (o *nameOrder) load(ctx context.Context, tx *sql.Tx) error {
	o.mu.RLock()
	loaded := o.loaded
	o.mu.RUnlock()
	if loaded {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.loaded {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, version, sort_key FROM clients`)
	if err != nil {
		return fmt.Errorf("load name order: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, version int64
		var key string
		if err := rows.Scan(&id, &version, &key); err != nil {
			return fmt.Errorf("load name order: %w", err)
		}
		o.setLocked(id, version, key)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load name order: %w", err)
	}
	o.loaded = true
	return nil
}

// hit is a search hit with its sort key.
type hit struct {
	id  int64
	key string
}

func compareHits(a, b hit) int {
	if c := strings.Compare(a.key, b.key); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// keys returns the hits with their keys; ids the cache does not know are
// returned in missing.
func (o *nameOrder) keys(ids []int64) (hits []hit, missing []int64) {
	hits = make([]hit, 0, len(ids))
	o.mu.RLock()
	defer o.mu.RUnlock()
	for _, id := range ids {
		if id > 0 && id < int64(len(o.entries)) {
			if e := o.entries[id]; e.version > 0 && !e.deleted {
				hits = append(hits, hit{id, e.key})
				continue
			}
		}
		missing = append(missing, id)
	}
	return hits, missing
}

// firstHits returns the first k hits in name order, sorted.
func firstHits(hits []hit, k int) []hit {
	k = min(k, len(hits))
	if k == 0 {
		return nil
	}
	if k > 256 || k*8 > len(hits) {
		slices.SortFunc(hits, compareHits)
		return hits[:k]
	}
	// Keep the k smallest in a sorted window; after the first few hundred
	// hits almost every further hit is rejected by one comparison.
	top := make([]hit, 0, k)
	for _, h := range hits {
		if len(top) == k && compareHits(h, top[k-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, h, compareHits)
		if len(top) < k {
			top = append(top, hit{})
		}
		copy(top[i+1:], top[i:len(top)-1])
		top[i] = h
	}
	return top
}

// parseIDs reads a JSON array of integers as SQLite's json_group_array
// writes it.
func parseIDs(s string) ([]int64, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, fmt.Errorf("id list %.20q: not a JSON array", s)
	}
	s = s[1 : len(s)-1]
	if s == "" {
		return nil, nil
	}
	ids := make([]int64, 0, strings.Count(s, ",")+1)
	for part := range strings.SplitSeq(s, ",") {
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("id list: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// idList writes ids as a JSON array for json_each.
func idList(ids []int64) string {
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}
