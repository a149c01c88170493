package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"resepsjon/app"
	"resepsjon/backup"
	"resepsjon/register"
	"resepsjon/store"
)

// errRestart means the program stopped to start again: a restore from the
// UI is waiting to be swapped in (see applyPendingRestore).
var errRestart = errors.New("restart requested")

// backupCheckEvery is how often the scheduler looks whether a backup is due.
const backupCheckEvery = time.Minute

// safekeeping is the running program's backups and restore: the scheduler
// and what the app's Transfer routes call.
type safekeeping struct {
	svc     *backup.Service
	restart atomic.Bool
	done    chan struct{}
}

// startSafekeeping starts the backup scheduler. stop waits for it, after the
// backup at shutdown: call it before the register is closed.
func startSafekeeping(ctx context.Context, db *store.DB, dataDir string, demo bool, log *slog.Logger) (*safekeeping, error) {
	var pass backup.Passphrases = backup.KeyringPassphrases{}
	if demo {
		pass = &backup.MemoryPassphrases{}
	}
	svc := backup.New(backup.Config{Copier: db, Settings: db, Passphrases: pass, WorkDir: dataDir, Logger: log})
	if demo {
		// The demo backs up into a folder of its own in the data
		// directory, so its backup page has something to show.
		set, err := svc.Settings(ctx)
		if err != nil {
			return nil, err
		}
		if set.Folder == "" {
			set.Folder = filepath.Join(dataDir, "demo-backups")
			if err := os.MkdirAll(set.Folder, 0o700); err != nil {
				return nil, err
			}
			if err := svc.SaveSettings(ctx, set, ""); err != nil {
				return nil, err
			}
		}
	}
	sk := &safekeeping{svc: svc, done: make(chan struct{})}
	ticker := time.NewTicker(backupCheckEvery)
	go func() {
		defer close(sk.done)
		defer ticker.Stop()
		svc.Schedule(ctx, ticker.C, func() context.Context { return context.WithoutCancel(ctx) })
	}()
	return sk, nil
}

// wait waits for the scheduler to finish its backup at shutdown.
func (sk *safekeeping) wait() { <-sk.done }

// transfer is the app's import, export, backup and restore wiring. A
// restore that passes its checks is noted for the next start and the
// program is stopped with quit, to start again (errRestart).
func (sk *safekeeping) transfer(db *store.DB, dataDir string, quit func()) app.TransferConfig {
	return app.TransferConfig{
		Import: db, Export: db, Backups: sk.svc,
		Restore: func(ctx context.Context, path string, opt backup.RestoreOptions) (register.DatabaseCheck, error) {
			staged, err := sk.svc.Prepare(ctx, path, opt, store.CheckDatabaseFile)
			if err != nil {
				return register.DatabaseCheck{}, err
			}
			if err := writePendingRestore(dataDir, staged); err != nil {
				staged.Discard()
				return register.DatabaseCheck{}, err
			}
			sk.restart.Store(true)
			// Stop after the answer has reached the browser.
			time.AfterFunc(500*time.Millisecond, quit)
			return staged.Check, nil
		},
	}
}
