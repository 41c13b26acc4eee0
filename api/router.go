// Package api is the HTTP layer of the tracker: the gin router, one file per
// resource, middleware, RFC 9457 problem responses and the embedded OpenAPI
// document. Handlers parse and validate input, ask the read model (package
// readmodel) or the store, and encode; they hold no SQL and decide nothing
// about the domain.
package api

import (
	"io/fs"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/accounts"
	"github.com/scs-diffusion/tracker/cache"
	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/store"
)

// Deps is everything the router needs, built in main and passed in.
type Deps struct {
	Model          *readmodel.Model // every public read
	Store          *store.Store     // readiness (and, later, writes)
	Log            *slog.Logger
	Metrics        *Metrics // nil: metrics are kept but nobody reads them
	MaxBodyBytes   int64
	RequestTimeout time.Duration
	CacheBytes     int64   // bound of the response cache (default 32 MiB)
	Frontend       fs.FS   // built web app (frontend/dist); nil serves no UI
	Methodology    []byte  // docs/methodology.md, served as HTML at /methodology
	RateLimit      float64 // requests per second per client IP (bursts of 4×, at least 20); 0 turns limiting off
	Auth           AuthConfig
	// Revisions, when set, tells the router of API keys changed by other
	// servers (store.RevisionWatcher.OnKeyChange); nil: they are noticed
	// after Auth.KeyCacheFor.
	Revisions *store.RevisionWatcher
	// KeyUses records the API keys' last use; the caller runs it
	// (KeyUses.Run) and flushes it at shutdown. nil: a recorder of the
	// router's own, written only when GET /api/v1/keys lists the keys.
	KeyUses *KeyUses
}

type handler struct {
	model     *readmodel.Model
	store     *store.Store
	log       *slog.Logger
	metrics   *Metrics
	responses *cache.Cache[*encoded]
	auth      AuthConfig
	accounts  *accounts.Service
	logins    *loginLimiter

	passwordSlots chan struct{} // bounds concurrent argon2id work (verify)
	keyMem        *keyMemory    // API keys read lately (auth.go)
	keyUses       *KeyUses      // their last use, written in batches
	dummyOnce     sync.Once
	dummy         string // a hash to verify against for unknown emails
}

// DefaultCacheBytes bounds the memory of encoded responses.
const DefaultCacheBytes = 32 << 20

