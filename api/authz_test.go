package api_test

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/scs-diffusion/tracker/accounts"
	"github.com/scs-diffusion/tracker/credential"
)

// The authorization matrix: every route × every kind of caller, each cell
// asserted. Rows are data: to add a route, add an authzRow with the status
// each caller must get. Placeholders in path and body are filled per
// request by authzWorld.fill (see there), so rows that write can run for
// every caller without colliding.

// authzCells is the expected status for each caller. Every field must be set
// (a zero fails the test), so a row cannot leave a caller out.
type authzCells struct {
	Anonymous      int // no credentials
	PartnerA       int // session of a partner of organisation A
	PartnerB       int // session of a partner of organisation B
	ReviewerA      int // session of a reviewer of organisation A
	ReviewerB      int // session of a reviewer of organisation B
	Admin          int // session of an admin (no organisation)
	PartnerKeyA    int // live API key, role partner, organisation A
	RevokedKey     int // revoked API key (partner, organisation A)
	ExpiredSession int // cookie of a session past its absolute expiry (partner A)
}

// authzRow is one route of the matrix.
type authzRow struct {
	method, path, body string
	want               authzCells
}

// Shorthands for rows that follow the common patterns.
var (
	// adminOnly: admins succeed with ok; people and keys of other roles get
	// 403; no or dead credentials get 401.
	adminOnly = func(ok int) authzCells {
		return authzCells{Anonymous: 401, PartnerA: 403, PartnerB: 403, ReviewerA: 403, ReviewerB: 403, Admin: ok,
			PartnerKeyA: 403, RevokedKey: 401, ExpiredSession: 401}
	}
	// anyActor: every live caller succeeds with ok.
	anyActor = func(ok int) authzCells {
		return authzCells{Anonymous: 401, PartnerA: ok, PartnerB: ok, ReviewerA: ok, ReviewerB: ok, Admin: ok,
			PartnerKeyA: ok, RevokedKey: 401, ExpiredSession: 401}
	}
	// publicRead: everyone reads; an expired session reads as anonymous; a
	// bad key is refused (an app never falls back to anonymous unnoticed).
	publicRead = authzCells{Anonymous: 200, PartnerA: 200, PartnerB: 200, ReviewerA: 200, ReviewerB: 200, Admin: 200,
		PartnerKeyA: 200, RevokedKey: 401, ExpiredSession: 200}
)

// authRows are the routes of accounts, keys and administration. Keep
// POST /auth/logout last: it ends the callers' sessions.
var authRows = []authzRow{
	{"GET", "/api/v1/pillars", "", publicRead},
	{"GET", "/api/v1/me", "", anyActor(200)},
	{"POST", "/api/v1/auth/login", `{"email":"nobody{n}@example.org","password":"not a password of anyone"}`,
		authzCells{Anonymous: 401, PartnerA: 401, PartnerB: 401, ReviewerA: 401, ReviewerB: 401, Admin: 401,
			PartnerKeyA: 401, RevokedKey: 401, ExpiredSession: 401}},
	{"POST", "/api/v1/me/password", `{"current":"{password}","new":"{newpassword}"}`,
		authzCells{Anonymous: 401, PartnerA: 204, PartnerB: 204, ReviewerA: 204, ReviewerB: 204, Admin: 204,
			PartnerKeyA: 403, RevokedKey: 401, ExpiredSession: 401}},
	{"GET", "/api/v1/keys", "", adminOnly(200)},
	{"POST", "/api/v1/keys", `{"name":"key {n}","organisation_id":{orgA},"role":"partner"}`, adminOnly(201)},
	{"DELETE", "/api/v1/keys/{freshkey}", "", adminOnly(204)},
	{"GET", "/api/v1/admin/organisations", "", adminOnly(200)},
	{"POST", "/api/v1/admin/organisations", `{"name":"Organisation {n}"}`, adminOnly(201)},
	{"GET", "/api/v1/admin/users", "", adminOnly(200)},
	{"POST", "/api/v1/admin/users", `{"email":"new{n}@example.org","name":"New","role":"partner","organisation_id":{orgB},"password":"` + testPassword + `"}`, adminOnly(201)},
	{"PATCH", "/api/v1/admin/users/{partnerB}", `{"disabled":false}`, adminOnly(200)},
	{"GET", "/api/v1/admin/audit", "", adminOnly(200)},
	{"POST", "/api/v1/auth/logout", "",
		authzCells{Anonymous: 204, PartnerA: 204, PartnerB: 204, ReviewerA: 204, ReviewerB: 204, Admin: 204,
			PartnerKeyA: 403, RevokedKey: 401, ExpiredSession: 204}},
}

// authzWorld holds the callers of the matrix and their credentials.
type authzWorld struct {
	*authAPI
	headers   map[string][]string // caller → header pairs
	passwords map[string]string   // caller → current password (sessions)
	n         int
}

