package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
)

// Site is one geolocated deployment.
type Site struct {
	ID            int64     `json:"id"`
	Name          string    `json:"name"`
	Country       string    `json:"country"`
	Capability    string    `json:"capability"`
	Status        string    `json:"status"`
	Precision     string    `json:"precision"`
	Vendor        string    `json:"vendor"`
	VendorCountry *string   `json:"vendor_country"`
	Financier     string    `json:"financier"`
	ValidFrom     *Date     `json:"valid_from"`
	FromPrecision string    `json:"valid_from_precision"`
	ValidTo       *Date     `json:"valid_to"`
	Confidence    string    `json:"confidence"`
	Sources       []Source  `json:"sources"`
	Point         orb.Point `json:"-"`
}

// SiteFilter narrows the site list; zero values do not filter.
type SiteFilter struct {
	Bounds        []orb.Bound // any of these boxes (two when a query box crosses the antimeridian)
	Capability    string
	VendorCountry string
	Status        string
	Country       string
	AsOf          *time.Time // started on or before, not ended by this date
	Provenance    string     // dataset or report
}

// Sites lists the sites matching f, ordered by country and name.
func (s *Store) Sites(ctx context.Context, f SiteFilter) ([]Site, error) {
	var boxes [][4]float64
	for _, b := range f.Bounds {
		boxes = append(boxes, [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]})
	}
	flat := []float64{}
	for _, b := range boxes {
		flat = append(flat, b[:]...)
	}
	const q = `
SELECT id, name, country, capability, status, precision, vendor, vendor_country, financier, valid_from, valid_from_precision, valid_to, confidence,
       ST_X(geom), ST_Y(geom)
FROM site
WHERE ($1 = '' OR capability = $1) AND ($2 = '' OR vendor_country = $2) AND ($3 = '' OR status = $3)
  AND ($4 = '' OR country = $4) AND ($7 = '' OR provenance = $7)
  AND ($5::date IS NULL OR ((valid_from IS NULL OR valid_from <= $5) AND (valid_to IS NULL OR valid_to > $5)))
  AND (coalesce(cardinality($6::float8[]), 0) = 0 OR EXISTS (
        SELECT 1 FROM generate_series(1, cardinality($6::float8[]) / 4) i
        WHERE geom && ST_MakeEnvelope($6[i*4-3], $6[i*4-2], $6[i*4-1], $6[i*4], 4326)))
ORDER BY country, name`
	rows, err := s.db.Query(ctx, q, f.Capability, f.VendorCountry, f.Status, f.Country, f.AsOf, flat, f.Provenance)
	if err != nil {
		return nil, fmt.Errorf("sites: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Site, error) {
		var x Site
		var from, to *time.Time
		err := r.Scan(&x.ID, &x.Name, &x.Country, &x.Capability, &x.Status, &x.Precision, &x.Vendor, &x.VendorCountry,
			&x.Financier, &from, &x.FromPrecision, &to, &x.Confidence, &x.Point[0], &x.Point[1])
		if from != nil {
			d := DateOf(*from)
			x.ValidFrom = &d
		}
		if to != nil {
			d := DateOf(*to)
			x.ValidTo = &d
		}
		x.Sources = []Source{}
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("sites: %w", err)
	}
	err = attachSources(ctx, s, "site", list, func(x *Site) int64 { return x.ID },
		func(x *Site, src []Source) { x.Sources = src })
	return list, err
}
