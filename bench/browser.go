package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"resepsjon/instance"
	"resepsjon/store/storetest"
)

// The browser benchmark: what the receptionist sees while typing into the
// client list's search box, measured in headless Chromium against a seeded
// register. For every keystroke it takes the time from the input event to
// the rows on screen: the first change of the list (a MutationObserver on
// the page) and the animation frame after it, both on the page's own clock.

// chromiumPath is where Debian installs chromium.
const chromiumPath = "/usr/bin/chromium"

// browserNames is how many of the register's commonest family names are
// typed letter by letter.
const browserNames = 12

// browserResult is one binary's figures in one round.
type browserResult struct {
	// first is the first keystroke's time after the app started (the page
	// opened as soon as /api/health answered).
	first time.Duration
	// firstWhole is the same to the whole answer on screen.
	firstWhole time.Duration
	// startToRows is from exec to that keystroke's rows on screen.
	startToRows time.Duration
	firstNet    string          // where the first search's time went
	aheadNet    string          // when the answers asked ahead left and came
	net         string          // where the keystrokes' time went
	typing      []time.Duration // each letter typed
	typingDOM   []time.Duration // the same, to the change of the list (before the frame)
	typingFrame []time.Duration // the same, to the begin time of the frame that shows the rows
	typingWhole []time.Duration // the same, to the whole answer on screen (count and all rows)
	typingEarly []time.Duration // frame begin, the keystrokes whose rows came before the answer
	typingLate  []time.Duration // frame begin, the keystrokes whose rows waited for the answer
	typingKept  []time.Duration // frame begin, the keystrokes that needed no request
	backing     []time.Duration // each Backspace after a whole name
	trace       *traceSummary   // the main thread's work while the traced name was typed
	keys        []string        // each keystroke's figures, a line each (-keys)
}

// pageProbe is installed in the client list page: it notes each input
// event's time and, at the first change of the page after it, the time of
// the next animation frame.
const pageProbe = `(() => {
  const b = (window.__bench = { n: 0, done: 0, whole: 0, t0: 0, t0s: [], req: [], early: [], lat: [], dom: [], fin: [], frame: [], waiters: [] });
  // b.wait(n): a promise of keystroke n's times, so that the benchmark waits
  // without polling the page (which would be work on its main thread).
  const check = (n) => {
    if (b.lat[n] !== undefined && b.fin[n] !== undefined && b.waiters[n]) b.waiters[n]([b.lat[n], b.dom[n], b.fin[n], b.frame[n]]);
  };
  // b.kinds(): for each keystroke, 0 when its rows were drawn while the list
  // waited for the answer, 1 when they came with the answer, 2 when no
  // request was needed (an answer kept, or one that held every match).
  b.kinds = () => b.dom.map((_, n) => (b.early[n] ? 0 : b.req[n] ? 1 : 2));
  b.wait = (n) => new Promise((resolve) => { b.waiters[n] = resolve; check(n); });
  const input = document.querySelector('#search');
  const results = document.querySelector('#results');
  input.addEventListener('input', (e) => { b.n += 1; b.t0 = e.timeStamp; b.t0s[b.n] = e.timeStamp; }, true);
  // Where a keystroke's request spent its time, from the resource timing of
  // its first /api/clients request (the keystroke is the last one before
  // the request left): [left after the key, in the browser before it was
  // sent, sent → first byte, the app's own time (Server-Timing), the body,
  // the whole request from the key].
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      // The answers asked ahead: when they left and came.
      if (e.name.includes('/api/clients/ahead')) b.ahead = [e.startTime, e.responseEnd];
      if (!e.name.includes('/api/clients?')) continue;
      let n = b.n;
      while (n > 0 && b.t0s[n] > e.startTime) n--;
      if (n === 0 || b.req[n]) continue;
      const app = e.serverTiming.find((x) => x.name === 'app');
      const t0 = b.t0s[n];
      b.req[n] = [e.startTime - t0, e.requestStart - e.startTime, e.responseStart - e.requestStart, app ? app.duration : -1, e.responseEnd - e.responseStart, e.responseEnd - t0];
    }
    performance.clearResourceTimings();
  }).observe({ type: 'resource', buffered: true });
  const seen = (records) => {
    const n = b.n, t0 = b.t0;
    // The whole answer is on screen when the list is no longer waiting for the server.
    if (b.whole !== n && !results.hasAttribute('aria-busy') && records.some((r) => r.type !== 'attributes' || b.done === n)) {
      b.whole = n;
      requestAnimationFrame(() => { b.fin[n] = performance.now() - t0; check(n); });
    }
    if (b.done === n || !records.some((r) => r.type !== 'attributes')) return;
    b.done = n;
    b.dom[n] = performance.now() - t0;
    // Rows drawn while the list waited for the answer (it narrowed an earlier one).
    b.early[n] = results.hasAttribute('aria-busy');
    // The callback's argument is the frame's own time (its begin, at the
    // display's tick): the rows are in the first frame after the key when it
    // is less than a frame interval after the key.
    requestAnimationFrame((frame) => { b.lat[n] = performance.now() - t0; b.frame[n] = frame - t0; check(n); });
  };
  new MutationObserver(seen).observe(document.querySelector('.page-list'), { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['aria-busy'] });
  return true;
})()`

