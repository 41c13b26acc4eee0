// Package keycache holds what a server remembers about API keys between
// requests, so that a keyed request needs no database round trip: a bounded
// map from token hashes (never tokens) to what was last learnt and when, and
// the last-use times waiting to be written. It is pure bookkeeping: the
// caller decides what a value is, how long it may be trusted and when to
// write; the time is always passed in.
package keycache

import (
	"sync"
	"time"
)

// Hash is the SHA-256 of a token, the only form of a token the cache holds.
type Hash = [32]byte

// Cache maps token hashes to values learnt at some time. It holds at most
// Max entries: when full, entries older than Keep are dropped first, then
// arbitrary ones (an eighth of the map at a time), so an insert never scans
// the whole map twice in a row. Safe for concurrent use.
type Cache[V any] struct {
	mu   sync.Mutex
	max  int
	keep time.Duration
	m    map[Hash]entry[V]
}

type entry[V any] struct {
	v  V
	at time.Time
}

// New returns a cache of at most n entries (at least 1) that never
// returns an entry learnt more than keep ago.
func New[V any](n int, keep time.Duration) *Cache[V] {
	return &Cache[V]{max: max(1, n), keep: keep, m: map[Hash]entry[V]{}}
}

// Get returns the value stored for h and how long ago (at now) it was
// learnt; ok is false when there is none, or it is older than keep.
func (c *Cache[V]) Get(h Hash, now time.Time) (v V, age time.Duration, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, found := c.m[h]
	if !found {
		return v, 0, false
	}
	age = now.Sub(e.at)
	if age > c.keep {
		delete(c.m, h)
		return v, 0, false
	}
	return e.v, age, true
}

// Put stores v for h, learnt at now, making room first if the cache is full.
func (c *Cache[V]) Put(h Hash, v V, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, found := c.m[h]; !found && len(c.m) >= c.max {
		for k, e := range c.m {
			if now.Sub(e.at) > c.keep {
				delete(c.m, k)
			}
		}
		for k := range c.m {
			if len(c.m) < c.max-c.max/8 {
				break
			}
			delete(c.m, k)
		}
	}
	c.m[h] = entry[V]{v, now}
}

// Delete drops the entry of h.
func (c *Cache[V]) Delete(h Hash) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, h)
}

// DeleteFunc drops every entry whose value del reports, and says how many.
func (c *Cache[V]) DeleteFunc(del func(V) bool) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k, e := range c.m {
		if del(e.v) {
			delete(c.m, k)
			n++
		}
	}
	return n
}

// Clear drops every entry.
func (c *Cache[V]) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.m)
}

// Len is the number of entries held, stale ones included.
func (c *Cache[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// Uses collects the last time each key was used, to be written in batches:
// Record on every request, Take before a write, Return what a failed write
// could not record. Safe for concurrent use.
type Uses struct {
	mu sync.Mutex
	m  map[int64]time.Time
}

// Record notes that key id was used at t (the latest time wins).
func (u *Uses) Record(id int64, t time.Time) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.m == nil {
		u.m = map[int64]time.Time{}
	}
	if old, ok := u.m[id]; !ok || t.After(old) {
		u.m[id] = t
	}
}

// Take returns every use recorded since the last Take and forgets them
// (nil when there are none).
func (u *Uses) Take() map[int64]time.Time {
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.m) == 0 {
		return nil
	}
	m := u.m
	u.m = nil
	return m
}

// Return puts back uses a write did not record, keeping any later use
// recorded meanwhile.
func (u *Uses) Return(m map[int64]time.Time) {
	for id, t := range m {
		u.Record(id, t)
	}
}

// Len is the number of keys with a use not yet taken.
func (u *Uses) Len() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.m)
}
