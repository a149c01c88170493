package main

import (
	"context"
	"errors"

	"github.com/spf13/pflag"

	"resepsjon/messages"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/store"
)

// Start-up failures a double-clicked Resepsjon shows in a dialog: without a
// console nobody would see them printed. Each kind is a code in the message
// catalogue (messages/startup.go) with a text in bokmål and English that
// says what happened and what to do.
const (
	failPortsTaken    = "startup.ports_taken"
	failDBTooNew      = "startup.db_too_new"
	failNoKeyring     = "startup.keyring_unavailable"
	failNotAnswering  = "startup.register_in_use"
	failDataDir       = "startup.data_dir"
	failOther         = "startup.other"
	startFailureTitle = "startup.title"
)

// portsTakenError: no port of the configured range was free.
type portsTakenError struct {
	from, to int
	err      error
}

func (e *portsTakenError) Error() string {
	return messages.Errorf(e.err, "cli.serve.no_free_port", e.from, e.to).Error()
}
func (e *portsTakenError) Unwrap() error { return e.err }

// registerInUseError: another process holds the register's lock and does
// not answer a second launch.
type registerInUseError struct{ err error }

func (e *registerInUseError) Error() string { return e.err.Error() }
func (e *registerInUseError) Unwrap() error { return e.err }

// dataDirError: the data directory cannot be made or used.
type dataDirError struct{ err error }

func (e *dataDirError) Error() string { return e.err.Error() }
func (e *dataDirError) Unwrap() error { return e.err }

// startError is a serving command's failure after its configuration was
// read: it knows where the log file is.
type startError struct {
	logFile string
	err     error
}

func (e *startError) Error() string { return e.err.Error() }
func (e *startError) Unwrap() error { return e.err }

// failureKind sorts a start-up error into one of the kinds above.
func failureKind(err error) string {
	var (
		ports   *portsTakenError
		tooNew  *store.SchemaTooNewError
		inUse   *registerInUseError
		dataDir *dataDirError
	)
	switch {
	case errors.As(err, &ports):
		return failPortsTaken
	case errors.As(err, &tooNew):
		return failDBTooNew
	case errors.As(err, &inUse):
		return failNotAnswering
	case errors.Is(err, helseid.ErrNoKeyring):
		return failNoKeyring
	case errors.As(err, &dataDir):
		return failDataDir
	default:
		return failOther
	}
}

// failureText is the dialog's title and text for err: the kind's text in
// bokmål, then English, then where the log is; an unexpected error adds its
// own words.
func failureText(err error) (title, text string) {
	title = messages.Inline(startFailureTitle)
	kind := failureKind(err)
	m, _ := messages.Lookup(kind)
	text = m.NB + "\n\n" + m.EN
	if kind == failOther {
		text += "\n\n" + messages.Terminal(err)
	}
	var se *startError
	if errors.As(err, &se) && se.logFile != "" {
		text += "\n\n" + messages.Inline("startup.log_file", se.logFile)
	}
	return title, text
}

// reportStartFailure shows a serving command's failure in a dialog when
// the program has no console (double-clicked); on a console main prints it.
// Usage mistakes are for the terminal only.
func (env *environment) reportStartFailure(ctx context.Context, err error) error {
	if err == nil || env.alert == nil || env.console {
		return err
	}
	var ue *usageError
	if errors.As(err, &ue) || errors.Is(err, pflag.ErrHelp) || errors.Is(err, context.Canceled) {
		return err
	}
	title, text := failureText(err)
	// The dialog gets its own context: the program is stopping anyway,
	// and a cancelled ctx must not close it at once.
	_ = env.alert.Show(context.WithoutCancel(ctx), title, text)
	return err
}
