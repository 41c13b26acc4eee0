package store

import (
	"errors"
	"strings"
	"testing"

	"github.com/scs-diffusion/tracker/cql2"
)

// TestCQLBindsEveryValue: the SQL of a filter holds the queryables' own
// expressions and placeholders, never a value or a name from the filter.
func TestCQLBindsEveryValue(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		coll   Collection
		filter string
		sql    string
		args   int
	}{
		{CollSites, "status = 'active'", `(s.status = $1::text)`, 1},
		{CollSites, "name = 'x''; DROP TABLE site; --'", `(s.name = $1::text)`, 1},
		{CollSites, "vendor_country IN ('CHN', 'USA') AND NOT status = 'planned'",
			`((s.vendor_country IN ($1::text, $2::text)) AND (NOT (s.status = $3::text)))`, 3},
		{CollSites, "valid_from BETWEEN DATE('2019-01-01') AND DATE('2020-12-31')", `(s.valid_from BETWEEN $1::date AND $2::date)`, 2},
		{CollSites, "name NOT LIKE '%Safe%' OR vendor IS NULL", `((s.name NOT LIKE $1::text) OR (s.vendor IS NULL))`, 1},
		{CollSites, "S_INTERSECTS(geometry, BBOX(170, -20, -170, 10))",
			`(ST_Intersects(s.geom, ST_MakeEnvelope($1, $2, $3, $4, 4326)) OR ST_Intersects(s.geom, ST_MakeEnvelope($5, $6, $7, $8, 4326)))`, 8},
		{CollSites, "S_INTERSECTS(POINT(1 2), geometry)", `ST_Intersects(s.geom, ST_MakeValid(ST_GeomFromWKB($1, 4326)))`, 1},
		{CollCountries, "index >= 30 AND band <> 'none'", `((sc.idx >= $1::float8) AND (coalesce(sc.band, 'not_assessed') <> $2::text))`, 2},
		{CollAssessments, "level > 2 AND recorded_at < TIMESTAMP('2026-01-01T00:00:00Z')",
			`((a.level::int > $1::float8) AND (a.recorded_at < $2::timestamptz))`, 2},
		{CollAssessments, "TRUE AND 1 = 1", `(TRUE AND ($1::float8 = $2::float8))`, 2},
	} {
		e, err := cql2.Parse(tc.filter)
		if err != nil {
			t.Fatalf("%s: %v", tc.filter, err)
		}
		args := &Args{}
		sql, err := CQLFilter{e}.SQL(tc.coll, args)
		if err != nil {
			t.Errorf("%s on %s: %v", tc.filter, tc.coll, err)
			continue
		}
		if sql != tc.sql || len(args.list) != tc.args {
			t.Errorf("%s on %s:\n got %s (%d args)\nwant %s (%d args)", tc.filter, tc.coll, sql, len(args.list), tc.sql, tc.args)
		}
	}
}

func TestCQLRefusesWhatItCannotMean(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		coll   Collection
		filter string
		pos    int
	}{
		{CollSites, "nme = 'x'", 1},
		{CollSites, `"s.name; DROP TABLE site" = 'x'`, 1},
		{CollSites, "valid_from > '2020-01-01'", 12},
		{CollSites, "status = 3", 8},
		{CollSites, "id LIKE '1%'", 1},
		{CollSites, "status LIKE 3", 13},
		{CollSites, "status BETWEEN 'a' AND 3", 8},
		{CollSites, "status IN ('a', 3)", 17},
		{CollSites, "geometry = 'x'", 10},
		{CollSites, "geometry IS NULL", 10},
		{CollSites, "S_INTERSECTS(status, POINT(1 1))", 14},
		{CollSites, "S_INTERSECTS(POINT(1 1), POINT(2 2))", 1},
		{CollSites, "S_INTERSECTS(geometry, geometry)", 24},
		{CollCountries, "index > '50'", 7},
		{CollCountries, "vendor = 'Huawei'", 1},
		{CollAssessments, "TRUE < FALSE", 6},
	} {
		e, err := cql2.Parse(tc.filter)
		if err != nil {
			t.Fatalf("%s: %v", tc.filter, err)
		}
		err = CheckFilter(tc.coll, e)
		var pe *cql2.Error
		if !errors.As(err, &pe) || pe.Pos != tc.pos {
			t.Errorf("%s on %s: %v, want an error at character %d", tc.filter, tc.coll, err, tc.pos)
		}
		if err != nil && strings.Contains(err.Error(), "DROP TABLE site\" =") {
			t.Errorf("%s: the error repeats the whole expression", tc.filter)
		}
	}
}
