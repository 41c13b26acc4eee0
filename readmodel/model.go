// Package readmodel is the tracker's read side. It holds the published data
// of one revision in memory (a Snapshot), loaded from the database once per
// revision and shared by every read: validity at a date (one rule, "the
// highest level valid on the date wins"), scoring at a date with weights and a
// reference, history, the raw assessment list, sites and sources. While the
// database is unreachable it goes on answering from the last revision it
// loaded. It knows nothing of HTTP; its errors (ErrUnavailable, ErrNotFound,
// *InvalidError) are mapped to statuses once, by package api.
package readmodel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/scs-diffusion/tracker/cache"
	"github.com/scs-diffusion/tracker/store"
)

// Config is what a Model needs.
type Config struct {
	// Read is the database snapshots are loaded from: a streaming replica
	// (DATABASE_READ_URL) or the primary itself.
	Read *store.Store
	// Revisions follows the current revision on the primary (LISTEN/NOTIFY).
	Revisions *store.RevisionWatcher
	Log       *slog.Logger
	// BuildTimeout bounds one snapshot load (default 30 s).
	BuildTimeout time.Duration
	// ReplicaWait is how long a load waits for Read to replay a revision the
	// primary announced (default 5 s); after that the read answers unavailable.
	ReplicaWait time.Duration
	// OnBuild, if set, is told of every snapshot load: its kind ("revision" or
	// "recorded"), how long it took and its error.
	OnBuild func(kind string, took time.Duration, err error)
}

// Model is safe for concurrent use.
type Model struct {
	cfg      Config
	byRev    *cache.Cache[*Snapshot] // current view of the latest revisions
	recorded *cache.Cache[*Snapshot] // views "as recorded by" past dates, derived in memory
	latest   atomic.Pointer[Snapshot]
}

// Snapshots kept: the current view of the last few revisions, and derived
// views for a bounded number of past recorded dates (they share the data of
// their revision, so each costs little more than an index of current rows).
const (
	keepRevisions = 3
	keepRecorded  = 32
)

// New makes a Model; it loads nothing until it is first asked.
func New(cfg Config) *Model {
	if cfg.BuildTimeout <= 0 {
		cfg.BuildTimeout = 30 * time.Second
	}
	if cfg.ReplicaWait <= 0 {
		cfg.ReplicaWait = 5 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Model{cfg: cfg, byRev: cache.New[*Snapshot](keepRevisions, nil, cfg.BuildTimeout),
		recorded: cache.New[*Snapshot](keepRecorded, nil, cfg.BuildTimeout)}
}

// Revision returns the latest revision announced by the database, whether
// one is known yet, and whether the database is reachable now (live). When it
// is not live, answers come from the last revision loaded and may be stale.
func (m *Model) Revision() (rev store.Revision, known, live bool) {
	return m.cfg.Revisions.State()
}

// Advance tells the model of a revision this process has just committed
// (see RevisionWatcher.Advance), so its next reads answer from it.
func (m *Model) Advance(r store.Revision) { m.cfg.Revisions.Advance(r) }

// Stats reports the snapshot caches.
func (m *Model) Stats() (revisions, recorded cache.Stats) {
	return m.byRev.Stats(), m.recorded.Stats()
}

// Snapshot returns the published data as the tracker stands by it now
// (recordedAsOf nil) or as it stood at the end of recordedAsOf. It loads the
// current revision once; while the database is unreachable it returns the
// newest snapshot it has, and ErrUnavailable when it has none.
func (m *Model) Snapshot(ctx context.Context, recordedAsOf *time.Time) (*Snapshot, error) {
	now, err := m.current(ctx)
	if err != nil || recordedAsOf == nil {
		return now, err
	}
	last, ok := now.lastRecordedBy(*recordedAsOf)
	// Every bound between two recordings sees the same facts: key by the last recording.
	key := strconv.FormatInt(now.Revision.Revision, 10) + "|none"
	if ok {
		key = strconv.FormatInt(now.Revision.Revision, 10) + "|" + last.UTC().Format(time.RFC3339Nano)
	}
	return m.recorded.Get(ctx, key, func(context.Context) (*Snapshot, error) {
		start := time.Now()
		sn := now.asRecorded(*recordedAsOf)
		m.observe("recorded", start, nil)
		return sn, nil
	})
}

func (m *Model) current(ctx context.Context) (*Snapshot, error) {
	rev, known, live := m.cfg.Revisions.State()
	if !known {
		// The listener has not connected yet (just started, or the database was
		// down at start): ask the database directly, within a second.
		fetch, cancel := context.WithTimeout(ctx, time.Second)
		r, err := m.cfg.Revisions.Fetch(fetch)
		cancel()
		if err != nil {
			return nil, fmt.Errorf("%w: no revision known yet: %v", ErrUnavailable, err)
		}
		rev, live = r, true
	}
	key := strconv.FormatInt(rev.Revision, 10)
	if sn, ok := m.byRev.Peek(key); ok {
		return sn, nil
	}
	if !live {
		if sn := m.latest.Load(); sn != nil {
			return sn, nil // the last revision loaded, served while the database is away
		}
		return nil, fmt.Errorf("%w: no snapshot loaded yet", ErrUnavailable)
	}
	return m.byRev.Get(ctx, key, func(ctx context.Context) (*Snapshot, error) { return m.load(ctx, rev.Revision) })
}

// load reads revision want (or a later one) from the read database, waiting
// up to ReplicaWait for a replica to replay it.
func (m *Model) load(ctx context.Context, want int64) (*Snapshot, error) {
	start := time.Now()
	deadline := start.Add(m.cfg.ReplicaWait)
	for {
		p, err := m.cfg.Read.LoadPublished(ctx, want)
		if errors.Is(err, store.ErrBehind) && time.Now().Before(deadline) {
			select {
			case <-ctx.Done():
				return nil, fmt.Errorf("%w: %v", ErrUnavailable, ctx.Err())
			case <-time.After(50 * time.Millisecond):
				continue
			}
		}
		if err != nil {
			m.observe("revision", start, err)
			if errors.Is(err, store.ErrBehind) || store.IsUnavailable(err) || errors.Is(err, context.DeadlineExceeded) {
				return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
			}
			return nil, err
		}
		sn := newSnapshot(p, m.cfg.Read, func() bool { _, _, live := m.cfg.Revisions.State(); return live })
		m.observe("revision", start, nil)
		if old := m.latest.Load(); old == nil || old.Revision.Revision < sn.Revision.Revision {
			m.latest.Store(sn)
		}
		m.cfg.Log.Info("snapshot loaded", "revision", sn.Revision.Revision, "assessments", len(p.Assessments),
			"took_ms", time.Since(start).Milliseconds())
		return sn, nil
	}
}

func (m *Model) observe(kind string, start time.Time, err error) {
	if m.cfg.OnBuild != nil {
		m.cfg.OnBuild(kind, time.Since(start), err)
	}
}
