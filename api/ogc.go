package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/paulmach/orb"

	"github.com/scs-diffusion/tracker/geo"
	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/resemblance"
	"github.com/scs-diffusion/tracker/store"
)

// OGC API - Features (Part 1 Core, GeoJSON, OpenAPI 3.0; Part 3 filtering
// with CQL2 text) under /ogc. Three collections: countries (polygons, with
// the index at `datetime`), sites (points) and assessments (the country's
// label point). PostgreSQL selects and counts the features of a page
// (package store, Features); the features themselves are built from the read
// model, so every property agrees with /api/v1. Every answer goes through
// the response cache (h.read): keyed by revision, strong ETags, 304s.
// Links are absolute (GDAL resolves a root-relative href against the landing
// page, not the host), built from the request's host, which is therefore part
// of the cache key of /ogc responses.

const (
	geoJSONType   = "application/geo+json"
	ogcJSONType   = "application/json"
	oasType       = "application/vnd.oai.openapi+json;version=3.0"
	schemaType    = "application/schema+json"
	crs84         = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	gregorian     = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
	ogcMetaCache  = "public, max-age=300"
	ogcItemsCache = "public, max-age=60"
)

// Items paging: the default and the maximum of `limit` (OGC API Features
// 1.0 §7.15.3: a larger limit is clamped, not refused).
const (
	ogcDefaultLimit = 10
	ogcMaxLimit     = 10000
)

// ogcConformance lists the conformance classes implemented.
var ogcConformance = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
	"http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
	"http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
}

// ogcCollection describes one collection.
type ogcCollection struct {
	id          store.Collection
	title       string
	description string
	// equals are the properties that may be filtered on by name=value
	// (declared per collection in the OGC OpenAPI document).
	equals []string
	// extra items parameters of this collection
	extra []string
}

var ogcCollections = []*ogcCollection{
	{id: store.CollCountries, title: "Countries",
		description: "Natural Earth admin-0 countries (1:50m outlines, or 1:110m with resolution=110m) with the resemblance " +
			"index, band and coverage against China at `datetime` (an instant, or the end of an interval; default today), " +
			"as /api/v1/index computes them. Countries have no validity of their own: `datetime` chooses the date scored and filters nothing.",
		equals: []string{"iso3", "region", "subregion", "band"}, extra: []string{"resolution"}},
	{id: store.CollSites, title: "Deployment sites",
		description: "Geolocated deployments (camera networks, safe-city projects, data centres, pilots) with capability, status, " +
			"vendor and the vendor's home country, dates and confidence. `datetime` keeps the sites whose validity " +
			"[valid_from, valid_to) overlaps it; a site with an unknown start matches.",
		equals: []string{"country", "capability", "status", "vendor", "vendor_country", "confidence"}},
	{id: store.CollAssessments, title: "Assessments",
		description: "The assessment rows the tracker stands by today (superseded and retracted rows left out), one per " +
			"country, capability and validity period. The geometry is the country's label point (a point inside its largest " +
			"polygon), so GIS clients can place the rows and bbox can select them; many rows share a point. `datetime` keeps " +
			"the rows whose validity overlaps it.",
		equals: []string{"country", "capability", "pillar", "level", "confidence"}},
}

func findOGCCollection(id string) (*ogcCollection, bool) {
	for _, c := range ogcCollections {
		if string(c.id) == id {
			return c, true
		}
	}
	return nil, false
}

type ogcLink struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// ogcBase is the absolute URL of /ogc for this request.
func ogcBase(c *gin.Context) string { return string(appendOGCBase(nil, c)) }

// appendOGCBase appends ogcBase(c) to b.
func appendOGCBase(b []byte, c *gin.Context) []byte {
	if c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https" {
		b = append(b, "https://"...)
	} else {
		b = append(b, "http://"...)
	}
	b = append(b, c.Request.Host...)
	return append(b, "/ogc"...)
}

