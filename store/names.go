package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/bits"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"resepsjon/register"
)

// nameIndex answers every search from memory: the list's columns of every
// client (packed, see packRow), the name tokens in a sorted dictionary with
// posting lists, the identity numbers, phone numbers and birth dates in
// sorted lists (see numList), and every client in name order. A common
// four-letter prefix ("hans", a tenth of the register) costs SQLite's FTS5 a
// merge of the posting lists of every word with that prefix on each search
// (about 1.5 ms at 100,000 clients), and reading a page of 50 rows through
// database/sql another 0.2 ms; here it is a range of the sorted dictionary,
// a bitmap, and 50 packed rows.
//
// The index is exact, not a cache: every transaction on the writer commits
// while holding gate exclusively and applies the changes it staged (see
// stage) before letting go, and a search holds gate shared while it reads the
// index. A search therefore sees the index and the database in the same
// state, and Total is exact. The index is loaded in the background at start
// (startLoad), or on the first search when nobody started it; the rows are
// read outside the gate, and the writes committed meanwhile are applied
// before the index is put in place (load). Searches that arrive during a
// background load are answered by SQLite meanwhile.
//
// Only one process serves a register (see package instance), but should
// another program write to the file all the same, the index notices: it
// remembers the file's PRAGMA data_version after its own commits, and a
// search that finds it changed reloads the index instead of answering from
// a register that is no longer there.
type nameIndex struct {
	gate    sync.RWMutex // exclusive: a commit and its changes; shared: a search
	loaded  atomic.Bool
	loading atomic.Bool // a background load is running
	seen    int64       // the data version the index is in step with; guarded by gate
	loadMu  sync.Mutex  // one load at a time
	// building records the commits made while a load reads the rows;
	// guarded by gate.
	building *buildLog
	// afterSnapshot, when set (tests), runs in a load after the snapshot
	// is taken and before the rows are read.
	afterSnapshot func()
	// splitAt, when set (tests), stands in for splitLoadAt.
	splitAt int64
	// pause holds a load back while searches answered by SQLite run.
	pause loadPause

	// Guarded by gate.
	clients []nameEntry // by client id
	byName  []int64     // ids of every client, ordered by (key, id)
	rank    []int32     // by client id: its position in byName
	tokens  []string    // distinct name tokens, sorted
	posts   [][]int64   // posts[i]: ids of the clients with tokens[i]
	nins    numList     // identity numbers (digits)
	phones  numList     // phone numbers (phoneKey)
	births  numList     // birth dates (YYYYMMDD)

	// bitmaps are reusable hit sets of searches (*[]uint64).
	bitmaps sync.Pool

	// Changes of the write transaction in progress (there is one writer
	// connection, so at most one), applied at its commit.
	stageMu sync.Mutex
	staged  []nameChange

	// The background load (startLoad), stopped by stopLoad; bgDone is
	// closed when it ends.
	stopBg context.CancelFunc
	bg     sync.WaitGroup
	bgDone chan struct{}
}

// nameEntry is a client in the index; the zero entry is no client (a stored
// client's key is never empty: it holds two separators).
type nameEntry struct {
	key string // sortKey
	row string // the list's columns, packed (packRow)
}

func (e nameEntry) stored() bool { return e.key != "" }

// nameChange is a client row written (stored) or deleted (!stored).
type nameChange struct {
	id     int64
	stored bool
	key    string
	row    string
	tokens []string
}

// newNameChange is a change of a client with only these names (tests).
func newNameChange(id int64, given, middle, family string) nameChange {
	return newClientChange(register.ClientSummary{ID: id, GivenName: given, MiddleName: middle, FamilyName: family})
}

// newClientChange is the change of a client row written as c.
func newClientChange(c register.ClientSummary) nameChange {
	return rowChange(c, packRow(&c))
}

// rowChange is the change of a client row written as c, packed as row.
func rowChange(c register.ClientSummary, row string) nameChange {
	return nameChange{id: c.ID, stored: true, key: sortKey(c.FamilyName, c.GivenName, c.MiddleName),
		row: row, tokens: clientTokens(c.GivenName, c.MiddleName, c.FamilyName)}
}

