package api_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scs-diffusion/tracker/api"
)

// adminSession logs in a new admin and returns the cookie header pair.
func (a *authAPI) adminSession() []string {
	a.t.Helper()
	email := fmt.Sprintf("admin%d@example.org", a.seq.Add(1))
	a.user(email, "admin", 0)
	return []string{"Cookie", a.login(email, testPassword)}
}

func TestAPIKeyLifecycle(t *testing.T) {
	t.Parallel()
	a := newAuthAPI(t, func(d *api.Deps) { d.RateLimit = 50 })
	admin := a.adminSession()
	w := a.send(http.MethodPost, "/api/v1/keys", fmt.Sprintf(`{"name":" sync bot ","organisation_id":%d,"role":"reviewer","expires_at":"2999-01-01"}`, a.orgB.ID), admin...)
	if w.Code != http.StatusCreated {
		t.Fatalf("POST /keys: %d %s", w.Code, w.Body)
	}
	var created struct {
		ID           int64
		Name, Prefix string
		Token        string
		Role         string
		Organisation struct{ Name string }
		ExpiresAt    *time.Time `json:"expires_at"`
	}
	decode(t, w, &created)
	if !regexp.MustCompile(`^sct_[A-Za-z0-9_-]{43}$`).MatchString(created.Token) || !strings.HasPrefix(created.Token, created.Prefix) ||
		len(created.Prefix) != 12 || created.Name != "sync bot" || created.Organisation.Name != "Org B" || created.Role != "reviewer" ||
		created.ExpiresAt == nil || created.ExpiresAt.Year() != 2999 {
		t.Errorf("created key %+v", created)
	}
	// The token is stored only as its SHA-256; lists show the prefix, never the token.
	var stored int
	_ = a.db.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM api_key WHERE token_hash = sha256($1::bytea) AND prefix = $2`,
		[]byte(created.Token), created.Prefix).Scan(&stored)
	if stored != 1 {
		t.Errorf("no api_key row holds sha256(token) with the prefix")
	}
	list := a.get("/api/v1/keys", admin...)
	if strings.Contains(list.Body.String(), created.Token) || !strings.Contains(list.Body.String(), created.Prefix) {
		t.Errorf("GET /keys shows the token or hides the prefix: %s", list.Body)
	}
	if strings.Contains(list.Body.String(), `"last_used_at":"`) {
		t.Errorf("unused key has a last_used_at: %s", list.Body)
	}

	// The key works, as its organisation and role, and records its use.
	bearer := []string{"Authorization", "Bearer " + created.Token}
	w = a.get("/api/v1/me", bearer...)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"user":null`) || !strings.Contains(w.Body.String(), `"name":"sync bot","role":"reviewer"`) ||
		!strings.Contains(w.Body.String(), `"session":null`) {
		t.Errorf("GET /me with the key: %d %s", w.Code, w.Body)
	}
	if list := a.get("/api/v1/keys", admin...); !strings.Contains(list.Body.String(), `"last_used_at":"`) {
		t.Errorf("used key has no last_used_at: %s", list.Body)
	}
	// Keys get their own, larger read budget.
	if got := a.get("/api/v1/pillars", bearer...).Header().Get("X-RateLimit-Limit"); got != "800" {
		t.Errorf("X-RateLimit-Limit with a key = %q, want 800 (200/s, bursts of 4x)", got)
	}
	if got := a.get("/api/v1/pillars").Header().Get("X-RateLimit-Limit"); got != "200" {
		t.Errorf("X-RateLimit-Limit without a key = %q, want 200", got)
	}

	// Revoked: refused at once, on public reads too; revoking again changes nothing.
	path := fmt.Sprintf("/api/v1/keys/%d", created.ID)
	if w := a.send(http.MethodDelete, path, "", admin...); w.Code != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", w.Code, w.Body)
	}
	for _, p := range []string{"/api/v1/me", "/api/v1/pillars"} {
		wantProblem(t, a.get(p, bearer...), http.StatusUnauthorized, "Authorization")
	}
	if w := a.send(http.MethodDelete, path, "", admin...); w.Code != http.StatusNoContent {
		t.Errorf("second DELETE: %d", w.Code)
	}
	wantProblem(t, a.send(http.MethodDelete, "/api/v1/keys/99999", "", admin...), http.StatusNotFound, "")
	wantProblem(t, a.send(http.MethodDelete, "/api/v1/keys/x", "", admin...), http.StatusBadRequest, "id")
	revokes := 0
	for _, act := range a.auditActions() {
		if act == "key.revoke" {
			revokes++
		}
	}
	if revokes != 1 {
		t.Errorf("%d key.revoke audit rows, want 1: %v", revokes, a.auditActions())
	}

	// Expired keys and garbage are refused the same way.
	past := time.Now().Add(-time.Minute)
	k, tok := a.key("partner", a.orgA.ID, nil)
	if _, err := a.db.Store.Pool().Exec(context.Background(), `UPDATE api_key SET expires_at = $2 WHERE id = $1`, k.ID, past); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"Bearer " + tok, "Bearer sct_nonsense", "Basic dXNlcjpwYXNz", "Bearer"} {
		wantProblem(t, a.get("/api/v1/pillars", "Authorization", h), http.StatusUnauthorized, "Authorization")
	}
}

