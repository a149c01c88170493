// Command resepsjon is the reception app of a small health practice: a client
// register in SQLite, filled from Norsk helsenett's Persontjenesten.
//
// Commands: (none) serve the app; demo; backup FILE; version. See README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/pflag"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	if err != nil {
		if !errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "resepsjon:", err)
		}
		os.Exit(exitCode(err))
	}
}

// run dispatches a command line. It is main without the process globals, so
// tests can call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	env := &environment{stdout: stdout, stderr: stderr, getenv: getenv}
	switch cmd {
	case "serve":
		return env.serve(ctx, args, false)
	case "demo":
		return env.serve(ctx, args, true)
	case "backup":
		return env.backup(ctx, args)
	case "version":
		fmt.Fprintln(stdout, "resepsjon", version())
		return nil
	case "help":
		usage(stdout)
		return nil
	default:
		usage(stderr)
		return &usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage: resepsjon [command] [flags]

Commands:
  (none), serve   run the app and open the browser
  demo            run the app with synthetic data in its own demo.db
  backup FILE     write a consistent copy of the database to FILE
  version         print the version

Run "resepsjon serve --help" for the flags.
`)
}

type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func exitCode(err error) int {
	var ue *usageError
	if errors.As(err, &ue) || errors.Is(err, pflag.ErrHelp) {
		return 2
	}
	return 1
}

// environment carries the process's outputs and environment into commands.
type environment struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}
