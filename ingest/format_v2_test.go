package ingest_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/scs-diffusion/tracker/ingest"
	"github.com/scs-diffusion/tracker/reports"
	"github.com/scs-diffusion/tracker/store"
	"github.com/scs-diffusion/tracker/store/storetest"
)

const (
	venAccess = "      - capability: sanctions.access_restriction\n        level: 3\n        from: 2017\n        confidence: H\n"
	venCredit = "      - capability: integration.credit_platform\n        level: 3\n        from: 2017\n        confidence: H\n"
	venSites  = "    sites:\n      - name: \"Caracas: Carnet de la Patria data centre (CANTV)\""
)

// correctedData is the shipped data with three format-v2 changes recorded on
// 2026-12-01 in cases-1.yaml: Venezuela's access restriction corrected from
// level 3 to 2 (same from: supersedes), its credit platform withdrawn (no
// replacement: a retraction), and a new row with a level judgement and a note
// on its start date.
func correctedData(t *testing.T) fstest.MapFS {
	t.Helper()
	m := dataCopy(t)
	f := "dataset/cases-1.yaml"
	edit(t, m, f, venAccess, venAccess+"        superseded: 2026-12-01\n        correction: \"New research: the card conditions access only in part.\"\n")
	edit(t, m, f, venCredit, venCredit+"        superseded: 2026-12-01\n        correction: \"Withdrawn pending better sources.\"\n")
	edit(t, m, f, venSites, `      - capability: sanctions.access_restriction
        level: 2
        from: 2017
        confidence: M
        recorded: 2026-12-01
        summary: "Corrected level."
        sources: [reuters-2018-zte-venezuela, slate-2018-venezuela]
      - capability: surveillance.cctv_network
        level: 2
        from: 2015
        confidence: M
        level_judgement: true
        from_note: "Planned in 2015, before the first report."
        recorded: 2026-12-01
        summary: "A judgement call."
        sources: [reuters-2018-zte-venezuela]
`+venSites)
	return m
}

// newRow is a VEN assessment at level 2 followed by the sites block it is inserted before.
func newRow(capability, from, recorded, source string) string {
	return "      - capability: " + capability + "\n        level: 2\n        from: " + from + "\n        confidence: M\n" +
		"        recorded: " + recorded + "\n        summary: \"x\"\n        sources: [" + source + "]\n" + venSites
}

func find(rows []store.Assessment, capability string, level int, retracted bool) *store.Assessment {
	for i := range rows {
		if rows[i].Capability == capability && rows[i].Level == level && rows[i].Retracted == retracted {
			return &rows[i]
		}
	}
	return nil
}

