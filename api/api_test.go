package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/api"
	"github.com/scs-diffusion/tracker/docs"
	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/store/storetest"
)

// fixture is the evidence the API tests read: the frozen copy of the
// dataset as first shipped (146 assessments in 51 countries), so the exact
// figures asserted here do not move when the shipped data grows.
var fixture = storetest.Frozen

// testAPI is the real router over a throwaway database.
type testAPI struct {
	t      *testing.T
	db     *storetest.DB
	router *gin.Engine
}

func newTestAPI(t *testing.T, loaded bool) *testAPI {
	t.Helper()
	var db *storetest.DB
	if loaded {
		db = storetest.NewLoadedFrom(t, fixture)
	} else {
		db = storetest.New(t)
	}
	return &testAPI{t: t, db: db, router: newRouter(t, db, nil)}
}

// newOfflineAPI is the real router with no database at all, for the routes
// that need none (the OpenAPI document, /docs): these tests run under a
// plain `go test` too.
func newOfflineAPI(t *testing.T) *testAPI {
	t.Helper()
	return &testAPI{t: t, router: newRouter(t, nil, nil)}
}

// newRouter builds the real router over db (nil: no database at all, for
// routes that need none); edit, if given, adjusts the dependencies first.
func newRouter(t testing.TB, db *storetest.DB, edit func(*api.Deps)) *gin.Engine {
	t.Helper()
	var out io.Writer = io.Discard
	if os.Getenv("TEST_LOG") != "" {
		out = os.Stderr
	}
	log := slog.New(slog.NewJSONHandler(out, nil))
	d := api.Deps{Log: log, MaxBodyBytes: 1 << 20, RequestTimeout: 30 * time.Second, Methodology: docs.Methodology}
	if db != nil {
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel) // runs before the database's cleanup, so the listener lets go of its connection
		d.Store = db.Store
		revisions := db.Store.WatchRevision(ctx, log)
		wait, stop := context.WithTimeout(ctx, 30*time.Second) // a loaded machine may take a while to connect
		defer stop()
		if err := revisions.WaitKnown(wait); err != nil {
			t.Fatalf("the revision listener did not connect: %v", err)
		}
		d.Model = readmodel.New(readmodel.Config{Read: db.Store, Revisions: revisions, Log: log})
		d.Revisions = revisions
	}
	if edit != nil {
		edit(&d)
	}
	return api.NewRouter(d)
}

// get sends a GET with optional header pairs and checks the response against
// the OpenAPI document.
func (a *testAPI) get(path string, headers ...string) *httptest.ResponseRecorder {
	a.t.Helper()
	return a.do(http.MethodGet, path, "", headers...)
}

func (a *testAPI) do(method, path, body string, headers ...string) *httptest.ResponseRecorder {
	a.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	a.router.ServeHTTP(w, req)
	checkOpenAPI(a.t, req, w)
	return w
}

// decode unmarshals a JSON body into v, failing the test on error.
func decode(t *testing.T, w *httptest.ResponseRecorder, v any) {
	t.Helper()
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		t.Fatalf("decode %q: %v", truncate(w.Body.String()), err)
	}
}

func truncate(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

type problem struct {
	Type, Title, Detail, Instance string
	Status                        int
	RequestID                     string `json:"request_id"`
	Errors                        []struct{ Field, Reason string }
}

// wantProblem asserts a problem+json answer with the given status naming field.
func wantProblem(t *testing.T, w *httptest.ResponseRecorder, status int, field string) problem {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d; body %s", w.Code, status, truncate(w.Body.String()))
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	var p problem
	decode(t, w, &p)
	if p.Status != status || p.Title == "" {
		t.Errorf("problem %+v: want status %d and a title", p, status)
	}
	if field != "" {
		found := false
		for _, e := range p.Errors {
			if e.Field == field && e.Reason != "" {
				found = true
			}
		}
		if !found {
			t.Errorf("problem errors %+v do not name field %q", p.Errors, field)
		}
	}
	return p
}
