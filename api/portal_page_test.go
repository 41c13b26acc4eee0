package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/scs-diffusion/tracker/api"
)

// /portal serves the partner portal's page, with the app's strict policy and
// never framed; paths below it are not pages.
func TestPortalPage(t *testing.T) {
	t.Parallel()
	r := newRouter(t, nil, func(d *api.Deps) {
		d.Frontend = fstest.MapFS{
			"index.html":  {Data: []byte("<!doctype html><title>app</title>")},
			"portal.html": {Data: []byte("<!doctype html><title>portal</title>")},
		}
	})
	for _, path := range []string{"/portal", "/portal.html", "/portal?x=1"} {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "<title>portal</title>") {
			t.Fatalf("GET %s: %d %q, want the portal page", path, w.Code, w.Body.String())
		}
		csp := w.Header().Get("Content-Security-Policy")
		if got, _ := cspDirective(csp, "frame-ancestors"); got != "'none'" || w.Header().Get("X-Frame-Options") != "DENY" {
			t.Errorf("GET %s: CSP %q, X-Frame-Options %q; want the portal never framed", path, csp, w.Header().Get("X-Frame-Options"))
		}
		if _, ok := cspDirective(csp, "script-src"); ok || !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("GET %s: CSP %q is not the strict page policy", path, csp)
		}
		if got := w.Header().Get("Cache-Control"); got != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", path, got)
		}
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/portal/reports", nil))
	wantProblem(t, w, http.StatusNotFound, "")
}

// A build without the portal page answers 404 at /portal, not the map.
func TestPortalMissingIsNotFound(t *testing.T) {
	t.Parallel()
	r := newRouter(t, nil, func(d *api.Deps) {
		d.Frontend = fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>app</title>")}}
	})
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/portal", nil))
	wantProblem(t, w, http.StatusNotFound, "")
}
