package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/scs-diffusion/tracker/api"
	"github.com/scs-diffusion/tracker/store/storetest"
)

func TestHealth(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, false)
	if w := a.get("/healthz"); w.Code != 200 {
		t.Errorf("healthz %d", w.Code)
	}
	if w := a.get("/readyz"); w.Code != 200 {
		t.Errorf("readyz %d: %s", w.Code, w.Body)
	}
	if w := a.get("/readyz"); w.Header().Get("X-Request-ID") == "" {
		t.Error("no X-Request-ID header")
	}
	if w := a.get("/healthz", "X-Request-ID", "abc-123"); w.Header().Get("X-Request-ID") != "abc-123" {
		t.Errorf("request id not echoed: %q", w.Header().Get("X-Request-ID"))
	}
	// The database goes away: readyz says 503, healthz stays up.
	ctx := context.Background()
	conn, err := a.db.Store.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(ctx, "DROP TABLE schema_version")
	conn.Release()
	if err != nil {
		t.Fatal(err)
	}
	wantProblem(t, a.get("/readyz"), http.StatusServiceUnavailable, "")
	// As if the database were stopped: its connections are killed and it is gone.
	admin, err := pgx.Connect(ctx, storetest.AdminURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "DROP DATABASE "+a.db.Name+" WITH (FORCE)"); err != nil {
		t.Fatal(err)
	}
	wantProblem(t, a.get("/readyz"), http.StatusServiceUnavailable, "")
	if w := a.get("/healthz"); w.Code != 200 {
		t.Errorf("healthz with database down: %d", w.Code)
	}
}

func TestCountryList(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	type list struct {
		Countries []struct{ ISO3, ISO2, Name, Region, Subregion string }
		Total     int
		Next      *string
	}
	var all list
	decode(t, a.get("/api/v1/countries?limit=500"), &all)
	if all.Total < 235 || len(all.Countries) != all.Total || all.Next != nil {
		t.Fatalf("limit=500: %d of %d countries, next %v", len(all.Countries), all.Total, all.Next)
	}
	// Pagination walks every country once.
	seen := map[string]bool{}
	path := "/api/v1/countries?limit=100&sort=iso3"
	for pages := 0; path != ""; pages++ {
		var l list
		decode(t, a.get(path), &l)
		for _, c := range l.Countries {
			if seen[c.ISO3] {
				t.Fatalf("%s seen twice", c.ISO3)
			}
			seen[c.ISO3] = true
		}
		path = ""
		if l.Next != nil {
			path = *l.Next
		}
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
	}
	if len(seen) != all.Total {
		t.Errorf("pagination saw %d countries, want %d", len(seen), all.Total)
	}
	tests := []struct {
		path string
		want []string // iso3 codes expected in the result, in order when ordered
		n    int      // expected count, -1 for any
	}{
		{"/api/v1/countries?q=cote", []string{"CIV"}, 1},
		{"/api/v1/countries?q=C%C3%B4TE", []string{"CIV"}, 1},
		{"/api/v1/countries?q=fra", []string{"FRA"}, -1},
		{"/api/v1/countries?q=100%25", nil, 0},
		{"/api/v1/countries?region=europe&subregion=Western%20Europe&sort=-name", []string{"CHE", "NLD"}, -1},
		{"/api/v1/countries?subregion=Southern%20Africa&sort=name", []string{"BWA", "SWZ", "LSO", "NAM", "ZAF"}, 5},
	}
	for _, tt := range tests {
		var l list
		w := a.get(tt.path)
		if w.Code != 200 {
			t.Errorf("%s: %d %s", tt.path, w.Code, w.Body)
			continue
		}
		decode(t, w, &l)
		var got []string
		for _, c := range l.Countries {
			got = append(got, c.ISO3)
		}
		if tt.n >= 0 && len(got) != tt.n {
			t.Errorf("%s: %d results %v, want %d", tt.path, len(got), got, tt.n)
		}
		if tt.n == len(tt.want) && fmt.Sprint(got) != fmt.Sprint(tt.want) && tt.n > 0 {
			t.Errorf("%s: got %v, want %v", tt.path, got, tt.want)
		}
		for _, want := range tt.want {
			if !contains(got, want) {
				t.Errorf("%s: %v lacks %s", tt.path, got, want)
			}
		}
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestCountryDetail(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	var c struct {
		ISO3, ISO2, Name, Region, Subregion string
		ISONumeric                          string     `json:"iso_numeric"`
		LabelPoint                          [2]float64 `json:"label_point"`
		BBox                                [4]float64
		AreaKm2                             float64 `json:"area_km2"`
		Neighbours                          []struct{ ISO3, Name string }
	}
	for _, path := range []string{"/api/v1/countries/FRA", "/api/v1/countries/fra"} {
		w := a.get(path)
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body)
		}
		decode(t, w, &c)
		if c.ISO3 != "FRA" || c.ISO2 != "FR" || c.ISONumeric != "250" || c.Region != "Europe" || c.Subregion != "Western Europe" {
			t.Errorf("%s: %+v", path, c)
		}
	}
	if c.LabelPoint[0] < -5 || c.LabelPoint[0] > 8 || c.LabelPoint[1] < 42 || c.LabelPoint[1] > 51 {
		t.Errorf("France label point %v is not in metropolitan France", c.LabelPoint)
	}
	var names []string
	for _, n := range c.Neighbours {
		names = append(names, n.Name)
	}
	if !contains(names, "Spain") || !contains(names, "Brazil") || c.AreaKm2 < 5e5 {
		t.Errorf("neighbours %v, area %v", names, c.AreaKm2)
	}
}

