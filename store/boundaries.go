package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// BoundaryRow is one country as loaded from the bundled boundaries.
type BoundaryRow struct {
	ISO3, ISO2, ISONumeric string
	ISOOfficial            bool
	Name, NEName           string
	Region, Subregion      string
	Geom50m                orb.MultiPolygon
	Geom110m               orb.MultiPolygon // nil: use the 1:50m geometry for world views
}

// BoundaryStats says what a boundaries load changed.
type BoundaryStats struct {
	Countries         int   // rows offered
	Inserted, Updated int64 // country rows written
	NeighboursAdded   int64
	NeighboursRemoved int64
}

// UpsertBoundaries writes countries, repairing invalid geometry in PostGIS
// (ST_MakeValid, polygons only, MultiPolygon, SRID 4326), computing label
// point and area, and recomputes land neighbours from the 1:50m geometry and,
// when a country changed, the simplified tile geometry (refresh_country_tile).
// Unchanged rows are not touched, so a second load writes nothing.
// Run it inside InTx for an all-or-nothing load.
func (s *Store) UpsertBoundaries(ctx context.Context, rows []BoundaryRow) (BoundaryStats, error) {
	st := BoundaryStats{Countries: len(rows)}
	if _, err := s.db.Exec(ctx, `CREATE TEMP TABLE boundary_load (
		iso3 text, iso2 text, iso_numeric text, iso_official boolean, name text, ne_name text,
		region text, subregion text, wkb50 bytea, wkb110 bytea) ON COMMIT DROP`); err != nil {
		return st, fmt.Errorf("boundaries: temp table: %w", err)
	}
	src := make([][]any, 0, len(rows))
	for _, r := range rows {
		b50, err := wkb.Marshal(r.Geom50m)
		if err != nil {
			return st, fmt.Errorf("boundaries: %s: %w", r.ISO3, err)
		}
		var b110 []byte
		if r.Geom110m != nil {
			if b110, err = wkb.Marshal(r.Geom110m); err != nil {
				return st, fmt.Errorf("boundaries: %s: %w", r.ISO3, err)
			}
		}
		src = append(src, []any{r.ISO3, nullIfEmpty(r.ISO2), nullIfEmpty(r.ISONumeric), r.ISOOfficial, r.Name,
			r.NEName, r.Region, r.Subregion, b50, b110})
	}
	if _, err := s.db.CopyFrom(ctx, pgx.Identifier{"boundary_load"},
		[]string{"iso3", "iso2", "iso_numeric", "iso_official", "name", "ne_name", "region", "subregion", "wkb50", "wkb110"},
		pgx.CopyFromRows(src)); err != nil {
		return st, fmt.Errorf("boundaries: copy: %w", err)
	}
	const upsert = `
WITH g AS (
    SELECT l.*, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_GeomFromWKB(wkb50, 4326)), 3)) AS g50,
           ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_GeomFromWKB(coalesce(wkb110, wkb50), 4326)), 3)) AS g110
    FROM boundary_load l
), p AS (
    SELECT g.*, (SELECT d.geom FROM ST_Dump(g50) d ORDER BY ST_Area(d.geom) DESC LIMIT 1) AS largest
    FROM g
)
INSERT INTO country AS c (iso3, iso2, iso_numeric, iso_official, name, ne_name, region, subregion, geom, geom_110m, label_point, area_km2)
SELECT iso3, iso2, iso_numeric, iso_official, name, ne_name, region, subregion, g50, g110,
       (ST_MaximumInscribedCircle(largest)).center, ST_Area(g50::geography) / 1e6
FROM p
ON CONFLICT (iso3) DO UPDATE SET
    iso2 = EXCLUDED.iso2, iso_numeric = EXCLUDED.iso_numeric, iso_official = EXCLUDED.iso_official,
    name = EXCLUDED.name, ne_name = EXCLUDED.ne_name, region = EXCLUDED.region, subregion = EXCLUDED.subregion,
    geom = EXCLUDED.geom, geom_110m = EXCLUDED.geom_110m, label_point = EXCLUDED.label_point, area_km2 = EXCLUDED.area_km2
WHERE (c.iso2, c.iso_numeric, c.iso_official, c.name, c.ne_name, c.region, c.subregion, ST_AsEWKB(c.geom), ST_AsEWKB(c.geom_110m))
      IS DISTINCT FROM
      (EXCLUDED.iso2, EXCLUDED.iso_numeric, EXCLUDED.iso_official, EXCLUDED.name, EXCLUDED.ne_name, EXCLUDED.region,
       EXCLUDED.subregion, ST_AsEWKB(EXCLUDED.geom), ST_AsEWKB(EXCLUDED.geom_110m))
RETURNING (xmax = 0) AS inserted`
	res, err := s.db.Query(ctx, upsert)
	if err != nil {
		return st, fmt.Errorf("boundaries: upsert: %w", err)
	}
	ins, err := pgx.CollectRows(res, pgx.RowTo[bool])
	if err != nil {
		return st, fmt.Errorf("boundaries: upsert: %w", err)
	}
	for _, i := range ins {
		if i {
			st.Inserted++
		} else {
			st.Updated++
		}
	}
	if st.NeighboursRemoved, st.NeighboursAdded, err = s.recomputeNeighbours(ctx); err != nil {
		return st, err
	}
	if st.Inserted+st.Updated > 0 {
		err = s.refreshCountryTiles(ctx)
	}
	return st, err
}

func (s *Store) recomputeNeighbours(ctx context.Context) (removed, added int64, err error) {
	if _, err = s.db.Exec(ctx, `CREATE TEMP TABLE neighbour_calc ON COMMIT DROP AS
		SELECT a.iso3, b.iso3 AS neighbour FROM country a JOIN country b
		ON a.iso3 <> b.iso3 AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)`); err != nil {
		return 0, 0, fmt.Errorf("neighbours: compute: %w", err)
	}
	tag, err := s.db.Exec(ctx, `DELETE FROM country_neighbour n WHERE NOT EXISTS
		(SELECT 1 FROM neighbour_calc c WHERE c.iso3 = n.iso3 AND c.neighbour = n.neighbour)`)
	if err != nil {
		return 0, 0, fmt.Errorf("neighbours: delete: %w", err)
	}
	removed = tag.RowsAffected()
	tag, err = s.db.Exec(ctx, `INSERT INTO country_neighbour (iso3, neighbour)
		SELECT iso3, neighbour FROM neighbour_calc ON CONFLICT DO NOTHING`)
	if err != nil {
		return 0, 0, fmt.Errorf("neighbours: insert: %w", err)
	}
	return removed, tag.RowsAffected(), nil
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
