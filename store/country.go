package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// CountrySummary is one row of the country list.
type CountrySummary struct {
	ISO3      string
	ISO2      string
	Name      string
	Region    string
	Subregion string
}

// Country is one country with its geography facts.
type Country struct {
	CountrySummary
	NEName      string // the Natural Earth name, also searched
	ISONumeric  string
	ISOOfficial bool
	LabelPoint  [2]float64
	BBox        [4]float64
	AreaKm2     float64
	Neighbours  []string // ISO3 codes of land neighbours, by name
}

// Country returns one country with its geography and neighbours, or ErrNotFound.
func (s *Store) Country(ctx context.Context, iso3 string) (Country, error) {
	list, err := s.allCountries(ctx)
	if err != nil {
		return Country{}, err
	}
	for _, c := range list {
		if c.ISO3 == iso3 {
			return c, nil
		}
	}
	return Country{}, ErrNotFound
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
