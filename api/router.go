// Package api is the HTTP layer of the tracker: the gin router, one file per
// resource, middleware, RFC 9457 problem responses and the embedded OpenAPI
// document. Handlers parse and validate input, call the store or the pure
// packages, and render; they hold no SQL.
package api

import (
	"io/fs"
	"log/slog"
	"time"

	"github.com/gin-contrib/gzip"
	"github.com/gin-gonic/gin"
	"golang.org/x/sync/singleflight"

	"github.com/scs-diffusion/tracker/store"
)

// Deps is everything the router needs, built in main and passed in.
type Deps struct {
	Store          *store.Store
	Revisions      *store.RevisionWatcher
	Log            *slog.Logger
	MaxBodyBytes   int64
	RequestTimeout time.Duration
	Frontend       fs.FS   // built web app (frontend/dist); nil serves no UI
	Methodology    []byte  // docs/methodology.md, served as HTML at /methodology
	RateLimit      float64 // requests per second per client IP (bursts of 4×, at least 20); 0 turns limiting off
}

type handler struct {
	store     *store.Store
	revisions *store.RevisionWatcher
	log       *slog.Logger
	cache     *lru[*encoded]
	snapshots *lru[*snapshot]
	flight    singleflight.Group
}

// responseCacheBytes bounds the memory of pre-encoded responses.
const responseCacheBytes = 64 << 20

// NewRouter builds the gin engine with our own middleware and every route.
func NewRouter(d Deps) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.RedirectTrailingSlash = false
	_ = r.SetTrustedProxies(nil) // the client IP (rate limits, logs) is the peer address, not a forgeable header
	h := &handler{store: d.Store, revisions: d.Revisions, log: d.Log, cache: newCostLRU(responseCacheBytes, (*encoded).size), snapshots: newLRU[*snapshot](8)}
	r.Use(requestID(), recovery(d.Log), accessLog(d.Log), securityHeaders())
	if d.RateLimit > 0 {
		r.Use(rateLimit(newIPLimiter(d.RateLimit, max(20, int(4*d.RateLimit)), 100_000)))
	}
	r.Use(limits(d.MaxBodyBytes, d.RequestTimeout))
	var ui *webApp
	if d.Frontend != nil {
		ui = &webApp{fsys: d.Frontend, files: map[string]*encoded{}}
	}
	r.NoRoute(h.wrap(func(c *gin.Context) error {
		if ui != nil && ui.serve(c) {
			return nil
		}
		return notFound("no route " + c.Request.URL.Path)
	}))
	r.NoMethod(h.wrap(func(c *gin.Context) error {
		return &Problem{Type: "/problems/method-not-allowed", Title: "Method not allowed", Status: 405,
			Detail: c.Request.Method + " is not allowed on " + c.Request.URL.Path}
	}))

	registerDocs(r)
	r.GET("/healthz", h.wrap(h.healthz))
	r.GET("/readyz", h.wrap(h.readyz))
	if d.Methodology != nil {
		mp := &methodologyPage{source: d.Methodology}
		r.GET("/methodology", mp.serve)
	}

	// JSON reads are encoded once per data revision and request and served
	// pre-compressed from a bounded cache (see serveJSON); CSV downloads are
	// compressed per response.
	v1 := r.Group("/api/v1")
	v1.GET("/geo/countries.geojson", h.wrap(h.countriesGeoJSON))
	v1.GET("/index", h.wrap(h.getIndex))
	v1.GET("/countries", h.wrap(h.listCountries))
	v1.GET("/countries/:iso3", h.wrap(h.getCountry))
	v1.GET("/countries/:iso3/history", h.wrap(h.getHistory))
	v1.GET("/compare", h.wrap(h.getCompare))
	v1.GET("/pillars", h.wrap(h.listPillars))
	v1.GET("/capabilities", h.wrap(h.listCapabilities))
	v1.GET("/assessments", h.wrap(h.listAssessments))
	v1.GET("/sources/:id", h.wrap(h.getSource))
	v1.GET("/sites", h.wrap(h.listSites))
	gz := gzip.Gzip(gzip.DefaultCompression)
	v1.GET("/export/index.csv", gz, h.wrap(h.exportIndex))
	v1.GET("/export/assessments.csv", gz, h.wrap(h.exportAssessments))
	return r
}
