package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"resepsjon/activation"
	"resepsjon/config"
	"resepsjon/instance"
	"resepsjon/lookup"
	"resepsjon/messages"
	"resepsjon/persontjeneste"
	"resepsjon/refresh"
	"resepsjon/register"
	"resepsjon/store"
)

// Exit statuses of "resepsjon refresh".
const (
	refreshExitFailedClients = 1 // the run ended, some clients were not updated
	refreshExitCouldNotRun   = 2 // the run could not start or stopped
)

// exitStatusError ends the program with its own exit status.
type exitStatusError struct {
	status int
	err    error
}

func (e *exitStatusError) Error() string { return e.err.Error() }
func (e *exitStatusError) Unwrap() error { return e.err }

// refreshPoll is how often the command reads the run's progress.
const refreshPoll = 250 * time.Millisecond

// refreshReport is the report "--json" prints: the run and its clients.
type refreshReport struct {
	JobID    string              `json:"jobId"`
	State    string              `json:"state"`
	DryRun   bool                `json:"dryRun"`
	Resumed  bool                `json:"resumed"`
	Total    int                 `json:"total"`
	Done     int                 `json:"done"`
	Changed  int                 `json:"changed"`
	Failed   int                 `json:"failed"`
	ViaApp   bool                `json:"viaApp"`
	Error    *refreshReportError `json:"error"`
	Report   []refreshReportItem `json:"report"`
	Finished *time.Time          `json:"finishedAt"`
}

type refreshReportError struct {
	Code    string `json:"code"`
	Service string `json:"service,omitempty"`
	Message string `json:"message"`
}

type refreshReportItem struct {
	ClientID int64                       `json:"clientId"`
	Name     string                      `json:"name"`
	Kinds    []persontjeneste.ChangeKind `json:"kinds"`
	Changes  []json.RawMessage           `json:"changes"`
	Error    *refreshReportError         `json:"error,omitempty"`
}

// refreshAll is "resepsjon refresh": "Oppdater alle" from the command line.
// When a Resepsjon holds the register, the run happens there (two writers
// never race); otherwise this process opens the register under the
// instance lock and runs it itself.
func (env *environment) refreshAll(ctx context.Context, args []string) error {
	fs := pflag.NewFlagSet("refresh", pflag.ContinueOnError)
	fs.SetOutput(env.stderr)
	config.Flags(fs)
	dryRun := fs.Bool("dry-run", false, messages.Inline("cli.flag.refresh.dry_run"))
	asJSON := fs.Bool("json", false, messages.Inline("cli.flag.refresh.json"))
	resume := fs.Bool("resume", false, messages.Inline("cli.flag.refresh.resume"))
	cfg, err := env.parseConfig(fs, args, 0, config.DefaultPort)
	if err != nil {
		return err
	}
	opts := refresh.Options{DryRun: *dryRun, Resume: *resume}
	if err := ensureDataDir(cfg.DataDir); err != nil {
		return &exitStatusError{refreshExitCouldNotRun, err}
	}
	files := dataFiles(cfg.DataDir, false)
	progress := env.newProgress(*asJSON)

	var rep refreshReport
	lock, err := instance.Acquire(files.lock)
	switch {
	case errors.Is(err, instance.ErrLocked):
		info, herr := instance.Holder(ctx, files.lock, files.server, env.handOver())
		if herr != nil {
			return &exitStatusError{refreshExitCouldNotRun, messages.Errorf(herr, "cli.refresh.busy")}
		}
		if !*asJSON {
			fmt.Fprintln(env.stderr, messages.Both("cli.refresh.via_app"))
		}
		rep, err = refreshViaApp(ctx, info, opts, cfg.Language, progress)
		rep.ViaApp = true
	case err != nil:
		return &exitStatusError{refreshExitCouldNotRun, err}
	default:
		defer lock.Release()
		rep, err = env.refreshHere(ctx, cfg, files.db, opts, progress)
	}
	progress.finish()
	if err != nil {
		return &exitStatusError{refreshExitCouldNotRun, err}
	}
	if *asJSON {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		env.printRefreshReport(rep)
	}
	switch {
	case rep.State != refresh.StateDone:
		msg := rep.State
		if rep.Error != nil {
			msg = rep.Error.Message
		}
		return &exitStatusError{refreshExitCouldNotRun, messages.Errorf(nil, "cli.refresh.failed", msg)}
	case rep.Failed > 0:
		return &exitStatusError{refreshExitFailedClients, fmt.Errorf("%d clients not updated", rep.Failed)}
	}
	return nil
}

