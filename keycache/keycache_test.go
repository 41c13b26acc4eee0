package keycache

import (
	"testing"
	"time"
)

func h(b byte) Hash { return Hash{b} }

func TestCacheGet(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		put     []byte // hashes stored at t0, values = the byte
		get     byte
		at      time.Duration // after t0
		wantOK  bool
		wantV   int
		wantAge time.Duration
	}{
		{"fresh", []byte{1}, 1, time.Second, true, 1, time.Second},
		{"at the edge of keep", []byte{1}, 1, 5 * time.Second, true, 1, 5 * time.Second},
		{"older than keep", []byte{1}, 1, 5*time.Second + 1, false, 0, 0},
		{"never stored", []byte{1}, 2, 0, false, 0, 0},
		{"one of several", []byte{1, 2, 3}, 2, time.Millisecond, true, 2, time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := New[int](10, 5*time.Second)
			for _, b := range tc.put {
				c.Put(h(b), int(b), t0)
			}
			v, age, ok := c.Get(h(tc.get), t0.Add(tc.at))
			if ok != tc.wantOK || v != tc.wantV || age != tc.wantAge {
				t.Errorf("Get = %d, %v, %v; want %d, %v, %v", v, age, ok, tc.wantV, tc.wantAge, tc.wantOK)
			}
		})
	}
}

func TestCacheIsBounded(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		max, puts int
		stale     int // of the puts, how many are older than keep when the rest arrive
	}{
		{"under the bound", 16, 10, 0},
		{"at the bound", 16, 16, 0},
		{"far past the bound", 16, 10_000, 0},
		{"bound of one", 1, 50, 0},
		{"stale entries go first", 16, 24, 16},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := New[int](tc.max, time.Minute)
			for i := range tc.puts {
				at := t0
				if i >= tc.stale {
					at = t0.Add(time.Hour)
				}
				c.Put(Hash{byte(i), byte(i >> 8)}, i, at)
				if c.Len() > tc.max {
					t.Fatalf("after %d puts: %d entries, bound %d", i+1, c.Len(), tc.max)
				}
			}
			// The latest entry is always kept.
			last := tc.puts - 1
			if v, _, ok := c.Get(Hash{byte(last), byte(last >> 8)}, t0.Add(time.Hour)); !ok || v != last {
				t.Errorf("latest entry lost: %d, %v", v, ok)
			}
			if tc.stale > 0 {
				// Making room dropped the stale entries, not the fresh ones.
				for i := tc.stale; i < tc.puts; i++ {
					if _, _, ok := c.Get(Hash{byte(i), byte(i >> 8)}, t0.Add(time.Hour)); !ok {
						t.Errorf("fresh entry %d dropped while stale ones were there", i)
					}
				}
			}
		})
	}
}

func TestCacheDeleteFuncAndClear(t *testing.T) {
	t.Parallel()
	t0 := time.Now()
	c := New[int](10, time.Minute)
	for b := range byte(6) {
		c.Put(h(b), int(b%3), t0)
	}
	if n := c.DeleteFunc(func(v int) bool { return v == 1 }); n != 2 {
		t.Errorf("DeleteFunc removed %d, want 2", n)
	}
	for b := range byte(6) {
		_, _, ok := c.Get(h(b), t0)
		if ok != (b%3 != 1) {
			t.Errorf("entry %d present = %v after deleting the value 1", b, ok)
		}
	}
	c.Delete(h(0))
	if _, _, ok := c.Get(h(0), t0); ok || c.Len() != 3 {
		t.Errorf("after Delete: entry 0 present %v, %d entries; want gone, 3", ok, c.Len())
	}
	c.Clear()
	if c.Len() != 0 {
		t.Errorf("%d entries after Clear", c.Len())
	}
}

func TestUses(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	for _, tc := range []struct {
		name     string
		record   [][2]int // key id, seconds after t0
		returned map[int64]time.Time
		want     map[int64]time.Time
	}{
		{"nothing", nil, nil, nil},
		{"one use", [][2]int{{1, 5}}, nil, map[int64]time.Time{1: at(5)}},
		{"latest use wins", [][2]int{{1, 5}, {1, 9}, {1, 7}}, nil, map[int64]time.Time{1: at(9)}},
		{"keys apart", [][2]int{{1, 5}, {2, 3}}, nil, map[int64]time.Time{1: at(5), 2: at(3)}},
		{"a returned use older than a new one", [][2]int{{1, 9}}, map[int64]time.Time{1: at(5), 2: at(4)}, map[int64]time.Time{1: at(9), 2: at(4)}},
		{"a returned use newer than a new one", [][2]int{{1, 2}}, map[int64]time.Time{1: at(5)}, map[int64]time.Time{1: at(5)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var u Uses
			for _, r := range tc.record {
				u.Record(int64(r[0]), at(r[1]))
			}
			u.Return(tc.returned)
			if u.Len() != len(tc.want) {
				t.Errorf("Len = %d, want %d", u.Len(), len(tc.want))
			}
			got := u.Take()
			if len(got) != len(tc.want) {
				t.Fatalf("Take = %v, want %v", got, tc.want)
			}
			for id, w := range tc.want {
				if !got[id].Equal(w) {
					t.Errorf("key %d: %v, want %v", id, got[id], w)
				}
			}
			if again := u.Take(); again != nil {
				t.Errorf("second Take = %v, want nothing", again)
			}
		})
	}
}