func TestFormatV2History(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	ctx := context.Background()
	m := correctedData(t)
	if err := ingest.All(ctx, db.Store, m, nil); err != nil {
		t.Fatalf("ingest: %v", err)
	}
	first := takeSnapshot(t, db)
	h := venHistory(t, db.Store)
	release := ingest.FirstRelease
	dec1 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

	old, corrected := find(h, "sanctions.access_restriction", 3, false), find(h, "sanctions.access_restriction", 2, false)
	if old == nil || corrected == nil {
		t.Fatalf("history lacks the old or corrected row: %+v", h)
	}
	if !old.RecordedAt.Equal(release) || !corrected.RecordedAt.Equal(dec1) {
		t.Errorf("recorded at %s and %s, want %s and %s (from the files)", old.RecordedAt, corrected.RecordedAt, release, dec1)
	}
	if corrected.Supersedes == nil || *corrected.Supersedes != old.ID || old.SupersededBy == nil || *old.SupersededBy != corrected.ID {
		t.Errorf("the corrected row must supersede the old: old %+v corrected %+v", old, corrected)
	}
	if corrected.CorrectionReason != "New research: the card conditions access only in part." || old.CorrectionReason != "" {
		t.Errorf("correction reason %q on the new row, %q on the old; want it on the new row only", corrected.CorrectionReason, old.CorrectionReason)
	}

	credit, retraction := find(h, "integration.credit_platform", 3, false), find(h, "integration.credit_platform", 3, true)
	if credit == nil || retraction == nil || retraction.Supersedes == nil || *retraction.Supersedes != credit.ID ||
		!retraction.RecordedAt.Equal(dec1) || retraction.CorrectionReason != "Withdrawn pending better sources." || len(retraction.Sources) == 0 {
		t.Errorf("want a retraction of the credit row recorded %s with its reason and sources; got %+v / %+v", dec1, credit, retraction)
	}
	judged := find(h, "surveillance.cctv_network", 2, false)
	if judged == nil || !judged.LevelJudgement || judged.FromNote != "Planned in 2015, before the first report." ||
		judged.Supersedes != nil || !judged.RecordedAt.Equal(dec1) {
		t.Errorf("new row %+v: want level_judgement, from_note, recorded %s, superseding nothing", judged, dec1)
	}

	// What the tracker said before 2026-12-01, and what it says now.
	levels := func(at *time.Time) map[string]int {
		current, err := db.Store.CurrentAssessments(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, a := range current {
			if a.Country == "VEN" {
				out[a.Capability] = a.Level
			}
		}
		return out
	}
	nov30 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	if then := levels(&nov30); then["sanctions.access_restriction"] != 3 || then["integration.credit_platform"] != 3 || len(then) != 2 {
		t.Errorf("recorded as of 2026-11-30 VEN says %v, want the two level-3 rows", then)
	}
	if now := levels(nil); now["sanctions.access_restriction"] != 2 || now["surveillance.cctv_network"] != 2 || len(now) != 2 {
		t.Errorf("VEN now says %v, want access 2 and cameras 2 (credit withdrawn)", now)
	}

	// A second load writes nothing.
	if err := ingest.All(ctx, db.Store, m, nil); err != nil {
		t.Fatalf("second ingest: %v", err)
	}
	if second := takeSnapshot(t, db); second.Revision != first.Revision || second.Counts["assessment"] != first.Counts["assessment"] {
		t.Errorf("second ingest wrote: revision %d → %d, %d → %d assessments", first.Revision, second.Revision,
			first.Counts["assessment"], second.Counts["assessment"])
	}
}

// setRecordedAt rewrites recording times as a database loaded by the format-v1
// loader has them: the rows of the first release recorded at load time, at,
// and later recordings as much later. The table is append-only, so the test
// lifts the guard for this one statement.
func setRecordedAt(t *testing.T, db *storetest.DB, at string) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []string{
		`ALTER TABLE assessment DISABLE TRIGGER assessment_append_only`,
		`UPDATE assessment SET recorded_at = '` + at + `'::timestamptz + (recorded_at - '2026-11-26T00:00:00Z')`,
		`ALTER TABLE assessment ENABLE TRIGGER assessment_append_only`,
	} {
		if _, err := db.Store.Pool().Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFormatV2OnAV1Database(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dec1 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name, loadedAt string
		atFileDate     bool
	}{
		{"loaded before the correction date: recorded at the file date", "2026-11-28T13:00:00Z", true},
		{"loaded after the correction date: recorded now", "2026-12-01T09:00:00Z", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := storetest.NewLoadedFrom(t, storetest.Frozen)
			setRecordedAt(t, db, tt.loadedAt)
			before := takeSnapshot(t, db)
			beforeVEN := venHistory(t, db.Store)
			if err := ingest.All(ctx, db.Store, correctedData(t), nil); err != nil {
				t.Fatalf("ingest: %v", err)
			}
			after := takeSnapshot(t, db)
			// Two new rows, one correction and one retraction; nothing else.
			if got := after.Counts["assessment"] - before.Counts["assessment"]; got != 3 {
				t.Errorf("%d rows written, want 3 (new row, correction, retraction)", got)
			}
			h := venHistory(t, db.Store)
			loaded, _ := time.Parse(time.RFC3339, tt.loadedAt)
			for _, a := range beforeVEN {
				if b := find(h, a.Capability, a.Level, a.Retracted); b == nil || b.ID != a.ID || !b.RecordedAt.Equal(loaded) {
					t.Errorf("row %d changed: %+v", a.ID, b)
				}
			}
			corrected := find(h, "sanctions.access_restriction", 2, false)
			retraction := find(h, "integration.credit_platform", 3, true)
			if corrected == nil || retraction == nil || corrected.Supersedes == nil {
				t.Fatalf("correction or retraction missing: %+v", h)
			}
			for _, a := range []*store.Assessment{corrected, retraction} {
				if tt.atFileDate && !a.RecordedAt.Equal(dec1) {
					t.Errorf("row %d recorded %s, want the file date %s", a.ID, a.RecordedAt, dec1)
				}
				if !tt.atFileDate && !a.RecordedAt.After(loaded) {
					t.Errorf("row %d recorded %s, want now (after the load at %s)", a.ID, a.RecordedAt, loaded)
				}
			}
			if corrected.CorrectionReason == "" || retraction.CorrectionReason == "" {
				t.Errorf("reasons lost: %q, %q", corrected.CorrectionReason, retraction.CorrectionReason)
			}
			// And the sync is idempotent from there on.
			if err := ingest.All(ctx, db.Store, correctedData(t), nil); err != nil {
				t.Fatal(err)
			}
			if again := takeSnapshot(t, db); again.Revision != after.Revision {
				t.Errorf("second sync wrote (revision %d → %d)", after.Revision, again.Revision)
			}
		})
	}
}

