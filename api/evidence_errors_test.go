package api_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
)

type badRequest struct {
	path   string
	status int
	field  string // the parameter the problem must name; "" for 404s
}

// allZero is a weights value that gives every pillar weight 0.
const allZero = "identity:0,integration:0,rating:0,sanctions:0,surveillance:0,governance:0"

// badRequests lists, route by route, inputs the read API must refuse.
func badRequests() []badRequest {
	future := tomorrowUTC()
	return append([]badRequest{
		// Bytes PostgreSQL would refuse: NUL and invalid UTF-8, in values and names.
		{"/api/v1/countries?q=%00", 400, "q"},
		{"/api/v1/countries?region=%00", 400, "region"},
		{"/api/v1/countries?subregion=%C3", 400, "subregion"},
		{"/api/v1/countries?q=%FF%FE", 400, "q"},
		{"/api/v1/assessments?country=%C3%28%C3", 400, "country"},
		{"/api/v1/countries?%FF=1", 400, "query"},
		// /index: dates, weights, reference, unknown and repeated parameters.
		{"/api/v1/index?as_of=2020-13-01", 400, "as_of"},
		{"/api/v1/index?as_of=yesterday", 400, "as_of"},
		{"/api/v1/index?as_of=2020-1-1", 400, "as_of"},
		{"/api/v1/index?as_of=2020-02-30", 400, "as_of"},
		{"/api/v1/index?as_of=" + future, 400, "as_of"},
		{"/api/v1/index?as_of=1899-12-31", 400, "as_of"},
		{"/api/v1/index?as_of=", 400, "as_of"},
		{"/api/v1/index?recorded_as_of=2020-13-01", 400, "recorded_as_of"},
		{"/api/v1/index?recorded_as_of=" + future, 400, "recorded_as_of"},
		{"/api/v1/index?weights=foo:1", 400, "weights"},
		{"/api/v1/index?weights=identity", 400, "weights"},
		{"/api/v1/index?weights=identity:-1", 400, "weights"},
		{"/api/v1/index?weights=identity:abc", 400, "weights"},
		{"/api/v1/index?weights=identity:NaN", 400, "weights"},
		{"/api/v1/index?weights=identity:1e999", 400, "weights"},
		{"/api/v1/index?weights=" + allZero, 400, "weights"},
		{"/api/v1/index?weights=identity:1,identity:2", 400, "weights"},
		{"/api/v1/index?weights=identity:1,,rating:1", 400, "weights"},
		{"/api/v1/index?weights=Identity:1", 400, "weights"},
		{"/api/v1/index?reference=CH", 400, "reference"},
		{"/api/v1/index?reference=ZZZ", 400, "reference"},
		{"/api/v1/index?reference=ISL", 400, "reference"},
		{"/api/v1/index?reference=VEN&as_of=2016-06-01", 400, "reference"},
		{"/api/v1/index?colour=red", 400, "colour"},
		{"/api/v1/index?as_of=2020-01-01&as_of=2021-01-01", 400, "as_of"},
		// /countries: index filters.
		{"/api/v1/countries?min_index=101", 400, "min_index"},
		{"/api/v1/countries?min_index=-1", 400, "min_index"},
		{"/api/v1/countries?min_index=abc", 400, "min_index"},
		{"/api/v1/countries?min_index=NaN", 400, "min_index"},
		{"/api/v1/countries?capability=unknown.code", 400, "capability"},
		{"/api/v1/countries?capability=Sanctions.Blacklist", 400, "capability"},
		{"/api/v1/countries?capability=sanctions", 400, "capability"},
		{"/api/v1/countries?capability=sanctions.blacklist&min_level=5", 400, "min_level"},
		{"/api/v1/countries?capability=sanctions.blacklist&min_level=1.5", 400, "min_level"},
		{"/api/v1/countries?capability=sanctions.blacklist&min_level=-1", 400, "min_level"},
		{"/api/v1/countries?min_level=3", 400, "min_level"},
		{"/api/v1/countries?sort=bogus", 400, "sort"},
		{"/api/v1/countries?sort=-bogus", 400, "sort"},
		{"/api/v1/countries?as_of=2020-13-01", 400, "as_of"},
		{"/api/v1/countries?weights=foo:1", 400, "weights"},
		{"/api/v1/countries?reference=ISL", 400, "reference"},
		// /countries/{iso3} and its history.
		{"/api/v1/countries/XYZ", 404, ""},
		{"/api/v1/countries/CHN?as_of=2020-13-01", 400, "as_of"},
		{"/api/v1/countries/CHN?as_of=" + future, 400, "as_of"},
		{"/api/v1/countries/CHN?weights=identity", 400, "weights"},
		{"/api/v1/countries/CHN?reference=ISL", 400, "reference"},
		{"/api/v1/countries/CHN?since=2020-01-01", 400, "since"},
		{"/api/v1/countries/XYZ/history", 404, ""},
		{"/api/v1/countries/NL/history", 400, "iso3"},
		{"/api/v1/countries/NLD/history?recorded_as_of=1999-13-01", 400, "recorded_as_of"},
		{"/api/v1/countries/NLD/history?recorded_as_of=" + future, 400, "recorded_as_of"},
		// /compare.
		{"/api/v1/compare?iso3=RUS", 400, "iso3"},
		{"/api/v1/compare?iso3=RUS,IRN,CHN,VEN,SRB,NLD,KEN", 400, "iso3"},
		{"/api/v1/compare?iso3=RUS,RUS", 400, "iso3"},
		{"/api/v1/compare?iso3=RUS,rus", 400, "iso3"},
		{"/api/v1/compare?iso3=RUS,IR", 400, "iso3"},
		{"/api/v1/compare?iso3=RUS,,IRN", 400, "iso3"},
		{"/api/v1/compare?iso3=RUS,ZZZ", 400, "iso3"},
		{"/api/v1/compare", 400, "iso3"},
		{"/api/v1/compare?iso3=", 400, "iso3"},
		{"/api/v1/compare?iso3=RUS,IRN&as_of=yesterday", 400, "as_of"},
		{"/api/v1/compare?iso3=RUS,IRN&weights=identity:-1", 400, "weights"},
		{"/api/v1/compare?iso3=RUS,IRN&reference=ISL", 400, "reference"},
		// /assessments.
		{"/api/v1/assessments?cursor=!!!", 400, "cursor"},
		{"/api/v1/assessments?cursor=MTIz", 400, "cursor"},
		{"/api/v1/assessments?since=2020-1-1", 400, "since"},
		{"/api/v1/assessments?since=" + future, 400, "since"},
		{"/api/v1/assessments?country=ZZZ", 400, "country"},
		{"/api/v1/assessments?country=NL", 400, "country"},
		{"/api/v1/assessments?capability=unknown.code", 400, "capability"},
		{"/api/v1/assessments?limit=0", 400, "limit"},
		{"/api/v1/assessments?limit=501", 400, "limit"},
		{"/api/v1/assessments?as_of=2020-13-01", 400, "as_of"},
		// /sources/{id}.
		{"/api/v1/sources/999999999", 404, ""},
		{"/api/v1/sources/abc", 400, "id"},
		{"/api/v1/sources/0", 400, "id"},
		{"/api/v1/sources/-1", 400, "id"},
		{"/api/v1/sources/1.5", 400, "id"},
		// /sites.
		{"/api/v1/sites?bbox=1,2,3", 400, "bbox"},
		{"/api/v1/sites?bbox=1,2,3,4,5", 400, "bbox"},
		{"/api/v1/sites?bbox=a,b,c,d", 400, "bbox"},
		{"/api/v1/sites?bbox=NaN,0,10,10", 400, "bbox"},
		{"/api/v1/sites?bbox=-181,0,10,10", 400, "bbox"},
		{"/api/v1/sites?bbox=0,-91,10,10", 400, "bbox"},
		{"/api/v1/sites?bbox=0,10,10,5", 400, "bbox"},
		{"/api/v1/sites?bbox=", 400, "bbox"},
		{"/api/v1/sites?status=bogus", 400, "status"},
		{"/api/v1/sites?capability=unknown.code", 400, "capability"},
		{"/api/v1/sites?vendor_country=CH", 400, "vendor_country"},
		{"/api/v1/sites?as_of=2020-13-01", 400, "as_of"},
		// Exports.
		{"/api/v1/export/index.csv?weights=foo:1", 400, "weights"},
		{"/api/v1/export/index.csv?weights=" + allZero, 400, "weights"},
		{"/api/v1/export/index.csv?as_of=yesterday", 400, "as_of"},
		{"/api/v1/export/index.csv?reference=ISL", 400, "reference"},
		{"/api/v1/export/assessments.csv?capability=unknown.code", 400, "capability"},
		{"/api/v1/export/assessments.csv?as_of=2020-13-01", 400, "as_of"},
		// Taxonomy.
		{"/api/v1/pillars?x=1", 400, "x"},
		{"/api/v1/capabilities?as_of=2020-01-01", 400, "as_of"},
	}, diffusionBadRequests()...)
}

