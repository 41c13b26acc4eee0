package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Sites lists every site (of one provenance, "dataset" or "report"; "" for
// all), ordered by country and name, with their sources. Filtering for the
// API happens in memory, in package readmodel.
func (s *Store) Sites(ctx context.Context, provenance string) ([]Site, error) {
	const q = `
SELECT id, name, country, capability, status, precision, vendor, vendor_country, financier, valid_from, valid_from_precision, valid_to, confidence, summary,
       ST_X(geom), ST_Y(geom), provenance, report_id,
       (SELECT o.name FROM report r JOIN organisation o ON o.id = r.organisation_id WHERE r.id = site.report_id AND o.named) AS organisation
FROM site WHERE $1 = '' OR provenance = $1
ORDER BY country, name`
	rows, err := s.db.Query(ctx, q, provenance)
	if err != nil {
		return nil, fmt.Errorf("sites: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Site, error) {
		var x Site
		var from, to *time.Time
		err := r.Scan(&x.ID, &x.Name, &x.Country, &x.Capability, &x.Status, &x.Precision, &x.Vendor, &x.VendorCountry,
			&x.Financier, &from, &x.FromPrecision, &to, &x.Confidence, &x.Summary, &x.Point[0], &x.Point[1],
			&x.Provenance, &x.ReportID, &x.Organisation)
		x.ValidFrom, x.ValidTo = optionalDate(from), optionalDate(to)
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
