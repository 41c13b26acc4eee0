package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scs-diffusion/tracker/store"
)

// auditIDs pages through GET /api/v1/admin/audit with query (limit 1, so
// every page's cursor is followed) and returns the ids, newest first.
func (a *authAPI) auditIDs(query string, admin []string) []int64 {
	a.t.Helper()
	var ids []int64
	for next := "/api/v1/admin/audit?limit=1&" + query; next != ""; {
		w := a.get(next, admin...)
		if w.Code != http.StatusOK {
			a.t.Fatalf("GET %s: %d %s", next, w.Code, w.Body)
		}
		var page struct {
			Items []struct{ ID int64 }
			Next  *string
		}
		decode(a.t, w, &page)
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
		next = ""
		if page.Next != nil {
			next = *page.Next
		}
		if len(ids) > 100 {
			a.t.Fatalf("GET %s: more pages than rows", query)
		}
	}
	return ids
}

func TestAuditFilters(t *testing.T) {
	t.Parallel()
	a := newAuthAPI(t, nil)
	admin := a.adminSession()
	a.user("Partner.A@example.org", "partner", a.orgA.ID)
	a.user("reviewer.b@example.org", "reviewer", a.orgB.ID)
	a.login("partner.a@example.org", testPassword)
	a.login("reviewer.b@example.org", testPassword)
	a.login("partner.a@example.org", testPassword)
	if w := a.send(http.MethodPost, "/api/v1/auth/login", `{"email":"partner.a@example.org","password":"wrong wrong wrong"}`); w.Code != http.StatusUnauthorized {
		t.Fatalf("failed login: %d %s", w.Code, w.Body)
	}
	w := a.send(http.MethodPost, "/api/v1/admin/organisations", `{"name":"Org C","named":true}`, admin...)
	if w.Code != http.StatusCreated {
		t.Fatalf("create organisation: %d %s", w.Code, w.Body)
	}

	// The oracle: the whole log, read straight from the store and filtered here.
	all, err := a.db.Store.AuditLog(context.Background(), store.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 8 {
		t.Fatalf("only %d audit rows", len(all))
	}
	for _, r := range all {
		if !slices.Contains(store.AuditActions, r.Action) {
			t.Errorf("audit action %q is not in store.AuditActions (the filter would refuse it)", r.Action)
		}
	}
	mid := all[len(all)/2].At // a time some rows are before and some after
	want := func(keep func(store.AuditRecord) bool) []int64 {
		var ids []int64
		for _, r := range all {
			if keep(r) {
				ids = append(ids, r.ID)
			}
		}
		return ids
	}
	today := time.Now().UTC().Format(time.DateOnly)
	yesterday := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	cases := []struct {
		query string
		keep  func(store.AuditRecord) bool
	}{
		{"", func(store.AuditRecord) bool { return true }},
		{"action=login", func(r store.AuditRecord) bool { return r.Action == "login" }},
		{"action=login.failed", func(r store.AuditRecord) bool { return r.Action == "login.failed" }},
		{"action=report.accept", func(r store.AuditRecord) bool { return false }},
		{fmt.Sprintf("organisation_id=%d", a.orgA.ID), func(r store.AuditRecord) bool { return r.OrgID == a.orgA.ID }},
		{"actor=PARTNER.a@Example.org", func(r store.AuditRecord) bool { return r.ActorEmail == "partner.a@example.org" }},
		{"actor=nobody@example.org", func(store.AuditRecord) bool { return false }},
		{"actor=partner.a@example.org&action=logout", func(r store.AuditRecord) bool {
			return r.ActorEmail == "partner.a@example.org" && r.Action == "logout"
		}},
		{fmt.Sprintf("action=login&organisation_id=%d", a.orgB.ID), func(r store.AuditRecord) bool { return r.Action == "login" && r.OrgID == a.orgB.ID }},
		{"since=" + today, func(store.AuditRecord) bool { return true }},
		{"since=" + tomorrow, func(store.AuditRecord) bool { return false }},
		{"until=" + today, func(store.AuditRecord) bool { return true }},
		{"until=" + yesterday, func(store.AuditRecord) bool { return false }},
		{"since=" + url.QueryEscape(mid.Format(time.RFC3339Nano)), func(r store.AuditRecord) bool { return !r.At.Before(mid) }},
		{"until=" + url.QueryEscape(mid.Format(time.RFC3339Nano)), func(r store.AuditRecord) bool { return !r.At.After(mid) }},
		{"action=login&since=" + url.QueryEscape(mid.Format(time.RFC3339Nano)) + "&until=" + today,
			func(r store.AuditRecord) bool { return r.Action == "login" && !r.At.Before(mid) }},
	}
	for _, tc := range cases {
		got, exp := a.auditIDs(tc.query, admin), want(tc.keep)
		if !slices.Equal(got, exp) {
			t.Errorf("?%s: ids %v, want %v", tc.query, got, exp)
		}
	}
	if n := len(want(func(r store.AuditRecord) bool { return r.Action == "login" })); n != 4 {
		t.Errorf("%d logins in the log, want 4 (the admin's and three)", n)
	}

	// A cursor continues only the listing with its own filters.
	w = a.get("/api/v1/admin/audit?limit=1&action=login", admin...)
	var page struct{ Next *string }
	decode(t, w, &page)
	if page.Next == nil {
		t.Fatalf("no next page: %s", w.Body)
	}
	u, err := url.Parse(*page.Next)
	if err != nil {
		t.Fatal(err)
	}
	cur := u.Query().Get("cursor")
	if w := a.get("/api/v1/admin/audit?limit=1&action=login&cursor="+cur, admin...); w.Code != http.StatusOK {
		t.Errorf("the cursor with its own filters: %d %s", w.Code, w.Body)
	}
	for _, q := range []string{"action=logout", "", "action=login&actor=partner.a@example.org"} {
		wantProblem(t, a.get("/api/v1/admin/audit?limit=1&cursor="+cur+"&"+q, admin...), http.StatusBadRequest, "cursor")
	}

	// Bad values name their parameter.
	for _, tc := range []struct{ query, field string }{
		{"action=bogus", "action"},
		{"action=", "action"},
		{"organisation_id=0", "organisation_id"},
		{"organisation_id=-3", "organisation_id"},
		{"organisation_id=abc", "organisation_id"},
		{"organisation_id=99999999999999999999", "organisation_id"},
		{"actor=nobody", "actor"},
		{"actor=@example.org", "actor"},
		{"actor=" + strings.Repeat("a", 250) + "@example.org", "actor"},
		{"since=2026-13-01", "since"},
		{"since=yesterday", "since"},
		{"until=2026-02-30", "until"},
		{"until=2026-01-01T00:00:00", "until"},
		{"since=2026-03-02&until=2026-03-01", "until"},
		{"actor=a@b&actor=c@d", "actor"},
		{"who=me", "who"},
	} {
		wantProblem(t, a.get("/api/v1/admin/audit?"+tc.query, admin...), http.StatusBadRequest, tc.field)
	}
	// The filters are for admins only, like the log.
	partner := []string{"Cookie", a.login("partner.a@example.org", testPassword)}
	wantProblem(t, a.get("/api/v1/admin/audit?action=login", partner...), http.StatusForbidden, "")
	wantProblem(t, a.get("/api/v1/admin/audit?action=bogus"), http.StatusUnauthorized, "")
}

// TestAuditActionsMatchPortal keeps the portal's list of actions (its filter
// menu) the same as the server's.
func TestAuditActionsMatchPortal(t *testing.T) {
	b, err := os.ReadFile("../frontend/src/portal/admin.ts")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)export const AUDIT_ACTIONS = \[(.*?)\] as const`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no AUDIT_ACTIONS in frontend/src/portal/admin.ts")
	}
	var got []string
	for _, q := range regexp.MustCompile(`'([^']+)'`).FindAllSubmatch(m[1], -1) {
		got = append(got, string(q[1]))
	}
	if !slices.Equal(got, store.AuditActions) {
		t.Errorf("the portal's actions %v, the server's %v", got, store.AuditActions)
	}
}
