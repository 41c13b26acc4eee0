// Package accounts carries out the administration of organisations, people
// and API keys for both the HTTP API and `tracker admin`: it checks the
// rules (roles, password policy, email shape), hashes passwords, makes
// tokens, and writes each change together with its audit row in one
// transaction. It knows nothing of HTTP or of the command line.
package accounts

import (
	"context"
	"errors"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/scs-diffusion/tracker/credential"
	"github.com/scs-diffusion/tracker/store"
)

// Roles.
const (
	RoleAdmin    = "admin"
	RoleReviewer = "reviewer"
	RolePartner  = "partner"
)

// InvalidError is a refused input: Field is the input's name (email, name,
// role, organisation, password, expires_at), Reason says why.
type InvalidError struct{ Field, Reason string }

func (e *InvalidError) Error() string { return e.Field + ": " + e.Reason }

func invalid(field, reason string) error { return &InvalidError{field, reason} }

// By is who makes a change: a person, an API key, or neither (the command line).
type By struct{ UserID, KeyID int64 }

// Service administers accounts through a store.
type Service struct {
	Store  *store.Store
	Params credential.Params // argon2id cost of new hashes (zero: credential.DefaultParams)
}

func (s *Service) params() credential.Params {
	if s.Params.Memory == 0 {
		return credential.DefaultParams
	}
	return s.Params
}

func (s *Service) audit(ctx context.Context, tx *store.Store, by By, org int64, action, subject string, detail map[string]any) error {
	return tx.Audit(ctx, nil, store.AuditEntry{ActorUserID: by.UserID, ActorKeyID: by.KeyID, OrgID: org,
		Action: action, Subject: subject, Detail: detail})
}

// CreateOrganisation adds an organisation; a taken name is an InvalidError.
func (s *Service) CreateOrganisation(ctx context.Context, by By, name string, named bool) (store.Organisation, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return store.Organisation{}, invalid("name", "is required")
	case len(name) > 200:
		return store.Organisation{}, invalid("name", "is longer than 200 characters")
	}
	var o store.Organisation
	err := s.Store.InTx(ctx, func(tx *store.Store) error {
		var err error
		if o, err = tx.CreateOrganisation(ctx, name, named); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, o.ID, "organisation.create", "organisation:"+strconv.FormatInt(o.ID, 10),
			map[string]any{"name": o.Name, "named": o.Named})
	})
	if errors.Is(err, store.ErrConflict) {
		return o, &ConflictError{"name", "an organisation with this name exists"}
	}
	return o, err
}

// ConflictError is an input that clashes with existing data (a taken name
// or email).
type ConflictError struct{ Field, Reason string }

func (e *ConflictError) Error() string { return e.Field + ": " + e.Reason }

// NewUser is a person to create; Password is the plain text, hashed here.
type NewUser struct {
	Email, Name, Role string
	OrgID             int64 // 0: none (admins only)
	Password          string
}

// NormaliseEmail trims and lower-cases an email and checks its shape.
func NormaliseEmail(s string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(e)
	if e == "" || len(e) > 320 || err != nil || a.Address != e || !strings.Contains(e, "@") {
		return "", invalid("email", "is not an email address (name@example.org)")
	}
	return e, nil
}

// CheckRole refuses anything but the three roles.
func CheckRole(r string) error {
	if r != RoleAdmin && r != RoleReviewer && r != RolePartner {
		return invalid("role", "must be admin, reviewer or partner")
	}
	return nil
}

// CheckPassword applies the password policy (credential.CheckPassword).
func CheckPassword(pw string) error {
	if reason := credential.CheckPassword(pw); reason != "" {
		return invalid("password", reason)
	}
	return nil
}

// CreateUser adds a person with a password.
func (s *Service) CreateUser(ctx context.Context, by By, n NewUser) (store.User, error) {
	email, err := NormaliseEmail(n.Email)
	if err != nil {
		return store.User{}, err
	}
	name := strings.TrimSpace(n.Name)
	if len(name) > 200 {
		return store.User{}, invalid("name", "is longer than 200 characters")
	}
	if err := CheckRole(n.Role); err != nil {
		return store.User{}, err
	}
	if n.Role != RoleAdmin && n.OrgID == 0 {
		return store.User{}, invalid("organisation", "is required for a partner or a reviewer")
	}
	if err := CheckPassword(n.Password); err != nil {
		return store.User{}, err
	}
	hash, err := credential.Hash(n.Password, s.params())
	if err != nil {
		return store.User{}, err
	}
	var u store.User
	err = s.Store.InTx(ctx, func(tx *store.Store) error {
		var err error
		if u, err = tx.CreateUser(ctx, store.NewUser{Email: email, Name: name, Role: n.Role, OrgID: n.OrgID, PasswordHash: hash}); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, u.OrgID, "user.create", u.Email, map[string]any{"user_id": u.ID, "role": u.Role})
	})
	return u, userErr(err)
}

func userErr(err error) error {
	switch {
	case errors.Is(err, store.ErrConflict):
		return &ConflictError{"email", "a person with this email exists"}
	case errors.Is(err, store.ErrNoOrganisation):
		return invalid("organisation", "no organisation has this id")
	case errors.Is(err, store.ErrNeedsOrganisation):
		return invalid("role", "a partner or reviewer needs an organisation, and this person has none")
	}
	return err
}

