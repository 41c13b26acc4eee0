package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

type ogcLink struct {
	Href, Rel, Type, Title string
}

type ogcPage struct {
	Type           string `json:"type"`
	NumberMatched  int    `json:"numberMatched"`
	NumberReturned int    `json:"numberReturned"`
	Features       []struct {
		ID         any             `json:"id"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties map[string]any  `json:"properties"`
		Links      []ogcLink       `json:"links"`
	} `json:"features"`
	Links []ogcLink `json:"links"`
}

func linkOf(links []ogcLink, rel string) (ogcLink, bool) {
	for _, l := range links {
		if l.Rel == rel {
			return l, true
		}
	}
	return ogcLink{}, false
}

// localPath turns an absolute link of the test server (host example.com)
// into the path and query to request.
func localPath(t *testing.T, href string) string {
	t.Helper()
	u, err := url.Parse(href)
	if err != nil || u.Scheme != "http" || u.Host != "example.com" {
		t.Fatalf("link %q is not an absolute URL of the server asked (http://example.com)", href)
	}
	return u.RequestURI()
}

// dbCount counts rows in the test database with a query of its own.
func dbCount(t *testing.T, a *testAPI, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := a.db.Store.Pool().QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func TestOGCLandingConformanceAPI(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	var landing struct {
		Links []ogcLink `json:"links"`
	}
	getJSON(t, a, "/ogc", &landing)
	for rel, typ := range map[string]string{"self": "application/json", "service-desc": "application/vnd.oai.openapi+json;version=3.0",
		"conformance": "application/json", "data": "application/json"} {
		l, ok := linkOf(landing.Links, rel)
		if !ok || l.Type != typ {
			t.Errorf("landing page link %s: %+v, want type %s", rel, l, typ)
		}
	}
	desc, _ := linkOf(landing.Links, "service-desc")
	w := a.get(localPath(t, desc.Href), "Accept", "application/vnd.oai.openapi+json;version=3.0")
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/vnd.oai.openapi+json;version=3.0" {
		t.Fatalf("/ogc/api: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	doc, err := openapi3.NewLoader().LoadFromData(w.Body.Bytes())
	if err != nil {
		t.Fatalf("/ogc/api does not load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("/ogc/api is not valid OpenAPI: %v", err)
	}
	if doc.OpenAPI != "3.0.3" || doc.Paths.Find("/collections/sites/items") == nil {
		t.Errorf("/ogc/api: openapi %q, sites items path %v", doc.OpenAPI, doc.Paths.Find("/collections/sites/items") != nil)
	}

	var conf struct {
		ConformsTo []string `json:"conformsTo"`
	}
	getJSON(t, a, "/ogc/conformance", &conf)
	for _, c := range []string{"core", "oas30", "geojson"} {
		if !slices.Contains(conf.ConformsTo, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"+c) {
			t.Errorf("conformance lacks %s: %v", c, conf.ConformsTo)
		}
	}
	wantProblem(t, a.get("/ogc?foo=1"), http.StatusBadRequest, "foo")
	wantProblem(t, a.get("/ogc/conformance?f=xml"), http.StatusBadRequest, "f")
}

func TestOGCCollections(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	var list struct {
		Collections []json.RawMessage `json:"collections"`
	}
	getJSON(t, a, "/ogc/collections", &list)
	var ids []string
	for _, raw := range list.Collections {
		var c struct {
			ID     string    `json:"id"`
			Links  []ogcLink `json:"links"`
			Extent struct {
				Spatial struct {
					BBox [][4]float64 `json:"bbox"`
					CRS  string       `json:"crs"`
				} `json:"spatial"`
				Temporal struct {
					Interval [][2]*string `json:"interval"`
				} `json:"temporal"`
			} `json:"extent"`
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
		if c.Extent.Spatial.CRS != "http://www.opengis.net/def/crs/OGC/1.3/CRS84" || len(c.Extent.Spatial.BBox) != 1 {
			t.Errorf("%s: spatial extent %+v", c.ID, c.Extent.Spatial)
		}
		if b := c.Extent.Spatial.BBox[0]; b[0] > b[2] || b[1] > b[3] || b[0] < -180 || b[3] > 90 {
			t.Errorf("%s: extent bbox %v", c.ID, b)
		}
		if iv := c.Extent.Temporal.Interval; len(iv) != 1 || iv[0][0] == nil {
			t.Errorf("%s: temporal extent %v, want a known start", c.ID, iv)
		}
		items, ok := linkOf(c.Links, "items")
		if !ok || items.Type != "application/geo+json" {
			t.Errorf("%s: items link %+v", c.ID, items)
		}
		// The collection's own document is the list entry.
		w := a.get("/ogc/collections/" + c.ID)
		if w.Code != http.StatusOK {
			t.Fatalf("/ogc/collections/%s: %d", c.ID, w.Code)
		}
		var one, entry any
		_ = json.Unmarshal(w.Body.Bytes(), &one)
		_ = json.Unmarshal(raw, &entry)
		if !jsonEqual(one, entry) {
			t.Errorf("/ogc/collections/%s differs from its entry in /ogc/collections", c.ID)
		}
	}
	if !slices.Equal(ids, []string{"countries", "sites", "assessments"}) {
		t.Errorf("collections %v", ids)
	}
	// The sites extent covers every site, and only that.
	var sites struct {
		Extent struct {
			Spatial struct {
				BBox [][4]float64 `json:"bbox"`
			} `json:"spatial"`
		} `json:"extent"`
	}
	getJSON(t, a, "/ogc/collections/sites", &sites)
	b := sites.Extent.Spatial.BBox[0]
	if n := dbCount(t, a, `SELECT count(*) FROM site WHERE NOT ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326))`, b[0], b[1], b[2], b[3]); n != 0 {
		t.Errorf("%d sites lie outside the sites extent %v", n, b)
	}
	wantProblem(t, a.get("/ogc/collections/nope"), http.StatusNotFound, "")
	wantProblem(t, a.get("/ogc/collections/nope/items"), http.StatusNotFound, "")
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// readAll follows next links from path to the end and returns every feature id.
func readAll(t *testing.T, a *testAPI, path string) (ids []string, matched int) {
	t.Helper()
	for pages := 0; path != ""; pages++ {
		if pages > 2000 {
			t.Fatalf("more than 2000 pages from %s", path)
		}
		var p ogcPage
		getJSON(t, a, path, &p)
		if p.Type != "FeatureCollection" || p.NumberReturned != len(p.Features) {
			t.Fatalf("%s: type %q, numberReturned %d for %d features", path, p.Type, p.NumberReturned, len(p.Features))
		}
		if pages == 0 {
			matched = p.NumberMatched
		} else if p.NumberMatched != matched {
			t.Fatalf("%s: numberMatched %d, the first page said %d", path, p.NumberMatched, matched)
		}
		for _, f := range p.Features {
			b, _ := json.Marshal(f.ID)
			ids = append(ids, strings.Trim(string(b), `"`))
		}
		self, ok := linkOf(p.Links, "self")
		if !ok || self.Type == "" || localPath(t, self.Href) != path {
			t.Errorf("%s: self link %+v", path, self)
		}
		if _, ok := linkOf(p.Links, "alternate"); !ok {
			t.Errorf("%s: no alternate link", path)
		}
		next, ok := linkOf(p.Links, "next")
		if !ok {
			break
		}
		if next.Type != "application/geo+json" || len(p.Features) == 0 {
			t.Fatalf("%s: next link %+v after %d features", path, next, len(p.Features))
		}
		path = localPath(t, next.Href)
	}
	return ids, matched
}

