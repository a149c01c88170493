package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"resepsjon/store/storetest"
)

// phase is one kind of request the load run sends.
type phase struct {
	name  string
	paths []string // request paths, used round-robin
	auth  bool
}

// phaseResult is one phase of one round.
type phaseResult struct {
	requests int
	errors   int
	elapsed  time.Duration
	p50, p99 time.Duration
	// CPU time the app and the load program used during the phase; zero
	// where not available.
	appCPU, loadCPU time.Duration
}

// idleSettle is how long after start the load program reads idle memory.
const idleSettle = 6 * time.Second

// appCPUPerRequest is the app's CPU time per request.
func (p phaseResult) appCPUPerRequest() time.Duration {
	return p.appCPU / time.Duration(max(p.requests, 1))
}

// loadShare is the load program's part of the CPU time both used.
func (p phaseResult) loadShare() float64 {
	if p.appCPU+p.loadCPU == 0 {
		return 0
	}
	return float64(p.loadCPU) / float64(p.appCPU+p.loadCPU)
}

func (p phaseResult) rate() float64 { return float64(p.requests) / p.elapsed.Seconds() }

// loadRun starts the app on the seeded register and runs every phase once
// per round, side by side, recording memory before and after.
//
// With o.compare a second binary runs on a copy of the register, and every
// phase of every round runs against both, one right after the other; its
// phases are reported with the suffix " (compare)".
func loadRun(ctx context.Context, bin, dataDir string, o options, r *report, log io.Writer) error {
	phases := loadPhases(o.clients)
	apps := []*app{nil}
	suffix := []string{""}
	if o.compare != "" {
		copyDir := dataDir + "-compare"
		if err := copyDataDir(dataDir, copyDir); err != nil {
			return err
		}
		b, _, err := startApp(ctx, o.compare, copyDir)
		if err != nil {
			return fmt.Errorf("compare app: %w", err)
		}
		defer b.stop()
		apps = append(apps, b)
		suffix = append(suffix, " (compare)")
	}
	a, _, err := startApp(ctx, bin, dataDir)
	if err != nil {
		return err
	}
	defer a.stop()
	apps[0] = a
	// Idle memory is read once start-up work has settled: the search index
	// loads in the background after start (half a second of a core at
	// 100,000 clients, longer on a busy machine), and a reading taken 1 s
	// after start caught it half built. The figures table reads it at 6 s.
	time.Sleep(idleSettle)
	r.memIdle = a.memory()
	if len(apps) > 1 {
		r.memIdleCompare = apps[1].memory()
	}

	client := &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        o.conns,
			MaxIdleConnsPerHost: o.conns,
			MaxConnsPerHost:     o.conns,
			DisableCompression:  true,
		},
	}
	defer client.CloseIdleConnections()
	// Warm-up: every path once, so first-use costs are not in round 1.
	for _, x := range apps {
		for _, ph := range phases {
			for _, p := range ph.paths {
				if _, err := get(ctx, client, x, p, ph.auth); err != nil {
					return fmt.Errorf("warm-up %s: %w", p, err)
				}
			}
		}
	}
	r.phases = make(map[string][]phaseResult)
	for round := range o.rounds {
		for _, ph := range phases {
			for i, x := range apps {
				res, err := runPhase(ctx, client, x, ph, o)
				if err != nil {
					return fmt.Errorf("round %d, %s%s: %w", round+1, ph.name, suffix[i], err)
				}
				fmt.Fprintf(log, "round %d %-28s %8.0f req/s  p50 %v  p99 %v  app CPU/req %v  load CPU %.0f%%  errors %d\n",
					round+1, ph.name+suffix[i], res.rate(), res.p50, res.p99, res.appCPUPerRequest(), 100*res.loadShare(), res.errors)
				r.phases[ph.name+suffix[i]] = append(r.phases[ph.name+suffix[i]], res)
			}
		}
	}
	r.phaseOrder = nil
	for _, ph := range phases {
		for _, sfx := range suffix {
			r.phaseOrder = append(r.phaseOrder, ph.name+sfx)
		}
	}
	r.memAfter = a.memory()
	if len(apps) > 1 {
		r.memAfterCompare = apps[1].memory()
	}
	return nil
}

