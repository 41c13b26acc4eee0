package api

import (
	"encoding/json"
	"fmt"

	"github.com/gin-gonic/gin"

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
	rev, err := h.revisions.Current(ctx)
	if err != nil {
		return err
	}
	key := fmt.Sprintf("geojson|%s|%d", res, rev.Revision)
	e, ok := h.cache.get(key)
	if !ok {
		shapes, err := h.store.CountryShapes(ctx, res)
		if err != nil {
			return err
		}
		fc := geoCollection{Type: "FeatureCollection", Features: make([]geoFeature, 0, len(shapes))}
		for _, s := range shapes {
			fc.Features = append(fc.Features, geoFeature{Type: "Feature", ID: s.ISO3,
				Properties: map[string]any{"iso3": s.ISO3, "name": s.Name}, Geometry: s.Geometry})
		}
		body, err := json.Marshal(fc)
		if err != nil {
			return err
		}
		e = newEncoded("application/geo+json", body, rev.Revision)
		h.cache.put(key, e)
	}
	e.serve(c, "public, max-age=300, stale-while-revalidate=86400")
	return nil
}
