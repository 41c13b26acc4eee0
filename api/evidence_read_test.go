package api_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// listRow is one row of /api/v1/countries.
type listRow struct {
	ISO3     string   `json:"iso3"`
	Assessed bool     `json:"assessed"`
	Index    *float64 `json:"index"`
	Band     string   `json:"band"`
}

// listCountries returns every row of /api/v1/countries for the query (limit=500).
func listCountries(t *testing.T, a *testAPI, query string) []listRow {
	t.Helper()
	var l struct {
		Countries []listRow
		Total     int
		Next      *string
	}
	getJSON(t, a, "/api/v1/countries?limit=500&"+query, &l)
	if l.Total != len(l.Countries) || l.Next != nil {
		t.Errorf("%s: %d rows of %d, next %v", query, len(l.Countries), l.Total, l.Next)
	}
	return l.Countries
}

func codesOf(rows []listRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.ISO3
	}
	slices.Sort(out)
	return out
}

// codesWhere lists, sorted, the index rows that satisfy keep.
func codesWhere(rows map[string]indexRow, keep func(indexRow) bool) []string {
	var out []string
	for iso, r := range rows {
		if keep(r) {
			out = append(out, iso)
		}
	}
	slices.Sort(out)
	return out
}

func TestCountryListIndexFilters(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	_, now := getIndex(t, a, "")
	_, y2014 := getIndex(t, a, "?as_of=2014-01-01")
	atLeast := func(code string, lvl int) func(indexRow) bool {
		return func(r indexRow) bool { l, ok := r.Levels[code]; return ok && l >= lvl }
	}
	tests := []struct {
		query      string
		want       []string // the expected set, from /index
		has, lacks []string
	}{
		{"min_index=10", codesWhere(now, func(r indexRow) bool { return r.Index != nil && *r.Index >= 10 }), []string{"CHN", "RUS"}, []string{"VEN", "ISL"}},
		{"min_index=100", []string{"CHN"}, []string{"CHN"}, nil},
		{"capability=sanctions.blacklist&min_level=3", codesWhere(now, atLeast("sanctions.blacklist", 3)), []string{"CHN", "KAZ", "BRA"}, []string{"ISL"}},
		{"capability=sanctions.blacklist", codesWhere(now, atLeast("sanctions.blacklist", 1)), []string{"CHN"}, nil},
		// In 2014 Brazil's Lista Suja and China's court blacklist were both level 3.
		// From 2014-12 to 2017 only the Lista Suja's publication was suspended: the
		// tracker first said level 0 and corrected it to 3 on 2026-12-01.
		{"capability=sanctions.blacklist&min_level=3&as_of=2014-01-01", codesWhere(y2014, atLeast("sanctions.blacklist", 3)), []string{"CHN", "BRA"}, []string{"KAZ"}},
		{"capability=sanctions.blacklist&min_level=3&as_of=2016-01-01", nil, []string{"CHN", "BRA"}, []string{"KAZ"}},
		{"capability=sanctions.blacklist&as_of=2016-01-01&recorded_as_of=2026-11-30", nil, []string{"CHN"}, []string{"BRA", "KAZ"}},
		{"capability=sanctions.blacklist&min_level=0&as_of=2016-01-01", nil, []string{"CHN", "BRA"}, []string{"KAZ", "ISL"}},
		{"capability=rating.risk_profiling&min_level=3&as_of=2015-01-01", nil, []string{"NLD"}, nil},
		{"capability=rating.risk_profiling&min_level=3", nil, []string{"CHN"}, []string{"NLD"}},
		{"min_index=5&region=Americas", nil, []string{"VEN"}, []string{"CHN"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			got := codesOf(listCountries(t, a, tt.query))
			if tt.want != nil && fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			for _, iso := range tt.has {
				if !slices.Contains(got, iso) {
					t.Errorf("%v lacks %s", got, iso)
				}
			}
			for _, iso := range tt.lacks {
				if slices.Contains(got, iso) {
					t.Errorf("%v has %s", got, iso)
				}
			}
		})
	}
}

