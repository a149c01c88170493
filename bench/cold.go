package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// coldOnly measures only cold starts (exec → first 200 on /api/health) of
// one or more binaries side by side: bins[0] is -app (or the module built
// here), the rest are the arguments. Every binary starts on its own copy of
// an empty data directory and of a register of o.clients clients (o.from
// when set, else one seeded here), and the starts alternate between the
// binaries, so that a busy moment of a shared machine falls on all of them.
// One start per binary and data set runs first and is not counted: it
// creates the empty register and brings the schema up to the binary's own.
func coldOnly(ctx context.Context, o options, bins []string, work string, stdout, log io.Writer) error {
	full := o.from
	if full == "" {
		full = filepath.Join(work, "full")
		fmt.Fprintln(log, "seeding", o.clients, "clients")
		if err := seedDataDir(ctx, full, o.clients); err != nil {
			return err
		}
	}
	sets := []struct{ name, from string }{{"empty data directory", ""}, {fmt.Sprintf("%d clients", o.clients), full}}
	// times[set][bin] are the counted starts.
	times := make([][][]time.Duration, len(sets))
	for s, set := range sets {
		times[s] = make([][]time.Duration, len(bins))
		dirs := make([]string, len(bins))
		for b := range bins {
			dirs[b] = filepath.Join(work, fmt.Sprintf("cold-%d-%d", s, b))
			if set.from == "" {
				if err := os.MkdirAll(dirs[b], 0o700); err != nil {
					return err
				}
			} else if err := copyDataDir(set.from, dirs[b]); err != nil {
				return err
			}
			if _, err := startStop(ctx, bins[b], dirs[b]); err != nil {
				return fmt.Errorf("%s, first start of %s: %w", set.name, bins[b], err)
			}
		}
		for i := range o.starts {
			for j := range bins {
				// Alternate which binary goes first in a round.
				b := (i + j) % len(bins)
				d, err := startStop(ctx, bins[b], dirs[b])
				if err != nil {
					return fmt.Errorf("%s, %s: %w", set.name, bins[b], err)
				}
				fmt.Fprintf(log, "%-22s %-40s %8.1f ms\n", set.name, bins[b], float64(d)/float64(time.Millisecond))
				times[s][b] = append(times[s][b], d)
			}
		}
	}
	fmt.Fprintf(stdout, "Machine: %d CPUs (GOMAXPROCS %d), %s %s/%s; load average at the end: %s\n\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH, loadAverage())
	fmt.Fprintf(stdout, "Cold start, exec → first 200 on /api/health; %d starts per binary and data set, alternating.\n\n", o.starts)
	fmt.Fprintln(stdout, "| binary | size | data set | median | all starts |")
	fmt.Fprintln(stdout, "|---|---|---|---|---|")
	for b, bin := range bins {
		size := "n/a"
		if fi, err := os.Stat(bin); err == nil {
			size = fmt.Sprintf("%.1f MiB", float64(fi.Size())/(1<<20))
		}
		for s, set := range sets {
			ts := times[s][b]
			fmt.Fprintf(stdout, "| %s | %s | %s | %s | %s |\n", bin, size, set.name, ms(median(ts, cmpDur)), list(slices.Sorted(slices.Values(ts))))
		}
	}
	return nil
}

// startStop starts bin on dataDir, waits for its first 200 on /api/health
// and stops it again.
func startStop(ctx context.Context, bin, dataDir string) (time.Duration, error) {
	a, ready, err := startApp(ctx, bin, dataDir)
	if err != nil {
		return 0, err
	}
	if err := a.stop(); err != nil {
		return 0, fmt.Errorf("stop: %w\napp output:\n%s", err, a.log.String())
	}
	return ready, nil
}

// loadAverage is /proc/loadavg's three averages (Linux), else "n/a".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "n/a"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "n/a"
	}
	return strings.Join(f[:3], " ")
}
