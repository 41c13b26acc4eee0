package api

import (
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/store"
)

// metrics are what the tracker exposes to Prometheus (text format, on the
// separate METRICS_ADDR listener): requests by route and status with latency
// histograms, the response and snapshot caches, snapshot loads, the
// database pool, rate-limit refusals and the current data revision.
type Metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	refused   prometheus.Counter
	hits      prometheus.Counter
	misses    prometheus.Counter
	snapshots *prometheus.HistogramVec
}

// NewRegistry returns a registry with the Go runtime and process collectors,
// for the tracker's own metrics to join (Deps.Metrics).
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// NewMetrics registers the tracker's request and cache metrics on reg (nil:
// a private registry nobody reads, so tests and tools need not care).
func NewMetrics(reg *prometheus.Registry) *Metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m := &Metrics{reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tracker_http_requests_total",
			Help: "HTTP requests by route template and status (499: the client went away)."}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "tracker_http_request_duration_seconds",
			Help: "Time to answer an HTTP request, by route template.", Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}},
			[]string{"route"}),
		refused: prometheus.NewCounter(prometheus.CounterOpts{Name: "tracker_rate_limited_total",
			Help: "Requests refused with 429 by the per-client rate limit."}),
		hits: prometheus.NewCounter(prometheus.CounterOpts{Name: "tracker_response_cache_hits_total",
			Help: "Reads answered from the response cache without any parsing or database work."}),
		misses: prometheus.NewCounter(prometheus.CounterOpts{Name: "tracker_response_cache_misses_total",
			Help: "Reads that had to be parsed and built (errors included)."}),
		snapshots: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "tracker_snapshot_build_seconds",
			Help:    "Snapshot builds: kind=revision loads the published data from the database; kind=recorded derives a past recorded view in memory.",
			Buckets: []float64{.0001, .001, .005, .01, .05, .1, .25, .5, 1, 5}}, []string{"kind", "result"}),
	}
	reg.MustRegister(m.requests, m.latency, m.refused, m.hits, m.misses, m.snapshots)
	return m
}

// watch adds the gauges that read the model, the pool and the response cache.
func (m *Metrics) watch(model *readmodel.Model, st *store.Store, responses func() (entries int, bytes int64)) {
	reg := m.reg
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "tracker_response_cache_bytes",
		Help: "Bytes held by the response cache."}, func() float64 { _, b := responses(); return float64(b) }))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "tracker_response_cache_entries",
		Help: "Responses held by the response cache."}, func() float64 { n, _ := responses(); return float64(n) }))
	if model != nil {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "tracker_data_revision",
			Help: "The latest data revision announced by the database."}, func() float64 {
			rev, _, _ := model.Revision()
			return float64(rev.Revision)
		}))
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "tracker_database_live",
			Help: "1 while the revision listener is connected to the database, 0 while answers come from memory."}, func() float64 {
			if _, _, live := model.Revision(); live {
				return 1
			}
			return 0
		}))
	}
	if st != nil {
		pool := st.Pool()
		gauge := func(name, help string, f func() float64) {
			reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f))
		}
		gauge("tracker_db_pool_total_conns", "Connections in the pool.", func() float64 { return float64(pool.Stat().TotalConns()) })
		gauge("tracker_db_pool_acquired_conns", "Connections in use.", func() float64 { return float64(pool.Stat().AcquiredConns()) })
		gauge("tracker_db_pool_idle_conns", "Idle connections.", func() float64 { return float64(pool.Stat().IdleConns()) })
		gauge("tracker_db_pool_max_conns", "Pool size.", func() float64 { return float64(pool.Stat().MaxConns()) })
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "tracker_db_pool_empty_acquire_total",
			Help: "Acquires that had to wait for a connection."}, func() float64 { return float64(pool.Stat().EmptyAcquireCount()) }))
	}
}

func (m *Metrics) cacheHit()  { m.hits.Inc() }
func (m *Metrics) cacheMiss() { m.misses.Inc() }

// OnBuild is the read model's hook for snapshot builds (readmodel.Config.OnBuild).
func (m *Metrics) OnBuild(kind string, took time.Duration, err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.snapshots.WithLabelValues(kind, result).Observe(took.Seconds())
}

// observe records one finished request (route: the route template, or
// "unmatched"). A route's metric children are resolved once and kept in
// routes, so a request neither hashes label values nor formats its status.
func (m *Metrics) observe(routes *routeMetrics, route string, status int, took time.Duration) {
	rm := routes.of(route)
	if rm == nil {
		m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
		m.latency.WithLabelValues(route).Observe(took.Seconds())
		return
	}
	rm.requests(m, status).Inc()
	rm.observer(m).Observe(took.Seconds())
}

// routeMetrics holds the metric children of every route of one router,
// each resolved on its route's first request (so /metrics shows only the
// series that were used, as before). The table is filled while the routes
// are registered, before any request; after that it is only read.
type routeMetrics struct{ byRoute map[string]*routeChildren }

type routeChildren struct {
	route    string
	latency  atomic.Pointer[prometheus.Observer]
	byStatus [len(commonStatuses)]atomic.Pointer[prometheus.Counter]
}

// commonStatuses are the statuses whose counters are kept per route; any
// other is looked up by label as before.
var commonStatuses = [...]int{200, 204, 206, 301, 302, 304, 400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 429,
	statusClientClosed, 500, 502, 503, 504}

// statusSlot maps a status to its place in commonStatuses (-1: none).
var statusSlot = func() (slots [600]int8) {
	for i := range slots {
		slots[i] = -1
	}
	for i, s := range commonStatuses {
		slots[s] = int8(i)
	}
	return slots
}()

func newRouteMetrics() *routeMetrics {
	return &routeMetrics{byRoute: map[string]*routeChildren{"unmatched": {route: "unmatched"}}}
}

// add makes room for the routes' children.
func (t *routeMetrics) add(routes ...string) {
	for _, r := range routes {
		if t.byRoute[r] == nil {
			t.byRoute[r] = &routeChildren{route: r}
		}
	}
}

func (t *routeMetrics) of(route string) *routeChildren {
	if t == nil {
		return nil
	}
	return t.byRoute[route]
}

func (rc *routeChildren) observer(m *Metrics) prometheus.Observer {
	if o := rc.latency.Load(); o != nil {
		return *o
	}
	o := m.latency.WithLabelValues(rc.route)
	rc.latency.Store(&o)
	return o
}

func (rc *routeChildren) requests(m *Metrics, status int) prometheus.Counter {
	if status < 0 || status >= len(statusSlot) || statusSlot[status] < 0 {
		return m.requests.WithLabelValues(rc.route, strconv.Itoa(status))
	}
	slot := &rc.byStatus[statusSlot[status]]
	if c := slot.Load(); c != nil {
		return *c
	}
	c := m.requests.WithLabelValues(rc.route, strconv.Itoa(status))
	slot.Store(&c)
	return c
}
