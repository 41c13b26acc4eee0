package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Errors of the account tables, mapped to HTTP statuses in package api.
var (
	ErrNoOrganisation    = errors.New("no such organisation")
	ErrNeedsOrganisation = errors.New("a partner or reviewer belongs to an organisation")
)

// Organisation is a partner organisation (an NGO, a research group) or the
// tracker's own team.
type Organisation struct {
	ID        int64
	Name      string
	Named     bool // false: its name is never published
	CreatedAt time.Time
}

// User is a person who logs in. OrgID is 0 for an admin of no organisation.
type User struct {
	ID           int64
	Email        string
	Name         string
	Role         string
	OrgID        int64
	OrgName      string
	OrgNamed     bool
	PasswordHash string
	Disabled     bool
	CreatedAt    time.Time
}

// NewUser is what CreateUser needs; Email must already be lower-cased.
type NewUser struct {
	Email, Name, Role string
	OrgID             int64 // 0: none (admins only)
	PasswordHash      string
}

// pgCode is the SQLSTATE of a PostgreSQL error, "" for other errors.
func pgCode(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code
	}
	return ""
}

// accountErr maps constraint violations of the account tables to sentinels.
func accountErr(op string, err error) error {
	switch pgCode(err) {
	case "23505":
		return fmt.Errorf("%s: %w", op, ErrConflict)
	case "23503":
		return fmt.Errorf("%s: %w", op, ErrNoOrganisation)
	case "23514":
		var pg *pgconn.PgError
		if errors.As(err, &pg) && pg.ConstraintName == "app_user_organisation" {
			return fmt.Errorf("%s: %w", op, ErrNeedsOrganisation)
		}
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s: %w", op, ErrNotFound)
	}
	return fmt.Errorf("%s: %w", op, err)
}

const orgColumns = `id, name, named, created_at`

func scanOrg(r pgx.CollectableRow) (Organisation, error) {
	var o Organisation
	err := r.Scan(&o.ID, &o.Name, &o.Named, &o.CreatedAt)
	return o, err
}

// CreateOrganisation adds an organisation; ErrConflict when the name is taken.
func (s *Store) CreateOrganisation(ctx context.Context, name string, named bool) (Organisation, error) {
	rows, _ := s.db.Query(ctx, `INSERT INTO organisation (name, named) VALUES ($1, $2) RETURNING `+orgColumns, name, named)
	o, err := pgx.CollectExactlyOneRow(rows, scanOrg)
	if err != nil {
		return o, accountErr("create organisation", err)
	}
	return o, nil
}

// Organisations lists every organisation by name.
func (s *Store) Organisations(ctx context.Context) ([]Organisation, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+orgColumns+` FROM organisation ORDER BY name, id`)
	out, err := pgx.CollectRows(rows, scanOrg)
	if err != nil {
		return nil, fmt.Errorf("organisations: %w", err)
	}
	return out, nil
}

// Organisation reads one organisation by id; ErrNotFound when there is none.
func (s *Store) Organisation(ctx context.Context, id int64) (Organisation, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+orgColumns+` FROM organisation WHERE id = $1`, id)
	o, err := pgx.CollectExactlyOneRow(rows, scanOrg)
	if err != nil {
		return o, accountErr("organisation", err)
	}
	return o, nil
}

// OrganisationByName reads one organisation by its exact name.
func (s *Store) OrganisationByName(ctx context.Context, name string) (Organisation, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+orgColumns+` FROM organisation WHERE name = $1`, name)
	o, err := pgx.CollectExactlyOneRow(rows, scanOrg)
	if err != nil {
		return o, accountErr("organisation", err)
	}
	return o, nil
}

const userSelect = `SELECT u.id, u.email, u.name, u.role, coalesce(u.organisation_id, 0), coalesce(o.name, ''),
		coalesce(o.named, false), u.password_hash, u.disabled, u.created_at
	FROM app_user u LEFT JOIN organisation o ON o.id = u.organisation_id`

func scanUser(r pgx.CollectableRow) (User, error) {
	var u User
	err := r.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.OrgID, &u.OrgName, &u.OrgNamed, &u.PasswordHash, &u.Disabled, &u.CreatedAt)
	return u, err
}

func (s *Store) oneUser(ctx context.Context, op, where string, arg any) (User, error) {
	rows, _ := s.db.Query(ctx, userSelect+` WHERE `+where, arg)
	u, err := pgx.CollectExactlyOneRow(rows, scanUser)
	if err != nil {
		return u, accountErr(op, err)
	}
	return u, nil
}

// CreateUser adds a person: ErrConflict when the email is taken,
// ErrNoOrganisation for an unknown organisation, ErrNeedsOrganisation for a
// partner or reviewer without one.
func (s *Store) CreateUser(ctx context.Context, n NewUser) (User, error) {
	var id int64
	err := s.db.QueryRow(ctx, `INSERT INTO app_user (email, name, role, organisation_id, password_hash)
		VALUES ($1, $2, $3, nullif($4, 0), $5) RETURNING id`, n.Email, n.Name, n.Role, n.OrgID, n.PasswordHash).Scan(&id)
	if err != nil {
		return User{}, accountErr("create user", err)
	}
	return s.User(ctx, id)
}

// User reads a person by id.
func (s *Store) User(ctx context.Context, id int64) (User, error) {
	return s.oneUser(ctx, "user", `u.id = $1`, id)
}

// UserByEmail reads a person by (lower-cased) email.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	return s.oneUser(ctx, "user by email", `u.email = $1`, email)
}

// Users lists every person, oldest first.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, _ := s.db.Query(ctx, userSelect+` ORDER BY u.id`)
	out, err := pgx.CollectRows(rows, scanUser)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return out, nil
}

// UserChange is a change to a person's role or state; nil fields stay.
type UserChange struct {
	Role     *string
	Disabled *bool
}

// UpdateUser changes a person's role or disabled flag; disabling ends every
// session of theirs.
func (s *Store) UpdateUser(ctx context.Context, id int64, c UserChange) (User, error) {
	tag, err := s.db.Exec(ctx, `UPDATE app_user SET role = coalesce($2, role), disabled = coalesce($3, disabled) WHERE id = $1`,
		id, c.Role, c.Disabled)
	if err != nil {
		return User{}, accountErr("update user", err)
	}
	if tag.RowsAffected() == 0 {
		return User{}, fmt.Errorf("update user %d: %w", id, ErrNotFound)
	}
	if c.Disabled != nil && *c.Disabled {
		if err := s.EndSessions(ctx, id, nil); err != nil {
			return User{}, err
		}
	}
	return s.User(ctx, id)
}

// SetPassword stores a new password hash and ends every session of the
// person except keep (nil: all of them).
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string, keep []byte) error {
	tag, err := s.db.Exec(ctx, `UPDATE app_user SET password_hash = $2 WHERE id = $1`, userID, hash)
	if err != nil {
		return accountErr("set password", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("set password %d: %w", userID, ErrNotFound)
	}
	return s.EndSessions(ctx, userID, keep)
}
