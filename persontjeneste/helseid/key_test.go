package helseid

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

var privateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "k", "oth"}

func jsonMembers(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
	return m
}

// signAndVerify signs with k and verifies with the public JWK as exported.
func signAndVerify(t *testing.T, k *Key, publicJWK []byte) {
	t.Helper()
	var pub jose.JSONWebKey
	if err := pub.UnmarshalJSON(publicJWK); err != nil {
		t.Fatalf("parse public JWK: %v", err)
	}
	a, err := newClientAssertion(k, "c", "https://issuer.example/", nil, testTime())
	if err != nil {
		t.Fatalf("assertion: %v", err)
	}
	if _, _, err := verifyJWT(a, &pub); err != nil {
		t.Fatalf("verify with exported public key: %v", err)
	}
}

func TestGenerateKeyRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		alg, kty string
	}{
		{AlgES256, "EC"},
		{AlgRS256, "RSA"},
		{AlgPS256, "RSA"},
		{AlgRS512, "RSA"},
	} {
		t.Run(tc.alg, func(t *testing.T) {
			k := mustKey(t, tc.alg)
			if k.Alg() != tc.alg {
				t.Errorf("Alg = %q", k.Alg())
			}
			if k.KID() == "" || k.KID() != k.Thumbprint() {
				t.Errorf("KID %q, thumbprint %q: want equal and non-empty", k.KID(), k.Thumbprint())
			}
			if rk, ok := k.private.Key.(*rsa.PrivateKey); ok && rk.N.BitLen() != 3072 {
				t.Errorf("RSA key has %d bits, want 3072", rk.N.BitLen())
			}

			pubJSON, err := k.PublicJWK()
			if err != nil {
				t.Fatal(err)
			}
			pub := jsonMembers(t, pubJSON)
			for m, want := range map[string]string{"kty": tc.kty, "kid": k.KID(), "alg": tc.alg, "use": "sig"} {
				if pub[m] != want {
					t.Errorf("public JWK %s = %v, want %q", m, pub[m], want)
				}
			}
			for _, m := range privateMembers {
				if _, ok := pub[m]; ok {
					t.Errorf("public JWK has private member %q", m)
				}
			}
			signAndVerify(t, k, pubJSON)

			setJSON, err := k.PublicJWKS()
			if err != nil {
				t.Fatal(err)
			}
			var set struct{ Keys []map[string]any }
			if err := json.Unmarshal(setJSON, &set); err != nil || len(set.Keys) != 1 {
				t.Fatalf("JWKS %s: %v", setJSON, err)
			}
			if set.Keys[0]["kid"] != k.KID() || set.Keys[0]["d"] != nil {
				t.Errorf("JWKS key = %v", set.Keys[0])
			}

			privJSON, err := k.PrivateJWK()
			if err != nil {
				t.Fatal(err)
			}
			if jsonMembers(t, privJSON)["d"] == nil {
				t.Error("private JWK has no d")
			}
			back, err := ImportKey(privJSON, "")
			if err != nil {
				t.Fatalf("re-import private JWK: %v", err)
			}
			if back.KID() != k.KID() || back.Alg() != k.Alg() {
				t.Errorf("re-imported kid/alg %s/%s, want %s/%s", back.KID(), back.Alg(), k.KID(), k.Alg())
			}
			signAndVerify(t, back, pubJSON)
		})
	}
}

func TestGenerateKeyUnsupportedAlg(t *testing.T) {
	for _, alg := range []string{"", "HS256", "ES384", "none", "es256", "EdDSA"} {
		if _, err := GenerateKey(alg); !errors.Is(err, ErrUnsupportedAlg) {
			t.Errorf("GenerateKey(%q) error = %v, want ErrUnsupportedAlg", alg, err)
		}
	}
}

