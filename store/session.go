package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Session is a live login. The client holds a random token; the table holds
// its SHA-256 only.
type Session struct {
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute expiry
}

// sessionTouchEvery bounds the writes a session costs: last_seen_at moves
// at most once a minute, however many requests the session makes.
const sessionTouchEvery = time.Minute

// CreateSession records a session for userID with the token's hash.
func (s *Store) CreateSession(ctx context.Context, hash []byte, userID int64, expiresAt time.Time) error {
	_, err := s.db.Exec(ctx, `INSERT INTO user_session (token_hash, user_id, expires_at) VALUES ($1, $2, $3)`, hash, userID, expiresAt)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// LiveSession returns the session with hash and its person when it is
// neither ended, past its absolute expiry, idle for longer than idle, nor
// its person disabled; ErrNotFound otherwise. It moves last_seen_at
// forward, at most once a minute.
func (s *Store) LiveSession(ctx context.Context, hash []byte, idle time.Duration) (Session, User, error) {
	const q = `WITH live AS (
			SELECT s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at
			FROM user_session s JOIN app_user u ON u.id = s.user_id
			WHERE s.token_hash = $1 AND s.ended_at IS NULL AND s.expires_at > now()
				AND s.last_seen_at > now() - $2::interval AND NOT u.disabled
		), touched AS (
			UPDATE user_session SET last_seen_at = now()
			WHERE token_hash = (SELECT token_hash FROM live) AND last_seen_at < now() - $3::interval
			RETURNING last_seen_at
		)
		SELECT user_id, created_at, coalesce((SELECT last_seen_at FROM touched), last_seen_at), expires_at FROM live`
	var ss Session
	err := s.db.QueryRow(ctx, q, hash, idle, sessionTouchEvery).Scan(&ss.UserID, &ss.CreatedAt, &ss.LastSeenAt, &ss.ExpiresAt)
	if err != nil {
		if err == pgx.ErrNoRows {
			return ss, User{}, fmt.Errorf("session: %w", ErrNotFound)
		}
		return ss, User{}, fmt.Errorf("session: %w", err)
	}
	u, err := s.User(ctx, ss.UserID)
	return ss, u, err
}

// EndSession ends the session with hash (logout); ending an ended or
// unknown session does nothing.
func (s *Store) EndSession(ctx context.Context, hash []byte) error {
	if _, err := s.db.Exec(ctx, `UPDATE user_session SET ended_at = now() WHERE token_hash = $1 AND ended_at IS NULL`, hash); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// EndSessions ends every live session of a person except keep (nil: all).
func (s *Store) EndSessions(ctx context.Context, userID int64, keep []byte) error {
	_, err := s.db.Exec(ctx, `UPDATE user_session SET ended_at = now()
		WHERE user_id = $1 AND ended_at IS NULL AND ($2::bytea IS NULL OR token_hash <> $2)`, userID, keep)
	if err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	return nil
}
