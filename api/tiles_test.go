package api_test

import (
	"bytes"
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb/encoding/mvt"
)

type tileJSONDoc struct {
	TileJSON     string   `json:"tilejson"`
	Tiles        []string `json:"tiles"`
	MinZoom      int      `json:"minzoom"`
	MaxZoom      int      `json:"maxzoom"`
	VectorLayers []struct {
		ID     string            `json:"id"`
		Fields map[string]string `json:"fields"`
	} `json:"vector_layers"`
}

// tileURL reads the TileJSON of a layer and returns its tile URL for z/x/y,
// as a path with the query (the test router has no host).
func tileURL(t *testing.T, a *testAPI, layer string, z, x, y int) string {
	t.Helper()
	w := a.get("/tiles/" + layer + ".json")
	if w.Code != http.StatusOK {
		t.Fatalf("/tiles/%s.json: %d %s", layer, w.Code, w.Body.String())
	}
	var doc tileJSONDoc
	decode(t, w, &doc)
	if doc.TileJSON != "3.0.0" || len(doc.Tiles) != 1 || doc.MinZoom != 0 || doc.MaxZoom != 8 ||
		len(doc.VectorLayers) != 1 || doc.VectorLayers[0].ID != layer {
		t.Fatalf("/tiles/%s.json = %+v", layer, doc)
	}
	u, err := url.Parse(strings.NewReplacer("{z}", strconv.Itoa(z), "{x}", strconv.Itoa(x), "{y}", strconv.Itoa(y)).Replace(doc.Tiles[0]))
	if err != nil || u.Scheme != "http" || u.Host != "example.com" {
		t.Fatalf("tile URL %q is not absolute on the request's host: %v", doc.Tiles[0], err)
	}
	return u.RequestURI()
}

// decodeTile reads an MVT body into its layers.
func decodeTile(t *testing.T, w *httptest.ResponseRecorder) mvt.Layers {
	t.Helper()
	body, err := responseBody(w)
	if err != nil {
		t.Fatal(err)
	}
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		t.Fatalf("tile does not decode as MVT: %v", err)
	}
	return layers
}

