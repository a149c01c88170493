package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Loading the search index. At 100,000 clients the first version read the
// twelve list columns of every row through database/sql (the driver copies
// every text column into a string of its own: 1.2 million strings), packed
// each row, and built the index from one change per client through the same
// code as an import: 1.5 million allocations, 0.6 s of CPU, and every write
// waited for it on the index's gate. Now:
//
//   - SQLite joins the ten texts of a row into one column, with a control
//     character between them (loadQuery), so the driver makes one string
//     per row; the lengths in front that an earlier version put there cost
//     ten SQL function calls a row, half the time of the whole read;
//   - the rows are read in two halves at once (by id), each in a read
//     transaction of its own, both taken while the gate is held: on a
//     machine with a core to spare the read takes half the time;
//   - the packed rows and the sort keys are written into two arenas, each
//     one string at the end, so the index holds two large strings instead
//     of 200,000 small ones;
//   - name tokens are looked up in a map by the bytes of a reused buffer,
//     numbers parsed from the bytes, so a client costs no allocation of its
//     own beyond its postings; the sorts at the end run side by side;
//   - the rows are read without the gate: writes commit meanwhile, and
//     their changes are applied to the new index before it is put in place
//     (see nameIndex.load).

// fieldSep separates the texts in a row of loadQuery. It is a control
// character, which validation keeps out of every field the index reads; a
// row that holds one anyway is read again column by column (readRowColumns).
const fieldSep = 0x1f

// loadQuery reads what the index needs of the clients with ids in [?, ?]:
// the id, and one text "version␟text1␟…␟text10" with the ten texts of
// packRow's order.
const loadQuery = "SELECT id, concat(version, '\x1f', nin, '\x1f', given_name, '\x1f', middle_name, '\x1f', " +
	"family_name, '\x1f', birth_date, '\x1f', phone, '\x1f', city, '\x1f', address_protection, '\x1f', " +
	"status, '\x1f', death_date) FROM clients WHERE id BETWEEN ? AND ?"

// rowColumnsQuery reads the same as loadQuery for one client, a column each.
const rowColumnsQuery = `SELECT version, nin, given_name, middle_name, family_name, birth_date, phone, city,
	address_protection, status, death_date FROM clients WHERE id = ?`

// loadedRow is a row of loadQuery cut into its parts.
type loadedRow struct {
	version int64
	text    [10][]byte
}

// errFieldSep is cutLoadedRow's answer for a row whose texts hold fieldSep.
var errFieldSep = errors.New("load row: a text holds the field separator")

// cutLoadedRow reads a text of loadQuery.
func cutLoadedRow(b []byte, r *loadedRow) error {
	head, rest, ok := bytes.Cut(b, []byte{fieldSep})
	if !ok {
		return errFieldSep
	}
	v, err := strconv.ParseInt(string(head), 10, 64)
	if err != nil {
		return fmt.Errorf("load row: version: %w", err)
	}
	r.version = v
	for i := range r.text {
		if i == len(r.text)-1 {
			if bytes.IndexByte(rest, fieldSep) >= 0 {
				return errFieldSep
			}
			r.text[i] = rest
			break
		}
		r.text[i], rest, ok = bytes.Cut(rest, []byte{fieldSep})
		if !ok {
			return errFieldSep
		}
	}
	return nil
}

// readRowColumns reads client id's texts a column each, for a row that
// cutLoadedRow could not cut.
func readRowColumns(ctx context.Context, tx *sql.Tx, id int64, r *loadedRow) error {
	var t [10]string
	if err := tx.QueryRowContext(ctx, rowColumnsQuery, id).Scan(&r.version,
		&t[0], &t[1], &t[2], &t[3], &t[4], &t[5], &t[6], &t[7], &t[8], &t[9]); err != nil {
		return fmt.Errorf("client %d: %w", id, err)
	}
	for i := range t {
		r.text[i] = []byte(t[i])
	}
	return nil
}

