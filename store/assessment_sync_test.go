package store

import (
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// row is a file row of VEN sanctions.blacklist from 2017 saying level, recorded on rec.
func row(level int, rec string, superseded string, correction string) NewAssessment {
	a := NewAssessment{Country: "VEN", Capability: "sanctions.blacklist", Level: level, ValidFrom: day("2017-01-01"),
		FromPrecision: "year", Confidence: "H", Summary: "s", Recorded: day(rec), Correction: correction}
	if superseded != "" {
		a.Superseded = ptr(day(superseded))
	}
	return a
}

// describe writes steps as "level@date(reason)" or "retract@date(reason)", "now" for an undated step.
func describe(steps []step) string {
	var out []string
	for _, s := range steps {
		what := "retract"
		if s.a != nil {
			what = string(rune('0' + s.a.Level))
		}
		at := "now"
		if !s.at.IsZero() {
			at = s.at.Format(time.DateOnly)
		}
		out = append(out, what+"@"+at+"("+s.reason+")")
	}
	return strings.Join(out, " ")
}

func TestPlannedSteps(t *testing.T) {
	tests := []struct {
		name string
		rows []NewAssessment
		want string
	}{
		{"one row", []NewAssessment{row(3, "2026-11-26", "", "")}, "3@2026-11-26()"},
		{"superseded by a replacement (given in any order)",
			[]NewAssessment{row(2, "2026-12-01", "", ""), row(3, "2026-11-26", "2026-12-01", "why")},
			"3@2026-11-26() 2@2026-12-01(why)"},
		{"retracted", []NewAssessment{row(3, "2026-11-26", "2026-12-01", "why")}, "3@2026-11-26() retract@2026-12-01(why)"},
		{"retracted, then recorded again later",
			[]NewAssessment{row(3, "2026-11-26", "2026-12-01", "why"), row(2, "2026-12-05", "", "")},
			"3@2026-11-26() retract@2026-12-01(why) 2@2026-12-05()"},
		{"a chain", []NewAssessment{row(1, "2026-11-26", "2026-12-01", "a"), row(2, "2026-12-01", "2026-12-09", "b"), row(3, "2026-12-09", "", "")},
			"1@2026-11-26() 2@2026-12-01(a) 3@2026-12-09(b)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps, err := plannedSteps(tt.rows)
			if err != nil {
				t.Fatal(err)
			}
			if got := describe(steps); got != tt.want {
				t.Errorf("steps %s, want %s", got, tt.want)
			}
		})
	}
	for name, rows := range map[string][]NewAssessment{
		"two rows standing":          {row(3, "2026-11-26", "", ""), row(2, "2026-12-01", "", "")},
		"superseded after the next":  {row(3, "2026-11-26", "2026-12-05", "why"), row(2, "2026-12-01", "", "")},
		"superseded before recorded": {row(3, "2026-11-26", "2026-11-20", "why")},
	} {
		if _, err := plannedSteps(rows); err == nil {
			t.Errorf("%s: plannedSteps accepted %+v", name, rows)
		}
	}
}

