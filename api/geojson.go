package api

import (
	"encoding/json"
	"fmt"
	"time"

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

// countriesGeoJSON serves every country as an RFC 7946 FeatureCollection,
// encoded once per data revision and resolution and kept pre-compressed.
func (h *handler) countriesGeoJSON(c *gin.Context) error {
	if err := onlyParams(c, "resolution"); err != nil {
		return err
	}
	res := store.Resolution(c.DefaultQuery("resolution", "110m"))
	if res != store.Res110m && res != store.Res50m {
		return badParam("resolution", "must be 110m or 50m")
	}
	ctx := c.Request.Context()
	sn, err := h.snapshot(ctx, nil)
	if err != nil {
		return err
	}
	day := today()
	key := fmt.Sprintf("geojson|%s|%d|%s", res, sn.revision.Revision, day.Format(time.DateOnly))
	e, err := h.cached(key, func() (*encoded, error) {
		shapes, err := h.store.CountryShapes(ctx, res)
		if err != nil {
			return nil, err
		}
		sc, err := sn.score(day, "CHN", resemblance.Weights{})
		if err != nil {
			sc = nil // no reference data yet: shapes without scores
		}
		fc := geoCollection{Type: "FeatureCollection", Features: make([]geoFeature, 0, len(shapes))}
		for _, s := range shapes {
			props := map[string]any{"iso3": s.ISO3, "name": s.Name, "index": nil, "band": resemblance.BandNotAssessed, "coverage": 0.0}
			if sc != nil {
				r := sc.result(s.ISO3)
				props["index"], props["band"], props["coverage"] = indexOf(r), r.Band, round(r.Coverage, 3)
			}
			fc.Features = append(fc.Features, geoFeature{Type: "Feature", ID: s.ISO3, Properties: props, Geometry: s.Geometry})
		}
		body, err := json.Marshal(fc)
		if err != nil {
			return nil, err
		}
		return newEncoded("application/geo+json", body, sn.revision.Revision), nil
	})
	if err != nil {
		return err
	}
	e.serve(c, "public, max-age=300, stale-while-revalidate=86400")
	return nil
}
