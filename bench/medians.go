package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// benchMedians reads `go test -bench` output (several -count runs) and
// writes a Markdown table with the median of every metric per benchmark.
func benchMedians(path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	type key struct{ pkg, name string }
	values := map[key]map[string][]float64{}
	var order []key
	var units []string
	pkg := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = p
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(fields[1]); err != nil {
			continue // a log line, not a result
		}
		name := fields[0]
		if i := strings.LastIndex(name, "-"); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i] // the GOMAXPROCS suffix
			}
		}
		k := key{pkg, name}
		if values[k] == nil {
			values[k] = map[string][]float64{}
			order = append(order, k)
		}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			unit := fields[i+1]
			values[k][unit] = append(values[k][unit], v)
			if !slices.Contains(units, unit) {
				units = append(units, unit)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	fmt.Fprintf(w, "| package | benchmark | runs |")
	for _, u := range units {
		fmt.Fprintf(w, " %s |", u)
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, "|---|---|---|")
	for range units {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w)
	for _, k := range order {
		n := 0
		for _, vs := range values[k] {
			n = max(n, len(vs))
		}
		fmt.Fprintf(w, "| %s | %s | %d |", strings.TrimPrefix(k.pkg, "resepsjon/"), strings.TrimPrefix(k.name, "Benchmark"), n)
		for _, u := range units {
			vs := values[k][u]
			if len(vs) == 0 {
				fmt.Fprint(w, " |")
				continue
			}
			slices.Sort(vs)
			fmt.Fprintf(w, " %s |", formatMetric(vs[len(vs)/2]))
		}
		fmt.Fprintln(w)
	}
	// Side-by-side pairs: X/index against X/naive and X/fts from the same
	// runs.
	med := func(vs []float64) float64 {
		vs = slices.Clone(vs)
		slices.Sort(vs)
		return vs[len(vs)/2]
	}
	for _, other := range []struct{ suffix, title string }{
		{"/naive", "naive / index"},
		{"/fts", "search index (FTS5) / name index"},
	} {
		header := false
		for _, k := range order {
			base, ok := strings.CutSuffix(k.name, "/index")
			if !ok {
				continue
			}
			slow := values[key{k.pkg, base + other.suffix}]
			fast := values[k]
			if len(slow["ns/op"]) == 0 || len(fast["ns/op"]) == 0 {
				continue
			}
			if !header {
				fmt.Fprintln(w)
				fmt.Fprintf(w, "| benchmark | %s (ns/op medians) | %s (p50 medians) |\n", other.title, other.title)
				fmt.Fprintln(w, "|---|---|---|")
				header = true
			}
			p50 := "n/a"
			if len(slow["p50-µs"]) > 0 && len(fast["p50-µs"]) > 0 {
				p50 = fmt.Sprintf("%.1f×", med(slow["p50-µs"])/med(fast["p50-µs"]))
			}
			fmt.Fprintf(w, "| %s | %.1f× | %s |\n", strings.TrimPrefix(base, "Benchmark"), med(slow["ns/op"])/med(fast["ns/op"]), p50)
		}
	}
	return nil
}

func formatMetric(v float64) string {
	switch {
	case v >= 100 || v == math.Trunc(v):
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 1:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}