// selfURL is the request's own absolute URL with its query as sent.
func selfURL(c *gin.Context) string {
	u := strings.TrimSuffix(ogcBase(c), "/ogc") + c.Request.URL.Path
	if q := c.Request.URL.RawQuery; q != "" {
		u += "?" + q
	}
	return u
}

func (h *handler) ogcLanding(c *gin.Context) error {
	return h.ogcMeta(c, ogcJSONType, false, func(_ *readmodel.Snapshot, base string) (any, error) {
		return map[string]any{
			"title": "SCS Diffusion Tracker: OGC API Features",
			"description": "Countries with the resemblance index, deployment sites and assessments of the SCS Diffusion Tracker, " +
				"as OGC API Features (Part 1 Core, GeoJSON; Part 3 CQL2 text filters).",
			"links": []ogcLink{
				{base, "self", ogcJSONType, "this document"},
				{base + "/api", "service-desc", oasType, "the API definition (OpenAPI 3.0)"},
				{strings.TrimSuffix(base, "/ogc") + "/docs", "service-doc", "text/html", "the tracker's API reference"},
				{base + "/conformance", "conformance", ogcJSONType, "conformance classes implemented"},
				{base + "/collections", "data", ogcJSONType, "the feature collections"},
			},
		}, nil
	})
}

func (h *handler) ogcConformance(c *gin.Context) error {
	return h.ogcMeta(c, ogcJSONType, false, func(_ *readmodel.Snapshot, _ string) (any, error) {
		return map[string]any{"conformsTo": ogcConformance}, nil
	})
}

// ogcMeta serves an OGC metadata document (JSON only, no parameter but f):
// body gets the current snapshot when needsData (nil otherwise) and the
// absolute base URL of /ogc.
func (h *handler) ogcMeta(c *gin.Context, contentType string, needsData bool, body func(sn *readmodel.Snapshot, base string) (any, error)) error {
	return h.read(c, ogcMetaCache, func(r *readRequest) (build, error) {
		if err := onlyParams(c, "f"); err != nil {
			return nil, err
		}
		if err := jsonOnly(c); err != nil {
			return nil, err
		}
		var sn *readmodel.Snapshot
		if needsData {
			var err error
			if sn, err = r.snapshot(nil); err != nil {
				return nil, err
			}
		}
		base := ogcBase(c)
		return r.ogcJSON(sn, contentType, func() (any, error) { return body(sn, base) }), nil
	})
}

// jsonOnly accepts f=json (or no f) on the metadata documents.
func jsonOnly(c *gin.Context) error {
	if f, ok := c.GetQuery("f"); ok && f != "json" {
		return badParam("f", "must be json")
	}
	return nil
}

type ogcExtent struct {
	Spatial struct {
		BBox [][4]float64 `json:"bbox"`
		CRS  string       `json:"crs"`
	} `json:"spatial"`
	Temporal struct {
		Interval [][2]*string `json:"interval"`
		TRS      string       `json:"trs"`
	} `json:"temporal"`
}

type ogcCollectionOut struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	ItemType    string    `json:"itemType"`
	CRS         []string  `json:"crs"`
	Extent      ogcExtent `json:"extent"`
	Links       []ogcLink `json:"links"`
}

func collectionOut(base string, sn *readmodel.Snapshot, oc *ogcCollection) ogcCollectionOut {
	self := base + "/collections/" + string(oc.id)
	return ogcCollectionOut{ID: string(oc.id), Title: oc.title, Description: oc.description, ItemType: "feature",
		CRS: []string{crs84}, Extent: extentOf(sn, oc.id),
		Links: []ogcLink{
			{self, "self", ogcJSONType, "this collection"},
			{self + "/items", "items", geoJSONType, "its features as GeoJSON"},
			{self + "/items?f=json", "items", ogcJSONType, "its features as GeoJSON, served as application/json"},
			{self + "/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", schemaType, "the properties a filter may name"},
			{self + "/schema", "describedby", schemaType, "the JSON Schema of its features"},
			{self + "/schema", "describedBy", schemaType, "the same, spelled as GDAL looks for it"},
		}}
}