// browserRun runs the browser benchmark against bin (and o.compare) on a
// copy of the seeded register each, o.rounds times, one binary right after
// the other.
func browserRun(ctx context.Context, o options, bin, dataDir, work string, w, log io.Writer) error {
	if _, err := os.Stat(chromiumPath); err != nil {
		return fmt.Errorf("the browser benchmark needs chromium at %s: %w", chromiumPath, err)
	}
	names := commonFamilyNames(o.clients, browserNames)
	fmt.Fprintf(log, "typing %d names: %s\n", len(names), strings.Join(names, ", "))
	bins := []string{bin}
	labels := []string{"this version"}
	if o.compare != "" {
		bins = append(bins, o.compare)
		labels = append(labels, "compared binary")
	}
	results := make([][]browserResult, len(bins))
	for round := range o.rounds {
		for i, b := range bins {
			dir := filepath.Join(work, fmt.Sprintf("browser-%d-%d", round, i))
			if err := copyDataDir(dataDir, dir); err != nil {
				return err
			}
			tracePath := ""
			if o.trace != "" && round == 0 {
				tracePath = filepath.Join(o.trace, fmt.Sprintf("trace-%d.json", i))
			}
			res, err := browserOnce(ctx, b, dir, names, tracePath)
			os.RemoveAll(dir)
			if err != nil {
				return fmt.Errorf("round %d, %s: %w", round+1, labels[i], err)
			}
			if o.keys {
				for _, k := range res.keys {
					fmt.Fprintf(log, "  %s\n", k)
				}
			}
			fmt.Fprintf(log, "round %d %-16s first %v (whole %v)  start→rows %v  typing p50 %v p95 %v max %v (frame begin p50 %v p95 %v, %.0f %% in the first frame; list changed: p50 %v p95 %v; whole answer: p50 %v p95 %v)  backing up p50 %v p95 %v\n",
				round+1, labels[i], ms(res.first), ms(res.firstWhole), ms(res.startToRows),
				ms(pct(res.typing, 50)), ms(pct(res.typing, 95)), ms(pct(res.typing, 100)),
				ms(pct(res.typingFrame, 50)), ms(pct(res.typingFrame, 95)), 100*inFirstFrame(res.typingFrame),
				ms(pct(res.typingDOM, 50)), ms(pct(res.typingDOM, 95)),
				ms(pct(res.typingWhole, 50)), ms(pct(res.typingWhole, 95)),
				ms(pct(res.backing, 50)), ms(pct(res.backing, 95)))
			fmt.Fprintf(log, "  first search: %s\n  answers asked ahead: %s\n  keystrokes: %s\n", res.firstNet, res.aheadNet, res.net)
			for _, k := range []struct {
				what   string
				frames []time.Duration
			}{{"rows drawn while the answer was on its way", res.typingEarly}, {"rows with the answer", res.typingLate}, {"no request", res.typingKept}} {
				fmt.Fprintf(log, "  %s: %d keystrokes, frame begin p50 %s p95 %s, %.0f %% in the first frame\n",
					k.what, len(k.frames), ms(pct(k.frames, 50)), ms(pct(k.frames, 95)), 100*inFirstFrame(k.frames))
			}
			if res.trace != nil {
				fmt.Fprintf(log, "  trace (%s): %s\n", tracePath, res.trace.line())
			}
			results[i] = append(results[i], res)
		}
	}
	fmt.Fprintf(w, "\n## Browser: keystroke to rows on screen (%d clients, headless Chromium 1366×768, %d rounds)\n\n", o.clients, o.rounds)
	fmt.Fprintf(w, "Typing %d names letter by letter (%s); every figure over all rounds.\n\n", len(names), strings.Join(names, ", "))
	fmt.Fprintln(w, "\"Typing\" is from the input event to the animation frame after the first change of the list (the callback's run); \"frame begin\" to that frame's own time (the display tick it belongs to), and \"in the first frame\" the share of keystrokes whose rows were in the first frame that began after the key (frame begin under 16.7 ms).")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| binary | keystrokes | typing p50 | p95 | max | frame begin p50 | p95 | in the first frame | list changed p50 | p95 | whole answer p50 | p95 | Backspace after a name p50 | p95 | first search after start (median) | its whole answer (median) | exec → first rows (median) |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for i, rs := range results {
		var typing, frame, dom, whole, backing, first, firstWhole, start []time.Duration
		for _, r := range rs {
			typing = append(typing, r.typing...)
			frame = append(frame, r.typingFrame...)
			dom = append(dom, r.typingDOM...)
			whole = append(whole, r.typingWhole...)
			backing = append(backing, r.backing...)
			first = append(first, r.first)
			firstWhole = append(firstWhole, r.firstWhole)
			start = append(start, r.startToRows)
		}
		slices.Sort(typing)
		slices.Sort(frame)
		slices.Sort(dom)
		slices.Sort(whole)
		slices.Sort(backing)
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %s | %.0f %% | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", labels[i], len(typing),
			ms(pct(typing, 50)), ms(pct(typing, 95)), ms(pct(typing, 100)),
			ms(pct(frame, 50)), ms(pct(frame, 95)), 100*inFirstFrame(frame),
			ms(pct(dom, 50)), ms(pct(dom, 95)), ms(pct(whole, 50)), ms(pct(whole, 95)), ms(pct(backing, 50)), ms(pct(backing, 95)),
			ms(median(first, cmpDur)), ms(median(firstWhole, cmpDur)), ms(median(start, cmpDur)))
	}
	if o.trace != "" {
		fmt.Fprintf(w, "\nThe Performance panel's groups on the page's main thread while %q was typed (round 1; traces in %s), per keystroke:\n\n", names[min(1, len(names)-1)], o.trace)
		fmt.Fprintln(w, "| binary | keystrokes | scripting | rendering (style, layout) | painting | other main-thread work | layouts (forced by script) | style recalcs | paints | frames |")
		fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
		for i, rs := range results {
			if len(rs) == 0 || rs[0].trace == nil {
				continue
			}
			t := rs[0].trace
			fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %d (%d) | %d | %d | %d |\n", labels[i], t.keys,
				t.perKey(t.scripting), t.perKey(t.rendering), t.perKey(t.painting), t.perKey(t.other),
				t.layouts, t.forcedLayouts, t.styles, t.paints, t.frames)
		}
	}
	return nil
}

