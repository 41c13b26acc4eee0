package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/credential"
	"github.com/scs-diffusion/tracker/store"
)

// AuthConfig tunes sessions, cookies and the limits of API keys.
type AuthConfig struct {
	SessionIdle  time.Duration // a session unused for this long ends (default 2h)
	SessionMax   time.Duration // a session ends this long after login, used or not (default 7 days)
	CookieSecure bool          // mark the session cookie Secure even on plain HTTP (behind a TLS proxy)
	KeyRateLimit float64       // requests per second per API key (bursts of 4x); 0: DefaultKeyRateLimit
	// Password is the argon2id cost of new hashes (zero: credential.DefaultParams).
	Password credential.Params
}

// Defaults of AuthConfig.
const (
	DefaultSessionIdle  = 2 * time.Hour
	DefaultSessionMax   = 7 * 24 * time.Hour
	DefaultKeyRateLimit = 200
)

func (a AuthConfig) withDefaults() AuthConfig {
	if a.SessionIdle <= 0 {
		a.SessionIdle = DefaultSessionIdle
	}
	if a.SessionMax <= 0 {
		a.SessionMax = DefaultSessionMax
	}
	if a.KeyRateLimit <= 0 {
		a.KeyRateLimit = DefaultKeyRateLimit
	}
	if a.Password.Memory == 0 {
		a.Password = credential.DefaultParams
	}
	return a
}

// sessionCookie names the cookie that carries a session token.
const sessionCookie = "tracker_session"

// authenticate learns who is calling. An Authorization header must hold a
// live API key (checked here, refused by rejectBadKey if not); otherwise a
// session cookie is looked up when a handler first asks (authState).
func (h *handler) authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		st := &authState{}
		c.Set(authKey, st)
		if authz := c.Request.Header.Get("Authorization"); authz != "" {
			st.bearer = true
			a, err := h.keyActor(c.Request.Context(), authz)
			st.resolve = func() (*Actor, error) { return a, err }
			st.get()
		} else if ck, err := c.Request.Cookie(sessionCookie); err == nil && ck.Value != "" && h.store != nil {
			ctx := c.Request.Context
			st.resolve = func() (*Actor, error) { return h.sessionActor(ctx(), ck.Value, st) }
		}
		c.Next()
	}
}

// rejectBadKey answers 401 on every route to a request whose Authorization
// header does not hold a live API key: an app never falls back to
// anonymous without noticing.
func rejectBadKey() gin.HandlerFunc {
	return func(c *gin.Context) {
		if st := authStateOf(c); st != nil && st.bearer {
			if _, err := st.get(); err != nil {
				writeProblem(c, problemFor(err))
				return
			}
		}
		c.Next()
	}
}

// keyActor checks an Authorization header: "Bearer sct_…" naming a key that
// is neither revoked nor expired.
func (h *handler) keyActor(ctx context.Context, authz string) (*Actor, error) {
	scheme, token, _ := strings.Cut(authz, " ")
	bad := func(reason string) (*Actor, error) {
		p := unauthenticated("the API key is " + reason)
		p.Errors = []FieldError{{Field: "Authorization", Reason: reason}}
		return nil, p
	}
	if !strings.EqualFold(scheme, "Bearer") {
		return bad("not sent as Authorization: Bearer <token>")
	}
	if !credential.WellFormedKey(strings.TrimSpace(token)) || h.store == nil {
		return bad("not a key this server issued")
	}
	hash := credential.TokenHash(strings.TrimSpace(token))
	k, err := h.store.APIKeyByHash(ctx, hash)
	if err == nil {
		h.knownKeys.remember(hash, k, time.Now())
	} else if known, ok := h.knownKeys.recall(hash, time.Now()); ok && store.IsUnavailable(err) {
		k, err = known, nil
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return bad("not a key this server issued")
	case err != nil:
		return nil, err
	case k.RevokedAt != nil:
		return bad("revoked")
	case !k.LiveAt(time.Now()):
		return bad("expired")
	}
	return actorFromKey(k), nil
}

// knownKeys remembers the keys this server last found in the database, for
// one purpose: while the database cannot be reached, an app's reads go on
// being answered from memory, as anonymous ones are, instead of failing
// with 503. A key is recalled only within knownKeyFor of its last check
// and only while it was live then (revocations cannot be recorded while the
// database is down); writes need the database anyway.
type knownKeys struct {
	mu   sync.Mutex
	keys map[string]knownKey
}

type knownKey struct {
	key     store.APIKey
	checked time.Time
}

const (
	knownKeyFor  = time.Hour
	knownKeysMax = 10_000
)

func (kk *knownKeys) remember(hash []byte, k store.APIKey, now time.Time) {
	kk.mu.Lock()
	defer kk.mu.Unlock()
	if kk.keys == nil || len(kk.keys) >= knownKeysMax {
		kk.keys = map[string]knownKey{} // rare: start over rather than track ages
	}
	kk.keys[string(hash)] = knownKey{k, now}
}

func (kk *knownKeys) recall(hash []byte, now time.Time) (store.APIKey, bool) {
	kk.mu.Lock()
	defer kk.mu.Unlock()
	e, ok := kk.keys[string(hash)]
	if !ok || now.Sub(e.checked) > knownKeyFor || !e.key.LiveAt(e.checked) {
		return store.APIKey{}, false
	}
	return e.key, true
}

// sessionActor looks up the session of a cookie; an unknown, ended or
// expired session is a 401 for the routes that need one.
func (h *handler) sessionActor(ctx context.Context, token string, st *authState) (*Actor, error) {
	expired := unauthenticated("the session has ended or expired; log in again")
	if !credential.WellFormedSession(token) {
		return nil, expired
	}
	hash := credential.TokenHash(token)
	sess, u, err := h.store.LiveSession(ctx, hash, h.auth.SessionIdle)
	if errors.Is(err, store.ErrNotFound) {
		return nil, expired
	}
	if err != nil {
		return nil, err
	}
	st.user, st.sessionHash, st.expiresAt, st.idleUntil = u, hash, sess.ExpiresAt, sess.LastSeenAt.Add(h.auth.SessionIdle)
	return actorFromUser(u), nil
}

// crossOrigin refuses state-changing requests a browser sends from another
// site (net/http.CrossOriginProtection: Sec-Fetch-Site, else Origin against
// Host) with a 403 problem. Requests with an Authorization header are apps:
// they are authenticated by that header alone, never by a cookie, so a
// forged request gains nothing and they are let through.
func crossOrigin() gin.HandlerFunc {
	cop := http.NewCrossOriginProtection()
	return func(c *gin.Context) {
		if c.Request.Header.Get("Authorization") == "" {
			if err := cop.Check(c.Request); err != nil {
				writeProblem(c, &Problem{Type: "/problems/cross-origin", Title: "Cross-origin request refused",
					Status: http.StatusForbidden, Detail: "a state-changing request from another site is not accepted"})
				return
			}
		}
		c.Next()
	}
}