func TestCountryErrors(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	tests := []struct {
		path   string
		status int
		field  string
	}{
		{"/api/v1/countries/XYZ", 404, ""},
		{"/api/v1/countries/FR", 400, "iso3"},
		{"/api/v1/countries/FRAN", 400, "iso3"},
		{"/api/v1/countries/F1A", 400, "iso3"},
		{"/api/v1/countries?limit=0", 400, "limit"},
		{"/api/v1/countries?limit=501", 400, "limit"},
		{"/api/v1/countries?limit=ten", 400, "limit"},
		{"/api/v1/countries?cursor=garbage!", 400, "cursor"},
		{"/api/v1/countries?cursor=eyJvIjoxMCwicSI6Im90aGVyIn0", 400, "cursor"},
		{"/api/v1/countries?sort=population", 400, "sort"},
		{"/api/v1/countries?colour=red", 400, "colour"},
		{"/api/v1/countries?q=a&q=b", 400, "q"},
		{"/api/v1/geo/countries.geojson?resolution=10m", 400, "resolution"},
		{"/api/v1/nothing-here", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			wantProblem(t, a.get(tt.path), tt.status, tt.field)
		})
	}
	w := a.do(http.MethodPost, "/api/v1/countries", "{}")
	wantProblem(t, w, http.StatusMethodNotAllowed, "")
}

func TestCountriesGeoJSON(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	sizes := map[string]int{}
	for _, res := range []string{"110m", "50m"} {
		w := a.get("/api/v1/geo/countries.geojson?resolution="+res, "Accept-Encoding", "gzip")
		if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: %d, encoding %q", res, w.Code, w.Header().Get("Content-Encoding"))
		}
		sizes[res] = w.Body.Len()
		zr, err := gzip.NewReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(zr)
		fc, err := geojson.UnmarshalFeatureCollection(body)
		if err != nil {
			t.Fatalf("%s: orb cannot parse the collection: %v", res, err)
		}
		if len(fc.Features) < 235 {
			t.Errorf("%s: %d features", res, len(fc.Features))
		}
		for _, f := range fc.Features {
			if f.ID != f.Properties["iso3"] || f.Properties["name"] == "" {
				t.Errorf("%s: feature id %v properties %v", res, f.ID, f.Properties)
			}
			if _, ok := f.Geometry.(orb.MultiPolygon); !ok {
				t.Errorf("%s: %v geometry is %T", res, f.ID, f.Geometry)
			}
		}
		etag := w.Header().Get("ETag")
		if etag == "" || w.Header().Get("Cache-Control") == "" {
			t.Errorf("%s: ETag %q Cache-Control %q", res, etag, w.Header().Get("Cache-Control"))
		}
		if w2 := a.get("/api/v1/geo/countries.geojson?resolution="+res, "If-None-Match", etag); w2.Code != http.StatusNotModified || w2.Body.Len() != 0 {
			t.Errorf("%s: If-None-Match gave %d with %d bytes", res, w2.Code, w2.Body.Len())
		}
		plain := a.get("/api/v1/geo/countries.geojson?resolution=" + res)
		if plain.Header().Get("Content-Encoding") != "" || !bytes.Equal(plain.Body.Bytes(), body) {
			t.Errorf("%s: identity encoding differs from gzip body", res)
		}
	}
	if sizes["110m"] >= sizes["50m"] || sizes["110m"] > 150_000 {
		t.Errorf("gzipped sizes %v: 110m should be smaller than 50m and small", sizes)
	}
	if w := a.get("/api/v1/geo/countries.geojson"); w.Code != 200 {
		t.Errorf("default resolution: %d", w.Code)
	}
}

