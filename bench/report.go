package main

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"
)

// report holds every figure of a run.
type report struct {
	opts                options
	binaryBytes         int64
	seedTime            time.Duration
	coldEmpty, coldFull []time.Duration
	memIdle, memAfter   memory
	// The -compare binary's memory.
	memIdleCompare, memAfterCompare memory
	phases                          map[string][]phaseResult
	phaseOrder                      []string
}

func median[T any](xs []T, less func(a, b T) int) T {
	s := slices.Clone(xs)
	slices.SortFunc(s, less)
	return s[len(s)/2]
}

func cmpDur(a, b time.Duration) int { return int(a - b) }

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

func mib(kib int64) string {
	if kib == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f MiB", float64(kib)/1024)
}

// write prints the figures as Markdown.
func (r *report) write(w io.Writer) {
	o := r.opts
	fmt.Fprintf(w, "Machine: %d CPUs (GOMAXPROCS %d), %s %s/%s\n\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(w, "Register: %d synthetic clients (seeded in %s). Load: %d connections, %d rounds of %s (at most %d requests) per phase; medians over rounds.\n\n",
		o.clients, r.seedTime.Round(time.Millisecond), o.conns, o.rounds, o.duration, o.maxReqs)
	fmt.Fprintln(w, "| phase | req/s | p50 | p99 | app CPU per request | × health's CPU | load program's CPU share | errors | req/s per round |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|")
	// The app CPU of /api/health per request, per binary: the floor every
	// other phase is compared with (same binary, same run).
	floor := map[string]time.Duration{}
	for _, name := range r.phaseOrder {
		if base, sfx, _ := strings.Cut(name, " "); base == "health" {
			var cpus []time.Duration
			for _, x := range r.phases[name] {
				cpus = append(cpus, x.appCPUPerRequest())
			}
			floor[sfx] = median(cpus, cmpDur)
		}
	}
	for _, name := range r.phaseOrder {
		rs := r.phases[name]
		var rates []float64
		var p50s, p99s, cpus []time.Duration
		var shares []float64
		errs := 0
		perRound := ""
		for i, x := range rs {
			rates = append(rates, x.rate())
			p50s = append(p50s, x.p50)
			p99s = append(p99s, x.p99)
			cpus = append(cpus, x.appCPUPerRequest())
			shares = append(shares, x.loadShare())
			errs += x.errors
			if i > 0 {
				perRound += ", "
			}
			perRound += fmt.Sprintf("%.0f", x.rate())
		}
		cpu := median(cpus, cmpDur)
		times := "n/a"
		if _, sfx, _ := strings.Cut(name, " "); floor[sfx] > 0 {
			times = fmt.Sprintf("%.1f×", float64(cpu)/float64(floor[sfx]))
		}
		fmt.Fprintf(w, "| %s | %.0f | %s | %s | %s | %s | %.0f %% | %d | %s |\n", name, median(rates, cmpFloat),
			ms(median(p50s, cmpDur)), ms(median(p99s, cmpDur)), ms(cpu), times, 100*median(shares, cmpFloat), errs, perRound)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| figure | median | all runs |")
	fmt.Fprintln(w, "|---|---|---|")
	fmt.Fprintf(w, "| cold start, empty register | %s | %s |\n", ms(median(r.coldEmpty, cmpDur)), list(r.coldEmpty))
	fmt.Fprintf(w, "| cold start, %d clients | %s | %s |\n", o.clients, ms(median(r.coldFull, cmpDur)), list(r.coldFull))
	fmt.Fprintf(w, "| binary size | %.1f MiB (%d bytes) | |\n", float64(r.binaryBytes)/(1<<20), r.binaryBytes)
	fmt.Fprintf(w, "| RSS idle, %d clients | %s | anonymous %s, file-backed %s |\n", o.clients, mib(r.memIdle.rss), mib(r.memIdle.anon), mib(r.memIdle.file))
	fmt.Fprintf(w, "| RSS after the load run | %s | anonymous %s, file-backed %s |\n", mib(r.memAfter.rss), mib(r.memAfter.anon), mib(r.memAfter.file))
	if o.compare != "" {
		fmt.Fprintf(w, "| RSS idle, compared binary | %s | anonymous %s, file-backed %s |\n", mib(r.memIdleCompare.rss), mib(r.memIdleCompare.anon), mib(r.memIdleCompare.file))
		fmt.Fprintf(w, "| RSS after the load run, compared binary | %s | anonymous %s, file-backed %s |\n", mib(r.memAfterCompare.rss), mib(r.memAfterCompare.anon), mib(r.memAfterCompare.file))
	}
}

func list(ds []time.Duration) string {
	s := ""
	for i, d := range ds {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond))
	}
	return s + " ms"
}
