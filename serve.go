package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"log/slog"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/pkg/browser"
	"github.com/spf13/pflag"

	"resepsjon/activation"
	"resepsjon/app"
	"resepsjon/backup"
	"resepsjon/buildinfo"
	"resepsjon/config"
	"resepsjon/feed"
	"resepsjon/instance"
	"resepsjon/logfile"
	"resepsjon/lookup"
	"resepsjon/loopback"
	"resepsjon/messages"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/refresh"
	"resepsjon/register"
	"resepsjon/store"
	"resepsjon/tray"
)

// files names what a serving command keeps in the data directory. The demo
// has its own database and server file, so synthetic people never enter the
// real register and both can run at once.
type files struct {
	db, server, lock, log string
}

func dataFiles(dataDir string, demo bool) files {
	if demo {
		return files{db: filepath.Join(dataDir, "demo.db"), server: filepath.Join(dataDir, "demo-server.json"),
			lock: filepath.Join(dataDir, "demo.lock"), log: filepath.Join(dataDir, "demo.log")}
	}
	return files{db: filepath.Join(dataDir, "resepsjon.db"), server: filepath.Join(dataDir, "server.json"),
		lock: filepath.Join(dataDir, "resepsjon.lock"), log: filepath.Join(dataDir, "resepsjon.log")}
}

// parseArgs parses args into fs and allows at most maxArgs positional
// arguments; --help comes back as pflag.ErrHelp, other mistakes as a
// usageError.
func parseArgs(fs *pflag.FlagSet, args []string, maxArgs int) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		return flagError(err)
	}
	if fs.NArg() > maxArgs {
		return usageText("cli.usage.unexpected_argument", fs.Arg(maxArgs))
	}
	return nil
}

// flagError is pflag's error for a flag it could not read, as a usage error
// from the catalogue.
func flagError(err error) *usageError {
	var (
		unknown  *pflag.NotExistError
		needs    *pflag.ValueRequiredError
		invalid  *pflag.InvalidValueError
		badInput *pflag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &unknown):
		if unknown.GetSpecifiedShortnames() != "" {
			return usageText("cli.usage.unknown_flag", "-"+unknown.GetSpecifiedName())
		}
		return usageText("cli.usage.unknown_flag", "--"+unknown.GetSpecifiedName())
	case errors.As(err, &needs):
		if needs.GetSpecifiedShortnames() != "" {
			return usageText("cli.usage.flag_needs_value", "-"+needs.GetSpecifiedName())
		}
		return usageText("cli.usage.flag_needs_value", "--"+needs.GetSpecifiedName())
	case errors.As(err, &invalid):
		return usageCause(invalid.Unwrap(), "cli.usage.flag_invalid_value", "--"+invalid.GetFlag().Name, invalid.GetValue())
	case errors.As(err, &badInput):
		return usageText("cli.usage.bad_flag_syntax", badInput.GetSpecifiedFlag())
	}
	return usageCause(err, "cli.usage.flags")
}

// parseConfig parses args into fs (which has config.Flags) and loads the
// configuration like the app does.
func (env *environment) parseConfig(fs *pflag.FlagSet, args []string, maxArgs, defaultPort int) (config.Config, error) {
	if err := parseArgs(fs, args, maxArgs); err != nil {
		return config.Config{}, err
	}
	return config.Load(fs, defaultPort, env.getenv)
}

func (env *environment) loadConfig(name string, args []string, defaultPort int) (config.Config, error) {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(env.stderr)
	config.Flags(fs)
	return env.parseConfig(fs, args, 0, defaultPort)
}

func newLogger(w interface{ Write([]byte) (int, error) }, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// ensureDataDir creates the data directory readable by this user only.
func ensureDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("data directory %s: %w", dir, err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("data directory %s: %w", dir, err)
	}
	return nil
}

