package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/google/go-cmp/cmp"
)

// openAPISpec is api/openapi.yaml, loaded and validated once per test binary,
// with a router that finds the operation of a request.
type openAPISpec struct {
	doc    *openapi3.T
	router routers.Router
}

var loadSpec = sync.OnceValues(func() (*openAPISpec, error) {
	b, err := os.ReadFile("openapi.yaml")
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	doc.Servers = nil // or routes would only match the documented server URL
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	// kin-openapi's CSV decoder reads records and chokes on our "#" comment
	// lines; the documents describe CSV and HTML bodies as plain strings.
	openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/atom+xml", openapi3filter.PlainBodyDecoder)
	return &openAPISpec{doc: doc, router: router}, nil
})

func spec(t *testing.T) *openAPISpec {
	t.Helper()
	s, err := loadSpec()
	if err != nil {
		t.Fatalf("api/openapi.yaml: %v", err)
	}
	return s
}

// apiPrefixes are the paths the OpenAPI document must cover.
var apiPrefixes = []string{"/api/", "/healthz", "/readyz", "/tiles/", "/ogc"}

func isAPIPath(p string) bool {
	for _, pre := range apiPrefixes {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	return false
}

// checkOpenAPI validates a response against the OpenAPI document: status,
// documented headers, media type and body schema of the request's operation.
// Responses to paths the document does not list (unknown API paths, wrong
// methods) and 413s, which any route can answer, must be problem documents.
// Non-API paths the document does not list (the web app, /docs/ assets) and
// 304s are skipped.
func checkOpenAPI(t *testing.T, req *http.Request, w *httptest.ResponseRecorder) {
	t.Helper()
	if req.Method == http.MethodHead || w.Code == http.StatusNotModified {
		return
	}
	s := spec(t)
	body, err := responseBody(w)
	if err != nil {
		t.Errorf("%s %s: %v", req.Method, req.URL, err)
		return
	}
	route, pathParams, err := s.router.FindRoute(req)
	// Any route refuses a bad Authorization header with a 401, and a spent
	// rate limit with a 429 (info.description).
	generic := err == nil && route.Operation.Responses.Status(w.Code) == nil &&
		(w.Code == http.StatusUnauthorized && req.Header.Get("Authorization") != "" || w.Code == http.StatusTooManyRequests)
	if err != nil || w.Code == http.StatusRequestEntityTooLarge || generic {
		if err != nil && !isAPIPath(req.URL.Path) {
			return
		}
		checkGenericProblem(t, s, req, w, body, err)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route},
		Status:                 w.Code,
		Header:                 w.Header(),
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true,
			SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()}},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s → %d does not match the OpenAPI document: %v\nbody: %s",
			req.Method, req.URL, w.Code, err, truncate(string(body)))
	}
}

// checkGenericProblem checks an answer the document describes only in
// general (info.description): a 404 for an unlisted path, a 405 for an
// unlisted method, a 413 for a too-large body, a 401 for a bad
// Authorization header, a 429 for a spent rate limit, each a Problem document.
func checkGenericProblem(t *testing.T, s *openAPISpec, req *http.Request, w *httptest.ResponseRecorder, body []byte, routeErr error) {
	t.Helper()
	want := http.StatusRequestEntityTooLarge
	var re *routers.RouteError
	switch {
	case routeErr == nil && (w.Code == http.StatusUnauthorized || w.Code == http.StatusTooManyRequests):
		want = w.Code
	case errors.Is(routeErr, routers.ErrMethodNotAllowed):
		want = http.StatusMethodNotAllowed
	case errors.As(routeErr, &re):
		want = http.StatusNotFound
	}
	if w.Code != want && w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("%s %s → %d, but the OpenAPI document does not list it (%v): add the route to api/openapi.yaml",
			req.Method, req.URL, w.Code, routeErr)
		return
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("%s %s → %d with Content-Type %q, want application/problem+json", req.Method, req.URL, w.Code, ct)
		return
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Errorf("%s %s → %d: problem is not JSON: %v", req.Method, req.URL, w.Code, err)
		return
	}
	if err := s.doc.Components.Schemas["Problem"].Value.VisitJSON(v, openapi3.VisitAsResponse(), openapi3.MultiErrors(), openapi3.DisableSchemaErrorDetails()); err != nil {
		t.Errorf("%s %s → %d: body does not match the Problem schema: %v", req.Method, req.URL, w.Code, err)
	}
}

// responseBody returns the recorded body, decompressed when gzip-encoded.
func responseBody(w *httptest.ResponseRecorder) ([]byte, error) {
	b := w.Body.Bytes()
	if w.Header().Get("Content-Encoding") != "gzip" {
		return b, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

func TestOpenAPIDocumentValid(t *testing.T) {
	t.Parallel()
	s := spec(t)
	if s.doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi %q, want 3.0.3", s.doc.OpenAPI)
	}
	for path, item := range s.doc.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			if op.OperationID == "" || op.Summary == "" || op.Description == "" || len(op.Tags) == 0 {
				t.Errorf("%s: needs operationId, summary, description and tags", name)
			}
			if op.Responses.Status(http.StatusOK) == nil && op.Responses.Status(http.StatusCreated) == nil &&
				op.Responses.Status(http.StatusNoContent) == nil {
				t.Errorf("%s: no 200, 201 or 204 response", name)
			}
			// Every /api/v1 route refuses unknown parameters with a 400 problem.
			if strings.HasPrefix(path, "/api/v1/") && op.Responses.Status(http.StatusBadRequest) == nil {
				t.Errorf("%s: no 400 response", name)
			}
			for code, r := range op.Responses.Map() {
				if code >= "400" && r.Value.Content.Get("application/problem+json") == nil {
					t.Errorf("%s: response %s is not application/problem+json", name, code)
				}
			}
		}
	}
}

