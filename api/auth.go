package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/credential"
	"github.com/scs-diffusion/tracker/keycache"
	"github.com/scs-diffusion/tracker/store"
)

// AuthConfig tunes sessions, cookies and the limits of API keys.
type AuthConfig struct {
	SessionIdle  time.Duration // a session unused for this long ends (default 2h)
	SessionMax   time.Duration // a session ends this long after login, used or not (default 7 days)
	CookieSecure bool          // mark the session cookie Secure even on plain HTTP (behind a TLS proxy)
	KeyRateLimit float64       // requests per second per API key (bursts of 4x); 0: DefaultKeyRateLimit
	KeyCacheFor  time.Duration // how long a key read from the database is trusted; 0: DefaultKeyCacheFor
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
	if a.KeyCacheFor <= 0 {
		a.KeyCacheFor = DefaultKeyCacheFor
	}
	if a.Password.Memory == 0 {
		a.Password = credential.DefaultParams
	}
	return a
}

// sessionCookie names the cookie that carries a session token.
const sessionCookie = "tracker_session"

// authenticate learns who is calling. An Authorization header must hold a
// live API key (refused by rejectBadKey if not): answered from memory when
// this server has seen the key within KeyCacheFor, otherwise looked up when
// first asked (rateLimit charges that lookup to the address first). A
// session cookie is looked up when a handler first asks (authState).
func (h *handler) authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		// An anonymous request (no Authorization, no session cookie) leaves no
		// state: authStateOf is nil for it, which every reader takes as anonymous.
		if authz := c.Request.Header.Get("Authorization"); authz != "" {
			st := &authState{bearer: true}
			c.Set(authKey, st)
			if a, known, seen, err := h.keyFromMemory(authz, time.Now()); known {
				st.resolve = func() (*Actor, error) { return a, err }
				st.get()
			} else {
				st.lookup = !seen
				ctx := c.Request.Context
				st.resolve = func() (*Actor, error) { return h.keyFromDB(ctx(), authz) }
			}
		} else if ck, err := c.Request.Cookie(sessionCookie); err == nil && ck.Value != "" && h.store != nil {
			st := &authState{}
			c.Set(authKey, st)
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

// API keys in memory. A key read from the database is trusted for
// KeyCacheFor (default 5 s): within that time its requests cost no database
// work, and its revocation or expiry is still checked on every request
// against what was read (an expiry takes effect at its instant). A key
// revoked through this server is forgotten at once; one revoked elsewhere
// (another server, `tracker admin revoke-key`) is forgotten when the
// database's notification arrives (channel api_key, migration 010), and at
// the latest after KeyCacheFor. Tokens no key has are remembered too, for
// the same time, so an app repeating a bad token costs one lookup per
// KeyCacheFor; random tokens are bounded by the address's rate limit: a
// token never seen as a key costs its address one lookup of its budget
// before it is looked up (rateLimit).
//
// While the database cannot be reached, a key read within keyOutageFor and
// live then goes on being accepted, so an app's reads are answered from
// memory as anonymous ones are instead of failing with 503 (revocations
// cannot be recorded while the database is down); writes need the
// database anyway.
type keyMemory struct {
	known   *keycache.Cache[store.APIKey]
	unknown *keycache.Cache[struct{}]
	gen     atomic.Uint64 // moves on every forget: a lookup begun before it does not keep what it read
}

// DefaultKeyCacheFor is how long a key read from the database is trusted.
const DefaultKeyCacheFor = 5 * time.Second

const (
	keyOutageFor   = time.Hour
	knownKeysMax   = 10_000
	unknownKeysMax = 1_024
)

func newKeyMemory(cacheFor time.Duration) *keyMemory {
	return &keyMemory{known: keycache.New[store.APIKey](knownKeysMax, max(keyOutageFor, cacheFor)),
		unknown: keycache.New[struct{}](unknownKeysMax, cacheFor)}
}

// forgetKey drops what this server remembers of key id (0: of every key).
func (h *handler) forgetKey(id int64) {
	h.keyMem.gen.Add(1)
	if id == 0 {
		h.keyMem.known.Clear()
		return
	}
	h.keyMem.known.DeleteFunc(func(k store.APIKey) bool { return k.ID == id })
}

func badKey(reason string) *Problem {
	p := unauthenticated("the API key is " + reason)
	p.Errors = []FieldError{{Field: "Authorization", Reason: reason}}
	return p
}

// keyHash checks the shape of an Authorization header, "Bearer sct_…", and
// returns its token's SHA-256.
func (h *handler) keyHash(authz string) (keycache.Hash, error) {
	scheme, token, _ := strings.Cut(authz, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return keycache.Hash{}, badKey("not sent as Authorization: Bearer <token>")
	}
	token = strings.TrimSpace(token)
	if !credential.WellFormedKey(token) || h.store == nil {
		return keycache.Hash{}, badKey("not a key this server issued")
	}
	return keycache.Hash(credential.TokenHash(token)), nil
}

// keyFromMemory answers for an Authorization header without the database
// when it can (known): a malformed header, a key read within KeyCacheFor,
// a token found to be no key within KeyCacheFor. Otherwise seen says
// whether the token is a key this server read before (within keyOutageFor).
func (h *handler) keyFromMemory(authz string, now time.Time) (a *Actor, known, seen bool, err error) {
	hash, err := h.keyHash(authz)
	if err != nil {
		return nil, true, false, err
	}
	if k, age, ok := h.keyMem.known.Get(hash, now); ok {
		if age > h.auth.KeyCacheFor {
			return nil, false, true, nil
		}
		a, err := h.keyVerdict(k, now)
		return a, true, true, err
	}
	if _, _, ok := h.keyMem.unknown.Get(hash, now); ok {
		return nil, true, false, badKey("not a key this server issued")
	}
	return nil, false, false, nil
}

// keyFromDB reads the key of an Authorization header and remembers it.
func (h *handler) keyFromDB(ctx context.Context, authz string) (*Actor, error) {
	hash, err := h.keyHash(authz)
	if err != nil {
		return nil, err
	}
	gen := h.keyMem.gen.Load()
	k, err := h.store.APIKeyByHash(ctx, hash[:])
	now := time.Now()
	switch {
	case err == nil:
		h.keyMem.known.Put(hash, k, now)
		if h.keyMem.gen.Load() != gen {
			// A key was forgotten while this one was read: what was read may
			// predate that change. (Checked after the Put: a forget that comes
			// later deletes the entry itself.)
			h.keyMem.known.Delete(hash)
		}
	case errors.Is(err, store.ErrNotFound):
		h.keyMem.unknown.Put(hash, struct{}{}, now)
		return nil, badKey("not a key this server issued")
	case store.IsUnavailable(err):
		known, age, ok := h.keyMem.known.Get(hash, now)
		if !ok || age > keyOutageFor || !known.LiveAt(now.Add(-age)) {
			return nil, err
		}
		k = known
	default:
		return nil, err
	}
	return h.keyVerdict(k, now)
}

// keyVerdict accepts a key that is neither revoked nor expired at now, and
// records its use.
func (h *handler) keyVerdict(k store.APIKey, now time.Time) (*Actor, error) {
	switch {
	case k.RevokedAt != nil:
		return nil, badKey("revoked")
	case !k.LiveAt(now):
		return nil, badKey("expired")
	}
	h.keyUses.record(k.ID, now)
	return actorFromKey(k), nil
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