// TestBadInputWritesNothing sends each kind of bad body to the write routes:
// each answers a 4xx problem naming the field, and nothing is written.
func TestBadInputWritesNothing(t *testing.T) {
	t.Parallel()
	a := newAuthAPI(t, func(d *api.Deps) { d.MaxBodyBytes = 4096 })
	admin := a.adminSession()
	target := a.user("someone@example.org", "partner", a.orgA.ID)
	org := fmt.Sprint(a.orgA.ID)
	pw := testPassword
	tests := []struct {
		name, method, path, body string
		headers                  []string
		status                   int
		field                    string
	}{
		{"malformed JSON", "POST", "/api/v1/admin/organisations", `{"name":`, nil, 400, "body"},
		{"two JSON values", "POST", "/api/v1/admin/organisations", `{"name":"X"} {}`, nil, 400, "body"},
		{"not an object", "POST", "/api/v1/admin/organisations", `["X"]`, nil, 400, "body"},
		{"unknown field", "POST", "/api/v1/admin/organisations", `{"name":"X","colour":"red"}`, nil, 422, "/colour"},
		{"wrong type", "POST", "/api/v1/admin/organisations", `{"name":5}`, nil, 422, "/name"},
		{"empty name", "POST", "/api/v1/admin/organisations", `{"name":"  "}`, nil, 422, "/name"},
		{"taken name", "POST", "/api/v1/admin/organisations", `{"name":"Org A"}`, nil, 409, "/name"},
		{"oversized body", "POST", "/api/v1/admin/organisations", `{"name":"` + strings.Repeat("x", 5000) + `"}`, nil, 413, "body"},
		{"not JSON", "POST", "/api/v1/admin/organisations", `name=X`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "Content-Type"},
		{"query parameter", "POST", "/api/v1/admin/organisations?dry=1", `{"name":"X"}`, nil, 400, "dry"},
		{"short password", "POST", "/api/v1/admin/users", `{"email":"n@example.org","role":"partner","organisation_id":` + org + `,"password":"short"}`, nil, 422, "/password"},
		{"common password", "POST", "/api/v1/admin/users", `{"email":"n@example.org","role":"partner","organisation_id":` + org + `,"password":"Password1234"}`, nil, 422, "/password"},
		{"bad role", "POST", "/api/v1/admin/users", `{"email":"n@example.org","role":"root","organisation_id":` + org + `,"password":"` + pw + `"}`, nil, 422, "/role"},
		{"unknown organisation", "POST", "/api/v1/admin/users", `{"email":"n@example.org","role":"partner","organisation_id":99999,"password":"` + pw + `"}`, nil, 422, "/organisation_id"},
		{"partner without organisation", "POST", "/api/v1/admin/users", `{"email":"n@example.org","role":"partner","password":"` + pw + `"}`, nil, 422, "/organisation_id"},
		{"bad email", "POST", "/api/v1/admin/users", `{"email":"not an email","role":"admin","password":"` + pw + `"}`, nil, 422, "/email"},
		{"taken email", "POST", "/api/v1/admin/users", `{"email":"SOMEONE@example.org","role":"admin","password":"` + pw + `"}`, nil, 409, "/email"},
		{"missing fields", "POST", "/api/v1/admin/users", `{}`, nil, 422, "/password"},
		{"patch bad role", "PATCH", fmt.Sprintf("/api/v1/admin/users/%d", target.ID), `{"role":"owner"}`, nil, 422, "/role"},
		{"patch nothing", "PATCH", fmt.Sprintf("/api/v1/admin/users/%d", target.ID), `{}`, nil, 422, "body"},
		{"patch unknown person", "PATCH", "/api/v1/admin/users/99999", `{"disabled":true}`, nil, 404, ""},
		{"key admin role", "POST", "/api/v1/keys", `{"name":"k","organisation_id":` + org + `,"role":"admin"}`, nil, 422, "/role"},
		{"key unknown organisation", "POST", "/api/v1/keys", `{"name":"k","organisation_id":99999,"role":"partner"}`, nil, 422, "/organisation_id"},
		{"key expired already", "POST", "/api/v1/keys", `{"name":"k","organisation_id":` + org + `,"role":"partner","expires_at":"2000-01-01"}`, nil, 422, "/expires_at"},
		{"key bad expiry", "POST", "/api/v1/keys", `{"name":"k","organisation_id":` + org + `,"role":"partner","expires_at":"soon"}`, nil, 422, "/expires_at"},
		{"key without name", "POST", "/api/v1/keys", `{"organisation_id":` + org + `,"role":"partner"}`, nil, 422, "/name"},
		{"login without password", "POST", "/api/v1/auth/login", `{"email":"someone@example.org"}`, nil, 422, "/password"},
		{"login unknown field", "POST", "/api/v1/auth/login", `{"email":"someone@example.org","password":"x","remember":true}`, nil, 422, "/remember"},
		{"new password too short", "POST", "/api/v1/me/password", `{"current":"` + pw + `","new":"tiny"}`, nil, 422, "/new"},
		{"wrong current password", "POST", "/api/v1/me/password", `{"current":"not it at all!","new":"another rare passphrase"}`, nil, 422, "/current"},
	}
	before := a.counts()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headers := append(append([]string{}, admin...), tt.headers...)
			var w = a.send(tt.method, tt.path, tt.body, headers...)
			wantProblem(t, w, tt.status, tt.field)
		})
	}
	if after := a.counts(); after != before {
		t.Errorf("refused requests wrote rows: before %v, after %v", before, after)
	}
}

