package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// The browser benchmark's Performance-panel trace: Chromium's trace of the
// page while one name is typed (chromedp's Tracing.start / Tracing.end, the
// categories DevTools records), summed up per keystroke as the Performance
// panel groups it — scripting, rendering (style and layout), painting
// (paint, layers, composite) — from the self time of the events on the
// page's main thread. The trace itself can be opened in the Performance
// panel (-trace DIR keeps it).

// traceCategories are the Performance panel's categories.
var traceCategories = []string{
	"-*", "devtools.timeline", "disabled-by-default-devtools.timeline", "disabled-by-default-devtools.timeline.frame",
	"v8.execute", "blink.user_timing", "toplevel", "latencyInfo", "loading",
}

// traceEvent is one event of Chromium's trace (Trace Event Format).
type traceEvent struct {
	Name string          `json:"name"`
	Cat  string          `json:"cat"`
	Ph   string          `json:"ph"`
	TS   float64         `json:"ts"`   // µs
	Dur  float64         `json:"dur"`  // µs
	TDur float64         `json:"tdur"` // µs of the thread's CPU time
	PID  int64           `json:"pid"`
	TID  int64           `json:"tid"`
	Args json.RawMessage `json:"args,omitempty"`
}

// cost is the event's CPU time on its thread, else its wall time.
func (e traceEvent) cost() float64 {
	if e.TDur > 0 {
		return e.TDur
	}
	return e.Dur
}

// traceSummary is where the main thread's time went while the name was typed.
type traceSummary struct {
	keys                                   int
	scripting, rendering, painting, other  time.Duration
	forcedLayouts, layouts, styles, paints int
	frames                                 int
	events                                 int
}

func (s traceSummary) line() string {
	return fmt.Sprintf("%d keys; per key scripting %s, rendering %s, painting %s, other %s; %d layouts (%d forced by script), %d style recalcs, %d paints, %d frames, %d events",
		s.keys, s.perKey(s.scripting), s.perKey(s.rendering), s.perKey(s.painting), s.perKey(s.other),
		s.layouts, s.forcedLayouts, s.styles, s.paints, s.frames, s.events)
}

func (s traceSummary) perKey(d time.Duration) string {
	if s.keys == 0 {
		return "–"
	}
	return ms(d / time.Duration(s.keys))
}

// startTrace starts Chromium's tracing on the tab of ctx; stop ends it and
// returns the events.
func startTrace(ctx context.Context) (stop func() ([]json.RawMessage, error), err error) {
	var mu sync.Mutex
	var raw []json.RawMessage
	done := make(chan struct{})
	lctx, cancel := context.WithCancel(ctx)
	if err := chromedp.Listen(lctx, func(ev any) {
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			mu.Lock()
			for _, v := range e.Value {
				raw = append(raw, json.RawMessage(slices.Clone([]byte(v))))
			}
			mu.Unlock()
		case *tracing.EventTracingComplete:
			close(done)
		}
	}); err != nil {
		cancel()
		return nil, err
	}
	if _, err := chromedp.Call(ctx, tracing.Start, tracing.StartParams{
		TransferMode: tracing.StartTransferModeReportEvents,
		TraceConfig:  &tracing.TraceConfig{IncludedCategories: traceCategories},
	}); err != nil {
		cancel()
		return nil, fmt.Errorf("start tracing: %w", err)
	}
	return func() ([]json.RawMessage, error) {
		defer cancel()
		if _, err := chromedp.Call(ctx, tracing.End, struct{}{}); err != nil {
			return nil, fmt.Errorf("end tracing: %w", err)
		}
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			return nil, fmt.Errorf("tracing did not complete")
		}
		mu.Lock()
		defer mu.Unlock()
		return raw, nil
	}, nil
}

