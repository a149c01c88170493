// Package backup keeps the practice's register safe by itself: a consistent
// copy of the database (the store's VACUUM INTO and integrity check) goes to
// a folder the practice chooses — a second disk, a USB disk, a network share
// or a synced cloud folder — on a schedule and when the program stops, under
// a temporary name that is renamed when complete, with a checksum file and,
// if chosen, encrypted with a passphrase kept in the OS keyring. Old backups
// are thinned out (7 daily, 4 weekly, 12 monthly). The status says when the
// last good backup was made and whether it is older than the schedule allows
// or the folder cannot be reached, so the first screen can warn.
//
// Restore (restore.go) checks a backup and swaps it in, keeping the current
// register as a backup first.
//
// It knows neither HTTP nor SQL: the store makes the copy, the app and the
// command line call the Service.
package backup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"resepsjon/register"
)

// Settings keys in the register's settings table.
const (
	settingsKey = "backup.settings"
	statusKey   = "backup.status"
)

// Schedules.
const (
	ScheduleDaily  = "daily"
	ScheduleHourly = "hourly"
)

// Settings are the practice's backup settings.
type Settings struct {
	// Folder is where backups go; empty means backups are not set up.
	Folder     string `json:"folder"`
	Schedule   string `json:"schedule"`   // ScheduleDaily or ScheduleHourly
	AtShutdown bool   `json:"atShutdown"` // also when the program stops
	// Encrypt encrypts backups with the passphrase in the OS keyring.
	Encrypt   bool      `json:"encrypt"`
	Retention Retention `json:"retention"`
}

// DefaultSettings: daily and at shutdown, keeping 7 daily, 4 weekly and 12
// monthly backups, no folder yet.
func DefaultSettings() Settings {
	return Settings{Schedule: ScheduleDaily, AtShutdown: true, Retention: DefaultRetention}
}

// Interval is how often the schedule asks for a backup.
func (s Settings) Interval() time.Duration {
	if s.Schedule == ScheduleHourly {
		return time.Hour
	}
	return 24 * time.Hour
}

// allowedAge is how old the last good backup may be before the status warns:
// the interval and a quarter of it (a PC that was off for the night is not
// a problem; a daily backup that is 30 hours old is).
func (s Settings) allowedAge() time.Duration {
	return s.Interval() + s.Interval()/4
}

// SettingsError means settings cannot be saved; Field names which.
type SettingsError struct {
	Field, Code string
}

func (e *SettingsError) Error() string { return "backup settings: " + e.Field + ": " + e.Code }

// Copier makes a consistent, checked copy of the register to a new file.
type Copier interface {
	Backup(ctx context.Context, dest string) error
}

// Passphrases keeps the backup passphrase (the OS keyring).
type Passphrases interface {
	Get(ctx context.Context) (string, error) // ErrNoPassphrase when none is set
	Set(ctx context.Context, passphrase string) error
}

// ErrNoPassphrase means no backup passphrase is stored.
var ErrNoPassphrase = errors.New("no backup passphrase is stored")

// Config wires a Service.
type Config struct {
	Copier      Copier
	Settings    register.SettingsStore
	Passphrases Passphrases
	// WorkDir holds the unencrypted copy while it is encrypted: the data
	// directory, never the backup folder.
	WorkDir string
	Clock   register.Clock
	Logger  *slog.Logger
	// Location is the practice's time zone for retention; nil: local.
	Location *time.Location
	// ScryptWorkFactor for encryption; 0: age's default. Tests lower it.
	ScryptWorkFactor int
}

// Service makes backups and reports on them. It is safe for concurrent use;
// two backups never run at once.
type Service struct {
	cfg Config
	mu  sync.Mutex // one backup at a time
}

// New returns a Service.
func New(cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Location == nil {
		cfg.Location = time.Local
	}
	return &Service{cfg: cfg}
}

// Settings returns the stored settings, or the defaults.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	v, ok, err := s.cfg.Settings.GetSetting(ctx, settingsKey)
	if err != nil {
		return Settings{}, fmt.Errorf("backup settings: %w", err)
	}
	set := DefaultSettings()
	if ok {
		if err := json.Unmarshal([]byte(v), &set); err != nil {
			return Settings{}, fmt.Errorf("backup settings: %w", err)
		}
	}
	if set.Retention == (Retention{}) {
		set.Retention = DefaultRetention
	}
	return set, nil
}

