package api_test

// Tests of the read API (issue 3) against the real router, store and
// PostGIS with the shipped dataset. Expected figures are worked out by hand
// from data/dataset/*.yaml and the formula of DESIGN.md §2 (default weights:
// each pillar 1, split evenly among its capabilities; unassessed
// capabilities count 0; capabilities the reference lacks do not count).

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// indexBody is the /api/v1/index response.
type indexBody struct {
	DatasetVersion string                    `json:"dataset_version"`
	Revision       int64                     `json:"revision"`
	AsOf           string                    `json:"as_of"`
	Reference      string                    `json:"reference"`
	Weights        string                    `json:"weights"`
	TimeRange      struct{ Min, Max string } `json:"time_range"`
	Countries      []indexRow                `json:"countries"`
}

// indexRow is one country of /api/v1/index.
type indexRow struct {
	ISO3     string              `json:"iso3"`
	Assessed bool                `json:"assessed"`
	Index    *float64            `json:"index"`
	Band     string              `json:"band"`
	Coverage float64             `json:"coverage"`
	Pillars  map[string]*float64 `json:"pillars"`
	Levels   map[string]int      `json:"levels"`
}

func (r indexRow) String() string {
	idx := "null"
	if r.Index != nil {
		idx = fmt.Sprint(*r.Index)
	}
	return fmt.Sprintf("%s{assessed %v index %s band %s coverage %v levels %v}", r.ISO3, r.Assessed, idx, r.Band, r.Coverage, r.Levels)
}

// todayUTC is the server's default as_of (UTC).
func todayUTC() string { return time.Now().UTC().Format(time.DateOnly) }

// tomorrowUTC is the first date the API must refuse as "in the future".
func tomorrowUTC() string { return time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly) }

// getJSON sends a GET, requires 200 and decodes the body into v.
func getJSON(t *testing.T, a *testAPI, path string, v any) {
	t.Helper()
	w := a.get(path)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, w.Code, truncate(w.Body.String()))
	}
	decode(t, w, v)
}

// getIndex fetches /api/v1/index with the query and returns rows by ISO3.
func getIndex(t *testing.T, a *testAPI, query string) (indexBody, map[string]indexRow) {
	t.Helper()
	var b indexBody
	getJSON(t, a, "/api/v1/index"+query, &b)
	rows := make(map[string]indexRow, len(b.Countries))
	for _, c := range b.Countries {
		if _, dup := rows[c.ISO3]; dup {
			t.Errorf("index%s lists %s twice", query, c.ISO3)
		}
		rows[c.ISO3] = c
	}
	return b, rows
}

// wantIndex checks a country's index to two decimals; want < 0 means not assessed.
func wantIndex(t *testing.T, rows map[string]indexRow, iso3 string, want float64) {
	t.Helper()
	r, ok := rows[iso3]
	switch {
	case !ok:
		t.Errorf("%s missing", iso3)
	case want < 0 && (r.Index != nil || r.Assessed || r.Band != "not_assessed" || r.Coverage != 0):
		t.Errorf("got %v, want not assessed (index null, band not_assessed, coverage 0)", r)
	case want >= 0 && (r.Index == nil || math.Abs(*r.Index-want) > 0.005 || !r.Assessed):
		t.Errorf("got %v, want index %v", r, want)
	}
}

