package api

import (
	"compress/gzip"
	"context"
	"encoding/json"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/resemblance"
	"github.com/scs-diffusion/tracker/store"
)

type geoFeature struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Properties map[string]any  `json:"properties"`
	Geometry   json.RawMessage `json:"geometry"`
}

type geoCollection struct {
	Type     string       `json:"type"`
	Features []geoFeature `json:"features"`
}

// countriesGeoJSON serves every country as an RFC 7946 FeatureCollection
// with today's index against China.
func (h *handler) countriesGeoJSON(c *gin.Context) error {
	return h.read(c, "public, max-age=300, stale-while-revalidate=86400", func(r *readRequest) (build, error) {
		if err := onlyParams(c, "resolution"); err != nil {
			return nil, err
		}
		res := store.Resolution(c.DefaultQuery("resolution", "110m"))
		if res != store.Res110m && res != store.Res50m {
			return nil, badParam("resolution", "must be 110m or 50m")
		}
		sn, err := r.snapshot(nil)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) (*encoded, error) {
			shapes, err := sn.Shapes(ctx, res)
			if err != nil {
				return nil, err
			}
			sc, err := sn.Score(today(), "CHN", resemblance.Weights{})
			if err != nil {
				sc = nil // no reference data yet: shapes without scores
			}
			fc := geoCollection{Type: "FeatureCollection", Features: make([]geoFeature, 0, len(shapes))}
			for _, s := range shapes {
				props := map[string]any{"iso3": s.ISO3, "name": s.Name, "index": nil, "band": resemblance.BandNotAssessed, "coverage": 0.0}
				if sc != nil {
					r := sc.Result(s.ISO3)
					props["index"], props["band"], props["coverage"] = indexOf(r), r.Band, round(r.Coverage, 3)
				}
				fc.Features = append(fc.Features, geoFeature{Type: "Feature", ID: s.ISO3, Properties: props, Geometry: s.Geometry})
			}
			body, err := json.Marshal(fc)
			if err != nil {
				return nil, err
			}
			return newEncoded("application/geo+json", body, sn.Revision.Revision, gzip.DefaultCompression), nil
		}, nil
	})
}
