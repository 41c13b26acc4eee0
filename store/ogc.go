package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// The feature collections of the OGC API (/ogc). PostgreSQL selects and
// orders the features of a page (bbox, datetime, property and CQL2 filters,
// an exact count); package api builds each feature from the read model, so
// properties and scores are those of every other read.

// Collection names one OGC feature collection.
type Collection string

// The collections.
const (
	CollCountries   Collection = "countries"
	CollSites       Collection = "sites"
	CollAssessments Collection = "assessments"
)

// Queryable types, as JSON Schema names them (dates and timestamps are
// strings with a format; geometry is a GeoJSON geometry).
const (
	QString    = "string"
	QInteger   = "integer"
	QNumber    = "number"
	QDate      = "date"
	QTimestamp = "timestamp"
	QBoolean   = "boolean"
	QGeometry  = "geometry"
)

// Queryable is a property a filter may name: its type and the SQL
// expression it stands for. Filters can only name queryables, so no name
// from a request ever reaches SQL.
type Queryable struct {
	Name        string
	Type        string
	Description string
	sql         string
}

// collectionSQL is how one collection is queried.
type collectionSQL struct {
	from       string // FROM clause; $1 (and $2…) are bound by the collection's args
	key        string // unique order key, returned as text
	queryables []Queryable
	geometry   string // the geometry bbox and spatial filters test
	validFrom  string // validity columns for datetime; "" = the collection has no validity
	validTo    string
}

var collections = map[Collection]*collectionSQL{
	CollSites: {
		from:     "site s",
		key:      "s.id",
		geometry: "s.geom", validFrom: "s.valid_from", validTo: "s.valid_to",
		queryables: []Queryable{
			{"id", QInteger, "site id", "s.id"},
			{"name", QString, "name of the deployment", "s.name"},
			{"country", QString, "ISO 3166-1 alpha-3 code of the country it is in", "s.country"},
			{"capability", QString, "capability code (see /api/v1/capabilities)", "s.capability"},
			{"status", QString, "planned, active, suspended, cancelled, stopped_by_court or concluded", "s.status"},
			{"precision", QString, "how precise the point is: exact, city or region", "s.precision"},
			{"vendor", QString, "supplier, empty when unknown", "s.vendor"},
			{"vendor_country", QString, "ISO3 code of the vendor's home country, null when unknown", "s.vendor_country"},
			{"financier", QString, "who paid, empty when unknown", "s.financier"},
			{"valid_from", QDate, "start date, null when unknown", "s.valid_from"},
			{"valid_to", QDate, "end date (exclusive), null while it runs", "s.valid_to"},
			{"confidence", QString, "H, M or L", "s.confidence::text"},
			{"provenance", QString, "dataset (the shipped dataset) or report (an accepted partner report)", "s.provenance"},
			{"geometry", QGeometry, "the deployment's point", "s.geom"},
		},
	},
	CollCountries: {
		// $1..$4: the read model's scores at the request's date, so filters on
		// index, band and coverage agree with /api/v1/index.
		from: `country c LEFT JOIN unnest($1::text[], $2::float8[], $3::text[], $4::float8[]) AS sc(iso3, idx, band, coverage)
       ON sc.iso3 = c.iso3`,
		key:      "c.iso3",
		geometry: "c.geom",
		queryables: []Queryable{
			{"iso3", QString, "ISO 3166-1 alpha-3 code", "c.iso3"},
			{"name", QString, "English short name", "c.name"},
			{"region", QString, "UN M.49 region", "c.region"},
			{"subregion", QString, "UN M.49 subregion", "c.subregion"},
			{"index", QNumber, "resemblance index 0–100 at datetime, null when not assessed", "sc.idx"},
			{"band", QString, "band of the index, not_assessed when not assessed", "coalesce(sc.band, 'not_assessed')"},
			{"coverage", QNumber, "weighted share 0–1 of capabilities assessed", "coalesce(sc.coverage, 0)"},
			{"geometry", QGeometry, "the country's 1:50m outline", "c.geom"},
		},
	},
	CollAssessments: {
		// $1: the ids of the rows the read model stands by now (superseded
		// and retracted rows are left out, as in /api/v1/assessments).
		from:     "assessment a JOIN capability k ON k.code = a.capability JOIN country c ON c.iso3 = a.country",
		key:      "a.id",
		geometry: "c.label_point", validFrom: "a.valid_from", validTo: "a.valid_to",
		queryables: []Queryable{
			{"id", QInteger, "assessment row id", "a.id"},
			{"country", QString, "ISO3 code of the country", "a.country"},
			{"capability", QString, "capability code", "a.capability"},
			{"pillar", QString, "pillar code of the capability", "k.pillar"},
			{"level", QInteger, "adoption level 0–4", "a.level::int"},
			{"valid_from", QDate, "from when the level holds", "a.valid_from"},
			{"valid_to", QDate, "until when (exclusive), null while it holds", "a.valid_to"},
			{"confidence", QString, "H, M or L", "a.confidence::text"},
			{"recorded_at", QTimestamp, "when the tracker recorded the row", "a.recorded_at"},
			{"geometry", QGeometry, "the country's label point", "c.label_point"},
		},
	},
}

// Queryables lists the properties filters on a collection may name, in
// the order documents show them; nil for an unknown collection.
func Queryables(c Collection) []Queryable {
	cs, ok := collections[c]
	if !ok {
		return nil
	}
	return cs.queryables
}

// FindQueryable returns a collection's queryable by name.
func FindQueryable(c Collection, name string) (Queryable, bool) {
	for _, q := range Queryables(c) {
		if q.Name == name {
			return q, true
		}
	}
	return Queryable{}, false
}

