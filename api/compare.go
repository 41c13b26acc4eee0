package api

import (
	"fmt"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

type seriesPoint struct {
	Year     int      `json:"year"`
	Assessed bool     `json:"assessed"`
	Index    *float64 `json:"index"`
}

type compareCountry struct {
	ISO3     string        `json:"iso3"`
	Name     string        `json:"name"`
	Assessed bool          `json:"assessed"`
	Index    *float64      `json:"index"`
	Band     string        `json:"band"`
	Coverage float64       `json:"coverage"`
	Pillars  []pillarOut   `json:"pillars"`
	Series   []seriesPoint `json:"series"`
}

type compareCapability struct {
	Code           string          `json:"code"`
	Name           string          `json:"name"`
	Pillar         string          `json:"pillar"`
	ReferenceLevel int             `json:"reference_level"`
	Levels         map[string]*int `json:"levels"`
}

type compareResponse struct {
	DatasetVersion string              `json:"dataset_version"`
	AsOf           string              `json:"as_of"`
	Reference      string              `json:"reference"`
	Countries      []compareCountry    `json:"countries"`
	Capabilities   []compareCapability `json:"capabilities"`
}

const maxCompare = 6

// parseCompareList reads iso3=A,B[,…]: 2 to 6 distinct known countries.
func parseCompareList(c *gin.Context, sn *snapshot) ([]string, error) {
	raw, ok := c.GetQuery("iso3")
	if !ok || strings.TrimSpace(raw) == "" {
		return nil, badParam("iso3", "list 2 to 6 country codes, e.g. iso3=RUS,IRN")
	}
	parts := strings.Split(raw, ",")
	if len(parts) < 2 || len(parts) > maxCompare {
		return nil, badParam("iso3", fmt.Sprintf("compare 2 to %d countries; got %d", maxCompare, len(parts)))
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range parts {
		iso, err := parseISO3("iso3", strings.TrimSpace(p))
		if err != nil {
			return nil, err
		}
		if _, known := sn.country[iso]; !known {
			return nil, badParam("iso3", iso+" is not a known country")
		}
		if seen[iso] {
			return nil, badParam("iso3", iso+" is listed twice")
		}
		seen[iso] = true
		out = append(out, iso)
	}
	return out, nil
}

// getCompare serves GET /api/v1/compare: 2–6 countries side by side, per
// pillar and capability, with each one's index year by year.
func (h *handler) getCompare(c *gin.Context) error {
	sn, p, err := h.indexRead(c, "iso3")
	if err != nil {
		return err
	}
	list, err := parseCompareList(c, sn)
	if err != nil {
		return err
	}
	sc, err := sn.score(p.asOf, p.reference, p.weights)
	if err != nil {
		return err
	}
	return h.serveJSON(c, sn, "public, max-age=60", func() (any, error) {
		out := compareResponse{DatasetVersion: sn.revision.Version, AsOf: p.asOf.Format(time.DateOnly), Reference: p.reference}
		series := sn.series(p, list)
		for _, iso := range list {
			r := sc.result(iso)
			out.Countries = append(out.Countries, compareCountry{ISO3: iso, Name: sn.country[iso].Name, Assessed: r.Assessed,
				Index: indexOf(r), Band: r.Band, Coverage: round(r.Coverage, 3),
				Pillars: sn.pillarsOut(r.Pillars, nil, r.Assessed), Series: series[iso]})
		}
		for i, code := range sn.codes {
			cp := sn.caps[code]
			row := compareCapability{Code: code, Name: cp.Name, Pillar: cp.Pillar, ReferenceLevel: max(int(sc.refLevels[i]), 0), Levels: map[string]*int{}}
			for _, iso := range list {
				row.Levels[iso] = nil
				if l := sc.levels[iso]; l != nil && l[i] >= 0 {
					v := int(l[i])
					row.Levels[iso] = &v
				}
			}
			out.Capabilities = append(out.Capabilities, row)
		}
		return out, nil
	})
}

// series scores the countries at the end of every year from the first
// assessment to as_of (the last point is as_of itself).
func (sn *snapshot) series(p indexParams, list []string) map[string][]seriesPoint {
	out := map[string][]seriesPoint{}
	min, _ := sn.timeRange(p.reference, p.asOf)
	first := min.Year()
	for y := first; y <= p.asOf.Year(); y++ {
		date := time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
		if y == p.asOf.Year() {
			date = p.asOf
		}
		sc, err := sn.score(date, p.reference, p.weights)
		for _, iso := range list {
			pt := seriesPoint{Year: y}
			if err == nil {
				r := sc.result(iso)
				pt.Assessed, pt.Index = r.Assessed, indexOf(r)
			}
			out[iso] = append(out[iso], pt)
		}
	}
	return out
}
