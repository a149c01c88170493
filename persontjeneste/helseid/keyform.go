package helseid

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
)

// The keyring's secret is the key in its compact stored form: the smallest
// limit among the OS keyrings is Windows Credential Manager's 2,560 bytes
// per secret (macOS Keychain, through the security tool, takes about 3,000),
// and a private JWK of an RSA-4096 key (n, e, d, p, q, dp, dq, qi) is over
// 3,100 bytes. The compact form keeps only what the key is rebuilt from:
// the primes p and q for RSA (n, d and the CRT values follow from them) and
// the scalar d for P-256, with the algorithm and kid.
//
// Keys stored as a private JWK by earlier versions are still read.

// storedKeyVersion marks the compact form.
const storedKeyVersion = 1

// MaxStoredKeyBytes is the smallest per-secret limit of the supported OS
// keyrings (Windows Credential Manager).
const MaxStoredKeyBytes = 2560

type storedKey struct {
	V   int    `json:"v"`
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	D   string `json:"d,omitempty"` // P-256 scalar, 32 bytes
	P   string `json:"p,omitempty"` // RSA primes
	Q   string `json:"q,omitempty"`
	E   int    `json:"e,omitempty"` // RSA public exponent when not 65537
}

var b64 = base64.RawURLEncoding

// storedForm returns k in the compact stored form.
func storedForm(k *Key) ([]byte, error) {
	s := storedKey{V: storedKeyVersion, Alg: k.alg, Kid: k.kid}
	switch key := k.private.Key.(type) {
	case *ecdsa.PrivateKey:
		d, err := key.Bytes()
		if err != nil {
			return nil, fmt.Errorf("stored form: %w", err)
		}
		s.D = b64.EncodeToString(d)
	case *rsa.PrivateKey:
		if len(key.Primes) != 2 {
			return nil, fmt.Errorf("stored form: %w: multi-prime RSA key", ErrInvalidKey)
		}
		s.P = b64.EncodeToString(key.Primes[0].Bytes())
		s.Q = b64.EncodeToString(key.Primes[1].Bytes())
		if key.E != 65537 {
			s.E = key.E
		}
	default:
		return nil, fmt.Errorf("stored form: %w: key type %T", ErrInvalidKey, k.private.Key)
	}
	return json.Marshal(s)
}

// parseStored reads a key from the keyring's secret: the compact form, or
// the private JWK earlier versions stored.
func parseStored(secret []byte) (*Key, error) {
	var probe struct {
		V   int    `json:"v"`
		Kty string `json:"kty"`
	}
	if err := json.Unmarshal(secret, &probe); err != nil {
		return nil, fmt.Errorf("%w: stored key: %s", ErrInvalidKey, sanitizeJSONError(err))
	}
	if probe.Kty != "" {
		return ImportKey(secret, "")
	}
	if probe.V != storedKeyVersion {
		return nil, fmt.Errorf("%w: stored key form %d is not known to this version", ErrInvalidKey, probe.V)
	}
	var s storedKey
	if err := json.Unmarshal(secret, &s); err != nil {
		return nil, fmt.Errorf("%w: stored key: %s", ErrInvalidKey, sanitizeJSONError(err))
	}
	decode := func(name, v string) ([]byte, error) {
		b, err := b64.DecodeString(v)
		if err != nil || len(b) == 0 {
			return nil, fmt.Errorf("%w: stored key: bad %s", ErrInvalidKey, name)
		}
		return b, nil
	}
	var signer crypto.Signer
	switch {
	case s.D != "":
		d, err := decode("d", s.D)
		if err != nil {
			return nil, err
		}
		key, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), d)
		if err != nil {
			return nil, fmt.Errorf("%w: stored P-256 key", ErrInvalidKey)
		}
		signer = key
	case s.P != "" && s.Q != "":
		p, err := decode("p", s.P)
		if err != nil {
			return nil, err
		}
		q, err := decode("q", s.Q)
		if err != nil {
			return nil, err
		}
		e := s.E
		if e == 0 {
			e = 65537
		}
		key, err := rsaFromPrimes(new(big.Int).SetBytes(p), new(big.Int).SetBytes(q), e)
		if err != nil {
			return nil, err
		}
		signer = key
	default:
		return nil, fmt.Errorf("%w: stored key holds no key material", ErrInvalidKey)
	}
	return newKey(signer, s.Alg, s.Kid)
}

// rsaFromPrimes rebuilds an RSA private key from its two primes and public
// exponent; newKey validates it.
func rsaFromPrimes(p, q *big.Int, e int) (*rsa.PrivateKey, error) {
	one := big.NewInt(1)
	if p.Cmp(one) <= 0 || q.Cmp(one) <= 0 || e < 3 {
		return nil, fmt.Errorf("%w: stored RSA key", ErrInvalidKey)
	}
	pm1 := new(big.Int).Sub(p, one)
	qm1 := new(big.Int).Sub(q, one)
	phi := new(big.Int).Mul(pm1, qm1)
	d := new(big.Int).ModInverse(big.NewInt(int64(e)), phi)
	if d == nil {
		return nil, fmt.Errorf("%w: stored RSA key", ErrInvalidKey)
	}
	key := &rsa.PrivateKey{
		PublicKey: rsa.PublicKey{N: new(big.Int).Mul(p, q), E: e},
		D:         d,
		Primes:    []*big.Int{p, q},
	}
	if err := key.Validate(); err != nil {
		return nil, errors.Join(ErrInvalidKey, errors.New("stored RSA key is inconsistent"))
	}
	key.Precompute()
	return key, nil
}
