// Package helseid obtains HelseID access tokens for Norsk helsenett's APIs
// (client_credentials with private_key_jwt client authentication and DPoP
// sender-constrained tokens, RFC 9449), signs the per-request DPoP proofs, and
// manages the client's signing key and its storage in the OS keyring.
//
// The pieces fit together like this:
//
//	key, _ := helseid.GenerateKey("ES256")           // or ImportKey / KeyStore.Load
//	tokens, _ := helseid.NewTokenClient(helseid.Config{Key: key, ...})
//	api := &http.Client{Timeout: 30 * time.Second,
//		Transport: &helseid.Transport{Tokens: tokens, Key: key}}
//
// Secrets (private keys, access tokens, client assertions, proofs) are never
// logged and never appear in error strings.
package helseid