func TestOGCItemsPageToTheEnd(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	for _, tc := range []struct {
		path, count string
	}{
		{"/ogc/collections/sites/items?limit=7", `SELECT count(*) FROM site`},
		{"/ogc/collections/countries/items?limit=40&resolution=110m", `SELECT count(*) FROM country`},
		{"/ogc/collections/assessments/items?limit=50", ``},
		{"/ogc/collections/sites/items?limit=5&status=active", `SELECT count(*) FROM site WHERE status = 'active'`},
		{"/ogc/collections/countries/items?limit=9&region=Africa", `SELECT count(*) FROM country WHERE region = 'Africa'`},
	} {
		ids, matched := readAll(t, a, tc.path)
		if len(ids) != matched {
			t.Errorf("%s: read %d features to the end, numberMatched %d", tc.path, len(ids), matched)
		}
		seen := map[string]bool{}
		for _, id := range ids {
			if seen[id] {
				t.Errorf("%s: feature %s twice", tc.path, id)
			}
			seen[id] = true
		}
		if tc.count != "" {
			if n := dbCount(t, a, tc.count); n != len(ids) || n == 0 {
				t.Errorf("%s: %d features, PostGIS counts %d", tc.path, len(ids), n)
			}
		}
	}
	// assessments: exactly the rows /api/v1/assessments lists (the current ones).
	var v1 struct {
		Total int `json:"total"`
	}
	getJSON(t, a, "/api/v1/assessments?limit=1", &v1)
	ids, _ := readAll(t, a, "/ogc/collections/assessments/items?limit=1000")
	if len(ids) != v1.Total || v1.Total == 0 {
		t.Errorf("assessments: %d features, /api/v1/assessments total %d", len(ids), v1.Total)
	}

	// limit above the maximum is clamped, not refused.
	var p ogcPage
	getJSON(t, a, "/ogc/collections/sites/items?limit=20000", &p)
	if p.NumberReturned != p.NumberMatched {
		t.Errorf("limit=20000: %d of %d returned", p.NumberReturned, p.NumberMatched)
	}
	getJSON(t, a, "/ogc/collections/sites/items", &p)
	if p.NumberReturned != min(10, p.NumberMatched) {
		t.Errorf("default limit: %d returned", p.NumberReturned)
	}
}

