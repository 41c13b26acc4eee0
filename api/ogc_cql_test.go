package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestOGCFilterSites(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	for _, tc := range []struct{ filter, where string }{
		{"status = 'active'", "status = 'active'"},
		{"status <> 'active'", "status <> 'active'"},
		{"vendor_country = 'CHN' AND status IN ('active', 'planned')", "vendor_country = 'CHN' AND status IN ('active', 'planned')"},
		{"NOT vendor_country = 'CHN' OR vendor_country IS NULL", "vendor_country IS DISTINCT FROM 'CHN'"},
		{"vendor_country IS NOT NULL AND name LIKE '%Safe%'", "vendor_country IS NOT NULL AND name LIKE '%Safe%'"},
		{"valid_from >= DATE('2019-01-01') AND valid_from < DATE('2021-01-01')", "valid_from >= '2019-01-01' AND valid_from < '2021-01-01'"},
		{"valid_from BETWEEN DATE('2015-01-01') AND DATE('2018-12-31')", "valid_from BETWEEN '2015-01-01' AND '2018-12-31'"},
		{"id NOT BETWEEN 5 AND 50", "id NOT BETWEEN 5 AND 50"},
		{"confidence IN ('H') AND NOT (status = 'cancelled' OR status = 'concluded')", "confidence = 'H' AND status NOT IN ('cancelled', 'concluded')"},
		{"S_INTERSECTS(geometry, BBOX(-20, -40, 60, 40))", "ST_Intersects(geom, ST_MakeEnvelope(-20, -40, 60, 40, 4326))"},
		{"s_intersects(geometry, bbox(100, -50, -60, 70))",
			"ST_Intersects(geom, ST_MakeEnvelope(100, -50, 180, 70, 4326)) OR ST_Intersects(geom, ST_MakeEnvelope(-180, -50, -60, 70, 4326))"},
		{"S_INTERSECTS(geometry, POLYGON((0 0, 60 0, 60 40, 0 40, 0 0))) AND vendor_country = 'CHN'",
			"ST_Intersects(geom, 'SRID=4326;POLYGON((0 0, 60 0, 60 40, 0 40, 0 0))'::geometry) AND vendor_country = 'CHN'"},
		{"name = 'x''; DROP TABLE site; --'", "false"},
	} {
		path := "/ogc/collections/sites/items?limit=25&filter=" + url.QueryEscape(tc.filter)
		ids, matched := readAll(t, a, path)
		want := dbCount(t, a, "SELECT count(*) FROM site WHERE "+tc.where)
		if len(ids) != want || matched != want {
			t.Errorf("filter %s: %d features (numberMatched %d), PostGIS counts %d", tc.filter, len(ids), matched, want)
		}
	}
	if n := dbCount(t, a, "SELECT count(*) FROM site"); n == 0 {
		t.Fatal("no sites left")
	}
	// With filter-lang and filter-crs at their only values, and with bbox and a property parameter besides.
	ids, _ := readAll(t, a, "/ogc/collections/sites/items?limit=10&filter-lang=cql2-text&filter-crs="+
		url.QueryEscape("http://www.opengis.net/def/crs/OGC/1.3/CRS84")+"&status=active&bbox=-20,-40,60,40&filter="+url.QueryEscape("vendor_country = 'CHN'"))
	if want := dbCount(t, a, "SELECT count(*) FROM site WHERE status = 'active' AND vendor_country = 'CHN' AND ST_Intersects(geom, ST_MakeEnvelope(-20, -40, 60, 40, 4326))"); len(ids) != want {
		t.Errorf("filter + bbox + status: %d, PostGIS %d", len(ids), want)
	}
}

