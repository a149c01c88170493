package helseid

import (
	"bytes"
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
	"fmt"
	"log/slog"

	jose "github.com/go-jose/go-jose/v4"
)

// Signature algorithms HelseID accepts for client assertions and DPoP proofs.
const (
	AlgES256 = "ES256"
	AlgRS256 = "RS256"
	AlgPS256 = "PS256"
	AlgRS512 = "RS512"
)

const (
	// rsaGenerateBits is the size of generated RSA keys; 3072 bits is the
	// size recommended for keys in use beyond 2030.
	rsaGenerateBits = 3072
	// rsaMinBits and rsaMaxBits bound imported RSA keys: smaller keys are
	// too weak for HelseID, larger ones are refused by go-jose's JWK parser.
	rsaMinBits = 2048
	rsaMaxBits = 4096

	typeClientAssertion = "client-authentication+jwt"
	typeDPoPProof       = "dpop+jwt"
)

var (
	// ErrUnsupportedAlg is returned for a signature algorithm other than
	// ES256, RS256, PS256 or RS512, or one that does not fit the key type.
	ErrUnsupportedAlg = errors.New("unsupported signature algorithm")
	// ErrInvalidKey is returned when key data cannot be used as a HelseID
	// signing key (not a private key, unsupported type or size, malformed).
	ErrInvalidKey = errors.New("invalid key")
)

// Key is a HelseID client's private signing key with its algorithm and key
// id. It is immutable and safe for concurrent use. Its formatting verbs and
// slog value show only the algorithm and kid, never key material.
type Key struct {
	private jose.JSONWebKey // private key, with kid, alg and use "sig"
	public  jose.JSONWebKey // public half, same metadata
	alg     string
	kid     string

	// Signers are built once: their options never change, only the payload.
	assertionSigner jose.Signer
	proofSigner     jose.Signer
}

// GenerateKey creates a new signing key: an EC P-256 key for ES256, an
// RSA-3072 key for RS256, PS256 and RS512. The kid is the key's RFC 7638
// thumbprint (base64url of its SHA-256).
func GenerateKey(alg string) (*Key, error) {
	var signer crypto.Signer
	var err error
	switch alg {
	case AlgES256:
		signer, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case AlgRS256, AlgPS256, AlgRS512:
		signer, err = rsa.GenerateKey(rand.Reader, rsaGenerateBits)
	default:
		return nil, fmt.Errorf("generate key: %w: %q (use ES256, RS256, PS256 or RS512)", ErrUnsupportedAlg, alg)
	}
	if err != nil {
		return nil, fmt.Errorf("generate %s key: %w", alg, err)
	}
	k, err := newKey(signer, alg, "")
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	return k, nil
}

// ImportKey reads a private key from a JWK (JSON) or PEM (PKCS#1 "RSA PRIVATE
// KEY", PKCS#8 "PRIVATE KEY", SEC1 "EC PRIVATE KEY"). When alg is empty it is
// taken from the JWK's "alg" member, else from the key type (EC → ES256,
// RSA → RS256). The kid is the JWK's "kid" when present, else the RFC 7638
// thumbprint. Encrypted PEM is not supported: decrypt it first.
func ImportKey(data []byte, alg string) (*Key, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("import key: %w: no data", ErrInvalidKey)
	}
	var k *Key
	var err error
	if trimmed[0] == '{' {
		k, err = importJWK(trimmed, alg)
	} else {
		k, err = importPEM(trimmed, alg)
	}
	if err != nil {
		return nil, fmt.Errorf("import key: %w", err)
	}
	return k, nil
}

func importJWK(data []byte, alg string) (*Key, error) {
	// Check the syntax with encoding/json first: go-jose's parser quotes
	// the offending character, a piece of the key file, in its errors.
	var syntax json.RawMessage
	if err := json.Unmarshal(data, &syntax); err != nil {
		return nil, fmt.Errorf("%w: JWK: %s", ErrInvalidKey, sanitizeJSONError(err))
	}
	var jwk jose.JSONWebKey
	if err := jwk.UnmarshalJSON(data); err != nil {
		return nil, fmt.Errorf("%w: JWK: %s", ErrInvalidKey, sanitizeJSONError(err))
	}
	if jwk.Use != "" && jwk.Use != "sig" {
		return nil, fmt.Errorf("%w: JWK use is %q, want \"sig\"", ErrInvalidKey, jwk.Use)
	}
	if alg == "" {
		alg = jwk.Algorithm
	} else if jwk.Algorithm != "" && jwk.Algorithm != alg {
		return nil, fmt.Errorf("%w: requested %s but the JWK says %s", ErrUnsupportedAlg, alg, jwk.Algorithm)
	}
	signer, ok := jwk.Key.(crypto.Signer)
	if !ok || jwk.IsPublic() {
		return nil, fmt.Errorf("%w: the JWK holds no private key", ErrInvalidKey)
	}
	return newKey(signer, alg, jwk.KeyID)
}

