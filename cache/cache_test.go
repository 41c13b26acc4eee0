package cache

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestEvictsLeastRecentlyUsedByCost(t *testing.T) {
	c := New[string](10, func(s string) int64 { return int64(len(s)) }, time.Second)
	c.Put("a", "aaaa") // 4
	c.Put("b", "bbbb") // 8
	if _, ok := c.Peek("a"); !ok {
		t.Fatal("a evicted too early")
	}
	c.Put("c", "cccc") // 12 > 10: b is the least recently used
	if _, ok := c.Peek("b"); ok {
		t.Error("b should have been evicted")
	}
	for _, k := range []string{"a", "c"} {
		if _, ok := c.Peek(k); !ok {
			t.Errorf("%s evicted", k)
		}
	}
	c.Put("huge", strings.Repeat("x", 11))
	if _, ok := c.Peek("huge"); ok {
		t.Error("a value costing more than the bound was stored")
	}
	c.Put("a", "a") // replacing an entry frees its old cost
	if st := c.Stats(); st.Entries != 2 || st.Cost != 5 {
		t.Errorf("stats %+v, want 2 entries costing 5", st)
	}
}

func TestConcurrentMissesShareOneBuild(t *testing.T) {
	c := New[int](100, nil, time.Second)
	var builds atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	results := make([]int, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Get(context.Background(), "k", func(context.Context) (int, error) {
				builds.Add(1)
				<-release
				return 42, nil
			})
			if err != nil {
				t.Error(err)
			}
			results[i] = v
		}()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Errorf("%d builds, want 1", n)
	}
	for i, v := range results {
		if v != 42 {
			t.Errorf("caller %d got %d", i, v)
		}
	}
}

// The caller that started a shared build goes away: the build goes on, the
// other callers get its value, and it is cached.
func TestFirstCallerCancelledOthersSucceed(t *testing.T) {
	c := New[string](100, nil, time.Second)
	started := make(chan struct{})
	release := make(chan struct{})
	first, cancel := context.WithCancel(context.Background())
	firstErr := make(chan error, 1)
	go func() {
		_, err := c.Get(first, "k", func(ctx context.Context) (string, error) {
			close(started)
			select {
			case <-release:
				return "built", nil
			case <-ctx.Done():
				return "", ctx.Err()
			}
		})
		firstErr <- err
	}()
	<-started
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Get(context.Background(), "k", func(context.Context) (string, error) { return "", errors.New("second build") })
			if err != nil || v != "built" {
				t.Errorf("waiting caller got %q, %v", v, err)
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-firstErr; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller got %v, want context.Canceled", err)
	}
	close(release)
	wg.Wait()
	if v, ok := c.Peek("k"); !ok || v != "built" {
		t.Errorf("not cached after the first caller left: %q %v", v, ok)
	}
}

func TestBuildTimeoutErrorsAndPanicsAreNotCached(t *testing.T) {
	c := New[int](100, nil, 30*time.Millisecond)
	_, err := c.Get(context.Background(), "slow", func(ctx context.Context) (int, error) {
		<-ctx.Done()
		return 0, ctx.Err()
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow build: %v, want the build timeout", err)
	}
	_, err = c.Get(context.Background(), "boom", func(context.Context) (int, error) { panic("kaboom") })
	if err == nil || !strings.Contains(err.Error(), "kaboom") {
		t.Errorf("panicking build: %v", err)
	}
	calls := 0
	for range 2 {
		_, _ = c.Get(context.Background(), "fails", func(context.Context) (int, error) { calls++; return 0, errors.New("no") })
	}
	if calls != 2 {
		t.Errorf("a failed build was cached: %d calls, want 2", calls)
	}
	if st := c.Stats(); st.Entries != 0 || st.Failures != 4 {
		t.Errorf("stats %+v, want no entries and 4 failures", st)
	}
}

// PeekBytes finds what Peek finds, counts the hit and refreshes the entry's
// recency like Peek.
func TestPeekBytes(t *testing.T) {
	c := New[string](8, func(s string) int64 { return int64(len(s)) }, time.Second)
	c.Put("a", "aaaa")
	c.Put("b", "bbbb")
	key := []byte("a")
	if v, ok := c.PeekBytes(key); !ok || v != "aaaa" {
		t.Fatalf("PeekBytes(a) = %q %v", v, ok)
	}
	if _, ok := c.PeekBytes([]byte("missing")); ok {
		t.Error("PeekBytes found a key never stored")
	}
	c.Put("c", "cccc") // over the bound: b, not the just-read a, is the least recently used
	if _, ok := c.Peek("b"); ok {
		t.Error("b should have been evicted")
	}
	if _, ok := c.PeekBytes(key); !ok {
		t.Error("a was evicted although PeekBytes had just used it")
	}
	if st := c.Stats(); st.Hits != 2 {
		t.Errorf("hits %d, want 2", st.Hits)
	}
}
