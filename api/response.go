package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gin-gonic/gin"
)

// encoded is a response body encoded and compressed once, with its ETag.
// Large bodies keep only their gzip form (almost every client accepts gzip;
// the rare one that does not gets it decompressed on the fly), which halves
// what the response cache holds.
type encoded struct {
	contentType string
	body        []byte // nil when only the gzip form is kept
	gz          []byte
	etag        string
	disposition string // Content-Disposition, for downloads
	noContent   bool   // an empty vector tile: 204 No Content
	// strong: send a strong ETag, one per content coding (the OGC API asks
	// for strong validators); otherwise one weak ETag for both codings.
	strong bool

	// The header values every hit sends, made once (a hit then allocates no
	// header slices): Content-Type, the ETags (weak; strong for the
	// identity and the gzip coding) and the lengths of both forms.
	typeHeader                        []string
	weakTag, strongTag, strongGzipTag []string
	gzipLength, bodyLength            []string
	// cacheControl is the Cache-Control value the entry was last served
	// with (a route serves its entries with one policy), made on first use.
	cacheControl atomic.Pointer[[]string]
}

// cacheControlHeader is the Cache-Control header value v, shared by every
// hit that serves e with v (it must not be modified).
func (e *encoded) cacheControlHeader(v string) []string {
	if p := e.cacheControl.Load(); p != nil && (*p)[0] == v {
		return *p
	}
	h := []string{v}
	e.cacheControl.Store(&h)
	return h
}

// keepIdentityBelow is the size under which both forms are kept.
const keepIdentityBelow = 16 << 10

// newEncoded compresses body at level and derives a weak ETag from the data
// revision and the content.
//
// What it keeps is sized to fit (the gzip form is compressed into a pooled
// buffer and copied out; a kept body with much spare capacity is copied), so
// the response cache's bound on bytes is a bound on the heap it holds.
func newEncoded(contentType string, body []byte, revision int64, level int) *encoded {
	buf, _ := gzipBuffers.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	pool := &gzipPools[level-gzip.HuffmanOnly]
	zw, _ := pool.Get().(*gzip.Writer)
	if zw == nil {
		zw, _ = gzip.NewWriterLevel(buf, level)
	} else {
		zw.Reset(buf)
	}
	_, _ = zw.Write(body)
	_ = zw.Close()
	pool.Put(zw)
	gz := bytes.Clone(buf.Bytes())
	if buf.Cap() <= maxPooledBuffer {
		gzipBuffers.Put(buf)
	}
	sum := sha256.Sum256(body)
	e := &encoded{contentType: contentType, gz: gz, etag: fmt.Sprintf(`W/"%d-%s"`, revision, hex.EncodeToString(sum[:8]))}
	if len(body) < keepIdentityBelow || len(e.gz) >= len(body) {
		if cap(body)-len(body) > len(body)/8 {
			body = bytes.Clone(body)
		}
		e.body = body
	}
	strong := strings.TrimPrefix(e.etag, "W/")
	e.typeHeader = []string{contentType}
	e.weakTag, e.strongTag, e.strongGzipTag = []string{e.etag}, []string{strong}, []string{strong[:len(strong)-1] + `-gzip"`}
	e.gzipLength, e.bodyLength = []string{strconv.Itoa(len(e.gz))}, []string{strconv.Itoa(len(body))}
	return e
}

// gzipPools keep one pool of writers per compression level (HuffmanOnly
// -2 … BestCompression 9): a writer holds about a megabyte of state that is
// worth reusing rather than allocating per response.
var gzipPools [gzip.BestCompression - gzip.HuffmanOnly + 1]sync.Pool

// gzipBuffers are the buffers compressed into; one that grew past
// maxPooledBuffer is left to the collector.
var gzipBuffers sync.Pool

const maxPooledBuffer = 4 << 20

// size is what e costs in the response cache.
func (e *encoded) size() int64 { return int64(cap(e.body) + cap(e.gz) + 256) }

// serve writes e with its ETag and Cache-Control, answering 304 when
// If-None-Match matches, and the gzip form to clients that accept it.
// The headers are assigned under their canonical keys from values made once
// (no canonicalising, no allocation per request), and the body is written
// with one Write.
func (e *encoded) serve(c *gin.Context, cacheControl string) {
	h := c.Writer.Header()
	var accept string
	if v := c.Request.Header["Accept-Encoding"]; len(v) > 0 {
		accept = v[0]
	}
	gz := acceptsGzip(accept)
	etag := e.weakTag
	if e.strong {
		etag = e.strongTag
		if gz {
			etag = e.strongGzipTag
		}
	}
	h["Etag"] = etag
	h["Cache-Control"] = e.cacheControlHeader(cacheControl)
	h["Vary"] = vary
	if e.disposition != "" {
		h["Content-Disposition"] = []string{e.disposition}
	}
	if inm := c.Request.Header["If-None-Match"]; len(inm) > 0 && etagMatches(inm[0], etag[0]) {
		c.Status(http.StatusNotModified)
		c.Writer.WriteHeaderNow()
		return
	}
	if e.noContent {
		c.Status(http.StatusNoContent)
		c.Writer.WriteHeaderNow()
		return
	}
	if gz {
		h["Content-Encoding"] = gzipEncoding
		e.write(c, e.gz, e.gzipLength)
		return
	}
	if e.body != nil {
		e.write(c, e.body, e.bodyLength)
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(e.gz))
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.DataFromReader(http.StatusOK, -1, e.contentType, zr, nil)
	_, _ = io.Copy(io.Discard, zr)
}

// write sends a 200 with body as gin's c.Data does (a Content-Type set
// before is kept), with the header values made beforehand.
func (e *encoded) write(c *gin.Context, body []byte, length []string) {
	h := c.Writer.Header()
	if len(h["Content-Type"]) == 0 {
		h["Content-Type"] = e.typeHeader
	}
	if len(body) > 0 {
		h["Content-Length"] = length
	}
	c.Status(http.StatusOK)
	_, _ = c.Writer.Write(body)
}

var (
	vary         = []string{"Accept-Encoding"}
	gzipEncoding = []string{"gzip"}
)

// etagMatches applies the weak comparison of RFC 9110 §13.1.2.
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}

func acceptsGzip(header string) bool {
	if header == "gzip" || strings.HasPrefix(header, "gzip, ") {
		return true // the common case, without parsing
	}
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.TrimSpace(name)
		if !strings.EqualFold(name, "gzip") && name != "*" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		return q > 0
	}
	return false
}
