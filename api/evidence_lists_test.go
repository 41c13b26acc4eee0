package api_test

import (
	"encoding/csv"
	"fmt"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

type assessmentPage struct {
	Total       int
	Next        *string
	Assessments []historyRow
}

// walkAssessments follows the next links from path and returns every row
// and the total the first page announced.
func walkAssessments(t *testing.T, a *testAPI, path string) ([]historyRow, int) {
	t.Helper()
	var all []historyRow
	total := -1
	for pages := 0; path != ""; pages++ {
		if pages > 50 {
			t.Fatalf("pagination from %s does not end", path)
		}
		var p assessmentPage
		getJSON(t, a, path, &p)
		if total == -1 {
			total = p.Total
		} else if p.Total != total {
			t.Errorf("%s: total changed from %d to %d", path, total, p.Total)
		}
		all = append(all, p.Assessments...)
		path = ""
		if p.Next != nil {
			path = *p.Next
		}
	}
	return all, total
}

func idsOf(rows []historyRow) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

func TestAssessmentsPagination(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	rows, total := walkAssessments(t, a, "/api/v1/assessments?limit=40")
	if total < 140 || len(rows) != total {
		t.Fatalf("walked %d rows, total %d", len(rows), total)
	}
	ids := idsOf(rows)
	if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Errorf("ids are not strictly increasing: %v", ids)
	}
	one, _ := walkAssessments(t, a, "/api/v1/assessments?limit=500")
	if fmt.Sprint(idsOf(one)) != fmt.Sprint(ids) {
		t.Error("one page of 500 differs from pages of 40")
	}
	for _, r := range rows {
		if r.Level > 0 {
			wantCited(t, fmt.Sprintf("assessment %d (%s %s)", r.ID, r.Country, r.Capability), r.Sources)
		}
	}
	// A cursor continues its own query, whatever the limit, and no other.
	var p assessmentPage
	getJSON(t, a, "/api/v1/assessments?country=BOL&limit=1", &p)
	if p.Next == nil {
		t.Fatal("BOL limit=1 has no next link")
	}
	u, _ := url.Parse(*p.Next)
	cur := u.Query().Get("cursor")
	getJSON(t, a, "/api/v1/assessments?country=BOL&limit=2&cursor="+cur, &p)
	if len(p.Assessments) != 2 || p.Assessments[0].Country != "BOL" {
		t.Errorf("cursor with another limit: %+v", p.Assessments)
	}
	wantProblem(t, a.get("/api/v1/assessments?limit=1&cursor="+cur), 400, "cursor")
	wantProblem(t, a.get("/api/v1/assessments?country=SRB&limit=1&cursor="+cur), 400, "cursor")
}

func TestAssessmentsFilters(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	all, _ := walkAssessments(t, a, "/api/v1/assessments?limit=500")
	validOn := func(d string) func(historyRow) bool {
		return func(r historyRow) bool { return r.ValidFrom <= d && (r.ValidTo == nil || *r.ValidTo > d) }
	}
	tests := []struct {
		query string
		keep  func(historyRow) bool
		n     int // exact count, -1 for any
	}{
		{"country=SRB", func(r historyRow) bool { return r.Country == "SRB" }, 4},
		{"country=nld", func(r historyRow) bool { return r.Country == "NLD" }, 2},
		{"capability=rating.risk_profiling", func(r historyRow) bool { return r.Capability == "rating.risk_profiling" }, -1},
		{"country=NLD&capability=rating.risk_profiling", func(r historyRow) bool { return r.Country == "NLD" && r.Capability == "rating.risk_profiling" }, 2},
		{"country=ISL", func(historyRow) bool { return false }, 0},
		{"since=2020-01-01", func(r historyRow) bool { return r.ValidFrom >= "2020-01-01" || r.RecordedAt[:10] >= "2020-01-01" }, -1},
		{"as_of=2018-06-01", validOn("2018-06-01"), -1},
		{"country=NLD&as_of=2020-02-05", func(r historyRow) bool { return r.Country == "NLD" && validOn("2020-02-05")(r) }, 1},
		{"recorded_as_of=1999-01-01", func(historyRow) bool { return false }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			got, total := walkAssessments(t, a, "/api/v1/assessments?limit=7&"+tt.query)
			var want []historyRow
			for _, r := range all {
				if tt.keep(r) {
					want = append(want, r)
				}
			}
			if fmt.Sprint(idsOf(got)) != fmt.Sprint(idsOf(want)) || total != len(want) {
				t.Errorf("ids %v (total %d), want %v", idsOf(got), total, idsOf(want))
			}
			if tt.n >= 0 && len(got) != tt.n {
				t.Errorf("%d rows, want %d", len(got), tt.n)
			}
		})
	}
}

