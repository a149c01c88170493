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
// console nobody would see them printed. Each has a text in bokmål and
// English that says what happened and what to do.
const (
	failPortsTaken    = "startup.ports_taken"
	failDBTooNew      = "startup.db_too_new"
	failNoKeyring     = "startup.keyring_unavailable"
	failNotAnswering  = "startup.register_in_use"
	failDataDir       = "startup.data_dir"
	failOther         = "startup.other"
	startFailureTitle = "startup.title"
)

// startupMessages is the text of each start-up failure, {bokmål, English}.
var startupMessages = map[string][2]string{
	startFailureTitle: {"Resepsjon kan ikke starte", "Resepsjon cannot start"},
	failPortsTaken: {
		"Alle portene Resepsjon kan bruke, er opptatt av andre programmer. Lukk programmer du ikke trenger, eller start PC-en på nytt, og start Resepsjon igjen.",
		"Every port Resepsjon can use is taken by other programs. Close programs you do not need, or restart the PC, and start Resepsjon again.",
	},
	failDBTooNew: {
		"Registeret er lagret av en nyere versjon av Resepsjon enn denne. Start den nyeste versjonen du har lastet ned, eller last ned den nyeste på nytt. Ingenting er endret.",
		"The register was saved by a newer version of Resepsjon than this one. Start the newest version you downloaded, or download the newest again. Nothing was changed.",
	},
	failNoKeyring: {
		"Resepsjon får ikke tilgang til nøkkelringen i operativsystemet, der nøkkelen til Helsenettet ligger. Logg ut og inn igjen, eller start PC-en på nytt. Hjelper ikke det, kontakt den som drifter PC-en.",
		"Resepsjon cannot reach the operating system's keyring, where the key for the health network is kept. Sign out and in again, or restart the PC. If that does not help, contact whoever looks after the PC.",
	},
	failNotAnswering: {
		"Resepsjon kjører allerede, men svarer ikke. Vent et minutt og prøv igjen. Hjelper ikke det, start PC-en på nytt.",
		"Resepsjon is already running but does not answer. Wait a minute and try again. If that does not help, restart the PC.",
	},
	failDataDir: {
		"Resepsjon får ikke laget eller skrevet i datamappen. Sjekk at disken ikke er full, og at du er logget inn som den vanlige brukeren.",
		"Resepsjon cannot create or write its data folder. Check that the disk is not full and that you are signed in as the usual user.",
	},
	failOther: {
		"Noe hindret Resepsjon i å starte. Prøv igjen; hjelper ikke det, start PC-en på nytt. Send loggfilen til brukerstøtte hvis det gjentar seg.",
		"Something kept Resepsjon from starting. Try again; if that does not help, restart the PC. Send the log file to support if it happens again.",
	},
}

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
	t := startupMessages[startFailureTitle]
	title = t[0] + " / " + t[1]
	kind := failureKind(err)
	m := startupMessages[kind]
	text = m[0] + "\n\n" + m[1]
	if kind == failOther {
		text += "\n\n" + err.Error()
	}
	var se *startError
	if errors.As(err, &se) && se.logFile != "" {
		text += "\n\nLogg / Log: " + se.logFile
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
