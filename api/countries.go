package api

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/readmodel"
)

// countryRow is one row of the country list.
type countryRow struct {
	countrySummaryOut
	Assessed bool     `json:"assessed"`
	Index    *float64 `json:"index"`
	Band     string   `json:"band"`
	Coverage float64  `json:"coverage"`
}

// countrySorts are the accepted values of `sort`; ties break by name.
var countrySorts = map[string]func(a, b countryRow) int{
	"name": func(a, b countryRow) int { return cmp.Compare(a.Name, b.Name) },
	"iso3": func(a, b countryRow) int { return cmp.Compare(a.ISO3, b.ISO3) },
	"region": func(a, b countryRow) int {
		return cmp.Compare(a.Region+"\x1f"+a.Subregion, b.Region+"\x1f"+b.Subregion)
	},
	"index": compareIndex,
}

// compareIndex orders by index.
func compareIndex(a, b countryRow) int { return cmp.Compare(*a.Index, *b.Index) }

// sortCountries orders by the sort key ("-" for descending), ties by name;
// not-assessed countries come last when sorting by index, either way.
func sortCountries(key string) func(a, b countryRow) int {
	desc := strings.HasPrefix(key, "-")
	field := strings.TrimPrefix(key, "-")
	by := countrySorts[field]
	return func(a, b countryRow) int {
		if field == "index" && (a.Index == nil || b.Index == nil) {
			switch {
			case a.Index == nil && b.Index == nil:
				return cmp.Compare(a.Name, b.Name)
			case a.Index == nil:
				return 1
			default:
				return -1
			}
		}
		n := by(a, b)
		if desc {
			n = -n
		}
		if n == 0 {
			return cmp.Compare(a.Name, b.Name)
		}
		return n
	}
}

type countryList struct {
	DatasetVersion string       `json:"dataset_version"`
	AsOf           string       `json:"as_of"`
	Countries      []countryRow `json:"countries"`
	Total          int          `json:"total"`
	Next           *string      `json:"next"`
}

// listCountries serves GET /api/v1/countries.
func (h *handler) listCountries(c *gin.Context) error {
	return h.read(c, "public, max-age=60", func(r *readRequest) (build, error) {
		sn, p, err := indexRead(r, "region", "subregion", "q", "sort", "limit", "cursor", "min_index", "capability", "min_level")
		if err != nil {
			return nil, err
		}
		sortKey := c.DefaultQuery("sort", "name")
		if _, ok := countrySorts[strings.TrimPrefix(sortKey, "-")]; !ok {
			return nil, badParam("sort", "must be one of name, iso3, region, index, optionally prefixed with - for descending")
		}
		limit, err := parseLimit(c, 50, 500)
		if err != nil {
			return nil, err
		}
		minIndex, hasMinIndex, err := parseNumber(c, "min_index", 0, 100)
		if err != nil {
			return nil, err
		}
		capability, minLevel, err := parseCapabilityFilter(c, sn)
		if err != nil {
			return nil, err
		}
		fp := fingerprint(c.Request.URL.Query(), "cursor", "limit")
		offset, err := parseCursor(c, fp)
		if err != nil {
			return nil, err
		}
		f := readmodel.CountryFilter{Region: c.Query("region"), Subregion: c.Query("subregion"), Q: c.Query("q")}
		q := c.Request.URL.Query()
		path := c.Request.URL.Path
		return r.jsonBuild(sn, jsonType, func() (any, error) {
			sc, err := sn.Score(p.asOf, p.reference, p.weights)
			if err != nil {
				return nil, err
			}
			capIndex, _ := sn.CapabilityIndex(capability)
			rows := []countryRow{}
			for _, s := range sn.FindCountries(f) {
				r := sc.Result(s.ISO3)
				row := countryRow{countrySummaryOut: summaryOf(s), Assessed: r.Assessed, Index: indexOf(r), Band: r.Band, Coverage: round(r.Coverage, 3)}
				if hasMinIndex && (row.Index == nil || *row.Index < minIndex) {
					continue
				}
				if capability != "" {
					l := sc.Levels[s.ISO3]
					if l == nil || int(l[capIndex]) < minLevel {
						continue
					}
				}
				rows = append(rows, row)
			}
			slices.SortStableFunc(rows, sortCountries(sortKey))
			out := countryList{DatasetVersion: sn.Revision.Version, AsOf: p.asOf.Format(time.DateOnly),
				Countries: page(rows, offset, limit), Total: len(rows)}
			if offset+limit < len(rows) {
				next := nextLink(path, q, encodeCursor(offset+limit, fp))
				out.Next = &next
			}
			return out, nil
		}), nil
	})
}

// parseCapabilityFilter reads capability + min_level (default 1); min_level alone is refused.
func parseCapabilityFilter(c *gin.Context, sn *readmodel.Snapshot) (string, int, error) {
	s, hasCap := c.GetQuery("capability")
	lvl, hasLevel, err := parseNumber(c, "min_level", 0, 4)
	if err != nil {
		return "", 0, err
	}
	if lvl != float64(int(lvl)) {
		return "", 0, badParam("min_level", "must be an integer from 0 to 4")
	}
	if !hasCap {
		if hasLevel {
			return "", 0, badParam("min_level", "needs capability, the capability whose level it filters on")
		}
		return "", 0, nil
	}
	code, err := parseCapability("capability", s, sn)
	if err != nil {
		return "", 0, err
	}
	if !hasLevel {
		lvl = 1
	}
	return code, int(lvl), nil
}

// page returns rows[offset:offset+limit], clamped.
func page[T any](rows []T, offset, limit int) []T {
	if offset >= len(rows) {
		return []T{}
	}
	return rows[offset:min(offset+limit, len(rows))]
}

// nextLink is the request URL (path and query) with its cursor replaced.
func nextLink(path string, query url.Values, cur string) string {
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("cursor", cur)
	u := url.URL{Path: path, RawQuery: q.Encode()}
	return u.String()
}

// fingerprint identifies a query's filters and sort, leaving out the named
// paging parameters, so a cursor only continues the query it came from.
func fingerprint(q url.Values, skip ...string) string {
	q2 := url.Values{}
	for k, v := range q {
		if !slices.Contains(skip, k) {
			q2[k] = v
		}
	}
	sum := sha256.Sum256([]byte(q2.Encode()))
	return hex.EncodeToString(sum[:8])
}