func TestOGCFilterCountriesAndAssessments(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	var idx struct {
		Countries []struct {
			Index *float64 `json:"index"`
			Band  string   `json:"band"`
		} `json:"countries"`
	}
	getJSON(t, a, "/api/v1/index?as_of=2022-01-01", &idx)
	above, notAssessed := 0, 0
	for _, c := range idx.Countries {
		if c.Index != nil && *c.Index >= 30 {
			above++
		}
		if c.Band == "not_assessed" {
			notAssessed++
		}
	}
	var p ogcPage
	getJSON(t, a, "/ogc/collections/countries/items?resolution=110m&datetime=2022-01-01&filter="+url.QueryEscape("index >= 30"), &p)
	if p.NumberMatched != above || above == 0 {
		t.Errorf("countries index >= 30 on 2022-01-01: %d, /api/v1/index has %d", p.NumberMatched, above)
	}
	getJSON(t, a, "/ogc/collections/countries/items?resolution=110m&datetime=2022-01-01&filter="+url.QueryEscape("band = 'not_assessed'"), &p)
	total := dbCount(t, a, "SELECT count(*) FROM country")
	// /api/v1/index lists only countries of the read model; every other one is not assessed too.
	if p.NumberMatched < notAssessed || p.NumberMatched > total-above {
		t.Errorf("countries not assessed: %d, /api/v1/index has %d", p.NumberMatched, notAssessed)
	}
	getJSON(t, a, "/ogc/collections/countries/items?resolution=110m&filter="+url.QueryEscape("region = 'Africa' AND S_INTERSECTS(geometry, POINT(36.82 -1.29))"), &p)
	if p.NumberMatched != 1 || len(p.Features) != 1 || p.Features[0].ID != "KEN" {
		t.Errorf("the African country containing Nairobi: %d matched", p.NumberMatched)
	}

	// assessments: the filter agrees with the same test applied to every feature.
	var all ogcPage
	getJSON(t, a, "/ogc/collections/assessments/items?limit=10000", &all)
	want := 0
	for _, f := range all.Features {
		if lvl := f.Properties["level"].(float64); lvl >= 3 && f.Properties["pillar"] == "surveillance" && f.Properties["valid_to"] == nil {
			want++
		}
	}
	getJSON(t, a, "/ogc/collections/assessments/items?limit=10000&filter="+url.QueryEscape("level >= 3 AND pillar = 'surveillance' AND valid_to IS NULL"), &p)
	if p.NumberMatched != want || want == 0 {
		t.Errorf("assessments level >= 3 in surveillance, still valid: %d, counted %d", p.NumberMatched, want)
	}
}

func TestOGCFilterRefusals(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	for _, tc := range []struct {
		query, field, reason string
	}{
		{"filter=" + url.QueryEscape("status = "), "filter", "at character 10"},
		{"filter=" + url.QueryEscape("status = 'active"), "filter", "at character 10"},
		{"filter=" + url.QueryEscape("(status = 'active'"), "filter", "at character 19"},
		{"filter=" + url.QueryEscape("nme = 'x'"), "filter", "at character 1: unknown property"},
		{"filter=" + url.QueryEscape("valid_from > '2020-01-01'"), "filter", "at character 12"},
		{"filter=" + url.QueryEscape("S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 1)))"), "filter", "at character 33"},
		{"filter=" + url.QueryEscape("S_INTERSECTS(geometry, BBOX(0, 0, 200, 10))"), "filter", "at character 24"},
		{"filter=" + url.QueryEscape("CASEI(name) = 'x'"), "filter", "at character 1"},
		{"filter=", "filter", "at character 1"},
		{"filter=a%3D1&filter-lang=cql2-json", "filter-lang", ""},
		{"filter=a%3D1&filter-crs=EPSG:3857", "filter-crs", ""},
		{"filter=" + url.QueryEscape(strings.Repeat("(", 40)+"status = 'a'"), "filter", "nests more than"},
	} {
		p := wantProblem(t, a.get("/ogc/collections/sites/items?"+tc.query), http.StatusBadRequest, tc.field)
		if tc.reason != "" && (len(p.Errors) == 0 || !strings.Contains(p.Errors[0].Reason, tc.reason)) {
			t.Errorf("%s: errors %+v, want a reason with %q", tc.query, p.Errors, tc.reason)
		}
	}
}
