package credential

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

// KeyPrefix starts every API key token, so a leaked key is recognisable
// (for secret scanners too).
const KeyPrefix = "sct_"

// KeyDisplayLen is how many leading characters of a key token are kept and
// shown in lists: "sct_" and 8 random characters.
const KeyDisplayLen = len(KeyPrefix) + 8

// tokenBytes is the randomness of every token: 32 bytes (256 bits).
const tokenBytes = 32

// NewSessionToken returns a random session token (base64url of 32 bytes).
func NewSessionToken() (string, error) { return randomToken("") }

// NewKeyToken returns a random API key token: "sct_" + base64url of 32 bytes.
func NewKeyToken() (string, error) { return randomToken(KeyPrefix) }

func randomToken(prefix string) (string, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("credential: token: %w", err)
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// TokenHash is the SHA-256 of a token: what the database stores and looks up.
func TokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// WellFormedKey reports whether s has the shape of a key token, so that
// garbage is refused before any database work.
func WellFormedKey(s string) bool {
	rest, ok := strings.CutPrefix(s, KeyPrefix)
	if !ok || len(rest) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}

// WellFormedSession reports whether s has the shape of a session token.
func WellFormedSession(s string) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}