func TestCountryTiles(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	ctx := context.Background()
	rev, err := a.db.Store.CurrentRevision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	path := tileURL(t, a, "countries", 0, 0, 0)
	if want := "/tiles/countries/0/0/0.mvt?v=" + strconv.FormatInt(rev.Revision, 10); path != want {
		t.Fatalf("TileJSON names %s, want %s", path, want)
	}

	var behindTLS tileJSONDoc
	decode(t, a.get("/tiles/countries.json", "X-Forwarded-Proto", "https"), &behindTLS)
	if len(behindTLS.Tiles) != 1 || !strings.HasPrefix(behindTLS.Tiles[0], "https://example.com/tiles/countries/{z}/{x}/{y}.mvt?v=") {
		t.Errorf("TileJSON behind a TLS proxy names %v", behindTLS.Tiles)
	}

	w := a.get(path)
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/vnd.mapbox-vector-tile" {
		t.Fatalf("%s: %d %q", path, w.Code, w.Header().Get("Content-Type"))
	}
	if cc := w.Header().Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("revisioned tile Cache-Control %q, want immutable", cc)
	}
	layers := decodeTile(t, w)
	if len(layers) != 1 || layers[0].Name != "countries" || layers[0].Extent != 4096 {
		t.Fatalf("z0 tile layers: %d, first %q", len(layers), layers[0].Name)
	}
	// Every feature is a country with its name, and the big ones are there.
	names := map[string]string{}
	rows, err := a.db.Store.Pool().Query(ctx, `SELECT iso3, name FROM country`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var iso, name string
		if err := rows.Scan(&iso, &name); err != nil {
			t.Fatal(err)
		}
		names[iso] = name
	}
	seen := map[string]bool{}
	for _, f := range layers[0].Features {
		iso, _ := f.Properties["id"].(string)
		if names[iso] == "" || f.Properties["name"] != names[iso] || seen[iso] {
			t.Errorf("feature %v: not a country with its name, or repeated", f.Properties)
		}
		if gt := f.Geometry.GeoJSONType(); gt != "Polygon" && gt != "MultiPolygon" {
			t.Errorf("%s is a %s", iso, gt)
		}
		seen[iso] = true
	}
	for _, iso := range []string{"CHN", "USA", "BRA", "RUS", "AUS", "ZAF", "VEN"} {
		if !seen[iso] {
			t.Errorf("z0 tile lacks %s", iso)
		}
	}
	if len(seen) < 150 {
		t.Errorf("z0 tile has %d countries, want most of the %d", len(seen), len(names))
	}

	// ETag and 304; gzip gives the same bytes; other spellings of the URL.
	if w2 := a.get(path, "If-None-Match", w.Header().Get("ETag")); w2.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", w2.Code)
	}
	gz := a.get(path, "Accept-Encoding", "gzip")
	plain, _ := responseBody(w)
	unzipped, err := responseBody(gz)
	if gz.Header().Get("Content-Encoding") != "gzip" || err != nil || !bytes.Equal(plain, unzipped) {
		t.Errorf("gzip: Content-Encoding %q, %v, same bytes %v", gz.Header().Get("Content-Encoding"), err, bytes.Equal(plain, unzipped))
	}
	if w := a.get("/tiles/countries/0/0/0.mvt"); w.Code != http.StatusOK || w.Header().Get("Cache-Control") != "public, max-age=300" ||
		w.Header().Get("ETag") != gz.Header().Get("ETag") {
		t.Errorf("tile without v: %d %q ETag %q", w.Code, w.Header().Get("Cache-Control"), w.Header().Get("ETag"))
	}
	if w := a.get("/tiles/countries/0/0/0.mvt?v=" + strconv.FormatInt(rev.Revision+7, 10)); w.Code != http.StatusOK ||
		w.Header().Get("Cache-Control") != "public, max-age=60" {
		t.Errorf("tile of another revision: %d %q, want 200 with a short max-age", w.Code, w.Header().Get("Cache-Control"))
	}

	// A z2 tile holds exactly the countries PostGIS finds in its bounds (those too small to draw aside).
	layers = decodeTile(t, a.get(tileURL(t, a, "countries", 2, 2, 1)))
	var got []string
	for _, f := range layers[0].Features {
		got = append(got, f.Properties["id"].(string))
	}
	var want []string
	rows, err = a.db.Store.Pool().Query(ctx, `SELECT iso3 FROM country_tile WHERE zoom = 2
		AND ST_Intersects(geom, ST_TileEnvelope(2, 2, 1)) AND ST_Area(geom) > (40075016.69 / 4 / 4096) ^ 2 ORDER BY iso3`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var iso string
		_ = rows.Scan(&iso)
		want = append(want, iso)
	}
	slices.Sort(got)
	for _, iso := range want {
		if !slices.Contains(got, iso) {
			t.Errorf("z2/2/1 lacks %s, which PostGIS finds there", iso)
		}
	}
	if len(got) < len(want) || len(want) < 20 {
		t.Errorf("z2/2/1 has %d countries, PostGIS finds %d of drawable size", len(got), len(want))
	}

	// Open ocean is 204 No Content, and PostGIS agrees nothing is there.
	var n int
	if err := a.db.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM country WHERE ST_Intersects(geom,
		ST_Transform(ST_TileEnvelope(8, 28, 128, margin => 64.0 / 4096), 4326))`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the test's ocean tile has %d countries (%v)", n, err)
	}
	if w := a.get("/tiles/countries/8/28/128.mvt"); w.Code != http.StatusNoContent || w.Body.Len() != 0 || w.Header().Get("ETag") == "" {
		t.Errorf("ocean tile: %d, %d bytes, ETag %q; want 204 with an ETag", w.Code, w.Body.Len(), w.Header().Get("ETag"))
	}
}

func TestSiteTiles(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	ctx := context.Background()
	var sites int
	var id int64
	var lon, lat float64
	if err := a.db.Store.Pool().QueryRow(ctx, `SELECT count(*), min(id) FROM site`).Scan(&sites, &id); err != nil || sites == 0 {
		t.Fatalf("%d sites: %v", sites, err)
	}
	if err := a.db.Store.Pool().QueryRow(ctx, `SELECT ST_X(geom), ST_Y(geom) FROM site WHERE id = $1`, id).Scan(&lon, &lat); err != nil {
		t.Fatal(err)
	}
	// At z0 the clusters add up to every site, each with the properties the brief names.
	layers := decodeTile(t, a.get(tileURL(t, a, "sites", 0, 0, 0)))
	total := 0
	for _, f := range layers[0].Features {
		c, ok := f.Properties["count"].(float64)
		if !ok || c < 1 || f.Properties["capability"] == nil || f.Properties["status"] == nil || f.Geometry.GeoJSONType() != "Point" {
			t.Errorf("z0 site feature %v (%s)", f.Properties, f.Geometry.GeoJSONType())
		}
		total += int(c)
	}
	if layers[0].Name != "sites" || total != sites {
		t.Errorf("z0 site tile %q counts %d sites, the database has %d", layers[0].Name, total, sites)
	}
	// At z8 the tile over a site has it as its own point, with its id.
	z8x, z8y := lonLatTile(lon, lat, 8)
	w := a.get("/tiles/sites/8/" + strconv.Itoa(z8x) + "/" + strconv.Itoa(z8y) + ".mvt")
	found := false
	for _, f := range decodeTile(t, w)[0].Features {
		if f.Properties["count"] != 1.0 {
			t.Errorf("z8 site %v has a count other than 1", f.Properties)
		}
		if f.ID == uint64(id) || f.ID == float64(id) || f.ID == int64(id) {
			found = true
		}
	}
	if !found {
		t.Errorf("z8 tile over site %d (%v, %v) does not hold it", id, lon, lat)
	}
}

// lonLatTile is the XYZ tile holding a point.
func lonLatTile(lon, lat float64, z int) (int, int) {
	n := float64(int(1) << z)
	x := (lon + 180) / 360 * n
	s := mathSinDeg(lat)
	y := (0.5 - mathLog((1+s)/(1-s))/(4*mathPi)) * n
	return int(x), int(y)
}

func TestTileBadInput(t *testing.T) {
	t.Parallel()
	a := newOfflineAPI(t)
	for _, tt := range []struct{ path, field string }{
		{"/tiles/countries/9/0/0.mvt", "z"},
		{"/tiles/countries/2/4/0.mvt", "x"},
		{"/tiles/countries/1/0/a.mvt", "y"},
		{"/tiles/countries/-1/0/0.mvt", "z"},
		{"/tiles/countries/01/0/0.mvt", "z"},
		{"/tiles/countries/1/0/0.5.mvt", "y"},
		{"/tiles/countries/0/0/0.mvt?v=abc", "v"},
		{"/tiles/countries/0/0/0.mvt?v=0", "v"},
		{"/tiles/countries/0/0/0.mvt?v=", "v"},
		{"/tiles/countries/0/0/0.mvt?v=1&v=2", "v"},
		{"/tiles/countries/0/0/0.mvt?v=99999999999999999999", "v"},
		{"/tiles/countries/0/0/0.mvt?format=pbf", "format"},
		{"/tiles/sites/3/8/0.mvt", "x"},
		{"/tiles/sites/0/0/0.mvt?v=-3", "v"},
		{"/tiles/countries.json?v=1", "v"},
		{"/tiles/sites.json?callback=x", "callback"},
	} {
		t.Run(tt.path, func(t *testing.T) { wantProblem(t, a.get(tt.path), http.StatusBadRequest, tt.field) })
	}
	for _, path := range []string{"/tiles/countries/0/0/0", "/tiles/countries/0/0/0.pbf", "/tiles/roads/0/0/0.mvt"} {
		wantProblem(t, a.get(path), http.StatusNotFound, "")
	}
}

var (
	mathPi     = math.Pi
	mathLog    = math.Log
	mathSinDeg = func(d float64) float64 { return math.Sin(d * math.Pi / 180) }
)
