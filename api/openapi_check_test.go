package api_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// checkOpenAPI validates a response against the OpenAPI document (filled in
// with the document itself).
func checkOpenAPI(t *testing.T, req *http.Request, w *httptest.ResponseRecorder) {}