func TestCountryListSortByIndex(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	for _, sort := range []string{"-index", "index"} {
		rows := listCountries(t, a, "sort="+sort)
		if len(rows) < 235 {
			t.Fatalf("sort=%s: %d rows", sort, len(rows))
		}
		if sort == "-index" && rows[0].ISO3 != "CHN" {
			t.Errorf("sort=-index starts with %s, want CHN", rows[0].ISO3)
		}
		if last := rows[len(rows)-1]; last.Index != nil || last.Band != "not_assessed" {
			t.Errorf("sort=%s ends with %+v, want a not-assessed country", sort, last)
		}
		seenNull := false
		for i, r := range rows {
			if r.Index == nil {
				seenNull = true
				continue
			}
			if seenNull {
				t.Fatalf("sort=%s: %s (index %v) after a not-assessed country", sort, r.ISO3, *r.Index)
			}
			if i > 0 {
				prev := *rows[i-1].Index
				if (sort == "-index" && prev < *r.Index) || (sort == "index" && prev > *r.Index) {
					t.Errorf("sort=%s: %s %v follows %s %v", sort, r.ISO3, *r.Index, rows[i-1].ISO3, prev)
				}
			}
		}
	}
}

// source is a citation as the API renders it.
type source struct {
	ID                 int64
	URL                *string
	Title, Publisher   string
	Published          string
	PublishedPrecision string `json:"published_precision"`
}

// profileBody is /api/v1/countries/{iso3}.
type profileBody struct {
	ISO3     string   `json:"iso3"`
	AsOf     string   `json:"as_of"`
	Index    *float64 `json:"index"`
	Coverage float64
	Band     string
	Pillars  []struct {
		Code           string
		Score          *float64
		ReferenceScore *float64 `json:"reference_score"`
	}
	Capabilities []profileCap
	Events       []struct {
		ID         int64
		Date, Kind string
		Title      string
		Ends       *string
		Countries  []string
		Sources    []source
	} `json:"constraint_events"`
	Notes []struct {
		Text    string
		Sources []source
	}
}

type profileCap struct {
	Code           string
	Level          *int
	ReferenceLevel int     `json:"reference_level"`
	Confidence     *string `json:"confidence"`
	ValidFrom      *string `json:"valid_from"`
	ValidTo        *string `json:"valid_to"`
	AssessmentID   *int64  `json:"assessment_id"`
	Sources        []source
}

func (p profileBody) capability(t *testing.T, code string) profileCap {
	t.Helper()
	for _, c := range p.Capabilities {
		if c.Code == code {
			return c
		}
	}
	t.Fatalf("%s profile has no capability %s", p.ISO3, code)
	return profileCap{}
}

// wantCited checks that every source names its publisher, title and date.
func wantCited(t *testing.T, what string, srcs []source) {
	t.Helper()
	if len(srcs) == 0 {
		t.Errorf("%s has no source", what)
	}
	for _, s := range srcs {
		if s.ID == 0 || s.Publisher == "" || s.Title == "" || len(s.Published) != 10 {
			t.Errorf("%s: source %+v lacks id, publisher, title or date", what, s)
		}
	}
}

func TestChinaProfile(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	var p profileBody
	getJSON(t, a, "/api/v1/countries/chn", &p)
	if p.ISO3 != "CHN" || p.AsOf != todayUTC() || p.Index == nil || *p.Index != 100 || p.Coverage != 1 || p.Band != "comparable" {
		t.Errorf("CHN: iso3 %s as_of %s index %v coverage %v band %s", p.ISO3, p.AsOf, p.Index, p.Coverage, p.Band)
	}
	if len(p.Capabilities) != 24 {
		t.Fatalf("%d capabilities, want 24", len(p.Capabilities))
	}
	for _, c := range p.Capabilities {
		if c.Level == nil || *c.Level != c.ReferenceLevel || c.ReferenceLevel < 2 || c.AssessmentID == nil || c.Confidence == nil || c.ValidFrom == nil {
			t.Errorf("%s: level %v reference %d assessment %v: want China's own level, dated, with confidence", c.Code, c.Level, c.ReferenceLevel, c.AssessmentID)
		}
		wantCited(t, c.Code, c.Sources)
	}
	if c := p.capability(t, "governance.national_plan"); *c.ValidFrom != "2014-06-14" || *c.Level != 4 {
		t.Errorf("national_plan from %s level %d, want the 2014-06-14 Planning Outline at 4", *c.ValidFrom, *c.Level)
	}
	if c := p.capability(t, "integration.credit_platform"); *c.Level != 4 || *c.ValidFrom != "2025-04-02" {
		t.Errorf("credit_platform level %d from %s, want 4 from 2025-04-02", *c.Level, *c.ValidFrom)
	}
	if len(p.Pillars) != 6 {
		t.Errorf("%d pillars, want 6", len(p.Pillars))
	}
	for _, pl := range p.Pillars {
		if pl.Score == nil || *pl.Score != 100 || pl.ReferenceScore == nil || *pl.ReferenceScore != 100 {
			t.Errorf("pillar %s score %v reference %v, want 100 and 100", pl.Code, pl.Score, pl.ReferenceScore)
		}
	}
	if len(p.Notes) != 5 || !strings.Contains(p.Notes[0].Text, "fragmented") {
		t.Errorf("notes %+v: want the five notes, the first on fragmentation", p.Notes)
	}
	if len(p.Notes) > 1 {
		wantCited(t, "note 2", p.Notes[1].Sources)
	}
}

