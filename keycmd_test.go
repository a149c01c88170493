package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"resepsjon/activation"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/store"
)

// keyEnv is an environment with its own data directory and key store.
type keyEnv struct {
	t       *testing.T
	dataDir string
	keys    helseid.KeyStore
	stdin   io.Reader
}

func newKeyEnv(t *testing.T, keys helseid.KeyStore) *keyEnv {
	t.Helper()
	return &keyEnv{t: t, dataDir: filepath.Join(t.TempDir(), "data"), keys: keys}
}

// run runs "resepsjon key ARGS... --data-dir DIR" and returns its outputs.
func (k *keyEnv) run(args ...string) (stdout, stderr string, err error) {
	k.t.Helper()
	var out, errOut bytes.Buffer
	env := &environment{
		stdin: k.stdin, stdout: &out, stderr: &errOut,
		getenv: func(string) string { return "" },
		keys:   func() helseid.KeyStore { return k.keys },
	}
	ctx, cancel := context.WithTimeout(k.t.Context(), 3*time.Minute)
	defer cancel()
	err = env.dispatch(ctx, "key", append(args, "--data-dir", k.dataDir))
	return out.String(), errOut.String(), err
}

// setting reads the active key id from the data directory's database.
func (k *keyEnv) setting() string {
	k.t.Helper()
	db, err := store.Open(k.t.Context(), filepath.Join(k.dataDir, "resepsjon.db"), nil)
	if err != nil {
		k.t.Fatalf("open database: %v", err)
	}
	defer db.Close()
	v, _, err := db.GetSetting(k.t.Context(), activation.SettingKeyID)
	if err != nil {
		k.t.Fatalf("get setting: %v", err)
	}
	return v
}

// parseJWKs decodes the JSON objects printed on stdout, in order.
func parseJWKs(t *testing.T, out string) []jose.JSONWebKey {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	var keys []jose.JSONWebKey
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); errors.Is(err, io.EOF) {
			return keys
		} else if err != nil {
			t.Fatalf("stdout is not a sequence of JWKs: %v\n%s", err, out)
		}
		var k jose.JSONWebKey
		if err := k.UnmarshalJSON(raw); err != nil {
			t.Fatalf("stdout holds no JWK: %v\n%s", err, raw)
		}
		keys = append(keys, k)
	}
}

// privateD returns the base64url "d" member of the key's private JWK.
func privateD(t *testing.T, k *helseid.Key) string {
	t.Helper()
	priv, err := k.PrivateJWK()
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		D string `json:"d"`
	}
	if err := json.Unmarshal(priv, &m); err != nil || m.D == "" {
		t.Fatalf("private JWK without d: %v", err)
	}
	return m.D
}

// assertNotInFiles fails when secret occurs in any file under dir.
func assertNotInFiles(t *testing.T, dir, secret string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("private key material found in %s", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("no files in %s to scan", dir)
	}
}

