package api

import (
	"testing"
	"time"
)

func TestIPLimiter(t *testing.T) {
	t.Parallel()
	l := newIPLimiter(2, 3, 100)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		if ok, _, _ := l.allow("192.0.2.1", now); !ok {
			t.Fatalf("request %d within the burst refused", i+1)
		}
	}
	ok, wait, _ := l.allow("192.0.2.1", now)
	if ok || wait <= 0 || wait > time.Second {
		t.Errorf("4th request: ok %v wait %v, want refused with a wait of at most 1 s", ok, wait)
	}
	if ok, _, _ := l.allow("192.0.2.2", now); !ok {
		t.Error("another address shares the first one's budget")
	}
	if ok, _, _ := l.allow("192.0.2.1", now.Add(600*time.Millisecond)); !ok {
		t.Error("a token should have come back after 0.6 s at 2/s")
	}
	// Idle buckets are dropped, and the table never exceeds its bound.
	small := newIPLimiter(1, 1, 10)
	for i := 0; i < 50; i++ {
		small.allow(string(rune('a'+i)), now)
	}
	if n := len(small.buckets); n > 10 {
		t.Errorf("%d buckets, want at most 10", n)
	}
	small.allow("z", now.Add(limiterIdle+time.Second))
	if n := len(small.buckets); n != 1 {
		t.Errorf("%d buckets after the idle sweep, want 1", n)
	}
}

func TestRemainingHeader(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		burst, left int
		want        string
	}{{20, 0, "0"}, {20, 20, "20"}, {20, 21, "21"}, {1 << 40, 5000, "5000"}, {1 << 40, 1024, "1024"}} {
		l := newIPLimiter(1, tc.burst, 10) // a huge burst must not make a huge table
		if got := l.remainingHeader(tc.left); len(got) != 1 || got[0] != tc.want {
			t.Errorf("burst %d: remainingHeader(%d) = %v, want [%s]", tc.burst, tc.left, got, tc.want)
		}
	}
}
