package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/scs-diffusion/tracker/accounts"
	"github.com/scs-diffusion/tracker/store"
)

const adminUsage = `tracker admin: administer organisations, people and API keys (every change is audited)

Usage:
  tracker admin create-admin   --email E --name N                 password from standard input
  tracker admin create-org     --name N [--unnamed]
  tracker admin create-user    --email E --name N --role R --org ORG   password from standard input
  tracker admin reset-password --email E                          password from standard input
  tracker admin create-key     --org ORG --role R --name N [--expires YYYY-MM-DD]   prints the token once
  tracker admin list-keys
  tracker admin revoke-key     --id N

ORG is an organisation's name or id; R is admin, reviewer or partner (keys: partner or reviewer).
Passwords are read from the first line of standard input, never from a flag, e.g.
  tracker admin create-admin --email a@example.org --name Ana < password.txt
They need at least 12 characters and must not be one of the most common passwords.
`

// adminFlags are the flags of every admin subcommand; each uses some.
type adminFlags struct {
	email, name, role, org, expires string
	unnamed                         bool
	id                              int64
}

// adminCommand runs `tracker admin SUBCOMMAND`.
func adminCommand(ctx context.Context, args []string, env func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, adminUsage)
		if len(args) == 0 {
			return errors.New("tracker admin: no subcommand given")
		}
		return flag.ErrHelp
	}
	sub := args[0]
	var f adminFlags
	fset := flag.NewFlagSet("tracker admin "+sub, flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() { fmt.Fprint(stderr, adminUsage) }
	need := map[string][]string{
		"create-admin": {"email", "name"}, "create-org": {"name"}, "create-user": {"email", "name", "role", "org"},
		"reset-password": {"email"}, "create-key": {"org", "role", "name"}, "list-keys": {}, "revoke-key": {"id"},
	}
	required, ok := need[sub]
	if !ok {
		fmt.Fprint(stderr, adminUsage)
		return fmt.Errorf("tracker admin: unknown subcommand %q", sub)
	}
	flags := map[string]func(){
		"email": func() { fset.StringVar(&f.email, "email", "", "email address (stored in lower case)") },
		"name":  func() { fset.StringVar(&f.name, "name", "", "name") },
		"role":  func() { fset.StringVar(&f.role, "role", "", "admin, reviewer or partner") },
		"org":   func() { fset.StringVar(&f.org, "org", "", "organisation name or id") },
		"id":    func() { fset.Int64Var(&f.id, "id", 0, "key id (see list-keys)") },
		"expires": func() {
			fset.StringVar(&f.expires, "expires", "", "expiry date YYYY-MM-DD (the key stops working at its start, UTC)")
		},
		"unnamed": func() { fset.BoolVar(&f.unnamed, "unnamed", false, "keep the organisation's name off the public side") },
	}
	for _, name := range required {
		flags[name]()
	}
	switch sub {
	case "create-key":
		flags["expires"]()
	case "create-org":
		flags["unnamed"]()
	}
	if err := fset.Parse(args[1:]); err != nil {
		return err
	}
	if fset.NArg() != 0 {
		return fmt.Errorf("tracker admin %s: unexpected arguments %q (passwords come from standard input)", sub, fset.Args())
	}
	set := map[string]bool{}
	fset.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	for _, name := range required {
		if !set[name] {
			return fmt.Errorf("tracker admin %s: --%s is required", sub, name)
		}
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, storeOptions(cfg, max(cfg.StatementTimeout, 30*time.Second)))
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	a := &admin{svc: &accounts.Service{Store: st}, st: st, stdin: stdin, out: stdout}
	return a.run(ctx, sub, f)
}

type admin struct {
	svc   *accounts.Service
	st    *store.Store
	stdin io.Reader
	out   io.Writer
}

// flagOf names the command-line flag behind an accounts input field.
var flagOf = map[string]string{"organisation": "--org", "expires_at": "--expires"}

// explain turns refusals of package accounts into messages naming the flag.
func explain(sub string, err error) error {
	var inv *accounts.InvalidError
	var con *accounts.ConflictError
	field, reason := "", ""
	switch {
	case errors.As(err, &inv):
		field, reason = inv.Field, inv.Reason
	case errors.As(err, &con):
		field, reason = con.Field, con.Reason
	default:
		return err
	}
	name, ok := flagOf[field]
	if !ok {
		name = "--" + field
	}
	if field == "password" {
		name = "the password (standard input)"
	}
	return fmt.Errorf("tracker admin %s: %s %s", sub, name, reason)
}