func TestKeyGenerateShowDelete(t *testing.T) {
	for _, alg := range []string{helseid.AlgES256, helseid.AlgRS256} {
		t.Run(alg, func(t *testing.T) {
			mem := helseid.NewMemoryKeyStore()
			k := newKeyEnv(t, mem)

			out, errOut, err := k.run("generate", "--alg", alg)
			if err != nil {
				t.Fatalf("generate: %v\n%s", err, errOut)
			}
			jwks := parseJWKs(t, out)
			if len(jwks) != 1 {
				t.Fatalf("generate printed %d JWKs, want 1:\n%s", len(jwks), out)
			}
			pub := jwks[0]
			if !pub.IsPublic() || pub.Algorithm != alg || pub.Use != "sig" {
				t.Fatalf("printed JWK: public=%v alg=%q use=%q", pub.IsPublic(), pub.Algorithm, pub.Use)
			}
			if strings.Contains(out, `"d"`) {
				t.Fatalf("generate printed private key material:\n%s", out)
			}
			if got := k.setting(); got != pub.KeyID {
				t.Fatalf("setting %s = %q, want the printed kid %q", activation.SettingKeyID, got, pub.KeyID)
			}
			stored, err := mem.Load(t.Context(), pub.KeyID)
			if err != nil {
				t.Fatalf("key not in the key store: %v", err)
			}
			if stored.Thumbprint() != pub.KeyID {
				t.Errorf("kid %q is not the RFC 7638 thumbprint %q", pub.KeyID, stored.Thumbprint())
			}
			if !strings.Contains(errOut, pub.KeyID) || !strings.Contains(errOut, "HelseID selvbetjening") {
				t.Errorf("generate did not explain what to do with the key:\n%s", errOut)
			}
			assertNotInFiles(t, k.dataDir, privateD(t, stored))

			showOut, showErr, err := k.run("show")
			if err != nil {
				t.Fatalf("show: %v\n%s", err, showErr)
			}
			if showOut != out {
				t.Errorf("show printed\n%s\nwant the generated public JWK\n%s", showOut, out)
			}
			if !strings.Contains(showErr, pub.KeyID) || !strings.Contains(showErr, alg) {
				t.Errorf("show did not name kid and alg:\n%s", showErr)
			}

			_, _, err = k.run("delete")
			var ue *usageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), "--yes") {
				t.Fatalf("delete without --yes: %v, want a usage error asking for --yes", err)
			}
			if _, err := mem.Load(t.Context(), pub.KeyID); err != nil {
				t.Fatalf("delete without --yes removed the key: %v", err)
			}

			if _, errOut, err := k.run("delete", "--yes"); err != nil {
				t.Fatalf("delete --yes: %v\n%s", err, errOut)
			}
			if _, err := mem.Load(t.Context(), pub.KeyID); !errors.Is(err, helseid.ErrKeyNotFound) {
				t.Errorf("key still in the store after delete: %v", err)
			}
			if got := k.setting(); got != "" {
				t.Errorf("setting after delete = %q, want empty", got)
			}
			if _, _, err := k.run("show"); err == nil || !strings.Contains(err.Error(), "key generate") {
				t.Errorf("show without a key: %v, want advice to run key generate", err)
			}
		})
	}
}

func TestKeyGenerateReplace(t *testing.T) {
	mem := helseid.NewMemoryKeyStore()
	k := newKeyEnv(t, mem)
	out, _, err := k.run("generate", "--alg", "ES256")
	if err != nil {
		t.Fatal(err)
	}
	first := parseJWKs(t, out)[0].KeyID

	if _, _, err := k.run("generate", "--alg", "ES256"); err == nil || !strings.Contains(err.Error(), "--replace") {
		t.Fatalf("second generate: %v, want a refusal naming --replace", err)
	}
	if got := k.setting(); got != first {
		t.Fatalf("refused generate changed the active key to %q", got)
	}

	out, _, err = k.run("generate", "--alg", "ES256", "--replace")
	if err != nil {
		t.Fatalf("generate --replace: %v", err)
	}
	second := parseJWKs(t, out)[0].KeyID
	if second == first {
		t.Fatal("generate --replace kept the old kid")
	}
	if got := k.setting(); got != second {
		t.Errorf("active key = %q, want the new %q", got, second)
	}
	if _, err := mem.Load(t.Context(), first); !errors.Is(err, helseid.ErrKeyNotFound) {
		t.Errorf("old key still in the store: %v", err)
	}
	if _, err := mem.Load(t.Context(), second); err != nil {
		t.Errorf("new key not in the store: %v", err)
	}
}

func TestKeyGeneratePrintPrivate(t *testing.T) {
	mem := helseid.NewMemoryKeyStore()
	k := newKeyEnv(t, mem)
	out, errOut, err := k.run("generate", "--alg", "ES256", "--print-private")
	if err != nil {
		t.Fatal(err)
	}
	jwks := parseJWKs(t, out)
	if len(jwks) != 2 || !jwks[0].IsPublic() || jwks[1].IsPublic() {
		t.Fatalf("want the public then the private JWK, got %d keys:\n%s", len(jwks), out)
	}
	stored, err := mem.Load(t.Context(), jwks[0].KeyID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, privateD(t, stored)) {
		t.Error("the printed private JWK is not the stored key")
	}
	for _, want := range []string{"ADVARSEL", "WARNING", "ONLY for the NHN mock", "Never use it against the real HelseID"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks the warning %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, privateD(t, stored)) {
		t.Error("private key material on stderr")
	}
	assertNotInFiles(t, k.dataDir, privateD(t, stored))
}

func TestKeyGenerateBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"generate", "--alg", "HS256"},
		{"generate", "extra"},
		{"import"},
		{"frobnicate"},
		{},
	} {
		k := newKeyEnv(t, helseid.NewMemoryKeyStore())
		_, _, err := k.run(args...)
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("key %v: %v, want a usage error", args, err)
		}
	}
}

// importCases are private keys in every format key import reads.
func importCases(t *testing.T) []struct {
	name, alg string
	data      []byte
	signer    any
} {
	t.Helper()
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	sec1, err := x509.MarshalECPrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8RSA, err := x509.MarshalPKCS8PrivateKey(rsaKey)
	if err != nil {
		t.Fatal(err)
	}
	jwk, err := jose.JSONWebKey{Key: ec, Algorithm: "ES256", Use: "sig"}.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	pemOf := func(typ string, b []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}) }
	return []struct {
		name, alg string
		data      []byte
		signer    any
	}{
		{"jwk", "ES256", jwk, ec},
		{"sec1", "ES256", pemOf("EC PRIVATE KEY", sec1), ec},
		{"pkcs8-ec", "ES256", pemOf("PRIVATE KEY", pkcs8), ec},
		{"pkcs1", "RS256", pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey)), rsaKey},
		{"pkcs8-rsa", "RS256", pemOf("PRIVATE KEY", pkcs8RSA), rsaKey},
	}
}

func TestKeyImport(t *testing.T) {
	for _, tc := range importCases(t) {
		for _, viaStdin := range []bool{false, true} {
			name := tc.name
			if viaStdin {
				name += "-stdin"
			}
			t.Run(name, func(t *testing.T) {
				mem := helseid.NewMemoryKeyStore()
				k := newKeyEnv(t, mem)
				file := "-"
				if viaStdin {
					k.stdin = bytes.NewReader(tc.data)
				} else {
					file = filepath.Join(t.TempDir(), "key.pem")
					if err := os.WriteFile(file, tc.data, 0o600); err != nil {
						t.Fatal(err)
					}
				}
				out, errOut, err := k.run("import", file)
				if err != nil {
					t.Fatalf("import: %v\n%s", err, errOut)
				}
				jwks := parseJWKs(t, out)
				if len(jwks) != 1 || !jwks[0].IsPublic() || jwks[0].Algorithm != tc.alg {
					t.Fatalf("import printed %s", out)
				}
				want := jose.JSONWebKey{Key: tc.signer}
				pub := want.Public()
				tp, err := pub.Thumbprint(crypto.SHA256)
				if err != nil {
					t.Fatal(err)
				}
				if got := k.setting(); got != base64.RawURLEncoding.EncodeToString(tp) || jwks[0].KeyID != got {
					t.Fatalf("active key %q, printed %q, want the thumbprint %q", got, jwks[0].KeyID, base64.RawURLEncoding.EncodeToString(tp))
				}
				stored, err := mem.Load(t.Context(), k.setting())
				if err != nil {
					t.Fatal(err)
				}
				assertNotInFiles(t, k.dataDir, privateD(t, stored))
			})
		}
	}
}

func TestKeyImportRefusesBadInput(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pubJWK, err := jose.JSONWebKey{Key: &ec.PublicKey, Algorithm: "ES256"}.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, data string }{
		{"public-only", string(pubJWK)},
		{"garbage", "not-a-key-SECRETISH-CONTENT"},
		{"broken-json", `{"kty":"EC","d":"SECRETISH-CONTENT"`},
		{"empty", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := newKeyEnv(t, helseid.NewMemoryKeyStore())
			file := filepath.Join(t.TempDir(), "key")
			if err := os.WriteFile(file, []byte(tc.data), 0o600); err != nil {
				t.Fatal(err)
			}
			out, errOut, err := k.run("import", file)
			if err == nil {
				t.Fatalf("import of %s succeeded:\n%s", tc.name, out)
			}
			if strings.Contains(err.Error()+out+errOut, "SECRETISH") {
				t.Errorf("file content echoed: %v", err)
			}
			if _, statErr := os.Stat(filepath.Join(k.dataDir, "resepsjon.db")); statErr == nil && k.setting() != "" {
				t.Errorf("a refused import recorded key %q", k.setting())
			}
		})
	}
	k := newKeyEnv(t, helseid.NewMemoryKeyStore())
	if _, _, err := k.run("import", filepath.Join(t.TempDir(), "missing.pem")); err == nil {
		t.Error("import of a missing file succeeded")
	}
}

