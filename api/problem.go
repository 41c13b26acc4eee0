package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/store"
)

// FieldError names one bad field or parameter and why it was refused.
type FieldError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// CellError is a FieldError that also locates a bad cell of an uploaded CSV
// file (row 1 is the header).
type CellError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
	Row    int    `json:"row"`
	Column string `json:"column"`
}

// Problem is an RFC 9457 problem details body, extended with the request id
// and the list of bad fields.
type Problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail,omitempty"`
	Instance  string       `json:"instance,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
	Errors    []FieldError `json:"errors,omitempty"`

	// Cells, when set, are sent as errors[] instead of Errors (a CSV upload).
	Cells []CellError `json:"-"`

	retryAfter int // seconds, sent as Retry-After when > 0
}

func (p *Problem) Error() string { return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail) }

// invalid is a 400 naming one or more bad parameters.
func invalid(errs ...FieldError) *Problem {
	detail := "the request has invalid parameters"
	if len(errs) == 1 {
		detail = fmt.Sprintf("%s: %s", errs[0].Field, errs[0].Reason)
	}
	return &Problem{Type: "/problems/invalid-parameter", Title: "Invalid parameter", Status: http.StatusBadRequest,
		Detail: detail, Errors: errs}
}

// badParam is a 400 naming one bad parameter.
func badParam(field, reason string) *Problem { return invalid(FieldError{field, reason}) }

func notFound(detail string) *Problem {
	return &Problem{Type: "/problems/not-found", Title: "Not found", Status: http.StatusNotFound, Detail: detail}
}

// unavailable is the 503 for a read that needs the database while it cannot
// be reached; clients retry after RetryAfterSeconds.
func unavailable(detail string) *Problem {
	return &Problem{Type: "/problems/unavailable", Title: "Service unavailable", Status: http.StatusServiceUnavailable,
		Detail: detail, retryAfter: 1}
}

// problemFor maps any error to the problem to send; unexpected errors become
// a bare 500 that carries only the request id.
func problemFor(err error) *Problem {
	var p *Problem
	var inv *readmodel.InvalidError
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &inv):
		return badParam(inv.Field, inv.Reason)
	case errors.Is(err, readmodel.ErrNotFound), errors.Is(err, store.ErrNotFound):
		return notFound("no such resource")
	case errors.Is(err, readmodel.ErrUnavailable), store.IsUnavailable(err):
		return unavailable("the database is unavailable and this answer is not in memory; retry shortly")
	case errors.Is(err, context.DeadlineExceeded) || store.IsTimeout(err):
		return &Problem{Type: "/problems/timeout", Title: "Request took too long", Status: http.StatusServiceUnavailable, retryAfter: 1}
	default:
		return &Problem{Type: "/problems/internal", Title: "Internal error", Status: http.StatusInternalServerError}
	}
}

// writeProblem renders p as application/problem+json.
func writeProblem(c *gin.Context, p *Problem) {
	out := *p
	out.Instance = c.Request.URL.Path
	out.RequestID = requestIDOf(c)
	if out.Type == "" {
		out.Type = "about:blank"
	}
	b, _ := json.Marshal(out)
	if len(out.Cells) > 0 {
		b, _ = json.Marshal(struct {
			Problem
			Errors []CellError `json:"errors"`
		}{out, out.Cells})
	}
	c.Writer.Header().Del("ETag")
	c.Header("Cache-Control", "no-store")
	if p.retryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(p.retryAfter))
	}
	c.Data(out.Status, "application/problem+json", b)
	c.Abort()
}

// handlerFunc is the shape of every handler: it returns an error instead of writing one.
type handlerFunc func(c *gin.Context) error

// statusClientClosed is logged (never sent) for a request whose client went
// away before the answer was ready: nginx's 499.
const statusClientClosed = 499

// wrap adapts a handlerFunc to gin, rendering its error as a problem and
// logging server errors with their cause. A client that went away is
// logged as 499 at info level, never as a server error.
func (h *handler) wrap(fn handlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		err := fn(c)
		if err == nil {
			return
		}
		if errors.Is(c.Request.Context().Err(), context.Canceled) {
			c.Set(clientClosedKey, true)
			c.Abort()
			return
		}
		p := problemFor(err)
		if p.Status >= 500 {
			h.log.Error("request failed", "request_id", requestIDOf(c), "path", c.Request.URL.Path, "err", err)
		} else {
			h.log.Debug("request refused", "request_id", requestIDOf(c), "err", err)
		}
		writeProblem(c, p)
	}
}
