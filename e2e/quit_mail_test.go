//go:build unix

package e2e

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"resepsjon/instance"
	"resepsjon/store"
)

// closedPort is a loopback port nothing listens on: an SMTP server that is
// down.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

// TestQuitWarnsOfUnsentMail: with the practice's SMTP server down, a
// patient portal activation mail stays in the outbox; «Avslutt» then names
// the unsent mail before it stops the program, which exits 0, leaves no
// server file, lets go of the lock and leaves a sound database.
func TestQuitWarnsOfUnsentMail(t *testing.T) {
	s := startApp(t, appConfig{Command: "serve", Env: []string{
		"RESEPSJON_PORTAL_ENABLED=true", "RESEPSJON_PORTAL_PORT=0",
		"RESEPSJON_MAIL_HOST=127.0.0.1", "RESEPSJON_MAIL_PORT=" + strconv.Itoa(closedPort(t)), "RESEPSJON_MAIL_SECURITY=none",
	}})
	var c struct {
		ID int64 `json:"id"`
	}
	if status := s.api(t, http.MethodPost, "/api/clients", map[string]any{"givenName": "Kari", "familyName": "Utpost",
		"email": "kari.utpost@example.no"}, &c); status != http.StatusCreated {
		t.Fatalf("create client: status %d", status)
	}
	if status := s.api(t, http.MethodPost, "/api/clients/"+strconv.FormatInt(c.ID, 10)+"/portal", map[string]any{
		"email": "kari.utpost@example.no", "rights": map[string]bool{"consultation": true}}, nil); status != http.StatusCreated {
		t.Fatalf("create portal access: status %d\n%s", status, s.out.String())
	}
	// The sender tries, fails to reach the server, and keeps the mail; it
	// runs in the child process, so its API is asked until it says so.
	deadline := time.Now().Add(20 * time.Second)
	for {
		var info struct {
			UnsentMail bool `json:"unsentMail"`
		}
		s.api(t, http.MethodGet, "/api/app", nil, &info)
		if info.UnsentMail {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the activation mail is not waiting in the outbox\n%s", s.out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}

	b := newBrowser(t)
	b.open(s.printedLaunchURL(t))
	b.waitFor("the client list", `document.querySelectorAll('#client-table tbody tr').length >= 1`)
	b.click("#nav-quit")
	b.waitFor("the quit question", `!!document.querySelector('#quit-dialog[open]')`)
	b.waitText("#quit-dialog", "E-post til pasientportalen venter på å bli sendt")
	if text := b.text("#quit-dialog"); !strings.Contains(text, "sendes først når Resepsjon startes igjen") {
		t.Errorf("the quit question does not say when the mail goes:\n%s", text)
	}
	b.checkLayout("quit question with unsent mail")
	b.screenshot("quit-dialog-unsent-mail")
	b.click("#quit-dialog [data-action=confirm]")
	b.waitFor("the stopped screen", `!!document.querySelector('#app-stopped')`)

	if err := s.waitExit(t, 15*time.Second); err != nil {
		t.Fatalf("resepsjon exited with %v after «Avslutt», want exit status 0\n%s", err, s.out.String())
	}
	if _, err := os.Stat(filepath.Join(s.dataDir, "server.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("server.json after «Avslutt»: %v, want it removed", err)
	}
	lock, err := instance.Acquire(filepath.Join(s.dataDir, "resepsjon.lock"))
	if err != nil {
		t.Errorf("the register's lock after «Avslutt»: %v, want it free", err)
	} else {
		lock.Release()
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
	// The mail is still there for the next start.
	if _, queued, err := db.NextDue(ctx); err != nil || !queued {
		t.Errorf("after «Avslutt» the outbox has queued mail %v (%v), want it kept", queued, err)
	}
}
