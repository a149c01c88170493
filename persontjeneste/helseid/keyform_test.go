package helseid

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"testing"
)

// macKeychainCommand is the line go-keyring hands to macOS's security tool
// for a secret, which it refuses past 4,096 bytes: the Keychain's limit as
// this program meets it.
func macKeychainCommand(kid string, secret []byte) string {
	return fmt.Sprintf("add-generic-password -U -s '%s' -a '%s' -w '%s'\n", KeyringService, kid,
		"go-keyring-base64:"+base64.StdEncoding.EncodeToString(secret))
}

func TestStoredFormFitsEveryKeyring(t *testing.T) {
	rsaKey := func(bits int, alg string) *Key {
		t.Helper()
		rk, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			t.Fatal(err)
		}
		k, err := newKey(rk, alg, "")
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	ecKey := func() *Key {
		ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		k, err := newKey(ek, AlgES256, "")
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	tests := []struct {
		name string
		key  *Key
	}{
		{"P-256 ES256", ecKey()},
		{"RSA-2048 RS256", rsaKey(2048, AlgRS256)},
		{"RSA-3072 PS256", rsaKey(3072, AlgPS256)},
		{"RSA-4096 RS512", rsaKey(4096, AlgRS512)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := tt.key
			stored, err := storedForm(k)
			if err != nil {
				t.Fatal(err)
			}
			jwk, _ := k.PrivateJWK()
			t.Logf("stored form %d bytes (private JWK %d bytes)", len(stored), len(jwk))
			if len(stored) > MaxStoredKeyBytes {
				t.Errorf("stored form is %d bytes, over Windows Credential Manager's %d", len(stored), MaxStoredKeyBytes)
			}
			if n := len(macKeychainCommand(k.KID(), stored)); n > 4096 {
				t.Errorf("macOS Keychain command is %d bytes, over 4096", n)
			}
			got, err := parseStored(stored)
			if err != nil {
				t.Fatalf("read back: %v", err)
			}
			checkSameKey(t, k, got)
			// The form earlier versions stored is still read.
			old, err := parseStored(jwk)
			if err != nil {
				t.Fatalf("read the old private JWK form: %v", err)
			}
			checkSameKey(t, k, old)
		})
	}
	// Without the compact form the biggest key would not fit on Windows.
	if jwk, _ := tests[3].key.PrivateJWK(); len(jwk) <= MaxStoredKeyBytes {
		t.Logf("note: an RSA-4096 private JWK is %d bytes", len(jwk))
	}
}

// checkSameKey checks that got has want's kid, algorithm and public key,
// and signs what want's public key verifies.
func checkSameKey(t *testing.T, want, got *Key) {
	t.Helper()
	if got.KID() != want.KID() || got.Alg() != want.Alg() || got.Thumbprint() != want.Thumbprint() {
		t.Fatalf("read back %v (thumbprint %s), want %v (%s)", got, got.Thumbprint(), want, want.Thumbprint())
	}
	digest := sha256.Sum256([]byte("resepsjon"))
	signer := got.private.Key.(crypto.Signer)
	switch pub := want.public.Key.(type) {
	case *ecdsa.PublicKey:
		sig, err := signer.Sign(rand.Reader, digest[:], crypto.SHA256)
		if err != nil || !ecdsa.VerifyASN1(pub, digest[:], sig) {
			t.Errorf("a signature of the read-back key does not verify: %v", err)
		}
	case *rsa.PublicKey:
		sig, err := signer.Sign(rand.Reader, digest[:], crypto.SHA256)
		if err != nil || rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig) != nil {
			t.Errorf("a signature of the read-back key does not verify: %v", err)
		}
	}
}

func TestParseStoredRejectsBadInput(t *testing.T) {
	for _, in := range []string{
		``, `not json`, `{}`, `{"v":2,"alg":"ES256","kid":"x","d":"AAAA"}`,
		`{"v":1,"alg":"ES256","kid":"x"}`,
		`{"v":1,"alg":"ES256","kid":"x","d":"!!"}`,
		`{"v":1,"alg":"ES256","kid":"x","d":"AAAA"}`,
		`{"v":1,"alg":"RS256","kid":"x","p":"Bw","q":"Cw"}`,
	} {
		if _, err := parseStored([]byte(in)); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("parseStored(%q) = %v, want ErrInvalidKey", in, err)
		}
	}
}

func FuzzParseStored(f *testing.F) {
	f.Add([]byte(`{"v":1,"alg":"ES256","kid":"x","d":"AAAA"}`))
	f.Add([]byte(`{"v":1,"alg":"RS256","kid":"x","p":"Bw","q":"Cw","e":3}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if k, err := parseStored(data); err == nil && k.KID() == "" {
			t.Error("a key without kid")
		}
	})
}
