package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/scs-diffusion/tracker/api"
	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/store/storetest"
)

// discardWriter is a ResponseWriter that keeps nothing but the status, so a
// benchmark counts the server's own allocations and not a recorder's.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }
func (w *discardWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// BenchmarkCachedRead measures the fixed cost of a response-cache hit
// through the whole router and middleware chain as the server runs it
// (access log to a JSON handler, metrics, request id, security and CORS
// headers, rate limit on as by default): allocations per hit are the
// noise-free figure (docs/performance.md, "Where the time goes").
func BenchmarkCachedRead(b *testing.B) {
	db := storetest.NewLoaded(b)
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	revisions := db.Store.WatchRevision(ctx, log)
	if err := revisions.WaitKnown(ctx); err != nil {
		b.Fatal(err)
	}
	model := readmodel.New(readmodel.Config{Read: db.Store, Revisions: revisions, Log: log})
	if _, err := model.Snapshot(ctx, nil); err != nil {
		b.Fatal(err)
	}
	for _, limit := range []struct {
		name string
		rate float64
	}{{"", 0}, {"ratelimited/", 1e9}} {
		router := api.NewRouter(api.Deps{Model: model, Store: db.Store, Log: log, Metrics: api.NewMetrics(nil),
			MaxBodyBytes: 1 << 20, RequestTimeout: 30 * time.Second, RateLimit: limit.rate})
		for _, p := range []struct{ name, path string }{
			{"countries", "/api/v1/countries"},
			{"moran", "/api/v1/diffusion/moran"},
			{"curves", "/api/v1/diffusion/curves?capability=surveillance.cctv_network"},
			{"tile", "/tiles/countries/0/0/0.mvt"},
		} {
			b.Run(limit.name+p.name, func(b *testing.B) {
				req := httptest.NewRequest(http.MethodGet, p.path, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				req.Header.Set("User-Agent", "bench")
				w := &discardWriter{h: http.Header{}}
				router.ServeHTTP(w, req) // fill the cache
				if w.status != http.StatusOK {
					b.Fatalf("%s: %d", p.path, w.status)
				}
				b.ReportAllocs()
				for b.Loop() {
					clear(w.h)
					w.status, w.n = 0, 0
					router.ServeHTTP(w, req)
				}
				if w.status != http.StatusOK || w.n == 0 {
					b.Fatalf("%s: %d, %d bytes", p.path, w.status, w.n)
				}
			})
		}
	}
}
