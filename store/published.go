package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
)

// Published is the whole published dataset at one revision: what every read
// of the tracker answers from. It is small (a few megabytes), so the read
// model keeps it in memory and the database is read once per revision.
type Published struct {
	Revision    Revision
	Taxonomy    Taxonomy
	Countries   []Country    // ordered by name
	Assessments []Assessment // every row ever recorded, superseded and retracted ones included, ordered by id
	Sources     []Source     // ordered by id
	Sites       []Site       // ordered by country and name
	Events      []ConstraintEvent
	Notes       []Note   // ordered by country and position
	Changes     []Change // the change log, newest first
}

// ErrBehind reports a read database that has not yet replayed the revision
// asked for (a streaming replica lagging the primary).
var ErrBehind = errors.New("store: read database is behind the revision asked for")

// LoadPublished reads the published dataset in one read-only, repeatable-read
// transaction, so every part of it belongs to the same revision. It returns
// ErrBehind when the database's revision is older than minRevision.
func (s *Store) LoadPublished(ctx context.Context, minRevision int64) (*Published, error) {
	var p Published
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		q := &Store{pool: s.pool, db: tx}
		var err error
		if p.Revision, err = q.CurrentRevision(ctx); err != nil {
			return err
		}
		if p.Revision.Revision < minRevision {
			return fmt.Errorf("%w: has %d, want %d", ErrBehind, p.Revision.Revision, minRevision)
		}
		if p.Taxonomy, err = q.TaxonomyFromDB(ctx); err != nil {
			return err
		}
		if p.Countries, err = q.allCountries(ctx); err != nil {
			return err
		}
		if p.Sources, err = q.sourcesByID(ctx); err != nil {
			return err
		}
		if p.Assessments, err = q.allAssessments(ctx); err != nil {
			return err
		}
		if p.Sites, err = q.Sites(ctx, ""); err != nil {
			return err
		}
		if p.Events, err = q.ConstraintEvents(ctx, ""); err != nil {
			return err
		}
		if p.Notes, err = q.Notes(ctx, ""); err != nil {
			return err
		}
		p.Changes, err = q.allChanges(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load published: %w", err)
	}
	return &p, nil
}

func (s *Store) allCountries(ctx context.Context) ([]Country, error) {
	const q = `
WITH c AS (
    SELECT *, ST_XMin(geom) AS x0, ST_XMax(geom) AS x1,
           ST_XMin(ST_ShiftLongitude(geom)) AS s0, ST_XMax(ST_ShiftLongitude(geom)) AS s1
    FROM country
)
SELECT iso3, coalesce(iso2, ''), name, ne_name, region, subregion, coalesce(iso_numeric, ''), iso_official,
       ST_X(label_point), ST_Y(label_point),
       -- A country spread across the antimeridian (Russia, Fiji, the USA) gets the narrower box
       -- that crosses it, written as RFC 7946 §5.2 does: west > east.
       CASE WHEN s1 - s0 < x1 - x0 THEN CASE WHEN s0 > 180 THEN s0 - 360 ELSE s0 END ELSE x0 END,
       ST_YMin(geom),
       CASE WHEN s1 - s0 < x1 - x0 THEN CASE WHEN s1 > 180 THEN s1 - 360 ELSE s1 END ELSE x1 END,
       ST_YMax(geom), area_km2,
       coalesce((SELECT array_agg(n.neighbour ORDER BY nc.name) FROM country_neighbour n
                 JOIN country nc ON nc.iso3 = n.neighbour WHERE n.iso3 = c.iso3), '{}')
FROM c ORDER BY name, iso3`
	rows, err := s.db.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("countries: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Country, error) {
		var c Country
		err := r.Scan(&c.ISO3, &c.ISO2, &c.Name, &c.NEName, &c.Region, &c.Subregion, &c.ISONumeric, &c.ISOOfficial,
			&c.LabelPoint[0], &c.LabelPoint[1], &c.BBox[0], &c.BBox[1], &c.BBox[2], &c.BBox[3], &c.AreaKm2, &c.Neighbours)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("countries: %w", err)
	}
	return list, nil
}

func (s *Store) sourcesByID(ctx context.Context) ([]Source, error) {
	rows, err := s.db.Query(ctx, `SELECT `+sourceColumns+` FROM source ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	list, err := pgx.CollectRows(rows, scanSource)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	return list, nil
}

func (s *Store) allAssessments(ctx context.Context) ([]Assessment, error) {
	rows, err := s.db.Query(ctx, `SELECT `+assessmentColumns+` FROM assessment a ORDER BY a.id`, recordedBound(nil))
	if err != nil {
		return nil, fmt.Errorf("assessments: %w", err)
	}
	list, err := pgx.CollectRows(rows, scanAssessment)
	if err != nil {
		return nil, fmt.Errorf("assessments: %w", err)
	}
	return list, s.attachAssessmentSources(ctx, list)
}

func optionalDate(t *time.Time) *Date {
	if t == nil {
		return nil
	}
	d := DateOf(*t)
	return &d
}

// Site is one geolocated deployment.
type Site struct {
	ID            int64
	Name          string
	Country       string
	Capability    string
	Status        string
	Precision     string
	Vendor        string
	VendorCountry *string
	Financier     string
	ValidFrom     *Date
	FromPrecision string
	ValidTo       *Date
	Confidence    string
	Summary       string  // what the evidence says; '' for the shipped dataset's sites (its format has none)
	Provenance    string  // "dataset" (the shipped dataset) or "report"
	ReportID      *int64  // the accepted report a report site came from
	Organisation  *string // that report's organisation; nil when it stays unnamed (or for dataset sites)
	Sources       []Source
	Point         orb.Point
}
