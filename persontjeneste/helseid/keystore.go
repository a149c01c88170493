package helseid

import (
	"context"
	"errors"
	"fmt"
	"sync"

	keyring "github.com/zalando/go-keyring"
)

// KeyringService is the service name under which KeyringStore keeps keys;
// the account is the key's kid and the secret its private JWK.
const KeyringService = "resepsjon"

var (
	// ErrKeyNotFound is returned when a store holds no key with the kid.
	ErrKeyNotFound = errors.New("key not found")
	// ErrNoKeyring wraps the cause when the OS keyring (Secret Service on
	// Linux) is missing, locked, refuses the operation or does not answer
	// in time. There is deliberately no plaintext fallback.
	ErrNoKeyring = errors.New("OS keyring not available")
)

// KeyStore keeps HelseID signing keys by kid.
type KeyStore interface {
	Save(ctx context.Context, k *Key) error
	Load(ctx context.Context, kid string) (*Key, error)
	Delete(ctx context.Context, kid string) error
}

// MemoryKeyStore keeps keys in memory only (demo mode and tests). It is safe
// for concurrent use.
type MemoryKeyStore struct {
	mu   sync.Mutex
	keys map[string]*Key
}

// NewMemoryKeyStore returns an empty in-memory store.
func NewMemoryKeyStore() *MemoryKeyStore {
	return &MemoryKeyStore{keys: make(map[string]*Key)}
}

// Save stores k under its kid, replacing any key with the same kid.
func (s *MemoryKeyStore) Save(ctx context.Context, k *Key) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("save key: %w", err)
	}
	if k == nil {
		return errors.New("save key: nil key")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[k.KID()] = k
	return nil
}

// Load returns the key with kid or an error wrapping ErrKeyNotFound.
func (s *MemoryKeyStore) Load(ctx context.Context, kid string) (*Key, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("load key: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[kid]
	if !ok {
		return nil, fmt.Errorf("load key %q: %w", kid, ErrKeyNotFound)
	}
	return k, nil
}

// Delete removes the key with kid or returns an error wrapping
// ErrKeyNotFound.
func (s *MemoryKeyStore) Delete(ctx context.Context, kid string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete key: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.keys[kid]; !ok {
		return fmt.Errorf("delete key %q: %w", kid, ErrKeyNotFound)
	}
	delete(s.keys, kid)
	return nil
}

// secretBackend is the part of go-keyring KeyringStore uses; tests replace
// it to exercise error mapping and cancellation without a Secret Service.
type secretBackend interface {
	Set(service, user, password string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// goKeyring calls the OS keyring through github.com/zalando/go-keyring.
type goKeyring struct{}

func (goKeyring) Set(service, user, password string) error {
	return keyring.Set(service, user, password)
}
func (goKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (goKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

// KeyringStore keeps keys in the OS keyring (Secret Service on Linux,
// Keychain on macOS, Credential Manager on Windows): service "resepsjon",
// account = kid, secret = the key in its compact stored form (keyform.go).
type KeyringStore struct {
	service string
	backend secretBackend
}

// NewKeyringStore returns a store backed by the OS keyring.
func NewKeyringStore() *KeyringStore {
	return &KeyringStore{service: KeyringService, backend: goKeyring{}}
}

// Save stores k in the keyring, replacing a key with the same kid.
func (s *KeyringStore) Save(ctx context.Context, k *Key) error {
	if k == nil {
		return errors.New("save key: nil key")
	}
	secret, err := storedForm(k)
	if err != nil {
		return fmt.Errorf("save key: %w", err)
	}
	_, err = callKeyring(ctx, func() (struct{}, error) {
		return struct{}{}, s.backend.Set(s.service, k.KID(), string(secret))
	})
	if err != nil {
		return fmt.Errorf("save key %q in keyring: %w", k.KID(), err)
	}
	return nil
}

// Load reads the key with kid from the keyring.
func (s *KeyringStore) Load(ctx context.Context, kid string) (*Key, error) {
	secret, err := callKeyring(ctx, func() (string, error) {
		return s.backend.Get(s.service, kid)
	})
	if err != nil {
		return nil, fmt.Errorf("load key %q from keyring: %w", kid, err)
	}
	k, err := parseStored([]byte(secret))
	if err != nil {
		return nil, fmt.Errorf("load key %q from keyring: %w", kid, err)
	}
	if k.KID() != kid {
		return nil, fmt.Errorf("load key %q from keyring: %w: stored key has kid %q", kid, ErrInvalidKey, k.KID())
	}
	return k, nil
}

// Delete removes the key with kid from the keyring.
func (s *KeyringStore) Delete(ctx context.Context, kid string) error {
	_, err := callKeyring(ctx, func() (struct{}, error) {
		return struct{}{}, s.backend.Delete(s.service, kid)
	})
	if err != nil {
		return fmt.Errorf("delete key %q from keyring: %w", kid, err)
	}
	return nil
}

type keyringResult[T any] struct {
	val T
	err error
}

// callKeyring runs a go-keyring call, which takes no context, in a goroutine
// so that a hanging D-Bus cannot block the caller past ctx. An abandoned
// call finishes in the background; its result is dropped.
func callKeyring[T any](ctx context.Context, call func() (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	done := make(chan keyringResult[T], 1)
	go func() {
		v, err := call()
		done <- keyringResult[T]{v, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return zero, mapKeyringError(r.err)
		}
		return r.val, nil
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return zero, fmt.Errorf("%w: no answer in time: %w", ErrNoKeyring, ctx.Err())
		}
		return zero, ctx.Err()
	}
}

func mapKeyringError(err error) error {
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return ErrKeyNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("key too large for the OS keyring: %w", err)
	default:
		return fmt.Errorf("%w: %w", ErrNoKeyring, err)
	}
}

// NoKeyring is the KeyStore of a machine without an OS keyring: every call
// fails with ErrNoKeyring, so the app says what to do instead of keeping a
// key in plain text.
type NoKeyring struct{}

// Save refuses: there is no keyring.
func (NoKeyring) Save(context.Context, *Key) error { return fmt.Errorf("save key: %w", ErrNoKeyring) }

// Load refuses: there is no keyring.
func (NoKeyring) Load(context.Context, string) (*Key, error) {
	return nil, fmt.Errorf("load key: %w", ErrNoKeyring)
}

// Delete refuses: there is no keyring.
func (NoKeyring) Delete(context.Context, string) error {
	return fmt.Errorf("delete key: %w", ErrNoKeyring)
}
