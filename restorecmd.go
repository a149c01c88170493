package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	iofs "io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"resepsjon/backup"
	"resepsjon/config"
	"resepsjon/instance"
	"resepsjon/messages"
	"resepsjon/register"
	"resepsjon/store"
)

// restore is "resepsjon restore FILE": check a backup and put it in place of
// the register, keeping the current register as a file next to it.
func (env *environment) restore(ctx context.Context, args []string) error {
	fs := pflag.NewFlagSet("restore", pflag.ContinueOnError)
	fs.SetOutput(env.stderr)
	config.Flags(fs)
	withoutSum := fs.Bool("without-checksum", false, messages.Inline("cli.flag.restore.without_checksum"))
	passStdin := fs.Bool("passphrase-stdin", false, messages.Inline("cli.flag.restore.passphrase_stdin"))
	cfg, err := env.parseConfig(fs, args, 1, config.DefaultPort)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageText("cli.usage.restore")
	}
	lang := cfg.Language
	f := dataFiles(cfg.DataDir, false)
	if err := ensureDataDir(cfg.DataDir); err != nil {
		return err
	}
	// One process per register: a running Resepsjon restores from its
	// own settings page.
	lock, err := instance.Acquire(f.lock)
	if errors.Is(err, instance.ErrLocked) {
		return messages.Errorf(nil, "restore.running")
	}
	if err != nil {
		return err
	}
	defer lock.Release()
	opt := backup.RestoreOptions{WithoutChecksum: *withoutSum}
	if *passStdin {
		line, err := bufio.NewReader(env.stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("read passphrase: %w", err)
		}
		opt.Passphrase = strings.TrimRight(line, "\r\n")
	}
	log := newLogger(env.stderr, cfg.LogLevel)
	svc := backup.New(backup.Config{Passphrases: backup.KeyringPassphrases{}, WorkDir: cfg.DataDir, Logger: log})
	staged, err := svc.Prepare(ctx, fs.Arg(0), opt, store.CheckDatabaseFile)
	if err != nil {
		var re *backup.RestoreError
		if errors.As(err, &re) {
			return messages.Errorf(fmt.Errorf("%s: %w", fs.Arg(0), err), re.Code)
		}
		return err
	}
	kept, err := swapIn(ctx, f.db, cfg.DataDir, staged, log)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, messages.Get("restore.done", "error.internal", lang, staged.Check.Clients, fs.Arg(0)))
	if kept != "" {
		fmt.Fprintln(env.stdout, messages.Get("restore.kept", "error.internal", lang, kept))
	}
	fmt.Fprintln(env.stdout, messages.Get("restore.helseid", "error.internal", lang))
	return nil
}

// swapIn keeps the current register (if there is one) as a checked copy in
// the data directory, swaps the staged backup in and records the restore in
// the restored register's audit log. It returns the kept copy's path.
func swapIn(ctx context.Context, dbPath, dataDir string, staged backup.Staged, log *slog.Logger) (string, error) {
	kept := ""
	if _, err := os.Stat(dbPath); err == nil {
		kept = filepath.Join(dataDir, backup.KeptName(time.Now()))
		db, err := store.Open(ctx, dbPath, log)
		if err != nil {
			staged.Discard()
			return "", fmt.Errorf("open the current register to keep it: %w", err)
		}
		err = db.Backup(ctx, kept)
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			staged.Discard()
			return "", fmt.Errorf("keep the current register: %w", err)
		}
	} else if !errors.Is(err, iofs.ErrNotExist) {
		staged.Discard()
		return "", err
	}
	if err := backup.Swap(dbPath, staged, kept); err != nil {
		staged.Discard()
		return "", err
	}
	db, err := store.Open(ctx, dbPath, log)
	if err != nil {
		return kept, fmt.Errorf("open the restored register: %w", err)
	}
	defer db.Close()
	if _, err := db.RecordAudit(ctx, register.AuditEntry{
		Time: time.Now(), OSUser: currentOSUser(), Action: register.ActionRestore,
		Query: filepath.Base(staged.Source), Results: staged.Check.Clients, Outcome: register.OutcomeOK,
	}); err != nil {
		return kept, fmt.Errorf("record the restore: %w", err)
	}
	log.Info("register restored from backup", "backup", staged.Source, "kept", kept)
	return kept, nil
}

// pendingRestore is the note the app leaves in the data directory when the
// user restores a backup from the UI: the checked copy to swap in when the
// program starts again, before it opens the register.
type pendingRestore struct {
	Staged string                 `json:"staged"`
	Source string                 `json:"source"`
	Check  register.DatabaseCheck `json:"check"`
}

func pendingRestorePath(dataDir string) string {
	return filepath.Join(dataDir, "restore-pending.json")
}

// writePendingRestore leaves the note for the next start.
func writePendingRestore(dataDir string, st backup.Staged) error {
	b, err := json.Marshal(pendingRestore{Staged: st.Path, Source: st.Source, Check: st.Check})
	if err != nil {
		return err
	}
	tmp := pendingRestorePath(dataDir) + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, pendingRestorePath(dataDir))
}

// applyPendingRestore carries out a restore the UI asked for, at start-up
// before the register is opened. A note whose staged copy is gone is
// dropped; a failed swap leaves the current register in place.
func applyPendingRestore(ctx context.Context, dbPath, dataDir string, log *slog.Logger) error {
	b, err := os.ReadFile(pendingRestorePath(dataDir))
	if errors.Is(err, iofs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer os.Remove(pendingRestorePath(dataDir))
	var p pendingRestore
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("restore note: %w", err)
	}
	// The staged copy must be one this program made in the data directory.
	if filepath.Dir(p.Staged) != filepath.Clean(dataDir) || !strings.HasPrefix(filepath.Base(p.Staged), ".restore-") {
		return fmt.Errorf("restore note names %s, not a staged copy", p.Staged)
	}
	if _, err := os.Stat(p.Staged); err != nil {
		log.Warn("restore note without its staged copy: ignored", "err", err)
		return nil
	}
	// Look again: the copy waited on disk since it was checked.
	c, err := store.CheckDatabaseFile(ctx, p.Staged)
	if err != nil || !c.IsRegister || len(c.Problems) > 0 || c.SchemaVersion > c.KnownSchemaVersion {
		os.Remove(p.Staged)
		return fmt.Errorf("the backup to restore no longer passes its check; the current register stays: %v", err)
	}
	_, err = swapIn(ctx, dbPath, dataDir, backup.Staged{Path: p.Staged, Source: p.Source, Check: c}, log)
	return err
}
