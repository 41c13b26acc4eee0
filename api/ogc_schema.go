package api

import (
	"bytes"
	"encoding/json"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/store"
)

// The JSON Schema of each collection's features, linked from the collection
// as rel=describedby (and describedBy, the spelling GDAL 3.6 looks for), so
// clients type every field from it rather than guessing from a first page
// (where, say, every valid_to may be null).

type schemaProp struct{ name, typ, format, description string }

var ogcFeatureProps = map[store.Collection][]schemaProp{
	store.CollCountries: {
		{"iso3", "string", "", "ISO 3166-1 alpha-3 code"},
		{"name", "string", "", "English short name"},
		{"region", "string", "", "UN M.49 region"},
		{"subregion", "string", "", "UN M.49 subregion"},
		{"index", "number", "", "resemblance index 0–100 at as_of; null when not assessed"},
		{"band", "string", "", "band of the index, not_assessed when not assessed"},
		{"coverage", "number", "", "weighted share 0–1 of capabilities assessed"},
		{"as_of", "string", "date", "the date scored"},
	},
	store.CollSites: {
		{"name", "string", "", "name of the deployment"},
		{"country", "string", "", "ISO3 code of the country it is in"},
		{"capability", "string", "", "capability code"},
		{"status", "string", "", "planned, active, suspended, cancelled, stopped_by_court or concluded"},
		{"precision", "string", "", "exact, city or region"},
		{"vendor", "string", "", "supplier, empty when unknown"},
		{"vendor_country", "string", "", "ISO3 code of the vendor's home country, null when unknown"},
		{"financier", "string", "", "who paid, empty when unknown"},
		{"valid_from", "string", "date", "start, null when unknown"},
		{"valid_from_precision", "string", "", "year, month or day"},
		{"valid_to", "string", "date", "end (exclusive), null while it runs"},
		{"confidence", "string", "", "H, M or L"},
		{"sources", "array", "", "the sources, as in /api/v1/sites"},
	},
	store.CollAssessments: {
		{"country", "string", "", "ISO3 code of the country"},
		{"capability", "string", "", "capability code"},
		{"pillar", "string", "", "pillar code"},
		{"level", "integer", "", "adoption level 0–4"},
		{"valid_from", "string", "date", "from when the level holds"},
		{"valid_from_precision", "string", "", "year, month or day"},
		{"valid_to", "string", "date", "until when (exclusive), null while it holds"},
		{"confidence", "string", "", "H, M or L"},
		{"recorded_at", "string", "date-time", "when the tracker recorded the row"},
		{"summary", "string", "", "what the evidence says"},
		{"sources", "array", "", "the sources, as in /api/v1/assessments"},
	},
}

func (h *handler) ogcSchema(c *gin.Context) error {
	oc, ok := findOGCCollection(c.Param("collection"))
	if !ok {
		return notFound("no collection " + truncate(c.Param("collection")) + "; see /ogc/collections")
	}
	return h.ogcMeta(c, schemaType, false, func(_ *readmodel.Snapshot, base string) (any, error) {
		props := orderedObject{}
		for _, p := range ogcFeatureProps[oc.id] {
			s := map[string]any{"type": p.typ, "description": p.description}
			if p.format != "" {
				s["format"] = p.format
			}
			if p.typ == "array" {
				s["items"] = map[string]any{"type": "object"}
			}
			props = append(props, field{p.name, s})
		}
		geometry := "Point"
		idType := "integer"
		if oc.id == store.CollCountries {
			geometry, idType = "MultiPolygon", "string"
		}
		return map[string]any{
			"$schema":  "https://json-schema.org/draft/2020-12/schema",
			"$id":      base + "/collections/" + string(oc.id) + "/schema",
			"title":    oc.title,
			"type":     "object",
			"required": []string{"type", "id", "geometry", "properties"},
			"properties": map[string]any{
				"type":       map[string]any{"type": "string", "enum": []string{"Feature"}},
				"id":         map[string]any{"type": idType},
				"geometry":   map[string]any{"type": "object", "description": "a GeoJSON " + geometry + " in CRS84"},
				"properties": map[string]any{"type": "object", "properties": props},
			},
		}, nil
	})
}

// orderedObject is a JSON object that keeps its keys in order (clients such
// as GDAL make their fields in the order the schema lists them).
type orderedObject []field

type field struct {
	name  string
	value any
}

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.name)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(f.value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