// sanitizeJSONError drops the offending character that encoding/json puts
// into syntax errors, since it would be a piece of the key file.
func sanitizeJSONError(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("invalid JSON at offset %d", syn.Offset)
	}
	return err.Error()
}

func importPEM(data []byte, alg string) (*Key, error) {
	rest := data
	for {
		block, next := pem.Decode(rest)
		if block == nil {
			return nil, fmt.Errorf("%w: neither a JWK nor a PEM private key", ErrInvalidKey)
		}
		rest = next
		if _, encrypted := block.Headers["Proc-Type"]; encrypted {
			return nil, fmt.Errorf("%w: encrypted PEM is not supported; decrypt the key first", ErrInvalidKey)
		}
		var parsed any
		var err error
		switch block.Type {
		case "EC PARAMETERS":
			// openssl ecparam -genkey writes the curve before the key.
			continue
		case "RSA PRIVATE KEY":
			parsed, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		case "PRIVATE KEY":
			parsed, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			parsed, err = x509.ParseECPrivateKey(block.Bytes)
		case "ENCRYPTED PRIVATE KEY":
			return nil, fmt.Errorf("%w: encrypted PEM is not supported; decrypt the key first", ErrInvalidKey)
		case "PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE":
			return nil, fmt.Errorf("%w: PEM block %q is not a private key", ErrInvalidKey, block.Type)
		default:
			return nil, fmt.Errorf("%w: unsupported PEM block %q", ErrInvalidKey, block.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: PEM %s: %w", ErrInvalidKey, block.Type, err)
		}
		signer, ok := parsed.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("%w: unsupported key type %T", ErrInvalidKey, parsed)
		}
		return newKey(signer, alg, "")
	}
}

// newKey checks that signer and alg fit HelseID's rules and builds the Key.
// An empty alg means the key type's default; an empty kid the thumbprint.
func newKey(signer crypto.Signer, alg, kid string) (*Key, error) {
	switch key := signer.(type) {
	case *ecdsa.PrivateKey:
		if key.Curve != elliptic.P256() {
			return nil, fmt.Errorf("%w: EC curve %s (only P-256 is supported)", ErrInvalidKey, key.Curve.Params().Name)
		}
		if alg == "" {
			alg = AlgES256
		}
		if alg != AlgES256 {
			return nil, fmt.Errorf("%w: %q with an EC P-256 key (use ES256)", ErrUnsupportedAlg, alg)
		}
	case *rsa.PrivateKey:
		if bits := key.N.BitLen(); bits < rsaMinBits || bits > rsaMaxBits {
			return nil, fmt.Errorf("%w: RSA key of %d bits (need %d to %d)", ErrInvalidKey, bits, rsaMinBits, rsaMaxBits)
		}
		if len(key.Primes) != 2 {
			return nil, fmt.Errorf("%w: multi-prime RSA keys are not supported", ErrInvalidKey)
		}
		if err := key.Validate(); err != nil {
			return nil, fmt.Errorf("%w: RSA key is inconsistent", ErrInvalidKey)
		}
		if alg == "" {
			alg = AlgRS256
		}
		if alg != AlgRS256 && alg != AlgPS256 && alg != AlgRS512 {
			return nil, fmt.Errorf("%w: %q with an RSA key (use RS256, PS256 or RS512)", ErrUnsupportedAlg, alg)
		}
	default:
		return nil, fmt.Errorf("%w: unsupported key type %T (use EC P-256 or RSA)", ErrInvalidKey, signer)
	}

	priv := jose.JSONWebKey{Key: signer, Algorithm: alg, Use: "sig"}
	if !priv.Valid() {
		return nil, fmt.Errorf("%w: incomplete key", ErrInvalidKey)
	}
	if kid == "" {
		tp, err := priv.Thumbprint(crypto.SHA256)
		if err != nil {
			return nil, fmt.Errorf("%w: thumbprint: %w", ErrInvalidKey, err)
		}
		kid = base64.RawURLEncoding.EncodeToString(tp)
	}
	priv.KeyID = kid
	pub := priv.Public()
	if !pub.Valid() {
		return nil, fmt.Errorf("%w: no public key", ErrInvalidKey)
	}

	sigAlg := jose.SignatureAlgorithm(alg)
	// The assertion names its key by kid (registered in HelseID); the proof
	// carries the public key itself, as RFC 9449 requires, without kid.
	assertionSigner, err := jose.NewSigner(jose.SigningKey{Algorithm: sigAlg, Key: signer},
		(&jose.SignerOptions{}).WithType(typeClientAssertion).WithHeader(jose.HeaderKey("kid"), kid))
	if err != nil {
		return nil, fmt.Errorf("assertion signer: %w", err)
	}
	proofSigner, err := jose.NewSigner(jose.SigningKey{Algorithm: sigAlg, Key: signer},
		(&jose.SignerOptions{EmbedJWK: true}).WithType(typeDPoPProof))
	if err != nil {
		return nil, fmt.Errorf("proof signer: %w", err)
	}
	return &Key{
		private:         priv,
		public:          pub,
		alg:             alg,
		kid:             kid,
		assertionSigner: assertionSigner,
		proofSigner:     proofSigner,
	}, nil
}

