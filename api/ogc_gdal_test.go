package api_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scs-diffusion/tracker/store/storetest"
)

// GDAL (Debian's gdal-bin, installed by scripts/deps.sh test) is the
// third-party client of /ogc: its OAPIF driver reads the landing page, the
// collections, the OpenAPI document (to learn which property filters it may
// push to the server) and follows next links to the end. These tests run it
// against a real server over the shipped data and compare what it copies
// with PostGIS's own counts. Without gdal-bin they fail, they do not skip.

func needGDAL(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"ogrinfo", "ogr2ogr"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found: install Debian's gdal-bin (scripts/deps.sh test)", tool)
		}
	}
}

// gdal runs a GDAL tool with CPL_DEBUG on, returning stdout and the debug log.
func gdal(t *testing.T, tool string, args ...string) (out, debug string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool, args...)
	cmd.Env = append(os.Environ(), "CPL_DEBUG=ON", "GDAL_HTTP_TIMEOUT=60", "GDAL_HTTP_PROXY=", "HTTP_PROXY=", "http_proxy=", "NO_PROXY=127.0.0.1")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, truncateLog(stderr.String()))
	}
	return stdout.String(), stderr.String()
}

func truncateLog(s string) string {
	if len(s) > 4000 {
		return s[len(s)-4000:]
	}
	return s
}

// copyCount copies a layer with ogr2ogr to GeoJSON and counts the features written.
func copyCount(t *testing.T, dir, source string, args ...string) (int, string) {
	t.Helper()
	out := filepath.Join(dir, strings.ReplaceAll(strings.Join(args, "_"), "/", "")+".geojson")
	if len(out) > 200 {
		out = filepath.Join(dir, time.Now().Format("150405.000000")+".geojson")
	}
	_, debug := gdal(t, "ogr2ogr", append([]string{"-f", "GeoJSON", out, source}, args...)...)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatalf("ogr2ogr wrote no GeoJSON: %v", err)
	}
	return len(fc.Features), debug
}

func TestGDALReadsOGC(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoaded(t) // under -short without a database, storetest skips it like every database test
	needGDAL(t)
	a := &testAPI{t: t, db: db, router: newRouter(t, db, nil)}
	srv := httptest.NewServer(a.router)
	defer srv.Close()
	source := "OAPIF:" + srv.URL + "/ogc"
	dir := t.TempDir()

	out, _ := gdal(t, "ogrinfo", "-ro", "-q", source)
	for _, want := range []string{"countries (title: Countries) (Multi Polygon)", "sites (title: Deployment sites) (Point)", "assessments (title: Assessments) (Point)"} {
		if !strings.Contains(out, want) {
			t.Errorf("ogrinfo does not list %q:\n%s", want, out)
		}
	}

	// Whole copies, following next links page by page.
	for _, tc := range []struct {
		layer, pageSize, count string
	}{
		{"countries", "40", `SELECT count(*) FROM country`},
		{"sites", "20", `SELECT count(*) FROM site`},
	} {
		want := dbCount(t, a, tc.count)
		got, debug := copyCount(t, dir, source, tc.layer, "-oo", "PAGE_SIZE="+tc.pageSize)
		pages := strings.Count(debug, "HTTP: Fetch("+srv.URL+"/ogc/collections/"+tc.layer+"/items")
		if got != want || want == 0 {
			t.Errorf("ogr2ogr %s: copied %d features, PostGIS has %d", tc.layer, got, want)
		}
		if pages < 2 {
			t.Errorf("ogr2ogr %s: %d items requests; the copy should have needed several pages", tc.layer, pages)
		}
	}

	// Spatial and attribute filters, pushed to the server (bbox and declared
	// property parameters) and equal to the same query in PostGIS.
	for _, tc := range []struct {
		layer  string
		args   []string
		count  string
		params []string // what GDAL must have sent
	}{
		{"sites", []string{"-spat", "0", "-40", "60", "40"},
			`SELECT count(*) FROM site WHERE ST_Intersects(geom, ST_MakeEnvelope(0, -40, 60, 40, 4326))`, []string{"bbox=0,-40,60,40"}},
		{"sites", []string{"-where", "vendor_country = 'CHN'"},
			`SELECT count(*) FROM site WHERE vendor_country = 'CHN'`, []string{"vendor_country=CHN"}},
		{"sites", []string{"-spat", "-100", "-60", "20", "30", "-where", "status = 'active' AND vendor_country = 'CHN'"},
			`SELECT count(*) FROM site WHERE status = 'active' AND vendor_country = 'CHN' AND ST_Intersects(geom, ST_MakeEnvelope(-100, -60, 20, 30, 4326))`,
			[]string{"bbox=-100,-60,20,30", "status=active", "vendor_country=CHN"}},
		{"countries", []string{"-spat", "10", "-10", "40", "20"},
			`SELECT count(*) FROM country WHERE ST_Intersects(geom, ST_MakeEnvelope(10, -10, 40, 20, 4326))`, []string{"bbox=10,-10,40,20"}},
		{"countries", []string{"-where", "region = 'Africa'"},
			`SELECT count(*) FROM country WHERE region = 'Africa'`, []string{"region=Africa"}},
	} {
		want := dbCount(t, a, tc.count)
		got, debug := copyCount(t, dir, source, append([]string{tc.layer, "-oo", "PAGE_SIZE=25"}, tc.args...)...)
		if got != want || want == 0 {
			t.Errorf("ogr2ogr %s %v: %d features, PostGIS counts %d", tc.layer, tc.args, got, want)
		}
		for _, p := range tc.params {
			if !strings.Contains(debug, p) {
				t.Errorf("ogr2ogr %s %v did not send %s to the server", tc.layer, tc.args, p)
			}
		}
	}

	// The field types GDAL takes from the collections' JSON Schemas (describedBy), in their order.
	for layer, wants := range map[string][]string{
		"sites": {"name: String", "status: String", "valid_from: Date", "valid_to: Date",
			"Feature Count: " + itoa(dbCount(t, a, `SELECT count(*) FROM site`))},
		"countries":   {"iso3: String", "index: Real", "coverage: Real", "as_of: Date"},
		"assessments": {"level: Integer", "valid_from: Date", "recorded_at: DateTime"},
	} {
		out, _ = gdal(t, "ogrinfo", "-ro", "-so", source, layer)
		for _, want := range wants {
			if !strings.Contains(out, want) {
				t.Errorf("ogrinfo -so %s lacks %q:\n%s", layer, want, out)
			}
		}
	}
	if out, _ := gdal(t, "ogrinfo", "-ro", "-so", source, "sites"); strings.Index(out, "name: String") > strings.Index(out, "valid_to: Date") {
		t.Errorf("sites fields are not in the schema's order:\n%s", out)
	}
}
