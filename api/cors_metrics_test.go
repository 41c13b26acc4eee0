package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/scs-diffusion/tracker/api"
	"github.com/scs-diffusion/tracker/readmodel"
)

func TestCORSForPublicReadsOnly(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	w := a.get("/api/v1/index", "Origin", "https://dashboard.example")
	if w.Code != 200 || w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("public read: %d, Access-Control-Allow-Origin %q", w.Code, w.Header().Get("Access-Control-Allow-Origin"))
	}
	exposed := w.Header().Get("Access-Control-Expose-Headers")
	for _, h := range []string{"ETag", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-Data-Stale"} {
		if !strings.Contains(exposed, h) {
			t.Errorf("Access-Control-Expose-Headers %q lacks %s", exposed, h)
		}
	}
	if w.Header().Get("Access-Control-Allow-Credentials") != "" {
		t.Error("a public read allows credentials")
	}
	// A preflight is answered before routing, with no body.
	req := httptest.NewRequest(http.MethodOptions, "/api/v1/countries/VEN?as_of=2020-01-01", nil)
	req.Header.Set("Origin", "https://dashboard.example")
	req.Header.Set("Access-Control-Request-Method", "GET")
	req.Header.Set("Access-Control-Request-Headers", "if-none-match")
	pre := httptest.NewRecorder()
	a.router.ServeHTTP(pre, req)
	if pre.Code != http.StatusNoContent || pre.Header().Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(pre.Header().Get("Access-Control-Allow-Methods"), "GET") ||
		!strings.Contains(pre.Header().Get("Access-Control-Allow-Headers"), "If-None-Match") || pre.Body.Len() != 0 {
		t.Errorf("preflight: %d %v", pre.Code, pre.Header())
	}
	// Routes for sessions and keys, and the server's own pages, send no CORS headers.
	for _, path := range []string{"/api/v1/reports", "/api/v1/auth/login", "/api/v1/keys", "/readyz", "/docs"} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Origin", "https://evil.example")
		w := httptest.NewRecorder()
		a.router.ServeHTTP(w, req)
		if got := w.Header().Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("%s sends Access-Control-Allow-Origin %q", path, got)
		}
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	db := newTestAPI(t, true).db
	reg := api.NewRegistry()
	m := api.NewMetrics(reg)
	r := newRouter(t, db, func(d *api.Deps) {
		d.Metrics, d.RateLimit = m, 1
		d.Model = readmodel.New(readmodel.Config{Read: db.Store, Revisions: db.Store.WatchRevision(t.Context(), d.Log), OnBuild: m.OnBuild})
	})
	for _, path := range []string{"/api/v1/index", "/api/v1/index", "/api/v1/countries/VEN", "/api/v1/countries/XXX"} {
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	for range 25 { // 29 requests in all: 9 past the burst of 20
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/api/v1/pillars", nil))
	}
	w := httptest.NewRecorder()
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	text := w.Body.String()
	for _, want := range []string{
		`tracker_http_requests_total{route="/api/v1/index",status="200"} 2`,
		`tracker_http_requests_total{route="/api/v1/countries/:iso3",status="404"} 1`,
		`tracker_http_request_duration_seconds_bucket{route="/api/v1/index",le="+Inf"} 2`,
		`tracker_response_cache_hits_total 1`,
		`tracker_rate_limited_total 9`,
		`tracker_snapshot_build_seconds_count{kind="revision",result="ok"} 1`,
		`tracker_database_live 1`,
		`tracker_db_pool_max_conns 8`,
		`go_goroutines `,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if !strings.Contains(text, "tracker_data_revision ") || !strings.Contains(text, "tracker_response_cache_bytes ") {
		t.Error("/metrics lacks the revision or the cache size")
	}
}
