// Package cache keeps values that are expensive to build: a least-recently-
// used cache bounded by the total cost (bytes) of its entries, whose misses
// share one build per key. A shared build runs detached from the caller that
// started it, under a timeout of its own, so a caller that goes away never
// fails the others waiting for the same key.
package cache

import (
	"container/list"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"
)

// Cache is safe for concurrent use.
type Cache[V any] struct {
	mu      sync.Mutex
	max     int64
	total   int64
	cost    func(V) int64
	order   *list.List
	items   map[string]*list.Element
	flight  singleflight.Group
	timeout time.Duration

	hits, misses, builds, failures atomic.Int64
}

type entry[V any] struct {
	key  string
	val  V
	cost int64
}

// Stats is what a cache holds and how it has been used since it was made.
type Stats struct {
	Entries  int
	Cost     int64 // total cost of the entries (bytes, for byte-costed caches)
	Hits     int64
	Misses   int64
	Builds   int64 // builds run (concurrent misses of one key share one)
	Failures int64 // builds that returned an error (not cached)
}

// New makes a cache whose entries' costs add up to at most maxCost. cost
// may be nil (every entry costs 1). Shared builds get buildTimeout.
func New[V any](maxCost int64, cost func(V) int64, buildTimeout time.Duration) *Cache[V] {
	if cost == nil {
		cost = func(V) int64 { return 1 }
	}
	return &Cache[V]{max: maxCost, cost: cost, order: list.New(), items: map[string]*list.Element{}, timeout: buildTimeout}
}

// Peek returns the value cached under key, counting a hit when there is one.
func (c *Cache[V]) Peek(key string) (V, bool) {
	c.mu.Lock()
	el, ok := c.items[key]
	if ok {
		c.order.MoveToFront(el)
	}
	c.mu.Unlock()
	if !ok {
		var zero V
		return zero, false
	}
	c.hits.Add(1)
	return el.Value.(*entry[V]).val, true
}

// PeekBytes is Peek for a key held in bytes, which it does not copy: a
// caller can look a key up without making a string of it.
func (c *Cache[V]) PeekBytes(key []byte) (V, bool) {
	c.mu.Lock()
	el, ok := c.items[string(key)] // the compiler does not allocate for this conversion
	if ok {
		c.order.MoveToFront(el)
	}
	c.mu.Unlock()
	if !ok {
		var zero V
		return zero, false
	}
	c.hits.Add(1)
	return el.Value.(*entry[V]).val, true
}

// Get returns the value cached under key, building it on a miss. Concurrent
// misses of one key share a single build, which runs with ctx's values but
// not its cancellation, bounded by the cache's build timeout. A caller whose
// ctx ends stops waiting (and gets ctx's error); the build goes on for the
// others and is cached when it succeeds. Errors are not cached.
func (c *Cache[V]) Get(ctx context.Context, key string, build func(context.Context) (V, error)) (V, error) {
	if v, ok := c.Peek(key); ok {
		return v, nil
	}
	c.misses.Add(1)
	ch := c.flight.DoChan(key, func() (any, error) {
		if v, ok := c.lookup(key); ok {
			return v, nil
		}
		return c.run(context.WithoutCancel(ctx), key, build)
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			var zero V
			return zero, r.Err
		}
		return r.Val.(V), nil
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// run builds one value under the build timeout and caches it; a panic in
// build becomes an error rather than a crash of the process.
func (c *Cache[V]) run(detached context.Context, key string, build func(context.Context) (V, error)) (v V, err error) {
	c.builds.Add(1)
	ctx, cancel := context.WithTimeout(detached, c.timeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cache: build of %q panicked: %v", key, r)
		}
		if err != nil {
			c.failures.Add(1)
		}
	}()
	v, err = build(ctx)
	if err == nil {
		c.Put(key, v)
	}
	return v, err
}

// lookup is Peek without counting.
func (c *Cache[V]) lookup(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		return el.Value.(*entry[V]).val, true
	}
	var zero V
	return zero, false
}

// Put stores v under key, evicting the least recently used entries while the
// total cost exceeds the bound. A value costing more than the whole bound is
// not stored.
func (c *Cache[V]) Put(key string, v V) {
	cost := c.cost(v)
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.total -= el.Value.(*entry[V]).cost
		c.order.Remove(el)
		delete(c.items, key)
	}
	if cost > c.max {
		return
	}
	c.items[key] = c.order.PushFront(&entry[V]{key, v, cost})
	c.total += cost
	for c.total > c.max {
		last := c.order.Back()
		e := last.Value.(*entry[V])
		c.order.Remove(last)
		delete(c.items, e.key)
		c.total -= e.cost
	}
}

// Stats reports the cache's size and use.
func (c *Cache[V]) Stats() Stats {
	c.mu.Lock()
	n, total := c.order.Len(), c.total
	c.mu.Unlock()
	return Stats{Entries: n, Cost: total, Hits: c.hits.Load(), Misses: c.misses.Load(), Builds: c.builds.Load(),
		Failures: c.failures.Load()}
}