func TestIndexEveryCountry(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	rev, err := a.db.Store.CurrentRevision(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var list struct{ Total int }
	getJSON(t, a, "/api/v1/countries?limit=1", &list)
	b, rows := getIndex(t, a, "")
	if len(b.Countries) < 235 || len(rows) != list.Total {
		t.Errorf("index has %d countries (%d distinct), /countries has %d", len(b.Countries), len(rows), list.Total)
	}
	if b.AsOf != todayUTC() || b.Reference != "CHN" || b.Weights != "" || b.DatasetVersion != rev.Version || b.Revision != rev.Revision {
		t.Errorf("as_of %q reference %q weights %q version %q revision %d; want %s, CHN, default, %s, %d",
			b.AsOf, b.Reference, b.Weights, b.DatasetVersion, b.Revision, todayUTC(), rev.Version, rev.Revision)
	}
	chn := rows["CHN"]
	wantIndex(t, rows, "CHN", 100)
	if chn.Coverage != 1 || chn.Band != "comparable" || len(chn.Levels) != 24 || len(chn.Pillars) != 6 {
		t.Errorf("CHN %v: want coverage 1, band comparable, 24 levels, 6 pillars", chn)
	}
	for p, s := range chn.Pillars {
		if s == nil || *s != 100 {
			t.Errorf("CHN pillar %s = %v, want 100", p, s)
		}
	}
	// Iceland has no assessment: not assessed, which is not 0.
	wantIndex(t, rows, "ISL", -1)
	if len(rows["ISL"].Levels) != 0 {
		t.Errorf("ISL levels %v, want none", rows["ISL"].Levels)
	}
	// Venezuela: credit_platform 3 of China's 4 (weight 1/3) and
	// access_restriction 3 of 4 (weight 1/6), over 6 pillars: 100·0.375/6.
	wantIndex(t, rows, "VEN", 6.25)
	ven := rows["VEN"]
	if ven.Coverage != 0.083 || ven.Band != "none" || fmt.Sprint(ven.Levels) != "map[integration.credit_platform:3 sanctions.access_restriction:3]" {
		t.Errorf("VEN %v: want coverage 0.083, band none and the two level-3 capabilities", ven)
	}
	if b.TimeRange.Max != todayUTC() || b.TimeRange.Min == "" || b.TimeRange.Min > "2013-01-01" {
		t.Errorf("time_range %+v: want max today and min no later than China's first assessments", b.TimeRange)
	}
}

func TestIndexTimeTravel(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	tests := []struct {
		name, asOf, iso3 string
		index            float64        // -1: not assessed, -2: not checked
		levels           map[string]int // nil: not checked
	}{
		{"China against itself, today", todayUTC(), "CHN", 100, nil},
		{"China against itself, 2018", "2018-06-01", "CHN", 100, nil},
		{"China against itself, first assessments", "2013-02-01", "CHN", 100,
			map[string]int{"identity.biometric_id": 4, "identity.real_name_online": 3}},
		// China's credit_platform was 3 in 2018; capabilities it lacked then do not count, and each
		// pillar keeps its weight, split over the capabilities China had (checked by hand: 8.06).
		{"Venezuela 2018", "2018-06-01", "VEN", 8.06, nil},
		{"Venezuela before its 2017 assessments", "2016-06-01", "VEN", -1, nil},
		{"Serbia 2016, memorandum only", "2016-01-01", "SRB", -2,
			map[string]int{"surveillance.cctv_network": 1, "surveillance.facial_recognition": 1}},
		{"Serbia today, Belgrade cameras", todayUTC(), "SRB", -2,
			map[string]int{"surveillance.cctv_network": 2, "surveillance.facial_recognition": 2}},
		{"Netherlands before SyRI", "2013-06-01", "NLD", -1, nil},
		{"Netherlands during SyRI", "2015-01-01", "NLD", -2, map[string]int{"rating.risk_profiling": 3}},
		// After the ruling NLD is assessed at level 0: index 0, which is not "not assessed".
		{"Netherlands after the SyRI ruling", "2021-01-01", "NLD", 0, map[string]int{"rating.risk_profiling": 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, rows := getIndex(t, a, "?as_of="+tt.asOf)
			if b.AsOf != tt.asOf {
				t.Errorf("as_of %q, want %q", b.AsOf, tt.asOf)
			}
			if tt.index != -2 {
				wantIndex(t, rows, tt.iso3, tt.index)
			}
			if tt.levels != nil && fmt.Sprint(rows[tt.iso3].Levels) != fmt.Sprint(tt.levels) {
				t.Errorf("%s levels on %s = %v, want %v", tt.iso3, tt.asOf, rows[tt.iso3].Levels, tt.levels)
			}
		})
	}
	// Serbia's index grows with its level.
	_, before := getIndex(t, a, "?as_of=2016-01-01")
	_, now := getIndex(t, a, "")
	if *before["SRB"].Index >= *now["SRB"].Index {
		t.Errorf("SRB index 2016 %v, today %v: want growth", before["SRB"], now["SRB"])
	}
}

func TestIndexReferenceAndWeights(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	_, def := getIndex(t, a, "")
	// Russia today: private_to_state 4≥3 (1/3), mobility and joint punishment
	// 4 of 4 (2/6), facial recognition 2 of 3 (1/4·2/3): 100·(5/6)/6.
	wantIndex(t, def, "RUS", 13.89)

	b, rus := getIndex(t, a, "?reference=rus")
	if b.Reference != "RUS" {
		t.Errorf("reference %q, want RUS", b.Reference)
	}
	wantIndex(t, rus, "RUS", 100)
	// China against Russia's model, computed by hand from the data files with DESIGN §2's formula.
	wantIndex(t, rus, "CHN", 91.67)
	wantIndex(t, rus, "ISL", -1)

	b, w := getIndex(t, a, "?weights=sanctions:3")
	if b.Weights != "sanctions:3" {
		t.Errorf("weights echoed as %q, want sanctions:3", b.Weights)
	}
	wantIndex(t, w, "CHN", 100)
	// Sanctions weigh 3 of 8: 100·(1/3 + 3·2/6 + 1/6)/8.
	wantIndex(t, w, "RUS", 18.75)
	changed := 0
	for iso, r := range w {
		if r.Index != nil && def[iso].Index != nil && *r.Index != *def[iso].Index {
			changed++
		}
	}
	if changed < 10 {
		t.Errorf("weights=sanctions:3 changed %d indexes, want many", changed)
	}
	// A capability weight: only facial recognition counts.
	_, fr := getIndex(t, a, "?weights=identity:0,integration:0,rating:0,sanctions:0,surveillance:0,governance:0,surveillance.facial_recognition:1")
	wantIndex(t, fr, "IRN", 100) // Iran's 3 matches China's 3
	wantIndex(t, fr, "SRB", 66.67)
	wantIndex(t, fr, "VEN", 0)
}

// sameIndex compares two nullable indexes.
func sameIndex(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// gunzip decompresses a gzip body.
func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("body is not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestIndexETagAndGzip(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	rev, err := a.db.Store.CurrentRevision(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	const path = "/api/v1/index?as_of=2018-06-01"
	zw := a.get(path, "Accept-Encoding", "gzip")
	etag := zw.Header().Get("ETag")
	if zw.Code != 200 || zw.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(zw.Header().Get("Vary"), "Accept-Encoding") {
		t.Fatalf("gzip request: %d, Content-Encoding %q, Vary %q", zw.Code, zw.Header().Get("Content-Encoding"), zw.Header().Get("Vary"))
	}
	if !strings.HasPrefix(etag, fmt.Sprintf(`W/"%d-`, rev.Revision)) || zw.Header().Get("Cache-Control") == "" {
		t.Errorf("ETag %q does not carry revision %d, or no Cache-Control", etag, rev.Revision)
	}
	plain := a.get(path)
	if plain.Header().Get("Content-Encoding") != "" || !bytes.Equal(gunzip(t, zw.Body.Bytes()), plain.Body.Bytes()) {
		t.Error("the gzip body does not decompress to the identity body")
	}
	for _, inm := range []string{etag, `"nope", ` + etag, strings.TrimPrefix(etag, "W/")} {
		if w := a.get(path, "If-None-Match", inm, "Accept-Encoding", "gzip"); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
			t.Errorf("If-None-Match %s: %d with %d bytes, want 304 and no body", inm, w.Code, w.Body.Len())
		}
	}
	if w := a.get(path, "If-None-Match", `W/"0-0000"`); w.Code != 200 {
		t.Errorf("stale If-None-Match: %d, want 200", w.Code)
	}
	if other := a.get("/api/v1/index?as_of=2019-06-01"); other.Header().Get("ETag") == etag {
		t.Error("another as_of has the same ETag")
	}
	// Dynamic routes: ETag and 304, checked over a real connection, where
	// net/http's rules for 304 bodies apply as in production.
	srv := httptest.NewServer(a.router)
	t.Cleanup(srv.Close)
	for _, p := range []string{"/api/v1/countries/CHN", "/api/v1/countries?min_index=10", "/api/v1/compare?iso3=RUS,IRN",
		"/api/v1/sites", "/api/v1/export/index.csv", "/api/v1/capabilities"} {
		res, _ := wireGet(t, srv, p, "Accept-Encoding", "gzip")
		tag := res.Header.Get("ETag")
		if res.StatusCode != 200 || !strings.HasPrefix(tag, fmt.Sprintf(`W/"%d-`, rev.Revision)) {
			t.Errorf("%s: %d ETag %q", p, res.StatusCode, tag)
			continue
		}
		if p == "/api/v1/countries/CHN" && res.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: not compressed for a gzip client", p)
		}
		if res, body := wireGet(t, srv, p, "If-None-Match", tag, "Accept-Encoding", "gzip"); res.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("%s If-None-Match: %d with %d bytes, want 304 and no body", p, res.StatusCode, len(body))
		}
	}
}

