package api

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/readmodel"
)

// The one read path. Every public read is answered from a byte-bounded cache
// of encoded, compressed responses keyed by (data revision, path, raw query,
// day). The cache is looked up first, before any parsing, scoring or
// database work; only a miss parses the request, takes the snapshot it
// answers from and builds the body, once for all concurrent callers of the
// key, detached from any one of them (package cache).
//
// While the database is unreachable, cached responses are still served,
// marked with X-Data-Stale; a miss is answered from the last snapshot in
// memory, or 503 when it needs the database.

// build makes a response body from values parsed beforehand. It runs
// detached from the request, so it must not touch the gin.Context.
type build func(ctx context.Context) (*encoded, error)

// prepare parses and validates a request and returns the build that answers
// it; every refusal happens here or in the build.
type prepare func(r *readRequest) (build, error)

// readRequest is a request on its way through the read path.
type readRequest struct {
	c  *gin.Context
	h  *handler
	sn *readmodel.Snapshot
}

// snapshot returns the snapshot the request answers from (recordedAsOf nil: now).
func (r *readRequest) snapshot(recordedAsOf *time.Time) (*readmodel.Snapshot, error) {
	sn, err := r.h.model.Snapshot(r.c.Request.Context(), recordedAsOf)
	if err != nil {
		return nil, err
	}
	r.sn = sn
	return sn, nil
}

// read answers a GET through the response cache.
func (h *handler) read(c *gin.Context, cacheControl string, prep prepare) error {
	var buf [192]byte
	return h.readKeyed(c, appendResponseKey(buf[:0], c, today()), cacheControl, prep)
}

// readKeyed is read with a key of the caller's making (for responses whose
// URLs have several spellings, such as tiles, or that do not vary by day):
// the key is the data revision, '|' and suffix. A hit builds the key in a
// buffer on the stack and looks it up without making a string of it.
func (h *handler) readKeyed(c *gin.Context, suffix []byte, cacheControl string, prep prepare) error {
	var buf [256]byte
	rev, known, live := h.model.Revision()
	if known {
		if e, ok := h.responses.PeekBytes(revisionKey(buf[:0], rev.Revision, suffix)); ok {
			h.metrics.cacheHit()
			serveRead(c, e, cacheControl, !live)
			return nil
		}
	}
	h.metrics.cacheMiss()
	r := &readRequest{c: c, h: h}
	b, err := prep(r)
	if err != nil {
		return err
	}
	if r.sn == nil { // the route needed no data to validate: take the current snapshot now
		if _, err := r.snapshot(nil); err != nil {
			return err
		}
	}
	stale := !live || r.sn.Revision.Revision < rev.Revision
	e, err := h.responses.Get(c.Request.Context(), string(revisionKey(buf[:0], r.sn.Revision.Revision, suffix)), b)
	if err != nil {
		return err
	}
	serveRead(c, e, cacheControl, stale)
	return nil
}

// revisionKey appends the response-cache key of suffix at revision to dst.
func revisionKey(dst []byte, revision int64, suffix []byte) []byte {
	dst = strconv.AppendInt(dst, revision, 10)
	dst = append(dst, '|')
	return append(dst, suffix...)
}

func serveRead(c *gin.Context, e *encoded, cacheControl string, stale bool) {
	if stale {
		c.Writer.Header()["X-Data-Stale"] = staleHeader
		cacheControl = "no-cache"
	}
	e.serve(c, cacheControl)
}

var staleHeader = []string{"database unavailable; serving the last revision loaded"}

// appendResponseKey appends what identifies a response besides the data
// revision: the path, the query exactly as sent (and, under /ogc, the scheme
// and host the links name), and the day (the default as_of and the upper end
// of every time range).
func appendResponseKey(b []byte, c *gin.Context, day time.Time) []byte {
	u := c.Request.URL
	if strings.HasPrefix(u.Path, "/ogc") { // OGC responses carry absolute links to the host asked
		b = appendOGCBase(b, c)
		b = append(b, '|')
	}
	b = append(b, u.Path...)
	b = append(b, '?')
	b = append(b, u.RawQuery...)
	b = append(b, '|')
	return day.AppendFormat(b, time.DateOnly)
}

// jsonBuild encodes what fn returns as JSON.
func (r *readRequest) jsonBuild(sn *readmodel.Snapshot, contentType string, fn func() (any, error)) build {
	return r.bytesBuild(sn, contentType, func() ([]byte, error) {
		v, err := fn()
		if err != nil {
			return nil, err
		}
		return json.Marshal(v)
	})
}

// bytesBuild serves the body fn encodes itself.
func (r *readRequest) bytesBuild(sn *readmodel.Snapshot, contentType string, fn func() ([]byte, error)) build {
	level := r.compression()
	return func(context.Context) (*encoded, error) {
		body, err := fn()
		if err != nil {
			return nil, err
		}
		return newEncoded(contentType, body, sn.Revision.Revision, level), nil
	}
}

// compression picks the gzip level of a response: the default view of a
// resource (no query) is shared by everyone and built once per revision, so
// it gets the default level (within 2 % of the best level's size for our
// bodies, at a third of its time); every other combination (dates, weights,
// filters: the long tail, often asked once) the fastest build, which costs a
// fifth of the CPU for bodies about a third larger.
func (r *readRequest) compression() int {
	if r.c.Request.URL.RawQuery == "" {
		return gzip.DefaultCompression
	}
	return gzip.BestSpeed
}

const jsonType = "application/json; charset=utf-8"
