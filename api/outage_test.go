package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/scs-diffusion/tracker/accounts"
	"github.com/scs-diffusion/tracker/api"
	"github.com/scs-diffusion/tracker/ingest"
	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/store"
	"github.com/scs-diffusion/tracker/store/storetest"
)

// TestDatabaseOutage stops the real database under a running server and
// starts it again: what is in memory goes on being served (marked stale),
// what needs the database is a 503 with Retry-After within a second (never a
// 500, never a hang), readiness says so, and when the database returns the
// server recovers by itself, picks up what was written meanwhile, and keeps
// no more goroutines or connections than before.
func TestDatabaseOutage(t *testing.T) {
	cl := storetest.NewCluster(t)
	ctx := context.Background()
	st, err := store.Open(ctx, cl.URL("tracker"), store.Options{MaxConns: 8, StatementTimeout: time.Minute, ConnectTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ingest.All(ctx, st, fixture, nil); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	model := readmodel.New(readmodel.Config{Read: st, Revisions: st.WatchRevision(watchCtx, log), Log: log})
	srv := httptest.NewServer(api.NewRouter(api.Deps{Model: model, Store: st, Log: log, MaxBodyBytes: 1 << 20,
		RequestTimeout: 10 * time.Second}))
	defer srv.Close()
	client := &http.Client{Timeout: 60 * time.Second, // the 50m shapes take a while to build under -race on a busy machine
		Transport: &http.Transport{DisableKeepAlives: true}}
	get := func(path string) (*http.Response, []byte, time.Duration) {
		t.Helper()
		start := time.Now()
		res, err := client.Get(srv.URL + path)
		if err != nil {
			var stacks strings.Builder
			_ = pprof.Lookup("goroutine").WriteTo(&stacks, 1)
			t.Fatalf("GET %s: %v\nthe server's goroutines:\n%s", path, err, stacks.String())
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res, body, time.Since(start)
	}
	warm := []string{"/api/v1/index", "/api/v1/geo/countries.geojson", "/api/v1/countries/VEN", "/readyz"}
	for _, path := range warm {
		if res, body, _ := get(path); res.StatusCode != 200 {
			t.Fatalf("before the outage %s: %d %s", path, res.StatusCode, body)
		}
	}
	goroutines := runtime.NumGoroutine()

	cl.Stop()
	waitFor(t, 3*time.Second, "the server to notice the database is gone", func() bool { _, _, live := model.Revision(); return !live })

	// In memory: the cached responses, and anything the loaded snapshot answers.
	for _, path := range []string{"/api/v1/index", "/api/v1/geo/countries.geojson", "/api/v1/countries/VEN",
		"/api/v1/index?as_of=2019-01-01", "/api/v1/countries/CHN/history"} {
		res, body, _ := get(path)
		if res.StatusCode != 200 || res.Header.Get("X-Data-Stale") == "" || res.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("during the outage %s: %d, X-Data-Stale %q, Cache-Control %q; want 200, stale, no-cache (%.200s)",
				path, res.StatusCode, res.Header.Get("X-Data-Stale"), res.Header.Get("Cache-Control"), body)
		}
	}
	// Needs the database: the 50m shapes were never loaded; readiness pings it.
	for _, path := range []string{"/api/v1/geo/countries.geojson?resolution=50m", "/readyz"} {
		res, body, took := get(path)
		if res.StatusCode != 503 || res.Header.Get("Content-Type") != "application/problem+json" || res.Header.Get("Retry-After") == "" {
			t.Errorf("during the outage %s: %d %q Retry-After %q, want a 503 problem with Retry-After (%s)",
				path, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Retry-After"), body)
		}
		if took > time.Second {
			t.Errorf("during the outage %s took %v, want under 1 s", path, took)
		}
	}

	// The database comes back, and something is written before the server reconnects.
	cl.Start()
	writer, err := store.Open(ctx, cl.URL("tracker"), store.Options{MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := writer.SetDatasetVersion(ctx, "written-during-recovery"); err != nil {
		t.Fatal(err)
	}
	writer.Close()
	waitFor(t, 5*time.Second, "the server to serve the new revision, fresh", func() bool {
		res, body, _ := get("/api/v1/index")
		var idx struct {
			DatasetVersion string `json:"dataset_version"`
		}
		_ = json.Unmarshal(body, &idx)
		return res.StatusCode == 200 && res.Header.Get("X-Data-Stale") == "" && idx.DatasetVersion == "written-during-recovery"
	})
	for _, path := range append(warm, "/api/v1/geo/countries.geojson?resolution=50m") {
		if res, body, _ := get(path); res.StatusCode != 200 || res.Header.Get("X-Data-Stale") != "" {
			t.Errorf("after recovery %s: %d, stale %q (%.200s)", path, res.StatusCode, res.Header.Get("X-Data-Stale"), body)
		}
	}
	waitFor(t, 5*time.Second, "goroutines to settle", func() bool { return runtime.NumGoroutine() <= goroutines+5 })
	if n := st.Pool().Stat().TotalConns(); n > 8 {
		t.Errorf("%d pool connections after recovery, pool size 8", n)
	}
	var conns int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tracker'`).Scan(&conns); err != nil {
		t.Fatal(err)
	}
	if conns > 9 { // the pool, plus the revision listener
		t.Errorf("the database sees %d connections from the server, want at most 9", conns)
	}
}

func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", limit, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestAPIKeyDuringOutage: while the database is down, an app whose key this
// server has checked before goes on reading from memory like anonymous
// clients do; a key it has never seen answers 503 (it cannot be checked),
// never 200 and never 500.
func TestAPIKeyDuringOutage(t *testing.T) {
	cl := storetest.NewCluster(t)
	ctx := context.Background()
	st, err := store.Open(ctx, cl.URL("tracker"), store.Options{MaxConns: 4, StatementTimeout: time.Minute, ConnectTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	svc := &accounts.Service{Store: st}
	org, err := svc.CreateOrganisation(ctx, accounts.By{}, "Org", true)
	if err != nil {
		t.Fatal(err)
	}
	_, seen, _ := svc.CreateKey(ctx, accounts.By{}, accounts.NewKey{Name: "seen", OrgID: org.ID, Role: "partner"}, time.Now())
	_, unseen, _ := svc.CreateKey(ctx, accounts.By{}, accounts.NewKey{Name: "unseen", OrgID: org.ID, Role: "partner"}, time.Now())
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	revisions := st.WatchRevision(watchCtx, log)
	wait, stopWait := context.WithTimeout(ctx, 30*time.Second)
	defer stopWait()
	if err := revisions.WaitKnown(wait); err != nil { // answers are cached only once the revision is known
		t.Fatalf("the revision listener did not connect: %v", err)
	}
	model := readmodel.New(readmodel.Config{Read: st, Revisions: revisions, Log: log})
	router := api.NewRouter(api.Deps{Model: model, Store: st, Log: log, MaxBodyBytes: 1 << 20, RequestTimeout: 10 * time.Second})
	get := func(token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/pillars", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		router.ServeHTTP(w, req)
		return w
	}
	if w := get(seen); w.Code != http.StatusOK {
		t.Fatalf("before the outage: %d %s", w.Code, w.Body)
	}
	cl.Stop()
	waitFor(t, 3*time.Second, "the server to notice the database is gone", func() bool { _, _, live := model.Revision(); return !live })
	if w := get(seen); w.Code != http.StatusOK || w.Header().Get("X-Data-Stale") == "" {
		t.Errorf("known key during the outage: %d (X-Data-Stale %q) %s", w.Code, w.Header().Get("X-Data-Stale"), w.Body)
	}
	if w := get(unseen); w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Errorf("unknown key during the outage: %d %s, want 503 with Retry-After", w.Code, w.Body)
	}
	cl.Start()
}
