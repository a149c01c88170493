// Command bench is the load program for the app's HTTP API. It builds the
// app, seeds data directories with synthetic clients, starts the binary on
// loopback and reports cold start, throughput, latency percentiles, binary
// size and memory as a Markdown table. Every phase is bounded in time and
// request count, and the whole run has a deadline: it stops by itself.
//
//	go run ./bench                  # everything, about two minutes
//	go run ./bench -seed DIR        # only create a data directory with clients
//	go run ./bench -medians FILE    # medians of `go test -bench -count N` output
//	go run ./bench -cold -app NEW OLD...  # only cold starts, binaries side by side
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// options are the command line.
type options struct {
	seed     string
	medians  string
	app      string
	compare  string
	clients  int
	conns    int
	duration time.Duration
	maxReqs  int
	rounds   int
	starts   int
	deadline time.Duration
	keep     bool
	browser  bool
	keys     bool
	trace    string
	from     string
	cold     bool
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.seed, "seed", "", "only create this data directory with -clients synthetic clients, then exit")
	fs.StringVar(&o.medians, "medians", "", "only read this `go test -bench` output and print the median of every figure, then exit")
	fs.StringVar(&o.app, "app", "", "app binary to measure (default: go build the module in the current directory)")
	fs.StringVar(&o.compare, "compare", "", "a second app binary (for example the previous version) loaded side by side with the first in every round, on a copy of the same register")
	fs.IntVar(&o.clients, "clients", 100_000, "clients in the seeded register")
	fs.IntVar(&o.conns, "conns", 32, "concurrent connections of the load phases")
	fs.DurationVar(&o.duration, "duration", 2*time.Second, "length of one load phase")
	fs.IntVar(&o.maxReqs, "requests", 50_000, "most requests of one load phase")
	fs.IntVar(&o.rounds, "rounds", 5, "rounds of load phases (figures are medians over rounds)")
	fs.IntVar(&o.starts, "starts", 5, "cold starts per data set (figures are medians)")
	fs.DurationVar(&o.deadline, "deadline", 8*time.Minute, "stop everything after this long")
	fs.BoolVar(&o.keep, "keep", false, "keep the work directory (binary and data) and print its path")
	fs.BoolVar(&o.browser, "browser", false, "run the browser benchmark instead of the load program: type the commonest family names letter by letter into the client list in headless Chromium and report keystroke → rows on screen (with -compare side by side; -rounds rounds)")
	fs.StringVar(&o.from, "from", "", "with -browser or -cold: a data directory made by -seed with the same -clients, copied for each run instead of seeding a new one (for -cold and older binaries: made by the oldest of them)")
	fs.StringVar(&o.trace, "trace", "", "with -browser: record Chromium's Performance trace while the second name is typed (round 1, each binary), write it to this directory and summarise scripting, rendering and painting per keystroke; the first name, from the first search after start, goes into a file of its own (trace-N-first.json), and so does the page's load, from navigation to the list on screen (trace-N-load.json)")
	fs.BoolVar(&o.keys, "keys", false, "with -browser: print every keystroke's figures (its number in the page counts the Backspaces too) and its kind: rows drawn early from an earlier answer, rows with the answer, or no request")
	fs.BoolVar(&o.cold, "cold", false, "measure only cold starts, of -app and of the binaries named as arguments (for example older versions), alternating, each on its own copy of an empty data directory and of the register; -starts per binary and data set")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 && !o.cold {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.clients < 0 || o.conns < 1 || o.rounds < 1 || o.starts < 1 || o.maxReqs < 1 || o.duration <= 0 {
		return errors.New("-clients must be >= 0, -conns, -rounds, -starts and -requests >= 1, -duration > 0")
	}
	ctx, cancel := context.WithTimeout(ctx, o.deadline)
	defer cancel()
	if o.seed != "" {
		return seedDataDir(ctx, o.seed, o.clients)
	}
	if o.medians != "" {
		return benchMedians(o.medians, stdout)
	}

	work, err := os.MkdirTemp("", "resepsjon-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintln(stderr, "work directory:", work)
	} else {
		defer os.RemoveAll(work)
	}
	if o.browser {
		return browserAll(ctx, o, work, stdout, stderr)
	}
	if o.cold {
		bin := o.app
		if bin == "" {
			bin = filepath.Join(work, "resepsjon")
			fmt.Fprintln(stderr, "building the app")
			if err := buildApp(ctx, bin); err != nil {
				return err
			}
		}
		return coldOnly(ctx, o, append([]string{bin}, fs.Args()...), work, stdout, stderr)
	}
	r, err := measureAll(ctx, o, work, stderr)
	if err != nil {
		return err
	}
	r.write(stdout)
	return nil
}

// measureAll runs every phase and collects the figures.
func measureAll(ctx context.Context, o options, work string, log io.Writer) (*report, error) {
	r := &report{opts: o}
	bin := o.app
	if bin == "" {
		bin = filepath.Join(work, "resepsjon")
		fmt.Fprintln(log, "building the app")
		if err := buildApp(ctx, bin); err != nil {
			return nil, err
		}
	}
	fi, err := os.Stat(bin)
	if err != nil {
		return nil, fmt.Errorf("app binary: %w", err)
	}
	r.binaryBytes = fi.Size()

	empty := filepath.Join(work, "empty")
	full := filepath.Join(work, "full")
	fmt.Fprintln(log, "seeding", o.clients, "clients")
	if err := seedDataDir(ctx, empty, 0); err != nil {
		return nil, err
	}
	t0 := time.Now()
	if err := seedDataDir(ctx, full, o.clients); err != nil {
		return nil, err
	}
	r.seedTime = time.Since(t0)

	fmt.Fprintln(log, "cold starts")
	if r.coldEmpty, err = coldStarts(ctx, bin, empty, o.starts); err != nil {
		return nil, fmt.Errorf("cold start, empty register: %w", err)
	}
	if r.coldFull, err = coldStarts(ctx, bin, full, o.starts); err != nil {
		return nil, fmt.Errorf("cold start, %d clients: %w", o.clients, err)
	}

	fmt.Fprintln(log, "load")
	if err := loadRun(ctx, bin, full, o, r, log); err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	return r, nil
}
