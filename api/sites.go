package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/geo"
	"github.com/scs-diffusion/tracker/store"
)

var siteStatuses = map[string]bool{"planned": true, "active": true, "suspended": true, "cancelled": true, "stopped_by_court": true, "concluded": true}

type pointGeometry struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

type siteFeature struct {
	Type       string        `json:"type"`
	ID         int64         `json:"id"`
	Geometry   pointGeometry `json:"geometry"`
	Properties store.Site    `json:"properties"`
}

type siteCollection struct {
	Type           string        `json:"type"`
	DatasetVersion string        `json:"dataset_version"`
	Features       []siteFeature `json:"features"`
}

// listSites serves GET /api/v1/sites as a GeoJSON FeatureCollection of points.
func (h *handler) listSites(c *gin.Context) error {
	if err := onlyParams(c, "bbox", "capability", "vendor_country", "status", "country", "as_of"); err != nil {
		return err
	}
	ctx := c.Request.Context()
	sn, err := h.snapshot(ctx, nil)
	if err != nil {
		return err
	}
	var f store.SiteFilter
	if s, ok := c.GetQuery("bbox"); ok {
		b, err := geo.ParseBBox(s)
		var be *geo.BBoxError
		if errors.As(err, &be) {
			return badParam("bbox", be.Reason)
		}
		f.Bounds = b.Bounds()
	}
	if s, ok := c.GetQuery("capability"); ok {
		if f.Capability, err = parseCapability("capability", s, sn); err != nil {
			return err
		}
	}
	for _, p := range []struct {
		name string
		dst  *string
	}{{"vendor_country", &f.VendorCountry}, {"country", &f.Country}} {
		if s, ok := c.GetQuery(p.name); ok {
			if *p.dst, err = parseISO3(p.name, s); err != nil {
				return err
			}
			if _, known := sn.country[*p.dst]; !known {
				return badParam(p.name, *p.dst+" is not a known country")
			}
		}
	}
	if s, ok := c.GetQuery("status"); ok {
		if !siteStatuses[s] {
			return badParam("status", "must be one of planned, active, suspended, cancelled, stopped_by_court, concluded")
		}
		f.Status = s
	}
	if _, ok := c.GetQuery("as_of"); ok {
		tp, err := parseTimeParams(c)
		if err != nil {
			return err
		}
		f.AsOf = &tp.asOf
	}
	key := fmt.Sprintf("sites|%d|%s|%s", sn.revision.Revision, c.Request.URL.Query().Encode(), today().Format(time.DateOnly))
	e, err := h.cached(key, func() (*encoded, error) {
		sites, err := h.store.Sites(ctx, f)
		if err != nil {
			return nil, err
		}
		fc := siteCollection{Type: "FeatureCollection", DatasetVersion: sn.revision.Version, Features: make([]siteFeature, 0, len(sites))}
		for _, s := range sites {
			fc.Features = append(fc.Features, siteFeature{Type: "Feature", ID: s.ID,
				Geometry: pointGeometry{"Point", [2]float64{s.Point[0], s.Point[1]}}, Properties: s})
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
	e.serve(c, "public, max-age=300")
	return nil
}