// clientTokens are the distinct name tokens of a client, sorted.
func clientTokens(given, middle, family string) []string {
	toks := make([]string, 0, 4)
	toks = nameTokens(toks, fold(given))
	toks = nameTokens(toks, fold(middle))
	toks = nameTokens(toks, fold(family))
	slices.Sort(toks)
	return slices.Compact(toks)
}

// rowNumbers are a packed row's identity number, phone number and birth
// date as the search index holds them.
func rowNumbers(row string) (nin, phone, birth string) {
	var c register.ClientSummary
	unpackRow(row, &c)
	return digitsOf(c.NIN), phoneKey(c.Phone), birthKey(c.BirthDate)
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
	if b := x.building; b != nil {
		// A load is reading the rows: its snapshot lacks this commit.
		after, err := db.dataVersion(ctx)
		if verr != nil || err != nil || before != b.seen {
			b.stale = true
			return nil
		}
		b.changes = append(b.changes, changes...)
		b.seen = after
		return nil
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

// rlock returns with gate held shared and the index loaded and in step with
// the database file: it loads the index first if nobody has, and reloads it
// when another process has written since. It returns false, holding
// nothing, while a background load is running: the caller answers from
// SQLite instead of waiting.
func (x *nameIndex) rlock(ctx context.Context, db *DB) (bool, error) {
	for reloaded := false; ; reloaded = true {
		if !x.loaded.Load() {
			if x.loading.Load() {
				return false, nil
			}
			if err := x.load(ctx, db); err != nil {
				return false, err
			}
		}
		x.gate.RLock()
		v, err := db.dataVersion(ctx)
		if err != nil {
			x.gate.RUnlock()
			return false, err
		}
		if x.loaded.Load() && (v == x.seen || reloaded) {
			return true, nil
		}
		x.gate.RUnlock()
		if !x.loaded.Load() {
			continue // a write by another program was noticed at a commit
		}
		db.log.Warn("the register was changed by another program; reloading the name index")
		x.gate.Lock()
		if x.seen != v { // else another search has reloaded meanwhile
			x.loaded.Store(false)
		}
		x.gate.Unlock()
	}
}

// startLoad loads the index in the background, so that the first search
// does not wait for it; stopLoad stops it.
func (x *nameIndex) startLoad(db *DB) {
	if x.loaded.Load() || !x.loading.CompareAndSwap(false, true) {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	x.stopBg = cancel
	done := make(chan struct{})
	x.bgDone = done
	x.bg.Go(func() {
		defer close(done)
		defer x.loading.Store(false)
		start := time.Now()
		if err := x.load(ctx, db); err != nil {
			if ctx.Err() == nil {
				db.log.Warn("the search index was not loaded in the background; the first search loads it", "err", err)
			}
			return
		}
		db.log.Debug("search index loaded", "clients", len(x.byName), "took", time.Since(start))
		// The load's garbage (every row read, every change staged) is
		// several times the index: give it back to the system now rather
		// than leave the app's resident memory at its peak while idle.
		debug.FreeOSMemory()
	})
}

// waitLoad waits until the background load started by startLoad has ended
// or ctx is done, and tells whether the index is loaded.
func (x *nameIndex) waitLoad(ctx context.Context) bool {
	if x.bgDone != nil {
		select {
		case <-x.bgDone:
		case <-ctx.Done():
		}
	}
	return x.loaded.Load()
}

// stopLoad stops a background load and waits for it to end.
func (x *nameIndex) stopLoad() {
	if x.stopBg != nil {
		x.stopBg()
	}
	x.bg.Wait()
}

// load reads every client's list columns once and puts the new index in
// place. The rows are read in read transactions of their own, without the
// gate, so writes commit meanwhile: the snapshots are taken while the gate is
// held, and every change committed after it is recorded (building) and
// applied to the new index before it is put in place, with the gate held.
// One load runs at a time (loadMu).
func (x *nameIndex) load(ctx context.Context, db *DB) error {
	x.loadMu.Lock()
	defer x.loadMu.Unlock()
	if x.loaded.Load() {
		return nil
	}
	// Connections of their own, for read transactions that outlast the
	// gate: the rows are read in two halves at once (namesload.go).
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("load name index: %w", err)
	}
	defer tx.Rollback()
	conn2, err := db.r.Conn(ctx)
	if err != nil {
		return fmt.Errorf("load name index: %w", err)
	}
	defer func() {
		// The second half filled this connection's page cache with rows
		// no search reads again: give it back (about 1 MiB of resident
		// memory at 100,000 clients). A failure costs only that memory.
		_, _ = conn2.ExecContext(context.Background(), "PRAGMA shrink_memory")
		conn2.Close()
	}()
	tx2, err := conn2.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("load name index: %w", err)
	}
	defer tx2.Rollback()
	x.gate.Lock()
	// Read before the snapshots: a write by another program in between
	// makes the next search reload once more, never miss it.
	var top, top2 int64 // the highest id: about the number of clients
	seen, err := db.dataVersion(ctx)
	if err == nil {
		// The snapshots: SQLite takes each at its transaction's first
		// read. No write of this program commits meanwhile (the gate).
		err = tx.QueryRowContext(ctx, sqlMaxID).Scan(&top)
	}
	if err == nil {
		err = tx2.QueryRowContext(ctx, sqlMaxID).Scan(&top2)
	}
	if err != nil {
		x.gate.Unlock()
		return fmt.Errorf("load name index: %w", err)
	}
	x.building = &buildLog{seen: seen}
	x.gate.Unlock()
	if x.afterSnapshot != nil {
		x.afterSnapshot()
	}

	var loaded loadedRows
	if top < cmp.Or(x.splitAt, splitLoadAt) || top != top2 {
		// A small register; or the second snapshot differs from the first
		// (another program wrote in between, which makes the next search
		// load again anyway, see above): one read.
		loaded, err = readIndexRows(ctx, tx, math.MinInt64, top, int(top), &x.pause)
	} else {
		mid := top / 2
		var more loadedRows
		var err2 error
		var wg sync.WaitGroup
		wg.Go(func() { more, err2 = readIndexRows(ctx, tx2, mid+1, top, int(top-mid), &x.pause) })
		// Room for both halves: the second is appended to the first.
		loaded, err = readIndexRows(ctx, tx, math.MinInt64, mid, int(top), &x.pause)
		wg.Wait()
		err = cmp.Or(err, err2)
		if err == nil {
			loaded = loaded.join(more)
		}
	}
	var built *nameIndex
	if err == nil {
		built = buildIndex(ctx, loaded.ids, loaded.ends, string(loaded.arena), &x.pause)
	}

	x.gate.Lock()
	defer x.gate.Unlock()
	log := x.building
	x.building = nil
	if err != nil {
		return fmt.Errorf("load name index: %w", err)
	}
	if log.stale {
		// Another program wrote while the rows were read: the next search
		// loads again.
		return nil
	}
	x.clients, x.byName, x.rank, x.tokens, x.posts = built.clients, built.byName, built.rank, built.tokens, built.posts
	x.nins, x.phones, x.births = built.nins, built.phones, built.births
	x.apply(log.changes)
	x.seen = log.seen
	x.loaded.Store(true)
	return nil
}

// buildLog records the writes committed while a load reads the rows.
type buildLog struct {
	seen    int64 // the data version after the last of them
	changes []nameChange
	stale   bool // a write not made through this index was seen
}

// bulkApply is the number of changes from which apply re-sorts the name
// order and the number lists instead of inserting into them one by one.
const bulkApply = 64

// apply brings the index up to date with committed changes, in order.
func (x *nameIndex) apply(changes []nameChange) {
	if len(changes) >= bulkApply {
		x.applyBulk(changes)
		return
	}
	from := len(x.byName) // the first position in the name order that moved
	defer func() { x.setRanks(from) }()
	for _, c := range changes {
		if c.id <= 0 {
			continue
		}
		x.grow(c.id)
		e := &x.clients[c.id]
		if e.stored() {
			x.unpostRow(c.id, e.row)
			i := x.namePos(e.key, c.id)
			x.byName = slices.Delete(x.byName, i, i+1)
			from = min(from, i)
			nin, phone, birth := rowNumbers(e.row)
			x.nins.remove(nin, c.id)
			x.phones.remove(phone, c.id)
			x.births.remove(birth, c.id)
		}
		*e = nameEntry{}
		if !c.stored {
			continue
		}
		*e = nameEntry{key: c.key, row: c.row}
		for _, t := range c.tokens {
			x.post(t, c.id)
		}
		i := x.namePos(c.key, c.id)
		x.byName = slices.Insert(x.byName, i, c.id)
		from = min(from, i)
		nin, phone, birth := rowNumbers(c.row)
		x.nins.add(nin, c.id, true)
		x.phones.add(phone, c.id, true)
		x.births.add(birth, c.id, true)
	}
}

// applyBulk applies many changes at once (a load, an import): the changed
// clients leave the name order and the number lists in one pass each, are
// appended again in their final state, and everything is sorted once.
func (x *nameIndex) applyBulk(changes []nameChange) {
	last := make(map[int64]int, len(changes)) // id -> its last change
	changed := make(map[int64]bool, len(changes))
	top := int64(len(x.clients)) - 1
	for i, c := range changes {
		if c.id <= 0 {
			continue
		}
		last[c.id] = i
		top = max(top, c.id)
		if c.id < int64(len(x.clients)) && x.clients[c.id].stored() {
			changed[c.id] = true
		}
	}
	if len(changed) > 0 {
		x.byName = slices.DeleteFunc(x.byName, func(id int64) bool { return changed[id] })
		x.nins.removeIDs(changed)
		x.phones.removeIDs(changed)
		x.births.removeIDs(changed)
		for id := range changed {
			x.unpostRow(id, x.clients[id].row)
			x.clients[id] = nameEntry{}
		}
	}
	x.grow(top)
	for i, c := range changes {
		if c.id <= 0 || last[c.id] != i || !c.stored {
			continue
		}
		x.clients[c.id] = nameEntry{key: c.key, row: c.row}
		for _, t := range c.tokens {
			x.post(t, c.id)
		}
		x.byName = append(x.byName, c.id)
		nin, phone, birth := rowNumbers(c.row)
		x.nins.add(nin, c.id, false)
		x.phones.add(phone, c.id, false)
		x.births.add(birth, c.id, false)
	}
	slices.SortFunc(x.byName, x.compareIDs)
	x.setRanks(0)
	x.nins.sort()
	x.phones.sort()
	x.births.sort()
}

// grow makes room for client id.
func (x *nameIndex) grow(id int64) {
	if n := int64(len(x.clients)); n <= id {
		x.clients = slices.Grow(x.clients, int(id+1-n))[:id+1]
		x.rank = slices.Grow(x.rank, int(id+1-n))[:id+1]
	}
}

// setRanks records the positions in the name order from position from on.
func (x *nameIndex) setRanks(from int) {
	for i := from; i < len(x.byName); i++ {
		x.rank[x.byName[i]] = int32(i)
	}
}

// unpostRow removes client id's name tokens (as in its packed row) from
// their posting lists.
func (x *nameIndex) unpostRow(id int64, row string) {
	for _, t := range clientTokens(rowNames(row)) {
		x.unpost(t, id)
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

// A search's hit set is a bitmap over the name order (bit i: the client at
// byName[i]), so that the page of a search is the first set bits from
// offset on, read off in order: no hits to sort, however many there are.

// bitmap returns a cleared hit set over the name order; give it back with
// putBitmap.
func (x *nameIndex) bitmap() *[]uint64 {
	n := (len(x.byName) + 63) / 64
	if p, ok := x.bitmaps.Get().(*[]uint64); ok && cap(*p) >= n {
		*p = (*p)[:n]
		clear(*p)
		return p
	}
	s := make([]uint64, n, n+n/8) // room for some growth of the register
	return &s
}

func (x *nameIndex) putBitmap(p *[]uint64) { x.bitmaps.Put(p) }

// markTerm sets the bit of every client that matches t, as t.fts() would
// in the search index.
func (x *nameIndex) markTerm(set []uint64, t term) {
	switch t.kind {
	case termWord:
		lo, _ := slices.BinarySearch(x.tokens, t.text)
		for j := lo; j < len(x.tokens) && strings.HasPrefix(x.tokens[j], t.text); j++ {
			for _, id := range x.posts[j] {
				r := x.rank[id]
				set[r>>6] |= 1 << (r & 63)
			}
		}
	case termDate:
		x.births.mark(set, x.rank, t.text, true)
	case termDigits:
		d := t.text
		if len(d) <= 11 {
			x.nins.mark(set, x.rank, d, len(d) == 11)
		}
		for _, p := range phoneCandidates(d, t.plus) {
			x.phones.mark(set, x.rank, p, false)
		}
		switch len(d) {
		case 8:
			if day, ok := dateFromDigits(d); ok {
				x.births.mark(set, x.rank, day, true)
			}
		case 4:
			if y, _ := strconv.Atoi(d); y >= 1850 && y <= 2100 {
				x.births.mark(set, x.rank, d, false)
			}
		}
	}
}

// match returns the hit set of a query's terms (every term must match).
// Give it back with putBitmap.
func (x *nameIndex) match(terms []term) *[]uint64 {
	match := x.bitmap()
	x.markTerm(*match, terms[0])
	if len(terms) > 1 {
		set := x.bitmap()
		defer x.putBitmap(set)
		for _, t := range terms[1:] {
			clear(*set)
			x.markTerm(*set, t)
			for k, m := range *set {
				(*match)[k] &= m
			}
		}
	}
	return match
}

// search answers a parsed query (every term must match; no terms: everyone)
// with the number of matches and the page [offset, offset+limit) of them in
// name order, unpacked into dst. The caller holds gate shared.
func (x *nameIndex) search(terms []term, limit, offset int, dst []register.ClientSummary) (int, []register.ClientSummary) {
	if len(terms) == 0 {
		total := len(x.byName)
		if offset >= total {
			return total, dst
		}
		for _, id := range x.byName[offset:min(offset+limit, total)] {
			dst = x.unpack(dst, id)
		}
		return total, dst
	}
	match := x.match(terms)
	defer x.putBitmap(match)
	total := 0
	for _, m := range *match {
		total += bits.OnesCount64(m)
	}
	x.page(*match, limit, offset, func(id int64) { dst = x.unpack(dst, id) })
	return total, dst
}

// unpack appends the summary of client id to dst.
func (x *nameIndex) unpack(dst []register.ClientSummary, id int64) []register.ClientSummary {
	dst = append(dst, register.ClientSummary{})
	unpackRow(x.clients[id].row, &dst[len(dst)-1])
	return dst
}

// page calls fn with the ids of the hits [offset, offset+limit) in name
// order.
func (x *nameIndex) page(match []uint64, limit, offset int, fn func(id int64)) {
	skip := offset
	for k, m := range match {
		if n := bits.OnesCount64(m); n <= skip {
			skip -= n
			continue
		}
		for m != 0 {
			r := k*64 + bits.TrailingZeros64(m)
			m &= m - 1
			if skip > 0 {
				skip--
				continue
			}
			fn(x.byName[r])
			if limit--; limit == 0 {
				return
			}
		}
	}
}

// find returns the number of clients who have, for every word, a name token
// that starts with it, and the ids of the page [offset, offset+limit) of
// them in name order. The caller holds gate shared.
func (x *nameIndex) find(words []string, limit, offset int) (int, []int64) {
	if len(words) == 0 {
		return 0, nil
	}
	terms := make([]term, len(words))
	for i, w := range words {
		terms[i] = term{kind: termWord, text: w}
	}
	match := x.match(terms)
	defer x.putBitmap(match)
	total := 0
	for _, m := range *match {
		total += bits.OnesCount64(m)
	}
	var ids []int64
	x.page(*match, limit, offset, func(id int64) { ids = append(ids, id) })
	return total, ids
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