// SaveSettings checks and stores settings. The folder must exist and be
// writable; encryption needs a passphrase, given here (it goes to the
// keyring, never the database) or already in the keyring.
func (s *Service) SaveSettings(ctx context.Context, set Settings, passphrase string) error {
	if set.Schedule != ScheduleDaily && set.Schedule != ScheduleHourly {
		return &SettingsError{Field: "schedule", Code: "backup.schedule"}
	}
	if r := set.Retention; r.Daily < 1 || r.Weekly < 0 || r.Monthly < 0 || r.Daily > 366 || r.Weekly > 520 || r.Monthly > 240 {
		return &SettingsError{Field: "retention", Code: "backup.retention"}
	}
	if set.Folder != "" {
		if !filepath.IsAbs(set.Folder) {
			return &SettingsError{Field: "folder", Code: "backup.folder_relative"}
		}
		set.Folder = filepath.Clean(set.Folder)
		if err := checkFolder(set.Folder); err != nil {
			return &SettingsError{Field: "folder", Code: "backup.folder_invalid"}
		}
	}
	if set.Encrypt {
		switch {
		case passphrase != "":
			if len([]rune(passphrase)) < 12 {
				return &SettingsError{Field: "passphrase", Code: "backup.passphrase_short"}
			}
			if err := s.cfg.Passphrases.Set(ctx, passphrase); err != nil {
				return fmt.Errorf("save backup passphrase: %w", err)
			}
		default:
			if _, err := s.cfg.Passphrases.Get(ctx); err != nil {
				return &SettingsError{Field: "passphrase", Code: "backup.passphrase_missing"}
			}
		}
	}
	b, err := json.Marshal(set)
	if err != nil {
		return err
	}
	if err := s.cfg.Settings.PutSetting(ctx, settingsKey, string(b)); err != nil {
		return fmt.Errorf("save backup settings: %w", err)
	}
	return nil
}

