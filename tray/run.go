package tray

import (
	"log/slog"
	"sync"
	"time"
)

// Backend shows the tray icon with its menu. Run blocks until Stop is
// called (Stop before Run makes Run return at once); clicked is called for
// each item chosen, from any goroutine.
type Backend interface {
	Run(m Menu, clicked func(Action))
	Stop()
}

// Serving is what the tray needs from the running app.
type Serving struct {
	// LaunchURL is a fresh address that opens the app signed in.
	LaunchURL func() (string, error)
	// Quit stops the program the way the UI's «Avslutt» does: requests in
	// flight finish, background work stops at a safe point, the server
	// file and the lock are removed.
	Quit func()
}

// defaultStopWait is how long the tray may take to close after the app
// has stopped.
const defaultStopWait = 10 * time.Second

// Runner runs the app with a tray icon beside it.
type Runner struct {
	Backend Backend
	Menu    Menu
	// Open opens url in the browser.
	Open func(url string) error
	Log  *slog.Logger
	// StopWait is how long the tray may take to close after the app has
	// stopped; 0 means 10 seconds.
	StopWait time.Duration
	// Stuck is called with the app's result when the tray has not closed
	// within StopWait (the program then exits with that result); nil: wait.
	Stuck func(err error)
}

// Run calls serve on a goroutine of its own. Once serve reports through
// its argument that the app serves, Run shows the tray on the calling
// goroutine (the main thread, where Windows wants the tray's message loop)
// until serve returns, and returns serve's result. When serve returns
// without serving (another Resepsjon has the register, or it could not
// start), no tray is shown.
func (r Runner) Run(serve func(serving func(Serving)) error) error {
	done := make(chan error, 1)
	ready := make(chan Serving, 1)
	var once sync.Once
	go func() {
		done <- serve(func(s Serving) { once.Do(func() { ready <- s }) })
	}()
	var s Serving
	select {
	case err := <-done:
		return err
	case s = <-ready:
	}

	wait := r.StopWait
	if wait <= 0 {
		wait = defaultStopWait
	}
	trayClosed := make(chan struct{})
	result := make(chan error, 1)
	go func() {
		err := <-done
		r.Backend.Stop()
		select {
		case <-trayClosed:
		case <-time.After(wait):
			r.Log.Warn("the tray icon did not close after the app stopped", "waited", wait)
			if r.Stuck != nil {
				r.Stuck(err)
			}
		}
		result <- err
	}()
	r.Log.Info("tray icon shown")
	r.Backend.Run(r.Menu, func(a Action) { r.clicked(s, a) })
	close(trayClosed)
	select {
	case err := <-result:
		return err
	default:
		r.Log.Info("the tray icon closed; the app goes on serving until «Avslutt» in the app")
		return <-result
	}
}

// clicked carries out a menu item.
func (r Runner) clicked(s Serving, a Action) {
	switch a {
	case Open:
		// The address carries a one-time launch token: it is never logged.
		url, err := s.LaunchURL()
		if err == nil {
			err = r.Open(url)
		}
		if err != nil {
			r.Log.Warn("tray: could not open the browser", "err", err)
		}
	case Quit:
		r.Log.Info("quit requested from the tray")
		s.Quit()
	}
}
