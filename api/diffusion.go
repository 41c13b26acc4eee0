package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/diffusion"
	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/store"
)

// The diffusion analytics (DESIGN.md §3; docs/methodology.md §11): adoption
// curves, neighbour exposure, Moran's I and vendor flows. Each route answers
// JSON, and CSV under the same path with .csv; both go through h.read and
// are cached per revision and query. The statistics are package diffusion's;
// this file only parses, asks and encodes.

const diffusionCacheControl = "public, max-age=60"

// diffusionMeta is what every diffusion answer starts with.
type diffusionMeta struct {
	DatasetVersion string   `json:"dataset_version"`
	Revision       int64    `json:"revision"`
	AsOf           string   `json:"as_of"`
	RecordedAsOf   *string  `json:"recorded_as_of"`
	Scope          scopeOut `json:"scope"`
}

type scopeOut struct {
	Kind      string   `json:"kind"`
	Name      *string  `json:"name"`
	ISO3      []string `json:"iso3"`
	Countries int      `json:"countries"`
}

func metaOf(sn *readmodel.Snapshot, p diffusionParams) diffusionMeta {
	m := diffusionMeta{DatasetVersion: sn.Revision.Version, Revision: sn.Revision.Revision, AsOf: p.asOf.Format(time.DateOnly),
		Scope: scopeOut{Kind: p.scope.kind, Countries: len(p.scope.countries)}}
	if p.recordedAsOf != nil {
		s := p.recordedAsOf.Format(time.DateOnly)
		m.RecordedAsOf = &s
	}
	if p.scope.name != "" {
		m.Scope.Name = &p.scope.name
	}
	if p.scope.kind == "countries" {
		m.Scope.ISO3 = p.scope.countries
	}
	return m
}

type seriesOut struct {
	Kind            string   `json:"kind"`
	Code            string   `json:"code"`
	Name            string   `json:"name"`
	Capabilities    []string `json:"capabilities"`
	MinCapabilities int      `json:"min_capabilities"`
}

func seriesOutOf(sn *readmodel.Snapshot, s diffusion.Series) seriesOut {
	out := seriesOut{Kind: s.Kind, Code: s.Code, Capabilities: s.Capabilities, MinCapabilities: s.K}
	if c, ok := sn.Capability(s.Code); ok {
		out.Name = c.Name
	}
	for _, p := range sn.Taxonomy.Pillars {
		if s.Kind == "pillar" && p.Code == s.Code {
			out.Name = p.Name
		}
	}
	return out
}

// share rounds an optional ratio for the wire (four decimals).
func share(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	r := round(v, 4)
	return &r
}

func countryName(sn *readmodel.Snapshot, iso string) string {
	if c, ok := sn.Country(iso); ok {
		return c.Name
	}
	return iso
}

func isoCodes(list []*store.Country) []string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = c.ISO3
	}
	return out
}

// diffusionRoute serves one diffusion statistic as JSON (csv false) or CSV:
// prep parses the request and returns the snapshot, the computation and
// the CSV encoder of its answer.
func (h *handler) diffusionRoute(c *gin.Context, csv bool, prep func(r *readRequest) (*readmodel.Snapshot, diffusionAnswer, error)) error {
	cacheControl := diffusionCacheControl
	if csv {
		cacheControl = "public, max-age=300"
	}
	return h.read(c, cacheControl, func(r *readRequest) (build, error) {
		sn, ans, err := prep(r)
		if err != nil {
			return nil, err
		}
		if csv {
			return r.csvBuild(sn, ans.filename, func() ([]string, [][]string, error) { return ans.csv(ans.compute()) }), nil
		}
		return r.jsonBuild(sn, jsonType, func() (any, error) { return ans.compute(), nil }), nil
	})
}

// diffusionAnswer is one parsed diffusion request: how to compute its
// answer, and how to write that answer as CSV.
type diffusionAnswer struct {
	compute  func() any
	csv      func(any) ([]string, [][]string, error)
	filename string
}

func (h *handler) getCurves(c *gin.Context) error    { return h.diffusionRoute(c, false, curvesRead) }
func (h *handler) exportCurves(c *gin.Context) error { return h.diffusionRoute(c, true, curvesRead) }
func (h *handler) getExposure(c *gin.Context) error  { return h.diffusionRoute(c, false, exposureRead) }
func (h *handler) exportExposure(c *gin.Context) error {
	return h.diffusionRoute(c, true, exposureRead)
}
func (h *handler) getMoran(c *gin.Context) error    { return h.diffusionRoute(c, false, moranRead) }
func (h *handler) exportMoran(c *gin.Context) error { return h.diffusionRoute(c, true, moranRead) }
func (h *handler) getFlows(c *gin.Context) error    { return h.diffusionRoute(c, false, flowsRead) }
func (h *handler) exportFlows(c *gin.Context) error { return h.diffusionRoute(c, true, flowsCSVRead) }
