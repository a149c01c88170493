package store

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

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
