package api

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID takes a sane incoming X-Request-ID or makes one, and echoes it
// in the response header, where the rest of the server reads it (requestIDOf).
// Request ids are not secrets: a fast random number serves.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.Request.Header.Get("X-Request-ID")
		if id == "" || !validRequestID.MatchString(id) {
			var b [16]byte
			id = string(strconv.AppendUint(b[:0], rand.Uint64(), 36))
		}
		c.Writer.Header()["X-Request-Id"] = []string{id}
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
func accessLog(log *slog.Logger, m *Metrics) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		status := c.Writer.Status()
		if c.GetBool(clientClosedKey) {
			status = statusClientClosed
		}
		took := time.Since(start)
		m.observe(c, status, took)
		level := slog.LevelInfo
		if status >= 500 && status != statusClientClosed {
			level = slog.LevelError
		}
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
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

// securityHeaders sets conservative headers on every response.
func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
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
