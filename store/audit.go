package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
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

// AuditActions are the actions the tracker writes to the audit log, the
// values an audit filter may name.
var AuditActions = []string{
	"login", "login.failed", "logout", "password.change", "password.reset",
	"organisation.create", "user.create", "user.update", "key.create", "key.revoke",
	"report.create", "report.update", "report.submit", "report.withdraw",
	"report.request-changes", "report.accept", "report.reject",
}

// AuditFilter selects rows of the audit log. Zero fields select everything.
type AuditFilter struct {
	Action     string     // exact
	OrgID      int64      // the row's organisation
	ActorEmail string     // the acting person's email, case-insensitive
	Since      *time.Time // at >= Since
	Before     *time.Time // at < Before
	BeforeID   int64      // id < BeforeID (keyset paging, newest first)
	Limit      int
}

// AuditLog reads up to f.Limit rows matching f, newest first. The query
// names only the filters given (each a parameter, never a value in the SQL
// text): a catch-all "($1 = ” OR action = $1)" form would, once PostgreSQL
// switches a prepared statement to its generic plan, hide the condition from
// the indexes of migration 009 and read the whole log for a rare action.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditRecord, error) {
	var where []string
	var args []any
	cond := func(sql string, arg any) {
		args = append(args, arg)
		where = append(where, strings.ReplaceAll(sql, "$?", "$"+strconv.Itoa(len(args))))
	}
	if f.BeforeID != 0 {
		cond("l.id < $?", f.BeforeID)
	}
	if f.Action != "" {
		cond("l.action = $?", f.Action)
	}
	if f.OrgID != 0 {
		cond("l.organisation_id = $?", f.OrgID)
	}
	if f.ActorEmail != "" {
		// The person first (emails are stored in lower case, a CHECK of
		// app_user), so the log is filtered by a known id its index serves.
		var id int64
		err := s.db.QueryRow(ctx, `SELECT id FROM app_user WHERE email = lower($1::text)`, f.ActorEmail).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return []AuditRecord{}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("audit log: actor: %w", err)
		}
		cond("l.actor_user_id = $?", id)
	}
	if f.Since != nil {
		cond("l.at >= $?", *f.Since)
	}
	if f.Before != nil {
		cond("l.at < $?", *f.Before)
	}
	q := `SELECT l.id, l.at, coalesce(l.actor_user_id, 0), coalesce(l.actor_key_id, 0), coalesce(l.organisation_id, 0),
			coalesce(u.email, ''), l.action, l.subject, l.detail
		FROM audit_log l LEFT JOIN app_user u ON u.id = l.actor_user_id`
	if len(where) > 0 {
		q += "\n\t\tWHERE " + strings.Join(where, " AND ")
	}
	args = append(args, f.Limit)
	q += "\n\t\tORDER BY l.id DESC LIMIT $" + strconv.Itoa(len(args))
	rows, err := s.db.Query(ctx, q, args...)
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
