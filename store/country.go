package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// CountrySummary is one row of the country list.
type CountrySummary struct {
	ISO3      string `json:"iso3"`
	ISO2      string `json:"iso2"`
	Name      string `json:"name"`
	Region    string `json:"region"`
	Subregion string `json:"subregion"`
}

// CountryRef names another country.
type CountryRef struct {
	ISO3 string `json:"iso3"`
	Name string `json:"name"`
}

// Country is one country with its geography facts.
type Country struct {
	CountrySummary
	ISONumeric  string       `json:"iso_numeric"`
	ISOOfficial bool         `json:"iso_official"`
	LabelPoint  [2]float64   `json:"label_point"`
	BBox        [4]float64   `json:"bbox"`
	AreaKm2     float64      `json:"area_km2"`
	Neighbours  []CountryRef `json:"neighbours"`
}

// CountryFilter narrows the country list. Empty fields do not filter.
type CountryFilter struct {
	Region    string
	Subregion string
	Q         string // case- and accent-insensitive substring of the name or a code
}

// Countries lists countries matching f, ordered by name.
func (s *Store) Countries(ctx context.Context, f CountryFilter) ([]CountrySummary, error) {
	const q = `
SELECT iso3, coalesce(iso2, ''), name, region, subregion
FROM country
WHERE ($1 = '' OR lower(region) = lower($1))
  AND ($2 = '' OR lower(subregion) = lower($2))
  AND ($3 = '' OR unaccent(lower(name)) LIKE '%' || unaccent(lower($3)) || '%'
               OR unaccent(lower(ne_name)) LIKE '%' || unaccent(lower($3)) || '%'
               OR iso3 = upper($3) OR iso2 = upper($3))
ORDER BY name, iso3`
	rows, err := s.db.Query(ctx, q, f.Region, f.Subregion, escapeLike(f.Q))
	if err != nil {
		return nil, fmt.Errorf("countries: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (CountrySummary, error) {
		var c CountrySummary
		err := r.Scan(&c.ISO3, &c.ISO2, &c.Name, &c.Region, &c.Subregion)
		return c, err
	})
}

// escapeLike makes LIKE wildcards in user input literal.
func escapeLike(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '%' || r == '_' || r == '\\' {
			out = append(out, '\\')
		}
		out = append(out, r)
	}
	return string(out)
}

// Country returns one country with its neighbours, or ErrNotFound.
func (s *Store) Country(ctx context.Context, iso3 string) (Country, error) {
	const q = `
WITH c AS (
    SELECT *, ST_XMin(geom) AS x0, ST_XMax(geom) AS x1,
           ST_XMin(ST_ShiftLongitude(geom)) AS s0, ST_XMax(ST_ShiftLongitude(geom)) AS s1
    FROM country WHERE iso3 = $1
)
SELECT iso3, coalesce(iso2, ''), name, region, subregion, coalesce(iso_numeric, ''), iso_official,
       ST_X(label_point), ST_Y(label_point),
       -- A country spread across the antimeridian (Russia, Fiji, the USA) gets the narrower box
       -- that crosses it, written as RFC 7946 §5.2 does: west > east.
       CASE WHEN s1 - s0 < x1 - x0 THEN CASE WHEN s0 > 180 THEN s0 - 360 ELSE s0 END ELSE x0 END,
       ST_YMin(geom),
       CASE WHEN s1 - s0 < x1 - x0 THEN CASE WHEN s1 > 180 THEN s1 - 360 ELSE s1 END ELSE x1 END,
       ST_YMax(geom), area_km2
FROM c`
	var c Country
	err := s.db.QueryRow(ctx, q, iso3).Scan(&c.ISO3, &c.ISO2, &c.Name, &c.Region, &c.Subregion, &c.ISONumeric,
		&c.ISOOfficial, &c.LabelPoint[0], &c.LabelPoint[1], &c.BBox[0], &c.BBox[1], &c.BBox[2], &c.BBox[3], &c.AreaKm2)
	if errors.Is(err, pgx.ErrNoRows) {
		return Country{}, ErrNotFound
	}
	if err != nil {
		return Country{}, fmt.Errorf("country %s: %w", iso3, err)
	}
	c.Neighbours, err = s.Neighbours(ctx, iso3)
	return c, err
}

// Neighbours lists a country's land neighbours by name.
func (s *Store) Neighbours(ctx context.Context, iso3 string) ([]CountryRef, error) {
	const q = `
SELECT c.iso3, c.name FROM country_neighbour n JOIN country c ON c.iso3 = n.neighbour
WHERE n.iso3 = $1 ORDER BY c.name`
	rows, err := s.db.Query(ctx, q, iso3)
	if err != nil {
		return nil, fmt.Errorf("neighbours %s: %w", iso3, err)
	}
	refs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[CountryRef])
	if err != nil {
		return nil, fmt.Errorf("neighbours %s: %w", iso3, err)
	}
	return refs, nil
}

// CountryShape is one country's geometry as GeoJSON, produced by PostGIS.
type CountryShape struct {
	ISO3     string
	Name     string
	Geometry json.RawMessage
}

// Resolution selects the stored generalisation of country shapes.
type Resolution string

// The two stored resolutions.
const (
	Res110m Resolution = "110m"
	Res50m  Resolution = "50m"
)

// CountryShapes returns every country's geometry at the given resolution,
// with coordinates trimmed to a precision suited to it (about 100 m at 110m,
// 10 m at 50m).
func (s *Store) CountryShapes(ctx context.Context, res Resolution) ([]CountryShape, error) {
	q := `SELECT iso3, name, ST_AsGeoJSON(geom_110m, 3) FROM country ORDER BY iso3`
	if res == Res50m {
		q = `SELECT iso3, name, ST_AsGeoJSON(geom, 4) FROM country ORDER BY iso3`
	}
	rows, err := s.db.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("country shapes: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (CountryShape, error) {
		var c CountryShape
		var g string
		err := r.Scan(&c.ISO3, &c.Name, &g)
		c.Geometry = json.RawMessage(g)
		return c, err
	})
}
