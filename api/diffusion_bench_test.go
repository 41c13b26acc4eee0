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

// diffusionBenchPaths are the default view of each diffusion route, as the
// web app first asks for it.
var diffusionBenchPaths = []struct{ name, path string }{
	{"curves", "/api/v1/diffusion/curves?capability=sanctions.blacklist,surveillance.cctv_network&pillar=sanctions"},
	{"neighbours", "/api/v1/diffusion/neighbours?capability=surveillance.cctv_network"},
	{"moran", "/api/v1/diffusion/moran"},
	{"flows", "/api/v1/diffusion/flows"},
}

// sliderDay is the as_of of the next slider step: every step of every run
// asks a day not asked before (a repeated day would find its last year kept).
var sliderDay = time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)

// BenchmarkDiffusionEndpoints measures each diffusion route over the
// shipped dataset, through the real router: cold (the snapshot is in memory
// but the response cache is empty: parse, compute every statistic from the
// raw assessment rows, encode, gzip) and cached (a response-cache hit).
func BenchmarkDiffusionEndpoints(b *testing.B) {
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
	router := func() http.Handler {
		return api.NewRouter(api.Deps{Model: model, Store: db.Store, Log: log, MaxBodyBytes: 1 << 20, RequestTimeout: 30 * time.Second})
	}
	get := func(b *testing.B, h http.Handler, path string) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
	}
	for _, p := range diffusionBenchPaths {
		b.Run(p.name+"/cold", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				h := router() // an empty response cache
				if p.name == "moran" {
					// and a snapshot that has kept no year's Moran's I
					model = readmodel.New(readmodel.Config{Read: db.Store, Revisions: revisions, Log: log})
					if _, err := model.Snapshot(ctx, nil); err != nil {
						b.Fatal(err)
					}
					h = router()
				}
				b.StartTimer()
				get(b, h, p.path)
			}
		})
		if p.name == "moran" {
			// A time-slider step: the earlier years are kept, the last one
			// ends on an as_of not asked before.
			b.Run("moran/slider step", func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					h := router()
					sliderDay = sliderDay.AddDate(0, 0, 1)
					b.StartTimer()
					get(b, h, p.path+"?as_of="+sliderDay.Format(time.DateOnly))
				}
			})
		}
		b.Run(p.name+"/cached", func(b *testing.B) {
			h := router()
			get(b, h, p.path)
			for b.Loop() {
				get(b, h, p.path)
			}
		})
	}
}