func TestMethodologyPage(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, false)
	w := a.get("/methodology")
	if w.Code != 200 || w.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("/methodology: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	body := w.Body.String()
	for _, want := range []string{"<table>", "Worked example", `href="/docs"`} {
		if !bytes.Contains([]byte(body), []byte(want)) {
			t.Errorf("/methodology lacks %q", want)
		}
	}
	if bytes.Contains([]byte(body), []byte("http://")) || bytes.Contains([]byte(body), []byte("<script")) {
		t.Error("/methodology must load nothing from elsewhere")
	}
}

func TestRequestLimits(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, false)
	big := string(make([]byte, 2<<20))
	w := a.do(http.MethodPost, "/api/v1/countries", big, "Content-Type", "application/json")
	wantProblem(t, w, http.StatusRequestEntityTooLarge, "body")
	// A long or hostile query is a 400 naming the parameter, never a 500.
	long := make([]byte, 2000)
	for i := range long {
		long[i] = 'a'
	}
	wantProblem(t, a.get("/api/v1/countries?q="+string(long)), http.StatusBadRequest, "q")
	wantProblem(t, a.get("/api/v1/countries/%00%00%00"), http.StatusBadRequest, "iso3")
}

func TestHeadAndWebAppRoutes(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, false)
	h := api.HeadAsGet(a.router)
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, path := range []string{"/healthz", "/readyz", "/api/v1/openapi.json", "/methodology"} {
		res, err := http.Head(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || len(body) != 0 {
			t.Errorf("HEAD %s: %d with %d body bytes, want 200 and none", path, res.StatusCode, len(body))
		}
	}
	// With a web app: client-side paths get index.html (uncached, with a CSP); bare API
	// prefixes and missing assets are 404 problems, not the app.
	ui := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>app</title>")},
		"assets/app-1234.js": {Data: []byte("console.log(1)")}}
	r := newRouter(t, nil, func(d *api.Deps) { d.Frontend = ui })
	serve := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w
	}
	for _, path := range []string{"/", "/index.html", "/?view=compare&compare=RUS,IRN"} {
		w := serve(path)
		if w.Code != 200 || !strings.Contains(w.Body.String(), "<title>app</title>") ||
			w.Header().Get("Cache-Control") != "no-cache" || w.Header().Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: %d, Cache-Control %q", path, w.Code, w.Header().Get("Cache-Control"))
		}
	}
	if w := serve("/assets/app-1234.js"); w.Code != 200 || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("hashed asset: %d, Cache-Control %q", w.Code, w.Header().Get("Cache-Control"))
	}
	// Paths that are not the app's own pages are 404 problems, not the app (Prometheus
	// scrapers probing /metrics, typos, old links).
	for _, path := range []string{"/api", "/api/", "/assets", "/assets/missing.js", "/docs/../etc/passwd", "/metrics",
		"/compare/RUS,IRN", "/no/such/page"} {
		w := serve(path)
		if w.Code != http.StatusNotFound && w.Code != http.StatusMovedPermanently {
			t.Errorf("GET %s: %d, want a 404", path, w.Code)
		}
		if strings.Contains(w.Body.String(), "<title>app</title>") {
			t.Errorf("GET %s served the web app", path)
		}
		if w.Code == http.StatusNotFound && w.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("GET %s: 404 as %q, want application/problem+json", path, w.Header().Get("Content-Type"))
		}
	}
}

func TestRateLimitAnswers429(t *testing.T) {
	t.Parallel()
	r := newRouter(t, nil, func(d *api.Deps) { d.RateLimit = 1 })
	var last *httptest.ResponseRecorder
	for i := 0; i < 25; i++ { // the burst is 20
		last = httptest.NewRecorder()
		r.ServeHTTP(last, httptest.NewRequest(http.MethodGet, "/api/v1/nothing", nil))
	}
	wantProblem(t, last, http.StatusTooManyRequests, "")
	if last.Header().Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if w.Code != 200 {
		t.Errorf("/healthz is rate-limited: %d", w.Code)
	}
}
