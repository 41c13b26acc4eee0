package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/scs-diffusion/tracker/credential"
	"github.com/scs-diffusion/tracker/store"
)

// reportWorld is a loaded API with two organisations (A named, B unnamed
// unless said otherwise) and keys for their partners and reviewers.
type reportWorld struct {
	*testAPI
	orgA, orgB           int64
	partnerA, partnerB   string // Authorization header values
	reviewerA, reviewerB string
	country, capability  string
	oldLevel             int
	validFrom            string
	lon, lat             float64
}

func newReportWorld(t *testing.T) *reportWorld {
	t.Helper()
	w := &reportWorld{testAPI: newTestAPI(t, true)}
	ctx := context.Background()
	q := w.db.Store.Pool()
	if err := q.QueryRow(ctx, `INSERT INTO organisation (name) VALUES ('Open Evidence Lab') RETURNING id`).Scan(&w.orgA); err != nil {
		t.Fatal(err)
	}
	if err := q.QueryRow(ctx, `INSERT INTO organisation (name, named) VALUES ('Quiet Reviewers', false) RETURNING id`).Scan(&w.orgB); err != nil {
		t.Fatal(err)
	}
	w.partnerA = newKey(t, w.db.Store, w.orgA, "partner")
	w.partnerB = newKey(t, w.db.Store, w.orgB, "partner")
	w.reviewerA = newKey(t, w.db.Store, w.orgA, "reviewer")
	w.reviewerB = newKey(t, w.db.Store, w.orgB, "reviewer")
	err := q.QueryRow(ctx, `SELECT a.country, a.capability, a.level, a.valid_from::text,
			ST_X(ST_PointOnSurface(c.geom)), ST_Y(ST_PointOnSurface(c.geom))
		FROM assessment a JOIN country c ON c.iso3 = a.country
		WHERE a.provenance = 'dataset' AND a.valid_to IS NULL AND NOT a.retracted AND a.level BETWEEN 1 AND 3
		  AND NOT EXISTS (SELECT 1 FROM assessment n WHERE n.supersedes = a.id)
		ORDER BY a.id LIMIT 1`).Scan(&w.country, &w.capability, &w.oldLevel, &w.validFrom, &w.lon, &w.lat)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// newKey makes an API key and returns its Authorization header value.
func newKey(t *testing.T, s *store.Store, org int64, role string) string {
	t.Helper()
	tok, err := credential.NewKeyToken()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAPIKey(context.Background(), store.NewAPIKey{Name: role + " key", Hash: credential.TokenHash(tok),
		Prefix: tok[:10], OrgID: org, Role: role}); err != nil {
		t.Fatal(err)
	}
	return "Bearer " + tok
}

func (w *reportWorld) body() string {
	return fmt.Sprintf(`{"country":%q,"period":{"from":"2020-01-01","to":"2024-12-31"},"narrative":"What we found.",
 "assessments":[{"capability":%q,"level":%d,"valid_from":%q,"valid_to":null,"confidence":"M","summary":"Raised by the report.",
   "sources":[{"url":"https://example.org/evidence-1","title":"Evidence one","publisher":"Open Evidence Lab","published":"2022-03-01"}]}],
 "sites":[{"name":"Reported camera network","capability":"surveillance.cctv_network","status":"active","lon":%g,"lat":%g,"vendor":"Hikvision",
   "vendor_country":"CHN","valid_from":"2019-01-01","valid_to":null,"confidence":"M","summary":"","sources":[{"url":"https://example.org/evidence-1","title":"Evidence one","publisher":"Open Evidence Lab","published":"2022-03-01"}]}],
 "constraints":[]}`, w.country, w.capability, w.oldLevel+1, w.validFrom, w.lon, w.lat)
}

// send makes a request as auth (an Authorization value, "" anonymous) with header pairs.
func (w *reportWorld) send(method, path, auth, body string, headers ...string) *httptest.ResponseRecorder {
	w.t.Helper()
	if auth != "" {
		headers = append(headers, "Authorization", auth)
	}
	if body != "" && !hasHeader(headers, "Content-Type") {
		headers = append(headers, "Content-Type", "application/json")
	}
	return w.do(method, path, body, headers...)
}

func hasHeader(h []string, name string) bool {
	for i := 0; i < len(h); i += 2 {
		if strings.EqualFold(h[i], name) {
			return true
		}
	}
	return false
}

type reportResp struct {
	ID          int64  `json:"id"`
	Status      string `json:"status"`
	Version     int    `json:"version"`
	Country     string `json:"country"`
	Assessments []json.RawMessage
	Sites       []json.RawMessage
	Comments    []struct {
		Pointer string
		Body    string
		Author  struct {
			Role         string
			Organisation *string
		}
	}
	Transitions []struct{ From, To, Role string }
}

func (w *reportWorld) create(auth string, headers ...string) (reportResp, string) {
	w.t.Helper()
	res := w.send(http.MethodPost, "/api/v1/reports", auth, w.body(), headers...)
	if res.Code != http.StatusCreated {
		w.t.Fatalf("create: %d %s", res.Code, res.Body)
	}
	var r reportResp
	decode(w.t, res, &r)
	if loc := res.Header().Get("Location"); loc != fmt.Sprintf("/api/v1/reports/%d", r.ID) {
		w.t.Errorf("Location %q", loc)
	}
	return r, res.Header().Get("ETag")
}

func (w *reportWorld) act(id int64, action, auth, etag, body string, want int) (reportResp, string) {
	w.t.Helper()
	res := w.send(http.MethodPost, fmt.Sprintf("/api/v1/reports/%d/%s", id, action), auth, body, "If-Match", etag)
	if res.Code != want {
		w.t.Fatalf("%s: %d, want %d: %s", action, res.Code, want, res.Body)
	}
	var r reportResp
	if want == http.StatusOK {
		decode(w.t, res, &r)
	}
	return r, res.Header().Get("ETag")
}

func (w *reportWorld) count(sql string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.db.Store.Pool().QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

func TestReportWorkflowOverHTTP(t *testing.T) {
	t.Parallel()
	w := newReportWorld(t)
	r, etag := w.create(w.partnerA)
	if r.Status != "draft" || etag != `"1"` || len(r.Assessments) != 1 {
		t.Fatalf("created %+v etag %s", r, etag)
	}
	path := fmt.Sprintf("/api/v1/reports/%d", r.ID)
	// Reading: its organisation yes; another organisation's partner and reviewer (a draft) no.
	if res := w.send(http.MethodGet, path, w.partnerA, ""); res.Code != 200 || res.Header().Get("ETag") != etag {
		t.Fatalf("GET own: %d %s", res.Code, res.Header().Get("ETag"))
	}
	if res := w.send(http.MethodGet, path, w.partnerA, "", "If-None-Match", etag); res.Code != http.StatusNotModified {
		t.Errorf("GET with If-None-Match: %d", res.Code)
	}
	wantProblem(t, w.send(http.MethodGet, path, w.partnerB, ""), 404, "")
	wantProblem(t, w.send(http.MethodGet, path, w.reviewerB, ""), 404, "")
	wantProblem(t, w.send(http.MethodGet, path, "", ""), 401, "")
	// Editing: If-Match required and checked; another organisation's partner gets 404.
	wantProblem(t, w.send(http.MethodPut, path, w.partnerA, w.body()), 428, "If-Match")
	wantProblem(t, w.send(http.MethodPut, path, w.partnerA, w.body(), "If-Match", `"7"`), 412, "")
	wantProblem(t, w.send(http.MethodPut, path, w.partnerB, w.body(), "If-Match", etag), 404, "")
	res := w.send(http.MethodPut, path, w.partnerA, w.body(), "If-Match", etag)
	if res.Code != 200 || res.Header().Get("ETag") != `"2"` {
		t.Fatalf("PUT: %d %s %s", res.Code, res.Header().Get("ETag"), res.Body)
	}
	etag = res.Header().Get("ETag")
	// Illegal transitions and forbidden ones.
	w.act(r.ID, "accept", w.reviewerB, etag, "", 404) // a draft is invisible to other organisations' reviewers
	w.act(r.ID, "withdraw", w.partnerA, etag, "", 409)
	w.act(r.ID, "submit", w.reviewerA, etag, "", 403)
	_, etag = w.act(r.ID, "submit", w.partnerA, etag, `{"comment":"Ready for review."}`, 200)
	w.act(r.ID, "accept", w.reviewerA, etag, "", 403) // a reviewer never decides on their own organisation's report
	w.act(r.ID, "accept", w.partnerA, etag, "", 403)
	w.act(r.ID, "submit", w.partnerA, etag, "", 409)
	wantProblem(t, w.send(http.MethodPost, path+"/accept", w.reviewerB, ""), 428, "If-Match")
	w.act(r.ID, "accept", w.reviewerB, `"1"`, "", 412)
	// Changes requested, edited, resubmitted, accepted.
	got, etag := w.act(r.ID, "request-changes", w.reviewerB, etag,
		`{"comment":"Please add a second source.","item_comments":[{"pointer":"/assessments/0","comment":"One source only."}]}`, 200)
	if got.Status != "changes_requested" || len(got.Comments) != 3 || got.Comments[2].Pointer != "/assessments/0" {
		t.Fatalf("after request-changes: %+v", got)
	}
	if c := got.Comments[1]; c.Author.Role != "reviewer" || c.Author.Organisation == nil || *c.Author.Organisation != "Quiet Reviewers" {
		t.Errorf("comment author %+v", c.Author)
	}
	res = w.send(http.MethodPut, path, w.partnerA, w.body(), "If-Match", etag)
	if res.Code != 200 {
		t.Fatalf("PUT after changes requested: %d %s", res.Code, res.Body)
	}
	_, etag = w.act(r.ID, "submit", w.partnerA, res.Header().Get("ETag"), "", 200)
	got, _ = w.act(r.ID, "accept", w.reviewerB, etag, `{"comment":"Accepted."}`, 200)
	if got.Status != "accepted" || len(got.Transitions) != 4 {
		t.Fatalf("after accept: %+v", got)
	}
	w.act(r.ID, "reject", w.reviewerB, `"`+fmt.Sprint(got.Version)+`"`, "", 409)

	// Published at once, with provenance: profile, assessments, history, CSV, index, change feed.
	type profileAssessment struct {
		Level        *int
		Provenance   *string
		ReportID     *int64  `json:"report_id"`
		Organisation *string `json:"organisation"`
	}
	var profile struct {
		Capabilities []struct {
			Code string
			profileAssessment
		}
	}
	decode(t, w.get("/api/v1/countries/"+w.country), &profile)
	found := false
	for _, c := range profile.Capabilities {
		if c.Code == w.capability && c.Level != nil {
			found = true
			a := c.profileAssessment
			if *a.Level != w.oldLevel+1 || *a.Provenance != "report" || a.ReportID == nil || *a.ReportID != r.ID ||
				a.Organisation == nil || *a.Organisation != "Open Evidence Lab" {
				t.Errorf("profile %s: %+v", w.capability, a)
			}
		}
	}
	if !found {
		t.Fatalf("profile of %s has no %s", w.country, w.capability)
	}
	csv := w.get("/api/v1/export/assessments.csv?country=" + w.country).Body.String()
	if !strings.Contains(csv, fmt.Sprintf(",report,%d,Open Evidence Lab,", r.ID)) {
		t.Errorf("CSV export has no report row: %.600s", csv)
	}
	hist := w.get("/api/v1/countries/" + w.country + "/history").Body.String()
	if !strings.Contains(hist, fmt.Sprintf(`"report_id":%d`, r.ID)) {
		t.Errorf("history has no report row")
	}
	var idx struct {
		Countries []struct {
			ISO3   string
			Levels map[string]int
		}
	}
	decode(t, w.get("/api/v1/index"), &idx)
	for _, c := range idx.Countries {
		if c.ISO3 == w.country && c.Levels[w.capability] != w.oldLevel+1 {
			t.Errorf("/index level of %s %s = %d", w.country, w.capability, c.Levels[w.capability])
		}
	}
	feed := w.get("/api/v1/changes")
	var changes struct {
		Items []struct {
			Kind         string
			ReportID     *int64  `json:"report_id"`
			Organisation *string `json:"organisation"`
			Changes      []struct {
				Country, Capability string
				Old                 *int `json:"old_level"`
				New                 *int `json:"new_level"`
			}
		}
	}
	decode(t, feed, &changes)
	if len(changes.Items) == 0 || changes.Items[0].Kind != "report" || *changes.Items[0].ReportID != r.ID ||
		len(changes.Items[0].Changes) != 1 || *changes.Items[0].Changes[0].Old != w.oldLevel || *changes.Items[0].Changes[0].New != w.oldLevel+1 {
		t.Fatalf("change feed: %s", feed.Body)
	}
	if res := w.get("/api/v1/changes", "If-None-Match", feed.Header().Get("ETag")); res.Code != http.StatusNotModified {
		t.Errorf("/changes with its ETag: %d", res.Code)
	}
	atom := w.get("/api/v1/changes.atom")
	if atom.Code != 200 || !strings.HasPrefix(atom.Header().Get("Content-Type"), "application/atom+xml") ||
		!strings.Contains(atom.Body.String(), fmt.Sprintf("Report %d accepted (Open Evidence Lab)", r.ID)) {
		t.Errorf("atom: %d %s %.400s", atom.Code, atom.Header().Get("Content-Type"), atom.Body)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE subject = $1`, fmt.Sprintf("report:%d", r.ID)); n != 7 {
		t.Errorf("%d audit rows for the report, want 7 (create, 2 updates, 2 submits, request-changes, accept)", n)
	}
	// Every action written is one the audit filter knows.
	if n := w.count(`SELECT count(*) FROM audit_log WHERE NOT action = ANY($1)`, store.AuditActions); n != 0 {
		t.Errorf("%d audit rows with an action missing from store.AuditActions", n)
	}
	// The list: the partner sees it; the other organisation's reviewer too (not a draft).
	for _, auth := range []string{w.partnerA, w.reviewerB, w.reviewerA} {
		var list struct{ Items []struct{ ID int64 } }
		decode(t, w.send(http.MethodGet, "/api/v1/reports?status=accepted", auth, ""), &list)
		if len(list.Items) != 1 || list.Items[0].ID != r.ID {
			t.Errorf("list as %s: %+v", auth[:15], list)
		}
	}
	var list struct{ Items []struct{ ID int64 } }
	decode(t, w.send(http.MethodGet, "/api/v1/reports", w.partnerB, ""), &list)
	if len(list.Items) != 0 {
		t.Errorf("another organisation's partner lists %+v", list)
	}
}

func TestUnnamedOrganisationStaysUnnamed(t *testing.T) {
	t.Parallel()
	w := newReportWorld(t)
	r, etag := w.create(w.partnerB) // Quiet Reviewers: named = false
	_, etag = w.act(r.ID, "submit", w.partnerB, etag, "", 200)
	w.act(r.ID, "accept", w.reviewerA, etag, "", 200)
	body := w.get("/api/v1/assessments?country=" + w.country).Body.String()
	if !strings.Contains(body, fmt.Sprintf(`"provenance":"report","report_id":%d,"organisation":null`, r.ID)) {
		t.Errorf("/assessments: %.800s", body)
	}
	if strings.Contains(body, "Quiet Reviewers") || strings.Contains(w.get("/api/v1/changes").Body.String(), "Quiet Reviewers") ||
		strings.Contains(w.get("/api/v1/export/assessments.csv").Body.String(), "Quiet Reviewers") {
		t.Error("the unnamed organisation's name is published")
	}
}

func TestRejectPublishesNothing(t *testing.T) {
	t.Parallel()
	w := newReportWorld(t)
	before := w.get("/api/v1/index").Header().Get("ETag")
	r, etag := w.create(w.partnerA)
	_, etag = w.act(r.ID, "submit", w.partnerA, etag, "", 200)
	got, _ := w.act(r.ID, "reject", w.reviewerB, etag, `{"comment":"Sources do not support level 3."}`, 200)
	if got.Status != "rejected" {
		t.Fatal(got.Status)
	}
	if n := w.count(`SELECT count(*) FROM assessment WHERE report_id = $1`, r.ID) + w.count(`SELECT count(*) FROM site WHERE report_id = $1`, r.ID) +
		w.count(`SELECT count(*) FROM source WHERE report_id = $1`, r.ID); n != 0 {
		t.Errorf("%d published rows from a rejected report", n)
	}
	if after := w.get("/api/v1/index").Header().Get("ETag"); after != before {
		t.Errorf("the index changed on a reject: %s → %s", before, after)
	}
}

func TestReportIdempotencyOverHTTP(t *testing.T) {
	t.Parallel()
	w := newReportWorld(t)
	first, _ := w.create(w.partnerA, "Idempotency-Key", "k-1")
	res := w.send(http.MethodPost, "/api/v1/reports", w.partnerA, w.body(), "Idempotency-Key", "k-1")
	var again reportResp
	decode(t, res, &again)
	if res.Code != http.StatusCreated || again.ID != first.ID || res.Header().Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d id %d (first %d) %v", res.Code, again.ID, first.ID, res.Header())
	}
	other := strings.Replace(w.body(), "What we found.", "Something else.", 1)
	wantProblem(t, w.send(http.MethodPost, "/api/v1/reports", w.partnerA, other, "Idempotency-Key", "k-1"), 422, "Idempotency-Key")
	if n := w.count(`SELECT count(*) FROM report`); n != 1 {
		t.Errorf("%d reports after three requests with one key", n)
	}
	// The same key on a transition: the replay returns the first answer, not a 409.
	path := fmt.Sprintf("/api/v1/reports/%d/submit", first.ID)
	a := w.send(http.MethodPost, path, w.partnerA, "", "If-Match", `"1"`, "Idempotency-Key", "s-1")
	b := w.send(http.MethodPost, path, w.partnerA, "", "If-Match", `"1"`, "Idempotency-Key", "s-1")
	if a.Code != 200 || b.Code != 200 || a.Body.String() != b.Body.String() {
		t.Fatalf("transition replay: %d %d", a.Code, b.Code)
	}
	if n := w.count(`SELECT count(*) FROM report_transition WHERE report_id = $1`, first.ID); n != 1 {
		t.Errorf("%d transitions recorded", n)
	}
}

func TestSearchSources(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	var got struct {
		Total int
		Items []struct {
			ID        int64
			Title     string
			Publisher string
			Published *string
		}
	}
	decode(t, a.get("/api/v1/sources?q=reuters&limit=3"), &got)
	if got.Total < 1 || len(got.Items) == 0 || len(got.Items) > 3 {
		t.Fatalf("q=reuters: %+v", got)
	}
	for i, s := range got.Items {
		if !strings.Contains(strings.ToLower(s.Title+s.Publisher), "reuters") {
			t.Errorf("item %d matches nothing: %+v", i, s)
		}
		if i > 0 && s.Published != nil && got.Items[i-1].Published != nil && *s.Published > *got.Items[i-1].Published {
			t.Errorf("not newest first: %v after %v", *s.Published, *got.Items[i-1].Published)
		}
	}
	var none struct{ Total int }
	decode(t, a.get("/api/v1/sources?q=zzqqxx-no-such-source"), &none)
	if none.Total != 0 {
		t.Errorf("nonsense matched %d", none.Total)
	}
	wantProblem(t, a.get("/api/v1/sources"), 400, "q")
	wantProblem(t, a.get("/api/v1/sources?q=x"), 400, "q")
	wantProblem(t, a.get("/api/v1/sources?q=reuters&limit=0"), 400, "limit")
}

// TestTwoReviewersAtOnceOverHTTP: two reviewers of other organisations
// decide on the same version at once; exactly one wins, the other gets 412.
func TestTwoReviewersAtOnceOverHTTP(t *testing.T) {
	t.Parallel()
	w := newReportWorld(t)
	var orgC int64
	if err := w.db.Store.Pool().QueryRow(context.Background(), `INSERT INTO organisation (name) VALUES ('Third Org') RETURNING id`).Scan(&orgC); err != nil {
		t.Fatal(err)
	}
	reviewerC := newKey(t, w.db.Store, orgC, "reviewer")
	r, etag := w.create(w.partnerA)
	_, etag = w.act(r.ID, "submit", w.partnerA, etag, "", 200)
	codes := make([]int, 2)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, who := range []struct{ auth, action string }{{w.reviewerB, "accept"}, {reviewerC, "reject"}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/api/v1/reports/%d/%s", r.ID, who.action), nil)
			req.Header.Set("Authorization", who.auth)
			req.Header.Set("If-Match", etag)
			rec := httptest.NewRecorder()
			<-start
			w.router.ServeHTTP(rec, req)
			codes[i] = rec.Code
		}()
	}
	close(start)
	wg.Wait()
	slices.Sort(codes)
	if codes[0] != http.StatusOK || codes[1] != http.StatusPreconditionFailed {
		t.Fatalf("statuses %v, want one 200 and one 412", codes)
	}
	if n := w.count(`SELECT count(*) FROM report_transition WHERE report_id = $1 AND to_status IN ('accepted', 'rejected')`, r.ID); n != 1 {
		t.Errorf("%d decisions recorded", n)
	}
}
