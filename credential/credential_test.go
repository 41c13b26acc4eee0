package credential

import (
	"strings"
	"testing"
)

// fast keeps the tests quick; the format and the checks are the same.
var fast = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashVerify(t *testing.T) {
	t.Parallel()
	for _, p := range []Params{fast, DefaultParams} {
		h, err := Hash("correct horse battery staple", p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(h, "$argon2id$v=19$m=") {
			t.Errorf("Hash = %q, want a PHC argon2id string", h)
		}
		for _, tc := range []struct {
			pw   string
			want bool
		}{{"correct horse battery staple", true}, {"correct horse battery stapl", false}, {"", false}, {"Correct horse battery staple", false}} {
			got, err := Verify(tc.pw, h)
			if err != nil || got != tc.want {
				t.Errorf("Verify(%q, %q) = %v, %v; want %v", tc.pw, h, got, err, tc.want)
			}
		}
	}
	a, _ := Hash("same password twice", fast)
	b, _ := Hash("same password twice", fast)
	if a == b {
		t.Errorf("two hashes of one password are equal (%q): the salt is not random", a)
	}
}

func TestHashRecordsItsParameters(t *testing.T) {
	t.Parallel()
	h, _ := Hash("a long enough password", DefaultParams)
	if !strings.Contains(h, "$m=19456,t=2,p=1$") {
		t.Errorf("Hash = %q, want the default parameters m=19456,t=2,p=1 in it", h)
	}
	p, salt, key, err := parsePHC(h)
	if err != nil || p.Memory != 19456 || p.Time != 2 || p.Threads != 1 || len(salt) != 16 || len(key) != 32 {
		t.Errorf("parsePHC(%q) = %+v, %d-byte salt, %d-byte key, %v", h, p, len(salt), len(key), err)
	}
}

func TestVerifyMalformed(t *testing.T) {
	t.Parallel()
	good, _ := Hash("x", fast)
	parts := strings.Split(good, "$")
	for _, bad := range []string{
		"", "plain", "$argon2i$v=19$m=64,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=16$m=64,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=99999999,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=64,t=0,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=64,t=1,p=1$!!!$" + parts[5],
		"$argon2id$v=19$m=64,t=1,p=1$" + parts[4] + "$short",
	} {
		if ok, err := Verify("x", bad); ok || err != ErrMalformedHash {
			t.Errorf("Verify(x, %q) = %v, %v; want false, ErrMalformedHash", bad, ok, err)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pw, want string
	}{
		{"", "at least 12"},
		{"elevenchars", "at least 12"},
		{"ünïcödé-ok!", "at least 12"}, // 11 characters, more bytes
		{"ünïcödé-ok!!", ""},
		{"password1234", "most common"},   // in the list
		{"PassWord1234", "most common"},   // compared in lower case
		{"1q2w3e4r5t6y7u", "most common"}, // in the list
		{"a very unusual sentence", ""},
		{strings.Repeat("x", 1025), "at most 1024"},
		{"bad utf8 \xff\xfe padded", "UTF-8"},
	} {
		got := CheckPassword(tc.pw)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("CheckPassword(%q) = %q, want a reason containing %q", tc.pw, got, tc.want)
		}
	}
	if n := len(common()); n < 150 {
		t.Errorf("the embedded list has %d passwords, want the 205 kept from Django's list", n)
	}
	for pw := range common() {
		if len(pw) < 12 || strings.ToLower(pw) != pw {
			t.Errorf("embedded list entry %q: want 12 or more bytes, lower case", pw)
		}
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	k1, _ := NewKeyToken()
	k2, _ := NewKeyToken()
	s1, _ := NewSessionToken()
	if k1 == k2 || !strings.HasPrefix(k1, "sct_") || len(k1) != 4+43 || !WellFormedKey(k1) {
		t.Errorf("key tokens %q, %q", k1, k2)
	}
	if len(s1) != 43 || !WellFormedSession(s1) || WellFormedSession(k1) || WellFormedKey(s1) {
		t.Errorf("session token %q", s1)
	}
	for _, bad := range []string{"", "sct_", "sct_" + strings.Repeat("A", 42), "xyz_" + k1[4:], k1 + "A", "sct_" + strings.Repeat("*", 43)} {
		if WellFormedKey(bad) {
			t.Errorf("WellFormedKey(%q) = true", bad)
		}
	}
	if h := TokenHash(k1); len(h) != 32 || string(h) == string(TokenHash(k2)) {
		t.Errorf("TokenHash: %x", h)
	}
}

// BenchmarkHashDefault is the cost of one login's password work (figures in
// docs/performance.md).
func BenchmarkHashDefault(b *testing.B) {
	for b.Loop() {
		if _, err := Hash("a long and rare passphrase", DefaultParams); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyDefault(b *testing.B) {
	h, _ := Hash("a long and rare passphrase", DefaultParams)
	for b.Loop() {
		if ok, _ := Verify("a long and rare passphrase", h); !ok {
			b.Fatal("no match")
		}
	}
}
