package helseid

import (
	"net/url"
	"strings"
	"sync"
)

// Nonce roles: HelseID (the authorization server) and the APIs (resource
// servers) issue nonces independently, RFC 9449 sections 8 and 9, so a nonce
// from one is never offered to the other even when they share an origin (as
// in the offline mock).
const (
	roleAuthorizationServer = "as"
	roleResourceServer      = "rs"
)

// nonceCache remembers the newest DPoP-Nonce each server sent, per role
// and origin.
type nonceCache struct {
	mu sync.Mutex
	m  map[string]string
}

func nonceKey(role string, u *url.URL) string {
	return role + " " + strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}

func (n *nonceCache) get(role string, u *url.URL) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.m[nonceKey(role, u)]
}

// remember stores nonce when the response carried one.
func (n *nonceCache) remember(role string, u *url.URL, nonce string) {
	if nonce == "" {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.m == nil {
		n.m = make(map[string]string)
	}
	n.m[nonceKey(role, u)] = nonce
}
