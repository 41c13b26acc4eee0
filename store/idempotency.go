package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// IdempotencyRetention is how long a key's first response is kept (the issue asks for at least 24 h).
const IdempotencyRetention = 25 * time.Hour

// IdemKey is an Idempotency-Key in its scope, with the fingerprint of the
// request it came with (method, path and body).
type IdemKey struct {
	Scope, Key, RequestHash string
}

// StoredResponse is the response kept for a key: status, a few headers, body.
type StoredResponse struct {
	Status  int
	Headers map[string]string
	Body    []byte
}

// Idempotent runs fn in one transaction under key k (nil: no key, just the
// transaction) and keeps its response with the key in that transaction. A
// retry with the same key and request gets the kept response (replayed
// true) without running fn; the same key with another request gets
// ErrIdempotencyMismatch. Two requests with one key at once: the second
// waits on the first's row and then replays its response (or runs, if the
// first failed and kept nothing). An fn that fails keeps nothing.
func (s *Store) Idempotent(ctx context.Context, k *IdemKey, fn func(tx *Store) (StoredResponse, error)) (resp StoredResponse, replayed bool, err error) {
	if k == nil {
		err = s.InTx(ctx, func(tx *Store) error {
			resp, err = fn(tx)
			return err
		})
		return resp, false, err
	}
	err = s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.db.Exec(ctx, `DELETE FROM idempotency_key WHERE scope = $1 AND key = $2 AND created_at < now() - $3::interval`,
			k.Scope, k.Key, IdempotencyRetention.String()); err != nil {
			return fmt.Errorf("idempotency: %w", err)
		}
		// Blocks while another transaction holds the same key, until it ends.
		tag, err := tx.db.Exec(ctx, `INSERT INTO idempotency_key (scope, key, request_hash, status, body)
			VALUES ($1, $2, $3, 0, '') ON CONFLICT DO NOTHING`, k.Scope, k.Key, k.RequestHash)
		if err != nil {
			return fmt.Errorf("idempotency: %w", err)
		}
		if tag.RowsAffected() == 0 {
			var hash string
			err := tx.db.QueryRow(ctx, `SELECT request_hash, status, headers, body FROM idempotency_key WHERE scope = $1 AND key = $2`,
				k.Scope, k.Key).Scan(&hash, &resp.Status, &resp.Headers, &resp.Body)
			if err != nil {
				return fmt.Errorf("idempotency: %w", err)
			}
			if hash != k.RequestHash {
				return ErrIdempotencyMismatch
			}
			replayed = true
			return nil
		}
		if resp, err = fn(tx); err != nil {
			return err
		}
		headers := resp.Headers
		if headers == nil {
			headers = map[string]string{}
		}
		_, err = tx.db.Exec(ctx, `UPDATE idempotency_key SET status = $3, headers = $4, body = $5 WHERE scope = $1 AND key = $2`,
			k.Scope, k.Key, resp.Status, headers, resp.Body)
		return err
	})
	if err != nil {
		return StoredResponse{}, false, err
	}
	return resp, replayed, nil
}

// PruneIdempotencyKeys deletes keys older than the retention.
func (s *Store) PruneIdempotencyKeys(ctx context.Context) (int64, error) {
	tag, err := s.db.Exec(ctx, `DELETE FROM idempotency_key WHERE created_at < now() - $1::interval`, IdempotencyRetention.String())
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("prune idempotency keys: %w", err)
	}
	return tag.RowsAffected(), nil
}