func (env *environment) serve(ctx context.Context, args []string, demo bool) error {
	name, defPort := "serve", config.DefaultPort
	if demo {
		name, defPort = "demo", config.DefaultDemoPort
	}
	cfg, err := env.loadConfig(name, args, defPort)
	if err != nil {
		return err
	}
	if err := ensureDataDir(cfg.DataDir); err != nil {
		return &dataDirError{err}
	}
	f := dataFiles(cfg.DataDir, demo)
	// The log goes to the terminal and to a size-bounded file in the data
	// directory: without a console that file is where problems can be read.
	logFile, err := logfile.Open(f.log, logfile.DefaultMaxBytes, logfile.DefaultKeep)
	if err != nil {
		return &dataDirError{err}
	}
	defer logFile.Close()
	log := newLogger(io.MultiWriter(env.stderr, logFile), cfg.LogLevel)
	serveApp := func(serving func(tray.Serving)) error { return env.serveWith(ctx, cfg, f, demo, log, serving) }
	if err := env.withTray(ctx, name, cfg, demo, log, logFile, serveApp); err != nil {
		log.Error("resepsjon stopped with an error", "kind", failureKind(err), "err", err)
		return &startError{logFile: f.log, err: err}
	}
	return nil
}

// withTray runs serveApp with a tray icon beside it («Åpne Resepsjon»,
// «Avslutt») where there is a tray and it is not turned off, else alone.
// With a tray the app serves on a goroutine of its own and the tray's loop
// runs on the calling one: the main thread, which Windows' tray wants.
func (env *environment) withTray(ctx context.Context, command string, cfg config.Config, demo bool, log *slog.Logger,
	logFile io.Closer, serveApp func(serving func(tray.Serving)) error) error {
	d := tray.Decide(ctx, tray.Situation{
		Command: command, Off: cfg.NoTray, Available: tray.Available && env.newTray != nil,
		NeedsBus: tray.NeedsBus, BusAddress: env.getenv("DBUS_SESSION_BUS_ADDRESS"),
	}, tray.FindHost)
	if !d.Show {
		// Said once the app serves: the log's first line is the version.
		return serveApp(func(tray.Serving) { log.Info("no tray icon", "reason", d.Reason) })
	}
	r := tray.Runner{Backend: env.newTray(), Menu: tray.MenuIn(cfg.Language, demo), Open: browser.OpenURL, Log: log,
		Stuck: func(err error) {
			// The app has stopped (server file and lock are gone); only
			// the tray's loop hangs on: end the process.
			if env.exit != nil {
				logFile.Close()
				env.exit(exitCode(err))
			}
		}}
	return r.Run(serveApp)
}

