package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// APIKey is an app's credential, scoped to an organisation and a role. The
// token itself is never stored: only its SHA-256 and its first characters.
type APIKey struct {
	ID         int64
	Name       string
	Prefix     string
	OrgID      int64
	OrgName    string
	OrgNamed   bool
	Role       string
	CreatedBy  int64 // 0: made on the command line
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
	LastUsedAt *time.Time
}

// LiveAt reports whether the key may be used at t: not revoked, not expired.
func (k APIKey) LiveAt(t time.Time) bool {
	return k.RevokedAt == nil && (k.ExpiresAt == nil || t.Before(*k.ExpiresAt))
}

// NewAPIKey is what CreateAPIKey needs.
type NewAPIKey struct {
	Name      string
	Hash      []byte
	Prefix    string
	OrgID     int64
	Role      string
	CreatedBy int64 // 0: none
	ExpiresAt *time.Time
}

const keySelect = `SELECT k.id, k.name, k.prefix, k.organisation_id, o.name, o.named, k.role, coalesce(k.created_by, 0),
		k.created_at, k.expires_at, k.revoked_at, k.last_used_at
	FROM api_key k JOIN organisation o ON o.id = k.organisation_id`

func scanKey(r pgx.CollectableRow) (APIKey, error) {
	var k APIKey
	err := r.Scan(&k.ID, &k.Name, &k.Prefix, &k.OrgID, &k.OrgName, &k.OrgNamed, &k.Role, &k.CreatedBy,
		&k.CreatedAt, &k.ExpiresAt, &k.RevokedAt, &k.LastUsedAt)
	return k, err
}

// CreateAPIKey records a key; ErrNoOrganisation for an unknown organisation.
func (s *Store) CreateAPIKey(ctx context.Context, n NewAPIKey) (APIKey, error) {
	var id int64
	err := s.db.QueryRow(ctx, `INSERT INTO api_key (name, token_hash, prefix, organisation_id, role, created_by, expires_at)
		VALUES ($1, $2, $3, $4, $5, nullif($6, 0), $7) RETURNING id`,
		n.Name, n.Hash, n.Prefix, n.OrgID, n.Role, n.CreatedBy, n.ExpiresAt).Scan(&id)
	if err != nil {
		return APIKey{}, accountErr("create key", err)
	}
	return s.APIKey(ctx, id)
}

// APIKey reads a key by id.
func (s *Store) APIKey(ctx context.Context, id int64) (APIKey, error) {
	rows, _ := s.db.Query(ctx, keySelect+` WHERE k.id = $1`, id)
	k, err := pgx.CollectExactlyOneRow(rows, scanKey)
	if err != nil {
		return k, accountErr("key", err)
	}
	return k, nil
}

// APIKeys lists every key, newest first.
func (s *Store) APIKeys(ctx context.Context) ([]APIKey, error) {
	rows, _ := s.db.Query(ctx, keySelect+` ORDER BY k.id DESC`)
	out, err := pgx.CollectRows(rows, scanKey)
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	return out, nil
}

// APIKeyByHash reads the key whose token has this SHA-256, in whatever
// state (the caller checks LiveAt). It writes nothing: the caller records
// uses with TouchAPIKeys, in batches.
func (s *Store) APIKeyByHash(ctx context.Context, hash []byte) (APIKey, error) {
	rows, _ := s.db.Query(ctx, keySelect+` WHERE k.token_hash = $1`, hash)
	k, err := pgx.CollectExactlyOneRow(rows, scanKey)
	if err != nil {
		return k, accountErr("key by token", err)
	}
	return k, nil
}

// TouchAPIKeys records when keys were last used (key id → time) in one
// statement; a time older than the one recorded changes nothing.
func (s *Store) TouchAPIKeys(ctx context.Context, uses map[int64]time.Time) error {
	if len(uses) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(uses))
	ats := make([]time.Time, 0, len(uses))
	for id, at := range uses {
		ids = append(ids, id)
		ats = append(ats, at)
	}
	_, err := s.db.Exec(ctx, `UPDATE api_key k SET last_used_at = u.at
		FROM unnest($1::bigint[], $2::timestamptz[]) AS u(id, at)
		WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.at)`, ids, ats)
	if err != nil {
		return fmt.Errorf("touch keys: %w", err)
	}
	return nil
}

// RevokeAPIKey revokes a key; revoked reports whether this call revoked it
// (false: it already was). ErrNotFound when there is no such key.
func (s *Store) RevokeAPIKey(ctx context.Context, id int64) (k APIKey, revoked bool, err error) {
	tag, err := s.db.Exec(ctx, `UPDATE api_key SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, id)
	if err != nil {
		return k, false, fmt.Errorf("revoke key: %w", err)
	}
	k, err = s.APIKey(ctx, id)
	return k, tag.RowsAffected() == 1, err
}