func TestSourceUsedBy(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	type sourceBody struct {
		source
		UsedBy struct {
			Assessments, Sites []int64
			ConstraintEvents   []int64 `json:"constraint_events"`
		} `json:"used_by"`
	}
	var chn profileBody
	getJSON(t, a, "/api/v1/countries/CHN", &chn)
	c := chn.capability(t, "identity.unified_identifier")
	want := c.Sources[0]
	var s sourceBody
	getJSON(t, a, fmt.Sprintf("/api/v1/sources/%d", want.ID), &s)
	if s.ID != want.ID || s.Title != want.Title || s.Publisher != want.Publisher || s.Published != want.Published {
		t.Errorf("source %+v, profile cites %+v", s.source, want)
	}
	if !slices.Contains(s.UsedBy.Assessments, *c.AssessmentID) {
		t.Errorf("source %d used_by %+v lacks assessment %d", want.ID, s.UsedBy, *c.AssessmentID)
	}
	// The SyRI judgment backs both NLD assessments and the ruling event.
	var nld profileBody
	getJSON(t, a, "/api/v1/countries/NLD", &nld)
	var h struct{ Assessments []historyRow }
	getJSON(t, a, "/api/v1/countries/NLD/history", &h)
	for _, e := range nld.Events {
		if e.Date != "2020-02-05" || str(e.Ends) != "rating.risk_profiling" {
			continue
		}
		getJSON(t, a, fmt.Sprintf("/api/v1/sources/%d", e.Sources[0].ID), &s)
		if !slices.Contains(s.UsedBy.ConstraintEvents, e.ID) || len(h.Assessments) != 2 ||
			!slices.Contains(s.UsedBy.Assessments, h.Assessments[0].ID) || !slices.Contains(s.UsedBy.Assessments, h.Assessments[1].ID) {
			t.Errorf("SyRI source used_by %+v: want event %d and both NLD assessments", s.UsedBy, e.ID)
		}
	}
	fc := getSites(t, a, "country=VEN")
	if len(fc.Features) != 1 {
		t.Fatalf("VEN sites: %d, want 1", len(fc.Features))
	}
	site := fc.Features[0]
	getJSON(t, a, fmt.Sprintf("/api/v1/sources/%d", site.Properties.Sources[0].ID), &s)
	if !slices.Contains(s.UsedBy.Sites, site.ID) || s.Publisher != "Reuters" {
		t.Errorf("Reuters source used_by %+v lacks site %d", s.UsedBy, site.ID)
	}
	wantProblem(t, a.get("/api/v1/sources/2147483647"), 404, "")
}

type siteFeature struct {
	ID       int64
	Geometry struct {
		Type        string
		Coordinates [2]float64
	}
	Properties struct {
		Name, Country, Capability, Status string
		VendorCountry                     *string `json:"vendor_country"`
		ValidFrom                         *string `json:"valid_from"`
		ValidTo                           *string `json:"valid_to"`
		Sources                           []source
	}
}

type siteCollection struct {
	Type     string
	Features []siteFeature
}

