// Package credential holds the tracker's secrets handling, with no database
// and no HTTP: argon2id password hashes in the PHC string format, the
// password policy, and the random tokens of sessions and API keys (stored
// only as their SHA-256).
package credential

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultParams are the minimum the OWASP Password Storage Cheat Sheet
// recommends for argon2id (19 MiB, 2 passes, 1 lane), with a 16-byte salt
// and a 32-byte hash. Hashes record their parameters, so raising these
// later leaves existing hashes verifiable.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

var b64 = base64.RawStdEncoding

// Hash returns the PHC string of password under p:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, base64 without padding.
func Hash(password string, p Params) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("credential: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrMalformedHash is a stored hash that is not an argon2id PHC string this
// package can read.
var ErrMalformedHash = errors.New("credential: malformed argon2id hash")

// parsePHC reads the parameters, salt and key of a PHC string.
func parsePHC(phc string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, ErrMalformedHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, ErrMalformedHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil ||
		p.Memory < 8 || p.Memory > 4<<20 || p.Time < 1 || p.Time > 64 || p.Threads < 1 {
		return p, nil, nil, ErrMalformedHash
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, ErrMalformedHash
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 || len(key) > 128 {
		return p, nil, nil, ErrMalformedHash
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}

// Verify reports whether password matches the PHC string phc, comparing in
// constant time; the cost is that of the parameters phc records.
func Verify(password, phc string) (bool, error) {
	p, salt, key, err := parsePHC(phc)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// MinPasswordLength is the shortest password accepted, in characters.
const MinPasswordLength = 12

// MaxPasswordLength bounds the work one password costs, in bytes.
const MaxPasswordLength = 1024

//go:embed common-passwords.txt
var commonList []byte

var common = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(commonList))
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
})

// CheckPassword applies the password policy: at least 12 characters, at most
// 1024 bytes, valid UTF-8, and not in the embedded list of common passwords
// (compared in lower case). It returns the reason a password is refused, or "".
func CheckPassword(pw string) string {
	switch {
	case !utf8.ValidString(pw):
		return "is not valid UTF-8"
	case utf8.RuneCountInString(pw) < MinPasswordLength:
		return fmt.Sprintf("must be at least %d characters long", MinPasswordLength)
	case len(pw) > MaxPasswordLength:
		return fmt.Sprintf("must be at most %d bytes long", MaxPasswordLength)
	case common()[strings.ToLower(pw)]:
		return "is one of the most common passwords; choose another"
	}
	return ""
}