// counts is the number of rows in each account table (the audit log
// without failed logins, which are recorded by design).
func (a *authAPI) counts() string {
	a.t.Helper()
	var out string
	err := a.db.Store.Pool().QueryRow(context.Background(), `SELECT concat_ws(' ',
		(SELECT count(*) FROM organisation), (SELECT count(*) FROM app_user), (SELECT count(*) FROM api_key),
		(SELECT count(*) FROM user_session), (SELECT count(*) FROM audit_log WHERE action <> 'login.failed'),
		(SELECT string_agg(password_hash || role || disabled::text, ',' ORDER BY id) FROM app_user))`).Scan(&out)
	if err != nil {
		a.t.Fatal(err)
	}
	return out
}

func TestCrossSiteWriteRefused(t *testing.T) {
	t.Parallel()
	a := newAuthAPI(t, nil)
	admin := a.adminSession()
	before := a.counts()
	for _, h := range [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"}, // a sibling subdomain is another origin too
		{"Origin", "https://evil.example"},
	} {
		w := a.send(http.MethodPost, "/api/v1/admin/organisations", `{"name":"Forged"}`, append(append([]string{}, admin...), h...)...)
		p := wantProblem(t, w, http.StatusForbidden, "")
		if p.Type != "/problems/cross-origin" {
			t.Errorf("%v: problem %q, want /problems/cross-origin", h, p.Type)
		}
		w = a.send(http.MethodPost, "/api/v1/auth/logout", "", append(append([]string{}, admin...), h...)...)
		wantProblem(t, w, http.StatusForbidden, "")
	}
	if after := a.counts(); after != before {
		t.Errorf("cross-site requests changed data: before %v, after %v", before, after)
	}
	if w := a.get("/api/v1/me", append(append([]string{}, admin...), "Sec-Fetch-Site", "cross-site")...); w.Code != http.StatusOK {
		t.Errorf("cross-site GET (safe method): %d, want 200", w.Code)
	}
	// The same request from this site, or from an app with a key, goes through.
	w := a.send(http.MethodPost, "/api/v1/admin/organisations", `{"name":"Same site"}`, append(append([]string{}, admin...), "Sec-Fetch-Site", "same-origin")...)
	if w.Code != http.StatusCreated {
		t.Errorf("same-origin POST: %d %s", w.Code, w.Body)
	}
	_, tok := a.key("partner", a.orgA.ID, nil)
	w = a.send(http.MethodPost, "/api/v1/auth/logout", "", "Authorization", "Bearer "+tok, "Sec-Fetch-Site", "cross-site")
	if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "/problems/forbidden") {
		t.Errorf("keyed cross-site POST: %d %s, want the role check (403 forbidden), not the cross-origin refusal", w.Code, w.Body)
	}
}

