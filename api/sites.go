package api

import (
	"errors"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/geo"
	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/store"
)

var siteStatuses = map[string]bool{"planned": true, "active": true, "suspended": true, "cancelled": true, "stopped_by_court": true, "concluded": true}

type pointGeometry struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

// siteFields are a site's properties, the same in /api/v1/sites and in the
// OGC sites collection (where the id is the feature's own).
type siteFields struct {
	Name          string      `json:"name"`
	Country       string      `json:"country"`
	Capability    string      `json:"capability"`
	Status        string      `json:"status"`
	Precision     string      `json:"precision"`
	Vendor        string      `json:"vendor"`
	VendorCountry *string     `json:"vendor_country"`
	Financier     string      `json:"financier"`
	ValidFrom     *string     `json:"valid_from"`
	FromPrecision string      `json:"valid_from_precision"`
	ValidTo       *string     `json:"valid_to"`
	Confidence    string      `json:"confidence"`
	Summary       string      `json:"summary"`
	Provenance    string      `json:"provenance"`
	ReportID      *int64      `json:"report_id"`
	Organisation  *string     `json:"organisation"`
	Sources       []sourceOut `json:"sources"`
}

type siteProps struct {
	ID int64 `json:"id"`
	siteFields
}

type siteFeature struct {
	Type       string        `json:"type"`
	ID         int64         `json:"id"`
	Geometry   pointGeometry `json:"geometry"`
	Properties siteProps     `json:"properties"`
}

type siteCollection struct {
	Type           string        `json:"type"`
	DatasetVersion string        `json:"dataset_version"`
	Features       []siteFeature `json:"features"`
}

// listSites serves GET /api/v1/sites as a GeoJSON FeatureCollection of points.
func (h *handler) listSites(c *gin.Context) error {
	return h.read(c, "public, max-age=300", func(r *readRequest) (build, error) {
		if err := onlyParams(c, "bbox", "capability", "vendor_country", "status", "country", "as_of"); err != nil {
			return nil, err
		}
		sn, err := r.snapshot(nil)
		if err != nil {
			return nil, err
		}
		f, err := parseSiteFilter(c, sn)
		if err != nil {
			return nil, err
		}
		return r.jsonBuild(sn, "application/geo+json", func() (any, error) {
			sites := sn.Sites(f)
			fc := siteCollection{Type: "FeatureCollection", DatasetVersion: sn.Revision.Version, Features: make([]siteFeature, 0, len(sites))}
			for _, s := range sites {
				fc.Features = append(fc.Features, siteFeature{Type: "Feature", ID: s.ID,
					Geometry: pointGeometry{"Point", [2]float64{s.Point[0], s.Point[1]}}, Properties: sitePropsOf(s)})
			}
			return fc, nil
		}), nil
	})
}

func sitePropsOf(s *store.Site) siteProps { return siteProps{ID: s.ID, siteFields: siteFieldsOf(s)} }

func siteFieldsOf(s *store.Site) siteFields {
	return siteFields{Name: s.Name, Country: s.Country, Capability: s.Capability, Status: s.Status, Precision: s.Precision,
		Vendor: s.Vendor, VendorCountry: s.VendorCountry, Financier: s.Financier, ValidFrom: optDate(s.ValidFrom),
		FromPrecision: s.FromPrecision, ValidTo: optDate(s.ValidTo), Confidence: s.Confidence, Summary: s.Summary,
		Provenance: s.Provenance, ReportID: s.ReportID, Organisation: s.Organisation, Sources: sourcesOf(s.Sources)}
}

// parseSiteFilter reads the filters of the site list.
func parseSiteFilter(c *gin.Context, sn *readmodel.Snapshot) (readmodel.SiteFilter, error) {
	var f readmodel.SiteFilter
	var err error
	if s, ok := c.GetQuery("bbox"); ok {
		b, err := geo.ParseBBox(s)
		var be *geo.BBoxError
		if errors.As(err, &be) {
			return f, badParam("bbox", be.Reason)
		}
		f.Bounds = b.Bounds()
	}
	if s, ok := c.GetQuery("capability"); ok {
		if f.Capability, err = parseCapability("capability", s, sn); err != nil {
			return f, err
		}
	}
	for _, p := range []struct {
		name string
		dst  *string
	}{{"vendor_country", &f.VendorCountry}, {"country", &f.Country}} {
		if s, ok := c.GetQuery(p.name); ok {
			if *p.dst, err = parseISO3(p.name, s); err != nil {
				return f, err
			}
			if _, known := sn.Country(*p.dst); !known {
				return f, badParam(p.name, *p.dst+" is not a known country")
			}
		}
	}
	if s, ok := c.GetQuery("status"); ok {
		if !siteStatuses[s] {
			return f, badParam("status", "must be one of planned, active, suspended, cancelled, stopped_by_court, concluded")
		}
		f.Status = s
	}
	if _, ok := c.GetQuery("as_of"); ok {
		tp, err := parseTimeParams(c)
		if err != nil {
			return f, err
		}
		f.AsOf = &tp.asOf
	}
	return f, nil
}
