package api

import (
	"compress/gzip"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// webApp serves the embedded, built web app: hashed files under /assets/ with
// a one-year immutable lifetime, index.html (never cached) for every other
// page of the app (appPaths); any other path is a 404. Files are compressed once, on first use.
type webApp struct {
	fsys  fs.FS
	mu    sync.Mutex
	files map[string]*encoded
}

func (w *webApp) file(name string) (*encoded, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if e, ok := w.files[name]; ok {
		return e, true
	}
	b, err := fs.ReadFile(w.fsys, name)
	if err != nil {
		return nil, false // misses are not cached, so unknown paths cannot grow the map
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = http.DetectContentType(b)
	}
	e := newEncoded(ct, b, 0, gzip.BestCompression)
	w.files[name] = e
	return e, true
}

// serve handles any GET that matched no API route.
func (w *webApp) serve(c *gin.Context) bool {
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
		return false
	}
	p := strings.TrimPrefix(path.Clean(c.Request.URL.Path), "/")
	if top, _, _ := strings.Cut(p, "/"); top == "api" || top == "ogc" || top == "tiles" || top == "docs" {
		return false
	}
	switch p {
	case "embed", "embed.html":
		return w.page(c, "embed.html", true)
	case "", "index.html":
		return w.page(c, "index.html", false)
	case "portal", "portal.html":
		// The partner portal (its own Vite page): never framed, like the app.
		return w.page(c, "portal.html", false)
	}
	e, ok := w.file(p)
	if !ok {
		return false // not a page of the app, not a file of the build: 404
	}
	cache := "public, max-age=3600"
	if strings.HasPrefix(p, "assets/") {
		cache = "public, max-age=31536000, immutable"
	}
	e.serve(c, cache)
	return true
}

// pageCSP is the policy of the app's pages. The app loads everything from this
// origin; MapLibre needs blob: workers and data:/blob: images, and sets inline
// styles on its canvas container. No inline script is allowed.
const pageCSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
	"worker-src 'self' blob:; child-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'self'"

// page sends one of the app's HTML documents, never cached. The app may not
// be framed (frame-ancestors 'none', and X-Frame-Options: DENY from
// securityHeaders). The embed page (/embed) exists to be framed by any site:
// it shows public data, takes no input and links back to the full view, so
// it drops both.
func (w *webApp) page(c *gin.Context, name string, framable bool) bool {
	e, ok := w.file(name)
	if !ok {
		return false
	}
	if framable {
		c.Writer.Header().Del("X-Frame-Options")
		c.Header("Content-Security-Policy", pageCSP)
	} else {
		c.Header("Content-Security-Policy", pageCSP+"; frame-ancestors 'none'")
	}
	e.serve(c, "no-cache")
	return true
}