// CountryScore is one country's score, passed in from the read model.
type CountryScore struct {
	ISO3     string
	Index    *float64
	Band     string
	Coverage float64
}

// FeatureQuery selects a page of one collection. Zero values do not filter.
type FeatureQuery struct {
	Collection Collection
	// Bounds: features whose geometry intersects any of these boxes (two
	// when the query box crosses the antimeridian).
	Bounds []orb.Bound
	// From and To bound datetime (dates, both inclusive, nil open): a
	// feature matches when its validity overlaps them; a feature with no
	// validity date matches, as OGC API Features asks.
	From, To *time.Time
	// Equals holds property = value filters, by queryable name; the value is
	// compared as text.
	Equals map[string]string
	// Filter is a further condition (a translated CQL2 filter).
	Filter Condition
	Limit  int
	Offset int

	Scores        []CountryScore // countries: the scores at the request's date
	AssessmentIDs []int64        // assessments: the rows the read model stands by
}

// Condition adds an SQL boolean expression to a query, binding its values
// through args (never concatenating them).
type Condition interface {
	SQL(coll Collection, args *Args) (string, error)
}

// Args collects bound parameters.
type Args struct{ list []any }

// Bind adds v and returns its placeholder.
func (a *Args) Bind(v any) string {
	a.list = append(a.list, v)
	return "$" + strconv.Itoa(len(a.list))
}

// FeaturePage is one page of keys (iso3 codes or ids, as text, in order)
// and how many features match in all.
type FeaturePage struct {
	Keys    []string
	Matched int
}

// Features selects the page q asks for.
func (s *Store) Features(ctx context.Context, q FeatureQuery) (FeaturePage, error) {
	cs, ok := collections[q.Collection]
	if !ok {
		return FeaturePage{}, fmt.Errorf("features: unknown collection %q", q.Collection)
	}
	args := &Args{}
	var where []string
	switch q.Collection {
	case CollCountries:
		iso, idx, band, cov := make([]string, len(q.Scores)), make([]*float64, len(q.Scores)), make([]string, len(q.Scores)), make([]float64, len(q.Scores))
		for i, sc := range q.Scores {
			iso[i], idx[i], band[i], cov[i] = sc.ISO3, sc.Index, sc.Band, sc.Coverage
		}
		args.Bind(iso)
		args.Bind(idx)
		args.Bind(band)
		args.Bind(cov)
	case CollAssessments:
		where = append(where, "a.id = ANY("+args.Bind(q.AssessmentIDs)+"::bigint[])")
	}
	if len(q.Bounds) > 0 {
		var ors []string
		for _, b := range q.Bounds {
			ors = append(ors, fmt.Sprintf("ST_Intersects(%s, ST_MakeEnvelope(%s, %s, %s, %s, 4326))", cs.geometry,
				args.Bind(b.Min[0]), args.Bind(b.Min[1]), args.Bind(b.Max[0]), args.Bind(b.Max[1])))
		}
		where = append(where, "("+strings.Join(ors, " OR ")+")")
	}
	if cs.validFrom != "" {
		if q.To != nil {
			where = append(where, fmt.Sprintf("(%s IS NULL OR %s <= %s::date)", cs.validFrom, cs.validFrom, args.Bind(*q.To)))
		}
		if q.From != nil {
			where = append(where, fmt.Sprintf("(%s IS NULL OR %s > %s::date)", cs.validTo, cs.validTo, args.Bind(*q.From)))
		}
	}
	for _, qb := range cs.queryables { // in a fixed order, so equal queries make equal SQL
		v, ok := q.Equals[qb.Name]
		if !ok {
			continue
		}
		where = append(where, fmt.Sprintf("%s::text = %s", qb.sql, args.Bind(v)))
	}
	for name := range q.Equals {
		if _, ok := FindQueryable(q.Collection, name); !ok {
			return FeaturePage{}, fmt.Errorf("features: %q is not a queryable of %s", name, q.Collection)
		}
	}
	if q.Filter != nil {
		cond, err := q.Filter.SQL(q.Collection, args)
		if err != nil {
			return FeaturePage{}, err
		}
		where = append(where, "("+cond+")")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	limit := max(q.Limit, 0)
	sql := "SELECT count(*) OVER (), " + cs.key + "::text FROM " + cs.from + cond +
		" ORDER BY " + cs.key + " LIMIT " + args.Bind(limit) + " OFFSET " + args.Bind(max(q.Offset, 0))
	rows, err := s.db.Query(ctx, sql, args.list...)
	if err != nil {
		return FeaturePage{}, fmt.Errorf("features %s: %w", q.Collection, err)
	}
	var page FeaturePage
	page.Keys = []string{}
	for rows.Next() {
		var key string
		if err := rows.Scan(&page.Matched, &key); err != nil {
			rows.Close()
			return FeaturePage{}, fmt.Errorf("features %s: %w", q.Collection, err)
		}
		page.Keys = append(page.Keys, key)
	}
	if err := rows.Err(); err != nil {
		return FeaturePage{}, fmt.Errorf("features %s: %w", q.Collection, err)
	}
	if len(page.Keys) == 0 && (q.Offset > 0 || limit == 0) { // past the end: the window saw no row to count on
		n := len(args.list) - 2
		err := s.db.QueryRow(ctx, "SELECT count(*) FROM "+cs.from+cond, args.list[:n]...).Scan(&page.Matched)
		if err != nil {
			return FeaturePage{}, fmt.Errorf("features %s: count: %w", q.Collection, err)
		}
	}
	return page, nil
}
