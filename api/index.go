package api

import (
	"math"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/resemblance"
)

type indexCountry struct {
	ISO3      string              `json:"iso3"`
	Name      string              `json:"name"`
	Region    string              `json:"region"`
	Subregion string              `json:"subregion"`
	Assessed  bool                `json:"assessed"`
	Index     *float64            `json:"index"`
	Band      string              `json:"band"`
	Coverage  float64             `json:"coverage"`
	Pillars   map[string]*float64 `json:"pillars"`
	Levels    map[string]int8     `json:"levels"`
}

type dateRange struct {
	Min string `json:"min"`
	Max string `json:"max"`
}

type bandOut struct {
	Code  string  `json:"code"`
	Label string  `json:"label"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
}

type indexResponse struct {
	DatasetVersion string         `json:"dataset_version"`
	Revision       int64          `json:"revision"`
	AsOf           string         `json:"as_of"`
	Reference      string         `json:"reference"`
	Weights        string         `json:"weights"`
	TimeRange      dateRange      `json:"time_range"`
	Bands          []bandOut      `json:"bands"`
	Countries      []indexCountry `json:"countries"`
}

func bands() []bandOut {
	out := make([]bandOut, len(resemblance.Bands))
	for i, b := range resemblance.Bands {
		out[i] = bandOut{b.Code, b.Label, b.Min, b.Max}
	}
	return out
}

// round keeps scores readable: two decimals for indexes, three for shares.
func round(v float64, places int) float64 {
	f := math.Pow10(places)
	return math.Round(v*f) / f
}

func indexOf(r resemblance.Result) *float64 {
	if !r.Assessed {
		return nil
	}
	v := round(r.Index, 2)
	return &v
}

// getIndex serves GET /api/v1/index: every country's index, band, coverage,
// pillar scores and levels, the map's data.
func (h *handler) getIndex(c *gin.Context) error {
	return h.read(c, "public, max-age=60", func(r *readRequest) (build, error) {
		sn, p, err := indexRead(r)
		if err != nil {
			return nil, err
		}
		return r.bytesBuild(sn, jsonType, func() ([]byte, error) {
			sc, err := sn.Score(p.asOf, p.reference, p.weights)
			if err != nil {
				return nil, err
			}
			return appendIndexJSON(make([]byte, 0, 96<<10), sn, sc, p), nil
		}), nil
	})
}

func indexResponseOf(sn *readmodel.Snapshot, sc *readmodel.Scoring, p indexParams) indexResponse {
	min, max := sn.TimeRange(p.reference, today())
	codes := sn.Codes()
	out := indexResponse{
		DatasetVersion: sn.Revision.Version, Revision: sn.Revision.Revision, AsOf: p.asOf.Format(time.DateOnly),
		Reference: p.reference, Weights: p.weights.String(), TimeRange: dateRange{min.Format(time.DateOnly), max.Format(time.DateOnly)},
		Bands: bands(), Countries: make([]indexCountry, 0, len(sn.Countries())),
	}
	for _, c := range sn.Countries() {
		r := sc.Result(c.ISO3)
		row := indexCountry{ISO3: c.ISO3, Name: c.Name, Region: c.Region, Subregion: c.Subregion, Assessed: r.Assessed,
			Index: indexOf(r), Band: r.Band, Coverage: round(r.Coverage, 3), Pillars: map[string]*float64{}, Levels: map[string]int8{}}
		for _, ps := range r.Pillars {
			if ps.Counted && r.Assessed {
				v := round(ps.Score, 2)
				row.Pillars[ps.Code] = &v
			} else {
				row.Pillars[ps.Code] = nil
			}
		}
		for i, l := range sc.Levels[c.ISO3] {
			if l >= 0 {
				row.Levels[codes[i]] = l
			}
		}
		out.Countries = append(out.Countries, row)
	}
	return out
}
