package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBenchMedians(t *testing.T) {
	input := `goos: linux
pkg: resepsjon/store
BenchmarkSearch/phone/index-2   	     300	    200 ns/op	  1.5 p50-µs	   7000 B/op	  180 allocs/op
BenchmarkSearch/phone/naive-2   	       5	  90000 ns/op	  600 p50-µs	   9000 B/op	  300 allocs/op
    search_bench_test.go:102: BenchmarkSearch/phone/index 3 is a log line
BenchmarkSearch/phone/index-2   	     300	    100 ns/op	  1.0 p50-µs	   7000 B/op	  180 allocs/op
BenchmarkSearch/phone/naive-2   	       5	  60000 ns/op	  400 p50-µs	   9000 B/op	  300 allocs/op
BenchmarkSearch/phone/index-2   	     300	    300 ns/op	  2.0 p50-µs	   7000 B/op	  180 allocs/op
BenchmarkSearch/phone/naive-2   	       5	  30000 ns/op	  200 p50-µs	   9000 B/op	  300 allocs/op
BenchmarkSearch/hans/index-2   	     300	    100 ns/op	  1.0 p50-µs	   7000 B/op	  180 allocs/op
BenchmarkSearch/hans/fts-2   	     300	    750 ns/op	  7.0 p50-µs	   7000 B/op	  180 allocs/op
pkg: resepsjon/persontjeneste/helseid
BenchmarkNewProof/ES256-2 	   10000	     52000 ns/op	    6000 B/op	      80 allocs/op
PASS
`
	path := filepath.Join(t.TempDir(), "bench.txt")
	if err := os.WriteFile(path, []byte(input), 0o600); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := benchMedians(path, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| store | Search/phone/index | 3 | 200 | 1.5 | 7000 | 180 |",
		"| store | Search/phone/naive | 3 | 60000 | 400 | 9000 | 300 |",
		"| persontjeneste/helseid | NewProof/ES256 | 1 | 52000 | | 6000 | 80 |",
		"| Search/phone | 300.0× | 266.7× |",
		"| Search/hans | 7.5× | 7.0× |",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 200; i++ {
		ds = append(ds, time.Duration(i))
	}
	tests := []struct {
		in   []time.Duration
		p    int
		want time.Duration
	}{
		{nil, 50, 0},
		{[]time.Duration{7}, 99, 7},
		{ds, 50, 100},
		{ds, 99, 198},
		{ds, 100, 200},
	}
	for _, tt := range tests {
		if got := percentile(tt.in, tt.p); got != tt.want {
			t.Errorf("percentile(%d values, %d) = %v, want %v", len(tt.in), tt.p, got, tt.want)
		}
	}
}
