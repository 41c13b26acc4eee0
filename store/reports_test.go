package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/scs-diffusion/tracker/data"
	"github.com/scs-diffusion/tracker/ingest"
	"github.com/scs-diffusion/tracker/reports"
	"github.com/scs-diffusion/tracker/store"
	"github.com/scs-diffusion/tracker/store/storetest"
)

// reportFixture is a loaded database with two organisations and a report
// that would supersede a current dataset row.
type reportFixture struct {
	db                  *storetest.DB
	orgA, orgB          int64
	partnerA, reviewerB store.ReportActor
	country, capability string
	oldID               int64
	oldLevel            int
	validFrom           string
	lon, lat            float64
}

func newReportFixture(t *testing.T) *reportFixture {
	t.Helper()
	ctx := context.Background()
	f := &reportFixture{db: storetest.NewLoaded(t)}
	q := f.db.Store.Pool()
	for name, id := range map[string]*int64{"Org A": &f.orgA, "Org B": &f.orgB} {
		if err := q.QueryRow(ctx, `INSERT INTO organisation (name) VALUES ($1) RETURNING id`, name).Scan(id); err != nil {
			t.Fatal(err)
		}
	}
	f.partnerA = store.ReportActor{OrgID: f.orgA, Role: reports.Partner}
	f.reviewerB = store.ReportActor{OrgID: f.orgB, Role: reports.Reviewer}
	// A dataset row standing now, open-ended, to be superseded.
	err := q.QueryRow(ctx, `SELECT a.id, a.country, a.capability, a.level, a.valid_from::text,
			ST_X(ST_PointOnSurface(c.geom)), ST_Y(ST_PointOnSurface(c.geom))
		FROM assessment a JOIN country c ON c.iso3 = a.country
		WHERE a.provenance = 'dataset' AND a.valid_to IS NULL AND NOT a.retracted AND a.level < 4
		  AND NOT EXISTS (SELECT 1 FROM assessment n WHERE n.supersedes = a.id)
		ORDER BY a.id LIMIT 1`).Scan(&f.oldID, &f.country, &f.capability, &f.oldLevel, &f.validFrom, &f.lon, &f.lat)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *reportFixture) input() reports.Input {
	url := "https://example.org/report-evidence"
	pub := "2022-01-10"
	in := reports.Input{Country: f.country, Period: reports.Period{From: "2020-01-01", To: "2024-12-31"}, Narrative: "n",
		Assessments: []reports.Assessment{{Capability: f.capability, Level: f.oldLevel + 1, ValidFrom: f.validFrom, Confidence: "M",
			Summary: "raised by a report", Sources: []reports.SourceRef{{URL: &url, Title: "Evidence", Publisher: "NGO", Published: &pub}}}},
		Sites: []reports.Site{{Name: "Report site", Capability: f.capability, Status: "active", Lon: &f.lon, Lat: &f.lat,
			Confidence: "M", Summary: "a site the report found", Sources: []reports.SourceRef{{URL: &url, Title: "Evidence", Publisher: "NGO", Published: &pub}}}},
		Constraints: []reports.Constraint{{Date: "2023-02-01", Kind: "court_ruling", Title: "A report's ruling",
			Sources: []reports.SourceRef{{URL: &url, Title: "Evidence", Publisher: "NGO", Published: &pub}}}},
	}
	in.Normalise()
	return in
}

