package api_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/accounts"
	"github.com/scs-diffusion/tracker/api"
	"github.com/scs-diffusion/tracker/store"
)

// keyedRead is a public read with an API key.
func keyedRead(a *authAPI, router *gin.Engine, tok string) int {
	a.t.Helper()
	other := &testAPI{t: a.t, db: a.db, router: router}
	return other.get("/api/v1/pillars", "Authorization", "Bearer "+tok).Code
}

// TestKeyRevokedHereIsRefusedAtOnce: the key is remembered for an hour and
// nothing tells this server of changes but itself, so only its own
// forgetting on DELETE can refuse the next request.
func TestKeyRevokedHereIsRefusedAtOnce(t *testing.T) {
	t.Parallel()
	a := newAuthAPI(t, func(d *api.Deps) { d.Revisions = nil; d.Auth.KeyCacheFor = time.Hour })
	a.user("admin@example.org", "admin", 0)
	admin := []string{"Cookie", a.login("admin@example.org", testPassword)}
	k, tok := a.key("partner", a.orgA.ID, nil)
	for range 3 {
		if code := keyedRead(a, a.router, tok); code != http.StatusOK {
			t.Fatalf("live key: %d", code)
		}
	}
	if w := a.send(http.MethodDelete, fmt.Sprintf("/api/v1/keys/%d", k.ID), "", admin...); w.Code != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", w.Code, w.Body)
	}
	p := wantProblem(t, a.get("/api/v1/pillars", "Authorization", "Bearer "+tok), http.StatusUnauthorized, "Authorization")
	if !strings.Contains(p.Detail, "revoked") {
		t.Errorf("detail %q does not say revoked", p.Detail)
	}
}

// TestKeyRevokedElsewhereIsForgotten: server B remembers the key for an
// hour; a revocation made elsewhere (here the accounts service, as
// `tracker admin revoke-key` does) reaches it through the database's
// notification. The test waits for that notification itself (registered
// after B's own handler, so B has forgotten the key when it fires), then
// expects the refusal.
func TestKeyRevokedElsewhereIsForgotten(t *testing.T) {
	t.Parallel()
	a := newAuthAPI(t, nil)
	var revisions *store.RevisionWatcher
	b := newRouter(t, a.db, func(d *api.Deps) {
		d.Auth.KeyCacheFor = time.Hour
		revisions = d.Revisions
	})
	k, tok := a.key("partner", a.orgA.ID, nil)
	other, _ := a.key("partner", a.orgA.ID, nil)
	heard := make(chan int64, 16)
	revisions.OnKeyChange(func(id int64) {
		select {
		case heard <- id:
		default: // never block the listener
		}
	})
	if code := keyedRead(a, b, tok); code != http.StatusOK {
		t.Fatalf("live key on B: %d", code)
	}
	// Another key's change makes B forget only that key.
	if _, err := a.svc.RevokeKey(context.Background(), accounts.By{}, other.ID); err != nil {
		t.Fatal(err)
	}
	waitForKey(t, heard, other.ID)
	if code := keyedRead(a, b, tok); code != http.StatusOK {
		t.Fatalf("live key on B after another key's revocation: %d", code)
	}
	if _, err := a.svc.RevokeKey(context.Background(), accounts.By{}, k.ID); err != nil {
		t.Fatal(err)
	}
	waitForKey(t, heard, k.ID)
	if code := keyedRead(a, b, tok); code != http.StatusUnauthorized {
		t.Errorf("key revoked elsewhere, after the notification: %d, want 401", code)
	}
}

// waitForKey waits for the notification of key id (a generous bound only
// so that a broken listener fails the test instead of hanging it).
func waitForKey(t *testing.T, heard <-chan int64, id int64) {
	t.Helper()
	deadline := time.After(time.Minute)
	for {
		select {
		case got := <-heard:
			if got == id {
				return
			}
		case <-deadline:
			t.Fatalf("no notification for key %d", id)
		}
	}
}

