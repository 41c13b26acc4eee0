package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scs-diffusion/tracker/accounts"
	"github.com/scs-diffusion/tracker/api"
	"github.com/scs-diffusion/tracker/credential"
	"github.com/scs-diffusion/tracker/store"
	"github.com/scs-diffusion/tracker/store/storetest"
)

// fastHashes keeps the tests quick: argon2id with tiny costs (the PHC format
// and every check are the same as with credential.DefaultParams).
var fastHashes = credential.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// authAPI is the real router over a fresh database with accounts in it.
type authAPI struct {
	*testAPI
	svc   *accounts.Service
	orgA  store.Organisation
	orgB  store.Organisation
	seq   atomic.Int64
	users map[string]store.User // by email
}

const testPassword = "a long and rare passphrase"

func newAuthAPI(t *testing.T, edit func(*api.Deps)) *authAPI {
	t.Helper()
	db := storetest.New(t)
	router := newRouter(t, db, func(d *api.Deps) {
		d.Auth.Password = fastHashes
		if edit != nil {
			edit(d)
		}
	})
	a := &authAPI{testAPI: &testAPI{t: t, db: db, router: router}, svc: &accounts.Service{Store: db.Store, Params: fastHashes},
		users: map[string]store.User{}}
	ctx := context.Background()
	var err error
	if a.orgA, err = a.svc.CreateOrganisation(ctx, accounts.By{}, "Org A", true); err != nil {
		t.Fatal(err)
	}
	if a.orgB, err = a.svc.CreateOrganisation(ctx, accounts.By{}, "Org B", false); err != nil {
		t.Fatal(err)
	}
	return a
}

// user creates a person with testPassword.
func (a *authAPI) user(email, role string, org int64) store.User {
	a.t.Helper()
	u, err := a.svc.CreateUser(context.Background(), accounts.By{}, accounts.NewUser{Email: email, Name: email, Role: role, OrgID: org, Password: testPassword})
	if err != nil {
		a.t.Fatal(err)
	}
	a.users[email] = u
	return u
}

// key creates an API key and returns its token.
func (a *authAPI) key(role string, org int64, expires *time.Time) (store.APIKey, string) {
	a.t.Helper()
	k, tok, err := a.svc.CreateKey(context.Background(), accounts.By{}, accounts.NewKey{Name: fmt.Sprintf("key %d", a.seq.Add(1)), OrgID: org, Role: role, ExpiresAt: expires}, time.Now().Add(-time.Hour))
	if err != nil {
		a.t.Fatal(err)
	}
	return k, tok
}

// login logs in and returns the session cookie header value.
func (a *authAPI) login(email, password string) string {
	a.t.Helper()
	w := a.send(http.MethodPost, "/api/v1/auth/login", fmt.Sprintf(`{"email":%q,"password":%q}`, email, password))
	if w.Code != http.StatusOK {
		a.t.Fatalf("login %s: %d %s", email, w.Code, w.Body)
	}
	return sessionCookieOf(a.t, w)
}

func sessionCookieOf(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	for _, c := range w.Result().Cookies() {
		if c.Name == "tracker_session" && c.Value != "" {
			return "tracker_session=" + c.Value
		}
	}
	t.Fatalf("no session cookie in %v", w.Header()["Set-Cookie"])
	return ""
}

// send is a.do with a JSON body (when body is not empty).
func (a *authAPI) send(method, path, body string, headers ...string) *httptest.ResponseRecorder {
	a.t.Helper()
	if body != "" {
		headers = append([]string{"Content-Type", "application/json"}, headers...)
	}
	return a.do(method, path, body, headers...)
}

