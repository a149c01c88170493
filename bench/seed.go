package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"resepsjon/store"
	"resepsjon/store/storetest"
)

// seedDataDir creates dir (mode 0700) with a resepsjon.db holding n
// synthetic clients, the way the app would have stored them.
func seedDataDir(ctx context.Context, dir string, n int) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	db, err := store.Open(ctx, filepath.Join(dir, "resepsjon.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if n > 0 {
		if err := db.ImportClients(ctx, storetest.Clients(1, n)); err != nil {
			db.Close()
			return fmt.Errorf("seed: %w", err)
		}
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}
