package nhnmock

import (
	"crypto/rand"
	"encoding/base64"
	"time"
)

// replayCache remembers identifiers (jti values) until they could no longer be
// accepted anyway, so memory stays bounded under load.
type replayCache struct {
	seen      map[string]time.Time // key -> forget after
	nextSweep int
}

func newReplayCache() replayCache {
	return replayCache{seen: map[string]time.Time{}, nextSweep: 1024}
}

// use records key and reports whether it was fresh. The caller holds m.mu.
func (c *replayCache) use(key string, now, forgetAfter time.Time) bool {
	if until, ok := c.seen[key]; ok && now.Before(until) {
		return false
	}
	c.seen[key] = forgetAfter
	if len(c.seen) >= c.nextSweep {
		for k, until := range c.seen {
			if !now.Before(until) {
				delete(c.seen, k)
			}
		}
		c.nextSweep = max(1024, 2*len(c.seen))
	}
	return true
}

// useAssertionJTI consumes a client assertion's jti.
func (m *Mock) useAssertionJTI(clientID, jti string, now, forgetAfter time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.assertJTIs.use(clientID+"\x00"+jti, now, forgetAfter)
}

// useProofJTI consumes a DPoP proof's jti (scoped to the proof key).
func (m *Mock) useProofJTI(jkt, jti string, now, forgetAfter time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.proofJTIs.use(jkt+"\x00"+jti, now, forgetAfter)
}

// currentNonce returns the server nonce, rotating it when its period is over.
func (m *Mock) currentNonce() string {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.nonce == "" || (m.nonceRotation > 0 && now.Sub(m.nonceAt) >= m.nonceRotation) {
		m.nonce = randomID(24)
		m.nonceAt = now
	}
	return m.nonce
}

// randomID returns n random bytes, base64url encoded.
func randomID(n int) string {
	b := make([]byte, n)
	// crypto/rand.Read never returns an error (it panics if the system source fails).
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