// serveWith runs the app with its configuration, files and logger; once it
// serves, it hands serving (if not nil) what the tray icon needs.
func (env *environment) serveWith(ctx context.Context, cfg config.Config, f files, demo bool, log *slog.Logger,
	serving func(tray.Serving)) error {
	build := buildinfo.Get()
	log.Info("resepsjon starting", "version", build.Version, "commit", build.Commit, "built", build.Date,
		"go", build.Go, "platform", build.OS, "demo", demo)
	// «Avslutt» in the UI cancels ctx: the server then stops like on Ctrl+C.
	ctx, quit := context.WithCancel(ctx)
	defer quit()

	// One process per register: the lock is taken before the database is
	// opened and held until this process ends. A second launch hands over
	// to the process holding it and never serves.
	lock, handedOver, err := env.lockOrHandOver(ctx, f, cfg.NoBrowser)
	if err != nil {
		log.Error("not serving: could not take the register's lock", "err", err)
		return err
	}
	if handedOver {
		log.Info("not serving: another process serves the register; the browser was sent there")
		return nil
	}
	defer func() {
		if err := lock.Release(); err != nil {
			log.Warn("could not release the register lock", "err", err)
		}
	}()

	// A restore asked for in the UI is carried out now, before the
	// register is opened.
	if err := applyPendingRestore(ctx, f.db, cfg.DataDir, log); err != nil {
		log.Error("restore not carried out; the register is as it was", "err", err)
	}
	// One clock for the store and the app (tests give both the same fake).
	clock := register.Clock(time.Now)
	db, err := store.Open(ctx, f.db, log, store.WithClock(clock))
	switch {
	case errors.Is(err, register.ErrReadOnly):
		return messages.Errorf(err, "cli.serve.read_only", f.db)
	case errors.Is(err, register.ErrDiskFull):
		return messages.Errorf(err, "cli.serve.disk_full", f.db)
	case err != nil:
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	// The search index loads into memory in the background from here on
	// (at 100,000 clients about half a second of a core), so that it is
	// ready when the receptionist types the first letter; until then SQLite
	// answers searches. Started any later, the browser's first search met
	// the load half done and shared the cores with it.
	db.LoadSearchIndex()
	nhn := cfg.NHN
	var (
		keys    helseid.KeyStore
		demoNet *demoNHN
	)
	if demo {
		// The demo's NHN runs in this process; its key lives in memory,
		// never in the OS keyring.
		if demoNet, err = startDemoNHN(ctx, log); err != nil {
			return err
		}
		nhn.Mock = demoNet.env
		keys = demoNet.keys
		if err := seedDemo(ctx, db, demoNet.pop); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	} else {
		keys = env.keys()
	}
	conn, err := activation.New(activation.Config{Settings: db, Keys: keys, NHN: nhn, Logger: log, OSUser: currentOSUser()})
	if err != nil {
		return err
	}
	look, err := lookup.New(lookup.Config{Connection: conn, Clients: db, Audit: db, OSUser: currentOSUser(), Logger: log})
	if err != nil {
		return err
	}
	runner, err := refresh.New(refresh.Config{Connection: conn, Lookup: look, Clients: db, Runs: db, Logger: log})
	if err != nil {
		return err
	}
	// The change feed follows Persontjenesten while the app serves (it
	// polls only when activated and switched on), and stops before the
	// register is closed.
	feedInterval := cfg.Feed.Interval
	if demoNet != nil {
		feedInterval = demoFeedInterval
		if err := startDemoFeed(ctx, db, demoNet, cfg.Feed.DemoTrickle, log); err != nil {
			return fmt.Errorf("demo feed: %w", err)
		}
	}
	follower, err := feed.New(feed.Config{Connection: conn, Lookup: look, Store: db, Settings: db, Logger: log,
		Interval: feedInterval, Now: clock})
	if err != nil {
		return err
	}
	feedCtx, stopFeed := context.WithCancel(ctx)
	feedDone := make(chan struct{})
	go func() {
		defer close(feedDone)
		follower.Run(feedCtx)
	}()
	defer func() {
		stopFeed()
		<-feedDone
	}()
	if demoNet != nil {
		if err := demoNet.configurePractice(ctx, conn); err != nil {
			return fmt.Errorf("demo practice: %w", err)
		}
	}

	ln, err := listen(cfg.Listen, cfg.Port)
	if err != nil {
		return err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	baseURL := serverURL(cfg.Listen, port)
	token, err := app.NewToken()
	if err != nil {
		ln.Close()
		return fmt.Errorf("session token: %w", err)
	}
	ui, err := uiFS()
	if err != nil {
		ln.Close()
		return err
	}
	var extra []string
	if cfg.AllowRemote && !loopback.IsHost(cfg.Listen) {
		extra = []string{cfg.Listen}
	}
	pp, err := setupPortal(cfg, db, demo, look, keys, log)
	if err != nil {
		ln.Close()
		return err
	}
	defer pp.close()
	if demo {
		if err := seedDemoPortal(ctx, db, pp.service); err != nil {
			log.Warn("demo: portal users not seeded", "err", err)
		}
		if pp.patientURL != "" {
			fmt.Fprintf(env.stdout, "Pasientportalen (pasientens side) / the patient portal: %s (demo-passord / demo password: %q for aktiv@demo-pasient.example)\n",
				pp.patientURL, demoPortalPassword)
		}
		if issuer, err := startDemoIDPorten(ctx, pp, demoNet.pop, log); err != nil {
			log.Warn("demo: the ID-porten mock did not start", "err", err)
		} else if issuer != "" {
			fmt.Fprintln(env.stdout, messages.Inline("cli.serve.demo_idporten", issuer))
		}
	}
	// Backups run by themselves while the app serves, and once more when
	// it stops (before the register is closed).
	safe, err := startSafekeeping(ctx, db, cfg.DataDir, demo, log)
	if err != nil {
		ln.Close()
		return fmt.Errorf("backups: %w", err)
	}
	defer safe.wait()
	srv, err := app.New(app.Config{
		Clients: db, Audit: db, Connection: conn, Lookup: look, Refresh: runner, Feed: follower, UI: ui, Logger: log, Token: token,
		BaseURL: baseURL, Port: port, ExtraHosts: extra, Demo: demo, Build: build, Language: cfg.Language,
		DataDir: cfg.DataDir, DBPath: f.db, Quit: quit,
		OSUser: currentOSUser(), DemoOrganisations: demoOrganisations(demoNet),
		Portal: pp.staff, Transfer: safe.transfer(db, cfg.DataDir, quit), Now: clock,
	})
	if err != nil {
		ln.Close()
		return err
	}
	pp.run(ctx, log)
	if demoNet != nil {
		if st, err := conn.Check(ctx, register.ActionActivate); err != nil || !st.Activated() {
			log.Warn("demo: Persontjenesten activation against the mock did not pass", "err", err)
		}
		fmt.Fprintln(env.stdout, messages.Inline("cli.serve.demo_mock", demoNet.env.APIBaseURL))
		fmt.Fprintln(env.stdout, messages.Both("cli.serve.demo_orgs", demoNet.orgs.ok, demoNet.orgs.noDelegation, demoNet.orgs.noAgreement))
	}
	pid := os.Getpid()
	if err := instance.Write(f.server, instance.Info{URL: baseURL, Port: port, PID: pid, Token: token}); err != nil {
		ln.Close()
		return err
	}
	defer func() {
		if err := instance.Remove(f.server, pid); err != nil {
			log.Warn("could not remove server file", "err", err)
		}
	}()
	log.Info("serving", "url", baseURL, "demo", demo, "data_dir", cfg.DataDir)
	launch, err := srv.LaunchURL()
	if err != nil {
		ln.Close()
		return err
	}
	// The browser opens (or the address is printed) once the search index
	// is loaded, at most indexWait after this point; the app serves
	// meanwhile. Opened at once, the browser's start and the load shared
	// the cores: at 100,000 clients the load then took 1.7 s instead of
	// 0.3 s, the page was slower too, and the first letters typed met a
	// register still answering through SQLite (docs/PERFORMANCE.md).
	var opening sync.WaitGroup
	defer opening.Wait()
	opening.Go(func() {
		wctx, cancel := context.WithTimeout(ctx, indexWait)
		defer cancel()
		if !db.WaitSearchIndex(wctx) && ctx.Err() == nil {
			log.Info("opening the browser before the search index is loaded")
		}
		if ctx.Err() != nil {
			return
		}
		env.openBrowser(cfg.NoBrowser, launch, messages.Inline("cli.serve.ready"))
	})
	if serving != nil {
		// The tray's «Avslutt» is the UI's: the same quit.
		serving(tray.Serving{LaunchURL: srv.LaunchURL, Quit: quit})
	}
	if err := srv.Serve(ctx, ln); err != nil {
		return err
	}
	if safe.restart.Load() {
		return errRestart
	}
	return nil
}

// indexWait is the longest the browser's opening waits for the search
// index to load (serveWith).
const indexWait = 2 * time.Second

// currentOSUser is the logged-in user's name for the audit log.
func currentOSUser() string {
	u, err := user.Current()
	if err != nil {
		return ""
	}
	return u.Username
}

// serverURL is the app's address for a listen host and port: an IPv6
// address, IPv4-mapped ones (::ffff:127.0.0.1) included, in brackets.
func serverURL(host string, port int) string {
	return "http://" + net.JoinHostPort(host, strconv.Itoa(port))
}

// listen binds the configured port, or the next free one within 20 ports
// when it is taken; port 0 picks any free port.
func listen(host string, port int) (net.Listener, error) {
	if port == 0 {
		return net.Listen("tcp", net.JoinHostPort(host, "0"))
	}
	var firstErr error
	for p := port; p < port+20 && p <= 65535; p++ {
		ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(p)))
		if err == nil {
			return ln, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, &portsTakenError{from: port, to: port + 19, err: firstErr}
}

// openBrowser opens url, or prints it when asked not to or when no browser
// can be started.
func (env *environment) openBrowser(noBrowser bool, url, headline string) {
	fmt.Fprintln(env.stdout, headline)
	if !noBrowser {
		if err := browser.OpenURL(url); err == nil {
			return
		}
	}
	fmt.Fprintln(env.stdout, messages.Inline("cli.serve.open_address"))
	fmt.Fprintln(env.stdout, "  "+url)
}

// defaultHandOverWait is how long a second launch waits for the process
// holding the register to answer: it may still be opening the database.
const defaultHandOverWait = 30 * time.Second

// lockOrHandOver takes the register's lock, or, when another process holds
// it, opens the browser on that process (handedOver) or, when it does not
// answer, returns an error that says so.
func (env *environment) lockOrHandOver(ctx context.Context, f files, noBrowser bool) (lock *instance.Lock, handedOver bool, err error) {
	wait := env.handOverWait
	if wait <= 0 {
		wait = defaultHandOverWait
	}
	for range 3 {
		lock, err := instance.Acquire(f.lock)
		if err == nil {
			return lock, false, nil
		}
		if !errors.Is(err, instance.ErrLocked) {
			return nil, false, &dataDirError{messages.Errorf(err, "cli.serve.lock_failed")}
		}
		info, err := instance.Holder(ctx, f.lock, f.server, wait)
		if errors.Is(err, instance.ErrNotLocked) {
			continue // the holder has just exited: try again
		}
		if err != nil {
			return nil, false, errRegisterInUse(err)
		}
		token, err := instance.RequestLaunchToken(ctx, info)
		if err != nil {
			return nil, false, errRegisterInUse(err)
		}
		launch, err := info.LaunchURL(token)
		if err != nil {
			return nil, false, errRegisterInUse(err)
		}
		env.openBrowser(noBrowser, launch, messages.Inline("cli.serve.already_running"))
		return nil, true, nil
	}
	return nil, false, errRegisterInUse(instance.ErrLocked)
}

// errRegisterInUse says that another Resepsjon holds the register and does
// not answer, and what to do.
func errRegisterInUse(err error) error {
	return &registerInUseError{messages.Errorf(err, "cli.serve.register_in_use")}
}

func (env *environment) backup(ctx context.Context, args []string) error {
	fs := pflag.NewFlagSet("backup", pflag.ContinueOnError)
	fs.SetOutput(env.stderr)
	config.Flags(fs)
	cfg, err := env.parseConfig(fs, args, 1, config.DefaultPort)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageText("cli.usage.backup")
	}
	dbPath := dataFiles(cfg.DataDir, false).db
	if _, err := os.Stat(dbPath); err != nil {
		if errors.Is(err, iofs.ErrNotExist) {
			return fmt.Errorf("no database at %s (is --data-dir right?)", dbPath)
		}
		return err
	}
	db, err := store.Open(ctx, dbPath, newLogger(env.stderr, cfg.LogLevel))
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	dest := fs.Arg(0)
	if err := db.Backup(ctx, dest); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := backup.WriteChecksumFor(dest); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintln(env.stdout, messages.Inline("cli.backup.done", dest))
	return nil
}
