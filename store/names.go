package store

import (
	"context"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// nameIndex answers searches made only of name words from memory: every
// client's name tokens in a sorted dictionary with posting lists, and every
// client in name order. A common four-letter prefix ("hans", a tenth of the
// register) costs SQLite's FTS5 a merge of the posting lists of every word
// with that prefix on each search (about 1.5 ms at 100,000 clients); here it
// is a range of the sorted dictionary and a bitmap.
//
// The index is exact, not a cache: every transaction on the writer commits
// while holding gate exclusively and applies the changes it staged (see
// stage) before letting go, and a search holds gate shared while it reads the
// index and the rows of its page. A search therefore sees the index and the
// database in the same state, and Total is exact. The index is loaded on the
// first name search, with gate held exclusively.
//
// Only one process serves a register (see package instance), but should
// another program write to the file all the same, the index notices: it
// remembers the file's PRAGMA data_version after its own commits, and a
// search that finds it changed reloads the index instead of answering from
// a register that is no longer there.
type nameIndex struct {
	gate   sync.RWMutex // exclusive: a commit and its changes; shared: a search
	loaded atomic.Bool
	seen   int64 // the data version the index is in step with; guarded by gate

	// Guarded by gate.
	clients []nameEntry // by client id
	byName  []int64     // ids of every client, ordered by (key, id)
	tokens  []string    // distinct name tokens, sorted
	posts   [][]int64   // posts[i]: ids of the clients with tokens[i]

	// Changes of the write transaction in progress (there is one writer
	// connection, so at most one), applied at its commit.
	stageMu sync.Mutex
	staged  []nameChange
}

// nameEntry is a client in the index; the zero entry is no client (a stored
// client's key is never empty: it holds two separators).
type nameEntry struct {
	key    string // sortKey
	tokens string // the distinct name tokens, separated by spaces
}

func (e nameEntry) stored() bool { return e.key != "" }

// nameChange is a client row written (stored) or deleted (!stored).
type nameChange struct {
	id     int64
	stored bool
	key    string
	tokens []string
}

func newNameChange(id int64, given, middle, family string) nameChange {
	toks := make([]string, 0, 4)
	toks = nameTokens(toks, fold(given))
	toks = nameTokens(toks, fold(middle))
	toks = nameTokens(toks, fold(family))
	slices.Sort(toks)
	return nameChange{id: id, stored: true, key: sortKey(family, given, middle), tokens: slices.Compact(toks)}
}

// stage records a change made in the write transaction in progress.
func (x *nameIndex) stage(c nameChange) {
	x.stageMu.Lock()
	x.staged = append(x.staged, c)
	x.stageMu.Unlock()
}

// takeStaged returns and forgets the staged changes: at the end of a write
// transaction, while it still holds the writer connection.
func (x *nameIndex) takeStaged() []nameChange {
	x.stageMu.Lock()
	defer x.stageMu.Unlock()
	s := x.staged
	x.staged = nil
	return s
}

// commit runs commitTx with the gate held exclusively and, if it succeeds,
// applies changes before releasing the gate. A write by someone else since
// the index was last in step leaves the index to be reloaded.
func (x *nameIndex) commit(ctx context.Context, db *DB, changes []nameChange, commitTx func() error) error {
	x.gate.Lock()
	defer x.gate.Unlock()
	before, verr := db.dataVersion(ctx)
	if err := commitTx(); err != nil {
		return err
	}
	if !x.loaded.Load() {
		return nil
	}
	after, err := db.dataVersion(ctx)
	if verr != nil || err != nil || before != x.seen {
		x.loaded.Store(false)
		return nil
	}
	x.apply(changes)
	x.seen = after
	return nil
}

// rlock loads the index if needed and returns with gate held shared and the
// index in step with the database file: when another process has written
// since, the index is reloaded first.
func (x *nameIndex) rlock(ctx context.Context, db *DB) error {
	for reloaded := false; ; reloaded = true {
		if err := x.load(ctx, db); err != nil {
			return err
		}
		x.gate.RLock()
		v, err := db.dataVersion(ctx)
		if err != nil {
			x.gate.RUnlock()
			return err
		}
		if (v == x.seen && x.loaded.Load()) || reloaded {
			return nil
		}
		x.gate.RUnlock()
		db.log.Warn("the register was changed by another program; reloading the name index")
		x.gate.Lock()
		if x.seen != v { // else another search has reloaded meanwhile
			x.loaded.Store(false)
		}
		x.gate.Unlock()
	}
}

// load reads every client's names once. queryAll runs with the gate held
// exclusively, so no commit happens meanwhile.
func (x *nameIndex) load(ctx context.Context, db *DB) error {
	if x.loaded.Load() {
		return nil
	}
	x.gate.Lock()
	defer x.gate.Unlock()
	if x.loaded.Load() {
		return nil
	}
	// Read before the rows: a write in between makes the next search
	// reload once more, never miss it.
	seen, err := db.dataVersion(ctx)
	if err != nil {
		return fmt.Errorf("load name index: %w", err)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT id, given_name, middle_name, family_name FROM clients`)
	if err != nil {
		return fmt.Errorf("load name index: %w", err)
	}
	defer rows.Close()
	var changes []nameChange
	for rows.Next() {
		var id int64
		var given, middle, family string
		if err := rows.Scan(&id, &given, &middle, &family); err != nil {
			return fmt.Errorf("load name index: %w", err)
		}
		changes = append(changes, newNameChange(id, given, middle, family))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load name index: %w", err)
	}
	x.clients, x.byName, x.tokens, x.posts = nil, nil, nil, nil
	x.apply(changes)
	x.seen = seen
	x.loaded.Store(true)
	return nil
}

// bulkApply is the number of changes from which apply re-sorts the name
// order instead of inserting into it one by one.
const bulkApply = 64

// apply brings the index up to date with committed changes, in order.
func (x *nameIndex) apply(changes []nameChange) {
	bulk := len(changes) >= bulkApply
	if bulk {
		// Drop the changed clients from the name order in one pass;
		// they are appended again below and the order re-sorted.
		changed := make(map[int64]bool, len(changes))
		for _, c := range changes {
			if c.id > 0 && c.id < int64(len(x.clients)) && x.clients[c.id].stored() {
				changed[c.id] = true
			}
		}
		if len(changed) > 0 {
			x.byName = slices.DeleteFunc(x.byName, func(id int64) bool { return changed[id] })
		}
	}
	if bulk {
		// Grow once to the highest id (a load, an import).
		top := int64(len(x.clients)) - 1
		for _, c := range changes {
			top = max(top, c.id)
		}
		if n := int64(len(x.clients)); n <= top {
			x.clients = slices.Grow(x.clients, int(top+1-n))[:top+1]
		}
	}
	for _, c := range changes {
		if c.id <= 0 {
			continue
		}
		if n := int64(len(x.clients)); n <= c.id {
			x.clients = slices.Grow(x.clients, int(c.id+1-n))[:c.id+1]
		}
		e := &x.clients[c.id]
		if e.stored() {
			for t := range strings.SplitSeq(e.tokens, " ") {
				if t != "" {
					x.unpost(t, c.id)
				}
			}
			if !bulk {
				i := x.namePos(e.key, c.id)
				x.byName = slices.Delete(x.byName, i, i+1)
			}
		}
		*e = nameEntry{}
		if !c.stored {
			continue
		}
		e.key, e.tokens = c.key, strings.Join(c.tokens, " ")
		for _, t := range c.tokens {
			x.post(t, c.id)
		}
		if !bulk {
			x.byName = slices.Insert(x.byName, x.namePos(c.key, c.id), c.id)
		}
	}
	if bulk {
		for _, c := range changes {
			// A client changed twice in the batch is appended once.
			if c.id > 0 && c.stored && x.clients[c.id].key == c.key {
				x.byName = append(x.byName, c.id)
			}
		}
		slices.SortFunc(x.byName, x.compareIDs)
		x.byName = slices.Compact(x.byName)
	}
}

func (x *nameIndex) compareIDs(a, b int64) int {
	return compareHits(hit{a, x.clients[a].key}, hit{b, x.clients[b].key})
}

// namePos is where (key, id) is or belongs in byName.
func (x *nameIndex) namePos(key string, id int64) int {
	i, _ := slices.BinarySearchFunc(x.byName, hit{id, key}, func(e int64, h hit) int {
		return compareHits(hit{e, x.clients[e].key}, h)
	})
	return i
}

// post adds id to token t's posting list.
func (x *nameIndex) post(t string, id int64) {
	i, found := slices.BinarySearch(x.tokens, t)
	if !found {
		t = strings.Clone(t)
		x.tokens = slices.Insert(x.tokens, i, t)
		x.posts = slices.Insert(x.posts, i, nil)
	}
	x.posts[i] = append(x.posts[i], id)
}

// unpost removes id from token t's posting list, and t from the dictionary
// when nobody has it any more.
func (x *nameIndex) unpost(t string, id int64) {
	i, found := slices.BinarySearch(x.tokens, t)
	if !found {
		return
	}
	p := x.posts[i]
	if j := slices.Index(p, id); j >= 0 {
		p[j] = p[len(p)-1]
		p = p[:len(p)-1]
	}
	if len(p) == 0 {
		x.tokens = slices.Delete(x.tokens, i, i+1)
		x.posts = slices.Delete(x.posts, i, i+1)
		return
	}
	x.posts[i] = p
}

// maxSortedHits is the most hits whose page is picked by sorting their keys;
// past it the page is found by walking the name order.
const maxSortedHits = 2048

// find returns the number of clients who have, for every word, a name token
// that starts with it, and the ids of the page [offset, offset+limit) of
// them in name order. The caller holds gate shared.
func (x *nameIndex) find(words []string, limit, offset int) (int, []int64) {
	if len(words) == 0 {
		return 0, nil
	}
	var match []uint64
	for i, w := range words {
		set := make([]uint64, (len(x.clients)+63)/64)
		lo, _ := slices.BinarySearch(x.tokens, w)
		for j := lo; j < len(x.tokens) && strings.HasPrefix(x.tokens[j], w); j++ {
			for _, id := range x.posts[j] {
				set[id>>6] |= 1 << (id & 63)
			}
		}
		if i == 0 {
			match = set
			continue
		}
		for k := range match {
			match[k] &= set[k]
		}
	}
	total := 0
	for _, m := range match {
		total += bits.OnesCount64(m)
	}
	want := offset + limit
	if offset >= total {
		return total, nil
	}
	var page []int64
	if total <= maxSortedHits {
		hits := make([]hit, 0, total)
		for k, m := range match {
			for m != 0 {
				id := int64(k*64 + bits.TrailingZeros64(m))
				m &= m - 1
				hits = append(hits, hit{id, x.clients[id].key})
			}
		}
		top := firstHits(hits, want)
		for _, h := range top[offset:] {
			page = append(page, h.id)
		}
		return total, page
	}
	seen := 0
	page = make([]int64, 0, limit)
	for _, id := range x.byName {
		if match[id>>6]&(1<<(id&63)) == 0 {
			continue
		}
		if seen >= offset {
			page = append(page, id)
		}
		seen++
		if seen == want {
			break
		}
	}
	return total, page
}

// keys returns the hits with their sort keys; ids of no stored client are
// returned in missing. The caller holds gate shared.
func (x *nameIndex) keys(ids []int64) (hits []hit, missing []int64) {
	hits = make([]hit, 0, len(ids))
	for _, id := range ids {
		if id > 0 && id < int64(len(x.clients)) && x.clients[id].stored() {
			hits = append(hits, hit{id, x.clients[id].key})
			continue
		}
		missing = append(missing, id)
	}
	return hits, missing
}
