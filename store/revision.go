package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"
)

// Revision identifies one state of the published data. It changes on every
// write and keys every cache and ETag.
type Revision struct {
	Revision  int64
	Version   string // dataset version of the shipped files, e.g. 2026.11.0
	ChangedAt time.Time
}

// CurrentRevision reads the dataset revision.
func (s *Store) CurrentRevision(ctx context.Context) (Revision, error) {
	var r Revision
	err := s.db.QueryRow(ctx, `SELECT revision, version, changed_at FROM dataset_revision`).Scan(&r.Revision, &r.Version, &r.ChangedAt)
	if err != nil {
		return r, fmt.Errorf("revision: %w", err)
	}
	return r, nil
}

// SetDatasetVersion records the version of the shipped dataset files; it
// writes only when the version differs.
func (s *Store) SetDatasetVersion(ctx context.Context, v string) error {
	_, err := s.db.Exec(ctx, `WITH u AS (UPDATE dataset_revision SET version = $1, revision = revision + 1, changed_at = now()
		WHERE version <> $1 RETURNING revision) SELECT pg_notify('dataset_revision', '') FROM u`, v)
	if err != nil {
		return fmt.Errorf("dataset version: %w", err)
	}
	return nil
}

// IsUnavailable reports an error that means the database cannot be reached
// or is shutting down (as opposed to a bad query): connection failures, a
// closed connection, and SQLSTATE classes 08 and 57P.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code[:2] == "08" || pg.Code == "57P01" || pg.Code == "57P02" || pg.Code == "57P03"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, pgconn.ErrConnClosed) || pgconn.SafeToRetry(err) ||
		errors.Is(err, pgx.ErrTxClosed) || errors.Is(err, puddle.ErrClosedPool)
}

// RevisionWatcher follows the current revision through PostgreSQL
// LISTEN/NOTIFY on a connection of its own, so every server learns of a
// change at once without a query per request; on the same connection it
// hears of changes to API keys (OnKeyChange). While the database cannot be
// reached it keeps the last revision it saw, reports itself down, and
// reconnects every RetryEvery; on reconnecting it reads the revision again
// (picking up whatever was written meanwhile) and drops the pool's idle
// connections, which the outage may have broken.
type RevisionWatcher struct {
	s     *Store
	retry time.Duration
	cur   atomic.Pointer[Revision]
	up    atomic.Bool
	mu    sync.Mutex
	subs  []func(Revision)
	keys  []func(keyID int64)
	ready chan struct{} // closed once the first revision is known
	once  sync.Once
}

// RetryEvery is how often a lost listener reconnects.
const RetryEvery = 250 * time.Millisecond

// WatchRevision starts a listener that runs until ctx ends.
func (s *Store) WatchRevision(ctx context.Context, log *slog.Logger) *RevisionWatcher {
	w := &RevisionWatcher{s: s, retry: RetryEvery, ready: make(chan struct{})}
	go w.loop(ctx, log)
	return w
}

// State returns the latest revision seen (known is false before the first
// one) and whether the listener is connected now (live); a revision that is
// known but not live may be stale.
func (w *RevisionWatcher) State() (rev Revision, known, live bool) {
	r := w.cur.Load()
	if r == nil {
		return Revision{}, false, false
	}
	return *r, true, w.up.Load()
}

// Fetch returns the latest revision seen, or reads it from the database when
// none is known yet (the listener has not connected: just started, or the
// database was down at start).
func (w *RevisionWatcher) Fetch(ctx context.Context) (Revision, error) {
	if r := w.cur.Load(); r != nil {
		return *r, nil
	}
	return w.s.CurrentRevision(ctx)
}

// WaitKnown waits until the first revision is known or ctx ends.
func (w *RevisionWatcher) WaitKnown(ctx context.Context) error {
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// OnChange registers fn to be called with every new revision.
func (w *RevisionWatcher) OnChange(fn func(Revision)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.subs = append(w.subs, fn)
}

// OnKeyChange registers fn to be called with the id of every API key whose
// revocation, expiry, role or organisation changed (the channel api_key,
// migration 010), and with 0 whenever the listener (re)connects: changes
// made while it was not listening are not known, so every key is suspect.
func (w *RevisionWatcher) OnKeyChange(fn func(keyID int64)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.keys = append(w.keys, fn)
}

func (w *RevisionWatcher) keyChanged(id int64) {
	w.mu.Lock()
	subs := append([]func(int64){}, w.keys...)
	w.mu.Unlock()
	for _, fn := range subs {
		fn(id)
	}
}

// Advance records a revision this process has just written (committed), so
// its next reads answer from it without waiting for the notification: a
// client that accepted a report sees it in its next read. An older revision
// than the one known is ignored.
func (w *RevisionWatcher) Advance(r Revision) {
	if cur := w.cur.Load(); cur != nil && cur.Revision >= r.Revision {
		return
	}
	w.set(r)
}

func (w *RevisionWatcher) set(r Revision) {
	old := w.cur.Swap(&r)
	w.once.Do(func() { close(w.ready) })
	if old != nil && old.Revision == r.Revision {
		return
	}
	w.mu.Lock()
	subs := append([]func(Revision){}, w.subs...)
	w.mu.Unlock()
	for _, fn := range subs {
		fn(r)
	}
}

func (w *RevisionWatcher) loop(ctx context.Context, log *slog.Logger) {
	wasDown := false
	for ctx.Err() == nil {
		err := w.listen(ctx, wasDown, log)
		w.up.Store(false)
		if ctx.Err() != nil {
			return
		}
		if !wasDown {
			log.Warn("database unreachable: serving the last known revision; reconnecting", "err", err)
		}
		wasDown = true
		select {
		case <-ctx.Done():
		case <-time.After(w.retry):
		}
	}
}

// listen holds one LISTEN connection until it fails.
func (w *RevisionWatcher) listen(ctx context.Context, wasDown bool, log *slog.Logger) error {
	cfg := w.s.pool.Config().ConnConfig
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN dataset_revision; LISTEN api_key"); err != nil {
		return err
	}
	q := &Store{pool: w.s.pool, db: conn}
	r, err := q.CurrentRevision(ctx)
	if err != nil {
		return err
	}
	if wasDown {
		w.s.pool.Reset() // idle connections may have died with the outage
		log.Info("database reachable again", "revision", r.Revision)
	}
	w.up.Store(true) // live before known: a reader woken by set must see the database as reachable
	w.set(r)
	w.keyChanged(0)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Channel == "api_key" {
			id, err := strconv.ParseInt(n.Payload, 10, 64)
			if err != nil {
				id = 0 // not ours: forget every key rather than guess
			}
			w.keyChanged(id)
			continue
		}
		r, err := q.CurrentRevision(ctx)
		if err != nil {
			return err
		}
		w.set(r)
	}
}
