package helseid

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	keyring "github.com/zalando/go-keyring"
)

func TestMemoryKeyStore(t *testing.T) {
	ctx := t.Context()
	s := NewMemoryKeyStore()
	k1, k2 := mustKey(t, AlgES256), mustKey(t, AlgES256)
	for _, k := range []*Key{k1, k2} {
		if err := s.Save(ctx, k); err != nil {
			t.Fatalf("Save: %v", err)
		}
	}
	got, err := s.Load(ctx, k1.KID())
	if err != nil || got.KID() != k1.KID() {
		t.Fatalf("Load = %v, %v", got, err)
	}
	if err := s.Delete(ctx, k1.KID()); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Load(ctx, k1.KID()); !errors.Is(err, ErrKeyNotFound) {
		t.Errorf("Load after Delete: %v, want ErrKeyNotFound", err)
	}
	if err := s.Delete(ctx, k1.KID()); !errors.Is(err, ErrKeyNotFound) {
		t.Errorf("second Delete: %v, want ErrKeyNotFound", err)
	}
	if got, err := s.Load(ctx, k2.KID()); err != nil || got != k2 {
		t.Errorf("other key: %v, %v", got, err)
	}
	if err := s.Save(ctx, nil); err == nil {
		t.Error("Save(nil) succeeded")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Load(cancelled, k2.KID()); !errors.Is(err, context.Canceled) {
		t.Errorf("Load with cancelled ctx: %v", err)
	}
}

// fakeBackend stands in for go-keyring.
type fakeBackend struct {
	mu      sync.Mutex
	secrets map[string]string
	err     error         // returned by every call when set
	block   chan struct{} // calls wait for it when set
	entered chan struct{}
}

func (b *fakeBackend) call(fn func() error) error {
	if b.entered != nil {
		b.entered <- struct{}{}
	}
	if b.block != nil {
		<-b.block
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return b.err
	}
	return fn()
}

func (b *fakeBackend) Set(service, user, password string) error {
	return b.call(func() error { b.secrets[service+"/"+user] = password; return nil })
}

func (b *fakeBackend) Get(service, user string) (string, error) {
	var s string
	err := b.call(func() error {
		v, ok := b.secrets[service+"/"+user]
		if !ok {
			return keyring.ErrNotFound
		}
		s = v
		return nil
	})
	return s, err
}

func (b *fakeBackend) Delete(service, user string) error {
	return b.call(func() error {
		if _, ok := b.secrets[service+"/"+user]; !ok {
			return keyring.ErrNotFound
		}
		delete(b.secrets, service+"/"+user)
		return nil
	})
}

func TestKeyringStoreRoundTrip(t *testing.T) {
	ctx := t.Context()
	backend := &fakeBackend{secrets: map[string]string{}}
	s := &KeyringStore{service: KeyringService, backend: backend}
	for _, alg := range []string{AlgES256, AlgPS256} {
		k := mustKey(t, alg)
		if err := s.Save(ctx, k); err != nil {
			t.Fatalf("Save: %v", err)
		}
		stored := backend.secrets[KeyringService+"/"+k.KID()]
		if want, _ := storedForm(k); stored != string(want) {
			t.Errorf("%s: keyring secret is not the compact stored form", alg)
		}
		got, err := s.Load(ctx, k.KID())
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if got.KID() != k.KID() || got.Alg() != alg {
			t.Errorf("loaded %v, want %v", got, k)
		}
		if err := s.Delete(ctx, k.KID()); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := s.Load(ctx, k.KID()); !errors.Is(err, ErrKeyNotFound) {
			t.Errorf("Load after Delete: %v", err)
		}
	}
}

func TestKeyringStoreErrors(t *testing.T) {
	k := mustKey(t, AlgES256)
	other := mustKey(t, AlgES256)
	otherJWK, _ := other.PrivateJWK()
	dbusDown := errors.New("dbus: The name org.freedesktop.secrets was not provided by any .service files")

	for _, tc := range []struct {
		name    string
		secrets map[string]string
		err     error
		op      func(*KeyringStore) error
		want    []error
		notWant error
	}{
		{
			name: "load missing", secrets: map[string]string{},
			op:   func(s *KeyringStore) error { _, err := s.Load(t.Context(), k.KID()); return err },
			want: []error{ErrKeyNotFound}, notWant: ErrNoKeyring,
		},
		{
			name: "delete missing", secrets: map[string]string{},
			op:   func(s *KeyringStore) error { return s.Delete(t.Context(), k.KID()) },
			want: []error{ErrKeyNotFound}, notWant: ErrNoKeyring,
		},
		{
			name: "no secret service on save", err: dbusDown,
			op:   func(s *KeyringStore) error { return s.Save(t.Context(), k) },
			want: []error{ErrNoKeyring, dbusDown},
		},
		{
			name: "no secret service on load", err: dbusDown,
			op:   func(s *KeyringStore) error { _, err := s.Load(t.Context(), k.KID()); return err },
			want: []error{ErrNoKeyring, dbusDown}, notWant: ErrKeyNotFound,
		},
		{
			name: "unsupported platform", err: keyring.ErrUnsupportedPlatform,
			op:   func(s *KeyringStore) error { return s.Delete(t.Context(), k.KID()) },
			want: []error{ErrNoKeyring, keyring.ErrUnsupportedPlatform},
		},
		{
			name: "too big", err: keyring.ErrSetDataTooBig,
			op:   func(s *KeyringStore) error { return s.Save(t.Context(), k) },
			want: []error{keyring.ErrSetDataTooBig}, notWant: ErrNoKeyring,
		},
		{
			name: "stored key has another kid", secrets: map[string]string{KeyringService + "/" + k.KID(): string(otherJWK)},
			op:   func(s *KeyringStore) error { _, err := s.Load(t.Context(), k.KID()); return err },
			want: []error{ErrInvalidKey},
		},
		{
			name: "stored secret is not a key", secrets: map[string]string{KeyringService + "/" + k.KID(): "hunter2"},
			op:   func(s *KeyringStore) error { _, err := s.Load(t.Context(), k.KID()); return err },
			want: []error{ErrInvalidKey},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			backend := &fakeBackend{secrets: tc.secrets, err: tc.err}
			if backend.secrets == nil {
				backend.secrets = map[string]string{}
			}
			err := tc.op(&KeyringStore{service: KeyringService, backend: backend})
			for _, w := range tc.want {
				if !errors.Is(err, w) {
					t.Errorf("error %v, want it to wrap %v", err, w)
				}
			}
			if tc.notWant != nil && errors.Is(err, tc.notWant) {
				t.Errorf("error %v should not wrap %v", err, tc.notWant)
			}
		})
	}
}