// UpdateUser changes a person's role or disabled flag. Nobody changes or
// disables their own account this way, so the last admin cannot lock
// everyone out by mistake.
func (s *Service) UpdateUser(ctx context.Context, by By, id int64, c store.UserChange) (store.User, error) {
	if c.Role != nil {
		if err := CheckRole(*c.Role); err != nil {
			return store.User{}, err
		}
	}
	if by.UserID == id && (c.Role != nil || c.Disabled != nil) {
		field := "role"
		if c.Role == nil {
			field = "disabled"
		}
		return store.User{}, invalid(field, "you cannot change your own role or disable yourself; ask another admin")
	}
	var u store.User
	err := s.Store.InTx(ctx, func(tx *store.Store) error {
		var err error
		if u, err = tx.UpdateUser(ctx, id, c); err != nil {
			return err
		}
		detail := map[string]any{"user_id": u.ID}
		if c.Role != nil {
			detail["role"] = *c.Role
		}
		if c.Disabled != nil {
			detail["disabled"] = *c.Disabled
		}
		return s.audit(ctx, tx, by, u.OrgID, "user.update", u.Email, detail)
	})
	return u, userErr(err)
}

// ResetPassword sets a new password for the person with email and ends
// every session of theirs.
func (s *Service) ResetPassword(ctx context.Context, by By, email, password string) (store.User, error) {
	e, err := NormaliseEmail(email)
	if err != nil {
		return store.User{}, err
	}
	if err := CheckPassword(password); err != nil {
		return store.User{}, err
	}
	hash, err := credential.Hash(password, s.params())
	if err != nil {
		return store.User{}, err
	}
	var u store.User
	err = s.Store.InTx(ctx, func(tx *store.Store) error {
		var err error
		if u, err = tx.UserByEmail(ctx, e); err != nil {
			return err
		}
		if err := tx.SetPassword(ctx, u.ID, hash, nil); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, u.OrgID, "password.reset", u.Email, map[string]any{"user_id": u.ID})
	})
	return u, err
}

// NewKey is an API key to create.
type NewKey struct {
	Name      string
	OrgID     int64
	Role      string // partner or reviewer
	ExpiresAt *time.Time
}

// CreateKey makes a token, records its key and audits it; the token is
// returned once and never stored.
func (s *Service) CreateKey(ctx context.Context, by By, n NewKey, now time.Time) (store.APIKey, string, error) {
	name := strings.TrimSpace(n.Name)
	switch {
	case name == "":
		return store.APIKey{}, "", invalid("name", "is required")
	case len(name) > 200:
		return store.APIKey{}, "", invalid("name", "is longer than 200 characters")
	case n.Role != RolePartner && n.Role != RoleReviewer:
		return store.APIKey{}, "", invalid("role", "must be partner or reviewer (admin work needs a person)")
	case n.OrgID <= 0:
		return store.APIKey{}, "", invalid("organisation", "is required")
	case n.ExpiresAt != nil && !n.ExpiresAt.After(now):
		return store.APIKey{}, "", invalid("expires_at", "must be in the future")
	}
	token, err := credential.NewKeyToken()
	if err != nil {
		return store.APIKey{}, "", err
	}
	var k store.APIKey
	err = s.Store.InTx(ctx, func(tx *store.Store) error {
		var err error
		k, err = tx.CreateAPIKey(ctx, store.NewAPIKey{Name: name, Hash: credential.TokenHash(token), Prefix: token[:credential.KeyDisplayLen],
			OrgID: n.OrgID, Role: n.Role, CreatedBy: by.UserID, ExpiresAt: n.ExpiresAt})
		if err != nil {
			return err
		}
		detail := map[string]any{"key_id": k.ID, "name": k.Name, "prefix": k.Prefix, "role": k.Role}
		if k.ExpiresAt != nil {
			detail["expires_at"] = k.ExpiresAt.UTC().Format(time.RFC3339)
		}
		return s.audit(ctx, tx, by, k.OrgID, "key.create", "key:"+strconv.FormatInt(k.ID, 10), detail)
	})
	if errors.Is(err, store.ErrNoOrganisation) {
		return k, "", invalid("organisation", "no organisation has this id")
	}
	return k, token, err
}

// RevokeKey revokes a key (and audits it) unless it already is revoked;
// store.ErrNotFound when there is no such key.
func (s *Service) RevokeKey(ctx context.Context, by By, id int64) (store.APIKey, error) {
	var k store.APIKey
	err := s.Store.InTx(ctx, func(tx *store.Store) error {
		var revoked bool
		var err error
		if k, revoked, err = tx.RevokeAPIKey(ctx, id); err != nil || !revoked {
			return err
		}
		return s.audit(ctx, tx, by, k.OrgID, "key.revoke", "key:"+strconv.FormatInt(k.ID, 10),
			map[string]any{"key_id": k.ID, "name": k.Name, "prefix": k.Prefix})
	})
	return k, err
}
