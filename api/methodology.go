package api

import (
	"bytes"
	"compress/gzip"
	"html"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// methodologyPage renders docs/methodology.md to a standalone HTML page once.
type methodologyPage struct {
	source []byte
	once   sync.Once
	page   *encoded
	err    error
}

const methodologyHead = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>Methodology · SCS Diffusion Tracker</title>
<style>
body{font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433;max-width:46rem;margin:0 auto;padding:1.5rem}
a{color:#1f5f99}table{border-collapse:collapse;margin:1rem 0;font-size:.92rem}th,td{border:1px solid #ccd3dd;padding:.3rem .5rem;vertical-align:top}
th{background:#f1f4f8}code{background:#f1f4f8;padding:0 .2rem;border-radius:3px}pre{background:#f1f4f8;padding:.8rem;overflow:auto}
nav{margin-bottom:1.5rem;font-size:.95rem}
</style></head><body><nav><a href="/">← Back to the map</a> · <a href="/docs">API reference</a></nav><main>
`

func (m *methodologyPage) serve(c *gin.Context) {
	m.once.Do(func() {
		var buf bytes.Buffer
		buf.WriteString(methodologyHead)
		md := goldmark.New(goldmark.WithExtensions(extension.GFM))
		if err := md.Convert(m.source, &buf); err != nil {
			m.err = err
			return
		}
		buf.WriteString("</main></body></html>\n")
		m.page = newEncoded("text/html; charset=utf-8", buf.Bytes(), 0, gzip.BestCompression)
	})
	if m.err != nil {
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte(html.EscapeString(m.err.Error())))
		return
	}
	m.page.serve(c, "public, max-age=300")
}
