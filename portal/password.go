package portal

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2Params are argon2id's cost parameters. They are recorded in every
// hash, so raising them later leaves older hashes verifiable.
type Argon2Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
	SaltLen   uint32
	KeyLen    uint32
}

// DefaultArgon2 follows OWASP's minimum for argon2id (19 MiB, two passes,
// one lane): about 30 ms per hash on a reception PC.
func DefaultArgon2() Argon2Params {
	return Argon2Params{MemoryKiB: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
}

// Password length bounds, in characters. The upper bound keeps hashing
// cheap for a form field an attacker fills.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 128
)

// HashPassword hashes pw with argon2id and a fresh random salt, in the PHC
// string format: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(pw string, p Argon2Params) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryKiB, p.Threads, p.KeyLen)
	return formatHash(p, salt, key), nil
}

// formatHash is the PHC string of an argon2id key.
func formatHash(p Argon2Params, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// unmatchableHash is a hash in HashPassword's format with p's costs whose
// key is random bytes instead of argon2id's output. Verifying a password
// against it costs one argon2id derivation with p's costs, as against a
// stored hash, and it matches no password (a random 256-bit key); making
// it costs no derivation at all, so the program's start does not wait for
// one.
func unmatchableHash(p Argon2Params) (string, error) {
	salt := make([]byte, p.SaltLen)
	key := make([]byte, p.KeyLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("password key: %w", err)
	}
	return formatHash(p, salt, key), nil
}

// errBadHash means a stored hash is not one this package wrote.
var errBadHash = errors.New("stored password hash has an unknown format")

// VerifyPassword reports whether pw matches hash, using the parameters
// recorded in hash. The comparison takes constant time.
func VerifyPassword(pw, hash string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return false, errBadHash
	}
	if p.MemoryKiB == 0 || p.MemoryKiB > 1<<21 || p.Time == 0 || p.Time > 64 || p.Threads == 0 {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 64 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// Password problems, as message codes.
const (
	PasswordTooShort = "password.too_short"
	PasswordTooLong  = "password.too_long"
	PasswordCommon   = "password.common"
	PasswordIsEmail  = "password.is_email"
	PasswordInvalid  = "password.invalid"
)

// CheckPassword applies the rules the patient sees in plain words: at least
// ten characters (a few words make a good one), at most 128, not the e-mail
// address, not a well-known password, not one character repeated. It
// returns "" when pw is acceptable, else a code.
func CheckPassword(pw, email string) string {
	if !utf8.ValidString(pw) {
		return PasswordInvalid
	}
	for _, r := range pw {
		if unicode.IsControl(r) {
			return PasswordInvalid
		}
	}
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return PasswordTooShort
	case n > MaxPasswordLen:
		return PasswordTooLong
	case email != "" && strings.EqualFold(strings.TrimSpace(pw), strings.TrimSpace(email)):
		return PasswordIsEmail
	}
	// The first guesses of anyone trying are refused outright.
	common := []string{"1234567890", "12345678910", "0123456789", "qwertyuiop", "passord123", "password123",
		"passord1234", "password1234", "asdfghjkl1", "abcdefghij", "sommer2026!", "vinter2026!"}
	lower := strings.ToLower(pw)
	for _, c := range common {
		if lower == c {
			return PasswordCommon
		}
	}
	first, _ := utf8.DecodeRuneInString(pw)
	if strings.Trim(pw, string(first)) == "" {
		return PasswordCommon
	}
	return ""
}

// NewToken returns a random link or session token (256 bits, URL-safe) and
// the hash under which it is stored.
func NewToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("random token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken is the stored form of a token: hex SHA-256. A token has 256
// random bits, so a fast hash is enough; only a database reader is kept
// from using it.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
