package ingest_test

import (
	"context"
	"slices"
	"testing"

	"github.com/scs-diffusion/tracker/data"
	"github.com/scs-diffusion/tracker/ingest"
	"github.com/scs-diffusion/tracker/store"
	"github.com/scs-diffusion/tracker/store/storetest"
)

// snapshot summarises everything ingest writes, to compare two runs.
type snapshot struct {
	Counts   map[string]int64
	GeomHash string
	Revision int64
}

func takeSnapshot(t *testing.T, db *storetest.DB) snapshot {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Store.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	s := snapshot{Counts: map[string]int64{}}
	for _, table := range []string{"country", "country_neighbour", "pillar", "capability", "source", "assessment",
		"assessment_source", "site", "constraint_event", "country_note"} {
		var n int64
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		s.Counts[table] = n
	}
	if err := conn.QueryRow(ctx, `SELECT md5(string_agg(iso3 || encode(ST_AsEWKB(geom), 'hex') || encode(ST_AsEWKB(geom_110m), 'hex'), ',' ORDER BY iso3)) FROM country`).Scan(&s.GeomHash); err != nil {
		t.Fatal(err)
	}
	rev, err := db.Store.CurrentRevision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.Revision = rev.Revision
	return s
}

func TestIngestIsIdempotent(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	ctx := context.Background()
	if err := ingest.All(ctx, db.Store, data.FS, nil); err != nil {
		t.Fatalf("first ingest: %v", err)
	}
	first := takeSnapshot(t, db)
	if first.Counts["country"] < 235 {
		t.Fatalf("loaded %d countries, want about 240", first.Counts["country"])
	}
	if err := ingest.All(ctx, db.Store, data.FS, nil); err != nil {
		t.Fatalf("second ingest: %v", err)
	}
	second := takeSnapshot(t, db)
	if first.GeomHash != second.GeomHash || first.Revision != second.Revision {
		t.Errorf("second ingest changed data: revision %d → %d, geometry hash %s → %s",
			first.Revision, second.Revision, first.GeomHash, second.GeomHash)
	}
	for k, v := range first.Counts {
		if second.Counts[k] != v {
			t.Errorf("%s: %d rows after first ingest, %d after second", k, v, second.Counts[k])
		}
	}
}

func TestBoundaries(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoaded(t)
	ctx := context.Background()
	conn, err := db.Store.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	var total, valid, multi, srid, inside int
	err = conn.QueryRow(ctx, `SELECT count(*),
		count(*) FILTER (WHERE ST_IsValid(geom) AND ST_IsValid(geom_110m)),
		count(*) FILTER (WHERE GeometryType(geom) = 'MULTIPOLYGON' AND GeometryType(geom_110m) = 'MULTIPOLYGON'),
		count(*) FILTER (WHERE ST_SRID(geom) = 4326 AND ST_SRID(geom_110m) = 4326),
		count(*) FILTER (WHERE ST_Intersects(label_point, geom))
		FROM country`).Scan(&total, &valid, &multi, &srid, &inside)
	if err != nil {
		t.Fatal(err)
	}
	for name, n := range map[string]int{"valid": valid, "MultiPolygon": multi, "SRID 4326": srid, "label point inside": inside} {
		if n != total {
			t.Errorf("%s: %d of %d countries", name, n, total)
		}
	}
	for _, iso3 := range []string{"MCO", "AND", "SGP", "MLT", "XKX", "TWN", "FRA", "ATA"} {
		if _, err := db.Store.Country(ctx, iso3); err != nil {
			t.Errorf("Country(%s): %v", iso3, err)
		}
	}
	var gist int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_indexes WHERE tablename = 'country' AND indexdef LIKE '%USING gist (geom)%'`).Scan(&gist); err != nil || gist != 1 {
		t.Errorf("GiST index on country.geom: %d (%v)", gist, err)
	}
	// Antarctica and Russia must not be mangled by the antimeridian.
	for iso3, want := range map[string][2]float64{"ATA": {11e6, 14e6}, "RUS": {16e6, 18e6}, "FRA": {5.5e5, 7e5}} {
		c, err := db.Store.Country(ctx, iso3)
		if err != nil || c.AreaKm2 < want[0] || c.AreaKm2 > want[1] {
			t.Errorf("%s area %.0f km², want %.0f–%.0f (%v)", iso3, c.AreaKm2, want[0], want[1], err)
		}
	}
}

func TestNeighbours(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoaded(t)
	ctx := context.Background()
	codes := func(iso3 string) []string {
		c, err := db.Store.Country(ctx, iso3)
		if err != nil {
			t.Fatal(err)
		}
		return c.Neighbours
	}
	for _, n := range []string{"ESP", "DEU", "BRA"} {
		if !slices.Contains(codes("FRA"), n) {
			t.Errorf("France should border %s; neighbours %v", n, codes("FRA"))
		}
	}
	for _, iso3 := range []string{"ISL", "JPN"} {
		if got := codes(iso3); len(got) != 0 {
			t.Errorf("%s has land neighbours %v, want none", iso3, got)
		}
	}
	if got := codes("LSO"); !slices.Equal(got, []string{"ZAF"}) {
		t.Errorf("Lesotho neighbours %v, want [ZAF]", got)
	}
	if slices.Contains(codes("RUS"), "USA") || slices.Contains(codes("RUS"), "CAN") {
		t.Errorf("Russia must not border the USA or Canada by land: %v", codes("RUS"))
	}
	// Symmetric.
	for _, n := range codes("DEU") {
		if !slices.Contains(codes(n), "DEU") {
			t.Errorf("%s borders DEU but not the reverse", n)
		}
	}
}

func TestMigrateFromEmpty(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	ctx := context.Background()
	have, err := db.Store.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := store.LatestMigration()
	if have != want || want < 3 {
		t.Errorf("schema version %d, want %d", have, want)
	}
	if v, err := db.Store.Migrate(ctx); err != nil || v != want {
		t.Errorf("second Migrate() = %d, %v; want %d, nil", v, err, want)
	}
}

func TestBBoxAcrossTheAntimeridian(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoaded(t)
	ctx := context.Background()
	for _, tt := range []struct {
		iso3       string
		crosses    bool
		west, east float64 // approximate, ±2°
	}{
		{"RUS", true, 19.6, -169},
		{"FJI", true, 175, -178},
		{"FRA", false, -62, 56}, // overseas departments on both sides of 0°, not of 180°
		{"DEU", false, 5.9, 15},
	} {
		c, err := db.Store.Country(ctx, tt.iso3)
		if err != nil {
			t.Fatal(err)
		}
		west, east := c.BBox[0], c.BBox[2]
		if (west > east) != tt.crosses || west-tt.west > 2 || tt.west-west > 2 || east-tt.east > 2 || tt.east-east > 2 {
			t.Errorf("%s bbox %v, want west ≈ %v, east ≈ %v (crossing %v)", tt.iso3, c.BBox, tt.west, tt.east, tt.crosses)
		}
	}
}
