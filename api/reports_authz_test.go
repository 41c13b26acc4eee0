package api_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/scs-diffusion/tracker/reports"
	"github.com/scs-diffusion/tracker/store"
)

// The report routes of the authorization matrix (api/authz_test.go). Each
// request gets a report of its own, made in the store just before it:
// {draftA} a draft of organisation A (version 1), {submittedA} a submitted
// one (version 2). The matrix's database is empty, so the first use adds a
// country (a box, enough for a report without sites) and waits until the
// server knows it.

const reportAuthzBody = `{"country":"KEN","period":{"from":"2020-01-01","to":"2021-01-01"},"narrative":"matrix"}`

const reportAuthzCSV = "kind,date,constraint_kind,title,source_url,source_title,source_publisher,source_published\n" +
	"constraint,2021-05-01,court_ruling,Ruling {n},https://example.org/r{n},Judgment,Court,2021-05-01\n"

// partnerOnly: partners of the report's organisation (A) succeed; partners
// of B do not see it; reviewers and admins may not edit or submit.
func partnerOnly(ok, reviewerB int) authzCells {
	return authzCells{Anonymous: 401, PartnerA: ok, PartnerB: 404, ReviewerA: 403, ReviewerB: reviewerB, Admin: 403,
		PartnerKeyA: ok, RevokedKey: 401, ExpiredSession: 401}
}

// deciders: reviewers of another organisation (B) and admins decide.
var deciders = authzCells{Anonymous: 401, PartnerA: 403, PartnerB: 404, ReviewerA: 403, ReviewerB: 200, Admin: 200,
	PartnerKeyA: 403, RevokedKey: 401, ExpiredSession: 401}

var reportRows = []authzRow{
	{"GET", "/api/v1/reports", "", anyActor(200)},
	{"POST", "/api/v1/reports", reportAuthzBody, authzCells{Anonymous: 401, PartnerA: 201, PartnerB: 201, ReviewerA: 403,
		ReviewerB: 403, Admin: 403, PartnerKeyA: 201, RevokedKey: 401, ExpiredSession: 401}},
	{"GET", "/api/v1/reports/template.csv", "", publicRead},
	{"GET", "/api/v1/reports/{draftA}", "", authzCells{Anonymous: 401, PartnerA: 200, PartnerB: 404, ReviewerA: 200,
		ReviewerB: 404, Admin: 200, PartnerKeyA: 200, RevokedKey: 401, ExpiredSession: 401}},
	// The index preview: whoever may read the report (issue9-portal).
	{"GET", "/api/v1/reports/{draftA}/preview", "", authzCells{Anonymous: 401, PartnerA: 200, PartnerB: 404, ReviewerA: 200,
		ReviewerB: 404, Admin: 200, PartnerKeyA: 200, RevokedKey: 401, ExpiredSession: 401}},
	{"PUT", "/api/v1/reports/{draftA}", reportAuthzBody, partnerOnly(200, 404)},
	{"POST", "/api/v1/reports/{draftA}/csv", reportAuthzCSV, partnerOnly(200, 404)},
	{"POST", "/api/v1/reports/{draftA}/submit", "", partnerOnly(200, 404)},
	{"POST", "/api/v1/reports/{submittedA}/withdraw", "", partnerOnly(200, 403)},
	{"POST", "/api/v1/reports/{submittedA}/request-changes", `{"comment":"more"}`, deciders},
	{"POST", "/api/v1/reports/{submittedA}/accept", "", deciders},
	{"POST", "/api/v1/reports/{submittedA}/reject", "", deciders},
	// An action that is none: 404 for everyone the middleware lets through.
	{"POST", "/api/v1/reports/{submittedA}/{action}", "", authzCells{Anonymous: 404, PartnerA: 404, PartnerB: 404, ReviewerA: 404,
		ReviewerB: 404, Admin: 404, PartnerKeyA: 404, RevokedKey: 401, ExpiredSession: 404}},
	{"GET", "/api/v1/changes", "", publicRead},
	{"GET", "/api/v1/changes.atom", "", publicRead},
}

func init() {
	// Before the auth table: its last row (logout) ends the callers' sessions.
	authzTables = append([][]authzRow{reportRows}, authzTables...)
	for _, r := range reportRows {
		switch {
		case strings.Contains(r.path, "{draftA}") && r.method != "GET":
			authzHeaders[r.method+" "+r.path] = []string{"If-Match", `"1"`}
		case strings.Contains(r.path, "{submittedA}"):
			authzHeaders[r.method+" "+r.path] = []string{"If-Match", `"2"`}
		}
	}
	authzFillers = append(authzFillers, fillReports)
}

var reportCountry sync.Map // *authzWorld → done

func fillReports(w *authzWorld, s string) string {
	draft, submitted := strings.Contains(s, "{draftA}"), strings.Contains(s, "{submittedA}")
	if strings.Contains(s, "{n}") {
		s = strings.ReplaceAll(s, "{n}", strconv.Itoa(w.n))
	}
	if !draft && !submitted && !strings.Contains(s, `"country":"KEN"`) && !strings.Contains(s, "constraint,") {
		return s
	}
	t := w.t
	ctx := context.Background()
	if _, done := reportCountry.LoadOrStore(w, true); !done {
		if _, err := w.db.Store.Pool().Exec(ctx, `INSERT INTO country (iso3, iso_official, name, ne_name, region, geom, geom_110m, label_point, area_km2)
			VALUES ('KEN', true, 'Kenya', 'Kenya', 'Africa', ST_Multi(ST_MakeEnvelope(34, -4, 41, 4, 4326)),
			        ST_Multi(ST_MakeEnvelope(34, -4, 41, 4, 4326)), ST_SetSRID(ST_MakePoint(37, 0), 4326), 580000)`); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); ; {
			res := w.get("/api/v1/countries/KEN/history")
			if res.Code == http.StatusOK {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the server did not learn of the new country: %d %s", res.Code, res.Body)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	if !draft && !submitted {
		return s
	}
	in, err := reports.Decode(strings.NewReader(reportAuthzBody))
	if err != nil {
		t.Fatal(err)
	}
	partner := store.ReportActor{OrgID: w.orgA.ID, Role: reports.Partner}
	r, err := w.db.Store.CreateReport(ctx, partner, in)
	if err != nil {
		t.Fatal(err)
	}
	if submitted {
		if _, err := w.db.Store.Transition(ctx, r.ID, r.Version, partner, reports.Submit, "", nil); err != nil {
			t.Fatal(err)
		}
	}
	id := strconv.FormatInt(r.ID, 10)
	return strings.NewReplacer("{draftA}", id, "{submittedA}", id, "{action}", "publish").Replace(s)
}