// NewRouter builds the gin engine with our own middleware and every route.
func NewRouter(d Deps) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.RedirectTrailingSlash = false
	_ = r.SetTrustedProxies(nil) // the client IP (rate limits, logs) is the peer address, not a forgeable header
	if d.CacheBytes <= 0 {
		d.CacheBytes = DefaultCacheBytes
	}
	if d.Metrics == nil {
		d.Metrics = NewMetrics(nil)
	}
	buildTimeout := max(d.RequestTimeout, 5*time.Second)
	h := &handler{model: d.Model, store: d.Store, log: d.Log, metrics: d.Metrics,
		responses: cache.New[*encoded](d.CacheBytes, (*encoded).size, buildTimeout),
		auth:      d.Auth.withDefaults(), logins: newLoginLimiter(), passwordSlots: make(chan struct{}, 2*runtime.GOMAXPROCS(0))}
	h.accounts = &accounts.Service{Store: d.Store, Params: h.auth.Password}
	h.keyMem = newKeyMemory(h.auth.KeyCacheFor)
	if h.keyUses = d.KeyUses; h.keyUses == nil {
		h.keyUses = NewKeyUses(d.Store, d.Log)
	}
	if d.Revisions != nil {
		d.Revisions.OnKeyChange(h.forgetKey)
	}
	d.Metrics.watch(d.Model, d.Store, func() (int, int64) { st := h.responses.Stats(); return st.Entries, st.Cost })
	routes := newRouteMetrics()
	r.Use(requestID(), recovery(d.Log), accessLog(d.Log, d.Metrics, routes), securityHeaders(), cors(), h.authenticate())
	if d.RateLimit > 0 {
		keyRate := h.auth.KeyRateLimit
		r.Use(rateLimit(newIPLimiter(d.RateLimit, max(20, int(4*d.RateLimit)), 100_000),
			newIPLimiter(keyRate, max(20, int(4*keyRate)), 100_000),
			newIPLimiter(d.RateLimit, max(20, int(4*d.RateLimit)), 100_000), d.Metrics))
	}
	r.Use(rejectBadKey(), crossOrigin(), limits(d.MaxBodyBytes, d.RequestTimeout))
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

	// Every read goes through h.read: one cache of encoded, pre-compressed
	// responses, looked up before any other work.
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
	v1.GET("/sources", h.wrap(h.searchSources))
	v1.GET("/sources/:id", h.wrap(h.getSource))
	v1.GET("/sites", h.wrap(h.listSites))
	v1.GET("/export/index.csv", h.wrap(h.exportIndex))
	v1.GET("/export/assessments.csv", h.wrap(h.exportAssessments))
	v1.GET("/diffusion/curves", h.wrap(h.getCurves))
	v1.GET("/diffusion/curves.csv", h.wrap(h.exportCurves))
	v1.GET("/diffusion/neighbours", h.wrap(h.getExposure))
	v1.GET("/diffusion/neighbours.csv", h.wrap(h.exportExposure))
	v1.GET("/diffusion/moran", h.wrap(h.getMoran))
	v1.GET("/diffusion/moran.csv", h.wrap(h.exportMoran))
	v1.GET("/diffusion/flows", h.wrap(h.getFlows))
	v1.GET("/diffusion/flows.csv", h.wrap(h.exportFlows))

	// Who can do what (issue 8): sessions, API keys, administration.
	v1.POST("/auth/login", h.wrap(h.login))
	v1.POST("/auth/logout", h.wrap(h.logout))
	v1.GET("/me", h.wrap(h.me))
	v1.POST("/me/password", h.wrap(h.changePassword))
	v1.GET("/keys", h.wrap(h.listKeys))
	v1.POST("/keys", h.wrap(h.createKey))
	v1.DELETE("/keys/:id", h.wrap(h.revokeKey))
	v1.GET("/admin/organisations", h.wrap(h.listOrganisations))
	v1.POST("/admin/organisations", h.wrap(h.createOrganisation))
	v1.GET("/admin/users", h.wrap(h.listUsers))
	v1.POST("/admin/users", h.wrap(h.createUser))
	v1.PATCH("/admin/users/:id", h.wrap(h.updateUser))
	v1.GET("/admin/audit", h.wrap(h.listAudit))
	v1.GET("/changes", h.wrap(h.getChanges))
	v1.GET("/changes.atom", h.wrap(h.getChangesAtom))

	// The partner workflow (writes: session or API key, roles checked in each handler).
	v1.GET("/reports", h.wrap(h.listReports))
	v1.POST("/reports", h.wrap(h.createReport))
	v1.GET("/reports/template.csv", h.wrap(h.reportTemplate))
	v1.GET("/reports/:id", h.wrap(h.getReport))
	v1.PUT("/reports/:id", h.wrap(h.updateReport))
	v1.POST("/reports/:id/csv", h.wrap(h.uploadCSV))
	v1.GET("/reports/:id/preview", h.wrap(h.getReportPreview))
	v1.POST("/reports/:id/:action", h.wrap(h.transition))
	// Vector tiles and their TileJSON documents (api/tiles.go).
	r.GET("/tiles/countries.json", h.wrap(h.countryTileJSON))
	r.GET("/tiles/sites.json", h.wrap(h.siteTileJSON))
	r.GET("/tiles/countries/:z/:x/:y.mvt", h.wrap(h.countryTile))
	r.GET("/tiles/sites/:z/:x/:y.mvt", h.wrap(h.siteTile))
	// OGC API Features: its own OpenAPI document at /ogc/api (api/ogc.yaml).
	ogc := r.Group("/ogc")
	ogc.GET("", h.wrap(h.ogcLanding))
	ogc.GET("/api", serveOGCDoc)
	ogc.GET("/conformance", h.wrap(h.ogcConformance))
	ogc.GET("/collections", h.wrap(h.ogcCollections))
	ogc.GET("/collections/:collection", h.wrap(h.ogcCollection))
	ogc.GET("/collections/:collection/items", h.wrap(h.ogcItems))
	ogc.GET("/collections/:collection/items/:featureId", h.wrap(h.ogcItem))
	ogc.GET("/collections/:collection/queryables", h.wrap(h.ogcQueryables))
	ogc.GET("/collections/:collection/schema", h.wrap(h.ogcSchema))
	for _, ri := range r.Routes() {
		routes.add(ri.Path)
	}
	return r
}
