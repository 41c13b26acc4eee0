package readmodel

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/scs-diffusion/tracker/resemblance"
	"github.com/scs-diffusion/tracker/store"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func date(s string) store.Date { return store.Date{Time: day(s)} }

func datep(s string) *store.Date { d := date(s); return &d }

func id(n int64) *int64 { return &n }

// published is a small dataset written out by hand: two pillars of two
// capabilities; AAA with a level that changes and a correction recorded
// later; BBB with a retracted row; CCC never assessed.
func published() *store.Published {
	rec1 := day("2026-01-10")
	rec2 := day("2026-03-01")
	return &store.Published{
		Revision: store.Revision{Revision: 7, Version: "test"},
		Taxonomy: store.Taxonomy{Version: "t", Pillars: []store.Pillar{
			{Code: "p", Capabilities: []store.Capability{{Code: "p.a", Pillar: "p"}, {Code: "p.b", Pillar: "p"}}},
			{Code: "q", Capabilities: []store.Capability{{Code: "q.a", Pillar: "q"}, {Code: "q.b", Pillar: "q"}}},
		}},
		Countries: []store.Country{
			{CountrySummary: store.CountrySummary{ISO3: "AAA", ISO2: "AA", Name: "Åland Ä"}, NEName: "Aland"},
			{CountrySummary: store.CountrySummary{ISO3: "BBB", ISO2: "BB", Name: "Côte B", Region: "Africa"}},
			{CountrySummary: store.CountrySummary{ISO3: "CCC", ISO2: "CC", Name: "Cee", Region: "Europe"}},
		},
		Assessments: []store.Assessment{
			// AAA p.a: 2 from 2010 to 2015, then 3; a second row valid at the same time, level 1 (the higher wins).
			{ID: 1, Country: "AAA", Capability: "p.a", Level: 2, ValidFrom: date("2010-01-01"), ValidTo: datep("2015-01-01"), RecordedAt: rec1},
			{ID: 2, Country: "AAA", Capability: "p.a", Level: 3, ValidFrom: date("2015-01-01"), RecordedAt: rec1},
			{ID: 3, Country: "AAA", Capability: "p.a", Level: 1, ValidFrom: date("2012-01-01"), RecordedAt: rec1},
			// AAA q.a: 4 from 2018, corrected on rec2 to 2 (same start).
			{ID: 4, Country: "AAA", Capability: "q.a", Level: 4, ValidFrom: date("2018-01-01"), RecordedAt: rec1},
			{ID: 5, Country: "AAA", Capability: "q.a", Level: 2, ValidFrom: date("2018-01-01"), RecordedAt: rec2, Supersedes: id(4)},
			// BBB p.b: 3 from 2016, retracted on rec2.
			{ID: 6, Country: "BBB", Capability: "p.b", Level: 3, ValidFrom: date("2016-01-01"), RecordedAt: rec1},
			{ID: 7, Country: "BBB", Capability: "p.b", Level: 3, ValidFrom: date("2016-01-01"), RecordedAt: rec2, Supersedes: id(6), Retracted: true},
		},
		Sites: []store.Site{
			{ID: 1, Name: "a", Country: "AAA", Capability: "p.a", Status: "active", Point: orb.Point{10, 10}, ValidFrom: datep("2019-01-01")},
			{ID: 2, Name: "b", Country: "BBB", Capability: "q.a", Status: "planned", Point: orb.Point{179, -5}},
		},
	}
}

func levelsString(sn *Snapshot, iso3, on string) string {
	var out []int
	for _, a := range sn.Valid(iso3, day(on)) {
		if a == nil {
			out = append(out, -1)
		} else {
			out = append(out, a.Level)
		}
	}
	return fmt.Sprint(out)
}