// browserOnce starts bin on dataDir, opens the client list in a fresh
// headless Chromium as soon as the app answers, and types.
func browserOnce(ctx context.Context, bin, dataDir string, names []string, tracePath string) (browserResult, error) {
	var res browserResult
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(1366, 768),
		chromedp.UserDataDir(dataDir + "-chromium"),
	}
	defer os.RemoveAll(dataDir + "-chromium")
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelTab := chromedp.NewContext(allocCtx)
	defer cancelTab()
	// Start the browser before the app, so its start is not measured.
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(1366, 768)); err != nil {
		return res, fmt.Errorf("start chromium: %w", err)
	}
	start := time.Now()
	a, _, err := startApp(ctx, bin, dataDir)
	if err != nil {
		return res, err
	}
	defer a.stop()
	// The browser goes to the app when the app would open it: when it
	// prints its address (it runs with --no-browser).
	actx, cancel := context.WithTimeout(ctx, 30*time.Second)
	err = a.waitAddress(actx)
	cancel()
	if err != nil {
		return res, err
	}
	token, err := instance.RequestLaunchToken(ctx, a.info)
	if err != nil {
		return res, err
	}
	launch, err := a.info.LaunchURL(token)
	if err != nil {
		return res, err
	}
	step := func(timeout time.Duration, actions ...chromedp.Action[chromedp.Void]) error {
		sctx, cancel := context.WithTimeout(bctx, timeout)
		defer cancel()
		return chromedp.Do(sctx, actions...)
	}
	// With -trace, the page's load (navigation to the list on screen) is
	// recorded too, in a file of its own (trace-N-load.json).
	var stopLoad func() ([]json.RawMessage, error)
	if tracePath != "" {
		if stopLoad, err = startTrace(bctx); err != nil {
			return res, err
		}
	}
	if err := step(30*time.Second,
		chromedp.Navigate(launch),
		chromedp.WaitVisible(chromedp.CSS("#search")),
		// The whole list first, so that its answer is not taken for a
		// keystroke's.
		chromedp.WaitVisible(chromedp.CSS("#client-table")),
	); err != nil {
		return res, fmt.Errorf("open the client list: %w", err)
	}
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](pageProbe)); err != nil {
		return res, fmt.Errorf("probe: %w", err)
	}
	if stopLoad != nil {
		raw, err := stopLoad()
		if err != nil {
			return res, err
		}
		if err := writeTrace(strings.TrimSuffix(tracePath, ".json")+"-load.json", raw); err != nil {
			return res, err
		}
	}
	n := 0
	// key types one key and waits for its rows on screen: the time to the
	// next frame after the first change of the list, to that change, and to
	// the frame after the whole answer (the list no longer waiting for the
	// server).
	key := func(k string) (keyTimes, error) {
		n++
		if err := step(10*time.Second, chromedp.KeyEvent(k)); err != nil {
			return keyTimes{}, fmt.Errorf("key %q: %w", k, err)
		}
		pctx, cancel := context.WithTimeout(bctx, 10*time.Second)
		v, err := chromedp.Run(pctx, chromedp.Evaluate[[]float64](fmt.Sprintf(`window.__bench.wait(%d)`, n), chromedp.EvalAwaitPromise))
		cancel()
		if err != nil || len(v) != 4 {
			return keyTimes{}, fmt.Errorf("rows after key %d (%q): %v", n, k, err)
		}
		d := func(x float64) time.Duration { return time.Duration(x * float64(time.Millisecond)) }
		return keyTimes{n: n, rows: d(v[0]), dom: d(v[1]), whole: d(v[2]), frame: d(v[3])}, nil
	}
	// The search box gets the focus, and the first key waits until the focus
	// is on screen (two animation frames): no hand types within a frame of
	// putting the caret in the box, and a key sent at once waited behind
	// Chromium's paint of the focus (26 ms in a trace), which is not the
	// search's time.
	if err := step(5*time.Second, chromedp.Focus(chromedp.CSS("#search"))); err != nil {
		return res, err
	}
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, chromedp.EvalAwaitPromise)); err != nil {
		return res, fmt.Errorf("wait for the focus: %w", err)
	}
	// The first search after start: the first letter of the first name
	// (with -trace, the first name is typed under Chromium's tracing too,
	// in a file of its own).
	var stopFirst func() ([]json.RawMessage, error)
	if tracePath != "" {
		if stopFirst, err = startTrace(bctx); err != nil {
			return res, err
		}
	}
	first, err := key(names[0][:1])
	if err != nil {
		return res, err
	}
	res.first, res.firstWhole = first.rows, first.whole
	res.startToRows = time.Since(start)
	var typed []keyTimes
	for i, name := range names {
		from := 0
		if i == 0 {
			from = 1
		}
		// The second name is typed under Chromium's tracing (the first
		// meets the start of the app).
		var stopTrace func() ([]json.RawMessage, error)
		if tracePath != "" && i == 1 {
			if stopTrace, err = startTrace(bctx); err != nil {
				return res, err
			}
		}
		for _, r := range name[from:] {
			kt, err := key(string(r))
			if err != nil {
				return res, err
			}
			res.typing = append(res.typing, kt.rows)
			res.typingDOM = append(res.typingDOM, kt.dom)
			res.typingWhole = append(res.typingWhole, kt.whole)
			res.typingFrame = append(res.typingFrame, kt.frame)
			typed = append(typed, kt)
			time.Sleep(20 * time.Millisecond) // the next key comes a moment later
		}
		if stopFirst != nil {
			raw, err := stopFirst()
			if err != nil {
				return res, err
			}
			stopFirst = nil
			if err := writeTrace(strings.TrimSuffix(tracePath, ".json")+"-first.json", raw); err != nil {
				return res, err
			}
		}
		if stopTrace != nil {
			raw, err := stopTrace()
			if err != nil {
				return res, err
			}
			sum, err := summarizeTrace(raw, len(name))
			if err != nil {
				return res, err
			}
			res.trace = &sum
			if err := writeTrace(tracePath, raw); err != nil {
				return res, err
			}
		}
		for range 2 {
			kt, err := key(kb.Backspace)
			if err != nil {
				return res, err
			}
			res.backing = append(res.backing, kt.rows)
			time.Sleep(20 * time.Millisecond)
		}
		// Empty the box for the next name (not measured).
		if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`(document.querySelector('#search').value = '', true)`)); err != nil {
			return res, fmt.Errorf("empty the search box: %w", err)
		}
	}
	reqs, err := chromedp.Run(bctx, chromedp.Evaluate[[][]float64](`window.__bench.req.map((r, i) => r ? [i, ...r] : null).filter(Boolean)`))
	if err != nil {
		return res, fmt.Errorf("request timings: %w", err)
	}
	res.firstNet, res.net = requestSplit(reqs)
	// When the answers asked ahead (GET /api/clients/ahead) left and came,
	// against the first key (ms after the page's start).
	ahead, err := chromedp.Run(bctx, chromedp.Evaluate[[]float64](`window.__bench.ahead ? [...window.__bench.ahead, window.__bench.t0s[1]] : []`))
	if err != nil {
		return res, fmt.Errorf("answers asked ahead: %w", err)
	}
	if len(ahead) == 3 {
		res.aheadNet = fmt.Sprintf("asked %.0f ms after the page's start, answered at %.0f ms; the first key at %.0f ms", ahead[0], ahead[1], ahead[2])
	} else {
		res.aheadNet = "not asked (or not answered)"
	}
	kinds, err := chromedp.Run(bctx, chromedp.Evaluate[[]int](`window.__bench.kinds()`))
	if err != nil {
		return res, fmt.Errorf("keystroke kinds: %w", err)
	}
	kindNames := []string{"early rows", "with the answer", "no request"}
	for _, kt := range typed {
		kind := "no request"
		if kt.n < len(kinds) {
			kind = kindNames[kinds[kt.n]]
		}
		res.keys = append(res.keys, fmt.Sprintf("key %3d: list changed %v, frame begin %v, frame %v, whole answer %v (%s)",
			kt.n, ms(kt.dom), ms(kt.frame), ms(kt.rows), ms(kt.whole), kind))
	}
	for _, kt := range typed {
		switch {
		case kt.n >= len(kinds) || kinds[kt.n] == 2:
			res.typingKept = append(res.typingKept, kt.frame)
		case kinds[kt.n] == 0:
			res.typingEarly = append(res.typingEarly, kt.frame)
		default:
			res.typingLate = append(res.typingLate, kt.frame)
		}
	}
	slices.Sort(res.typing)
	slices.Sort(res.typingDOM)
	slices.Sort(res.typingEarly)
	slices.Sort(res.typingLate)
	slices.Sort(res.typingKept)
	slices.Sort(res.typingFrame)
	slices.Sort(res.typingWhole)
	slices.Sort(res.backing)
	return res, nil
}