// category is the Performance panel's group of an event on the main thread.
func category(name string) string {
	switch name {
	case "EvaluateScript", "FunctionCall", "TimerFire", "EventDispatch", "RunMicrotasks", "FireAnimationFrame",
		"v8.compile", "v8.compileModule", "v8.execute", "v8.callFunction", "v8.run", "V8.Execute",
		"MinorGC", "MajorGC", "BlinkGC.AtomicPhase", "GCEvent", "XHRReadyStateChange", "XHRLoad",
		"ResourceReceivedData", "ResourceFinish", "ResourceReceiveResponse", "ResourceSendRequest",
		"FireIdleCallback", "v8.evaluateModule", "ParseHTML", "TimerInstall", "TimerRemove",
		"RequestAnimationFrame", "CancelAnimationFrame":
		return "scripting"
	case "UpdateLayoutTree", "RecalculateStyles", "Layout", "HitTest", "PrePaint", "UpdateLayer",
		"UpdateLayerTree", "Layerize", "IntersectionObserverController::computeIntersections",
		"ScheduleStyleRecalculation", "InvalidateLayout":
		return "rendering"
	case "Paint", "PaintImage", "CompositeLayers", "Commit", "RasterTask", "Decode Image", "PaintSetup",
		"UpdateLayerTree::Paint", "Rasterize":
		return "painting"
	}
	return ""
}

// summarizeTrace sums the self time of the main thread's events by the
// Performance panel's groups. The main thread is the renderer's
// CrRendererMain. The time is the thread's CPU time (tdur) where the event
// has it: on two cores shared with other work, the wall time of an event
// includes the time the thread waited for a core, which varied fourfold
// between runs.
func summarizeTrace(raw []json.RawMessage, keys int) (traceSummary, error) {
	s := traceSummary{keys: keys, events: len(raw)}
	var evs []traceEvent
	main := map[[2]int64]bool{}
	for _, r := range raw {
		var e traceEvent
		if err := json.Unmarshal(r, &e); err != nil {
			return s, fmt.Errorf("trace event: %w", err)
		}
		if e.Ph == "M" && e.Name == "thread_name" && strings.Contains(string(e.Args), "CrRendererMain") {
			main[[2]int64{e.PID, e.TID}] = true
		}
		if e.Ph == "X" {
			evs = append(evs, e)
		}
	}
	var onMain []traceEvent
	for _, e := range evs {
		if main[[2]int64{e.PID, e.TID}] {
			onMain = append(onMain, e)
		}
	}
	// Self time: an event's time minus its children's (events nested in it).
	slices.SortStableFunc(onMain, func(a, b traceEvent) int {
		return cmp.Or(cmp.Compare(a.TID, b.TID), cmp.Compare(a.TS, b.TS), cmp.Compare(b.Dur, a.Dur))
	})
	type open struct {
		e     traceEvent
		child float64
		cat   string
	}
	var stack []open
	add := func(o open) {
		self := time.Duration((o.e.cost() - o.child) * float64(time.Microsecond))
		switch o.cat {
		case "scripting":
			s.scripting += self
		case "rendering":
			s.rendering += self
		case "painting":
			s.painting += self
		default:
			s.other += self
		}
	}
	var tid int64 = -1
	for _, e := range onMain {
		if e.TID != tid {
			for len(stack) > 0 {
				add(stack[len(stack)-1])
				stack = stack[:len(stack)-1]
			}
			tid = e.TID
		}
		for len(stack) > 0 && e.TS >= stack[len(stack)-1].e.TS+stack[len(stack)-1].e.Dur {
			add(stack[len(stack)-1])
			stack = stack[:len(stack)-1]
		}
		cat := category(e.Name)
		inScript := false
		for _, o := range stack {
			if o.cat == "scripting" {
				inScript = true
			}
		}
		if cat == "" && len(stack) > 0 {
			cat = stack[len(stack)-1].cat // an unnamed part of its parent's work
		}
		switch e.Name {
		case "Layout":
			s.layouts++
			if inScript {
				s.forcedLayouts++ // layout asked for by script: layout thrash
			}
		case "UpdateLayoutTree":
			s.styles++
		case "Paint":
			s.paints++
		case "BeginMainThreadFrame", "BeginFrame":
			s.frames++
		}
		if len(stack) > 0 {
			stack[len(stack)-1].child += e.cost()
		}
		stack = append(stack, open{e: e, cat: cat})
	}
	for len(stack) > 0 {
		add(stack[len(stack)-1])
		stack = stack[:len(stack)-1]
	}
	return s, nil
}

// writeTrace writes the events as a trace file the Performance panel opens.
func writeTrace(path string, raw []json.RawMessage) error {
	b, err := json.Marshal(struct {
		TraceEvents []json.RawMessage `json:"traceEvents"`
	}{raw})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