func TestValidHighestLevelWinsAndEndsAreExclusive(t *testing.T) {
	sn := newSnapshot(published(), nil, nil)
	for _, tt := range []struct {
		iso3, on, want string
	}{
		{"AAA", "2009-12-31", "[-1 -1 -1 -1]"},
		{"AAA", "2010-01-01", "[2 -1 -1 -1]"},
		{"AAA", "2012-06-01", "[2 -1 -1 -1]"}, // 2 and 1 both valid: 2 wins
		{"AAA", "2014-12-31", "[2 -1 -1 -1]"},
		{"AAA", "2015-01-01", "[3 -1 -1 -1]"}, // the 2 ended (exclusive), the 3 began
		{"AAA", "2020-01-01", "[3 -1 2 -1]"},  // the correction (4 → 2) stands now
		{"BBB", "2020-01-01", "[]"},           // retracted: nothing current
		{"CCC", "2020-01-01", "[]"},
	} {
		if got := levelsString(sn, tt.iso3, tt.on); got != tt.want {
			t.Errorf("Valid(%s, %s) levels = %s, want %s", tt.iso3, tt.on, got, tt.want)
		}
	}
	if l := sn.LevelsAt(day("2020-01-01")); len(l) != 1 || fmt.Sprint(l["AAA"]) != "[3 -1 2 -1]" {
		t.Errorf("LevelsAt(2020) = %v, want only AAA [3 -1 2 -1]", l)
	}
}

func TestAsRecordedSeesWhatTheTrackerSaidThen(t *testing.T) {
	sn := newSnapshot(published(), nil, nil)
	then := sn.asRecorded(day("2026-02-01").Add(24*time.Hour - time.Nanosecond))
	if got := levelsString(then, "AAA", "2020-01-01"); got != "[3 -1 4 -1]" {
		t.Errorf("as recorded in February, AAA in 2020 = %s, want the uncorrected [3 -1 4 -1]", got)
	}
	if got := levelsString(then, "BBB", "2020-01-01"); got != "[-1 3 -1 -1]" {
		t.Errorf("as recorded in February, BBB = %s, want the not yet retracted [-1 3 -1 -1]", got)
	}
	before := sn.asRecorded(day("2025-12-31"))
	if before.RecordedAnything() {
		t.Error("nothing was recorded by 2025-12-31")
	}
	if _, err := before.Score(day("2020-01-01"), "AAA", resemblance.Weights{}); !isInvalid(err, "recorded_as_of") {
		t.Errorf("scoring a view with nothing recorded: %v, want an invalid recorded_as_of", err)
	}
	// History at February: row 4 is not yet superseded; now it is, by 5.
	for _, tt := range []struct {
		sn         *Snapshot
		rows       int
		superseded string
	}{{then, 5, "<nil>"}, {sn, 7, "5"}} {
		h := tt.sn.History("AAA")
		var by string
		for _, r := range h {
			if r.ID == 4 {
				by = "<nil>"
				if r.SupersededBy != nil {
					by = fmt.Sprint(*r.SupersededBy)
				}
			}
		}
		if n := len(h) + len(tt.sn.History("BBB")); n != tt.rows || by != tt.superseded {
			t.Errorf("history: %d rows, row 4 superseded by %s; want %d and %s", n, by, tt.rows, tt.superseded)
		}
	}
	if last, ok := sn.lastRecordedBy(day("2026-02-15")); !ok || !last.Equal(day("2026-01-10")) {
		t.Errorf("lastRecordedBy(2026-02-15) = %v %v", last, ok)
	}
}

func isInvalid(err error, field string) bool {
	var inv *InvalidError
	return errors.As(err, &inv) && inv.Field == field
}

func TestScoreRefusals(t *testing.T) {
	sn := newSnapshot(published(), nil, nil)
	for _, tt := range []struct {
		name, reference, on, field string
	}{
		{"unknown reference", "ZZZ", "2020-01-01", "reference"},
		{"reference with nothing valid yet", "AAA", "2009-01-01", "reference"},
		{"reference never assessed", "CCC", "2020-01-01", "reference"},
	} {
		if _, err := sn.Score(day(tt.on), tt.reference, resemblance.Weights{}); !isInvalid(err, tt.field) {
			t.Errorf("%s: %v, want an invalid %s", tt.name, err, tt.field)
		}
	}
	sc, err := sn.Score(day("2020-01-01"), "AAA", resemblance.Weights{})
	if err != nil {
		t.Fatal(err)
	}
	if r := sc.Result("AAA"); r.Index != 100 || !r.Assessed {
		t.Errorf("the reference scored against itself: %+v, want 100", r)
	}
	if r := sc.Result("CCC"); r.Assessed || r.Band != "not_assessed" {
		t.Errorf("CCC: %+v, want not assessed", r)
	}
}

