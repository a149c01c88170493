package helseid

import (
	"testing"
	"time"
)

// BenchmarkNewProof measures signing one DPoP proof for an API call (with
// nonce and ath), per key algorithm. Keys are generated outside the timer.
func BenchmarkNewProof(b *testing.B) {
	for _, alg := range []string{AlgES256, AlgRS256} {
		b.Run(alg, func(b *testing.B) {
			k, err := GenerateKey(alg)
			if err != nil {
				b.Fatal(err)
			}
			now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
			const url = "https://api.example.test/persontjenesten/api/v1/Person/GetPerson?x=1"
			b.ReportAllocs()
			for b.Loop() {
				proof, err := NewProof(k, "GET", url, "server-nonce-1", "access-token-value", now)
				if err != nil || proof == "" {
					b.Fatalf("NewProof: %q, %v", proof, err)
				}
			}
		})
	}
}

// BenchmarkClientAssertion measures signing the private_key_jwt client
// assertion of a token request, with a multi-tenant organisation.
func BenchmarkClientAssertion(b *testing.B) {
	details, err := authorizationDetails(TenancyMulti, "999977707", "999988806")
	if err != nil {
		b.Fatal(err)
	}
	for _, alg := range []string{AlgES256, AlgRS256} {
		b.Run(alg, func(b *testing.B) {
			k, err := GenerateKey(alg)
			if err != nil {
				b.Fatal(err)
			}
			now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
			b.ReportAllocs()
			for b.Loop() {
				a, err := newClientAssertion(k, "client-id", "https://helseid.example.test/", details, now)
				if err != nil || a == "" {
					b.Fatalf("newClientAssertion: %q, %v", a, err)
				}
			}
		})
	}
}