// TestKeyRememberedWithoutNotifications shows what the notification is for:
// without one, a key revoked elsewhere goes on working from memory until
// KeyCacheFor has passed (which is why it is a few seconds by default).
func TestKeyRememberedWithoutNotifications(t *testing.T) {
	t.Parallel()
	a := newAuthAPI(t, func(d *api.Deps) { d.Revisions = nil; d.Auth.KeyCacheFor = time.Hour })
	k, tok := a.key("partner", a.orgA.ID, nil)
	if code := keyedRead(a, a.router, tok); code != http.StatusOK {
		t.Fatalf("live key: %d", code)
	}
	if _, err := a.svc.RevokeKey(context.Background(), accounts.By{}, k.ID); err != nil {
		t.Fatal(err)
	}
	if code := keyedRead(a, a.router, tok); code != http.StatusOK {
		t.Errorf("remembered key: %d, want 200 from memory (no database round trip)", code)
	}
	// A fresh server reads the database and refuses it.
	if code := keyedRead(a, newRouter(t, a.db, nil), tok); code != http.StatusUnauthorized {
		t.Errorf("revoked key on a server that never saw it: %d, want 401", code)
	}
}

// TestKeyExpiresWhileRemembered: expiry is checked on every request against
// the remembered expiry, so a key stops at its instant, not KeyCacheFor later.
func TestKeyExpiresWhileRemembered(t *testing.T) {
	t.Parallel()
	a := newAuthAPI(t, func(d *api.Deps) { d.Revisions = nil; d.Auth.KeyCacheFor = time.Hour })
	// The key must be read (and remembered) before it expires: on a busy
	// machine creating it and reading it can take longer than a short life,
	// so the life doubles until the first read lands inside it.
	var tok string
	var expires time.Time
	for life := 2 * time.Second; ; life *= 2 {
		expires = time.Now().Add(life)
		_, tok = a.key("partner", a.orgA.ID, &expires)
		code := keyedRead(a, a.router, tok)
		if time.Now().Before(expires) {
			if code != http.StatusOK {
				t.Fatalf("key with %s to live: %d", time.Until(expires).Round(time.Millisecond), code)
			}
			break
		}
		if life > time.Minute {
			t.Fatalf("could not create and read a key within %s", life)
		}
	}
	time.Sleep(time.Until(expires) + 10*time.Millisecond)
	p := wantProblem(t, a.get("/api/v1/pillars", "Authorization", "Bearer "+tok), http.StatusUnauthorized, "Authorization")
	if !strings.Contains(p.Detail, "expired") {
		t.Errorf("detail %q does not say expired", p.Detail)
	}
	// An already expired key is refused from the database too.
	past := time.Now().Add(-time.Minute)
	_, old := a.key("partner", a.orgA.ID, &past)
	wantProblem(t, a.get("/api/v1/pillars", "Authorization", "Bearer "+old), http.StatusUnauthorized, "Authorization")
}