// TestKeyNoKeyring runs the program with no reachable Secret Service: it
// must say so plainly, exit non-zero and record nothing.
func TestKeyNoKeyring(t *testing.T) {
	if dir := os.Getenv("RESEPSJON_KEYCMD_CHILD_DATA"); dir != "" {
		err := run(context.Background(), []string{"key", "generate", "--alg", "ES256", "--data-dir", dir},
			os.Stdout, os.Stderr, os.Getenv)
		if err != nil {
			os.Stderr.WriteString("resepsjon: " + err.Error() + "\n")
			os.Exit(exitCode(err))
		}
		os.Exit(0)
	}
	if runtime.GOOS != "linux" {
		t.Skip("the Secret Service is the Linux keyring; elsewhere the OS keyring is always present")
	}
	dataDir := filepath.Join(t.TempDir(), "data")
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestKeyNoKeyring$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		"RESEPSJON_KEYCMD_CHILD_DATA="+dataDir,
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-bus"),
	)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("exit: %v, want status 1\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	for _, want := range []string{"Fant ingen nøkkelring (Secret Service)", "No OS keyring (Secret Service)", "klartekst"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if strings.Contains(stdout.String(), "{") {
		t.Errorf("a key was printed although none was stored:\n%s", stdout.String())
	}
	k := &keyEnv{t: t, dataDir: dataDir}
	if got := k.setting(); got != "" {
		t.Errorf("active key %q recorded without a keyring", got)
	}
	for _, name := range []string{"config.yaml", "key.json"} {
		if _, err := os.Stat(filepath.Join(dataDir, name)); err == nil {
			t.Errorf("%s written: no plaintext fallback allowed", name)
		}
	}
}

// TestKeyCommandsWithOSKeyring runs generate, show and delete against the
// real Secret Service. .ci/run provides one (see README).
func TestKeyCommandsWithOSKeyring(t *testing.T) {
	if os.Getenv("RESEPSJON_KEYRING_TEST") != "1" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but RESEPSJON_KEYRING_TEST is not 1: the keyring test must run in CI")
		}
		t.Skip("needs RESEPSJON_KEYRING_TEST=1 and an unlocked Secret Service")
	}
	ring := helseid.NewKeyringStore()
	k := newKeyEnv(t, ring)
	out, errOut, err := k.run("generate", "--alg", "ES256")
	if err != nil {
		t.Fatalf("generate: %v\n%s", err, errOut)
	}
	kid := parseJWKs(t, out)[0].KeyID
	t.Cleanup(func() { _ = ring.Delete(context.Background(), kid) })
	if k.setting() != kid {
		t.Fatalf("active key %q, want %q", k.setting(), kid)
	}
	stored, err := ring.Load(t.Context(), kid)
	if err != nil {
		t.Fatalf("key not in the OS keyring: %v", err)
	}
	assertNotInFiles(t, k.dataDir, privateD(t, stored))

	showOut, _, err := k.run("show")
	if err != nil || showOut != out {
		t.Fatalf("show: %v\n%s\nwant\n%s", err, showOut, out)
	}
	if _, errOut, err := k.run("delete", "--yes"); err != nil {
		t.Fatalf("delete: %v\n%s", err, errOut)
	}
	if _, err := ring.Load(t.Context(), kid); !errors.Is(err, helseid.ErrKeyNotFound) {
		t.Errorf("key still in the OS keyring after delete: %v", err)
	}
}
