// Command resepsjon is the reception app of a small health practice: a client
// register in SQLite, filled from Norsk helsenett's Persontjenesten.
//
// Commands: (none) serve the app; demo; mock; key; backup FILE; import FILE;
// restore FILE; version. See
// README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"resepsjon/alert"
	"resepsjon/buildinfo"
	"resepsjon/messages"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/tray"
)

func main() {
	// On Windows the program is built for the GUI subsystem (no console
	// window on a double-click); started from a terminal it writes there.
	console := attachConsole()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := newEnvironment(os.Stdout, os.Stderr, os.Getenv)
	env.alert, env.console = alert.Native(os.Stderr), console
	// Only the app itself (serve, demo) shows a tray icon, on the main
	// goroutine, which the tray library keeps on the main thread.
	env.newTray, env.exit = tray.NewBackend, os.Exit
	err := env.run(ctx, os.Args[1:])
	stop()
	if errors.Is(err, errRestart) {
		// A restore from the UI: start again, which swaps it in.
		err = restartProgram()
	}
	if err != nil {
		if !errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "resepsjon:", messages.Terminal(err))
		}
		os.Exit(exitCode(err))
	}
}

// run dispatches a command line. It is main without the process globals, so
// tests can call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	return newEnvironment(stdout, stderr, getenv).run(ctx, args)
}

func newEnvironment(stdout, stderr io.Writer, getenv func(string) string) *environment {
	return &environment{stdin: os.Stdin, stdout: stdout, stderr: stderr, getenv: getenv, keys: osKeyring}
}

// run dispatches a command line: the first argument names the command,
// serving is the default.
func (env *environment) run(ctx context.Context, args []string) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	return env.dispatch(ctx, cmd, args)
}

// osKeyring is the key store of the real program: the OS keyring.
func osKeyring() helseid.KeyStore { return helseid.NewKeyringStore() }

// dispatch runs one command with env's outputs and key store.
func (env *environment) dispatch(ctx context.Context, cmd string, args []string) error {
	switch cmd {
	case "serve":
		return env.reportStartFailure(ctx, env.serve(ctx, args, false))
	case "demo":
		return env.reportStartFailure(ctx, env.serve(ctx, args, true))
	case "mock":
		return env.mock(ctx, args)
	case "key":
		return env.key(ctx, args)
	case "backup":
		return env.backup(ctx, args)
	case "mail-password":
		return env.mailPassword(ctx, args)
	case "import":
		return env.importClients(ctx, args)
	case "refresh":
		return env.refreshAll(ctx, args)
	case "restore":
		return env.restore(ctx, args)
	case "version":
		fmt.Fprintln(env.stdout, "resepsjon", buildinfo.Get())
		return nil
	case "help":
		usage(env.stdout)
		return nil
	default:
		usage(env.stderr)
		return usageText("cli.usage.unknown_command", cmd)
	}
}

// usage is the commands' help, in bokmål and English (messages/cli.go).
func usage(w io.Writer) {
	fmt.Fprint(w, messages.Both("cli.usage"))
}

// usageError is a command line the program cannot follow (exit status 2):
// a catalogue message, which messages.Terminal shows in both languages.
type usageError struct {
	coded *messages.Coded
}

// usageText is a usage error with a catalogue message.
func usageText(code string, args ...any) *usageError {
	return &usageError{coded: messages.Errorf(nil, code, args...)}
}

// usageCause is a usage error with a catalogue message and its cause (shown
// in brackets).
func usageCause(err error, code string, args ...any) *usageError {
	return &usageError{coded: messages.Errorf(err, code, args...)}
}

func (e *usageError) Error() string { return e.coded.Error() }

func (e *usageError) Unwrap() error { return e.coded }

func exitCode(err error) int {
	var se *exitStatusError
	if errors.As(err, &se) {
		return se.status
	}
	var ue *usageError
	if errors.As(err, &ue) || errors.Is(err, pflag.ErrHelp) {
		return 2
	}
	return 1
}

// environment carries the process's outputs and environment into commands.
type environment struct {
	stdin          io.Reader // "key import -"
	stdout, stderr io.Writer
	getenv         func(string) string
	// keys opens the store for the HelseID private key: the OS keyring in
	// the program, an in-memory store in tests.
	keys func() helseid.KeyStore
	// alert shows a serving command's start-up failure when there is no
	// console (console false): a double-clicked program. Nil: never.
	alert   alert.Shower
	console bool
	// newTray makes the tray icon's backend for serve and demo; nil: no
	// tray (tests). exit ends the process when the tray's loop does not
	// end after the app has stopped; nil: never.
	newTray func() tray.Backend
	exit    func(code int)
	// handOverWait is how long a second launch waits for the process that
	// holds the register to answer; 0 means defaultHandOverWait.
	handOverWait time.Duration
}