func TestIngestLeavesReportRowsAlone(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoadedFrom(t, storetest.Frozen)
	ctx := context.Background()
	var id, report int64
	err := db.Store.Pool().QueryRow(ctx, `WITH o AS (INSERT INTO organisation (name) VALUES ('Partner') RETURNING id)
		INSERT INTO report (organisation_id, country, status, content, decided_at) SELECT id, 'VEN', 'accepted', '{}', now() FROM o
		RETURNING id`).Scan(&report)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Store.Pool().QueryRow(ctx, `INSERT INTO assessment (country, capability, level, valid_from, confidence, summary,
			provenance, report_id, content_hash)
		VALUES ('VEN', 'sanctions.access_restriction', 0, '2017-01-01', 'M', 'from a partner report', 'report', $1, 'r')
		RETURNING id`, report).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	if err := ingest.All(ctx, db.Store, correctedData(t), nil); err != nil {
		t.Fatalf("ingest: %v", err)
	}
	h := venHistory(t, db.Store)
	for _, a := range h {
		if a.Supersedes != nil && *a.Supersedes == id {
			t.Errorf("ingest superseded the report row %d with %+v", id, a)
		}
	}
	if r := find(h, "sanctions.access_restriction", 0, false); r == nil || r.ID != id || r.SupersededBy != nil || r.Provenance != "report" {
		t.Errorf("report row changed: %+v", r)
	}
}

// TestIngestLeavesARowAReportSupersededAlone: a report accepted on top of a
// dataset row (VEN access restriction, 3 → 4); then the files correct that
// same dataset row (3 → 2). Ingest must not supersede the report's row nor
// write a second successor of the dataset row: the report's row stays
// current, and the rest of the correction (the credit platform's
// withdrawal) is still recorded.
func TestIngestLeavesARowAReportSupersededAlone(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoadedFrom(t, storetest.Frozen)
	ctx := context.Background()
	s := db.Store
	var orgA, orgB int64
	if err := s.Pool().QueryRow(ctx, `INSERT INTO organisation (name) VALUES ('A') RETURNING id`).Scan(&orgA); err != nil {
		t.Fatal(err)
	}
	if err := s.Pool().QueryRow(ctx, `INSERT INTO organisation (name) VALUES ('B') RETURNING id`).Scan(&orgB); err != nil {
		t.Fatal(err)
	}
	src := "https://example.org/ven-report"
	in := reports.Input{Country: "VEN", Period: reports.Period{From: "2017-01-01", To: "2024-01-01"},
		Assessments: []reports.Assessment{{Capability: "sanctions.access_restriction", Level: 4, ValidFrom: "2017-01-01", Confidence: "M",
			Summary: "nationwide", Sources: []reports.SourceRef{{URL: &src, Title: "Report", Publisher: "A"}}}}}
	in.Normalise()
	partner := store.ReportActor{OrgID: orgA, Role: reports.Partner}
	r, err := s.CreateReport(ctx, partner, in)
	if err != nil {
		t.Fatal(err)
	}
	if r, err = s.Transition(ctx, r.ID, r.Version, partner, reports.Submit, "", nil); err != nil {
		t.Fatal(err)
	}
	if _, err = s.Transition(ctx, r.ID, r.Version, store.ReportActor{OrgID: orgB, Role: reports.Reviewer}, reports.Accept, "", nil); err != nil {
		t.Fatal(err)
	}
	if err := ingest.All(ctx, s, correctedData(t), nil); err != nil {
		t.Fatalf("ingest: %v", err)
	}
	h := venHistory(t, s)
	rep := find(h, "sanctions.access_restriction", 4, false)
	if rep == nil || rep.Provenance != "report" || rep.SupersededBy != nil {
		t.Fatalf("the report's row is not current after ingest: %+v", rep)
	}
	if two := find(h, "sanctions.access_restriction", 2, false); two != nil {
		t.Errorf("ingest wrote the files' correction over the report: %+v", two)
	}
	if ret := find(h, "integration.credit_platform", 3, true); ret == nil {
		t.Errorf("the other correction of the files (a withdrawal) was not recorded")
	}
}