// keyTimes is one keystroke's figures, from its input event: to the
// animation frame after the first change of the list (the callback's run),
// to that change, to the frame after the whole answer, and to the begin
// time of the frame that shows the first change.
type keyTimes struct {
	rows, dom, whole, frame time.Duration
	n                       int // the keystroke's number in the page
}

// frameInterval is the time between two frames at 60 Hz.
const frameInterval = time.Second / 60

// inFirstFrame is the share of keystrokes whose rows were in the first frame
// that began after the key: the frame's begin time less than one frame
// interval after the key.
func inFirstFrame(frames []time.Duration) float64 {
	if len(frames) == 0 {
		return 0
	}
	n := 0
	for _, f := range frames {
		if f < frameInterval {
			n++
		}
	}
	return float64(n) / float64(len(frames))
}

// commonFamilyNames are the k commonest family names of the synthetic
// register of n clients, lower case, commonest first (ties by name).
func commonFamilyNames(n, k int) []string {
	count := map[string]int{}
	for _, c := range storetest.Clients(1, n) {
		if f := strings.ToLower(c.FamilyName); !strings.ContainsAny(f, " -'") {
			count[f]++
		}
	}
	names := make([]string, 0, len(count))
	for f := range count {
		names = append(names, f)
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(count[b], count[a]), strings.Compare(a, b))
	})
	return names[:min(k, len(names))]
}