func (a *admin) run(ctx context.Context, sub string, f adminFlags) error {
	var err error
	switch sub {
	case "create-admin":
		err = a.createUser(ctx, f.email, f.name, accounts.RoleAdmin, 0)
	case "create-user":
		var org store.Organisation
		if org, err = a.organisation(ctx, f.org); err == nil {
			err = a.createUser(ctx, f.email, f.name, f.role, org.ID)
		}
	case "create-org":
		var o store.Organisation
		if o, err = a.svc.CreateOrganisation(ctx, accounts.By{}, f.name, !f.unnamed); err == nil {
			fmt.Fprintf(a.out, "created organisation %d %q (named on the public side: %v)\n", o.ID, o.Name, o.Named)
		}
	case "reset-password":
		var pw string
		if pw, err = a.password(); err == nil {
			var u store.User
			if u, err = a.svc.ResetPassword(ctx, accounts.By{}, f.email, pw); err == nil {
				fmt.Fprintf(a.out, "password of %s reset; their sessions have ended\n", u.Email)
			} else if errors.Is(err, store.ErrNotFound) {
				err = fmt.Errorf("no person has the email %q", f.email)
			}
		}
	case "create-key":
		err = a.createKey(ctx, f)
	case "list-keys":
		err = a.listKeys(ctx)
	case "revoke-key":
		var k store.APIKey
		if k, err = a.svc.RevokeKey(ctx, accounts.By{}, f.id); err == nil {
			fmt.Fprintf(a.out, "key %d %q (%s…) revoked at %s\n", k.ID, k.Name, k.Prefix, k.RevokedAt.UTC().Format(time.RFC3339))
		} else if errors.Is(err, store.ErrNotFound) {
			err = fmt.Errorf("no API key has the id %d", f.id)
		}
	}
	return explain(sub, err)
}

// password reads the first line of standard input.
func (a *admin) password() (string, error) {
	line, err := bufio.NewReader(io.LimitReader(a.stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("no password on standard input (give it as the first line, e.g. < password.txt)")
	}
	return pw, nil
}

// organisation finds an organisation by id (digits) or by name.
func (a *admin) organisation(ctx context.Context, ref string) (store.Organisation, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		o, err := a.st.Organisation(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return o, fmt.Errorf("--org: no organisation has the id %d", id)
		}
		return o, err
	}
	o, err := a.st.OrganisationByName(ctx, ref)
	if errors.Is(err, store.ErrNotFound) {
		return o, fmt.Errorf("--org: no organisation is named %q (see the names with GET /api/v1/admin/organisations)", ref)
	}
	return o, err
}

func (a *admin) createUser(ctx context.Context, email, name, role string, org int64) error {
	pw, err := a.password()
	if err != nil {
		return err
	}
	u, err := a.svc.CreateUser(ctx, accounts.By{}, accounts.NewUser{Email: email, Name: name, Role: role, OrgID: org, Password: pw})
	if err != nil {
		return err
	}
	where := "no organisation"
	if u.OrgID != 0 {
		where = fmt.Sprintf("organisation %q", u.OrgName)
	}
	fmt.Fprintf(a.out, "created %s %d %s (%s)\n", u.Role, u.ID, u.Email, where)
	return nil
}

func (a *admin) createKey(ctx context.Context, f adminFlags) error {
	org, err := a.organisation(ctx, f.org)
	if err != nil {
		return err
	}
	n := accounts.NewKey{Name: f.name, OrgID: org.ID, Role: f.role}
	if f.expires != "" {
		t, err := time.Parse(time.DateOnly, f.expires)
		if err != nil {
			return fmt.Errorf("--expires %q: want a date YYYY-MM-DD", f.expires)
		}
		n.ExpiresAt = &t
	}
	k, token, err := a.svc.CreateKey(ctx, accounts.By{}, n, time.Now())
	if err != nil {
		return err
	}
	expires := "never"
	if k.ExpiresAt != nil {
		expires = k.ExpiresAt.UTC().Format(time.RFC3339)
	}
	fmt.Fprintf(a.out, "created key %d %q for organisation %q, role %s, expires %s\n", k.ID, k.Name, k.OrgName, k.Role, expires)
	fmt.Fprintf(a.out, "token (shown this once; send it as Authorization: Bearer <token>):\n%s\n", token)
	return nil
}

func (a *admin) listKeys(ctx context.Context) error {
	keys, err := a.st.APIKeys(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPREFIX\tNAME\tORGANISATION\tROLE\tCREATED\tEXPIRES\tREVOKED\tLAST USED")
	day := func(t *time.Time) string {
		if t == nil {
			return "-"
		}
		return t.UTC().Format("2006-01-02 15:04")
	}
	for _, k := range keys {
		fmt.Fprintf(tw, "%d\t%s…\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Prefix, k.Name, k.OrgName, k.Role, day(&k.CreatedAt),
			day(k.ExpiresAt), day(k.RevokedAt), day(k.LastUsedAt))
	}
	return tw.Flush()
}