func TestReadAPIBadInput(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	for _, tt := range badRequests() {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			wantProblem(t, a.get(tt.path), tt.status, tt.field)
		})
	}
}

// Refused requests change nothing: the dataset revision and the answers stay as they were.
func TestBadInputChangesNothing(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	ctx := context.Background()
	before, err := a.db.Store.CurrentRevision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	index := a.get("/api/v1/index").Body.Bytes()
	for _, tt := range badRequests() {
		if w := a.get(tt.path); w.Code != tt.status {
			t.Errorf("%s: %d, want %d", tt.path, w.Code, tt.status)
		}
	}
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		if w := a.do(m, "/api/v1/index", `{"weights":"x"}`); w.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s /api/v1/index: %d, want 405", m, w.Code)
		}
	}
	after, err := a.db.Store.CurrentRevision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("revision %+v became %+v", before, after)
	}
	if !bytes.Equal(a.get("/api/v1/index").Body.Bytes(), index) {
		t.Error("/api/v1/index answers differently after the bad requests")
	}
}

// RFC 9110 §13.2.1: a server must ignore preconditions when the response
// without them would not be 2xx, so an invalid or missing resource is never 304.
func TestPreconditionsDoNotHideErrors(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	for _, tt := range []badRequest{
		{"/api/v1/countries/XYZ", 404, ""},
		{"/api/v1/countries/CHN?reference=ISL", 400, "reference"},
		{"/api/v1/countries?reference=ISL", 400, "reference"},
		{"/api/v1/countries?reference=ZZZ&sort=-index", 400, "reference"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			w := a.get(tt.path)
			wantProblem(t, w, tt.status, tt.field)
			if tag := w.Header().Get("ETag"); tag != "" {
				t.Errorf("the %d problem carries ETag %s", w.Code, tag)
			}
			wantProblem(t, a.get(tt.path, "If-None-Match", "*"), tt.status, tt.field)
		})
	}
}

