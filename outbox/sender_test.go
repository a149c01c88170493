package outbox_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"resepsjon/outbox"
	"resepsjon/outbox/smtptest"
	"resepsjon/portal"
	"resepsjon/store"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func openDB(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// queue writes a message to the outbox the way the portal does: with a
// change, in one transaction.
func queue(t testing.TB, db *store.DB, to string, at time.Time) {
	t.Helper()
	m := outbox.Message{Kind: "activation", To: to, Subject: "Aktiver tilgangen din", Text: "Hei,\n\nhttp://127.0.0.1/aktiver?t=abc\n",
		HTML: "<p>Hei</p>", MessageID: fmt.Sprintf("<%d@example.no>", at.UnixNano()), CreatedAt: at}
	if _, err := db.Apply(context.Background(), portal.Change{Messages: []outbox.Message{m},
		Audit: portal.Audit{Time: at, Actor: "test", Action: portal.ActionCreate, Detail: "test"}}); err != nil {
		t.Fatal(err)
	}
}

func smtpTransport(srv *smtptest.Server, user, pass string) *outbox.SMTP {
	return outbox.NewSMTP(outbox.SMTPConfig{Host: "127.0.0.1", Port: srv.Port(), Security: outbox.SecurityStartTLS, User: user,
		Password: func(context.Context) (string, error) { return pass, nil },
		From: func(context.Context) (string, string, error) {
			return "Fysio Nord", "post@fysio.example.no", nil
		},
		TLSConfig: &tls.Config{RootCAs: srv.RootCAs, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12},
		Timeout:   5 * time.Second})
}

func startSMTP(t *testing.T, opts smtptest.Options) *smtptest.Server {
	t.Helper()
	srv, err := smtptest.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func TestDeliverOverSTARTTLSWithLogin(t *testing.T) {
	srv := startSMTP(t, smtptest.Options{User: "resepsjon", Password: "hemmelig"})
	db := openDB(t, filepath.Join(t.TempDir(), "o.db"))
	clk := &clock{t: time.Now()}
	queue(t, db, "kari@example.no", clk.Now())
	s := outbox.NewSender(outbox.SenderConfig{Store: db, Transport: smtpTransport(srv, "resepsjon", "hemmelig"), Now: clk.Now})
	n, err := s.DeliverDue(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("DeliverDue = %d, %v", n, err)
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].To[0] != "kari@example.no" || got[0].From != "post@fysio.example.no" {
		t.Fatalf("received: %+v", got)
	}
	data := string(got[0].Data)
	for _, want := range []string{"Message-ID: <", "text/plain", "text/html", "Subject: Aktiver tilgangen din", "Fysio Nord"} {
		if !strings.Contains(data, want) {
			t.Errorf("mail lacks %q:\n%s", want, data)
		}
	}
	msgs, _ := db.Messages(context.Background(), 10)
	if msgs[0].State != outbox.StateSent || msgs[0].SentAt == nil || msgs[0].Text != "" {
		t.Errorf("stored after delivery: %+v", msgs[0])
	}
	if n, _ := s.DeliverDue(context.Background()); n != 0 || len(srv.Messages()) != 1 {
		t.Errorf("a sent message went again")
	}
}

func TestFailures(t *testing.T) {
	tests := []struct {
		name       string
		setup      func(srv *smtptest.Server) outbox.Transport
		to         string
		wantReason string
		wantState  string
	}{
		{"server down", func(srv *smtptest.Server) outbox.Transport { srv.Stop(); return smtpTransport(srv, "", "") },
			"a@example.no", outbox.ReasonUnreachable, outbox.StateQueued},
		{"wrong password", func(srv *smtptest.Server) outbox.Transport { return smtpTransport(srv, "resepsjon", "feil") },
			"a@example.no", outbox.ReasonAuth, outbox.StateQueued},
		{"recipient refused", func(srv *smtptest.Server) outbox.Transport {
			srv.Refuse("finnes.ikke@example.no")
			return smtpTransport(srv, "resepsjon", "hemmelig")
		}, "finnes.ikke@example.no", outbox.ReasonRecipient, outbox.StateFailed},
		{"no TLS trust", func(srv *smtptest.Server) outbox.Transport {
			return outbox.NewSMTP(outbox.SMTPConfig{Host: "127.0.0.1", Port: srv.Port(),
				From: func(context.Context) (string, string, error) { return "", "post@example.no", nil }, Timeout: 5 * time.Second})
		}, "a@example.no", outbox.ReasonTLS, outbox.StateQueued},
		{"no mail server configured", func(srv *smtptest.Server) outbox.Transport { return outbox.NewSMTP(outbox.SMTPConfig{}) },
			"a@example.no", outbox.ReasonNotConfigure, outbox.StateQueued},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startSMTP(t, smtptest.Options{User: "resepsjon", Password: "hemmelig"})
			db := openDB(t, filepath.Join(t.TempDir(), "o.db"))
			clk := &clock{t: time.Now()}
			queue(t, db, tt.to, clk.Now())
			s := outbox.NewSender(outbox.SenderConfig{Store: db, Transport: tt.setup(srv), Now: clk.Now})
			if n, err := s.DeliverDue(context.Background()); err != nil || n != 0 {
				t.Fatalf("DeliverDue = %d, %v", n, err)
			}
			msgs, _ := db.Messages(context.Background(), 1)
			m := msgs[0]
			if m.LastError != tt.wantReason || m.State != tt.wantState || m.Attempts != 1 {
				t.Fatalf("after a failed attempt: state %s, reason %s, attempts %d", m.State, m.LastError, m.Attempts)
			}
			if tt.wantState == outbox.StateQueued && !m.NextAttemptAt.After(clk.Now()) {
				t.Errorf("next attempt %v is not later", m.NextAttemptAt)
			}
			if len(srv.Messages()) != 0 {
				t.Errorf("the server kept a message")
			}
		})
	}
}