func TestKeyringStoreHonoursContext(t *testing.T) {
	k := mustKey(t, AlgES256)
	backend := &fakeBackend{secrets: map[string]string{}, block: make(chan struct{}), entered: make(chan struct{}, 4)}
	defer close(backend.block)
	s := &KeyringStore{service: KeyringService, backend: backend}

	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { _, err := s.Load(ctx, k.KID()); errc <- err }()
	<-backend.entered
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) || errors.Is(err, ErrNoKeyring) {
		t.Errorf("cancelled Load: %v, want context.Canceled", err)
	}

	// A keyring that does not answer before the deadline is unavailable.
	dctx, dcancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer dcancel()
	err := s.Save(dctx, k)
	if !errors.Is(err, ErrNoKeyring) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Save past deadline: %v, want ErrNoKeyring and DeadlineExceeded", err)
	}
}

// TestKeyringIntegration uses the real Secret Service. CI runs it as:
//
//	dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; RESEPSJON_KEYRING_TEST=1 go test -run Keyring ./persontjeneste/helseid/'
func TestKeyringIntegration(t *testing.T) {
	if os.Getenv("RESEPSJON_KEYRING_TEST") != "1" {
		const why = "keyring integration test needs RESEPSJON_KEYRING_TEST=1 and a Secret Service (bash .ci/run sets both up)"
		if os.Getenv("CI") == "true" {
			t.Fatal(why + "; it is required under CI=true")
		}
		t.Skip(why)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	s := NewKeyringStore()
	for _, alg := range []string{AlgES256, AlgRS256} {
		k := mustKey(t, alg)
		if err := s.Save(ctx, k); err != nil {
			t.Fatalf("Save %s: %v", alg, err)
		}
		got, err := s.Load(ctx, k.KID())
		if err != nil {
			t.Fatalf("Load %s: %v", alg, err)
		}
		wantPub, _ := k.PublicJWK()
		gotPub, _ := got.PublicJWK()
		if string(gotPub) != string(wantPub) || got.Alg() != alg {
			t.Errorf("loaded key differs: %s, want %s", gotPub, wantPub)
		}
		if err := s.Delete(ctx, k.KID()); err != nil {
			t.Fatalf("Delete %s: %v", alg, err)
		}
		if _, err := s.Load(ctx, k.KID()); !errors.Is(err, ErrKeyNotFound) {
			t.Errorf("Load after Delete: %v, want ErrKeyNotFound", err)
		}
		if err := s.Delete(ctx, k.KID()); !errors.Is(err, ErrKeyNotFound) {
			t.Errorf("second Delete: %v, want ErrKeyNotFound", err)
		}
	}
}
