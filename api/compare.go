package api

import (
	"fmt"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/readmodel"
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
func parseCompareList(c *gin.Context, sn *readmodel.Snapshot) ([]string, error) {
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
		if _, known := sn.Country(iso); !known {
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
	return h.read(c, "public, max-age=60", func(r *readRequest) (build, error) {
		sn, p, err := indexRead(r, "iso3")
		if err != nil {
			return nil, err
		}
		list, err := parseCompareList(c, sn)
		if err != nil {
			return nil, err
		}
		return r.jsonBuild(sn, jsonType, func() (any, error) {
			sc, err := sn.ScoreOnly(p.asOf, p.reference, p.weights, list...)
			if err != nil {
				return nil, err
			}
			return compareOf(sn, sc, p, list), nil
		}), nil
	})
}

func compareOf(sn *readmodel.Snapshot, sc *readmodel.Scoring, p indexParams, list []string) compareResponse {
	out := compareResponse{DatasetVersion: sn.Revision.Version, AsOf: p.asOf.Format(time.DateOnly), Reference: p.reference}
	series := sn.Series(p.asOf, p.reference, p.weights, list)
	for _, iso := range list {
		r := sc.Result(iso)
		c, _ := sn.Country(iso)
		points := make([]seriesPoint, 0, len(series[iso]))
		for _, pt := range series[iso] {
			sp := seriesPoint{Year: pt.Year}
			if pt.Scored {
				sp.Assessed, sp.Index = pt.Result.Assessed, indexOf(pt.Result)
			}
			points = append(points, sp)
		}
		out.Countries = append(out.Countries, compareCountry{ISO3: iso, Name: c.Name, Assessed: r.Assessed,
			Index: indexOf(r), Band: r.Band, Coverage: round(r.Coverage, 3),
			Pillars: pillarsOut(sn, r.Pillars, nil, r.Assessed), Series: points})
	}
	for i, code := range sn.Codes() {
		cp, _ := sn.Capability(code)
		row := compareCapability{Code: code, Name: cp.Name, Pillar: cp.Pillar, ReferenceLevel: max(int(sc.RefLevels[i]), 0), Levels: map[string]*int{}}
		for _, iso := range list {
			row.Levels[iso] = nil
			if l := sc.Levels[iso]; l != nil && l[i] >= 0 {
				v := int(l[i])
				row.Levels[iso] = &v
			}
		}
		out.Capabilities = append(out.Capabilities, row)
	}
	return out
}