func TestNetherlandsProfileOverTime(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	tests := []struct {
		asOf           string
		level          *int
		from, to       string
		referenceLevel int
	}{
		{"2013-06-01", nil, "", "", 0},
		{"2015-01-01", ptr(3), "2014-01-01", "2020-02-05", 0},
		{"2020-02-04", ptr(3), "2014-01-01", "2020-02-05", 0},
		{"2020-02-05", ptr(0), "2020-02-05", "", 0},
		{todayUTC(), ptr(0), "2020-02-05", "", 3},
	}
	for _, tt := range tests {
		var p profileBody
		getJSON(t, a, "/api/v1/countries/NLD?as_of="+tt.asOf, &p)
		c := p.capability(t, "rating.risk_profiling")
		got := fmt.Sprintf("level %s from %s to %s reference %d", str(c.Level), str(c.ValidFrom), str(c.ValidTo), c.ReferenceLevel)
		want := fmt.Sprintf("level %s from %s to %s reference %d", str(tt.level), tt.from, tt.to, tt.referenceLevel)
		if got != want {
			t.Errorf("as_of %s: risk_profiling %s, want %s", tt.asOf, got, want)
		}
		if tt.level == nil && len(c.Sources) != 0 {
			t.Errorf("as_of %s: unassessed capability has sources %v", tt.asOf, c.Sources)
		}
		if tt.level != nil {
			wantCited(t, "NLD risk_profiling on "+tt.asOf, c.Sources)
		}
	}
	var p profileBody
	getJSON(t, a, "/api/v1/countries/NLD", &p)
	var syri, aiAct bool
	for _, e := range p.Events {
		if e.Date == "2020-02-05" && e.Kind == "court_ruling" && e.Ends != nil && *e.Ends == "rating.risk_profiling" {
			syri = true
			wantCited(t, "SyRI ruling", e.Sources)
		}
		if e.Date == "2025-02-02" && len(e.Countries) == 27 && slices.Contains(e.Countries, "NLD") {
			aiAct = true
		}
	}
	if !syri || !aiAct {
		t.Errorf("NLD events %+v: want the SyRI ruling and the EU AI Act ban", p.Events)
	}
}

func ptr[T any](v T) *T { return &v }

// str renders a nullable value, "" for nil.
func str[T any](v *T) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(*v)
}

// historyRow is one assessment row as /history and /assessments render it.
type historyRow struct {
	ID           int64
	Country      string
	Capability   string
	Level        int
	ValidFrom    string  `json:"valid_from"`
	ValidTo      *string `json:"valid_to"`
	RecordedAt   string  `json:"recorded_at"`
	SupersededBy *int64  `json:"superseded_by"`
	Sources      []source
}

func TestHistory(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	var h struct {
		ISO3, Name  string
		Assessments []historyRow
	}
	getJSON(t, a, "/api/v1/countries/nld/history", &h)
	var got []string
	for _, r := range h.Assessments {
		got = append(got, fmt.Sprintf("%s %d %s..%s", r.Capability, r.Level, r.ValidFrom, str(r.ValidTo)))
		wantCited(t, fmt.Sprintf("NLD history row %d", r.ID), r.Sources)
	}
	want := []string{"rating.risk_profiling 3 2014-01-01..2020-02-05", "rating.risk_profiling 0 2020-02-05.."}
	if h.ISO3 != "NLD" || h.Name != "Netherlands" || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("NLD history %s %s %v, want %v", h.ISO3, h.Name, got, want)
	}
	// Serbia: taxonomy order (cctv before facial recognition), then valid_from.
	getJSON(t, a, "/api/v1/countries/SRB/history", &h)
	got = nil
	for _, r := range h.Assessments {
		got = append(got, fmt.Sprintf("%s %d %s", r.Capability, r.Level, r.ValidFrom))
	}
	want = []string{"surveillance.cctv_network 1 2014-12-01", "surveillance.cctv_network 2 2019-01-01",
		"surveillance.facial_recognition 1 2014-12-01", "surveillance.facial_recognition 2 2019-01-01"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("SRB history %v, want %v", got, want)
	}
	// Nothing was recorded in 1999; everything was recorded by today.
	getJSON(t, a, "/api/v1/countries/NLD/history?recorded_as_of=1999-01-01", &h)
	if h.Assessments == nil || len(h.Assessments) != 0 {
		t.Errorf("recorded_as_of=1999-01-01: %d rows (%v), want an empty list", len(h.Assessments), h.Assessments)
	}
	getJSON(t, a, "/api/v1/countries/NLD/history?recorded_as_of="+todayUTC(), &h)
	if len(h.Assessments) != 2 {
		t.Errorf("recorded_as_of=today: %d rows, want 2", len(h.Assessments))
	}
	getJSON(t, a, "/api/v1/countries/ISL/history", &h)
	if h.Assessments == nil || len(h.Assessments) != 0 {
		t.Errorf("ISL history %v, want an empty list", h.Assessments)
	}
}

