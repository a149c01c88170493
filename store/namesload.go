package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Loading the search index. At 100,000 clients the first version read the
// twelve list columns of every row through database/sql (the driver copies
// every text column into a string of its own: 1.2 million strings), packed
// each row, and built the index from one change per client through the same
// code as an import: 1.5 million allocations, 0.6 s of CPU, and every write
// waited for it on the index's gate. Now:
//
//   - SQLite joins the ten texts of a row into one column with their
//     lengths in front (loadQuery), so the driver makes one string per row;
//   - the packed rows and the sort keys are written into two arenas, each
//     one string at the end, so the index holds two large strings instead
//     of 200,000 small ones;
//   - name tokens are looked up in a map by the bytes of a reused buffer,
//     numbers parsed from the bytes, so a client costs no allocation of its
//     own beyond its postings;
//   - the rows are read in a read transaction of their own, without the
//     gate: writes commit meanwhile, and their changes are applied to the
//     new index before it is put in place (see nameIndex.load).

// loadQuery reads what the index needs of every client: the id, and one
// text "version,len1,…,len10:text1…text10" with the ten texts of packRow's
// order and their lengths in bytes.
const loadQuery = `SELECT id, concat(version, ',',
	octet_length(nin), ',', octet_length(given_name), ',', octet_length(middle_name), ',',
	octet_length(family_name), ',', octet_length(birth_date), ',', octet_length(phone), ',',
	octet_length(city), ',', octet_length(address_protection), ',', octet_length(status), ',',
	octet_length(death_date), ':',
	nin, given_name, middle_name, family_name, birth_date, phone, city,
	address_protection, status, death_date)
	FROM clients`

// loadedRow is a row of loadQuery cut into its parts.
type loadedRow struct {
	version int64
	text    [10][]byte
}

// cutLoadedRow reads a text of loadQuery.
func cutLoadedRow(b []byte, r *loadedRow) error {
	colon := -1
	n := 0      // numbers read
	var v int64 // the number being read
	neg := false
	var lens [10]int
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
			v = v*10 + int64(c-'0')
			continue
		case c == '-' && v == 0:
			neg = true
			continue
		case c != ',' && c != ':':
			return fmt.Errorf("load row: unexpected %q", c)
		}
		if neg {
			v = -v
		}
		if n == 0 {
			r.version = v
		} else if n <= 10 {
			lens[n-1] = int(v)
		}
		n++
		v, neg = 0, false
		if c == ':' {
			colon = i
			break
		}
	}
	if colon < 0 || n != 11 {
		return fmt.Errorf("load row: %d numbers", n)
	}
	p := colon + 1
	for i, l := range lens {
		if l < 0 || p+l > len(b) {
			return fmt.Errorf("load row: text %d out of range", i)
		}
		r.text[i] = b[p : p+l]
		p += l
	}
	if p != len(b) {
		return fmt.Errorf("load row: %d bytes left over", len(b)-p)
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

// readIndexRows reads every client of the read transaction tx into one
// arena of packed rows; ends[i] is where the row of ids[i] ends. top, the
// highest id, sizes the slices.
func readIndexRows(ctx context.Context, tx *sql.Tx, top int64) (ids []int64, ends []int, arena string, err error) {
	// Ids are about the number of clients, but a register whose ids
	// have grown sparse must not reserve room for all of them: beyond a
	// quarter of a million rows the slices grow as they are filled.
	count := int(min(top, 1<<18))
	rows, err := tx.QueryContext(ctx, loadQuery)
	if err != nil {
		return nil, nil, "", err
	}
	defer rows.Close()
	ids = make([]int64, 0, count)
	ends = make([]int, 0, count)
	buf := make([]byte, 0, count*96) // a packed row is about 90 bytes
	var id int64
	var text sql.RawBytes
	var r loadedRow
	for rows.Next() {
		if err := rows.Scan(&id, &text); err != nil {
			return nil, nil, "", err
		}
		if err := cutLoadedRow(text, &r); err != nil {
			return nil, nil, "", fmt.Errorf("client %d: %w", id, err)
		}
		buf = appendPacked(buf, id, &r)
		ids = append(ids, id)
		ends = append(ends, len(buf))
	}
	if err := rows.Err(); err != nil {
		return nil, nil, "", err
	}
	return ids, ends, string(buf), nil
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
// arena[ends[i-1]:ends[i]].
func buildIndex(ids []int64, ends []int, arena string) *nameIndex {
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
	x.sortByName()
	x.setRanks(0)
	x.nins.sort()
	x.phones.sort()
	x.births.sort()
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
// the keys as one number before the whole keys.
func (x *nameIndex) sortByName() {
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
	slices.SortFunc(s, func(a, b pre) int {
		if a.p != b.p {
			if a.p < b.p {
				return -1
			}
			return 1
		}
		return x.compareIDs(a.id, b.id)
	})
	for i := range s {
		x.byName[i] = s[i].id
	}
}
