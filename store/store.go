// Package store holds all SQL of the tracker: it opens the pgx pool, applies
// the embedded migrations and exposes one method per query, returning domain
// types. It never sees HTTP.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Sentinel errors, mapped to HTTP statuses once in package api.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
)

// IsTimeout reports an error from a query PostgreSQL cancelled at its
// statement_timeout (SQLSTATE 57014).
func IsTimeout(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "57014"
}

// Store is the tracker's database access. It is safe for concurrent use.
type Store struct {
	pool *pgxpool.Pool
	db   querier
}

// querier is what both a pool and a transaction can do.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error)
}

// Options tune the connection pool.
type Options struct {
	MaxConns         int32
	StatementTimeout time.Duration
	ConnectTimeout   time.Duration // bounds each new connection (0: pgx's default, none)
}

// Open connects to the database at url with a bounded pool and a server-side
// statement_timeout on every connection.
func Open(ctx context.Context, url string, o Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: parse database url: %w", err)
	}
	if o.MaxConns > 0 {
		cfg.MaxConns = o.MaxConns
	}
	if o.StatementTimeout > 0 {
		cfg.ConnConfig.RuntimeParams["statement_timeout"] = fmt.Sprint(o.StatementTimeout.Milliseconds())
	}
	if o.ConnectTimeout > 0 {
		cfg.ConnConfig.ConnectTimeout = o.ConnectTimeout
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "tracker"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: open pool: %w", err)
	}
	return &Store{pool: pool, db: pool}, nil
}

// Close closes the pool.
func (s *Store) Close() { s.pool.Close() }

// Pool exposes the pool for the migration runner and the revision listener.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// InTx runs fn in one transaction: it commits if fn returns nil and rolls back otherwise.
func (s *Store) InTx(ctx context.Context, fn func(tx *Store) error) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		return fn(&Store{pool: s.pool, db: tx})
	})
}