// Every date the index advertises in time_range must be answerable by /index.
func TestIndexTimeRangeIsAnswerable(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	b, _ := getIndex(t, a, "")
	for _, d := range []string{b.TimeRange.Min, b.TimeRange.Max} {
		if w := a.get("/api/v1/index?as_of=" + d); w.Code != http.StatusOK {
			t.Errorf("time_range is %+v, but as_of=%s answers %d %s", b.TimeRange, d, w.Code, truncate(w.Body.String()))
		}
	}
}

// A reference with no capability above 0, or weights that give none of its
// capabilities any weight, leave nothing to compare: the reference would
// score 0 against itself and every assessed country would be "none". The API
// must refuse them, as it refuses all-zero weights and unassessed references.
func TestIndexNothingToCompare(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	for _, tt := range []struct{ query, reference string }{
		// Iran is assessed only in sanctions, surveillance and governance.
		{"?reference=IRN&weights=identity:1,integration:0,rating:0,sanctions:0,surveillance:0,governance:0", "IRN"},
		// On 2013-02-01 China was assessed only in identity.
		{"?as_of=2013-02-01&weights=identity:0,integration:0,rating:0,sanctions:0,surveillance:0,governance:1", "CHN"},
		// The Netherlands' only assessment today is level 0: no capability to resemble.
		{"?reference=NLD", "NLD"},
	} {
		field := "weights"
		if !strings.Contains(tt.query, "weights=") {
			field = "reference"
		}
		w := a.get("/api/v1/index" + tt.query)
		if w.Code == http.StatusOK {
			_, rows := getIndex(t, a, tt.query)
			t.Errorf("%s: 200 with the reference at %v; want 400 naming %s", tt.query, rows[tt.reference], field)
			continue
		}
		wantProblem(t, w, 400, field)
	}
}

// An unknown country code is a typo to report, as /assessments does, not a
// filter that silently matches nothing.
func TestUnknownCountryFiltersRefused(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	for _, tt := range []badRequest{
		{"/api/v1/assessments?country=ZZZ", 400, "country"},
		{"/api/v1/export/assessments.csv?country=ZZZ", 400, "country"},
		{"/api/v1/sites?country=ZZZ", 400, "country"},
		{"/api/v1/sites?vendor_country=ZZZ", 400, "vendor_country"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			wantProblem(t, a.get(tt.path), tt.status, tt.field)
		})
	}
}
