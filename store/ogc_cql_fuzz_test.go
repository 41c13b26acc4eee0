package store

import (
	"errors"
	"strings"
	"testing"

	"github.com/scs-diffusion/tracker/cql2"
)

// FuzzCQLTranslate: whatever parses either translates, for every
// collection, to SQL whose placeholders match its bound values and that
// holds no quote of its own making, or is refused with a positioned error.
func FuzzCQLTranslate(f *testing.F) {
	for _, s := range []string{"status = 'active'", "index >= 30 AND band <> 'none'", "level BETWEEN 1 AND 3 OR pillar IN ('rating')",
		"name LIKE '%a%' AND NOT vendor IS NULL", "S_INTERSECTS(geometry, BBOX(170, -10, -170, 10))",
		"valid_from > DATE('2020-01-01')", "recorded_at < TIMESTAMP('2026-01-01T00:00:00Z')", "TRUE"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := cql2.Parse(s)
		if err != nil {
			return
		}
		for _, coll := range []Collection{CollSites, CollCountries, CollAssessments} {
			args := &Args{}
			sql, err := CQLFilter{e}.SQL(coll, args)
			if err != nil {
				var pe *cql2.Error
				if !errors.As(err, &pe) {
					t.Fatalf("%q on %s: error %v is not positioned", s, coll, err)
				}
				continue
			}
			for i := range args.list {
				if !strings.Contains(sql, "$"+itoa(i+1)) {
					t.Fatalf("%q on %s: $%d bound but not used in %s", s, coll, i+1, sql)
				}
			}
			if strings.Contains(strings.ReplaceAll(sql, "'not_assessed'", ""), "'") {
				t.Fatalf("%q on %s: a quote reached the SQL: %s", s, coll, sql)
			}
		}
	})
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}
