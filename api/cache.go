package api

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// encoded is a response body encoded once and kept with its gzip form and ETag.
type encoded struct {
	contentType string
	body        []byte
	gz          []byte
	etag        string
}

// newEncoded compresses body and derives a weak ETag from the data revision
// and the content.
func newEncoded(contentType string, body []byte, revision int64) *encoded {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(body)
	_ = zw.Close()
	sum := sha256.Sum256(body)
	return &encoded{contentType: contentType, body: body, gz: buf.Bytes(),
		etag: fmt.Sprintf(`W/"%d-%s"`, revision, hex.EncodeToString(sum[:8]))}
}

// size is what e costs in the response cache.
func (e *encoded) size() int { return len(e.body) + len(e.gz) + 256 }

// serve writes e, answering 304 when If-None-Match matches and sending the
// gzip form to clients that accept it.
func (e *encoded) serve(c *gin.Context, cacheControl string) {
	h := c.Writer.Header()
	h.Set("ETag", e.etag)
	h.Set("Cache-Control", cacheControl)
	h.Set("Vary", "Accept-Encoding")
	if etagMatches(c.GetHeader("If-None-Match"), e.etag) {
		c.Status(http.StatusNotModified)
		c.Writer.WriteHeaderNow()
		return
	}
	if acceptsGzip(c.GetHeader("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		c.Data(http.StatusOK, e.contentType, e.gz)
		return
	}
	c.Data(http.StatusOK, e.contentType, e.body)
}

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

// lru is a bounded, concurrency-safe least-recently-used cache. Each entry
// has a cost (1 unless a cost function is given); the least recently used
// entries are evicted while the total exceeds max.
type lru[V any] struct {
	mu    sync.Mutex
	max   int
	total int
	cost  func(V) int
	order *list.List
	items map[string]*list.Element
}

type lruItem[V any] struct {
	key  string
	val  V
	cost int
}

// newLRU holds at most max entries.
func newLRU[V any](max int) *lru[V] {
	return newCostLRU[V](max, func(V) int { return 1 })
}

// newCostLRU holds entries whose costs add up to at most max.
func newCostLRU[V any](max int, cost func(V) int) *lru[V] {
	return &lru[V]{max: max, cost: cost, order: list.New(), items: make(map[string]*list.Element)}
}

func (l *lru[V]) get(key string) (V, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.items[key]; ok {
		l.order.MoveToFront(el)
		return el.Value.(*lruItem[V]).val, true
	}
	var zero V
	return zero, false
}

func (l *lru[V]) put(key string, val V) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.cost(val)
	if el, ok := l.items[key]; ok {
		it := el.Value.(*lruItem[V])
		l.total += c - it.cost
		it.val, it.cost = val, c
		l.order.MoveToFront(el)
	} else {
		l.items[key] = l.order.PushFront(&lruItem[V]{key, val, c})
		l.total += c
	}
	for l.total > l.max && l.order.Len() > 1 {
		last := l.order.Back()
		it := last.Value.(*lruItem[V])
		l.order.Remove(last)
		delete(l.items, it.key)
		l.total -= it.cost
	}
}

func (l *lru[V]) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.order.Len()
}

// serveJSON answers a validated read from the response cache: the JSON that
// build returns is encoded and compressed once per (data revision, path,
// canonical query, day) and then served with its ETag (304 on match).
// Call it only after every check that can refuse the request.
func (h *handler) serveJSON(c *gin.Context, sn *snapshot, cacheControl string, build func() (any, error)) error {
	key := fmt.Sprintf("json|%d|%s?%s|%s", sn.revision.Revision, c.Request.URL.Path, c.Request.URL.Query().Encode(),
		today().Format("2006-01-02"))
	e, err := h.cached(key, func() (*encoded, error) {
		v, err := build()
		if err != nil {
			return nil, err
		}
		body, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		return newEncoded("application/json; charset=utf-8", body, sn.revision.Revision), nil
	})
	if err != nil {
		return err
	}
	e.serve(c, cacheControl)
	return nil
}

// cached returns the response cached under key, building it on a miss. Concurrent
// misses on one key share a single build, so a data change does not make every
// waiting client rebuild the same response.
func (h *handler) cached(key string, build func() (*encoded, error)) (*encoded, error) {
	if e, ok := h.cache.get(key); ok {
		return e, nil
	}
	v, err, _ := h.flight.Do("response|"+key, func() (any, error) {
		if e, ok := h.cache.get(key); ok {
			return e, nil
		}
		e, err := build()
		if err != nil {
			return nil, err
		}
		h.cache.put(key, e)
		return e, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*encoded), nil
}