// checkFolder makes sure folder is a directory this program can write in.
func checkFolder(folder string) error {
	info, err := os.Stat(folder)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a folder", folder)
	}
	f, err := os.CreateTemp(folder, ".resepsjon-write-test-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// record is what the status keeps between runs.
type record struct {
	LastGood     time.Time `json:"lastGood"`
	LastGoodFile string    `json:"lastGoodFile"`
	LastAttempt  time.Time `json:"lastAttempt"`
	LastError    string    `json:"lastError"` // empty when the last attempt succeeded
}

func (s *Service) record(ctx context.Context) (record, error) {
	var r record
	v, ok, err := s.cfg.Settings.GetSetting(ctx, statusKey)
	if err != nil || !ok {
		return r, err
	}
	if err := json.Unmarshal([]byte(v), &r); err != nil {
		return record{}, fmt.Errorf("backup status: %w", err)
	}
	return r, nil
}

func (s *Service) putRecord(ctx context.Context, r record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.cfg.Settings.PutSetting(ctx, statusKey, string(b))
}

// Status is what the app shows about backups.
type Status struct {
	Configured   bool      `json:"configured"`
	Folder       string    `json:"folder"`
	Encrypted    bool      `json:"encrypted"`
	LastGood     time.Time `json:"lastGood"`     // zero: never
	LastGoodFile string    `json:"lastGoodFile"` // name in the folder
	LastError    string    `json:"lastError"`    // of the last attempt, if it failed
	LastAttempt  time.Time `json:"lastAttempt"`
	// Warning is a message code when the practice should act: the
	// backups are not set up, the folder cannot be reached, or the last
	// good backup is older than the schedule allows. Empty when all is well.
	Warning string `json:"warning"`
	Count   int    `json:"count"` // backups in the folder
}

// Warning codes.
const (
	WarnNotConfigured = "backup.not_configured"
	WarnUnreachable   = "backup.folder_unreachable"
	WarnOverdue       = "backup.overdue"
	WarnNever         = "backup.never"
)

// Status reports on the backups now: it looks at the folder too.
func (s *Service) Status(ctx context.Context) (Status, error) {
	set, err := s.Settings(ctx)
	if err != nil {
		return Status{}, err
	}
	rec, err := s.record(ctx)
	if err != nil {
		return Status{}, err
	}
	st := Status{
		Configured: set.Folder != "", Folder: set.Folder, Encrypted: set.Encrypt,
		LastGood: rec.LastGood, LastGoodFile: rec.LastGoodFile, LastError: rec.LastError, LastAttempt: rec.LastAttempt,
	}
	now := s.cfg.Clock()
	switch {
	case set.Folder == "":
		st.Warning = WarnNotConfigured
	case checkFolder(set.Folder) != nil:
		st.Warning = WarnUnreachable
	case rec.LastGood.IsZero():
		st.Warning = WarnNever
	case now.Sub(rec.LastGood) > set.allowedAge():
		st.Warning = WarnOverdue
	}
	if set.Folder != "" && st.Warning != WarnUnreachable {
		if files, err := List(set.Folder); err == nil {
			st.Count = len(files)
		}
	}
	return st, nil
}

// Due reports whether the schedule asks for a backup now.
func (s *Service) Due(ctx context.Context) (bool, error) {
	set, err := s.Settings(ctx)
	if err != nil || set.Folder == "" {
		return false, err
	}
	rec, err := s.record(ctx)
	if err != nil {
		return false, err
	}
	now := s.cfg.Clock()
	if rec.LastGood.IsZero() || now.Sub(rec.LastGood) >= set.Interval() {
		// After a failure, wait a few minutes before the next try.
		return rec.LastError == "" || now.Sub(rec.LastAttempt) >= retryAfter, nil
	}
	return false, nil
}

// retryAfter is how long the scheduler waits after a failed backup.
const retryAfter = 5 * time.Minute

// ErrNotConfigured means no backup folder is set.
var ErrNotConfigured = errors.New("no backup folder is set")

// Result is one backup made.
type Result struct {
	File    File     `json:"file"`
	Removed []string `json:"removed"` // old backups thinned out
}

// Run makes one backup now into the configured folder, then thins out old
// ones. The outcome, good or bad, goes into the status.
func (s *Service) Run(ctx context.Context) (Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	set, err := s.Settings(ctx)
	if err != nil {
		return Result{}, err
	}
	if set.Folder == "" {
		return Result{}, ErrNotConfigured
	}
	rec, err := s.record(ctx)
	if err != nil {
		return Result{}, err
	}
	now := s.cfg.Clock()
	rec.LastAttempt = now
	res, err := s.run(ctx, set, now)
	if err != nil {
		rec.LastError = err.Error()
		s.cfg.Logger.WarnContext(ctx, "backup failed", "folder", set.Folder, "err", err)
	} else {
		rec.LastError, rec.LastGood, rec.LastGoodFile = "", now, res.File.Name
		s.cfg.Logger.InfoContext(ctx, "backup made", "file", res.File.Path, "removed", len(res.Removed))
	}
	if perr := s.putRecord(ctx, rec); perr != nil {
		return res, errors.Join(err, fmt.Errorf("record backup status: %w", perr))
	}
	return res, err
}

func (s *Service) run(ctx context.Context, set Settings, now time.Time) (Result, error) {
	if err := checkFolder(set.Folder); err != nil {
		return Result{}, fmt.Errorf("backup folder: %w", err)
	}
	var passphrase string
	if set.Encrypt {
		p, err := s.cfg.Passphrases.Get(ctx)
		if err != nil {
			// Never fall back to an unencrypted copy.
			return Result{}, fmt.Errorf("backup passphrase: %w", err)
		}
		passphrase = p
	}
	// The copy is made in the work directory (on the register's own disk:
	// SQLite writing over a network share is what to avoid) and then
	// streamed to the folder.
	work, err := os.MkdirTemp(s.cfg.WorkDir, ".backup-*")
	if err != nil {
		return Result{}, fmt.Errorf("backup work folder: %w", err)
	}
	defer os.RemoveAll(work)
	plain := filepath.Join(work, "copy.db")
	if err := s.cfg.Copier.Backup(ctx, plain); err != nil {
		return Result{}, err
	}
	name := fileName(now, set.Encrypt)
	if _, err := os.Lstat(filepath.Join(set.Folder, name)); err == nil {
		return Result{}, fmt.Errorf("backup %s exists already", name)
	}
	sum, err := writeFile(set.Folder, name, func(w io.Writer) error {
		if !set.Encrypt {
			return copyFile(w, plain)
		}
		ew, err := encryptTo(w, passphrase, s.cfg.ScryptWorkFactor)
		if err != nil {
			return err
		}
		if err := copyFile(ew, plain); err != nil {
			return err
		}
		return ew.Close()
	})
	if err != nil {
		return Result{}, fmt.Errorf("write backup to %s: %w", set.Folder, err)
	}
	if err := writeChecksum(set.Folder, name, sum); err != nil {
		os.Remove(filepath.Join(set.Folder, name))
		return Result{}, fmt.Errorf("write backup checksum: %w", err)
	}
	info, err := os.Stat(filepath.Join(set.Folder, name))
	if err != nil {
		return Result{}, err
	}
	res := Result{File: File{Name: name, Path: filepath.Join(set.Folder, name), Time: now.UTC().Truncate(time.Second), Size: info.Size(), Encrypted: set.Encrypt}}
	files, err := List(set.Folder)
	if err != nil {
		return res, nil // the backup is made; thinning out waits for the next run
	}
	_, remove := set.Retention.Prune(files, s.cfg.Location)
	for _, f := range remove {
		if err := os.Remove(f.Path); err != nil {
			s.cfg.Logger.WarnContext(ctx, "could not remove old backup", "file", f.Path, "err", err)
			continue
		}
		os.Remove(f.Path + ChecksumExt)
		res.Removed = append(res.Removed, f.Name)
	}
	return res, nil
}

// Schedule runs backups while ctx lasts: it looks every tick whether one is
// due. At the end, if the settings ask for it, it makes one more backup
// (the backup at shutdown) with shutdown as its context.
func (s *Service) Schedule(ctx context.Context, tick <-chan time.Time, shutdown func() context.Context) {
	for {
		if due, err := s.Due(ctx); err == nil && due {
			s.Run(ctx)
		}
		select {
		case <-ctx.Done():
			set, err := s.Settings(shutdown())
			if err == nil && set.Folder != "" && set.AtShutdown {
				s.Run(shutdown())
			}
			return
		case <-tick:
		}
	}
}