// appendPacked appends the packed row (see packRow) of a loaded row.
func appendPacked(b []byte, id int64, r *loadedRow) []byte {
	b = binary.AppendVarint(b, id)
	b = binary.AppendVarint(b, r.version)
	for _, f := range r.text {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return b
}

// loadedRows are the clients of one read: their ids, and their packed rows
// one after the other in arena, the row of ids[i] ending at ends[i].
type loadedRows struct {
	ids   []int64
	ends  []int
	arena []byte
}

// pauseEvery is how many rows the load reads or indexes between looks at
// whether a search is waiting for it to pause (loadPause).
const pauseEvery = 256

// loadPause lets the searches answered by SQLite while the index loads in
// the background run first: the load pauses, between rows, while any of
// them runs. Right after start, the first key's search otherwise shares the
// cores with the load (and, on a reception PC, with the browser starting):
// in BenchmarkSearchWhileLoading one letter took 28 ms (median of 5 runs)
// instead of the 9 ms it takes alone; with the pause, 15.5 ms.
type loadPause struct {
	mu      sync.Mutex
	running int           // searches running
	done    chan struct{} // closed when running drops to 0
}

// search marks a search running until the function it returns is called.
func (p *loadPause) search() (end func()) {
	p.mu.Lock()
	if p.running == 0 {
		p.done = make(chan struct{})
	}
	p.running++
	p.mu.Unlock()
	return func() {
		p.mu.Lock()
		p.running--
		if p.running == 0 {
			close(p.done)
		}
		p.mu.Unlock()
	}
}

// wait returns once no search is running, or ctx is done.
func (p *loadPause) wait(ctx context.Context) {
	p.mu.Lock()
	done := p.done
	running := p.running > 0
	p.mu.Unlock()
	if !running {
		return
	}
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// pauseCompares is how many comparisons a sort of the load makes between
// looks at whether a search is waiting (sortPausing): about as long as
// pauseEvery rows.
const pauseCompares = 4096

// sortPausing sorts s as slices.SortFunc does, and pauses while a search
// runs (pause), looking every pauseCompares comparisons.
func sortPausing[E any](ctx context.Context, s []E, compare func(a, b E) int, pause *loadPause) {
	n := 0
	slices.SortFunc(s, func(a, b E) int {
		if n++; n == pauseCompares {
			n = 0
			pause.wait(ctx)
		}
		return compare(a, b)
	})
}

// splitLoadAt is the size of register (by its highest id) from which the
// rows are read in two halves at once.
const splitLoadAt = 4096

// readIndexRows reads the clients with ids in [from, to] in the read
// transaction tx, pausing while a search runs (pause). count, about how
// many there are, sizes the slices.
func readIndexRows(ctx context.Context, tx *sql.Tx, from, to int64, count int, pause *loadPause) (loadedRows, error) {
	// A register whose ids have grown sparse must not reserve room for all
	// of them: beyond a quarter of a million rows the slices grow as they
	// are filled.
	count = min(max(count, 0), 1<<18)
	rows, err := tx.QueryContext(ctx, loadQuery, from, to)
	if err != nil {
		return loadedRows{}, err
	}
	defer rows.Close()
	out := loadedRows{
		ids:   make([]int64, 0, count),
		ends:  make([]int, 0, count),
		arena: make([]byte, 0, count*96), // a packed row is about 90 bytes
	}
	var id int64
	var text sql.RawBytes
	var r loadedRow
	odd := 0 // rows with the separator in a text, read again below
	for n := 1; rows.Next(); n++ {
		if n%pauseEvery == 0 {
			pause.wait(ctx)
		}
		if err := rows.Scan(&id, &text); err != nil {
			return loadedRows{}, err
		}
		if err := cutLoadedRow(text, &r); errors.Is(err, errFieldSep) {
			// Its place is kept (ids are in order); it is filled in after
			// the query, on the same connection.
			odd++
			out.ids = append(out.ids, id)
			out.ends = append(out.ends, -1)
			continue
		} else if err != nil {
			return loadedRows{}, fmt.Errorf("client %d: %w", id, err)
		}
		out.arena = appendPacked(out.arena, id, &r)
		out.ids = append(out.ids, id)
		out.ends = append(out.ends, len(out.arena))
	}
	if err := rows.Err(); err != nil {
		return loadedRows{}, err
	}
	rows.Close()
	if odd > 0 {
		return out.refill(ctx, tx, odd)
	}
	return out, nil
}

// refill packs the rows that readIndexRows left out (ends -1), reading
// them a column each, in their places.
func (l loadedRows) refill(ctx context.Context, tx *sql.Tx, odd int) (loadedRows, error) {
	out := loadedRows{ids: l.ids, ends: make([]int, len(l.ends)), arena: make([]byte, 0, len(l.arena)+odd*128)}
	var r loadedRow
	start := 0
	for i, id := range l.ids {
		if l.ends[i] >= 0 {
			out.arena = append(out.arena, l.arena[start:l.ends[i]]...)
			start = l.ends[i]
		} else {
			if err := readRowColumns(ctx, tx, id, &r); err != nil {
				return loadedRows{}, err
			}
			out.arena = appendPacked(out.arena, id, &r)
		}
		out.ends[i] = len(out.arena)
	}
	return out, nil
}

// join appends the rows of more (ids all higher) to l.
func (l loadedRows) join(more loadedRows) loadedRows {
	base := len(l.arena)
	l.ids = append(l.ids, more.ids...)
	for _, e := range more.ends {
		l.ends = append(l.ends, base+e)
	}
	l.arena = append(l.arena, more.arena...)
	return l
}

// indexBuilder builds a whole index from packed rows without an allocation
// per client (beyond the growth of its posting lists).
type indexBuilder struct {
	x       *nameIndex // the index being built (not yet shared)
	tokenAt map[string]int32
	posts   [][]int64
	tokens  []string
	fold    []byte // the name being folded
	mine    []int32
	digits  []byte
}

// buildIndex makes the index of the clients ids whose packed rows are
// arena[ends[i-1]:ends[i]], pausing while a search runs (pause).
func buildIndex(ctx context.Context, ids []int64, ends []int, arena string, pause *loadPause) *nameIndex {
	x := &nameIndex{}
	top := int64(0)
	for _, id := range ids {
		top = max(top, id)
	}
	x.grow(top)
	b := &indexBuilder{x: x, tokenAt: make(map[string]int32, 4096)}
	keys := make([]byte, 0, len(ids)*24)
	keyEnds := make([]int, len(ids))
	x.byName = make([]int64, 0, len(ids))
	x.nins.sorted = make([]numEntry, 0, len(ids))
	x.phones.sorted = make([]numEntry, 0, len(ids))
	x.births.sorted = make([]numEntry, 0, len(ids))
	start := 0
	for i, id := range ids {
		if i%pauseEvery == pauseEvery-1 {
			pause.wait(ctx)
		}
		row := arena[start:ends[i]]
		start = ends[i]
		var given, middle, family, nin, phone, birth string
		{
			r := rowReader{s: row}
			r.varint()
			r.varint()
			nin = r.text()
			given, middle, family = r.text(), r.text(), r.text()
			birth = r.text()
			phone = r.text()
		}
		x.clients[id].row = row
		keys = appendSortKey(keys, family, given, middle)
		keyEnds[i] = len(keys)
		b.mine = b.mine[:0]
		b.postName(id, given)
		b.postName(id, middle)
		b.postName(id, family)
		b.digits = appendDigits(b.digits[:0], nin)
		x.nins.addBytes(b.digits, id)
		b.digits = appendPhoneKey(b.digits[:0], phone)
		x.phones.addBytes(b.digits, id)
		b.digits = appendDigits(b.digits[:0], birth)
		x.births.addBytes(b.digits, id)
		x.byName = append(x.byName, id)
	}
	keyArena := string(keys)
	start = 0
	for i, id := range ids {
		x.clients[id].key = keyArena[start:keyEnds[i]]
		start = keyEnds[i]
	}
	// The dictionary in order.
	order := make([]int32, len(b.tokens))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, c int32) int { return strings.Compare(b.tokens[a], b.tokens[c]) })
	x.tokens = make([]string, len(order))
	x.posts = make([][]int64, len(order))
	for i, j := range order {
		x.tokens[i], x.posts[i] = b.tokens[j], b.posts[j]
	}
	// The sorts share nothing: side by side, on a machine with a core to spare.
	var wg sync.WaitGroup
	wg.Go(func() {
		x.sortByName(ctx, pause)
		x.setRanks(0)
	})
	wg.Go(func() {
		sortPausing(ctx, x.nins.sorted, compareNum, pause)
		sortPausing(ctx, x.phones.sorted, compareNum, pause)
	})
	sortPausing(ctx, x.births.sorted, compareNum, pause)
	wg.Wait()
	return x
}

