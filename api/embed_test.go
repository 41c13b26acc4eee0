package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/api"
)

// uiRouter is the real router over a throwaway database, serving a small web
// app with both pages.
func uiRouter(t *testing.T) *gin.Engine {
	t.Helper()
	ui := fstest.MapFS{
		"index.html":         {Data: []byte("<!doctype html><title>app</title>")},
		"embed.html":         {Data: []byte("<!doctype html><title>embed</title>")},
		"assets/app-1234.js": {Data: []byte("console.log(1)")},
	}
	return newRouter(t, nil, func(d *api.Deps) { d.Frontend = ui })
}

// cspDirective returns the value of one directive of a Content-Security-Policy, and whether it is there.
func cspDirective(csp, name string) (string, bool) {
	for _, d := range strings.Split(csp, ";") {
		d = strings.TrimSpace(d)
		if d == name || strings.HasPrefix(d, name+" ") {
			return strings.TrimSpace(strings.TrimPrefix(d, name)), true
		}
	}
	return "", false
}

// The app may never be framed; /embed may be framed by any site and keeps the
// rest of the strict policy (no inline script, nothing from another origin).
func TestEmbedAloneMayBeFramed(t *testing.T) {
	t.Parallel()
	r := uiRouter(t)
	tests := []struct {
		path      string
		wantTitle string
		framable  bool
	}{
		{"/", "<title>app</title>", false},
		{"/index.html", "<title>app</title>", false},
		{"/embed", "<title>embed</title>", true},
		{"/embed?chart=line&compare=RUS,IRN", "<title>embed</title>", true},
		{"/embed.html", "<title>embed</title>", true},
	}
	// Only /embed itself is the embed page; paths that are not the app's own pages are 404s.
	for _, path := range []string{"/embed/extra", "/compare/RUS,IRN"} {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		wantProblem(t, w, http.StatusNotFound, "")
	}
	for _, tt := range tests {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			w := httptest.NewRecorder()
			api.HeadAsGet(r).ServeHTTP(w, httptest.NewRequest(method, tt.path, nil))
			if w.Code != http.StatusOK {
				t.Fatalf("%s %s: %d", method, tt.path, w.Code)
			}
			if method == http.MethodGet && !strings.Contains(w.Body.String(), tt.wantTitle) {
				t.Errorf("GET %s served %q, want the page with %s", tt.path, w.Body.String(), tt.wantTitle)
			}
			csp := w.Header().Get("Content-Security-Policy")
			xfo := w.Header().Get("X-Frame-Options")
			ancestors, hasAncestors := cspDirective(csp, "frame-ancestors")
			if tt.framable {
				if xfo != "" || hasAncestors {
					t.Errorf("%s %s: X-Frame-Options %q, frame-ancestors %q; want neither, so any site may frame it", method, tt.path, xfo, ancestors)
				}
			} else if xfo != "DENY" || ancestors != "'none'" {
				t.Errorf("%s %s: X-Frame-Options %q, frame-ancestors %q; want DENY and 'none'", method, tt.path, xfo, ancestors)
			}
			for directive, want := range map[string]string{"default-src": "'self'", "connect-src": "'self'", "object-src": "'none'"} {
				if got, _ := cspDirective(csp, directive); got != want {
					t.Errorf("%s %s: %s %q, want %q (CSP %q)", method, tt.path, directive, got, want, csp)
				}
			}
			if _, ok := cspDirective(csp, "script-src"); ok || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("%s %s: CSP %q loosens scripts beyond default-src 'self'", method, tt.path, csp)
			}
			if got := w.Header().Get("Cache-Control"); got != "no-cache" {
				t.Errorf("%s %s: Cache-Control %q, want no-cache", method, tt.path, got)
			}
		}
	}
}

// Everything else keeps X-Frame-Options: DENY: the API, assets and 404s.
func TestFramingStaysDeniedOutsideEmbed(t *testing.T) {
	t.Parallel()
	r := uiRouter(t)
	for _, path := range []string{"/healthz", "/api/v1/pillars", "/assets/app-1234.js", "/assets/missing.js", "/api/v1/nothing"} {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if got := w.Header().Get("X-Frame-Options"); got != "DENY" {
			t.Errorf("GET %s (%d): X-Frame-Options %q, want DENY", path, w.Code, got)
		}
	}
}

// Without an embed page in the build, /embed is a 404, not the app.
func TestEmbedMissingIsNotFound(t *testing.T) {
	t.Parallel()
	r := newRouter(t, nil, func(d *api.Deps) {
		d.Frontend = fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>app</title>")}}
	})
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/embed", nil))
	wantProblem(t, w, http.StatusNotFound, "")
}