func TestAdminUsersAndAudit(t *testing.T) {
	t.Parallel()
	a := newAuthAPI(t, nil)
	admin := a.adminSession()
	adminID := a.users[fmt.Sprintf("admin%d@example.org", a.seq.Load())].ID
	w := a.send(http.MethodPost, "/api/v1/admin/organisations", `{"name":"Quiet NGO","named":false}`, admin...)
	if w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), `"named":false`) {
		t.Fatalf("create organisation: %d %s", w.Code, w.Body)
	}
	var org struct{ ID int64 }
	decode(t, w, &org)
	w = a.send(http.MethodPost, "/api/v1/admin/users", fmt.Sprintf(`{"email":"New.Partner@Example.org","name":"N P","role":"partner","organisation_id":%d,"password":%q}`, org.ID, testPassword), admin...)
	if w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), `"email":"new.partner@example.org"`) || strings.Contains(w.Body.String(), "argon2") {
		t.Fatalf("create user: %d %s", w.Code, w.Body)
	}
	var u struct{ ID int64 }
	decode(t, w, &u)
	partner := []string{"Cookie", a.login("new.partner@example.org", testPassword)}
	if w := a.get("/api/v1/me", partner...); !strings.Contains(w.Body.String(), `"name":"Quiet NGO","named":false`) {
		t.Errorf("new partner's /me: %s", w.Body)
	}
	// Disabling ends the person's sessions at once; an admin cannot disable themselves.
	w = a.send(http.MethodPatch, fmt.Sprintf("/api/v1/admin/users/%d", u.ID), `{"disabled":true}`, admin...)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"disabled":true`) {
		t.Fatalf("disable: %d %s", w.Code, w.Body)
	}
	wantProblem(t, a.get("/api/v1/me", partner...), http.StatusUnauthorized, "")
	wantProblem(t, a.send(http.MethodPatch, fmt.Sprintf("/api/v1/admin/users/%d", adminID), `{"disabled":true}`, admin...), http.StatusUnprocessableEntity, "/disabled")
	wantProblem(t, a.send(http.MethodPatch, fmt.Sprintf("/api/v1/admin/users/%d", adminID), `{"role":"partner"}`, admin...), http.StatusUnprocessableEntity, "/role")
	// An admin (no organisation) cannot become a partner: partners need one.
	other := a.user("other.admin@example.org", "admin", 0)
	wantProblem(t, a.send(http.MethodPatch, fmt.Sprintf("/api/v1/admin/users/%d", other.ID), `{"role":"partner"}`, admin...), http.StatusUnprocessableEntity, "/role")

	if w := a.get("/api/v1/admin/users", admin...); strings.Contains(w.Body.String(), "argon2") || !strings.Contains(w.Body.String(), "new.partner@example.org") {
		t.Errorf("GET /admin/users: %s", w.Body)
	}
	// The audit log pages newest first and names the acting admin.
	var page struct {
		Items []struct {
			ID     int64
			Action string
			Actor  struct{ Email *string }
		}
		Next *string
	}
	w = a.get("/api/v1/admin/audit?limit=2", admin...)
	decode(t, w, &page)
	if len(page.Items) != 2 || page.Next == nil || page.Items[0].ID <= page.Items[1].ID {
		t.Fatalf("first audit page: %s", w.Body)
	}
	var actions []string
	for next := "/api/v1/admin/audit?limit=2"; next != ""; {
		w := a.get(next, admin...)
		page.Next = nil
		page.Items = nil
		decode(t, w, &page)
		for _, it := range page.Items {
			actions = append(actions, it.Action)
			if it.Action == "user.update" && (it.Actor.Email == nil || !strings.HasPrefix(*it.Actor.Email, "admin")) {
				t.Errorf("user.update audited without the admin: %+v", it)
			}
		}
		next = ""
		if page.Next != nil {
			next = *page.Next
		}
	}
	got := strings.Join(actions, ",")
	want := "user.create,user.update,login,user.create,organisation.create,login,user.create,organisation.create,organisation.create"
	if got != want {
		t.Errorf("audit log, newest first:\n got %s\nwant %s", got, want)
	}
	wantProblem(t, a.get("/api/v1/admin/audit?cursor=bogus", admin...), http.StatusBadRequest, "cursor")
	wantProblem(t, a.get("/api/v1/admin/audit?limit=0", admin...), http.StatusBadRequest, "limit")
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	a := newAuthAPI(t, nil)
	a.user("p@example.org", "partner", a.orgA.ID)
	first := []string{"Cookie", a.login("p@example.org", testPassword)}
	second := []string{"Cookie", a.login("p@example.org", testPassword)}
	w := a.send(http.MethodPost, "/api/v1/me/password", `{"current":"`+testPassword+`","new":"an entirely new passphrase"}`, first...)
	if w.Code != http.StatusNoContent {
		t.Fatalf("change password: %d %s", w.Code, w.Body)
	}
	if w := a.get("/api/v1/me", first...); w.Code != http.StatusOK {
		t.Errorf("the session that changed the password: %d, want it kept", w.Code)
	}
	wantProblem(t, a.get("/api/v1/me", second...), http.StatusUnauthorized, "")
	wantProblem(t, a.send(http.MethodPost, "/api/v1/auth/login", `{"email":"p@example.org","password":"`+testPassword+`"}`), http.StatusUnauthorized, "")
	a.login("p@example.org", "an entirely new passphrase")
	wantProblem(t, a.send(http.MethodPost, "/api/v1/me/password", `{"current":"an entirely new passphrase","new":"an entirely new passphrase"}`, first...), http.StatusUnprocessableEntity, "/new")
}

func TestKeyRateLimit(t *testing.T) {
	t.Parallel()
	a := newAuthAPI(t, func(d *api.Deps) { d.RateLimit = 0.01; d.Auth.KeyRateLimit = 10 }) // bursts: 20 per address, 40 per key
	_, tok := a.key("partner", a.orgA.ID, nil)
	count := func(headers ...string) (ok int) {
		for range 50 {
			w := a.get("/api/v1/pillars", headers...)
			if w.Code == http.StatusTooManyRequests {
				if w.Header().Get("Retry-After") == "" {
					t.Error("429 without Retry-After")
				}
				return ok
			}
			ok++
		}
		return ok
	}
	if n := count(); n != 20 {
		t.Errorf("anonymous: %d requests before 429, want 20", n)
	}
	// The address is spent, but the key has a budget of its own: its burst of
	// 40, plus what its 10/s refilled while the requests ran (a busy machine
	// may take a good part of a second for them).
	start := time.Now()
	n := count("Authorization", "Bearer "+tok)
	refilled := int(10 * time.Since(start).Seconds())
	if n < 40 || n > 40+refilled {
		t.Errorf("with a key: %d requests before 429, want 40 (+ up to %d refilled)", n, refilled)
	}
	// A bad key draws on the (spent) address budget, not on a key's.
	wantProblem(t, a.get("/api/v1/pillars", "Authorization", "Bearer sct_"+strings.Repeat("A", 43)), http.StatusTooManyRequests, "")
}