func TestFormatV2Refusals(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoaded(t)
	ctx := context.Background()
	rev, err := db.Store.CurrentRevision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const f = "dataset/cases-1.yaml"
	const reuters = "  reuters-2018-zte-venezuela:\n    publisher: Reuters\n    author: Angus Berwick\n" +
		"    title: \"How ZTE helps Venezuela create China-style social control\"\n    published: 2018-11-14\n"
	replacement := func(extra string) string {
		return "      - capability: sanctions.access_restriction\n        level: 2\n        from: 2017\n        confidence: M\n" +
			"        recorded: 2026-12-01\n" + extra + "        summary: \"x\"\n        sources: [reuters-2018-zte-venezuela]\n" + venSites
	}
	superseded := venAccess + "        superseded: 2026-12-01\n        correction: \"why\"\n"
	tests := []struct {
		name  string
		edits [][2]string
		want  string
	}{
		{"superseded without correction", [][2]string{{venAccess, venAccess + "        superseded: 2026-12-01\n"}},
			"superseded needs a correction"},
		{"correction without superseded", [][2]string{{venAccess, venAccess + "        correction: \"why\"\n"}},
			"correction needs the superseded date"},
		{"superseded before recorded", [][2]string{{venAccess, venAccess + "        superseded: 2026-11-01\n        correction: \"why\"\n"}},
			"is not after the row's recorded date"},
		{"bad recorded date", [][2]string{{venAccess, venAccess + "        recorded: 2026-12\n"}},
			"want YYYY-MM-DD or an RFC 3339 timestamp"},
		{"replacement while the old row stands", [][2]string{{venSites, replacement("")}},
			"still stands when the row with the same from is recorded 2026-12-01"},
		{"recorded twice on one date", [][2]string{{venSites, newRow("sanctions.access_restriction", "2017", "2026-11-26", "reuters-2018-zte-venezuela")}},
			"recorded twice on 2026-11-26"},
		{"replacement says the same", [][2]string{{venAccess, superseded}, {venSites, venAccess + "        recorded: 2026-12-01\n" +
			"        summary: \"Reuters describes the ZTE-built 'Fatherland' card system, held by more than half of 31m citizens, as a tool of China-style social control; the reference assesses it as conditioning access at national scale.\"\n" +
			"        sources: [reuters-2018-zte-venezuela, slate-2018-venezuela]\n" + venSites}},
			"says the same as the row it supersedes"},
		{"overlap at a recording time", [][2]string{{venSites, newRow("sanctions.access_restriction", "2019", "2026-12-01", "reuters-2018-zte-venezuela")}},
			"overlap (recorded as of 2026-12-01"},
		{"undated source without url", [][2]string{{reuters, strings.Replace(reuters, "    published: 2018-11-14\n", "", 1)}},
			"an undated source (no published date) needs a url"},
		{"one source defined differently in two files", [][2]string{{"  slate-2018-venezuela:\n", "  reuters-copy:\n    publisher: Reuters\n" +
			"    title: \"How ZTE helps Venezuela create China-style social control\"\n    published: 2018-11-14\n" +
			"    url: https://www.nytimes.com/2019/04/24/technology/ecuador-surveillance-cameras-police-government.html\n" +
			"  slate-2018-venezuela:\n"}},
			"is defined differently; copy its definition exactly"},
		{"only undated sources", [][2]string{
			{reuters, strings.Replace(reuters, "    published: 2018-11-14\n", "    url: https://example.org/undated\n", 1)},
			{venSites, newRow("surveillance.cctv_network", "2015", "2026-12-01", "reuters-2018-zte-venezuela")}},
			"needs at least one dated source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := dataCopy(t)
			for _, e := range tt.edits {
				edit(t, m, f, e[0], e[1])
			}
			err := ingest.All(ctx, db.Store, m, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ingest error %v, want one containing %q", err, tt.want)
			}
		})
	}
	if after, err := db.Store.CurrentRevision(ctx); err != nil || after.Revision != rev.Revision {
		t.Errorf("refused loads changed the data: revision %d → %d (%v)", rev.Revision, after.Revision, err)
	}
}