func TestReconcile(t *testing.T) {
	v1 := row(3, "2026-11-26", "2026-12-01", "why")
	v2 := row(2, "2026-12-01", "", "")
	corrected := []NewAssessment{v1, v2}
	head := func(a *NewAssessment, recorded string) *headRow {
		at, err := time.Parse(time.RFC3339, recorded)
		if err != nil {
			t.Fatal(err)
		}
		if a == nil {
			return &headRow{id: 7, recordedAt: at, retracted: true}
		}
		return &headRow{id: 7, recordedAt: at, hash: a.hash()}
	}
	tests := []struct {
		name string
		rows []NewAssessment
		head *headRow
		want string
	}{
		{"empty database: the whole history at its own dates", corrected, nil, "3@2026-11-26() 2@2026-12-01(why)"},
		{"the same history already recorded", corrected, head(&v2, "2026-12-01T00:00:00Z"), ""},
		{"a v1 database loaded before the correction date", corrected, head(&v1, "2026-11-28T13:00:00Z"), "2@2026-12-01(why)"},
		{"a v1 database loaded after the correction date: recorded now", corrected, head(&v1, "2026-12-01T09:00:00Z"), "2@now(why)"},
		{"unchanged v1 row", []NewAssessment{row(3, "2026-11-26", "", "")}, head(&v1, "2026-11-28T13:00:00Z"), ""},
		{"edited in place (v1 style): recorded now", []NewAssessment{row(4, "2026-11-26", "", "")}, head(&v1, "2026-11-28T13:00:00Z"),
			"4@now(" + ReasonChangedUnexplained + ")"},
		{"removed from the files: retracted now", nil, head(&v1, "2026-11-28T13:00:00Z"), "retract@now(" + ReasonRemovedUnexplained + ")"},
		{"removed and already retracted", nil, head(nil, "2026-11-28T13:00:00Z"), ""},
		{"retraction in the files, v1 database", []NewAssessment{v1}, head(&v1, "2026-11-28T13:00:00Z"), "retract@2026-12-01(why)"},
		{"retraction in the files, already recorded", []NewAssessment{v1}, head(nil, "2026-12-01T00:00:00Z"), ""},
		{"recorded again after a retraction", []NewAssessment{row(3, "2026-11-26", "", "")}, head(nil, "2026-11-28T13:00:00Z"),
			"3@now(" + ReasonChangedUnexplained + ")"},
		{"edited in place, with a later dated correction", corrected, head(ptr(row(4, "2026-11-26", "", "")), "2026-11-28T13:00:00Z"),
			"2@2026-12-01(why)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps, err := plannedSteps(tt.rows)
			if err != nil {
				t.Fatal(err)
			}
			var base time.Time
			if tt.head != nil {
				base = tt.head.recordedAt
			}
			if got := describe(reconcile(steps, tt.head, base)); got != tt.want {
				t.Errorf("writes %q, want %q", got, tt.want)
			}
		})
	}
}

// A row new to the database is recorded at its file date, unless the database
// recorded its country and capability later than that: then it is recorded now,
// with the corrections of its neighbours, so no two rows overlap in between.
func TestReconcileNewRowInAnUpdatedGroup(t *testing.T) {
	steps, err := plannedSteps([]NewAssessment{row(2, "2026-12-01", "", "")})
	if err != nil {
		t.Fatal(err)
	}
	if got := describe(reconcile(steps, nil, time.Time{})); got != "2@2026-12-01()" {
		t.Errorf("into an empty group: %s", got)
	}
	if got := describe(reconcile(steps, nil, day("2026-11-28"))); got != "2@2026-12-01()" {
		t.Errorf("into a group recorded before the file date: %s", got)
	}
	if got := describe(reconcile(steps, nil, day("2026-12-01").Add(9*time.Hour))); got != "2@now("+ReasonChangedUnexplained+")" {
		t.Errorf("into a group recorded after the file date: %s", got)
	}
}

func TestHashKeepsV1Fingerprints(t *testing.T) {
	a := row(3, "2026-11-26", "", "")
	v1 := contentHash(a.Level, a.FromPrecision, a.ValidTo, a.Confidence, a.Summary, a.Sources)
	if a.hash() != v1 {
		t.Errorf("a row without v2 fields hashes to %s, v1 loader wrote %s", a.hash(), v1)
	}
	b := a
	b.LevelJudgement = true
	c := a
	c.FromNote = "planned before it ran"
	if b.hash() == v1 || c.hash() == v1 || b.hash() == c.hash() {
		t.Error("level_judgement and from_note must change the fingerprint")
	}
	d := a
	d.Recorded, d.Superseded, d.Correction = day("2027-01-01"), ptr(day("2027-02-01")), "x"
	if d.hash() != v1 {
		t.Error("recording times and the correction are not what the row says")
	}
}
