package api

import (
	"fmt"
	"testing"
)

func TestLRUEvictsByCost(t *testing.T) {
	t.Parallel()
	l := newCostLRU(10, func(v int) int { return v })
	l.put("a", 4)
	l.put("b", 4)
	if _, ok := l.get("a"); !ok { // a is now the most recently used
		t.Fatal("a missing")
	}
	l.put("c", 4) // total 12 > 10: evict the least recently used, b
	if _, ok := l.get("b"); ok {
		t.Error("b should have been evicted")
	}
	for _, k := range []string{"a", "c"} {
		if _, ok := l.get(k); !ok {
			t.Errorf("%s evicted", k)
		}
	}
	l.put("a", 9) // replacing a value updates its cost: 9 + 4 > 10, so c goes
	if _, ok := l.get("c"); ok || l.len() != 1 {
		t.Errorf("after growing a: len %d, c present %v", l.len(), ok)
	}
	counted := newLRU[string](3)
	for i := 0; i < 10; i++ {
		counted.put(fmt.Sprint(i), "x")
	}
	if counted.len() != 3 {
		t.Errorf("count-bounded LRU holds %d, want 3", counted.len())
	}
}

func TestETagMatchesAndGzip(t *testing.T) {
	t.Parallel()
	tag := `W/"7-abc"`
	for header, want := range map[string]bool{`W/"7-abc"`: true, `"7-abc"`: true, `"x", W/"7-abc"`: true, `*`: true, `W/"8-abc"`: false, ``: false} {
		if got := etagMatches(header, tag); got != want {
			t.Errorf("etagMatches(%q) = %v, want %v", header, got, want)
		}
	}
	for header, want := range map[string]bool{"gzip": true, "br, gzip;q=0.5": true, "gzip;q=0": false, "identity": false, "*": true, "": false, "GZIP": true} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}