// newAuthzWorld makes organisations A and B, a partner and a reviewer in
// each, an admin, a live and a revoked key, and an expired session.
func newAuthzWorld(t *testing.T) *authzWorld {
	a := newAuthAPI(t, nil)
	w := &authzWorld{authAPI: a, headers: map[string][]string{"Anonymous": nil}, passwords: map[string]string{}}
	people := []struct {
		caller, email, role string
		org                 int64
	}{
		{"PartnerA", "partner.a@example.org", "partner", a.orgA.ID},
		{"PartnerB", "partner.b@example.org", "partner", a.orgB.ID},
		{"ReviewerA", "reviewer.a@example.org", "reviewer", a.orgA.ID},
		{"ReviewerB", "reviewer.b@example.org", "reviewer", a.orgB.ID},
		{"Admin", "admin@example.org", "admin", 0},
	}
	for _, p := range people {
		a.user(p.email, p.role, p.org)
		w.headers[p.caller] = []string{"Cookie", a.login(p.email, testPassword)}
		w.passwords[p.caller] = testPassword
	}
	_, live := a.key("partner", a.orgA.ID, nil)
	w.headers["PartnerKeyA"] = []string{"Authorization", "Bearer " + live}
	revoked, tok := a.key("partner", a.orgA.ID, nil)
	if _, err := a.svc.RevokeKey(context.Background(), byNobody, revoked.ID); err != nil {
		t.Fatal(err)
	}
	w.headers["RevokedKey"] = []string{"Authorization", "Bearer " + tok}
	expired := a.login("partner.a@example.org", testPassword)
	if _, err := a.db.Store.Pool().Exec(context.Background(), `UPDATE user_session SET expires_at = now() - interval '1 second'
		WHERE token_hash = $1`, tokenHashOfCookie(expired)); err != nil {
		t.Fatal(err)
	}
	w.headers["ExpiredSession"] = []string{"Cookie", expired}
	return w
}

// fill replaces the placeholders of a row's path and body for one request:
// {n} a number unique in the test; {orgA}, {orgB} the organisations' ids;
// {partnerB} the id of partner B; {freshkey} the id of a new live key;
// {password} the caller's current password and {newpassword} a new one
// (recorded as current when the request succeeds).
func (w *authzWorld) fill(row authzRow, caller string) (path, body, newPW string) {
	w.n++
	newPW = fmt.Sprintf("another rare passphrase %d", w.n)
	fresh := ""
	if strings.Contains(row.path+row.body, "{freshkey}") {
		k, _ := w.key("reviewer", w.orgB.ID, nil)
		fresh = strconv.FormatInt(k.ID, 10)
	}
	r := strings.NewReplacer("{n}", strconv.Itoa(w.n), "{orgA}", strconv.FormatInt(w.orgA.ID, 10),
		"{orgB}", strconv.FormatInt(w.orgB.ID, 10), "{partnerB}", strconv.FormatInt(w.users["partner.b@example.org"].ID, 10),
		"{password}", w.passwords[caller], "{newpassword}", newPW, "{freshkey}", fresh)
	path, body = r.Replace(row.path), r.Replace(row.body)
	for _, f := range authzFillers {
		path, body = f(w, path), f(w, body)
	}
	return path, body, newPW
}

// authzFillers replace the placeholders of other tables (reports, …).
var authzFillers []func(w *authzWorld, s string) string

// authzHeaders are extra request headers of a row, by "METHOD path" as written in the row.
var authzHeaders = map[string][]string{}

// run sends every row as every caller and checks each cell.
func (w *authzWorld) run(t *testing.T, rows []authzRow) {
	t.Helper()
	callers := reflect.VisibleFields(reflect.TypeFor[authzCells]())
	for _, row := range rows {
		want := reflect.ValueOf(row.want)
		for _, f := range callers {
			status := int(want.FieldByIndex(f.Index).Int())
			name := row.method + " " + row.path + " as " + f.Name
			if status == 0 {
				t.Errorf("%s: the row gives no expected status", name)
				continue
			}
			path, body, newPW := w.fill(row, f.Name)
			got := w.send(row.method, path, body, append(slices.Clone(w.headers[f.Name]), authzHeaders[row.method+" "+row.path]...)...)
			if got.Code != status {
				t.Errorf("%s: %d, want %d (%s)", name, got.Code, status, truncate(got.Body.String()))
				continue
			}
			if got.Code >= 400 {
				wantProblem(t, got, status, "")
			}
			if strings.Contains(row.body, "{newpassword}") && got.Code < 300 {
				w.passwords[f.Name] = newPW
			}
		}
	}
}

// authzTables are every table of the matrix; add yours here (reports, …).
var authzTables = [][]authzRow{authRows}

// authzPrefixes are the paths whose every route must have a matrix row.
var authzPrefixes = []string{"/api/v1/auth/", "/api/v1/me", "/api/v1/keys", "/api/v1/admin/", "/api/v1/reports", "/api/v1/changes"}

func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	w := newAuthzWorld(t)
	for _, rows := range authzTables {
		w.run(t, rows)
	}
}

// TestAuthorizationMatrixCoversRoutes fails when a route of the partner
// workflow has no row in the matrix.
func TestAuthorizationMatrixCoversRoutes(t *testing.T) {
	t.Parallel()
	rows := map[string]bool{}
	for _, table := range authzTables {
		for _, r := range table {
			rows[r.method+" "+r.path] = true
		}
	}
	placeholder := regexp.MustCompile(`\{[^}]+\}`)
	covered := map[string]bool{}
	for k := range rows {
		covered[placeholder.ReplaceAllString(k, "{}")] = true
	}
	for _, r := range newOfflineAPI(t).router.Routes() {
		if !slices.ContainsFunc(authzPrefixes, func(p string) bool { return strings.HasPrefix(r.Path, p) }) {
			continue
		}
		route := r.Method + " " + placeholder.ReplaceAllString(ginPath(r.Path), "{}")
		if !covered[route] {
			t.Errorf("%s %s has no row in the authorization matrix (api/authz_test.go)", r.Method, r.Path)
		}
	}
}

// tokenHashOfCookie is the stored hash of a "tracker_session=…" cookie.
func tokenHashOfCookie(cookie string) []byte {
	return credential.TokenHash(strings.TrimPrefix(cookie, "tracker_session="))
}

// byNobody is a change made outside any session (as `tracker admin` does).
var byNobody = accounts.By{}
