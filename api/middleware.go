package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"
)

const requestIDKey = "request_id"

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID takes a sane incoming X-Request-ID or makes one, and echoes it.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-ID")
		if !validRequestID.MatchString(id) {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Set(requestIDKey, id)
		c.Header("X-Request-ID", id)
		c.Next()
	}
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
		log.Log(c.Request.Context(), level, "request",
			"method", c.Request.Method, "path", c.Request.URL.Path, "route", route, "status", status,
			"bytes", c.Writer.Size(), "duration_ms", float64(took.Microseconds())/1000,
			"request_id", c.GetString(requestIDKey))
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
				log.Error("panic", "request_id", c.GetString(requestIDKey), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				writeProblem(c, &Problem{Type: "/problems/internal", Title: "Internal error", Status: http.StatusInternalServerError})
			}
		}()
		c.Next()
	}
}

// limits caps the request body and bounds the request's context, so a slow
// query is cancelled in PostgreSQL when the client's time is up.
func limits(maxBody int64, timeout time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
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