func count(t *testing.T, db *storetest.DB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Store.Pool().QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// published counts every published row, and the revision.
func published(t *testing.T, db *storetest.DB) string {
	return fmt.Sprint(count(t, db, `SELECT count(*) FROM assessment`), count(t, db, `SELECT count(*) FROM site`),
		count(t, db, `SELECT count(*) FROM source`), count(t, db, `SELECT count(*) FROM constraint_event`),
		count(t, db, `SELECT count(*) FROM assessment_source`), count(t, db, `SELECT revision::int FROM dataset_revision`))
}

func (f *reportFixture) submitted(t *testing.T) *store.Report {
	t.Helper()
	ctx := context.Background()
	r, err := f.db.Store.CreateReport(ctx, f.partnerA, f.input())
	if err != nil {
		t.Fatal(err)
	}
	r, err = f.db.Store.Transition(ctx, r.ID, r.Version, f.partnerA, reports.Submit, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestAcceptPublishesWithProvenanceAndIngestKeepsIt(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	ctx := context.Background()
	s := f.db.Store
	r := f.submitted(t)
	rev0, err := s.CurrentRevision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r, err = s.Transition(ctx, r.ID, r.Version, f.reviewerB, reports.Accept, "Thanks", []store.ItemComment{{Pointer: "/assessments/0", Body: "good"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != reports.Accepted || r.DecidedAt == nil || len(r.Comments) != 2 || len(r.Transitions) != 2 {
		t.Fatalf("after accept: %+v", r)
	}
	rev1, _ := s.CurrentRevision(ctx)
	if rev1.Revision <= rev0.Revision {
		t.Errorf("revision %d → %d: not bumped", rev0.Revision, rev1.Revision)
	}
	var newID int64
	var supersedes int64
	var level int
	err = s.Pool().QueryRow(ctx, `SELECT id, supersedes, level FROM assessment WHERE report_id = $1 AND provenance = 'report'`, r.ID).
		Scan(&newID, &supersedes, &level)
	if err != nil {
		t.Fatal(err)
	}
	if supersedes != f.oldID || level != f.oldLevel+1 {
		t.Errorf("report row supersedes %d at level %d; want %d at %d", supersedes, level, f.oldID, f.oldLevel+1)
	}
	if n := count(t, f.db, `SELECT count(*) FROM site WHERE report_id = $1 AND provenance = 'report'`, r.ID); n != 1 {
		t.Errorf("%d report sites", n)
	}
	if n := count(t, f.db, `SELECT count(*) FROM constraint_event WHERE report_id = $1 AND provenance = 'report'`, r.ID); n != 1 {
		t.Errorf("%d report events", n)
	}
	if n := count(t, f.db, `SELECT count(*) FROM audit_log WHERE action = 'report.accept' AND subject = $1`, fmt.Sprintf("report:%d", r.ID)); n != 1 {
		t.Errorf("%d audit rows for the accept", n)
	}
	if n := count(t, f.db, `SELECT count(*) FROM change_log WHERE kind = 'report' AND report_id = $1
		AND changes @> jsonb_build_array(jsonb_build_object('country', $2::text, 'capability', $3::text, 'old_level', $4::int, 'new_level', $5::int))`,
		r.ID, f.country, f.capability, f.oldLevel, f.oldLevel+1); n != 1 {
		t.Errorf("%d change-log entries for the accept", n)
	}
	cur, err := s.CurrentAssessments(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	isCurrent := func(id int64) bool {
		for _, a := range cur {
			if a.ID == id {
				return true
			}
		}
		return false
	}
	if !isCurrent(newID) || isCurrent(f.oldID) {
		t.Fatalf("report row current %v, superseded dataset row current %v", isCurrent(newID), isCurrent(f.oldID))
	}

	// Ingest again, unchanged files: the report's rows stay current, nothing is written.
	before := published(t, f.db)
	if err := ingest.All(ctx, s, data.FS, nil); err != nil {
		t.Fatal(err)
	}
	if after := published(t, f.db); after != before {
		t.Errorf("ingest of unchanged files wrote: %s → %s", before, after)
	}
	cur, _ = s.CurrentAssessments(ctx, nil)
	if !isCurrent(newID) || isCurrent(f.oldID) {
		t.Fatalf("after ingest: report row current %v, dataset row current %v", isCurrent(newID), isCurrent(f.oldID))
	}
	if n := count(t, f.db, `SELECT count(*) FROM site WHERE report_id = $1 AND summary = 'a site the report found'`, r.ID); n != 1 {
		t.Errorf("after ingest, %d report sites with the report's summary", n)
	}
	if n := count(t, f.db, `SELECT count(*) FROM constraint_event WHERE report_id = $1`, r.ID); n != 1 {
		t.Errorf("after ingest, %d report events", n)
	}
}

func TestRejectWritesNothingPublished(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	ctx := context.Background()
	r := f.submitted(t)
	before := published(t, f.db)
	r, err := f.db.Store.Transition(ctx, r.ID, r.Version, f.reviewerB, reports.Reject, "not enough evidence", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != reports.Rejected {
		t.Fatalf("status %s", r.Status)
	}
	if after := published(t, f.db); after != before {
		t.Errorf("reject changed published data: %s → %s", before, after)
	}
}

func TestTwoReviewersDecidingAtOnceOneWins(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	ctx := context.Background()
	r := f.submitted(t)
	var orgC int64
	if err := f.db.Store.Pool().QueryRow(ctx, `INSERT INTO organisation (name) VALUES ('Org C') RETURNING id`).Scan(&orgC); err != nil {
		t.Fatal(err)
	}
	actors := []store.ReportActor{f.reviewerB, {OrgID: orgC, Role: reports.Reviewer}}
	actions := []reports.Action{reports.Accept, reports.Reject}
	errs := make([]error, 2)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = f.db.Store.Transition(ctx, r.ID, r.Version, actors[i], actions[i], "", nil)
		}()
	}
	close(start)
	wg.Wait()
	wins, lost := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, store.ErrPrecondition):
			lost++
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if wins != 1 || lost != 1 {
		t.Fatalf("wins %d, precondition failures %d: %v", wins, lost, errs)
	}
	if n := count(t, f.db, `SELECT count(*) FROM report_transition WHERE report_id = $1 AND to_status IN ('accepted','rejected')`, r.ID); n != 1 {
		t.Errorf("%d decisions recorded", n)
	}
}

func TestWorkflowErrors(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	ctx := context.Background()
	s := f.db.Store
	r, err := s.CreateReport(ctx, f.partnerA, f.input())
	if err != nil {
		t.Fatal(err)
	}
	partnerB := store.ReportActor{OrgID: f.orgB, Role: reports.Partner}
	reviewerA := store.ReportActor{OrgID: f.orgA, Role: reports.Reviewer}
	if _, err := s.UpdateReport(ctx, r.ID, r.Version, partnerB, f.input()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another organisation's partner editing: %v", err)
	}
	if _, err := s.UpdateReport(ctx, r.ID, r.Version+1, f.partnerA, f.input()); !errors.Is(err, store.ErrPrecondition) {
		t.Errorf("stale version: %v", err)
	}
	if _, err := s.Transition(ctx, r.ID, r.Version, f.reviewerB, reports.Accept, "", nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a reviewer cannot see a draft of another organisation: %v", err)
	}
	r, err = s.Transition(ctx, r.ID, r.Version, f.partnerA, reports.Submit, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, r.ID, r.Version, reviewerA, reports.Accept, "", nil); !errors.Is(err, reports.ErrForbidden) {
		t.Errorf("a reviewer deciding on their own organisation's report: %v", err)
	}
	if _, err := s.Transition(ctx, r.ID, r.Version, f.partnerA, reports.Submit, "", nil); !errors.Is(err, reports.ErrIllegal) {
		t.Errorf("submitting twice: %v", err)
	}
	if _, err := s.UpdateReport(ctx, r.ID, r.Version, f.partnerA, f.input()); !errors.Is(err, reports.ErrIllegal) {
		t.Errorf("editing a submitted report: %v", err)
	}
}

func TestIdempotentReplaysAndRefusesAnotherBody(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	ctx := context.Background()
	runs := 0
	fn := func(tx *store.Store) (store.StoredResponse, error) {
		runs++
		return store.StoredResponse{Status: 201, Headers: map[string]string{"ETag": `"1"`}, Body: []byte(fmt.Sprintf(`{"run":%d}`, runs))}, nil
	}
	k := &store.IdemKey{Scope: "org:1", Key: "abc", RequestHash: "h1"}
	first, replayed, err := db.Store.Idempotent(ctx, k, fn)
	if err != nil || replayed {
		t.Fatal(err, replayed)
	}
	again, replayed, err := db.Store.Idempotent(ctx, k, fn)
	if err != nil || !replayed || string(again.Body) != string(first.Body) || again.Headers["ETag"] != `"1"` || runs != 1 {
		t.Fatalf("replay: %+v %v %v runs=%d", again, replayed, err, runs)
	}
	other := *k
	other.RequestHash = "h2"
	if _, _, err := db.Store.Idempotent(ctx, &other, fn); !errors.Is(err, store.ErrIdempotencyMismatch) {
		t.Fatalf("another body: %v", err)
	}
	// Another scope may use the same key.
	scoped := *k
	scoped.Scope = "org:2"
	if _, replayed, err := db.Store.Idempotent(ctx, &scoped, fn); err != nil || replayed || runs != 2 {
		t.Fatalf("other scope: %v %v runs=%d", err, replayed, runs)
	}
	// A failed run keeps nothing: the retry runs.
	failing := &store.IdemKey{Scope: "org:1", Key: "fails", RequestHash: "h"}
	if _, _, err := db.Store.Idempotent(ctx, failing, func(*store.Store) (store.StoredResponse, error) { return store.StoredResponse{}, errors.New("boom") }); err == nil {
		t.Fatal("want the error")
	}
	if _, replayed, err := db.Store.Idempotent(ctx, failing, fn); err != nil || replayed {
		t.Fatalf("retry after failure: %v %v", err, replayed)
	}
}

func TestIdempotencyKeysExpire(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	ctx := context.Background()
	fn := func(*store.Store) (store.StoredResponse, error) {
		return store.StoredResponse{Status: 200, Body: []byte("{}")}, nil
	}
	old := &store.IdemKey{Scope: "org:1", Key: "old", RequestHash: "a"}
	if _, _, err := db.Store.Idempotent(ctx, old, fn); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Store.Idempotent(ctx, &store.IdemKey{Scope: "org:1", Key: "new", RequestHash: "a"}, fn); err != nil {
		t.Fatal(err)
	}
	// Kept 24 h at least: a day old, still refused with another body.
	if _, err := db.Store.Pool().Exec(ctx, `UPDATE idempotency_key SET created_at = now() - interval '24 hours' WHERE key = 'old'`); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Store.Idempotent(ctx, &store.IdemKey{Scope: "org:1", Key: "old", RequestHash: "b"}, fn); !errors.Is(err, store.ErrIdempotencyMismatch) {
		t.Fatalf("a day-old key with another body: %v", err)
	}
	if n, err := db.Store.PruneIdempotencyKeys(ctx); err != nil || n != 0 {
		t.Fatalf("pruned %d (%v) keys younger than the retention", n, err)
	}
	// Past the retention: pruned, and the key may be used again.
	if _, err := db.Store.Pool().Exec(ctx, `UPDATE idempotency_key SET created_at = now() - interval '26 hours' WHERE key = 'old'`); err != nil {
		t.Fatal(err)
	}
	if n, err := db.Store.PruneIdempotencyKeys(ctx); err != nil || n != 1 {
		t.Fatalf("pruned %d (%v), want 1", n, err)
	}
	if _, replayed, err := db.Store.Idempotent(ctx, &store.IdemKey{Scope: "org:1", Key: "old", RequestHash: "b"}, fn); err != nil || replayed {
		t.Fatalf("an expired key reused: %v %v", err, replayed)
	}
}

func TestAcceptingAnEmptyReportStillReachesTheFeed(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	ctx := context.Background()
	s := f.db.Store
	in := reports.Input{Country: f.country, Period: reports.Period{From: "2020-01-01", To: "2021-01-01"}, Narrative: "nothing new"}
	in.Normalise()
	r, err := s.CreateReport(ctx, f.partnerA, in)
	if err != nil {
		t.Fatal(err)
	}
	if r, err = s.Transition(ctx, r.ID, r.Version, f.partnerA, reports.Submit, "", nil); err != nil {
		t.Fatal(err)
	}
	before, _ := s.CurrentRevision(ctx)
	if _, err = s.Transition(ctx, r.ID, r.Version, f.reviewerB, reports.Accept, "", nil); err != nil {
		t.Fatal(err)
	}
	after, _ := s.CurrentRevision(ctx)
	if after.Revision <= before.Revision {
		t.Errorf("accepting a report with no item left the revision at %d: the feed would not reload", after.Revision)
	}
	p, err := s.LoadPublished(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) == 0 || p.Changes[0].ReportID == nil || *p.Changes[0].ReportID != r.ID || len(p.Changes[0].Changes) != 0 {
		t.Fatalf("newest change entry: %+v", p.Changes)
	}
	if p.Changes[0].Revision != after.Revision {
		t.Errorf("the entry names revision %d; the accept produced %d", p.Changes[0].Revision, after.Revision)
	}
}

// TestAcceptRefusedByPublishedDataWritesNothing: a second report proposing a
// site of the same name in the same country cannot be accepted (422 at
// /sites/0/name); nothing of it is published and it stays submitted.
func TestAcceptRefusedByPublishedDataWritesNothing(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	ctx := context.Background()
	s := f.db.Store
	first := f.submitted(t)
	if _, err := s.Transition(ctx, first.ID, first.Version, f.reviewerB, reports.Accept, "", nil); err != nil {
		t.Fatal(err)
	}
	second := f.submitted(t)
	before := published(t, f.db)
	_, err := s.Transition(ctx, second.ID, second.Version, f.reviewerB, reports.Accept, "", nil)
	var fe reports.Errors
	if !errors.As(err, &fe) || len(fe) != 1 || fe[0].Pointer != "/sites/0/name" {
		t.Fatalf("accepting a duplicate site: %v", err)
	}
	if after := published(t, f.db); after != before {
		t.Errorf("a refused accept wrote: %s → %s", before, after)
	}
	r, err := s.Report(ctx, second.ID)
	if err != nil || r.Status != reports.Submitted || r.Version != second.Version {
		t.Errorf("after the refused accept: %v %+v", err, r)
	}
}