func TestOGCItemsBBox(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	for _, tc := range []struct {
		coll, bbox, table string
		boxes             [][4]float64
	}{
		{"sites", "-20,-40,60,40", "site", [][4]float64{{-20, -40, 60, 40}}},
		{"countries", "-20,-40,60,40", "country", [][4]float64{{-20, -40, 60, 40}}},
		// Crossing the antimeridian: Fiji, the Pacific and Russia's far east.
		{"countries", "170,-50,-170,70", "country", [][4]float64{{170, -50, 180, 70}, {-180, -50, -170, 70}}},
		{"countries", "-170,-50,170,70", "country", [][4]float64{{-170, -50, 170, 70}}},
		{"sites", "100,-50,-60,70", "site", [][4]float64{{100, -50, 180, 70}, {-180, -50, -60, 70}}},
		{"sites", "-20,-40,0,60,40,0", "site", [][4]float64{{-20, -40, 60, 40}}},
	} {
		ids, matched := readAll(t, a, "/ogc/collections/"+tc.coll+"/items?limit=100&bbox="+tc.bbox)
		var conds []string
		var args []any
		for _, b := range tc.boxes {
			n := len(args)
			conds = append(conds, "ST_Intersects(geom, ST_MakeEnvelope($"+itoa(n+1)+", $"+itoa(n+2)+", $"+itoa(n+3)+", $"+itoa(n+4)+", 4326))")
			args = append(args, b[0], b[1], b[2], b[3])
		}
		want := dbCount(t, a, "SELECT count(*) FROM "+tc.table+" WHERE "+strings.Join(conds, " OR "), args...)
		if len(ids) != want || matched != want || want == 0 {
			t.Errorf("%s bbox=%s: %d features (numberMatched %d), PostGIS counts %d", tc.coll, tc.bbox, len(ids), matched, want)
		}
	}
	// The two readings of the same numbers differ (pg_featureserv answers both alike).
	var across, inside ogcPage
	getJSON(t, a, "/ogc/collections/countries/items?limit=500&resolution=110m&bbox=170,-50,-170,70", &across)
	getJSON(t, a, "/ogc/collections/countries/items?limit=500&resolution=110m&bbox=-170,-50,170,70", &inside)
	if across.NumberMatched == inside.NumberMatched || across.NumberMatched == 0 {
		t.Errorf("antimeridian box matched %d, its complement %d", across.NumberMatched, inside.NumberMatched)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestOGCItemsDatetime(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	overlap := `SELECT count(*) FROM site WHERE (valid_from IS NULL OR valid_from <= $2::date) AND (valid_to IS NULL OR valid_to > $1::date)`
	for _, tc := range []struct {
		datetime string
		from, to any
	}{
		{"2019-06-01", "2019-06-01", "2019-06-01"},
		{"2019-06-01T12:30:00Z", "2019-06-01", "2019-06-01"},
		{"2015-01-01/2018-12-31", "2015-01-01", "2018-12-31"},
		{"../2016-01-01", "0001-01-01", "2016-01-01"},
		{"2022-01-01/..", "2022-01-01", "9999-12-31"},
		{"/2016-01-01", "0001-01-01", "2016-01-01"},
	} {
		ids, _ := readAll(t, a, "/ogc/collections/sites/items?limit=100&datetime="+url.QueryEscape(tc.datetime))
		want := dbCount(t, a, overlap, tc.from, tc.to)
		if len(ids) != want {
			t.Errorf("datetime=%s: %d sites, PostGIS counts %d", tc.datetime, len(ids), want)
		}
	}
	all, _ := readAll(t, a, "/ogc/collections/sites/items?limit=1000")
	early, _ := readAll(t, a, "/ogc/collections/sites/items?limit=1000&datetime=2005-01-01")
	if len(early) >= len(all) {
		t.Errorf("datetime=2005-01-01 keeps %d of %d sites", len(early), len(all))
	}

	// assessments: the rows valid on a date are those the profile would use.
	rows, _ := readAll(t, a, "/ogc/collections/assessments/items?limit=1000&country=CHN&datetime=2020-01-01")
	var v1 struct {
		Total int `json:"total"`
	}
	getJSON(t, a, "/api/v1/assessments?country=CHN&as_of=2020-01-01&limit=1", &v1)
	if len(rows) != v1.Total || v1.Total == 0 {
		t.Errorf("CHN assessments valid on 2020-01-01: %d, /api/v1/assessments says %d", len(rows), v1.Total)
	}
}

func TestOGCCountriesAgreeWithIndex(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	for _, date := range []string{"", "2020-06-30"} {
		var idx struct {
			Countries []struct {
				ISO3     string   `json:"iso3"`
				Index    *float64 `json:"index"`
				Band     string   `json:"band"`
				Coverage float64  `json:"coverage"`
			} `json:"countries"`
		}
		path, ogc := "/api/v1/index", "/ogc/collections/countries/items?limit=1000&resolution=110m"
		if date != "" {
			path += "?as_of=" + date
			ogc += "&datetime=" + date
		}
		getJSON(t, a, path, &idx)
		var p ogcPage
		getJSON(t, a, ogc, &p)
		byISO := map[string]map[string]any{}
		for _, f := range p.Features {
			byISO[f.ID.(string)] = f.Properties
		}
		assessed := 0
		for _, c := range idx.Countries {
			props, ok := byISO[c.ISO3]
			if !ok {
				t.Errorf("%s %s: in /api/v1/index, not in the countries collection", date, c.ISO3)
				continue
			}
			want := any(nil)
			if c.Index != nil {
				want = *c.Index
				assessed++
			}
			if props["index"] != want || props["band"] != c.Band || props["coverage"] != c.Coverage {
				t.Errorf("%s %s: OGC index %v band %v coverage %v; /api/v1/index %v %s %v", date, c.ISO3,
					props["index"], props["band"], props["coverage"], want, c.Band, c.Coverage)
			}
		}
		if assessed == 0 {
			t.Errorf("%s: no country assessed", date)
		}
	}
	wantProblem(t, a.get("/ogc/collections/countries/items?datetime=2999-01-01"), http.StatusBadRequest, "datetime")
}

func TestOGCSingleFeature(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	var page ogcPage
	getJSON(t, a, "/ogc/collections/sites/items?limit=1", &page)
	siteID := itoaAny(page.Features[0].ID)
	getJSON(t, a, "/ogc/collections/assessments/items?limit=1", &page)
	assessmentID := itoaAny(page.Features[0].ID)
	for _, path := range []string{"/ogc/collections/sites/items/" + siteID, "/ogc/collections/assessments/items/" + assessmentID,
		"/ogc/collections/countries/items/KEN", "/ogc/collections/countries/items/KEN?resolution=110m&datetime=2021-01-01"} {
		var f struct {
			Type  string    `json:"type"`
			Links []ogcLink `json:"links"`
		}
		getJSON(t, a, path, &f)
		coll := strings.Split(path, "/")[3]
		for rel, typ := range map[string]string{"self": "application/geo+json", "alternate": "application/json", "collection": "application/json"} {
			l, ok := linkOf(f.Links, rel)
			if !ok || l.Type != typ {
				t.Errorf("%s: %s link %+v, want type %s", path, rel, l, typ)
			}
		}
		if l, _ := linkOf(f.Links, "collection"); localPath(t, l.Href) != "/ogc/collections/"+coll {
			t.Errorf("%s: collection link %s", path, l.Href)
		}
		alt, _ := linkOf(f.Links, "alternate")
		w := a.get(localPath(t, alt.Href))
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%s: alternate %s answers %d %q", path, alt.Href, w.Code, w.Header().Get("Content-Type"))
		}
	}
	wantProblem(t, a.get("/ogc/collections/sites/items/999999"), http.StatusNotFound, "")
	wantProblem(t, a.get("/ogc/collections/sites/items/abc"), http.StatusNotFound, "")
	wantProblem(t, a.get("/ogc/collections/countries/items/ZZZ"), http.StatusNotFound, "")
	wantProblem(t, a.get("/ogc/collections/sites/items/"+siteID+"?limit=3"), http.StatusBadRequest, "limit")
}

func itoaAny(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestOGCItemsRefuseBadParameters(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	for _, tc := range []struct{ query, field string }{
		{"foo=bar", "foo"},
		{"limit=0", "limit"},
		{"limit=abc", "limit"},
		{"limit=-5", "limit"},
		{"bbox=1,2,3", "bbox"},
		{"bbox=1,2,3,x", "bbox"},
		{"bbox=0,10,5,-10", "bbox"},
		{"bbox=0,0,200,10", "bbox"},
		{"bbox=0,0,1,x,1,1", "bbox"},
		{"datetime=yesterday", "datetime"},
		{"datetime=2020-01-01/2019-01-01", "datetime"},
		{"datetime=..", "datetime"},
		{"datetime=2020-01-01/2021-01-01/2022-01-01", "datetime"},
		{"datetime=2020-13-01", "datetime"},
		{"f=xml", "f"},
		{"cursor=garbage", "cursor"},
		{"status=active&status=planned", "status"},
		{"resolution=10m", "resolution"},
		{"iso3=KEN", "iso3"}, // a countries filter, not a sites one
	} {
		wantProblem(t, a.get("/ogc/collections/sites/items?"+tc.query), http.StatusBadRequest, tc.field)
	}
	// A cursor only continues the query it was issued for.
	var p ogcPage
	getJSON(t, a, "/ogc/collections/sites/items?limit=2&status=active", &p)
	next, _ := linkOf(p.Links, "next")
	u, _ := url.Parse(next.Href)
	cur := u.Query().Get("cursor")
	wantProblem(t, a.get("/ogc/collections/sites/items?limit=2&status=planned&cursor="+cur), http.StatusBadRequest, "cursor")
	wantProblem(t, a.get("/ogc/collections/countries/items?band=x&foo=1"), http.StatusBadRequest, "foo")
}

func TestOGCCaching(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	for _, path := range []string{"/ogc", "/ogc/collections", "/ogc/api", "/ogc/collections/sites/items?limit=3&bbox=-20,-40,60,40",
		"/ogc/collections/countries/items/KEN", "/ogc/collections/sites/queryables"} {
		w := a.get(path)
		etag := w.Header().Get("ETag")
		if w.Code != http.StatusOK || etag == "" || strings.HasPrefix(etag, "W/") || w.Header().Get("Cache-Control") == "" {
			t.Errorf("%s: %d, ETag %q, Cache-Control %q; want a strong ETag", path, w.Code, etag, w.Header().Get("Cache-Control"))
			continue
		}
		if w := a.get(path, "If-None-Match", etag); w.Code != http.StatusNotModified {
			t.Errorf("%s with If-None-Match: %d, want 304", path, w.Code)
		}
		gz := a.get(path, "Accept-Encoding", "gzip")
		if gz.Header().Get("Content-Encoding") != "gzip" || gz.Header().Get("ETag") == etag {
			t.Errorf("%s gzip: encoding %q, ETag %q (identity %q): a strong ETag names one coding", path,
				gz.Header().Get("Content-Encoding"), gz.Header().Get("ETag"), etag)
		}
	}
	// Links name the host asked, and the cache keeps hosts apart.
	req := func(host string) string {
		w := a.getHost("/ogc", host)
		return w.Body.String()
	}
	if b := req("tracker.example.org"); !strings.Contains(b, "http://tracker.example.org/ogc/collections") {
		t.Errorf("landing page for host tracker.example.org: %s", truncate(b))
	}
	if b := req("example.com"); strings.Contains(b, "tracker.example.org") {
		t.Errorf("landing page for example.com names another host: %s", truncate(b))
	}
}

func TestOGCQueryables(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	w := a.get("/ogc/collections/sites/queryables")
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/schema+json" {
		t.Fatalf("queryables: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	var q struct {
		Properties map[string]map[string]any `json:"properties"`
	}
	decode(t, w, &q)
	if q.Properties["status"]["type"] != "string" || q.Properties["valid_from"]["format"] != "date" ||
		q.Properties["geometry"]["format"] != "geometry-point" {
		t.Errorf("sites queryables: %v", q.Properties)
	}
	wantProblem(t, a.get("/ogc/collections/nope/queryables"), http.StatusNotFound, "")

	// The features' schema, linked from the collection as describedby.
	var coll struct {
		Links []ogcLink `json:"links"`
	}
	getJSON(t, a, "/ogc/collections/assessments", &coll)
	l, ok := linkOf(coll.Links, "describedby")
	if !ok || l.Type != "application/schema+json" {
		t.Fatalf("assessments: describedby link %+v", l)
	}
	w = a.get(localPath(t, l.Href))
	var schema struct {
		Properties struct {
			Properties struct {
				Properties map[string]map[string]any `json:"properties"`
			} `json:"properties"`
		} `json:"properties"`
	}
	decode(t, w, &schema)
	props := schema.Properties.Properties.Properties
	if props["level"]["type"] != "integer" || props["recorded_at"]["format"] != "date-time" || len(props) != 11 {
		t.Errorf("assessments schema properties: %v", props)
	}
	wantProblem(t, a.get("/ogc/collections/nope/schema"), http.StatusNotFound, "")
	wantProblem(t, a.get("/ogc/collections/sites/schema?x=1"), http.StatusBadRequest, "x")
}

// getHost sends a GET naming another Host.
func (a *testAPI) getHost(path, host string) *httptest.ResponseRecorder {
	a.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Host = host
	w := httptest.NewRecorder()
	a.router.ServeHTTP(w, req)
	checkOpenAPI(a.t, req, w)
	return w
}

// TestOGCRoutesMatchDocument: every /ogc route gin serves is in api/ogc.yaml
// and every path there is served (with its collection ids spelled out).
func TestOGCRoutesMatchDocument(t *testing.T) {
	t.Parallel()
	s := ogcSpec(t)
	a := newOfflineAPI(t)
	expand := func(p string) []string {
		p = strings.ReplaceAll(ginPath(p), "{collection}", "{collectionId}")
		if !strings.Contains(p, "{collectionId}/items") || strings.Contains(p, "{featureId}") {
			return []string{p}
		}
		var out []string
		for _, c := range []string{"countries", "sites", "assessments"} {
			out = append(out, strings.ReplaceAll(p, "{collectionId}", c))
		}
		return out
	}
	served := map[string]bool{}
	for _, r := range a.router.Routes() {
		if !isOGCPath(r.Path) {
			continue
		}
		for _, p := range expand(r.Path) {
			served[r.Method+" "+p] = true
			if s.doc.Paths.Find(p).GetOperation(r.Method) == nil {
				t.Errorf("gin serves %s %s, which api/ogc.yaml does not document", r.Method, p)
			}
		}
	}
	for path, item := range s.doc.Paths.Map() {
		for method := range item.Operations() {
			if !served[method+" "+path] {
				t.Errorf("api/ogc.yaml documents %s %s, which gin does not serve", method, path)
			}
		}
	}
}

func TestOGCSingleFeatureRefusals(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	for _, tc := range []struct{ path, field string }{
		{"/ogc/collections/countries/items/KEN?datetime=soon", "datetime"},
		{"/ogc/collections/countries/items/KEN?resolution=1m", "resolution"},
		{"/ogc/collections/countries/items/KEN?f=html", "f"},
		{"/ogc/collections/countries/items/KEN?bbox=0,0,1,1", "bbox"},
		{"/ogc/collections/sites/items/1?datetime=2020-01-01", "datetime"},
		// Before China has any assessment there is no index to give (as /api/v1/index refuses it).
		{"/ogc/collections/countries/items?datetime=1950-01-01", "datetime"},
		{"/ogc/collections/countries/items/KEN?datetime=1950-01-01", "datetime"},
		{"/ogc/collections/countries/items?datetime=1899-12-31", "datetime"},
	} {
		wantProblem(t, a.get(tc.path), http.StatusBadRequest, tc.field)
	}
}
