package main

import (
	"slices"
	"strings"
	"testing"
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