// A correction synced into a database recorded after its date is recorded at
// load time, and so is every new row of the same country and capability: none
// may stand beside the old row it was meant to follow.
func TestFormatV2RecordsAGroupTogether(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.NewLoadedFrom(t, storetest.Frozen)
	setRecordedAt(t, db, "2026-12-01T09:00:00Z")
	m := dataCopy(t)
	f := "dataset/cases-1.yaml"
	edit(t, m, f, venAccess, venAccess+"        superseded: 2026-12-01\n        correction: \"Ends in 2020.\"\n")
	edit(t, m, f, venSites, `      - capability: sanctions.access_restriction
        level: 3
        from: 2017
        to: 2020
        confidence: H
        recorded: 2026-12-01
        summary: "Until 2020."
        sources: [reuters-2018-zte-venezuela, slate-2018-venezuela]
      - capability: sanctions.access_restriction
        level: 1
        from: 2020
        confidence: M
        recorded: 2026-12-01
        summary: "From 2020."
        sources: [reuters-2018-zte-venezuela]
`+venSites)
	if err := ingest.All(ctx, db.Store, m, nil); err != nil {
		t.Fatalf("ingest: %v", err)
	}
	h := venHistory(t, db.Store)
	old, next := find(h, "sanctions.access_restriction", 3, false), find(h, "sanctions.access_restriction", 1, false)
	loaded := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	if old == nil || next == nil || old.ValidTo != nil {
		t.Fatalf("history %+v", h)
	}
	for _, a := range h {
		if a.Capability == "sanctions.access_restriction" && a.ID != old.ID && !a.RecordedAt.After(loaded) {
			t.Errorf("row %d (level %d from %s) recorded %s, want now, after the load at %s", a.ID, a.Level, a.ValidFrom, a.RecordedAt, loaded)
		}
	}
	// At the correction's file date the database still said what it said then: one row.
	dec1 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	then, err := db.Store.CurrentAssessments(ctx, &dec1)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range then {
		if a.Country == "VEN" && a.Capability == "sanctions.access_restriction" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("recorded as of %s VEN has %d access-restriction rows standing, want 1", dec1, n)
	}
}

// TestIngestLogsWhatItChanged: an ingest that changes levels writes one
// dataset entry of the change feed with the old and new levels; an ingest
// that changes nothing writes none.
func TestIngestLogsWhatItChanged(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoadedFrom(t, storetest.Frozen)
	ctx := context.Background()
	count := func() int {
		var n int
		if err := db.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM change_log WHERE kind = 'dataset'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	if err := ingest.All(ctx, db.Store, correctedData(t), nil); err != nil {
		t.Fatal(err)
	}
	if got := count(); got != before+1 {
		t.Fatalf("%d dataset entries after a changing ingest, want %d", got, before+1)
	}
	var has32, has3null, atRevision bool
	err := db.Store.Pool().QueryRow(ctx, `SELECT
		changes @> '[{"country":"VEN","capability":"sanctions.access_restriction","old_level":3,"new_level":2}]',
		changes @> '[{"country":"VEN","capability":"integration.credit_platform","old_level":3,"new_level":null}]',
		revision = (SELECT revision FROM dataset_revision)
		FROM change_log WHERE kind = 'dataset' ORDER BY id DESC LIMIT 1`).Scan(&has32, &has3null, &atRevision)
	if err != nil {
		t.Fatal(err)
	}
	if !has32 || !has3null || !atRevision {
		t.Errorf("the entry lacks the correction (%v) or the withdrawal (%v), or names another revision than the ingest's (%v)",
			has32, has3null, atRevision)
	}
	if err := ingest.All(ctx, db.Store, correctedData(t), nil); err != nil {
		t.Fatal(err)
	}
	if got := count(); got != before+1 {
		t.Errorf("an ingest that changed nothing wrote a change entry (%d)", got)
	}
}