func TestAssessmentsFilterAndPaging(t *testing.T) {
	sn := newSnapshot(published(), nil, nil)
	since := day("2016-06-01")
	on := day("2013-01-01")
	for _, tt := range []struct {
		name  string
		f     AssessmentFilter
		ids   string
		total int
	}{
		{"all current", AssessmentFilter{}, "[1 2 3 5]", 4},
		{"one country", AssessmentFilter{Country: "AAA", Capability: "p.a"}, "[1 2 3]", 3},
		{"valid on a date", AssessmentFilter{AsOf: &on}, "[1 3]", 2},
		{"since (valid_from or recorded_at)", AssessmentFilter{Since: &since}, "[1 2 3 5]", 4},
		{"paged", AssessmentFilter{AfterID: 1, Limit: 2}, "[2 3]", 4},
	} {
		page, total := sn.Assessments(tt.f)
		var ids []int64
		for _, a := range page {
			ids = append(ids, a.ID)
		}
		if fmt.Sprint(ids) != tt.ids || total != tt.total {
			t.Errorf("%s: ids %v of %d, want %s of %d", tt.name, ids, total, tt.ids, tt.total)
		}
	}
}

func TestSitesFilter(t *testing.T) {
	sn := newSnapshot(published(), nil, nil)
	before := day("2018-01-01")
	for _, tt := range []struct {
		name string
		f    SiteFilter
		want string
	}{
		{"all", SiteFilter{}, "[1 2]"},
		{"box", SiteFilter{Bounds: []orb.Bound{{Min: orb.Point{0, 0}, Max: orb.Point{20, 20}}}}, "[1]"},
		{"box on its edge", SiteFilter{Bounds: []orb.Bound{{Min: orb.Point{179, -10}, Max: orb.Point{180, -5}}}}, "[2]"},
		{"started later (an unknown start counts as always)", SiteFilter{AsOf: &before}, "[2]"},
		{"status", SiteFilter{Status: "planned"}, "[2]"},
		{"country and capability", SiteFilter{Country: "AAA", Capability: "q.a"}, "[]"},
	} {
		var ids []int64
		for _, s := range sn.Sites(tt.f) {
			ids = append(ids, s.ID)
		}
		if got := fmt.Sprint(ids); got != tt.want && !(got == "[]" && tt.want == "[]") {
			t.Errorf("%s: %v, want %s", tt.name, ids, tt.want)
		}
	}
}

func TestFindCountries(t *testing.T) {
	sn := newSnapshot(published(), nil, nil)
	for _, tt := range []struct {
		f    CountryFilter
		want string
	}{
		{CountryFilter{Q: "aland"}, "[AAA]"}, // accents and case folded, Natural Earth name too
		{CountryFilter{Q: " ÅLA "}, "[AAA]"}, // trimmed
		{CountryFilter{Q: "cote"}, "[BBB]"},  // Côte
		{CountryFilter{Q: "cc"}, "[CCC]"},    // an ISO2 code
		{CountryFilter{Q: "%"}, "[]"},        // no wildcards
		{CountryFilter{Region: "europe"}, "[CCC]"},
	} {
		var got []string
		for _, c := range sn.FindCountries(tt.f) {
			got = append(got, c.ISO3)
		}
		if s := fmt.Sprint(got); s != tt.want {
			t.Errorf("FindCountries(%+v) = %s, want %s", tt.f, s, tt.want)
		}
	}
}

func TestScoreOnlyAgreesWithScore(t *testing.T) {
	sn := newSnapshot(benchPublished(600), nil, nil)
	date := day("2020-06-30")
	all, err := sn.Score(date, "CHN", resemblance.Weights{})
	if err != nil {
		t.Fatal(err)
	}
	some, err := sn.ScoreOnly(date, "CHN", resemblance.Weights{}, "C7", "C42")
	if err != nil {
		t.Fatal(err)
	}
	for _, iso := range []string{"C7", "C42", "CHN"} {
		if a, b := all.Result(iso), some.Result(iso); fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("%s: Score %+v, ScoreOnly %+v", iso, a, b)
		}
	}
	if r := some.Result("C9"); r.Assessed {
		t.Errorf("ScoreOnly scored a country it was not asked for: %+v", r)
	}
}