// postName adds client id to the posting lists of the tokens of name (as
// clientTokens finds them), once per token.
func (b *indexBuilder) postName(id int64, name string) {
	var folded []byte
	if isASCII(name) {
		// ASCII is its own NFC form: fold is lower-casing here.
		b.fold = b.fold[:0]
		for i := 0; i < len(name); i++ {
			c := name[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.fold = append(b.fold, c)
		}
		folded = b.fold
	} else {
		folded = []byte(fold(name))
	}
	start := -1
	for i := 0; i <= len(folded); {
		r, size := rune(-1), 1
		if i < len(folded) {
			r, size = utf8.DecodeRune(folded[i:])
		}
		if r >= 0 && isWordRune(r) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			b.post(id, folded[start:i])
			start = -1
		}
		i += size
	}
}

func (b *indexBuilder) post(id int64, tok []byte) {
	t, ok := b.tokenAt[string(tok)]
	if !ok {
		t = int32(len(b.tokens))
		s := string(tok)
		b.tokens = append(b.tokens, s)
		b.posts = append(b.posts, nil)
		b.tokenAt[s] = t
	}
	if slices.Contains(b.mine, t) {
		return
	}
	b.mine = append(b.mine, t)
	b.posts[t] = append(b.posts[t], id)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// sortByName sorts byName by (key, id), comparing the first eight bytes of
// the keys as one number before the whole keys; it pauses while a search
// runs (pause).
func (x *nameIndex) sortByName(ctx context.Context, pause *loadPause) {
	type pre struct {
		p  uint64
		id int64
	}
	s := make([]pre, len(x.byName))
	for i, id := range x.byName {
		k := x.clients[id].key
		var p uint64
		for j := range 8 {
			p <<= 8
			if j < len(k) {
				p |= uint64(k[j])
			}
		}
		s[i] = pre{p, id}
	}
	sortPausing(ctx, s, func(a, b pre) int {
		if a.p != b.p {
			if a.p < b.p {
				return -1
			}
			return 1
		}
		return x.compareIDs(a.id, b.id)
	}, pause)
	for i := range s {
		x.byName[i] = s[i].id
	}
}
