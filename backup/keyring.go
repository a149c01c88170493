package backup

import (
	"context"
	"errors"
	"fmt"
	"sync"

	keyring "github.com/zalando/go-keyring"
)

// Where the OS keyring keeps the backup passphrase.
const (
	keyringService = "resepsjon"
	keyringAccount = "backup-passphrase"
)

// KeyringPassphrases keeps the backup passphrase in the OS keyring (Secret
// Service on Linux, Keychain on macOS, Credential Manager on Windows).
type KeyringPassphrases struct {
	// Account overrides the keyring account (tests use their own).
	Account string
}

func (k KeyringPassphrases) account() string {
	if k.Account != "" {
		return k.Account
	}
	return keyringAccount
}

// Get returns the stored passphrase, or ErrNoPassphrase.
func (k KeyringPassphrases) Get(ctx context.Context) (string, error) {
	var p string
	err := keyringCall(ctx, func() error {
		var err error
		p, err = keyring.Get(keyringService, k.account())
		return err
	})
	if errors.Is(err, keyring.ErrNotFound) {
		return "", ErrNoPassphrase
	}
	if err != nil {
		return "", fmt.Errorf("read backup passphrase from the OS keyring: %w", err)
	}
	return p, nil
}

// Set stores the passphrase, replacing an earlier one.
func (k KeyringPassphrases) Set(ctx context.Context, passphrase string) error {
	if err := keyringCall(ctx, func() error { return keyring.Set(keyringService, k.account(), passphrase) }); err != nil {
		return fmt.Errorf("store backup passphrase in the OS keyring: %w", err)
	}
	return nil
}

// Delete removes the stored passphrase.
func (k KeyringPassphrases) Delete(ctx context.Context) error {
	err := keyringCall(ctx, func() error { return keyring.Delete(keyringService, k.account()) })
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("delete backup passphrase from the OS keyring: %w", err)
	}
	return nil
}

// keyringCall runs a keyring call, which takes no context, so that a hanging
// D-Bus cannot hold the caller past ctx.
func keyringCall(ctx context.Context, call func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- call() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// MemoryPassphrases keeps the passphrase in memory: the demo, and tests
// that are not about the keyring.
type MemoryPassphrases struct {
	mu sync.Mutex
	p  string
}

// Get returns the passphrase, or ErrNoPassphrase.
func (m *MemoryPassphrases) Get(context.Context) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.p == "" {
		return "", ErrNoPassphrase
	}
	return m.p, nil
}

// Set stores the passphrase.
func (m *MemoryPassphrases) Set(_ context.Context, p string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.p = p
	return nil
}
