package store_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/scs-diffusion/tracker/store"
	"github.com/scs-diffusion/tracker/store/storetest"
)

const someHash = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"

func hashOf(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

// TestAuditLogIsAppendOnly checks that the database itself refuses to change
// or remove audit rows, whatever program asks.
func TestAuditLogIsAppendOnly(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	ctx := context.Background()
	s := db.Store
	if err := s.Audit(ctx, nil, store.AuditEntry{Action: "login.failed", Subject: "x@example.org", Detail: map[string]any{"reason": "unknown email"}}); err != nil {
		t.Fatal(err)
	}
	// Audit also writes through a caller's transaction, and rolls back with it.
	wantErr := errors.New("roll back")
	err := s.InTx(ctx, func(tx *store.Store) error {
		if err := s.Audit(ctx, tx.DB(), store.AuditEntry{Action: "rolled.back"}); err != nil {
			return err
		}
		return wantErr
	})
	if !errors.Is(err, wantErr) {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`UPDATE audit_log SET action = 'changed'`,
		`DELETE FROM audit_log`,
		`TRUNCATE audit_log`,
	} {
		_, err := s.Pool().Exec(ctx, stmt)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: error %v, want the append-only refusal", stmt, err)
		}
	}
	rows, err := s.AuditLog(ctx, store.AuditFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Action != "login.failed" || rows[0].Detail["reason"] != "unknown email" || rows[0].ActorUserID != 0 {
		t.Errorf("audit log = %+v, want the one login.failed row, unchanged", rows)
	}
	if err := s.Audit(ctx, nil, store.AuditEntry{}); err == nil {
		t.Error("an audit entry without an action was accepted")
	}
}

func TestAccountsAndSessions(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	ctx := context.Background()
	s := db.Store
	org, err := s.CreateOrganisation(ctx, "Org A", false)
	if err != nil || org.Named {
		t.Fatalf("CreateOrganisation = %+v, %v", org, err)
	}
	if _, err := s.CreateOrganisation(ctx, "Org A", true); !errors.Is(err, store.ErrConflict) {
		t.Errorf("duplicate organisation: %v, want ErrConflict", err)
	}
	u, err := s.CreateUser(ctx, store.NewUser{Email: "p@example.org", Name: "P", Role: "partner", OrgID: org.ID, PasswordHash: someHash})
	if err != nil || u.OrgName != "Org A" || u.Role != "partner" {
		t.Fatalf("CreateUser = %+v, %v", u, err)
	}
	for name, n := range map[string]store.NewUser{
		"duplicate email":         {Email: "p@example.org", Role: "partner", OrgID: org.ID, PasswordHash: someHash},
		"unknown organisation":    {Email: "q@example.org", Role: "partner", OrgID: 999, PasswordHash: someHash},
		"partner without org":     {Email: "r@example.org", Role: "partner", PasswordHash: someHash},
		"upper-case email":        {Email: "Q@example.org", Role: "admin", PasswordHash: someHash},
		"role outside the three":  {Email: "s@example.org", Role: "root", PasswordHash: someHash},
		"password not a PHC hash": {Email: "t@example.org", Role: "admin", PasswordHash: "secret"},
	} {
		if _, err := s.CreateUser(ctx, n); err == nil {
			t.Errorf("%s: CreateUser accepted %+v", name, n)
		}
	}

	// A live session; an expired one; an idle one; an ended one.
	if err := s.CreateSession(ctx, hashOf(1), u.ID, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	sess, su, err := s.LiveSession(ctx, hashOf(1), time.Hour)
	if err != nil || su.ID != u.ID || sess.UserID != u.ID {
		t.Fatalf("LiveSession = %+v, %+v, %v", sess, su, err)
	}
	_ = s.CreateSession(ctx, hashOf(2), u.ID, time.Now().Add(-time.Second))
	_ = s.CreateSession(ctx, hashOf(3), u.ID, time.Now().Add(time.Hour))
	if _, err := s.Pool().Exec(ctx, `UPDATE user_session SET last_seen_at = now() - interval '2 hours' WHERE token_hash = $1`, hashOf(3)); err != nil {
		t.Fatal(err)
	}
	for i, h := range [][]byte{hashOf(2), hashOf(3), hashOf(9)} {
		if _, _, err := s.LiveSession(ctx, h, time.Hour); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session %d: %v, want ErrNotFound", i, err)
		}
	}
	// The idle one lives under a longer idle limit; being seen moves last_seen_at.
	sess, _, err = s.LiveSession(ctx, hashOf(3), 3*time.Hour)
	if err != nil || time.Since(sess.LastSeenAt) > time.Minute {
		t.Errorf("idle session under a 3h limit: %+v, %v; want it live and touched", sess, err)
	}
	if err := s.EndSession(ctx, hashOf(1)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.LiveSession(ctx, hashOf(1), time.Hour); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ended session: %v, want ErrNotFound", err)
	}
	// Disabling a person ends their sessions.
	yes := true
	if _, err := s.UpdateUser(ctx, u.ID, store.UserChange{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	var live int
	_ = s.Pool().QueryRow(ctx, `SELECT count(*) FROM user_session WHERE ended_at IS NULL`).Scan(&live)
	if live != 0 {
		t.Errorf("%d sessions live after disabling their person", live)
	}
}

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	ctx := context.Background()
	s := db.Store
	org, _ := s.CreateOrganisation(ctx, "Org K", true)
	k, err := s.CreateAPIKey(ctx, store.NewAPIKey{Name: "ingest bot", Hash: hashOf(7), Prefix: "sct_abcdefgh", OrgID: org.ID, Role: "partner"})
	if err != nil || k.OrgName != "Org K" || k.LastUsedAt != nil || !k.LiveAt(time.Now()) {
		t.Fatalf("CreateAPIKey = %+v, %v", k, err)
	}
	if _, err := s.CreateAPIKey(ctx, store.NewAPIKey{Name: "x", Hash: hashOf(8), Prefix: "p", OrgID: org.ID, Role: "admin"}); err == nil {
		t.Error("an admin key was accepted")
	}
	if _, err := s.CreateAPIKey(ctx, store.NewAPIKey{Name: "x", Hash: hashOf(8), Prefix: "p", OrgID: 999, Role: "partner"}); !errors.Is(err, store.ErrNoOrganisation) {
		t.Errorf("unknown organisation: %v", err)
	}
	got, err := s.APIKeyByHash(ctx, hashOf(7))
	if err != nil || got.ID != k.ID || got.LastUsedAt != nil {
		t.Fatalf("APIKeyByHash = %+v, %v; want the key, never used (a lookup writes nothing)", got, err)
	}
	// Uses are written in batches; an older use never moves last_used_at back.
	used := time.Now().Add(-time.Minute).UTC().Truncate(time.Microsecond)
	if err := s.TouchAPIKeys(ctx, map[int64]time.Time{k.ID: used, 999: used}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.APIKey(ctx, k.ID); got.LastUsedAt == nil || !got.LastUsedAt.Equal(used) {
		t.Fatalf("after TouchAPIKeys: last_used_at %v, want %v", got.LastUsedAt, used)
	}
	if err := s.TouchAPIKeys(ctx, map[int64]time.Time{k.ID: used.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.APIKey(ctx, k.ID); got.LastUsedAt == nil || !got.LastUsedAt.Equal(used) {
		t.Errorf("an older use moved last_used_at to %v, want %v", got.LastUsedAt, used)
	}
	if err := s.TouchAPIKeys(ctx, nil); err != nil {
		t.Errorf("TouchAPIKeys(nil) = %v", err)
	}
	if _, err := s.APIKeyByHash(ctx, hashOf(9)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown key: %v", err)
	}
	k2, revoked, err := s.RevokeAPIKey(ctx, k.ID)
	if err != nil || !revoked || k2.RevokedAt == nil || k2.LiveAt(time.Now()) {
		t.Errorf("RevokeAPIKey = %+v, %v, %v", k2, revoked, err)
	}
	if _, revoked, err := s.RevokeAPIKey(ctx, k.ID); err != nil || revoked {
		t.Errorf("second revocation: revoked %v, %v; want false, nil", revoked, err)
	}
	if _, _, err := s.RevokeAPIKey(ctx, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("revoking an unknown key: %v", err)
	}
}
