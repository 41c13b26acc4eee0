package api

import (
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
// non-API path so client-side URLs work. Files are compressed once, on first use.
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
	e := newEncoded(ct, b, 0)
	w.files[name] = e
	return e, true
}

// serve handles any GET that matched no API route.
func (w *webApp) serve(c *gin.Context) bool {
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
		return false
	}
	p := strings.TrimPrefix(path.Clean(c.Request.URL.Path), "/")
	if strings.HasPrefix(p, "api/") || strings.HasPrefix(p, "ogc/") || strings.HasPrefix(p, "tiles/") {
		return false
	}
	if p != "" && p != "index.html" {
		if e, ok := w.file(p); ok {
			cache := "public, max-age=3600"
			if strings.HasPrefix(p, "assets/") {
				cache = "public, max-age=31536000, immutable"
			}
			e.serve(c, cache)
			return true
		}
		if strings.HasPrefix(p, "assets/") || path.Ext(p) != "" {
			return false // a missing file is a 404, not the app
		}
	}
	e, ok := w.file("index.html")
	if !ok {
		return false
	}
	e.serve(c, "no-cache")
	return true
}