// pct is the p-th percentile of sorted durations (100: the largest).
func pct(sorted []time.Duration, p int) time.Duration {
	return percentile(sorted, p)
}

// browserAll builds the app unless o.app names it, seeds the register and
// runs the browser benchmark.
func browserAll(ctx context.Context, o options, work string, w, log io.Writer) error {
	bin := o.app
	if bin == "" {
		bin = filepath.Join(work, "resepsjon")
		fmt.Fprintln(log, "building the app")
		if err := buildApp(ctx, bin); err != nil {
			return err
		}
	}
	if o.from != "" {
		return browserRun(ctx, o, bin, o.from, work, w, log)
	}
	dir := filepath.Join(work, "browser")
	fmt.Fprintln(log, "seeding", o.clients, "clients")
	if err := seedDataDir(ctx, dir, o.clients); err != nil {
		return err
	}
	return browserRun(ctx, o, bin, dir, work, w, log)
}

// requestSplit sums up where the keystrokes' requests spent their time,
// from the page's rows of [keystroke, left after the key, in the browser
// before it was sent, sent → first byte, the app's own time, the body, the
// whole request from the key] (ms): the first keystroke's alone, and the
// p50/p95 of the others.
func requestSplit(rows [][]float64) (first, rest string) {
	d := func(x float64) time.Duration { return time.Duration(x * float64(time.Millisecond)) }
	var cols [6][]time.Duration
	for _, r := range rows {
		if len(r) != 7 {
			continue
		}
		if r[0] == 1 {
			first = fmt.Sprintf("left %s after the key, in the browser %s before it was sent, sent → first byte %s (the app %s), body %s, answer in %s after the key",
				ms(d(r[1])), ms(d(r[2])), ms(d(r[3])), ms(d(r[4])), ms(d(r[5])), ms(d(r[6])))
			continue
		}
		for i := range cols {
			cols[i] = append(cols[i], d(r[i+1]))
		}
	}
	for i := range cols {
		slices.Sort(cols[i])
	}
	pp := func(i int) string { return ms(pct(cols[i], 50)) + " / " + ms(pct(cols[i], 95)) }
	rest = fmt.Sprintf("%d requests (p50 / p95): left after the key %s, in the browser before it was sent %s, sent → first byte %s (the app %s), body %s, answer in %s after the key",
		len(cols[0]), pp(0), pp(1), pp(2), pp(3), pp(4), pp(5))
	return first, rest
}
