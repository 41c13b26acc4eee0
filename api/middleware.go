package api

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// validRequestID reports whether an incoming request id is sane: 1 to 64
// characters of A-Z, a-z, 0-9, '.', '_' and '-'.
func validRequestID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch b := id[i]; {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9', b == '.', b == '_', b == '-':
		default:
			return false
		}
	}
	return true
}

// requestID takes a sane incoming X-Request-ID or makes one, and echoes it
// in the response header, where the rest of the server reads it (requestIDOf).
// Request ids are not secrets: a fast random number serves. The header map
// is read and written under its canonical key, without canonicalising per
// request (net/http canonicalises incoming keys).
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		if in := c.Request.Header["X-Request-Id"]; len(in) > 0 && validRequestID(in[0]) {
			c.Writer.Header()["X-Request-Id"] = in[:1:1]
		} else {
			c.Writer.Header()["X-Request-Id"] = []string{strconv.FormatUint(rand.Uint64(), 36)}
		}
		c.Next()
	}
}

// requestIDOf is the request's id, as requestID set it.
func requestIDOf(c *gin.Context) string {
	if v := c.Writer.Header()["X-Request-Id"]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// clientClosedKey marks a request whose client went away (logged as 499).
const clientClosedKey = "client_closed"

// accessLog writes one structured line per request (5xx at error, the rest
// at info; a client that went away as 499) and records the request's metrics.
func accessLog(log *slog.Logger, m *Metrics, routes *routeMetrics) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		status := c.Writer.Status()
		if c.GetBool(clientClosedKey) {
			status = statusClientClosed
		}
		took := time.Since(start)
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		m.observe(routes, route, status, took)
		level := slog.LevelInfo
		if status >= 500 && status != statusClientClosed {
			level = slog.LevelError
		}
		log.LogAttrs(c.Request.Context(), level, "request",
			slog.String("method", c.Request.Method), slog.String("path", c.Request.URL.Path), slog.String("route", route),
			slog.Int("status", status), slog.Int("bytes", c.Writer.Size()),
			slog.Float64("duration_ms", float64(took.Microseconds())/1000), slog.String("request_id", requestIDOf(c)))
	}
}

// recovery turns a panic into a logged 500 problem that carries only the request id.
func recovery(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				log.Error("panic", "request_id", requestIDOf(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				writeProblem(c, &Problem{Type: "/problems/internal", Title: "Internal error", Status: http.StatusInternalServerError})
			}
		}()
		c.Next()
	}
}

// limits caps the request body and bounds the request's context, so a slow
// query is cancelled in PostgreSQL when the client's time is up. A GET or
// HEAD without a body needs neither: reads answer from the response cache,
// and the builds behind a miss carry their own timeout (the server's write
// timeout bounds the rest).
func limits(maxBody int64, timeout time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		if (c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead) && c.Request.ContentLength == 0 &&
			len(c.Request.TransferEncoding) == 0 {
			c.Next()
			return
		}
		if c.Request.ContentLength > maxBody {
			writeProblem(c, &Problem{Type: "/problems/too-large", Title: "Request body too large",
				Status: http.StatusRequestEntityTooLarge, Detail: fmt.Sprintf("the body may be at most %d bytes", maxBody),
				Errors: []FieldError{{Field: "body", Reason: fmt.Sprintf("larger than %d bytes", maxBody)}}})
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
		ctx, cancel := context.WithTimeout(c.Request.Context(), timeout)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// securityHeaders sets conservative headers on every response (shared
// values under canonical keys: no allocation per request).
func securityHeaders() gin.HandlerFunc {
	nosniff, noReferrer, deny := []string{"nosniff"}, []string{"no-referrer"}, []string{"DENY"}
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h["X-Content-Type-Options"] = nosniff
		h["Referrer-Policy"] = noReferrer
		h["X-Frame-Options"] = deny
		c.Next()
	}
}

// HeadAsGet answers HEAD like GET (RFC 9110 §9.3.2): the request is routed as
// a GET, and net/http drops the body because the client asked with HEAD.
func HeadAsGet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			r = r.Clone(r.Context())
			r.Method = http.MethodGet
		}
		next.ServeHTTP(w, r)
	})
}
