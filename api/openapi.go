package api

import (
	"compress/gzip"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
	"go.yaml.in/yaml/v3"
)

// openapiYAML is the OpenAPI 3.0.3 document of the public API. It is written
// by hand; tests check every route against it and every test response.
//
//go:embed openapi.yaml
var openapiYAML []byte

// swaggerUI holds the interactive reference served at /docs/: index.html and
// swagger-initializer.js are ours; swagger-ui-bundle.js, swagger-ui.css and
// their licence files are copied unchanged from npm swagger-ui-dist@5.35.0.
// To update, `npm pack swagger-ui-dist@VERSION` in a scratch folder and copy
// those five files over.
//
//go:embed swaggerui
var swaggerUI embed.FS

// docsCSP lets the reference page load only what this server serves. Swagger
// UI sets inline style attributes and renders data: images from its CSS.
const docsCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// apiDoc is the OpenAPI document, validated and encoded for serving.
type apiDoc struct {
	json *encoded
	yaml *encoded
}

// loadAPIDoc parses and validates the embedded document with kin-openapi and
// encodes it as JSON in the document's own key order (so paths, schemas and
// properties read in the order they were written).
func loadAPIDoc() (*apiDoc, error) {
	loader := openapi3.NewLoader()
	spec, err := loader.LoadFromData(openapiYAML)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	if err := spec.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(openapiYAML, &root); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	body, err := yamlToJSON(&root)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml to JSON: %w", err)
	}
	return &apiDoc{
		json: newEncoded("application/json", body, 0, gzip.BestCompression),
		yaml: newEncoded("application/yaml", openapiYAML, 0, gzip.BestCompression),
	}, nil
}

// yamlToJSON encodes a YAML node tree as compact JSON, keeping mapping order.
// Keys are always strings (status codes such as 200 are integers in YAML).
func yamlToJSON(n *yaml.Node) ([]byte, error) {
	var b strings.Builder
	if err := writeJSON(&b, n); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

func writeJSON(b *strings.Builder, n *yaml.Node) error {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) != 1 {
			return fmt.Errorf("line %d: want one YAML document", n.Line)
		}
		return writeJSON(b, n.Content[0])
	case yaml.AliasNode:
		return writeJSON(b, n.Alias)
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(n.Content[i].Value)
			b.Write(k)
			b.WriteByte(':')
			if err := writeJSON(b, n.Content[i+1]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, c); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		s, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		b.Write(s)
	default:
		return fmt.Errorf("line %d: unexpected YAML node kind %d", n.Line, n.Kind)
	}
	return nil
}

// registerDocs serves the OpenAPI document at /api/v1/openapi.json and
// /api/v1/openapi.yaml, and the interactive reference (Swagger UI, embedded,
// no third-party request) at /docs with its files under /docs/. The document
// is loaded on first use and then kept; it never changes while the process runs.
func registerDocs(r *gin.Engine) {
	doc := sync.OnceValues(loadAPIDoc)
	serveDoc := func(pick func(*apiDoc) *encoded) gin.HandlerFunc {
		return func(c *gin.Context) {
			d, err := doc()
			if err != nil {
				_ = c.Error(err)
				writeProblem(c, &Problem{Type: "/problems/internal", Title: "Internal error", Status: http.StatusInternalServerError})
				return
			}
			if err := onlyParams(c); err != nil {
				writeProblem(c, problemFor(err))
				return
			}
			pick(d).serve(c, "public, max-age=300")
		}
	}
	r.GET("/api/v1/openapi.json", serveDoc(func(d *apiDoc) *encoded { return d.json }))
	r.GET("/api/v1/openapi.yaml", serveDoc(func(d *apiDoc) *encoded { return d.yaml }))

	ui, _ := fs.Sub(swaggerUI, "swaggerui") // cannot fail: a valid, embedded directory
	assets := &webApp{fsys: ui, files: map[string]*encoded{}}
	// Only the embedded files are looked up, so unknown names do not grow the cache.
	known := map[string]bool{}
	entries, _ := fs.ReadDir(ui, ".")
	for _, e := range entries {
		known[e.Name()] = true
	}
	serveAsset := func(c *gin.Context, name, cache string) {
		if !known[name] {
			writeProblem(c, notFound("no such file in the API reference"))
			return
		}
		e, ok := assets.file(name)
		if !ok {
			writeProblem(c, notFound("no such file in the API reference"))
			return
		}
		c.Header("Content-Security-Policy", docsCSP)
		e.serve(c, cache)
	}
	r.GET("/docs", func(c *gin.Context) { serveAsset(c, "index.html", "no-cache") })
	r.GET("/docs/*asset", func(c *gin.Context) {
		name := strings.TrimPrefix(c.Param("asset"), "/")
		if name == "" || name == "index.html" {
			c.Redirect(http.StatusMovedPermanently, "/docs")
			return
		}
		serveAsset(c, name, "public, max-age=3600")
	})
}

// ogcYAML is the OpenAPI 3.0.3 document of the OGC API Features surface
// (/ogc), separate from the main one as OGC API Features asks (/ogc/api);
// GDAL reads the per-collection items parameters from it to push
// property filters to the server.
//
//go:embed ogc.yaml
var ogcYAML []byte

var ogcDoc = sync.OnceValues(func() (*encoded, error) {
	spec, err := openapi3.NewLoader().LoadFromData(ogcYAML)
	if err != nil {
		return nil, fmt.Errorf("ogc.yaml: %w", err)
	}
	if err := spec.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("ogc.yaml: %w", err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(ogcYAML, &root); err != nil {
		return nil, fmt.Errorf("ogc.yaml: %w", err)
	}
	body, err := yamlToJSON(&root)
	if err != nil {
		return nil, fmt.Errorf("ogc.yaml to JSON: %w", err)
	}
	e := newEncoded(oasType, body, 0, gzip.BestCompression)
	e.strong = true
	return e, nil
})

// serveOGCDoc serves GET /ogc/api.
func serveOGCDoc(c *gin.Context) {
	e, err := ogcDoc()
	if err != nil {
		_ = c.Error(err)
		writeProblem(c, &Problem{Type: "/problems/internal", Title: "Internal error", Status: http.StatusInternalServerError})
		return
	}
	if err := onlyParams(c, "f"); err != nil {
		writeProblem(c, problemFor(err))
		return
	}
	if err := jsonOnly(c); err != nil {
		writeProblem(c, problemFor(err))
		return
	}
	e.serve(c, "public, max-age=300")
}
