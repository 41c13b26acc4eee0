package api

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// ipLimiter keeps one token bucket per client IP. Buckets idle for a few
// minutes are dropped, and the table is bounded, so many clients cannot grow
// it without limit.
type ipLimiter struct {
	mu      sync.Mutex
	rate    rate.Limit
	burst   int
	max     int
	buckets map[string]*bucket
	swept   time.Time

	remaining [][]string // X-RateLimit-Remaining values 0…min(burst, 1024), made once
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

const limiterIdle = 3 * time.Minute

func newIPLimiter(perSecond float64, burst, max int) *ipLimiter {
	l := &ipLimiter{rate: rate.Limit(perSecond), burst: burst, max: max, buckets: map[string]*bucket{}}
	l.remaining = make([][]string, min(burst, 1024)+1) // larger counts are formatted per request
	for i := range l.remaining {
		l.remaining[i] = []string{strconv.Itoa(i)}
	}
	return l
}

// remainingHeader is the X-RateLimit-Remaining value for left tokens.
func (l *ipLimiter) remainingHeader(left int) []string {
	if left >= 0 && left < len(l.remaining) {
		return l.remaining[left]
	}
	return []string{strconv.Itoa(left)}
}

// allow takes a token for ip, or says how long to wait for one; it also
// returns the tokens left.
func (l *ipLimiter) allow(ip string, now time.Time) (bool, time.Duration, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > limiterIdle || len(l.buckets) >= l.max {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > limiterIdle || len(l.buckets) >= l.max {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[ip]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.rate, l.burst)}
		l.buckets[ip] = b
	}
	b.seen = now
	if !b.lim.AllowN(now, 1) {
		tokens := b.lim.TokensAt(now)
		return false, max(time.Nanosecond, time.Duration((1-tokens)/float64(l.rate)*float64(time.Second))), 0
	}
	return true, 0, max(0, int(b.lim.TokensAt(now)))
}

// clientAddr is c.ClientIP() for the router as configured (no trusted
// proxies: the peer's address), without its two allocations when the peer
// address is a plain IP, which it always is over TCP.
func clientAddr(c *gin.Context) string {
	if la, ok := c.Request.Context().Value(http.LocalAddrContextKey).(net.Addr); !ok || !strings.HasPrefix(la.Network(), "unix") {
		if host, _, err := net.SplitHostPort(strings.TrimSpace(c.Request.RemoteAddr)); err == nil {
			var canonical [64]byte // net.IP.String's spelling, which ClientIP returns
			if a, err := netip.ParseAddr(host); err == nil && !a.Is4In6() && a.Zone() == "" && string(a.AppendTo(canonical[:0])) == host {
				return host
			}
		}
	}
	return c.ClientIP()
}

// rateLimit answers 429 with Retry-After when a client exceeds its budget,
// and tells every client its budget (X-RateLimit-Limit: the burst;
// X-RateLimit-Remaining: requests left in it). A request with a live API key
// draws on the key's own, larger budget (keys); every other request,
// including one with a bad key, on its IP address's. Before a token this
// server has never seen as a key is looked up in the database, it also
// costs its address one lookup (lookups: a budget of the address's size,
// apart from its requests, so an address that spent its requests can still
// bring a key in). Health checks are exempt.
func rateLimit(ips, keys, lookups *ipLimiter, m *Metrics) gin.HandlerFunc {
	ipLimit, keyLimit := []string{strconv.Itoa(ips.burst)}, []string{strconv.Itoa(keys.burst)}
	return func(c *gin.Context) {
		if c.Request.URL.Path == "/healthz" || c.Request.URL.Path == "/readyz" {
			c.Next()
			return
		}
		l, id, limit, who := ips, clientAddr(c), ipLimit, "this address"
		refuse := func(wait time.Duration) {
			m.refused.Inc()
			secs := int(math.Ceil(wait.Seconds()))
			c.Header("Retry-After", fmt.Sprint(secs))
			writeProblem(c, &Problem{Type: "/problems/rate-limited", Title: "Too many requests", Status: http.StatusTooManyRequests,
				Detail: fmt.Sprintf("%s may make %g requests per second (bursts of %d); retry in %d s", who, float64(l.rate), l.burst, secs)})
		}
		h := c.Writer.Header()
		if st := authStateOf(c); st != nil && st.bearer {
			if st.lookup {
				// A token this server has never seen as a key: looking it up
				// costs the database, so the address's budget of lookups pays
				// for it first, and a flood of made-up tokens is bounded.
				if ok, wait, _ := lookups.allow(id, time.Now()); !ok {
					h["X-Ratelimit-Limit"] = limit
					h["X-Ratelimit-Remaining"] = []string{"0"}
					refuse(wait)
					return
				}
			}
			if a, err := st.get(); err == nil && a != nil && a.KeyID != 0 {
				l, id, limit, who = keys, "key:"+strconv.FormatInt(a.KeyID, 10), keyLimit, "this API key"
			}
		}
		ok, wait, left := l.allow(id, time.Now())
		h["X-Ratelimit-Limit"] = limit
		h["X-Ratelimit-Remaining"] = l.remainingHeader(left)
		if !ok {
			refuse(wait)
			return
		}
		c.Next()
	}
}

// waitFor says how long until key's bucket holds a token, without taking one
// (0: it holds one now).
func (l *ipLimiter) waitFor(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		return 0
	}
	tokens := b.lim.TokensAt(now)
	if tokens >= 1 {
		return 0
	}
	return time.Duration((1 - tokens) / float64(l.rate) * float64(time.Second))
}
