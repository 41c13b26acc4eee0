package store

import (
	"context"
	"fmt"

	"github.com/paulmach/orb/maptile"
)

// Vector tiles, built by PostGIS (ST_AsMVT, ST_AsMVTGeom) in the 4096-unit
// extent, with a 64-unit buffer so lines and points at a tile's edge draw
// whole. Every value is a bound parameter.
const (
	// TileMaxZoom is the highest zoom served; clients overzoom past it.
	TileMaxZoom = 8
	// SiteClusterBelow is the zoom from which sites are single points; below
	// it they are merged per 64-unit grid cell (and per capability, status
	// and vendor country), each point carrying the number of sites it stands for.
	SiteClusterBelow = 6
	// SiteTileMaxFeatures bounds the points of one site tile (the largest
	// clusters are kept), and so its size: about 20 bytes a point, under 64 KiB.
	SiteTileMaxFeatures = 2000
)

// CountryTile returns the MVT tile of layer "countries": every country
// (properties id = ISO 3166 alpha-3, name) from the simplified copy of its
// geometry made for the tile's zoom band (migration 005). An empty result
// (no country in the tile) is a zero-length tile.
func (s *Store) CountryTile(ctx context.Context, t maptile.Tile) ([]byte, error) {
	const q = `
SELECT coalesce(ST_AsMVT(f, 'countries', 4096, 'geom'), '') FROM (
    SELECT c.iso3 AS id, n.name, ST_AsMVTGeom(c.geom, ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom
    FROM country_tile c JOIN country n USING (iso3)
    WHERE c.zoom = least($1, 6) AND c.geom && ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096)
    OFFSET 0 -- build each geometry once, not again in the filter below
) f WHERE f.geom IS NOT NULL`
	var b []byte
	if err := s.db.QueryRow(ctx, q, int(t.Z), int(t.X), int(t.Y)).Scan(&b); err != nil {
		return nil, fmt.Errorf("country tile %d/%d/%d: %w", t.Z, t.X, t.Y, err)
	}
	return b, nil
}

// SiteTile returns the MVT tile of layer "sites": deployment points with
// capability, status, vendor_country (absent when unknown) and count (the
// sites a point stands for: 1 from zoom SiteClusterBelow on, where the MVT
// feature id is the site id). At most SiteTileMaxFeatures points, largest
// counts first. An empty result is a zero-length tile.
func (s *Store) SiteTile(ctx context.Context, t maptile.Tile) ([]byte, error) {
	const q = `
WITH m AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS tile, ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096) AS m
), env AS ( -- the buffered tile in degrees, by hand: ST_Transform would wrap a margin past ±180° to the other side
    SELECT tile, ST_MakeEnvelope(greatest(-180, ST_XMin(m) / 20037508.342789244 * 180),
                                 degrees(2 * atan(exp(ST_YMin(m) / 6378137)) - pi() / 2),
                                 least(180, ST_XMax(m) / 20037508.342789244 * 180),
                                 degrees(2 * atan(exp(ST_YMax(m) / 6378137)) - pi() / 2), 4326) AS query
    FROM m
), p AS (
    SELECT s.id, s.capability, s.status, s.vendor_country, ST_Transform(s.geom, 3857) AS g
    FROM site s, env WHERE s.geom && env.query
), c AS (
    SELECT CASE WHEN $1 >= $4 THEN min(id) END AS id, capability, status, vendor_country, count(*) AS count,
           ST_Centroid(ST_Collect(g)) AS g
    FROM p
    GROUP BY CASE WHEN $1 >= $4 THEN id END,
             ST_SnapToGrid(g, 40075016.685578488 / (64 * 2 ^ $1)), capability, status, vendor_country
    ORDER BY count DESC, min(id)
    LIMIT $5
)
SELECT coalesce(ST_AsMVT(f, 'sites', 4096, 'geom', 'id'), '') FROM (
    SELECT c.id, c.capability, c.status, c.vendor_country, c.count::int AS count,
           ST_AsMVTGeom(c.g, env.tile, 4096, 64, true) AS geom
    FROM c, env OFFSET 0
) f WHERE f.geom IS NOT NULL`
	var b []byte
	if err := s.db.QueryRow(ctx, q, int(t.Z), int(t.X), int(t.Y), SiteClusterBelow, SiteTileMaxFeatures).Scan(&b); err != nil {
		return nil, fmt.Errorf("site tile %d/%d/%d: %w", t.Z, t.X, t.Y, err)
	}
	return b, nil
}

// refreshCountryTiles remakes the simplified tile geometry of every country.
func (s *Store) refreshCountryTiles(ctx context.Context) error {
	if _, err := s.db.Exec(ctx, `SELECT refresh_country_tile()`); err != nil {
		return fmt.Errorf("country tiles: %w", err)
	}
	return nil
}
