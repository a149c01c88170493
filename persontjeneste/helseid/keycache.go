package helseid

import (
	"context"
	"sync"
	"time"
)

// KeyCache reads keys from a KeyStore once per key id: an OS keyring that
// asks to be unlocked, or a slow Secret Service, is met once, not on every
// signed request. It is safe for concurrent use.
type KeyCache struct {
	store KeyStore
	mu    sync.Mutex
	keys  map[string]*Key
}

// NewKeyCache caches the keys of store.
func NewKeyCache(store KeyStore) *KeyCache {
	return &KeyCache{store: store, keys: map[string]*Key{}}
}

// Load returns the key kid, from the cache or else from the store within
// limit.
func (c *KeyCache) Load(ctx context.Context, kid string, limit time.Duration) (*Key, error) {
	c.mu.Lock()
	k := c.keys[kid]
	c.mu.Unlock()
	if k != nil {
		return k, nil
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	k, err := c.store.Load(ctx, kid)
	if err != nil {
		return nil, err
	}
	c.Put(k)
	return k, nil
}

// Put caches k (a key just saved to the store).
func (c *KeyCache) Put(k *Key) {
	c.mu.Lock()
	c.keys[k.KID()] = k
	c.mu.Unlock()
}

// Forget drops kid from the cache (a key deleted or replaced).
func (c *KeyCache) Forget(kid string) {
	c.mu.Lock()
	delete(c.keys, kid)
	c.mu.Unlock()
}