// KID returns the key id: the RFC 7638 thumbprint unless an imported JWK
// carried its own.
func (k *Key) KID() string { return k.kid }

// Alg returns the signature algorithm: ES256, RS256, PS256 or RS512.
func (k *Key) Alg() string { return k.alg }

// Thumbprint returns the RFC 7638 SHA-256 thumbprint of the public key,
// base64url encoded: the value HelseID puts into a DPoP token's cnf.jkt.
// It equals KID for generated keys.
func (k *Key) Thumbprint() string {
	tp, err := k.public.Thumbprint(crypto.SHA256)
	if err != nil {
		// newKey computed a thumbprint of the same key already.
		return ""
	}
	return base64.RawURLEncoding.EncodeToString(tp)
}

// PublicJWK returns the public key as a JWK with kid, alg and use "sig": the
// value to register for the client in HelseID's self-service portal.
func (k *Key) PublicJWK() ([]byte, error) {
	b, err := k.public.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("public JWK: %w", err)
	}
	return b, nil
}

// PublicJWKS returns the public key as a JWK set: {"keys":[...]}.
func (k *Key) PublicJWKS() ([]byte, error) {
	b, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{k.public}})
	if err != nil {
		return nil, fmt.Errorf("public JWKS: %w", err)
	}
	return b, nil
}

// PrivateJWK returns the private key as a JWK with kid, alg and use "sig".
// It exists ONLY for storing the key in the OS keyring (KeyringStore) and
// for the NHN mock's test client; never print, log or write it to a file.
func (k *Key) PrivateJWK() ([]byte, error) {
	b, err := k.private.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("private JWK: %w", err)
	}
	return b, nil
}

// SignJWT signs claims as a compact JWT with the key's alg and its kid in
// the header (typ "JWT"): the client assertion (private_key_jwt) of an
// OpenID Connect provider other than HelseID, such as ID-porten.
func (k *Key) SignJWT(claims any) (string, error) {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.SignatureAlgorithm(k.alg), Key: k.private.Key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader(jose.HeaderKey("kid"), k.kid))
	if err != nil {
		return "", fmt.Errorf("JWT signer: %w", err)
	}
	return sign(signer, claims)
}

// String describes the key without key material.
func (k Key) String() string { return fmt.Sprintf("helseid.Key{alg=%s kid=%s}", k.alg, k.kid) }

// Format makes every fmt verb (%v, %+v, %#v, %x, ...) print String, so key
// material cannot reach a log or terminal through fmt.
func (k Key) Format(f fmt.State, _ rune) { _, _ = fmt.Fprint(f, k.String()) }

// LogValue keeps key material out of slog output.
func (k Key) LogValue() slog.Value {
	return slog.GroupValue(slog.String("alg", k.alg), slog.String("kid", k.kid))
}
