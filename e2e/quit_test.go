//go:build unix

package e2e

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"resepsjon/instance"
	"resepsjon/store"
)

// TestAboutAndQuitInBrowser opens «Om Resepsjon», then stops the program
// with «Avslutt»: the process exits 0, leaves no instance file behind, and
// the database passes its integrity check.
func TestAboutAndQuitInBrowser(t *testing.T) {
	s := startServer(t)
	if status := s.api(t, http.MethodPost, "/api/clients", map[string]any{"givenName": "Kari", "familyName": "Avslutt"}, nil); status != http.StatusCreated {
		t.Fatalf("create client: status %d", status)
	}
	b := newBrowser(t)
	b.open(s.printedLaunchURL(t))
	// The shell is drawn again once the first screen is on; wait for it.
	b.waitFor("the client list", `document.querySelectorAll('#client-table tbody tr').length >= 1`)

	b.click("#nav-about")
	b.waitFor("the about dialog", `!!document.querySelector('#about-dialog[open]')`)
	about := b.text("#about-dialog")
	for _, want := range []string{"Om Resepsjon", "Versjon", "dev", "Datamappe", s.dataDir, "Databasens størrelse", "kB"} {
		if !strings.Contains(about, want) {
			t.Errorf("the about dialog lacks %q:\n%s", want, about)
		}
	}
	copyText := eval[string](b, `document.querySelector('#about-dialog').dataset.copyText`)
	if !strings.Contains(copyText, "Resepsjon dev") || !strings.Contains(copyText, s.dataDir) {
		t.Errorf("«Kopier» would copy %q: want the version and the data folder", copyText)
	}
	b.checkLayout("about dialog")
	b.screenshot("about-dialog")
	b.click("#about-close")
	b.waitFor("the about dialog to close", `!document.querySelector('#about-dialog')`)
	if got := b.focused(); got != "nav-about" {
		t.Errorf("focus after closing the about dialog is on %q; want back on its button", got)
	}

	// «Avslutt» asks first; «Avbryt» keeps the program running.
	b.click("#nav-quit")
	b.waitFor("the quit question", `!!document.querySelector('#quit-dialog[open]')`)
	b.screenshot("quit-dialog")
	b.click("#quit-dialog .dialog-actions button:not([data-action])")
	b.waitFor("the quit question to close", `!document.querySelector('#quit-dialog')`)
	if status := s.api(t, http.MethodGet, "/api/app", nil, nil); status != http.StatusOK {
		t.Fatalf("after «Avbryt» the app answers %d", status)
	}

	b.click("#nav-quit")
	b.waitFor("the quit question", `!!document.querySelector('#quit-dialog[open]')`)
	b.click("#quit-dialog [data-action=confirm]")
	b.waitFor("the stopped screen", `!!document.querySelector('#app-stopped')`)
	b.waitText("#app-stopped", "Du kan lukke fanen")
	b.screenshot("quit-done")

	if err := s.waitExit(t, 15*time.Second); err != nil {
		t.Fatalf("resepsjon exited with %v after «Avslutt», want exit status 0\n%s", err, s.out.String())
	}
	if _, err := os.Stat(filepath.Join(s.dataDir, "server.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("server.json after «Avslutt»: %v, want it removed", err)
	}
	// The register's lock is let go (its file stays on purpose, see
	// instance.Lock.Release): a new process can take it at once.
	lock, err := instance.Acquire(filepath.Join(s.dataDir, "resepsjon.lock"))
	if err != nil {
		t.Errorf("the register's lock after «Avslutt»: %v, want it free", err)
	} else {
		lock.Release()
	}
	logText, err := os.ReadFile(filepath.Join(s.dataDir, "resepsjon.log"))
	if err != nil {
		t.Fatalf("log file: %v", err)
	}
	if !strings.Contains(string(logText), "resepsjon starting") || !strings.Contains(string(logText), "quit requested from the UI") {
		t.Errorf("the log file lacks the start line or the quit:\n%s", logText)
	}
	if strings.Contains(string(logText), s.Token) {
		t.Error("the log file contains the session token")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := store.Open(ctx, filepath.Join(s.dataDir, "resepsjon.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("open the database after «Avslutt»: %v", err)
	}
	defer db.Close()
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Errorf("integrity check after «Avslutt»: %v", err)
	}
}
