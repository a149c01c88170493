package store

import (
	"math"
	"slices"
	"strings"
	"testing"

	"resepsjon/register"
)

func TestPackRowRoundTrip(t *testing.T) {
	for _, c := range []register.ClientSummary{
		{},
		{ID: 1, Version: 1, GivenName: "Kari", FamilyName: "Nordmann"},
		{ID: math.MaxInt64, Version: math.MinInt64, NIN: "01019012345", GivenName: "Åse Marie", MiddleName: "Ø",
			FamilyName: "Ærø-O'Brien", BirthDate: "1990-01-01", Phone: "+47 912 34 567", City: "Bodø",
			AddressProtection: "StrictlyConfidential", Status: "Active", DeathDate: "2024-02-29"},
		{ID: -5, City: strings.Repeat("x", 300), Status: "\x00\xff"},
	} {
		var got register.ClientSummary
		unpackRow(packRow(&c), &got)
		if got != c {
			t.Errorf("round trip of %+v gives %+v", c, got)
		}
		g, m, f := rowNames(packRow(&c))
		if g != c.GivenName || m != c.MiddleName || f != c.FamilyName {
			t.Errorf("rowNames of %+v = %q %q %q", c, g, m, f)
		}
	}
}

func FuzzPackRow(f *testing.F) {
	f.Add(int64(7), int64(2), "01019012345", "Kari", "", "Nordmann", "912 34 567", "Bodø")
	f.Fuzz(func(t *testing.T, id, version int64, nin, given, middle, family, phone, city string) {
		c := register.ClientSummary{ID: id, Version: version, NIN: nin, GivenName: given, MiddleName: middle,
			FamilyName: family, Phone: phone, City: city}
		var got register.ClientSummary
		unpackRow(packRow(&c), &got)
		if got != c {
			t.Errorf("round trip of %+v gives %+v", c, got)
		}
		// A row cut short reads without panicking.
		row := packRow(&c)
		unpackRow(row[:len(row)/2], &got)
	})
}

func TestNumList(t *testing.T) {
	var l numList
	nums := map[int64]string{1: "12", 2: "120", 3: "1234", 4: "0123", 5: "99999999999999999", 6: "123456789012345678901", 7: "12"}
	for id, d := range nums {
		l.add(d, id, id%2 == 0)
	}
	l.sort()
	rank := make([]int32, 64) // every id is its own position
	for i := range rank {
		rank[i] = int32(i)
	}
	for _, tc := range []struct {
		p     string
		exact bool
		want  []int64
	}{
		{"1", false, []int64{1, 2, 3, 6, 7}},
		{"12", false, []int64{1, 2, 3, 6, 7}},
		{"12", true, []int64{1, 7}},
		{"120", false, []int64{2}},
		{"123", false, []int64{3, 6}},
		{"0", false, []int64{4}},
		{"01", false, []int64{4}},
		{"9999999999999999", false, []int64{5}},
		{"123456789012345678901", true, []int64{6}},
		{"1234567890123456789", false, []int64{6}},
		{"2", false, nil},
	} {
		set := make([]uint64, 1)
		l.mark(set, rank, tc.p, tc.exact)
		var got []int64
		for id := range int64(64) {
			if set[0]&(1<<id) != 0 {
				got = append(got, id)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("mark(%q, exact %v) = %v, want %v", tc.p, tc.exact, got, tc.want)
		}
	}
	l.remove("12", 1)
	l.remove("123456789012345678901", 6)
	l.removeIDs(map[int64]bool{3: true})
	set := make([]uint64, 1)
	l.mark(set, rank, "1", false)
	if set[0] != 1<<2|1<<7 {
		t.Errorf("after removals: %b", set[0])
	}
}