// copyDataDir copies the regular files of a seeded data directory.
func copyDataDir(from, to string) error {
	if err := os.MkdirAll(to, 0o700); err != nil {
		return fmt.Errorf("copy data directory: %w", err)
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		return fmt.Errorf("copy data directory: %w", err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			return fmt.Errorf("copy data directory: %w", err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			return fmt.Errorf("copy data directory: %w", err)
		}
	}
	return nil
}

// loadPhases are the health check (the HTTP floor) and client searches with
// typical queries taken from the seeded register: a mix, and each kind alone.
func loadPhases(n int) []phase {
	cs := storetest.Clients(1, n)
	var prefix, two, nin, phone []string
	for i := 7; i < len(cs) && len(phone) < 50; i += max(1, len(cs)/97) {
		c := cs[i]
		fam := []rune(strings.ToLower(c.FamilyName))
		prefix = append(prefix, string(fam[:min(4, len(fam))]))
		two = append(two, c.GivenName+" "+c.FamilyName)
		if c.NIN != "" {
			nin = append(nin, c.NIN)
		}
		if c.Phone != "" {
			phone = append(phone, c.Phone)
		}
	}
	q := func(qs []string) []string {
		var out []string
		for _, s := range qs {
			out = append(out, "/api/clients?q="+url.QueryEscape(s))
		}
		return out
	}
	var mix []string
	for i := range max(len(prefix), len(two), len(nin), len(phone)) {
		for _, l := range [][]string{prefix, two, nin, phone} {
			if len(l) > 0 {
				mix = append(mix, l[i%len(l)])
			}
		}
	}
	return []phase{
		{name: "health", paths: []string{"/api/health"}},
		{name: "clients-mix", paths: q(mix), auth: true},
		{name: "clients-prefix", paths: q(prefix), auth: true},
		{name: "clients-two-words", paths: q(two), auth: true},
		{name: "clients-nin", paths: q(nin), auth: true},
		{name: "clients-phone", paths: q(phone), auth: true},
	}
}

// runPhase sends ph's requests over o.conns connections until o.duration
// has passed or o.maxReqs requests were sent.
func runPhase(ctx context.Context, client *http.Client, a *app, ph phase, o options) (phaseResult, error) {
	ctx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	var next atomic.Int64
	var errs atomic.Int64
	lats := make([][]time.Duration, o.conns)
	var firstErr error
	var errOnce sync.Once
	var wg sync.WaitGroup
	app0, load0 := a.cpu(), selfCPU()
	start := time.Now()
	for w := range o.conns {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(o.maxReqs) {
					return
				}
				t0 := time.Now()
				_, err := get(ctx, client, a, ph.paths[int(i)%len(ph.paths)], ph.auth)
				d := time.Since(t0)
				if err != nil {
					if ctx.Err() != nil {
						return // the phase ended during this request
					}
					errs.Add(1)
					errOnce.Do(func() { firstErr = err })
					continue
				}
				lats[w] = append(lats[w], d)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	appCPU, loadCPU := a.cpu()-app0, selfCPU()-load0
	var all []time.Duration
	for _, l := range lats {
		all = append(all, l...)
	}
	if len(all) == 0 {
		return phaseResult{}, fmt.Errorf("no request succeeded: %v", firstErr)
	}
	if n := errs.Load(); n > 0 && n*100 > int64(len(all)) {
		return phaseResult{}, fmt.Errorf("%d of %d requests failed, first: %v", n, int64(len(all))+n, firstErr)
	}
	slices.Sort(all)
	return phaseResult{
		requests: len(all),
		errors:   int(errs.Load()),
		elapsed:  elapsed,
		p50:      percentile(all, 50),
		p99:      percentile(all, 99),
		appCPU:   appCPU,
		loadCPU:  loadCPU,
	}, nil
}

// get sends one GET and reads the whole body; anything but 200 is an error.
func get(ctx context.Context, client *http.Client, a *app, path string, auth bool) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.info.URL+path, nil)
	if err != nil {
		return 0, err
	}
	if auth {
		req.Header.Set("Authorization", "Bearer "+a.info.Token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: status %d", strings.SplitN(path, "?", 2)[0], resp.StatusCode)
	}
	return int(n), nil
}

// percentile is the p-th percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(i-1, 0)]
}
