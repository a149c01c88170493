package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCommonFamilyNames(t *testing.T) {
	names := commonFamilyNames(2000, browserNames)
	if len(names) != browserNames {
		t.Fatalf("%d names, want %d: %v", len(names), browserNames, names)
	}
	seen := map[string]bool{}
	for _, n := range names {
		if n == "" || n != strings.ToLower(n) || strings.ContainsAny(n, " -'") || seen[n] {
			t.Errorf("name %q: want distinct single lower-case words", n)
		}
		seen[n] = true
	}
	if again := commonFamilyNames(2000, browserNames); !slices.Equal(again, names) {
		t.Errorf("not the same names twice: %v, then %v", names, again)
	}
}

func TestInFirstFrame(t *testing.T) {
	ms := func(x float64) time.Duration { return time.Duration(x * float64(time.Millisecond)) }
	for _, tc := range []struct {
		frames []time.Duration
		want   float64
	}{
		{nil, 0},
		{[]time.Duration{ms(-2), ms(0), ms(16.6)}, 1},
		{[]time.Duration{ms(3), ms(16.7), ms(20), ms(40)}, 0.25},
	} {
		if got := inFirstFrame(tc.frames); got != tc.want {
			t.Errorf("inFirstFrame(%v) = %v, want %v", tc.frames, got, tc.want)
		}
	}
}

func TestRequestSplit(t *testing.T) {
	first, rest := requestSplit([][]float64{
		{1, 2, 1, 30, 4, 1, 34},
		{2, 3, 1, 10, 2, 1, 15},
		{3, 5, 2, 20, 3, 1, 28},
		{4, 1}, // cut short: left out
	})
	if !strings.Contains(first, "sent → first byte 30") || !strings.Contains(first, "(the app 4") || !strings.Contains(first, "answer in 34") {
		t.Errorf("first: %s", first)
	}
	if !strings.HasPrefix(rest, "2 requests") || !strings.Contains(rest, "answer in 15") {
		t.Errorf("rest: %s", rest)
	}
	if first, rest := requestSplit(nil); first != "" || !strings.HasPrefix(rest, "0 requests") {
		t.Errorf("none: %q, %q", first, rest)
	}
}