// ginPath converts a gin route pattern to OpenAPI's form: /countries/:iso3
// becomes /countries/{iso3}.
func ginPath(p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		if strings.HasPrefix(part, ":") || strings.HasPrefix(part, "*") {
			parts[i] = "{" + part[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

func TestOpenAPIRoutesMatchRouter(t *testing.T) {
	t.Parallel()
	s := spec(t)
	a := newOfflineAPI(t)
	served := map[string]bool{}
	var undocumented []string
	for _, r := range a.router.Routes() {
		op := r.Method + " " + ginPath(r.Path)
		served[op] = true
		if isAPIPath(r.Path) && s.doc.Paths.Find(ginPath(r.Path)).GetOperation(r.Method) == nil {
			undocumented = append(undocumented, op)
		}
	}
	var unserved []string
	for path, item := range s.doc.Paths.Map() {
		for method := range item.Operations() {
			if op := method + " " + path; !served[op] {
				unserved = append(unserved, op)
			}
		}
	}
	slices.Sort(undocumented)
	slices.Sort(unserved)
	for _, op := range undocumented {
		t.Errorf("gin serves %s, which api/openapi.yaml does not document", op)
	}
	for _, op := range unserved {
		t.Errorf("api/openapi.yaml documents %s, which gin does not serve", op)
	}
}

func TestOpenAPIServed(t *testing.T) {
	t.Parallel()
	a := newOfflineAPI(t)
	file, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}

	w := a.get("/api/v1/openapi.json", "Accept-Encoding", "gzip")
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	body, err := responseBody(w)
	if err != nil {
		t.Fatal(err)
	}
	served, err := openapi3.NewLoader().LoadFromData(body)
	if err != nil {
		t.Fatalf("served openapi.json does not load: %v", err)
	}
	if err := served.Validate(context.Background()); err != nil {
		t.Fatalf("served openapi.json is not valid: %v", err)
	}
	// The JSON is the YAML file, converted faithfully.
	fromFile, err := openapi3.NewLoader().LoadFromData(file)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := served.MarshalJSON()
	want, _ := fromFile.MarshalJSON()
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("openapi.json differs from openapi.yaml (-yaml +json):\n%s", diff)
	}
	// Key order is kept: paths appear as written.
	if i, j := bytes.Index(body, []byte(`"/healthz"`)), bytes.Index(body, []byte(`"/api/v1/pillars"`)); i < 0 || j < i {
		t.Errorf("openapi.json does not keep the document's path order")
	}
	etag := w.Header().Get("ETag")
	if etag == "" || w.Header().Get("Cache-Control") == "" {
		t.Errorf("openapi.json: ETag %q, Cache-Control %q", etag, w.Header().Get("Cache-Control"))
	}
	if w := a.get("/api/v1/openapi.json", "If-None-Match", etag); w.Code != http.StatusNotModified {
		t.Errorf("openapi.json with If-None-Match: %d, want 304", w.Code)
	}
	wantProblem(t, a.get("/api/v1/openapi.json?format=xml"), http.StatusBadRequest, "format")

	w = a.get("/api/v1/openapi.yaml")
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/yaml" || !bytes.Equal(w.Body.Bytes(), file) {
		t.Errorf("openapi.yaml: %d %q, body equal to the file: %v", w.Code, w.Header().Get("Content-Type"), bytes.Equal(w.Body.Bytes(), file))
	}
}

// assetRefs finds the URLs an HTML page loads or links to.
var assetRefs = regexp.MustCompile(`(?i)\b(?:src|href)\s*=\s*["']([^"']*)["']`)

func TestDocsServedOffline(t *testing.T) {
	t.Parallel()
	a := newOfflineAPI(t)
	w := a.get("/docs")
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("/docs: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("/docs: Content-Security-Policy %q", csp)
	}
	page := w.Body.String()
	if strings.Count(page, "<script") != strings.Count(page, "<script src=") {
		t.Error("/docs has an inline script; the CSP allows only script files from this server")
	}
	base, _ := url.Parse("/docs")
	refs := assetRefs.FindAllStringSubmatch(page, -1)
	if len(refs) < 3 {
		t.Fatalf("/docs: found only %d asset URLs in %s", len(refs), page)
	}
	for _, m := range refs {
		u, err := url.Parse(m[1])
		if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(m[1], "//") {
			t.Errorf("/docs loads %q, which is not a same-origin relative URL", m[1])
			continue
		}
		target := base.ResolveReference(u).String()
		w := a.get(target, "Accept-Encoding", "gzip")
		if w.Code != http.StatusOK {
			t.Errorf("/docs refers to %s, which answers %d", target, w.Code)
		}
		if strings.HasPrefix(target, "/docs/") && w.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("%s is not served compressed", target)
		}
		if strings.HasSuffix(target, ".js") {
			js, _ := responseBody(w)
			if target != "/docs/swagger-ui-bundle.js" && bytes.Contains(js, []byte("://")) {
				t.Errorf("%s names an absolute URL", target)
			}
		}
	}
	if w := a.get("/docs/swagger-initializer.js"); !strings.Contains(w.Body.String(), `url: "/api/v1/openapi.json"`) ||
		!strings.Contains(w.Body.String(), "validatorUrl: null") {
		t.Errorf("swagger-initializer.js must load /api/v1/openapi.json and turn the online validator off")
	}
	if w := a.get("/docs/"); w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "/docs" {
		t.Errorf("/docs/: %d to %q, want 301 to /docs", w.Code, w.Header().Get("Location"))
	}
	wantProblem(t, a.get("/docs/nothing.js"), http.StatusNotFound, "")
	wantProblem(t, a.get("/docs/../go.mod"), http.StatusNotFound, "")
}