// rfc7638 computes the thumbprint independently of go-jose, from the
// required members in lexicographic order (RFC 7638 section 3.2).
func rfc7638(t *testing.T, pub crypto.PublicKey) string {
	t.Helper()
	b64 := base64.RawURLEncoding.EncodeToString
	var input string
	switch p := pub.(type) {
	case *ecdsa.PublicKey:
		e, err := p.ECDH()
		if err != nil {
			t.Fatal(err)
		}
		raw := e.Bytes() // 0x04 || X || Y
		input = fmt.Sprintf(`{"crv":"P-256","kty":"EC","x":"%s","y":"%s"}`, b64(raw[1:33]), b64(raw[33:65]))
	case *rsa.PublicKey:
		input = fmt.Sprintf(`{"e":"%s","kty":"RSA","n":"%s"}`, b64(big.NewInt(int64(p.E)).Bytes()), b64(p.N.Bytes()))
	default:
		t.Fatalf("unexpected key %T", pub)
	}
	sum := sha256.Sum256([]byte(input))
	return b64(sum[:])
}

func pemBytes(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func TestImportPEM(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	sec1, err := x509.MarshalECPrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	ecPKCS8, err := x509.MarshalPKCS8PrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	rsaPKCS8, err := x509.MarshalPKCS8PrivateKey(rk)
	if err != nil {
		t.Fatal(err)
	}
	ecParams := pemBytes("EC PARAMETERS", []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07})
	ecTP, rsaTP := rfc7638(t, &ec.PublicKey), rfc7638(t, &rk.PublicKey)

	for _, tc := range []struct {
		name, alg, wantAlg, wantKID string
		data                        []byte
	}{
		{"SEC1", "", AlgES256, ecTP, pemBytes("EC PRIVATE KEY", sec1)},
		{"SEC1 after EC PARAMETERS", "", AlgES256, ecTP, append(ecParams, pemBytes("EC PRIVATE KEY", sec1)...)},
		{"SEC1 with text around", AlgES256, AlgES256, ecTP, []byte("my key:\n" + string(pemBytes("EC PRIVATE KEY", sec1)) + "\n")},
		{"PKCS8 EC", "", AlgES256, ecTP, pemBytes("PRIVATE KEY", ecPKCS8)},
		{"PKCS1 RSA", "", AlgRS256, rsaTP, pemBytes("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rk))},
		{"PKCS1 RSA as PS256", AlgPS256, AlgPS256, rsaTP, pemBytes("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rk))},
		{"PKCS8 RSA", "", AlgRS256, rsaTP, pemBytes("PRIVATE KEY", rsaPKCS8)},
		{"PKCS8 RSA as RS512", AlgRS512, AlgRS512, rsaTP, pemBytes("PRIVATE KEY", rsaPKCS8)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ImportKey(tc.data, tc.alg)
			if err != nil {
				t.Fatalf("ImportKey: %v", err)
			}
			if k.Alg() != tc.wantAlg || k.KID() != tc.wantKID {
				t.Errorf("alg/kid = %s/%s, want %s/%s", k.Alg(), k.KID(), tc.wantAlg, tc.wantKID)
			}
			pub, err := k.PublicJWK()
			if err != nil {
				t.Fatal(err)
			}
			signAndVerify(t, k, pub)
			again, err := ImportKey(tc.data, tc.alg)
			if err != nil || again.KID() != k.KID() {
				t.Errorf("second import kid %v (%v), want stable %s", again, err, k.KID())
			}
		})
	}
}

func TestImportJWK(t *testing.T) {
	ecKey := mustKey(t, AlgES256)
	priv, err := ecKey.PrivateJWK()
	if err != nil {
		t.Fatal(err)
	}
	withMembers := func(set map[string]any, drop ...string) []byte {
		m := jsonMembers(t, priv)
		for k, v := range set {
			m[k] = v
		}
		for _, k := range drop {
			delete(m, k)
		}
		b, _ := json.Marshal(m)
		return b
	}
	for _, tc := range []struct {
		name, alg, wantAlg, wantKID string
		data                        []byte
	}{
		{"as exported", "", AlgES256, ecKey.KID(), priv},
		{"own kid kept", "", AlgES256, "practice-key-2030", withMembers(map[string]any{"kid": "practice-key-2030"})},
		{"no kid: thumbprint", "", AlgES256, ecKey.KID(), withMembers(nil, "kid", "alg", "use")},
		{"alg given, JWK has none", AlgES256, AlgES256, ecKey.KID(), withMembers(nil, "alg")},
		{"surrounding whitespace", "", AlgES256, ecKey.KID(), append(append([]byte("\n  "), priv...), '\n')},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ImportKey(tc.data, tc.alg)
			if err != nil {
				t.Fatalf("ImportKey: %v", err)
			}
			if k.Alg() != tc.wantAlg || k.KID() != tc.wantKID {
				t.Errorf("alg/kid = %s/%s, want %s/%s", k.Alg(), k.KID(), tc.wantAlg, tc.wantKID)
			}
		})
	}
}

func TestImportKeyRejects(t *testing.T) {
	ecKey := mustKey(t, AlgES256)
	priv, err := ecKey.PrivateJWK()
	if err != nil {
		t.Fatal(err)
	}
	pubJWK, err := ecKey.PublicJWK()
	if err != nil {
		t.Fatal(err)
	}
	dValue, _ := jsonMembers(t, priv)["d"].(string)
	replace := func(old, new string) []byte { return []byte(strings.Replace(string(priv), old, new, 1)) }

	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p384DER, _ := x509.MarshalECPrivateKey(p384)
	_, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	edDER, _ := x509.MarshalPKCS8PrivateKey(edPriv)
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rsaPEM := pemBytes("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rk))
	pkixDER, _ := x509.MarshalPKIXPublicKey(&rk.PublicKey)
	encrypted := pem.EncodeToMemory(&pem.Block{
		Type:    "RSA PRIVATE KEY",
		Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF"},
		Bytes:   []byte("not really encrypted"),
	})
	truncated := rsaPEM[:len(rsaPEM)/2]

	for _, tc := range []struct {
		name, alg string
		data      []byte
		want      error
		msg       string
	}{
		{"empty", "", nil, ErrInvalidKey, "no data"},
		{"blank", "", []byte(" \n\t"), ErrInvalidKey, "no data"},
		{"garbage", "", []byte("hello world"), ErrInvalidKey, "neither a JWK nor a PEM"},
		{"truncated PEM", "", truncated, ErrInvalidKey, "neither a JWK nor a PEM"},
		{"bad PEM body", "", pemBytes("RSA PRIVATE KEY", []byte("junk")), ErrInvalidKey, "PEM RSA PRIVATE KEY"},
		{"public key PEM", "", pemBytes("PUBLIC KEY", pkixDER), ErrInvalidKey, "not a private key"},
		{"certificate PEM", "", pemBytes("CERTIFICATE", []byte{1, 2, 3}), ErrInvalidKey, "not a private key"},
		{"encrypted legacy PEM", "", encrypted, ErrInvalidKey, "encrypted PEM"},
		{"encrypted PKCS8", "", pemBytes("ENCRYPTED PRIVATE KEY", []byte{1}), ErrInvalidKey, "encrypted PEM"},
		{"unknown PEM type", "", pemBytes("OPENSSH PRIVATE KEY", []byte{1}), ErrInvalidKey, "unsupported PEM block"},
		{"EC P-384", "", pemBytes("EC PRIVATE KEY", p384DER), ErrInvalidKey, "P-384"},
		{"Ed25519", "", pemBytes("PRIVATE KEY", edDER), ErrInvalidKey, "unsupported key type"},
		{"RSA 1024", "", pemBytes("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(small)), ErrInvalidKey, "1024 bits"},
		{"RSA key as ES256", AlgES256, rsaPEM, ErrUnsupportedAlg, "RSA key"},
		{"EC key as RS256", AlgRS256, priv, ErrUnsupportedAlg, "requested RS256"},
		{"EC JWK without alg as PS256", AlgPS256, replace(`"alg":"ES256",`, ""), ErrUnsupportedAlg, "EC P-256"},
		{"unknown alg", "HS256", rsaPEM, ErrUnsupportedAlg, "HS256"},
		{"public JWK", "", pubJWK, ErrInvalidKey, "no private key"},
		{"symmetric JWK", "", []byte(`{"kty":"oct","k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}`), ErrInvalidKey, "no private key"},
		{"JWK for encryption", "", replace(`"use":"sig"`, `"use":"enc"`), ErrInvalidKey, "use"},
		{"JWK bad d", "", replace(dValue, "AAAA"), ErrInvalidKey, "JWK"},
		{"JWK syntax error", "", []byte(`{"kty":"EC","d":"` + dValue + `",x}`), ErrInvalidKey, "invalid JSON at offset"},
		{"JWK missing kty", "", []byte(`{"d":"` + dValue + `"}`), ErrInvalidKey, "JWK"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ImportKey(tc.data, tc.alg)
			if err == nil {
				t.Fatalf("ImportKey accepted it: %v", k)
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("error %q, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not mention %q", err, tc.msg)
			}
			if dValue != "" && strings.Contains(err.Error(), dValue[:8]) {
				t.Errorf("error %q leaks private key material", err)
			}
		})
	}
}

func TestKeyFormattingHidesSecrets(t *testing.T) {
	for _, alg := range []string{AlgES256, AlgRS256} {
		k := mustKey(t, alg)
		priv, err := k.PrivateJWK()
		if err != nil {
			t.Fatal(err)
		}
		d := jsonMembers(t, priv)["d"].(string)
		var buf bytes.Buffer
		logger := slog.New(slog.NewJSONHandler(&buf, nil))
		logger.Info("key", "key", k, "value", *k)
		for _, out := range []string{
			fmt.Sprint(k), fmt.Sprintf("%+v", k), fmt.Sprintf("%#v", k), fmt.Sprintf("%v", *k),
			fmt.Sprintf("%+v", *k), fmt.Sprintf("%#v", *k), fmt.Sprintf("%x", *k), fmt.Sprintf("%d", k),
			buf.String(),
		} {
			if strings.Contains(out, d[:10]) || strings.Contains(out, "PrivateKey") {
				t.Errorf("%s: formatted key leaks private material: %s", alg, out)
			}
			if !strings.Contains(out, k.KID()) {
				t.Errorf("%s: formatted key %q lacks the kid", alg, out)
			}
		}
	}
}

func FuzzImportKey(f *testing.F) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	sec1, _ := x509.MarshalECPrivateKey(ec)
	ecPKCS8, _ := x509.MarshalPKCS8PrivateKey(ec)
	rk, _ := rsa.GenerateKey(rand.Reader, 2048)
	k, _ := newKey(ec, "", "")
	jwk, _ := k.PrivateJWK()
	f.Add(pemBytes("EC PRIVATE KEY", sec1), "")
	f.Add(pemBytes("PRIVATE KEY", ecPKCS8), "ES256")
	f.Add(pemBytes("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rk)), "PS256")
	f.Add(jwk, "")
	f.Add([]byte(`{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQAB","p":"Aw","q":"Aw"}`), "RS256")
	f.Add([]byte(`{"kty":"EC","crv":"P-256","x":"","y":"","d":""}`), "")
	f.Add([]byte("-----BEGIN EC PRIVATE KEY-----\n\n-----END EC PRIVATE KEY-----\n"), "")
	f.Add([]byte("{"), "ES256")
	f.Fuzz(func(t *testing.T, data []byte, alg string) {
		k, err := ImportKey(data, alg)
		if err != nil {
			if k != nil {
				t.Fatal("key returned with an error")
			}
			return
		}
		switch k.Alg() {
		case AlgES256, AlgRS256, AlgPS256, AlgRS512:
		default:
			t.Fatalf("imported key with alg %q", k.Alg())
		}
		if k.KID() == "" {
			t.Fatal("imported key without kid")
		}
		priv, err := k.PrivateJWK()
		if err != nil {
			t.Fatalf("export imported key: %v", err)
		}
		back, err := ImportKey(priv, "")
		if err != nil || back.KID() != k.KID() || back.Alg() != k.Alg() {
			t.Fatalf("round trip of imported key: %v", err)
		}
	})
}