// handOver is how long the command waits for the running app to answer.
func (env *environment) handOver() time.Duration {
	if env.handOverWait > 0 {
		return env.handOverWait
	}
	return defaultHandOverWait
}

// refreshHere runs update-all in this process on the register at dbPath
// (the caller holds the instance lock).
func (env *environment) refreshHere(ctx context.Context, cfg config.Config, dbPath string, opts refresh.Options, progress *refreshProgress) (refreshReport, error) {
	log := newLogger(io.Discard, cfg.LogLevel)
	db, err := store.Open(ctx, dbPath, log)
	if err != nil {
		return refreshReport{}, fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	conn, err := activation.New(activation.Config{Settings: db, Keys: env.keys(), NHN: cfg.NHN, Logger: log, OSUser: currentOSUser()})
	if err != nil {
		return refreshReport{}, err
	}
	look, err := lookup.New(lookup.Config{Connection: conn, Clients: db, Audit: db, OSUser: currentOSUser(), Logger: log})
	if err != nil {
		return refreshReport{}, err
	}
	runner, err := refresh.New(refresh.Config{Connection: conn, Lookup: look, Clients: db, Runs: db, Logger: log})
	if err != nil {
		return refreshReport{}, err
	}
	defer runner.Stop()
	if _, err := runner.StartWith(ctx, opts); err != nil {
		return refreshReport{}, refreshStartError(err, cfg.Language)
	}
	finished := runner.Finished()
	for {
		j := runner.Status()
		progress.show(j.Total, j.Done, j.Changed, j.Failed)
		if j.State != refresh.StateRunning {
			return reportOf(j, cfg.Language), nil
		}
		select {
		case <-finished:
		case <-ctx.Done():
			// Ctrl+C: the client being saved is saved, then the run stops.
			runner.Cancel()
			runner.Stop()
			return reportOf(runner.Status(), cfg.Language), nil
		case <-time.After(refreshPoll):
		}
	}
}

// refreshStartError says in plain words why a run could not start.
func refreshStartError(err error, lang string) error {
	switch {
	case errors.Is(err, refresh.ErrNoRun):
		return messages.Errorf(nil, "cli.refresh.no_run")
	case errors.Is(err, activation.ErrNotActivated):
		return messages.Errorf(nil, "feed.not_activated")
	}
	var f *lookup.Failure
	if errors.As(err, &f) {
		return errors.New(messages.Get("bulk."+f.Code, "bulk.internal", lang))
	}
	return err
}

// reportOf is the report of a finished (or running) job.
func reportOf(j refresh.Job, lang string) refreshReport {
	rep := refreshReport{JobID: j.ID, State: j.State, DryRun: j.DryRun, Resumed: j.Resumed, Total: j.Total, Done: j.Done,
		Changed: j.Changed, Failed: j.Failed, Finished: j.FinishedAt, Report: []refreshReportItem{}}
	if j.ErrCode != "" {
		code := j.ErrCode
		if j.ErrService != "" {
			code += "." + j.ErrService
		}
		rep.Error = &refreshReportError{Code: j.ErrCode, Service: j.ErrService, Message: messages.Get("bulk."+code, "bulk.internal", lang)}
	}
	for _, it := range j.Report {
		item := refreshReportItem{ClientID: it.ClientID, Name: it.Name, Kinds: it.Kinds, Changes: []json.RawMessage{}}
		for _, ch := range it.Changes {
			if raw, err := json.Marshal(ch); err == nil {
				item.Changes = append(item.Changes, raw)
			}
		}
		if it.Error != "" {
			item.Error = &refreshReportError{Code: it.Error, Message: messages.Get("bulk.item."+it.Error, "bulk.item.internal", lang)}
		}
		rep.Report = append(rep.Report, item)
	}
	return rep
}

// refreshViaApp runs update-all in the running app through its API and
// follows it to the end.
func refreshViaApp(ctx context.Context, info instance.Info, opts refresh.Options, lang string, progress *refreshProgress) (refreshReport, error) {
	client := &http.Client{Timeout: 30 * time.Second}
	call := func(method string, body, out any) (int, error) {
		var rd io.Reader
		if body != nil {
			raw, err := json.Marshal(body)
			if err != nil {
				return 0, err
			}
			rd = bytes.NewReader(raw)
		}
		req, err := http.NewRequestWithContext(ctx, method, info.URL+"/api/persontjenesten/refresh-all", rd)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bearer "+info.Token)
		req.Header.Set("Accept-Language", lang)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, fmt.Errorf("the running Resepsjon did not answer: %w", err)
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		if err != nil {
			return resp.StatusCode, err
		}
		if resp.StatusCode/100 != 2 {
			var e struct {
				Error struct {
					Message string `json:"message"`
				} `json:"error"`
			}
			if json.Unmarshal(data, &e) == nil && e.Error.Message != "" {
				return resp.StatusCode, errors.New(e.Error.Message)
			}
			return resp.StatusCode, fmt.Errorf("the running Resepsjon answered %d", resp.StatusCode)
		}
		if out != nil {
			return resp.StatusCode, json.Unmarshal(data, out)
		}
		return resp.StatusCode, nil
	}
	var started struct {
		JobID string `json:"jobId"`
	}
	if _, err := call(http.MethodPost, map[string]bool{"dryRun": opts.DryRun, "resume": opts.Resume}, &started); err != nil {
		return refreshReport{}, err
	}
	for {
		var rep refreshReport
		if _, err := call(http.MethodGet, nil, &rep); err != nil {
			return refreshReport{}, err
		}
		if rep.JobID != started.JobID {
			return refreshReport{}, errors.New("the running Resepsjon started another update meanwhile")
		}
		progress.show(rep.Total, rep.Done, rep.Changed, rep.Failed)
		if rep.State != refresh.StateRunning {
			if rep.Report == nil {
				rep.Report = []refreshReportItem{}
			}
			return rep, nil
		}
		select {
		case <-ctx.Done():
			// Ctrl+C stops the run in the app too.
			_, _ = call(http.MethodDelete, nil, nil)
			return refreshReport{}, ctx.Err()
		case <-time.After(refreshPoll):
		}
	}
}

// printRefreshReport writes the report for people: the totals, then each
// changed or failed client.
func (env *environment) printRefreshReport(rep refreshReport) {
	for _, it := range rep.Report {
		what := ""
		for i, k := range it.Kinds {
			if i > 0 {
				what += ", "
			}
			what += string(k)
		}
		if it.Error != nil {
			what = it.Error.Message
		}
		fmt.Fprintf(env.stdout, "  %6d  %-30s  %s\n", it.ClientID, it.Name, what)
	}
	if rep.Error != nil {
		fmt.Fprintln(env.stdout, rep.Error.Message)
	}
	fmt.Fprintln(env.stdout, messages.Both("cli.refresh.done", rep.Done, rep.Changed, rep.Failed))
	if rep.DryRun {
		fmt.Fprintln(env.stdout, messages.Both("cli.refresh.dry_run"))
	}
}

// refreshProgress shows the run's progress on standard error: a progress
// bar (done/total, changed, failed, time left) on a terminal, a plain line
// now and then otherwise, nothing with --json unless on a terminal.
type refreshProgress struct {
	bar   *progressbar.ProgressBar
	w     io.Writer
	plain bool
	last  time.Time
	total int
}

func (env *environment) newProgress(asJSON bool) *refreshProgress {
	f, isFile := env.stderr.(*os.File)
	if isFile && term.IsTerminal(int(f.Fd())) {
		return &refreshProgress{w: env.stderr}
	}
	if asJSON {
		return &refreshProgress{}
	}
	return &refreshProgress{w: env.stderr, plain: true}
}

func (p *refreshProgress) show(total, done, changed, failed int) {
	if p.w == nil {
		return
	}
	if p.plain {
		// Plain lines: at most one every two seconds, and the last.
		if time.Since(p.last) < 2*time.Second && done < total {
			return
		}
		p.last = time.Now()
		fmt.Fprintln(p.w, messages.Both("cli.refresh.progress", done, total, changed, failed))
		return
	}
	if p.bar == nil || p.total != total {
		p.total = total
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription("Oppdaterer / updating"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
	}
	p.bar.Describe(fmt.Sprintf("endret / changed %d, feilet / failed %d", changed, failed))
	_ = p.bar.Set(done)
}

func (p *refreshProgress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

// The register's store keeps the runs.
var _ register.RunStore = (*store.DB)(nil)
