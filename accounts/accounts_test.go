package accounts

import (
	"errors"
	"testing"
)

func TestNormaliseEmail(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"ana@example.org", "ana@example.org"},
		{"  Ana.B@Example.ORG ", "ana.b@example.org"},
		{"a+tag@sub.example.org", "a+tag@sub.example.org"},
		{"", ""},
		{"ana", ""},
		{"ana@", ""},
		{"@example.org", ""},
		{"Ana <ana@example.org>", ""},
		{"a b@example.org", ""},
	} {
		got, err := NormaliseEmail(tc.in)
		var inv *InvalidError
		if tc.want == "" {
			if !errors.As(err, &inv) || inv.Field != "email" {
				t.Errorf("NormaliseEmail(%q) = %q, %v; want an InvalidError naming email", tc.in, got, err)
			}
			continue
		}
		if got != tc.want || err != nil {
			t.Errorf("NormaliseEmail(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestCheckRoleAndPassword(t *testing.T) {
	t.Parallel()
	for _, r := range []string{"admin", "reviewer", "partner"} {
		if err := CheckRole(r); err != nil {
			t.Errorf("CheckRole(%q) = %v", r, err)
		}
	}
	for _, r := range []string{"", "Admin", "owner", "partner "} {
		if err := CheckRole(r); err == nil {
			t.Errorf("CheckRole(%q) accepted", r)
		}
	}
	var inv *InvalidError
	if err := CheckPassword("short"); !errors.As(err, &inv) || inv.Field != "password" {
		t.Errorf("CheckPassword(short) = %v", err)
	}
	if err := CheckPassword("a long and rare passphrase"); err != nil {
		t.Errorf("CheckPassword(long) = %v", err)
	}
}
