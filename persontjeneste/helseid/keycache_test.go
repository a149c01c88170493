package helseid

import (
	"context"
	"errors"
	"testing"
	"time"
)

// countingStore counts the loads that reach the store.
type countingStore struct {
	KeyStore
	loads int
}

func (s *countingStore) Load(ctx context.Context, kid string) (*Key, error) {
	s.loads++
	return s.KeyStore.Load(ctx, kid)
}

func TestKeyCacheLoadsOncePerKey(t *testing.T) {
	ctx := context.Background()
	mem := NewMemoryKeyStore()
	k, err := GenerateKey(AlgES256)
	if err != nil {
		t.Fatal(err)
	}
	if err := mem.Save(ctx, k); err != nil {
		t.Fatal(err)
	}
	store := &countingStore{KeyStore: mem}
	c := NewKeyCache(store)
	for range 3 {
		got, err := c.Load(ctx, k.KID(), time.Second)
		if err != nil || got.KID() != k.KID() {
			t.Fatalf("load: %v %v", got, err)
		}
	}
	if store.loads != 1 {
		t.Errorf("the store was read %d times, want once", store.loads)
	}
	c.Forget(k.KID())
	if _, err := c.Load(ctx, k.KID(), time.Second); err != nil || store.loads != 2 {
		t.Errorf("after Forget: err %v, %d loads, want a second read", err, store.loads)
	}
	if _, err := c.Load(ctx, "no-such-key", time.Second); !errors.Is(err, ErrKeyNotFound) {
		t.Errorf("unknown key: %v, want ErrKeyNotFound", err)
	}
	other, _ := GenerateKey(AlgES256)
	c.Put(other)
	if got, err := c.Load(ctx, other.KID(), time.Second); err != nil || got != other {
		t.Errorf("a key Put is served from the cache: %v %v", got, err)
	}
}
