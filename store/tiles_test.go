package store_test

import (
	"context"
	"testing"

	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"github.com/scs-diffusion/tracker/ingest"
	"github.com/scs-diffusion/tracker/store"
	"github.com/scs-diffusion/tracker/store/storetest"
)

// TestCountryTileGeometry: the load made a valid, simplified 3857 copy of
// every country for each zoom band, fewer vertices at lower zooms, and a
// second load of unchanged boundaries leaves it alone.
func TestCountryTileGeometry(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoadedFrom(t, storetest.Frozen)
	ctx := context.Background()
	pool := db.Store.Pool()
	var countries, missing, invalid int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM country),
		(SELECT count(*) FROM country c CROSS JOIN generate_series(0, 6) z
		 WHERE NOT EXISTS (SELECT 1 FROM country_tile t WHERE t.iso3 = c.iso3 AND t.zoom = z)),
		(SELECT count(*) FROM country_tile WHERE NOT ST_IsValid(geom) OR ST_SRID(geom) <> 3857)`).Scan(&countries, &missing, &invalid); err != nil {
		t.Fatal(err)
	}
	if countries < 200 || missing != 0 || invalid != 0 {
		t.Fatalf("%d countries; %d (country, band) pairs without tile geometry, %d invalid", countries, missing, invalid)
	}
	var prev int64
	for z := 0; z <= 6; z++ {
		var n int64
		if err := pool.QueryRow(ctx, `SELECT sum(ST_NPoints(geom)) FROM country_tile WHERE zoom = $1`, z).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n <= prev {
			t.Errorf("band %d has %d vertices, not more than band %d's %d", z, n, z-1, prev)
		}
		prev = n
	}
	var raw int64
	if err := pool.QueryRow(ctx, `SELECT sum(ST_NPoints(geom)) FROM country`).Scan(&raw); err != nil || prev >= raw {
		t.Errorf("band 6 has %d vertices, the 1:50m column %d (%v): nothing simplified", prev, raw, err)
	}

	// Unchanged boundaries: nothing rewritten.
	var before string
	_ = pool.QueryRow(ctx, `SELECT string_agg(ctid::text, ',' ORDER BY zoom, iso3) FROM country_tile`).Scan(&before)
	rows, err := ingest.ReadBoundaries(storetest.Frozen)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Store.InTx(ctx, func(tx *store.Store) error {
		st, err := tx.UpsertBoundaries(ctx, rows)
		if err == nil && st.Inserted+st.Updated != 0 {
			t.Errorf("second load wrote %d countries", st.Inserted+st.Updated)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var after string
	_ = pool.QueryRow(ctx, `SELECT string_agg(ctid::text, ',' ORDER BY zoom, iso3) FROM country_tile`).Scan(&after)
	if before != after {
		t.Error("a load of unchanged boundaries rewrote the tile geometry")
	}
}

// TestSiteTileBound: with 30,000 sites spread over the world, every site
// tile stays within the documented bound of points and bytes, and the low
// zooms cluster (counts add up to the sites in the tile).
func TestSiteTileBound(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoadedFrom(t, storetest.Frozen)
	ctx := context.Background()
	pool := db.Store.Pool()
	if _, err := pool.Exec(ctx, `INSERT INTO site (country, name, capability, status, geom, vendor_country, confidence, content_hash)
		SELECT 'BRA', 'synthetic ' || i, (SELECT code FROM capability ORDER BY code OFFSET i % 5 LIMIT 1),
		       (ARRAY['planned','active','suspended','concluded'])[1 + i % 4],
		       ST_SetSRID(ST_MakePoint(-179.9 + 359.8 * ((i * 7919) % 30000) / 30000.0, -60 + 140 * ((i * 104729) % 30011) / 30011.0), 4326),
		       (ARRAY['CHN','USA',NULL])[1 + i % 3], 'M', 'x'
		FROM generate_series(1::bigint, 30000) i`); err != nil {
		t.Fatal(err)
	}
	var sites int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM site`).Scan(&sites); err != nil {
		t.Fatal(err)
	}
	for _, tile := range []maptile.Tile{maptile.New(0, 0, 0), maptile.New(0, 0, 1), maptile.New(2, 3, 3), maptile.New(10, 15, 5),
		maptile.New(20, 30, 6), maptile.New(80, 120, 8)} {
		b, err := db.Store.SiteTile(ctx, tile)
		if err != nil {
			t.Fatal(err)
		}
		layers, err := mvt.Unmarshal(b)
		if err != nil || len(layers) != 1 {
			t.Fatalf("tile %v: %d layers, %v", tile, len(layers), err)
		}
		n := len(layers[0].Features)
		t.Logf("site tile %v: %d points, %d bytes", tile, n, len(b))
		if n > store.SiteTileMaxFeatures || len(b) > 64<<10 {
			t.Errorf("site tile %v: %d points, %d bytes; the bound is %d points, 64 KiB", tile, n, len(b), store.SiteTileMaxFeatures)
		}
		if tile.Z == 0 && n >= sites {
			t.Errorf("z0 site tile has %d points for %d sites: not clustered", n, sites)
		}
		if tile.Z >= store.SiteClusterBelow {
			for _, f := range layers[0].Features {
				if f.Properties["count"] != 1.0 || f.ID == nil {
					t.Fatalf("tile %v: point %v (id %v) is not a single site", tile, f.Properties, f.ID)
				}
			}
		}
	}
}
