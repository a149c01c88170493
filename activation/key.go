package activation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"resepsjon/persontjeneste/helseid"
	"resepsjon/register"
)

// KeyActiveError means a key is already active and the caller did not ask
// to replace it.
type KeyActiveError struct{ KID string }

func (e *KeyActiveError) Error() string {
	return fmt.Sprintf("a HelseID key is already active (%s)", e.KID)
}

// Installed is what InstallKey did besides making the key active.
type Installed struct {
	// Replaced is the key id that was active before, if another.
	Replaced string
	// ReplacedNotDeleted is why the replaced key is still in the key
	// store (nil when it was deleted); the user deletes it by hand.
	ReplacedNotDeleted error
}

// NewKey makes a key pair with alg (helseid.AlgES256, ...); an unknown alg
// is a *register.ValidationError on field.
func NewKey(alg, field string) (*helseid.Key, error) {
	k, err := helseid.GenerateKey(alg)
	if errors.Is(err, helseid.ErrUnsupportedAlg) {
		return nil, &register.ValidationError{Fields: map[string]string{field: register.CodeInvalid}}
	}
	return k, err
}

// ParseKey reads a private key (JWK or PEM); what cannot be read is a
// *register.ValidationError on field.
func ParseKey(data []byte, alg, field string) (*helseid.Key, error) {
	if strings.TrimSpace(string(data)) == "" {
		return nil, &register.ValidationError{Fields: map[string]string{field: register.CodeRequired}}
	}
	k, err := helseid.ImportKey(data, alg)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", &register.ValidationError{Fields: map[string]string{field: CodeKeyInvalid}}, err)
	}
	return k, nil
}

// InstallKey stores k in the key store and records it as the active key.
// Another active key is an error (*KeyActiveError) unless replace is set;
// the replaced key is then deleted from the key store. If recording fails,
// k is removed from the key store again, so no unused private key is left
// behind.
func (s *Service) InstallKey(ctx context.Context, k *helseid.Key, replace bool) (Installed, error) {
	var out Installed
	old, err := s.ActiveKeyID(ctx)
	if err != nil {
		return out, err
	}
	if old != "" && old != k.KID() && !replace {
		return out, &KeyActiveError{KID: old}
	}
	kctx, cancel := context.WithTimeout(ctx, s.keyLimit)
	defer cancel()
	if err := s.keys.Save(kctx, k); err != nil {
		return out, fmt.Errorf("store the key: %w", err)
	}
	if err := s.settings.PutSetting(ctx, SettingKeyID, k.KID()); err != nil {
		if old != k.KID() {
			_ = s.keys.Delete(kctx, k.KID())
		}
		return out, fmt.Errorf("record the active key: %w", err)
	}
	s.keyCache.Put(k)
	if old != "" && old != k.KID() {
		out.Replaced = old
		s.keyCache.Forget(old)
		if err := s.keys.Delete(kctx, old); err != nil && !errors.Is(err, helseid.ErrKeyNotFound) {
			out.ReplacedNotDeleted = err
			s.log.Warn("could not delete the replaced HelseID key", "err", err)
		}
	}
	return out, nil
}

// ActiveKeyID is the active key's id, "" when there is none.
func (s *Service) ActiveKeyID(ctx context.Context) (string, error) {
	id, _, err := s.settings.GetSetting(ctx, SettingKeyID)
	if err != nil {
		return "", fmt.Errorf("read the active key id: %w", err)
	}
	return id, nil
}

// ActiveKey is the active key; no key set up is ErrNoKey, a key recorded
// but missing from the key store wraps helseid.ErrKeyNotFound, and a
// missing or locked keyring wraps helseid.ErrNoKeyring. limit bounds the
// key store call (0: the default).
func (s *Service) ActiveKey(ctx context.Context, limit time.Duration) (*helseid.Key, error) {
	id, err := s.ActiveKeyID(ctx)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, ErrNoKey
	}
	if limit <= 0 {
		limit = s.keyLimit
	}
	return s.keyCache.Load(ctx, id, limit)
}

// ErrNoKey means no HelseID key is set up.
var ErrNoKey = errors.New("no HelseID key is set up")

// Removed is what RemoveKey did.
type Removed struct {
	KID string
	// WasMissing is set when the key store did not have the key.
	WasMissing bool
}

// RemoveKey deletes the active key from the key store and records that
// there is none (ErrNoKey when there was none). A key already gone from the
// key store is no error.
func (s *Service) RemoveKey(ctx context.Context) (Removed, error) {
	id, err := s.ActiveKeyID(ctx)
	if err != nil {
		return Removed{}, err
	}
	if id == "" {
		return Removed{}, ErrNoKey
	}
	out := Removed{KID: id}
	kctx, cancel := context.WithTimeout(ctx, s.keyLimit)
	defer cancel()
	if err := s.keys.Delete(kctx, id); err != nil {
		if !errors.Is(err, helseid.ErrKeyNotFound) {
			return out, fmt.Errorf("delete the key: %w", err)
		}
		out.WasMissing = true
	}
	s.keyCache.Forget(id)
	if err := s.settings.PutSetting(ctx, SettingKeyID, ""); err != nil {
		return out, fmt.Errorf("clear the active key: %w", err)
	}
	return out, nil
}

// Deactivate removes the key and forgets the checks; the practice must be
// activated again.
func (s *Service) Deactivate(ctx context.Context) (State, error) {
	if _, err := s.RemoveKey(ctx); err != nil && !errors.Is(err, ErrNoKey) {
		return State{}, keyError(err)
	}
	if err := s.settings.PutSetting(ctx, settingChecks, ""); err != nil {
		return State{}, err
	}
	s.install("", nil)
	return s.Load(ctx)
}

// keyError turns a key store error into what the caller decides on: a
// missing key is a field error, a missing keyring stays helseid.ErrNoKeyring.
func keyError(err error) error {
	if errors.Is(err, helseid.ErrKeyNotFound) && !errors.Is(err, helseid.ErrNoKeyring) {
		return &register.ValidationError{Fields: map[string]string{"helseid.key": CodeKeyMissing}}
	}
	return fmt.Errorf("load key: %w", err)
}