// extentOf computes a collection's extent in CRS84 and its temporal extent
// (null ends are open: unknown starts, facts that still hold).
func extentOf(sn *readmodel.Snapshot, id store.Collection) ogcExtent {
	var e ogcExtent
	e.Spatial.CRS, e.Temporal.TRS = crs84, gregorian
	box := [4]float64{180, 90, -180, -90}
	add := func(minx, miny, maxx, maxy float64) {
		box = [4]float64{min(box[0], minx), min(box[1], miny), max(box[2], maxx), max(box[3], maxy)}
	}
	// The start is the earliest known one (a site with an unknown start
	// matches every datetime, but says nothing of when the data begins); the
	// end is open (null) while any fact still holds.
	var first, last *time.Time
	openEnd := false
	span := func(from, to *store.Date) {
		if from != nil && (first == nil || from.Before(*first)) {
			t := from.Time
			first = &t
		}
		if to == nil {
			openEnd = true
		} else if last == nil || to.After(*last) {
			t := to.Time
			last = &t
		}
	}
	switch id {
	case store.CollCountries:
		for _, c := range sn.Countries() {
			if c.BBox[0] > c.BBox[2] { // crosses the antimeridian
				add(-180, c.BBox[1], 180, c.BBox[3])
			} else {
				add(c.BBox[0], c.BBox[1], c.BBox[2], c.BBox[3])
			}
		}
		rows, _ := sn.Assessments(readmodel.AssessmentFilter{})
		for _, a := range rows {
			span(&a.ValidFrom, nil)
		}
	case store.CollSites:
		for _, s := range sn.Sites(readmodel.SiteFilter{}) {
			add(s.Point[0], s.Point[1], s.Point[0], s.Point[1])
			span(s.ValidFrom, s.ValidTo)
		}
	case store.CollAssessments:
		rows, _ := sn.Assessments(readmodel.AssessmentFilter{})
		for _, a := range rows {
			if c, ok := sn.Country(a.Country); ok {
				add(c.LabelPoint[0], c.LabelPoint[1], c.LabelPoint[0], c.LabelPoint[1])
			}
			span(&a.ValidFrom, a.ValidTo)
		}
	}
	if box[0] > box[2] {
		box = [4]float64{-180, -90, 180, 90}
	}
	e.Spatial.BBox = [][4]float64{box}
	ts := func(t *time.Time, open bool) *string {
		if t == nil || open {
			return nil
		}
		s := t.UTC().Format(time.RFC3339)
		return &s
	}
	e.Temporal.Interval = [][2]*string{{ts(first, false), ts(last, openEnd)}}
	return e
}

func (h *handler) ogcCollections(c *gin.Context) error {
	return h.ogcMeta(c, ogcJSONType, true, func(sn *readmodel.Snapshot, base string) (any, error) {
		list := make([]ogcCollectionOut, 0, len(ogcCollections))
		for _, oc := range ogcCollections {
			list = append(list, collectionOut(base, sn, oc))
		}
		return map[string]any{
			"links":       []ogcLink{{base + "/collections", "self", ogcJSONType, "this document"}},
			"collections": list,
		}, nil
	})
}

func (h *handler) ogcCollection(c *gin.Context) error {
	oc, ok := findOGCCollection(c.Param("collection"))
	if !ok {
		return notFound("no collection " + truncate(c.Param("collection")) + "; see /ogc/collections")
	}
	return h.ogcMeta(c, ogcJSONType, true, func(sn *readmodel.Snapshot, base string) (any, error) { return collectionOut(base, sn, oc), nil })
}

