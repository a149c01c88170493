package app

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"os"

	"github.com/labstack/echo/v4"
)

// AppInfo is GET /api/app: what the UI needs before its first screen and
// what «Om Resepsjon» shows for support.
type AppInfo struct {
	Version  string `json:"version"`
	Commit   string `json:"commit"`
	Built    string `json:"built"`
	Go       string `json:"go"`
	Platform string `json:"platform"`
	Demo     bool   `json:"demo"`
	Language string `json:"language"`
	DataDir  string `json:"dataDir"`
	// DBBytes is the database's size on disk with its write-ahead log;
	// -1 when it cannot be read.
	DBBytes int64 `json:"dbBytes"`
	// CanQuit says the UI's «Avslutt» stops the program.
	CanQuit bool `json:"canQuit"`
	// Practice is the practice's name from the Persontjenesten settings, shown
	// in the top bar; empty until the manager has entered it.
	Practice string `json:"practice"`
	// UpdateAllRunning says «Oppdater alle» is running: quitting stops it
	// after the client being saved.
	UpdateAllRunning bool `json:"updateAllRunning"`
	// UnsentMail says portal mail waits in the outbox: quitting leaves it
	// unsent until Resepsjon runs again.
	UnsentMail bool `json:"unsentMail"`
}

func (s *Server) appInfo(c echo.Context) error {
	b := s.cfg.Build
	if b.Version == "" {
		b.Version = s.cfg.Version
	}
	var practice string
	if cur, err := s.conn.Load(c.Request().Context()); err == nil {
		practice = cur.Settings.Name
	}
	return c.JSON(http.StatusOK, AppInfo{
		Version: b.Version, Commit: b.Commit, Built: b.Date, Go: b.Go, Platform: b.OS,
		Demo: s.cfg.Demo, Language: s.cfg.Language, DataDir: s.cfg.DataDir,
		DBBytes: dbSize(s.cfg.DBPath), CanQuit: s.cfg.Quit != nil,
		Practice: practice, UpdateAllRunning: s.refresh.Running(), UnsentMail: s.unsentMail(c.Request().Context()),
	})
}

// unsentMail reports whether portal mail is queued; a failed look counts
// as none (the warning is a courtesy, the mail stays queued either way).
func (s *Server) unsentMail(ctx context.Context) bool {
	q := s.cfg.Portal.Queue
	if q == nil {
		return false
	}
	_, queued, err := q.NextDue(ctx)
	if err != nil {
		s.log.Warn("could not read the outbox for the quit warning", "err", err)
		return false
	}
	return queued
}

// dbSize adds the database file and its -wal file; -1 when the database
// cannot be read (or none is configured).
func dbSize(path string) int64 {
	if path == "" {
		return -1
	}
	st, err := os.Stat(path)
	if err != nil {
		return -1
	}
	n := st.Size()
	if wal, err := os.Stat(path + "-wal"); err == nil {
		n += wal.Size()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return -1
	}
	return n
}

// postQuit is the UI's «Avslutt»: it answers first, then asks the program to
// stop. Serve then lets requests in flight finish, stops «Oppdater alle»
// after the client being saved, and returns.
func (s *Server) postQuit(c echo.Context) error {
	if s.cfg.Quit == nil {
		return newError(http.StatusNotFound, "route_not_found")
	}
	s.log.Info("quit requested from the UI")
	if err := c.JSON(http.StatusAccepted, map[string]string{"status": "stopping"}); err != nil {
		return err
	}
	c.Response().Flush()
	s.cfg.Quit()
	return nil
}
