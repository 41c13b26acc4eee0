package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// Public reads may be called from a browser app on any origin: they answer
// with Access-Control-Allow-Origin: * and no credentials, and preflight
// requests are answered here. Routes that will need a session or an API key
// (the partner workflow) send no CORS headers at all, so a browser on
// another origin can neither read them nor send them credentials.
//
// This is a dozen lines rather than gin-contrib/cors because the policy
// depends on the path, and a preflight must be answered before routing.

// publicRead reports whether path is a public, read-only resource.
func publicRead(path string) bool {
	switch {
	case strings.HasPrefix(path, "/tiles/"), strings.HasPrefix(path, "/ogc"):
		return true
	case !strings.HasPrefix(path, "/api/v1/"):
		return false
	}
	for _, private := range privatePrefixes {
		if strings.HasPrefix(path, private) {
			return false
		}
	}
	return true
}

// privatePrefixes are the API paths that need a session or a key.
var privatePrefixes = []string{"/api/v1/auth", "/api/v1/reports", "/api/v1/keys", "/api/v1/admin", "/api/v1/me"}

var (
	corsOrigin  = []string{"*"}
	corsExposed = []string{"ETag, Retry-After, X-Request-ID, X-Data-Stale, X-RateLimit-Limit, X-RateLimit-Remaining, Content-Disposition"}
)

func cors() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !publicRead(c.Request.URL.Path) {
			c.Next()
			return
		}
		h := c.Writer.Header()
		h["Access-Control-Allow-Origin"] = corsOrigin
		if c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, HEAD")
			h.Set("Access-Control-Allow-Headers", "Accept, If-None-Match, X-Request-ID")
			h.Set("Access-Control-Max-Age", "86400")
			c.AbortWithStatus(http.StatusNoContent)
			return
		}
		h["Access-Control-Expose-Headers"] = corsExposed
		c.Next()
	}
}
