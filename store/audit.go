package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Querier runs SQL: a pgx.Tx, a *pgxpool.Pool or a *pgx.Conn. Audit takes
// one so that a caller can write its audit row inside its own transaction.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// DB is the store's own querier: the pool, or the transaction inside InTx.
func (s *Store) DB() Querier { return s.db }

// AuditEntry is one row to append to the audit log. Zero ids mean "none".
// Detail must never hold a secret (password, token).
type AuditEntry struct {
	ActorUserID, ActorKeyID, OrgID int64
	Action, Subject                string
	Detail                         map[string]any
}

// AuditRecord is a row of the audit log as read back, with the acting
// person's email when there is one.
type AuditRecord struct {
	ID                             int64
	At                             time.Time
	ActorUserID, ActorKeyID, OrgID int64 // 0: none
	ActorEmail                     string
	Action, Subject                string
	Detail                         map[string]any
}

// Audit appends e to the audit log through q (nil: the store's own
// connection or transaction).
func (s *Store) Audit(ctx context.Context, q Querier, e AuditEntry) error {
	if q == nil {
		q = s.db
	}
	if e.Action == "" {
		return fmt.Errorf("audit: empty action")
	}
	detail := e.Detail
	if detail == nil {
		detail = map[string]any{}
	}
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("audit %s: detail: %w", e.Action, err)
	}
	const q1 = `INSERT INTO audit_log (actor_user_id, actor_key_id, organisation_id, action, subject, detail)
		VALUES (nullif($1, 0), nullif($2, 0), nullif($3, 0), $4, $5, $6)`
	if _, err := q.Exec(ctx, q1, e.ActorUserID, e.ActorKeyID, e.OrgID, e.Action, e.Subject, b); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditLog reads up to limit rows, newest first, with ids below before
// (0: from the newest).
func (s *Store) AuditLog(ctx context.Context, limit int, before int64) ([]AuditRecord, error) {
	const q = `SELECT l.id, l.at, coalesce(l.actor_user_id, 0), coalesce(l.actor_key_id, 0), coalesce(l.organisation_id, 0),
			coalesce(u.email, ''), l.action, l.subject, l.detail
		FROM audit_log l LEFT JOIN app_user u ON u.id = l.actor_user_id
		WHERE $1 = 0 OR l.id < $1
		ORDER BY l.id DESC LIMIT $2`
	rows, err := s.db.Query(ctx, q, before, limit)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditRecord, error) {
		var a AuditRecord
		err := r.Scan(&a.ID, &a.At, &a.ActorUserID, &a.ActorKeyID, &a.OrgID, &a.ActorEmail, &a.Action, &a.Subject, &a.Detail)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return out, nil
}