// wireGet sends a GET over HTTP to srv, without transparent decompression.
func wireGet(t *testing.T, srv *httptest.Server, path string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func TestGeoJSONCarriesIndex(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	_, rows := getIndex(t, a, "")
	var fc struct {
		Features []struct {
			ID         string
			Properties struct {
				ISO3     string   `json:"iso3"`
				Index    *float64 `json:"index"`
				Band     string   `json:"band"`
				Coverage float64  `json:"coverage"`
			}
		}
	}
	getJSON(t, a, "/api/v1/geo/countries.geojson", &fc)
	if len(fc.Features) < 235 {
		t.Fatalf("%d features", len(fc.Features))
	}
	byISO := map[string]bool{}
	for _, f := range fc.Features {
		p := f.Properties
		byISO[p.ISO3] = true
		r, ok := rows[p.ISO3]
		if !ok {
			t.Errorf("feature %s is not in the index", p.ISO3)
			continue
		}
		if !sameIndex(p.Index, r.Index) || p.Band != r.Band || p.Coverage != r.Coverage {
			t.Errorf("feature %+v differs from index %v", p, r)
		}
	}
	for _, iso := range []string{"CHN", "VEN", "ISL", "NLD"} {
		if !byISO[iso] {
			t.Errorf("no feature for %s", iso)
		}
	}
	for _, f := range fc.Features {
		if f.ID == "CHN" && (f.Properties.Index == nil || *f.Properties.Index != 100 || f.Properties.Band != "comparable" || f.Properties.Coverage != 1) {
			t.Errorf("CHN properties %+v, want index 100, comparable, coverage 1", f.Properties)
		}
		if f.ID == "ISL" && (f.Properties.Index != nil || f.Properties.Band != "not_assessed") {
			t.Errorf("ISL properties %+v, want index null and not_assessed", f.Properties)
		}
	}
}

func TestPillarsAndCapabilities(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	var pl struct {
		Pillars []struct {
			Code, Name, Description string
			Capabilities            []string
		}
	}
	getJSON(t, a, "/api/v1/pillars", &pl)
	var got []string
	inPillar := map[string]string{}
	for _, p := range pl.Pillars {
		got = append(got, fmt.Sprintf("%s:%d", p.Code, len(p.Capabilities)))
		for _, c := range p.Capabilities {
			inPillar[c] = p.Code
		}
		if p.Name == "" || p.Description == "" {
			t.Errorf("pillar %s lacks name or description", p.Code)
		}
	}
	if want := "[identity:4 integration:3 rating:4 sanctions:6 surveillance:4 governance:3]"; fmt.Sprint(got) != want {
		t.Errorf("pillars %v, want %s", got, want)
	}
	var cp struct {
		Capabilities []struct{ Code, Name, Pillar, Definition string }
		Scale        []struct {
			Level          int
			Name, Criteria string
		}
	}
	getJSON(t, a, "/api/v1/capabilities", &cp)
	if len(cp.Capabilities) != 24 || len(inPillar) != 24 {
		t.Errorf("%d capabilities, %d in pillars; want 24", len(cp.Capabilities), len(inPillar))
	}
	for _, c := range cp.Capabilities {
		if inPillar[c.Code] != c.Pillar || !strings.HasPrefix(c.Code, c.Pillar+".") || c.Name == "" || c.Definition == "" {
			t.Errorf("capability %+v: pillar lists it under %q", c, inPillar[c.Code])
		}
	}
	if len(cp.Scale) != 5 {
		t.Fatalf("scale has %d levels, want 5", len(cp.Scale))
	}
	for i, s := range cp.Scale {
		if s.Level != i || s.Name == "" || s.Criteria == "" {
			t.Errorf("scale[%d] = %+v", i, s)
		}
	}
}