// ogcJSON is jsonBuild with a strong ETag (sn nil: revision 0, for
// documents that do not depend on the data).
func (r *readRequest) ogcJSON(sn *readmodel.Snapshot, contentType string, fn func() (any, error)) build {
	level := r.compression()
	return func(context.Context) (*encoded, error) {
		v, err := fn()
		if err != nil {
			return nil, err
		}
		body, err := marshalOGC(v)
		if err != nil {
			return nil, err
		}
		var rev int64
		if sn != nil {
			rev = sn.Revision.Revision
		}
		e := newEncoded(contentType, body, rev, level)
		e.strong = true
		return e, nil
	}
}

// ogcFeature is one GeoJSON feature; links only on single-feature responses.
type ogcFeature struct {
	Type       string          `json:"type"`
	ID         any             `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties any             `json:"properties"`
	Links      []ogcLink       `json:"links,omitempty"`
}

type ogcFeatureCollection struct {
	Type           string       `json:"type"`
	DatasetVersion string       `json:"dataset_version"`
	NumberMatched  int          `json:"numberMatched"`
	NumberReturned int          `json:"numberReturned"`
	Features       []ogcFeature `json:"features"`
	Links          []ogcLink    `json:"links"`
}

type ogcCountryProps struct {
	ISO3      string   `json:"iso3"`
	Name      string   `json:"name"`
	Region    string   `json:"region"`
	Subregion string   `json:"subregion"`
	Index     *float64 `json:"index"`
	Band      string   `json:"band"`
	Coverage  float64  `json:"coverage"`
	AsOf      string   `json:"as_of"`
}

type ogcAssessmentProps struct {
	Country       string      `json:"country"`
	Capability    string      `json:"capability"`
	Pillar        string      `json:"pillar"`
	Level         int         `json:"level"`
	ValidFrom     string      `json:"valid_from"`
	FromPrecision string      `json:"valid_from_precision"`
	ValidTo       *string     `json:"valid_to"`
	Confidence    string      `json:"confidence"`
	RecordedAt    string      `json:"recorded_at"`
	Summary       string      `json:"summary"`
	Sources       []sourceOut `json:"sources"`
}

func pointJSON(x, y float64) json.RawMessage {
	b := make([]byte, 0, 64)
	b = append(b, `{"type":"Point","coordinates":[`...)
	b = strconv.AppendFloat(b, x, 'f', -1, 64)
	b = append(b, ',')
	b = strconv.AppendFloat(b, y, 'f', -1, 64)
	return append(b, "]}"...)
}

// featureMaker builds the features of one collection from the read model.
type featureMaker struct {
	coll   store.Collection
	sn     *readmodel.Snapshot
	scores *readmodel.Scoring         // countries
	asOf   time.Time                  // countries
	shapes map[string]json.RawMessage // countries
}

func (m *featureMaker) feature(key string) (ogcFeature, bool) {
	switch m.coll {
	case store.CollCountries:
		c, ok := m.sn.Country(key)
		g, okg := m.shapes[key]
		if !ok || !okg {
			return ogcFeature{}, false
		}
		p := ogcCountryProps{ISO3: c.ISO3, Name: c.Name, Region: c.Region, Subregion: c.Subregion,
			Band: resemblance.BandNotAssessed, AsOf: m.asOf.Format(time.DateOnly)}
		if m.scores != nil {
			r := m.scores.Result(c.ISO3)
			p.Index, p.Band, p.Coverage = indexOf(r), r.Band, round(r.Coverage, 3)
		}
		return ogcFeature{Type: "Feature", ID: c.ISO3, Geometry: g, Properties: p}, true
	case store.CollSites:
		id, err := strconv.ParseInt(key, 10, 64)
		if err != nil {
			return ogcFeature{}, false
		}
		s, ok := m.sn.Site(id)
		if !ok {
			return ogcFeature{}, false
		}
		return ogcFeature{Type: "Feature", ID: s.ID, Geometry: pointJSON(s.Point[0], s.Point[1]), Properties: siteFieldsOf(s)}, true
	case store.CollAssessments:
		id, err := strconv.ParseInt(key, 10, 64)
		if err != nil {
			return ogcFeature{}, false
		}
		a, ok := m.sn.CurrentAssessment(id)
		if !ok {
			return ogcFeature{}, false
		}
		c, ok := m.sn.Country(a.Country)
		if !ok {
			return ogcFeature{}, false
		}
		capa, _ := m.sn.Capability(a.Capability)
		return ogcFeature{Type: "Feature", ID: a.ID, Geometry: pointJSON(c.LabelPoint[0], c.LabelPoint[1]), Properties: ogcAssessmentProps{
			Country: a.Country, Capability: a.Capability, Pillar: capa.Pillar, Level: a.Level, ValidFrom: a.ValidFrom.String(),
			FromPrecision: a.FromPrecision, ValidTo: optDate(a.ValidTo), Confidence: a.Confidence,
			RecordedAt: a.RecordedAt.UTC().Format(time.RFC3339), Summary: a.Summary, Sources: sourcesOf(a.Sources)}}, true
	}
	return ogcFeature{}, false
}

// prepareMaker loads what the features of a collection need.
func prepareMaker(ctx context.Context, m *featureMaker, res store.Resolution) error {
	if m.coll != store.CollCountries {
		return nil
	}
	shapes, err := m.sn.Shapes(ctx, res)
	if err != nil {
		return err
	}
	m.shapes = make(map[string]json.RawMessage, len(shapes))
	for _, s := range shapes {
		m.shapes[s.ISO3] = s.Geometry
	}
	return nil
}

// scoreAt scores the countries at asOf; explicit says the client chose the
// date (then a date the index cannot be computed for is refused, as
// /api/v1/index refuses it), otherwise countries are shown not assessed.
func scoreAt(sn *readmodel.Snapshot, asOf time.Time, explicit bool) (*readmodel.Scoring, error) {
	sc, err := sn.Score(asOf, "CHN", resemblance.Weights{})
	if err != nil {
		if explicit {
			return nil, badParam("datetime", "no index on "+asOf.Format(time.DateOnly)+": "+problemFor(err).Detail)
		}
		return nil, nil
	}
	return sc, nil
}

// ogcItemsParams are the parsed parameters of an items request.
type ogcItemsParams struct {
	q        store.FeatureQuery
	geoType  string // the content type asked for with f
	res      store.Resolution
	asOf     time.Time // countries: the date scored
	explicit bool
}

func (h *handler) ogcItems(c *gin.Context) error {
	oc, ok := findOGCCollection(c.Param("collection"))
	if !ok {
		return notFound("no collection " + truncate(c.Param("collection")) + "; see /ogc/collections")
	}
	return h.read(c, ogcItemsCache, func(r *readRequest) (build, error) {
		allowed := append([]string{"limit", "bbox", "datetime", "cursor", "f", "filter", "filter-lang", "filter-crs"}, oc.equals...)
		if err := onlyParams(c, append(allowed, oc.extra...)...); err != nil {
			return nil, err
		}
		sn, err := r.snapshot(nil)
		if err != nil {
			return nil, err
		}
		p, err := parseItemsParams(c, oc)
		if err != nil {
			return nil, err
		}
		m := &featureMaker{coll: oc.id, sn: sn, asOf: p.asOf}
		switch oc.id {
		case store.CollCountries:
			if m.scores, err = scoreAt(sn, p.asOf, p.explicit); err != nil {
				return nil, err
			}
			p.q.Scores = scoresOf(sn, m.scores)
		case store.CollAssessments:
			rows, _ := sn.Assessments(readmodel.AssessmentFilter{})
			p.q.AssessmentIDs = make([]int64, len(rows))
			for i, a := range rows {
				p.q.AssessmentIDs[i] = a.ID
			}
		}
		fp := fingerprint(c.Request.URL.Query(), "cursor", "limit")
		query := c.Request.URL.Query()
		self := selfURL(c)
		base := ogcBase(c)
		level := r.compression()
		return func(ctx context.Context) (*encoded, error) {
			page, err := h.model.Features(ctx, p.q)
			if err != nil {
				return nil, err
			}
			if err := prepareMaker(ctx, m, p.res); err != nil {
				return nil, err
			}
			fc := ogcFeatureCollection{Type: "FeatureCollection", DatasetVersion: sn.Revision.Version,
				NumberMatched: page.Matched, Features: make([]ogcFeature, 0, len(page.Keys))}
			for _, k := range page.Keys {
				if f, ok := m.feature(k); ok {
					fc.Features = append(fc.Features, f)
				}
			}
			fc.NumberReturned = len(fc.Features)
			fc.Links = []ogcLink{{self, "self", p.geoType, "this page"}}
			fc.Links = append(fc.Links, alternateLink(c.Request.URL.Path, query, p.geoType, base))
			if next := p.q.Offset + len(page.Keys); next < page.Matched {
				nq := url.Values{}
				for k, v := range query {
					nq[k] = v
				}
				nq.Set("cursor", encodeCursor(next, fp))
				fc.Links = append(fc.Links, ogcLink{selfURLFrom(base, c.Request.URL.Path, nq), "next", p.geoType, "the next page"})
			}
			fc.Links = append(fc.Links, ogcLink{base + "/collections/" + string(oc.id), "collection", ogcJSONType, oc.title})
			body, err := marshalOGC(fc)
			if err != nil {
				return nil, err
			}
			e := newEncoded(p.geoType, body, sn.Revision.Revision, level)
			e.strong = true
			return e, nil
		}, nil
	})
}

// selfURLFrom builds an absolute URL from the /ogc base, a path and a query.
func selfURLFrom(base, path string, q url.Values) string {
	u := strings.TrimSuffix(base, "/ogc") + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// alternateLink points at the same resource in the other media type (f=json
// serves the same GeoJSON as application/json).
func alternateLink(path string, query url.Values, current, base string) ogcLink {
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	if current == geoJSONType {
		q.Set("f", "json")
		return ogcLink{selfURLFrom(base, path, q), "alternate", ogcJSONType, "this document as application/json"}
	}
	q.Del("f")
	return ogcLink{selfURLFrom(base, path, q), "alternate", geoJSONType, "this document as GeoJSON"}
}

func scoresOf(sn *readmodel.Snapshot, sc *readmodel.Scoring) []store.CountryScore {
	list := sn.Countries()
	out := make([]store.CountryScore, 0, len(list))
	for _, c := range list {
		s := store.CountryScore{ISO3: c.ISO3, Band: resemblance.BandNotAssessed}
		if sc != nil {
			r := sc.Result(c.ISO3)
			s.Index, s.Band, s.Coverage = indexOf(r), r.Band, round(r.Coverage, 3)
		}
		out = append(out, s)
	}
	return out
}

func (h *handler) ogcItem(c *gin.Context) error {
	oc, ok := findOGCCollection(c.Param("collection"))
	if !ok {
		return notFound("no collection " + truncate(c.Param("collection")) + "; see /ogc/collections")
	}
	return h.read(c, ogcItemsCache, func(r *readRequest) (build, error) {
		allowed := []string{"f"}
		if oc.id == store.CollCountries {
			allowed = append(allowed, "datetime", "resolution")
		}
		if err := onlyParams(c, allowed...); err != nil {
			return nil, err
		}
		sn, err := r.snapshot(nil)
		if err != nil {
			return nil, err
		}
		p, err := parseItemsParams(c, oc)
		if err != nil {
			return nil, err
		}
		key := c.Param("featureId")
		m := &featureMaker{coll: oc.id, sn: sn, asOf: p.asOf}
		if oc.id == store.CollCountries {
			key = strings.ToUpper(key)
			if m.scores, err = scoreAt(sn, p.asOf, p.explicit); err != nil {
				return nil, err
			}
		}
		query := c.Request.URL.Query()
		self := selfURL(c)
		base := ogcBase(c)
		level := r.compression()
		return func(ctx context.Context) (*encoded, error) {
			if err := prepareMaker(ctx, m, p.res); err != nil {
				return nil, err
			}
			f, ok := m.feature(key)
			if !ok {
				return nil, notFound("no feature " + truncate(c.Param("featureId")) + " in " + string(oc.id))
			}
			f.Links = []ogcLink{{self, "self", p.geoType, "this feature"},
				alternateLink(c.Request.URL.Path, query, p.geoType, base),
				{base + "/collections/" + string(oc.id), "collection", ogcJSONType, oc.title}}
			body, err := marshalOGC(f)
			if err != nil {
				return nil, err
			}
			e := newEncoded(p.geoType, body, sn.Revision.Revision, level)
			e.strong = true
			return e, nil
		}, nil
	})
}

func (h *handler) ogcQueryables(c *gin.Context) error {
	oc, ok := findOGCCollection(c.Param("collection"))
	if !ok {
		return notFound("no collection " + truncate(c.Param("collection")) + "; see /ogc/collections")
	}
	return h.ogcMeta(c, schemaType, false, func(_ *readmodel.Snapshot, base string) (any, error) {
		props := map[string]any{}
		for _, q := range store.Queryables(oc.id) {
			props[q.Name] = queryableSchema(q, oc.id)
		}
		return map[string]any{
			"$schema":              "https://json-schema.org/draft/2020-12/schema",
			"$id":                  base + "/collections/" + string(oc.id) + "/queryables",
			"type":                 "object",
			"title":                oc.title,
			"description":          "The properties a CQL2 filter on " + string(oc.id) + " may name.",
			"properties":           props,
			"additionalProperties": false,
		}, nil
	})
}

func queryableSchema(q store.Queryable, coll store.Collection) map[string]any {
	s := map[string]any{"title": q.Name, "description": q.Description}
	switch q.Type {
	case store.QString:
		s["type"] = "string"
	case store.QInteger:
		s["type"] = "integer"
	case store.QNumber:
		s["type"] = "number"
	case store.QBoolean:
		s["type"] = "boolean"
	case store.QDate:
		s["type"], s["format"] = "string", "date"
	case store.QTimestamp:
		s["type"], s["format"] = "string", "date-time"
	case store.QGeometry:
		if coll == store.CollCountries {
			s["format"] = "geometry-multipolygon"
		} else {
			s["format"] = "geometry-point"
		}
	}
	return s
}

// parseItemsParams reads limit, bbox, datetime, cursor, f, resolution and
// the property filters of an items (or single item) request.
func parseItemsParams(c *gin.Context, oc *ogcCollection) (ogcItemsParams, error) {
	p := ogcItemsParams{geoType: geoJSONType, res: store.Res50m, asOf: today()}
	p.q.Collection, p.q.Limit = oc.id, ogcDefaultLimit
	switch f, _ := c.GetQuery("f"); f {
	case "", "geojson":
	case "json":
		p.geoType = ogcJSONType
	default:
		return p, badParam("f", "must be geojson (the default) or json (the same GeoJSON served as application/json)")
	}
	if s, ok := c.GetQuery("resolution"); ok {
		switch store.Resolution(s) {
		case store.Res50m, store.Res110m:
			p.res = store.Resolution(s)
		default:
			return p, badParam("resolution", "must be 50m (the default) or 110m")
		}
	}
	if s, ok := c.GetQuery("limit"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return p, badParam("limit", "must be an integer of at least 1 (larger than "+strconv.Itoa(ogcMaxLimit)+" is clamped)")
		}
		p.q.Limit = min(n, ogcMaxLimit)
	}
	if s, ok := c.GetQuery("bbox"); ok {
		b, err := parseOGCBBox(s)
		if err != nil {
			return p, err
		}
		p.q.Bounds = b
	}
	if s, ok := c.GetQuery("datetime"); ok {
		from, to, err := parseDatetime(s)
		if err != nil {
			return p, err
		}
		p.q.From, p.q.To = from, to
		if oc.id == store.CollCountries {
			switch {
			case to == nil:
				p.asOf = today()
			case to.After(today()) && from != nil && from.Equal(*to):
				return p, badParam("datetime", to.Format(time.DateOnly)+" is in the future; the tracker records no future facts")
			case to.After(today()):
				p.asOf = today()
			default:
				p.asOf = *to
			}
			if p.asOf.Before(earliestDate) {
				return p, badParam("datetime", "must be on or after 1900-01-01")
			}
			p.explicit = true
		}
	}
	if s, ok := c.GetQuery("cursor"); ok {
		off, err := decodeCursor(s, fingerprint(c.Request.URL.Query(), "cursor", "limit"))
		if err != nil {
			return p, err
		}
		p.q.Offset = off
	}
	for _, name := range oc.equals {
		if v, ok := c.GetQuery(name); ok {
			if p.q.Equals == nil {
				p.q.Equals = map[string]string{}
			}
			p.q.Equals[name] = v
		}
	}
	if err := parseFilter(c, oc, &p.q); err != nil {
		return p, err
	}
	return p, nil
}

// parseDatetime reads an RFC 3339 date or date-time, or an interval of two
// with open ends written ".." (or left empty). Validity is kept by day, so
// instants are taken at their UTC date. It returns the first and last day
// the request covers, nil for an open end.
func parseDatetime(s string) (from, to *time.Time, err error) {
	one := func(part string) (*time.Time, error) {
		if part == ".." || part == "" {
			return nil, nil
		}
		if t, err := time.Parse(time.DateOnly, part); err == nil {
			return &t, nil
		}
		t, err := time.Parse(time.RFC3339Nano, part)
		if err != nil {
			return nil, badParam("datetime", "\""+truncate(part)+"\" is not an RFC 3339 date (2020-01-31) or date-time (2020-01-31T12:00:00Z), nor .. for an open end")
		}
		d := store.DateOf(t.UTC()).Time
		return &d, nil
	}
	a, b, isInterval := strings.Cut(s, "/")
	if !isInterval {
		if a == "" || a == ".." {
			return nil, nil, badParam("datetime", "an instant must be a date or date-time; write an interval as start/end with .. for an open end")
		}
		t, err := one(a)
		if err != nil {
			return nil, nil, err
		}
		return t, t, nil
	}
	if strings.Contains(b, "/") {
		return nil, nil, badParam("datetime", "an interval has exactly two ends, start/end")
	}
	if from, err = one(a); err != nil {
		return nil, nil, err
	}
	if to, err = one(b); err != nil {
		return nil, nil, err
	}
	if from != nil && to != nil && from.After(*to) {
		return nil, nil, badParam("datetime", "the interval starts after it ends")
	}
	return from, to, nil
}

// parseOGCBBox reads 4 numbers in CRS84 (minLon > maxLon crosses the
// antimeridian) or 6 with heights, which are ignored (our data has none).
func parseOGCBBox(s string) ([]orb.Bound, error) {
	parts := strings.Split(s, ",")
	if len(parts) == 6 {
		parts = []string{parts[0], parts[1], parts[3], parts[4]}
		for _, i := range []int{2, 5} {
			if _, err := strconv.ParseFloat(strings.TrimSpace(strings.Split(s, ",")[i]), 64); err != nil {
				return nil, badParam("bbox", "height \""+truncate(strings.Split(s, ",")[i])+"\" is not a number")
			}
		}
	}
	b, err := geo.ParseBBox(strings.Join(parts, ","))
	var be *geo.BBoxError
	if errors.As(err, &be) {
		return nil, badParam("bbox", be.Reason)
	}
	if err != nil {
		return nil, badParam("bbox", err.Error())
	}
	return b.Bounds(), nil
}

// marshalOGC encodes JSON without escaping &, < and > (links keep their
// query strings readable: href values are URLs, not HTML).
func marshalOGC(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