// auditActions lists the actions in the audit log, oldest first.
func (a *authAPI) auditActions() []string {
	a.t.Helper()
	rows, err := a.db.Store.AuditLog(context.Background(), store.AuditFilter{Limit: 1000})
	if err != nil {
		a.t.Fatal(err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[len(rows)-1-i] = r.Action
	}
	return out
}

func TestLoginSessionLogout(t *testing.T) {
	t.Parallel()
	a := newAuthAPI(t, nil)
	a.user("partner@example.org", "partner", a.orgA.ID)

	w := a.send(http.MethodPost, "/api/v1/auth/login", `{"email":" Partner@Example.org ","password":"`+testPassword+`"}`)
	if w.Code != http.StatusOK {
		t.Fatalf("login: %d %s", w.Code, w.Body)
	}
	set := w.Header().Get("Set-Cookie")
	for _, want := range []string{"tracker_session=", "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=604800"} {
		if !strings.Contains(set, want) {
			t.Errorf("Set-Cookie %q lacks %q", set, want)
		}
	}
	if strings.Contains(set, "Secure") {
		t.Errorf("Set-Cookie %q is Secure on plain HTTP without COOKIE_SECURE", set)
	}
	var me struct {
		User         struct{ Email, Role string }
		Organisation struct {
			Name  string
			Named bool
		}
		Session struct {
			ExpiresAt     time.Time `json:"expires_at"`
			IdleExpiresAt time.Time `json:"idle_expires_at"`
		}
	}
	decode(t, w, &me)
	if me.User.Email != "partner@example.org" || me.User.Role != "partner" || me.Organisation.Name != "Org A" || !me.Organisation.Named {
		t.Errorf("login answered %+v", me)
	}
	if d := time.Until(me.Session.ExpiresAt); d < 7*24*time.Hour-time.Minute || d > 7*24*time.Hour+time.Minute {
		t.Errorf("session expires in %v, want 7 days", d)
	}
	if d := time.Until(me.Session.IdleExpiresAt); d < 2*time.Hour-time.Minute || d > 2*time.Hour+time.Minute {
		t.Errorf("session idles out in %v, want 2 h", d)
	}
	cookie := sessionCookieOf(t, w)

	if w := a.get("/api/v1/me", "Cookie", cookie); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"email":"partner@example.org"`) {
		t.Errorf("GET /me with the cookie: %d %s", w.Code, w.Body)
	}
	wantProblem(t, a.get("/api/v1/me"), http.StatusUnauthorized, "")

	// Logout ends the session on the server: the old cookie no longer works.
	w = a.send(http.MethodPost, "/api/v1/auth/logout", "", "Cookie", cookie)
	if w.Code != http.StatusNoContent || !strings.Contains(w.Header().Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("logout: %d, Set-Cookie %q", w.Code, w.Header().Get("Set-Cookie"))
	}
	p := wantProblem(t, a.get("/api/v1/me", "Cookie", cookie), http.StatusUnauthorized, "")
	if p.Type != "/problems/unauthenticated" {
		t.Errorf("after logout: %+v", p)
	}
	// A public read with the dead cookie is simply anonymous.
	if w := a.get("/api/v1/pillars", "Cookie", cookie); w.Code != http.StatusOK {
		t.Errorf("public read with an ended session: %d, want 200", w.Code)
	}
	want := []string{"organisation.create", "organisation.create", "user.create", "login", "logout"}
	if got := a.auditActions(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("audit log %v, want %v", got, want)
	}
}

func TestLoginSameAnswerForUnknownEmail(t *testing.T) {
	t.Parallel()
	a := newAuthAPI(t, nil)
	a.user("known@example.org", "reviewer", a.orgB.ID)
	wrongPassword := a.send(http.MethodPost, "/api/v1/auth/login", `{"email":"known@example.org","password":"not the password at all"}`)
	unknownEmail := a.send(http.MethodPost, "/api/v1/auth/login", `{"email":"nobody@example.org","password":"not the password at all"}`)
	strip := func(w *httptest.ResponseRecorder) string {
		p := wantProblem(t, w, http.StatusUnauthorized, "")
		if p.Type != "/problems/login-failed" {
			t.Errorf("type %q", p.Type)
		}
		p.RequestID = ""
		return fmt.Sprintf("%+v %v", p, w.Header().Get("Set-Cookie"))
	}
	if a, b := strip(wrongPassword), strip(unknownEmail); a != b {
		t.Errorf("wrong password and unknown email answer differently:\n%s\n%s", a, b)
	}
	// Both are audited without the password.
	rows, _ := a.db.Store.AuditLog(context.Background(), store.AuditFilter{Limit: 10})
	failed := 0
	for _, r := range rows {
		if r.Action == "login.failed" {
			failed++
			if strings.Contains(fmt.Sprint(r.Detail), "not the password") {
				t.Errorf("the audit log holds the password: %v", r.Detail)
			}
		}
	}
	if failed != 2 {
		t.Errorf("%d failed logins audited, want 2", failed)
	}
	// A disabled account fails the same way, even with the right password.
	yes := true
	u := a.users["known@example.org"]
	if _, err := a.db.Store.UpdateUser(context.Background(), u.ID, store.UserChange{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	disabled := a.send(http.MethodPost, "/api/v1/auth/login", `{"email":"known@example.org","password":"`+testPassword+`"}`)
	if got := strip(disabled); got != strip(unknownEmail) {
		t.Errorf("disabled account: %s", got)
	}
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	a := newAuthAPI(t, nil)
	a.user("target@example.org", "partner", a.orgA.ID)
	bad := `{"email":"target@example.org","password":"guess guess guess"}`
	for i := range 5 {
		if w := a.send(http.MethodPost, "/api/v1/auth/login", bad); w.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i+1, w.Code)
		}
	}
	// The sixth try for this account is refused before any password work,
	// even with the right password; the same holds for an email nobody has.
	w := a.send(http.MethodPost, "/api/v1/auth/login", `{"email":"target@example.org","password":"`+testPassword+`"}`)
	wantProblem(t, w, http.StatusTooManyRequests, "")
	if ra := w.Header().Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After %q", ra)
	}
	for range 5 {
		a.send(http.MethodPost, "/api/v1/auth/login", `{"email":"ghost@example.org","password":"guess guess guess"}`)
	}
	wantProblem(t, a.send(http.MethodPost, "/api/v1/auth/login", `{"email":"ghost@example.org","password":"guess guess guess"}`), http.StatusTooManyRequests, "")
	// Per address: other accounts from the same address run out after 20 failures.
	n := 0
	for i := range 30 {
		w := a.send(http.MethodPost, "/api/v1/auth/login", fmt.Sprintf(`{"email":"spray%d@example.org","password":"guess guess guess"}`, i))
		if w.Code == http.StatusTooManyRequests {
			break
		}
		n++
	}
	if n != 10 { // 20 per address, 10 spent above
		t.Errorf("%d more failures allowed from one address, want 10", n)
	}
	// Another address may still log in to an account not locked.
	a.user("other@example.org", "partner", a.orgA.ID)
	req := httptest.NewRequest(http.MethodPost, "/api/v1/auth/login", strings.NewReader(`{"email":"other@example.org","password":"`+testPassword+`"}`))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = "198.51.100.7:4000"
	rec := httptest.NewRecorder()
	a.router.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("login from another address: %d %s", rec.Code, rec.Body)
	}
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	a := newAuthAPI(t, func(d *api.Deps) {
		d.Auth.SessionIdle = 30 * time.Minute
		d.Auth.SessionMax = time.Hour
		d.Auth.CookieSecure = true
	})
	a.user("p@example.org", "partner", a.orgA.ID)
	w := a.send(http.MethodPost, "/api/v1/auth/login", `{"email":"p@example.org","password":"`+testPassword+`"}`)
	if !strings.Contains(w.Header().Get("Set-Cookie"), "Secure") || !strings.Contains(w.Header().Get("Set-Cookie"), "Max-Age=3600") {
		t.Errorf("Set-Cookie %q: want Secure (COOKIE_SECURE) and Max-Age=3600 (SESSION_MAX)", w.Header().Get("Set-Cookie"))
	}
	cookie := sessionCookieOf(t, w)
	hash := credential.TokenHash(strings.TrimPrefix(cookie, "tracker_session="))
	pool := a.db.Store.Pool()
	ctx := context.Background()
	if w := a.get("/api/v1/me", "Cookie", cookie); w.Code != http.StatusOK {
		t.Fatalf("fresh session: %d", w.Code)
	}
	// Unused for longer than SESSION_IDLE: ended.
	if _, err := pool.Exec(ctx, `UPDATE user_session SET last_seen_at = now() - interval '31 minutes' WHERE token_hash = $1`, hash); err != nil {
		t.Fatal(err)
	}
	wantProblem(t, a.get("/api/v1/me", "Cookie", cookie), http.StatusUnauthorized, "")
	// Within SESSION_IDLE but past the absolute expiry: ended too.
	if _, err := pool.Exec(ctx, `UPDATE user_session SET last_seen_at = now() - interval '5 minutes', expires_at = now() - interval '1 second' WHERE token_hash = $1`, hash); err != nil {
		t.Fatal(err)
	}
	wantProblem(t, a.get("/api/v1/me", "Cookie", cookie), http.StatusUnauthorized, "")
	if _, err := pool.Exec(ctx, `UPDATE user_session SET expires_at = now() + interval '1 minute' WHERE token_hash = $1`, hash); err != nil {
		t.Fatal(err)
	}
	if w := a.get("/api/v1/me", "Cookie", cookie); w.Code != http.StatusOK {
		t.Errorf("session within both limits: %d", w.Code)
	}
	// A made-up cookie is no session either.
	wantProblem(t, a.get("/api/v1/me", "Cookie", "tracker_session=made-up"), http.StatusUnauthorized, "")
}

func TestSessionCookieSecureOverTLS(t *testing.T) {
	t.Parallel()
	a := newAuthAPI(t, nil)
	a.user("tls@example.org", "partner", a.orgA.ID)
	req := httptest.NewRequest(http.MethodPost, "https://tracker.example/api/v1/auth/login",
		strings.NewReader(`{"email":"tls@example.org","password":"`+testPassword+`"}`))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	a.router.ServeHTTP(w, req)
	if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Set-Cookie"), "; Secure") {
		t.Errorf("login over TLS: %d, Set-Cookie %q; want Secure", w.Code, w.Header().Get("Set-Cookie"))
	}
}
