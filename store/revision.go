package store

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"
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

// RevisionWatcher keeps the current revision in memory, refreshed by
// PostgreSQL LISTEN/NOTIFY, so every replica drops stale caches at once
// without a query per request. While the listener is down it reads the
// database on every call.
type RevisionWatcher struct {
	s   *Store
	cur atomic.Pointer[Revision]
}

// WatchRevision starts a listener that runs until ctx ends.
func (s *Store) WatchRevision(ctx context.Context, log *slog.Logger) *RevisionWatcher {
	w := &RevisionWatcher{s: s}
	go w.loop(ctx, log)
	return w
}

// Current returns the latest known revision.
func (w *RevisionWatcher) Current(ctx context.Context) (Revision, error) {
	if r := w.cur.Load(); r != nil {
		return *r, nil
	}
	return w.s.CurrentRevision(ctx)
}

func (w *RevisionWatcher) loop(ctx context.Context, log *slog.Logger) {
	for ctx.Err() == nil {
		err := w.listen(ctx)
		w.cur.Store(nil)
		if ctx.Err() != nil {
			return
		}
		log.Warn("revision listener stopped; retrying", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (w *RevisionWatcher) listen(ctx context.Context) error {
	conn, err := w.s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN dataset_revision"); err != nil {
		return err
	}
	for {
		r, err := (&Store{pool: w.s.pool, db: conn}).CurrentRevision(ctx)
		if err != nil {
			return err
		}
		w.cur.Store(&r)
		if _, err := conn.Conn().WaitForNotification(ctx); err != nil {
			return err
		}
	}
}