// compareBody is /api/v1/compare.
type compareBody struct {
	AsOf      string `json:"as_of"`
	Reference string
	Countries []struct {
		ISO3   string
		Index  *float64
		Series []struct {
			Year     int
			Assessed bool
			Index    *float64
		}
	}
	Capabilities []compareCap
}

type compareCap struct {
	Code           string
	ReferenceLevel int `json:"reference_level"`
	Levels         map[string]*int
}

func TestCompare(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	for _, asOf := range []string{todayUTC(), "2018-06-01"} {
		b, rows := getIndex(t, a, "?as_of="+asOf)
		var c compareBody
		getJSON(t, a, "/api/v1/compare?iso3=rus,IRN&as_of="+asOf, &c)
		if c.AsOf != asOf || c.Reference != "CHN" || len(c.Countries) != 2 || c.Countries[0].ISO3 != "RUS" || c.Countries[1].ISO3 != "IRN" {
			t.Fatalf("as_of %s: got as_of %s reference %s countries %+v", asOf, c.AsOf, c.Reference, c.Countries)
		}
		first, last := yearOf(t, b.TimeRange.Min), yearOf(t, asOf)
		for _, cc := range c.Countries {
			if !sameIndex(cc.Index, rows[cc.ISO3].Index) {
				t.Errorf("%s index %v, /index says %v", cc.ISO3, str(cc.Index), rows[cc.ISO3])
			}
			s := cc.Series
			if len(s) != last-first+1 || s[0].Year != first || s[len(s)-1].Year != last {
				t.Errorf("%s series %+v, want %d..%d", cc.ISO3, s, first, last)
				continue
			}
			if !sameIndex(s[len(s)-1].Index, cc.Index) {
				t.Errorf("%s series ends at %v, index is %v", cc.ISO3, str(s[len(s)-1].Index), str(cc.Index))
			}
		}
		if len(c.Capabilities) != 24 {
			t.Fatalf("%d capabilities, want 24", len(c.Capabilities))
		}
		for _, cp := range c.Capabilities {
			_, r := cp.Levels["RUS"]
			_, i := cp.Levels["IRN"]
			if len(cp.Levels) != 2 || !r || !i || str(cp.Levels["RUS"]) != levelStr(rows["RUS"], cp.Code) || str(cp.Levels["IRN"]) != levelStr(rows["IRN"], cp.Code) {
				t.Errorf("as_of %s %s levels %v, /index says RUS %v IRN %v", asOf, cp.Code, cp.Levels, rows["RUS"].Levels, rows["IRN"].Levels)
			}
		}
	}
	// Iran's 2023 hijab-camera enforcement is in the series: absent in 2022, 3 today.
	var c compareBody
	getJSON(t, a, "/api/v1/compare?iso3=IRN,RUS", &c)
	if fr := findCap(c, "surveillance.facial_recognition"); str(fr.Levels["IRN"]) != "3" || str(fr.Levels["RUS"]) != "2" {
		t.Errorf("facial_recognition levels %v, want IRN 3 RUS 2", fr.Levels)
	}
	for _, p := range c.Countries[0].Series {
		if p.Year == 2022 && (p.Index == nil || *p.Index >= *c.Countries[0].Index) {
			t.Errorf("IRN 2022 index %v, today %v: want lower before 2023", str(p.Index), *c.Countries[0].Index)
		}
	}
}

func yearOf(t *testing.T, date string) int {
	t.Helper()
	var y int
	if _, err := fmt.Sscanf(date, "%4d-", &y); err != nil {
		t.Fatalf("date %q: %v", date, err)
	}
	return y
}

func levelStr(r indexRow, code string) string {
	if l, ok := r.Levels[code]; ok {
		return fmt.Sprint(l)
	}
	return ""
}

func findCap(c compareBody, code string) compareCap {
	for _, cp := range c.Capabilities {
		if cp.Code == code {
			return cp
		}
	}
	return compareCap{}
}
