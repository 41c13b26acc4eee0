package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/scs-diffusion/tracker/credential"
	"github.com/scs-diffusion/tracker/store"
	"github.com/scs-diffusion/tracker/store/storetest"
)

// TestAdminCommands runs `tracker admin` against a real database, with
// passwords on standard input.
func TestAdminCommands(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	env := envOf(map[string]string{"DATABASE_URL": db.URL})
	ctx := context.Background()
	admin := func(stdin string, args ...string) (string, error) {
		t.Helper()
		var out, errOut bytes.Buffer
		err := runIO(ctx, append([]string{"admin"}, args...), env, strings.NewReader(stdin), &out, &errOut)
		return out.String() + errOut.String(), err
	}
	const pw = "a long and rare passphrase\n"
	steps := []struct {
		stdin   string
		args    []string
		want    string // in the output, or in the error when wantErr
		wantErr bool
	}{
		{pw, []string{"create-admin", "--email", "Root@Example.org", "--name", "Root"}, "created admin 1 root@example.org (no organisation)", false},
		{"", []string{"create-org", "--name", "Watchdog"}, `created organisation 1 "Watchdog" (named on the public side: true)`, false},
		{"", []string{"create-org", "--name", "Quiet", "--unnamed"}, `"Quiet" (named on the public side: false)`, false},
		{"", []string{"create-org", "--name", "Watchdog"}, "--name an organisation with this name exists", true},
		{pw, []string{"create-user", "--email", "p@example.org", "--name", "P", "--role", "partner", "--org", "Watchdog"}, `created partner 2 p@example.org (organisation "Watchdog")`, false},
		{pw, []string{"create-user", "--email", "r@example.org", "--name", "R", "--role", "reviewer", "--org", "2"}, `(organisation "Quiet")`, false},
		{pw, []string{"create-user", "--email", "x@example.org", "--name", "X", "--role", "owner", "--org", "2"}, "--role must be admin, reviewer or partner", true},
		{pw, []string{"create-user", "--email", "x@example.org", "--name", "X", "--role", "partner", "--org", "Nobody"}, "no organisation is named", true},
		{"short\n", []string{"create-user", "--email", "x@example.org", "--name", "X", "--role", "partner", "--org", "1"}, "password (standard input) must be at least 12", true},
		{"password1234\n", []string{"create-admin", "--email", "y@example.org", "--name", "Y"}, "most common passwords", true},
		{"", []string{"create-admin", "--email", "y@example.org", "--name", "Y"}, "no password on standard input", true},
		{pw, []string{"create-admin", "--email", "y@example.org", "--name", "Y", "--password", "x"}, "flag provided but not defined: -password", true},
		{pw, []string{"create-admin", "--email", "y@example.org"}, "--name is required", true},
		{"another rare passphrase\n", []string{"reset-password", "--email", "P@example.org"}, "password of p@example.org reset", false},
		{"another rare passphrase\n", []string{"reset-password", "--email", "ghost@example.org"}, "no person has the email", true},
		{"", []string{"create-key", "--org", "Watchdog", "--role", "partner", "--name", "bot", "--expires", "2999-12-31"}, "expires 2999-12-31T00:00:00Z", false},
		{"", []string{"create-key", "--org", "Watchdog", "--role", "admin", "--name", "bot"}, "--role must be partner or reviewer", true},
		{"", []string{"create-key", "--org", "Watchdog", "--role", "partner", "--name", "bot", "--expires", "2000-01-01"}, "--expires must be in the future", true},
		{"", []string{"revoke-key", "--id", "1"}, "key 1 \"bot\"", false},
		{"", []string{"revoke-key", "--id", "42"}, "no API key has the id 42", true},
		{"", []string{"list-keys"}, "ID  PREFIX", false},
		{"", []string{"explode"}, "unknown subcommand", true},
	}
	for _, s := range steps {
		out, err := admin(s.stdin, s.args...)
		got := out
		if err != nil {
			got = err.Error()
		}
		if (err != nil) != s.wantErr || !strings.Contains(got, s.want) {
			t.Errorf("tracker admin %v: %q (err %v), want %q (error: %v)", s.args, out, err, s.want, s.wantErr)
		}
	}
	// The reset password works, the old one does not; the key token is shown once.
	u, err := db.Store.UserByEmail(ctx, "p@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := credential.Verify("another rare passphrase", u.PasswordHash); !ok {
		t.Error("reset-password did not set the password")
	}
	out, err := admin("", "create-key", "--org", "1", "--role", "reviewer", "--name", "second")
	token := regexp.MustCompile(`sct_[A-Za-z0-9_-]{43}`).FindString(out)
	if err != nil || token == "" {
		t.Fatalf("create-key: %q, %v", out, err)
	}
	k, err := db.Store.APIKeyByHash(ctx, credential.TokenHash(token))
	if err != nil || k.Name != "second" || k.Role != "reviewer" {
		t.Errorf("the printed token does not find its key: %+v, %v", k, err)
	}
	list, _ := admin("", "list-keys")
	if strings.Contains(list, token) || !strings.Contains(list, k.Prefix) {
		t.Errorf("list-keys shows the token or hides the prefix:\n%s", list)
	}
	// Every change is audited, with no actor (the command line) and no secret.
	rows, err := db.Store.AuditLog(ctx, store.AuditFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for i := len(rows) - 1; i >= 0; i-- {
		actions = append(actions, rows[i].Action)
		if strings.Contains(strings.ToLower(strings.Join([]string{rows[i].Subject, fmt.Sprint(rows[i].Detail)}, " ")), "passphrase") {
			t.Errorf("audit row holds a password: %+v", rows[i])
		}
	}
	want := "user.create organisation.create organisation.create user.create user.create password.reset key.create key.revoke key.create"
	if got := strings.Join(actions, " "); got != want {
		t.Errorf("audit:\n got %s\nwant %s", got, want)
	}
	if _, err := admin("", "--help"); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("admin --help: %v", err)
	}
}
