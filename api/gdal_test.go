package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scs-diffusion/tracker/store/storetest"
)

// TestGDALReadsCountryTile: GDAL's MVT driver (Debian's gdal-bin, a real
// third-party client) opens the z2 country tile the TileJSON names, over
// HTTP, and finds in it every country PostGIS finds in that tile's bounds,
// and none outside them, with the documented fields.
func TestGDALReadsCountryTile(t *testing.T) {
	t.Parallel()
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Fatal("ogrinfo not found: install gdal-bin (scripts/deps.sh test)")
	}
	db := storetest.NewLoadedFrom(t, fixture)
	srv := httptest.NewServer(newRouter(t, db, nil))
	defer srv.Close()

	res, err := http.Get(srv.URL + "/tiles/countries.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc tileJSONDoc
	err = json.NewDecoder(res.Body).Decode(&doc)
	res.Body.Close()
	if err != nil || len(doc.Tiles) != 1 {
		t.Fatalf("TileJSON: %v %+v", err, doc)
	}
	url := strings.NewReplacer("{z}", "2", "{x}", "2", "{y}", "1").Replace(doc.Tiles[0])
	if !strings.HasPrefix(url, srv.URL+"/") {
		t.Fatalf("tile URL %s is not on the server %s", url, srv.URL)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	summary, err := exec.CommandContext(ctx, ogrinfo, "-ro", "-al", "-so", "MVT:"+url).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo -so: %v\n%s", err, summary)
	}
	for _, want := range []string{"Layer name: countries", "Geometry: Multi Polygon", `ID["EPSG",3857]`, "id: String", "name: String",
		"Extent: (0.000000, 0.000000) - (10018754.171395, 10018754.171395)"} {
		if !strings.Contains(string(summary), want) {
			t.Errorf("ogrinfo -so lacks %q:\n%s", want, summary)
		}
	}
	features, err := exec.CommandContext(ctx, ogrinfo, "-ro", "-al", "-q", "-geom=NO", "MVT:"+url).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, features)
	}
	var got []string
	for _, m := range regexp.MustCompile(`(?m)^\s+id \(String\) = ([A-Z]{3})$`).FindAllStringSubmatch(string(features), -1) {
		got = append(got, m[1])
	}
	slices.Sort(got)

	// PostGIS: the countries in the tile's bounds (those too small to draw at z2 aside), and those in its buffer.
	query := func(q string) []string {
		rows, err := db.Store.Pool().Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	inside := query(`SELECT iso3 FROM country WHERE ST_Intersects(geom, ST_Transform(ST_TileEnvelope(2, 2, 1), 4326))
		AND ST_Area(ST_Transform(geom, 3857)) > (40075016.69 / 4 / 4096) ^ 2 ORDER BY iso3`)
	buffered := query(`SELECT iso3 FROM country WHERE ST_Intersects(geom, ST_Transform(ST_TileEnvelope(2, 2, 1, margin => 64.0 / 4096), 4326))`)
	if len(inside) < 20 {
		t.Fatalf("PostGIS finds only %d countries in tile 2/2/1", len(inside))
	}
	for _, iso := range inside {
		if !slices.Contains(got, iso) {
			t.Errorf("GDAL does not find %s in tile 2/2/1, PostGIS does", iso)
		}
	}
	for _, iso := range got {
		if !slices.Contains(buffered, iso) {
			t.Errorf("GDAL finds %s in tile 2/2/1, which PostGIS puts outside it", iso)
		}
	}
	t.Logf("GDAL read %d countries from tile 2/2/1; PostGIS: %d inside, %d with the buffer", len(got), len(inside), len(buffered))
}
