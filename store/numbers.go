package store

import (
	"cmp"
	"slices"
	"strconv"
)

// numList is one number column of the search index in memory (identity
// numbers, phone numbers as phoneKey writes them, birth dates as YYYYMMDD):
// every client's number, sorted, so that the clients whose number starts
// with typed digits are one range of the list. FTS5 answers the same
// question by scanning its prefix tree on every search, about 0.1 ms; here
// it is two binary searches.
//
// A number of up to numWidth digits is one integer: its digits padded with
// zeros to numWidth digits, times 32, plus its length. Numbers that start
// with the same digits are then neighbours, and a shorter number sorts
// before the numbers it is a prefix of. Longer numbers (no identity or phone
// number is) are kept apart in long and compared as text.
type numList struct {
	sorted []numEntry // by (key, id)
	long   []longNum  // unsorted
}

type numEntry struct {
	key uint64
	id  int64
}

type longNum struct {
	digits string
	id     int64
}

// numWidth is the most digits a number key holds: 10^17 × 32 < 2^64.
const numWidth = 17

func pow10(n int) uint64 {
	p := uint64(1)
	for range n {
		p *= 10
	}
	return p
}

// numKey is the key of the digits d, or false when d is empty, longer than
// numWidth or not all ASCII digits.
func numKey(d string) (uint64, bool) {
	if d == "" || len(d) > numWidth {
		return 0, false
	}
	v, err := strconv.ParseUint(d, 10, 64)
	if err != nil {
		return 0, false
	}
	return (v*pow10(numWidth-len(d)))<<5 | uint64(len(d)), true
}

func compareNum(a, b numEntry) int {
	if c := cmp.Compare(a.key, b.key); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// add puts client id's number d into the list; with sorted false it only
// appends (the caller sorts once after a batch).
func (l *numList) add(d string, id int64, sorted bool) {
	if d == "" {
		return
	}
	k, ok := numKey(d)
	if !ok {
		l.long = append(l.long, longNum{d, id})
		return
	}
	e := numEntry{k, id}
	if !sorted {
		l.sorted = append(l.sorted, e)
		return
	}
	i, _ := slices.BinarySearchFunc(l.sorted, e, compareNum)
	l.sorted = slices.Insert(l.sorted, i, e)
}

// remove takes client id's number d out of the list.
func (l *numList) remove(d string, id int64) {
	if d == "" {
		return
	}
	k, ok := numKey(d)
	if !ok {
		l.long = slices.DeleteFunc(l.long, func(n longNum) bool { return n.id == id && n.digits == d })
		return
	}
	if i, found := slices.BinarySearchFunc(l.sorted, numEntry{k, id}, compareNum); found {
		l.sorted = slices.Delete(l.sorted, i, i+1)
	}
}

// removeIDs takes the numbers of the clients in ids out of the list.
func (l *numList) removeIDs(ids map[int64]bool) {
	l.sorted = slices.DeleteFunc(l.sorted, func(e numEntry) bool { return ids[e.id] })
	l.long = slices.DeleteFunc(l.long, func(n longNum) bool { return ids[n.id] })
}

func (l *numList) sort() {
	slices.SortFunc(l.sorted, compareNum)
}

// mark sets the bit (at rank[id]) of every client whose number starts with
// the digits p (exact: equals p).
func (l *numList) mark(set []uint64, rank []int32, p string, exact bool) {
	k := len(p)
	if v, err := strconv.ParseUint(p, 10, 64); err == nil && k <= numWidth {
		step := pow10(numWidth - k)
		lo, hi := (v*step)<<5, ((v+1)*step)<<5
		i, _ := slices.BinarySearchFunc(l.sorted, lo, func(e numEntry, key uint64) int { return cmp.Compare(e.key, key) })
		for ; i < len(l.sorted) && l.sorted[i].key < hi; i++ {
			n := int(l.sorted[i].key & 31)
			if n < k || exact && n != k {
				continue // a shorter number p is no prefix of
			}
			r := rank[l.sorted[i].id]
			set[r>>6] |= 1 << (r & 63)
		}
	}
	for _, n := range l.long {
		if exact && n.digits == p || !exact && len(n.digits) >= k && n.digits[:k] == p {
			r := rank[n.id]
			set[r>>6] |= 1 << (r & 63)
		}
	}
}

// addBytes appends client id's number d (digits) to the list, unsorted, as
// add(string(d), id, false) does, without making a string of d.
func (l *numList) addBytes(d []byte, id int64) {
	if len(d) == 0 {
		return
	}
	if len(d) > numWidth {
		l.long = append(l.long, longNum{string(d), id})
		return
	}
	var v uint64
	for _, c := range d {
		if c < '0' || c > '9' {
			l.long = append(l.long, longNum{string(d), id})
			return
		}
		v = v*10 + uint64(c-'0')
	}
	l.sorted = append(l.sorted, numEntry{(v*pow10(numWidth-len(d)))<<5 | uint64(len(d)), id})
}