// The server is down when the mail is queued; the message waits, and once
// the server is back it is delivered exactly once.
func TestDownThenBackDeliveredOnce(t *testing.T) {
	srv := startSMTP(t, smtptest.Options{})
	db := openDB(t, filepath.Join(t.TempDir(), "o.db"))
	clk := &clock{t: time.Now()}
	s := outbox.NewSender(outbox.SenderConfig{Store: db, Transport: smtpTransport(srv, "", ""), Now: clk.Now, FirstRetry: time.Minute})
	srv.Stop()
	queue(t, db, "ola@example.no", clk.Now())
	for range 3 {
		s.DeliverDue(context.Background())
	}
	msgs, _ := db.Messages(context.Background(), 1)
	if msgs[0].Attempts != 1 || msgs[0].State != outbox.StateQueued {
		t.Fatalf("only one attempt until the pause is over: %+v", msgs[0])
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	clk.Add(2 * time.Minute)
	for range 3 {
		s.DeliverDue(context.Background())
	}
	if got := srv.Messages(); len(got) != 1 {
		t.Fatalf("delivered %d times, want once", len(got))
	}
}

func TestRunWakesAndResumes(t *testing.T) {
	srv := startSMTP(t, smtptest.Options{})
	dir := t.TempDir()
	db := openDB(t, filepath.Join(dir, "o.db"))
	queue(t, db, "first@example.no", time.Now())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := outbox.NewSender(outbox.SenderConfig{Store: db, Transport: smtpTransport(srv, "", "")})
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
	defer wcancel()
	if _, err := srv.WaitFor(wctx, 1); err != nil {
		t.Fatalf("a message queued before Run: %v", err)
	}
	queue(t, db, "second@example.no", time.Now())
	s.Wake()
	if _, err := srv.WaitFor(wctx, 2); err != nil {
		t.Fatalf("a message queued while running: %v", err)
	}
	cancel()
	<-done
	if n := len(srv.Messages()); n != 2 {
		t.Errorf("%d messages, want 2", n)
	}
}

func TestBackoffGrowsToCap(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "o.db"))
	clk := &clock{t: time.Now()}
	down := outbox.NewSMTP(outbox.SMTPConfig{})
	s := outbox.NewSender(outbox.SenderConfig{Store: db, Transport: down, Now: clk.Now, FirstRetry: time.Second, MaxRetry: 8 * time.Second})
	queue(t, db, "x@example.no", clk.Now())
	var waits []time.Duration
	for range 6 {
		s.DeliverDue(context.Background())
		msgs, _ := db.Messages(context.Background(), 1)
		w := msgs[0].NextAttemptAt.Sub(clk.Now())
		waits = append(waits, w)
		clk.Add(w)
	}
	want := []time.Duration{1, 2, 4, 8, 8, 8}
	for i := range want {
		if waits[i] != want[i]*time.Second {
			t.Fatalf("pauses %v, want %v seconds", waits, want)
		}
	}
}

// TestCrashBetweenQueueAndDelivery kills (SIGKILL) a process that queued a
// mail while the server was unreachable; after the restart the mail is
// delivered exactly once.
func TestCrashBetweenQueueAndDelivery(t *testing.T) {
	if os.Getenv("OUTBOX_CRASH_HELPER") != "" {
		crashHelper()
		return
	}
	srv := startSMTP(t, smtptest.Options{})
	path := filepath.Join(t.TempDir(), "crash.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashBetweenQueueAndDelivery$")
	cmd.Env = append(os.Environ(), "OUTBOX_CRASH_HELPER="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	ready := false
	for sc.Scan() {
		if sc.Text() == "queued" {
			ready = true
			break
		}
	}
	if !ready {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the helper did not queue")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	for round := range 2 { // two restarts: the second must send nothing
		db, err := store.Open(context.Background(), path, nil)
		if err != nil {
			t.Fatal(err)
		}
		s := outbox.NewSender(outbox.SenderConfig{Store: db, Transport: smtpTransport(srv, "", ""),
			Now: func() time.Time { return time.Now().Add(time.Hour) }})
		if _, err := s.DeliverDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if n := len(srv.Messages()); n != 1 {
			t.Fatalf("after restart %d: delivered %d times, want once", round+1, n)
		}
	}
}

// crashHelper queues a mail, fails to deliver it (no server), says so and
// waits to be killed.
func crashHelper() {
	path := os.Getenv("OUTBOX_CRASH_HELPER")
	db, err := store.Open(context.Background(), path, nil)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	now := time.Now()
	m := outbox.Message{Kind: "activation", To: "krasj@example.no", Subject: "Aktiver", Text: "lenke", MessageID: "<krasj@example.no>", CreatedAt: now}
	if _, err := db.Apply(context.Background(), portal.Change{Messages: []outbox.Message{m},
		Audit: portal.Audit{Time: now, Actor: "test", Action: portal.ActionCreate}}); err != nil {
		fmt.Println("queue:", err)
		os.Exit(2)
	}
	s := outbox.NewSender(outbox.SenderConfig{Store: db, Transport: outbox.NewSMTP(outbox.SMTPConfig{Host: "127.0.0.1", Port: 1,
		Security: outbox.SecurityNone, From: func(context.Context) (string, string, error) { return "", "a@example.no", nil }})})
	s.DeliverDue(context.Background())
	fmt.Println("queued")
	// This child process is killed by its parent now; the minute is only
	// an upper bound should it not be.
	time.Sleep(time.Minute)
	os.Exit(3)
}
