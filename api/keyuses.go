package api

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/scs-diffusion/tracker/keycache"
	"github.com/scs-diffusion/tracker/store"
)

// KeyUseEvery is how often KeyUses.Run writes the API keys' last use: at
// most one write per key per interval, however many requests it makes, and
// never on a request's own path.
const KeyUseEvery = time.Minute

// KeyUses records when each API key was last used and writes those times
// in batches (one UPDATE for every key used since the last write). A write
// that fails is logged and its uses kept for the next one, so a failure
// neither passes unnoticed nor loses a use.
type KeyUses struct {
	store *store.Store
	log   *slog.Logger
	uses  keycache.Uses
}

// NewKeyUses returns the recorder for st; Run writes it out.
func NewKeyUses(st *store.Store, log *slog.Logger) *KeyUses {
	return &KeyUses{store: st, log: log}
}

func (k *KeyUses) record(id int64, t time.Time) {
	if k != nil {
		k.uses.Record(id, t)
	}
}

// Flush writes every use recorded since the last write.
func (k *KeyUses) Flush(ctx context.Context) error {
	if k == nil || k.store == nil {
		return nil
	}
	uses := k.uses.Take()
	if len(uses) == 0 {
		return nil
	}
	if err := k.store.TouchAPIKeys(ctx, uses); err != nil {
		k.uses.Return(uses)
		return fmt.Errorf("recording the last use of %d API keys: %w", len(uses), err)
	}
	return nil
}

// Run flushes every KeyUseEvery until ctx ends, logging a failed write as
// an error (its uses are retried at the next tick). The caller flushes once
// more at shutdown.
func (k *KeyUses) Run(ctx context.Context) {
	t := time.NewTicker(KeyUseEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			if err := k.Flush(wctx); err != nil && ctx.Err() == nil {
				k.log.Error("API keys' last use not written; retrying in a minute", "err", err, "keys", k.uses.Len())
			}
			cancel()
		}
	}
}