// TestKeyLastUseIsWrittenInBatches: requests record uses in memory; Flush
// writes them in one statement; a failed write is reported, not dropped.
func TestKeyLastUseIsWrittenInBatches(t *testing.T) {
	t.Parallel()
	var uses *api.KeyUses
	a := newAuthAPI(t, func(d *api.Deps) {
		uses = api.NewKeyUses(d.Store, d.Log)
		d.KeyUses = uses
	})
	k, tok := a.key("partner", a.orgA.ID, nil)
	before := time.Now().Add(-time.Second)
	for range 5 {
		if code := keyedRead(a, a.router, tok); code != http.StatusOK {
			t.Fatalf("live key: %d", code)
		}
	}
	lastUsed := func() *time.Time {
		got, err := a.db.Store.APIKey(context.Background(), k.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.LastUsedAt
	}
	if lu := lastUsed(); lu != nil {
		t.Errorf("last_used_at %v written on the request path", lu)
	}
	if err := uses.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if lu := lastUsed(); lu == nil || lu.Before(before) {
		t.Errorf("after Flush: last_used_at %v, want after %v", lu, before)
	}
	if err := uses.Flush(context.Background()); err != nil {
		t.Errorf("Flush with nothing to write: %v", err)
	}

	// A recorder whose database is gone says so, naming how many keys wait.
	closed, err := store.Open(context.Background(), a.db.URL, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	failing := api.NewKeyUses(closed, slog.New(slog.NewTextHandler(io.Discard, nil)))
	b := newRouter(t, a.db, func(d *api.Deps) { d.KeyUses = failing })
	if code := keyedRead(a, b, tok); code != http.StatusOK {
		t.Fatalf("live key on B: %d", code)
	}
	if err := failing.Flush(context.Background()); err == nil || !strings.Contains(err.Error(), "1 API keys") {
		t.Errorf("Flush on a closed pool = %v, want an error naming 1 key", err)
	}
}

// randomToken is a well-formed key token no key has.
func randomToken(t *testing.T) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "sct_" + base64.RawURLEncoding.EncodeToString(b)
}

// TestUnknownTokensAreBounded: a token no key has is remembered as such, so
// its repeats need no database; a token never seen costs its address one
// lookup of its budget first, and is refused with 429 once that is spent.
// The server's store is closed before the checks: a lookup would then fail
// with 503, so a 401 or a 429 proves none was made.
func TestUnknownTokensAreBounded(t *testing.T) {
	t.Parallel()
	a := newAuthAPI(t, nil)
	open := func() *store.Store {
		st, err := store.Open(context.Background(), a.db.URL, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(st.Close)
		return st
	}

	// Repeats of a bad token: one lookup.
	st := open()
	b := &testAPI{t: t, db: a.db, router: newRouter(t, a.db, func(d *api.Deps) { d.Store = st; d.RateLimit = 0; d.Auth.KeyCacheFor = time.Hour })}
	bad := randomToken(t)
	wantProblem(t, b.get("/api/v1/me", "Authorization", "Bearer "+bad), http.StatusUnauthorized, "Authorization")
	st.Close()
	for range 3 {
		wantProblem(t, b.get("/api/v1/me", "Authorization", "Bearer "+bad), http.StatusUnauthorized, "Authorization")
	}

	// New tokens: the address's lookups (bursts of 20) are spent by bringing
	// in 20 live keys, whose requests draw on their own budgets, so the
	// address still has all its requests.
	st = open()
	// (KeyCacheFor long: bringing in 20 keys on a busy machine may take longer than the default.)
	b = &testAPI{t: t, db: a.db, router: newRouter(t, a.db, func(d *api.Deps) { d.Store = st; d.RateLimit = 0.01; d.Auth.KeyCacheFor = time.Hour })}
	toks := make([]string, 20)
	for i := range toks {
		_, toks[i] = a.key("partner", a.orgA.ID, nil)
		if w := b.get("/api/v1/me", "Authorization", "Bearer "+toks[i]); w.Code != http.StatusOK {
			t.Fatalf("key %d: %d %s", i, w.Code, w.Body)
		}
	}
	st.Close()
	p := wantProblem(t, b.get("/api/v1/me", "Authorization", "Bearer "+randomToken(t)), http.StatusTooManyRequests, "")
	if !strings.Contains(p.Detail, "this address") {
		t.Errorf("429 detail %q does not name the address", p.Detail)
	}
	// The keys it knows go on working from memory, and anonymous requests
	// from the address are not affected.
	if w := b.get("/api/v1/me", "Authorization", "Bearer "+toks[0]); w.Code != http.StatusOK {
		t.Errorf("known key after the lookups were spent: %d %s", w.Code, w.Body)
	}
	if w := b.get("/healthz"); w.Code == http.StatusTooManyRequests {
		t.Errorf("health check refused")
	}
}