// getSites fetches /api/v1/sites with the query as GeoJSON.
func getSites(t *testing.T, a *testAPI, query string) siteCollection {
	t.Helper()
	w := a.get("/api/v1/sites?" + query)
	if ct := w.Header().Get("Content-Type"); w.Code != 200 || ct != "application/geo+json" {
		t.Fatalf("sites?%s: %d %s %s", query, w.Code, ct, truncate(w.Body.String()))
	}
	var fc siteCollection
	decode(t, w, &fc)
	if fc.Type != "FeatureCollection" {
		t.Errorf("type %q", fc.Type)
	}
	return fc
}

// siteIDs lists the ids of the features that satisfy keep, with their countries.
func siteIDs(fs []siteFeature, keep func(siteFeature) bool) (ids []int64, countries []string) {
	for _, f := range fs {
		if keep(f) {
			ids = append(ids, f.ID)
			countries = append(countries, f.Properties.Country)
		}
	}
	return ids, countries
}

func TestSitesBBox(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	all := getSites(t, a, "").Features
	if len(all) < 40 {
		t.Fatalf("%d sites, want the shipped 40+", len(all))
	}
	tests := []struct {
		bbox       string
		inside     func(lon, lat float64) bool
		has, lacks []string
	}{
		{"-20,-35,52,38", func(lon, lat float64) bool { return lon >= -20 && lon <= 52 && lat >= -35 && lat <= 38 },
			[]string{"KEN", "UGA", "ZWE", "NGA", "GHA", "CIV", "GIN", "EGY", "ZAF"}, []string{"FRA", "GBR", "MUS", "CHN"}},
		{"170,-50,-170,50", func(lon, lat float64) bool { return (lon >= 170 || lon <= -170) && lat >= -50 && lat <= 50 }, nil, nil},
		{"100,-50,-60,60", func(lon, lat float64) bool { return (lon >= 100 || lon <= -60) && lat >= -50 && lat <= 60 },
			[]string{"PHL", "MNG", "MYS", "USA", "ECU", "VEN"}, []string{"PAK", "KEN", "SRB"}},
		{"-180,-90,180,90", func(float64, float64) bool { return true }, nil, nil},
		{"20.45,44.79,20.45,44.79", func(lon, lat float64) bool { return lon == 20.45 && lat == 44.79 }, []string{"SRB"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.bbox, func(t *testing.T) {
			t.Parallel()
			got := getSites(t, a, "bbox="+tt.bbox).Features
			gotIDs, countries := siteIDs(got, func(siteFeature) bool { return true })
			wantIDs, _ := siteIDs(all, func(f siteFeature) bool { return tt.inside(f.Geometry.Coordinates[0], f.Geometry.Coordinates[1]) })
			if fmt.Sprint(gotIDs) != fmt.Sprint(wantIDs) {
				t.Errorf("ids %v, want %v", gotIDs, wantIDs)
			}
			for _, f := range got {
				if c := f.Geometry.Coordinates; f.Geometry.Type != "Point" || !tt.inside(c[0], c[1]) {
					t.Errorf("site %d %s at %v is outside the box", f.ID, f.Properties.Name, c)
				}
			}
			for _, iso := range tt.has {
				if !slices.Contains(countries, iso) {
					t.Errorf("no site in %s among %v", iso, countries)
				}
			}
			for _, iso := range tt.lacks {
				if slices.Contains(countries, iso) {
					t.Errorf("a site in %s is inside the box", iso)
				}
			}
		})
	}
}

func TestSitesFilters(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	all := getSites(t, a, "").Features
	vendor := func(iso string) func(siteFeature) bool {
		return func(f siteFeature) bool { return str(f.Properties.VendorCountry) == iso }
	}
	tests := []struct {
		query string
		keep  func(siteFeature) bool
		has   []string // countries expected among the results
	}{
		{"vendor_country=CHN", vendor("CHN"), []string{"VEN", "ECU", "KEN", "SRB", "PHL"}},
		{"vendor_country=chn", vendor("CHN"), []string{"VEN"}},
		{"vendor_country=KAZ", vendor("KAZ"), []string{"KAZ"}},
		{"vendor_country=ISL", vendor("ISL"), nil},
		{"status=cancelled", func(f siteFeature) bool { return f.Properties.Status == "cancelled" }, []string{"PHL"}},
		{"status=suspended", func(f siteFeature) bool { return f.Properties.Status == "suspended" }, []string{"NGA"}},
		{"capability=surveillance.facial_recognition", func(f siteFeature) bool { return f.Properties.Capability == "surveillance.facial_recognition" }, []string{"SRB", "IRN"}},
		{"country=KAZ", func(f siteFeature) bool { return f.Properties.Country == "KAZ" }, []string{"KAZ"}},
		{"as_of=2016-06-01", func(f siteFeature) bool {
			p := f.Properties
			return (p.ValidFrom == nil || *p.ValidFrom <= "2016-06-01") && (p.ValidTo == nil || *p.ValidTo > "2016-06-01")
		}, []string{"KEN", "ECU"}},
		{"vendor_country=CHN&status=planned", func(f siteFeature) bool { return vendor("CHN")(f) && f.Properties.Status == "planned" }, []string{"ZWE", "UZB"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			gotIDs, countries := siteIDs(getSites(t, a, tt.query).Features, func(siteFeature) bool { return true })
			wantIDs, _ := siteIDs(all, tt.keep)
			if fmt.Sprint(gotIDs) != fmt.Sprint(wantIDs) {
				t.Errorf("ids %v, want %v", gotIDs, wantIDs)
			}
			for _, iso := range tt.has {
				if !slices.Contains(countries, iso) {
					t.Errorf("no %s site among %v", iso, countries)
				}
			}
		})
	}
}

// readCSV checks a CSV download and splits it into its # comment lines and records.
func readCSV(t *testing.T, w *httptest.ResponseRecorder) (comments []string, records [][]string) {
	t.Helper()
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") ||
		!strings.HasPrefix(w.Header().Get("Content-Disposition"), "attachment") {
		t.Fatalf("%d, Content-Type %q, Content-Disposition %q: %s", w.Code, w.Header().Get("Content-Type"),
			w.Header().Get("Content-Disposition"), truncate(w.Body.String()))
	}
	body := w.Body.String()
	for strings.HasPrefix(body, "#") {
		line, rest, _ := strings.Cut(body, "\n")
		comments = append(comments, line)
		body = rest
	}
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	return comments, records
}

// wantComments checks that the header comments name each of the strings.
func wantComments(t *testing.T, comments []string, want ...string) {
	t.Helper()
	all := strings.Join(comments, "\n")
	for _, s := range want {
		if !strings.Contains(all, s) {
			t.Errorf("comments %q lack %q", comments, s)
		}
	}
}

// The index export, row by row, for figures worked out independently: China
// is the reference (100 everywhere); Russia and Venezuela are the issue's
// "13.9" and "6.3"; under reference=RUS only the pillars Russia has count.
func TestExportIndexCSV(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	header := "iso3,name,region,subregion,assessed,index,band,coverage,pillar_identity,pillar_integration,pillar_rating,pillar_sanctions,pillar_surveillance,pillar_governance"
	for _, tt := range []struct {
		query    string
		comments []string
		rows     []string
	}{
		{"", []string{"reference: CHN", "weights: default (each pillar equal", "as_of: " + todayUTC()}, []string{
			"CHN,China,Asia,Eastern Asia,true,100,comparable,1,100,100,100,100,100,100",
			"ISL,Iceland,Europe,Northern Europe,false,,not_assessed,0,,,,,,",
			"NLD,Netherlands,Europe,Western Europe,true,0,none,0.042,0,0,0,0,0,0",
			"RUS,Russia,Europe,Eastern Europe,true,13.89,isolated,0.153,0,33.33,0,33.33,16.67,0",
			"VEN,Venezuela,Americas,South America,true,6.25,none,0.083,0,25,0,12.5,0,0",
		}},
		{"?as_of=2018-06-01&weights=sanctions:3", []string{"as_of: 2018-06-01", "weights: sanctions:3", "as of 2018-06-01"}, []string{
			"NLD,Netherlands,Europe,Western Europe,true,0,none,0,0,0,0,0,0,0",
			"RUS,Russia,Europe,Eastern Europe,true,15,isolated,0.15,0,0,0,40,0,0",
			"VEN,Venezuela,Americas,South America,true,9.79,none,0.117,0,33.33,0,15,0,0",
		}},
		{"?reference=RUS", []string{"reference: RUS"}, []string{
			"CHN,China,Asia,Eastern Asia,true,91.67,comparable,1,,75,,100,100,",
			"RUS,Russia,Europe,Eastern Europe,true,100,comparable,1,,100,,100,100,",
			"VEN,Venezuela,Americas,South America,true,0,none,0,,0,,0,0,",
		}},
	} {
		w := a.get("/api/v1/export/index.csv" + tt.query)
		comments, records := readCSV(t, w)
		wantComments(t, comments, append(tt.comments, "dataset_version: 2026.11.0", "# Cite as: SCS Diffusion Tracker (resemblance index)")...)
		if len(records) < 236 || strings.Join(records[0], ",") != header {
			t.Fatalf("%s: %d records, header %v", tt.query, len(records), records[0])
		}
		byISO := map[string]string{}
		for _, rec := range records[1:] {
			if _, dup := byISO[rec[0]]; dup || len(rec) != len(records[0]) {
				t.Errorf("%s: row %v is repeated or ragged", tt.query, rec)
			}
			byISO[rec[0]] = strings.Join(rec, ",")
		}
		for _, want := range tt.rows {
			if got := byISO[want[:3]]; got != want {
				t.Errorf("%s: row\n got %s\nwant %s", tt.query, got, want)
			}
		}
		if !strings.HasPrefix(w.Header().Get("Content-Disposition"), `attachment; filename="scs-tracker-index-`) {
			t.Errorf("%s: Content-Disposition %q", tt.query, w.Header().Get("Content-Disposition"))
		}
	}
	wantProblem(t, a.get("/api/v1/export/index.csv?weights=sanctions:-3"), 400, "weights")
}

// The assessments export: the fixture holds 146 current rows, 62 of them
// valid in mid-2018; the Netherlands has the SyRI rows (3 until the court
// struck it down, then 0); on 2014-01-01 the blacklists in force were
// China's and Brazil's "Lista Suja".
func TestExportAssessmentsCSV(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	for _, tt := range []struct {
		query     string
		asOf      string
		rows      int
		countries string
	}{
		{"", todayUTC(), 146, ""},
		{"as_of=2018-06-01", "2018-06-01", 62, ""},
		{"country=NLD", todayUTC(), 2, "NLD NLD"},
		{"capability=sanctions.blacklist&as_of=2014-01-01", "2014-01-01", 2, "BRA CHN"},
	} {
		comments, records := readCSV(t, a.get("/api/v1/export/assessments.csv?"+tt.query))
		wantComments(t, comments, "dataset_version: 2026.11.0", "as_of: "+tt.asOf, "# Cite as: SCS Diffusion Tracker (assessments)")
		if len(records) == 0 || strings.Join(records[0], ",") !=
			"id,country,capability,level,valid_from,valid_from_precision,valid_to,confidence,summary,recorded_at,supersedes,provenance,report_id,organisation,sources" {
			t.Fatalf("%s: header %v", tt.query, records)
		}
		if got := len(records) - 1; got != tt.rows {
			t.Errorf("%s: %d rows, want %d", tt.query, got, tt.rows)
		}
		var countries []string
		for _, rec := range records[1:] {
			countries = append(countries, rec[1])
		}
		slices.Sort(countries)
		if tt.countries != "" && strings.Join(countries, " ") != tt.countries {
			t.Errorf("%s: countries %v, want %s", tt.query, countries, tt.countries)
		}
	}
	_, records := readCSV(t, a.get("/api/v1/export/assessments.csv?country=NLD"))
	if len(records) != 3 || records[1][3] != "3" || records[2][3] != "0" || !strings.Contains(records[1][14], "Rechtbank Den Haag") {
		t.Errorf("NLD export %v: want the level-3 and level-0 SyRI rows citing the court", records)
	}
}
