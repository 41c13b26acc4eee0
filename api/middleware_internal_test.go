package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestValidRequestID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id   string
		want bool
	}{
		{"abc-123", true},
		{"A.b_C-9", true},
		{strings.Repeat("x", 64), true},
		{"", false},
		{strings.Repeat("x", 65), false},
		{"has space", false},
		{"semi;colon", false},
		{"über", false},
		{"line\nbreak", false},
		{"slash/", false},
	} {
		if got := validRequestID(tc.id); got != tc.want {
			t.Errorf("validRequestID(%q) = %v, want %v", tc.id, got, tc.want)
		}
	}
}

func TestCacheControlHeaderIsSharedPerEntry(t *testing.T) {
	t.Parallel()
	var e encoded
	a, b := e.cacheControlHeader("public, max-age=61"), e.cacheControlHeader("public, max-age=61")
	if len(a) != 1 || a[0] != "public, max-age=61" || &a[0] != &b[0] {
		t.Errorf("cacheControlHeader: %v and %v, want one shared slice holding the value", a, b)
	}
	if c := e.cacheControlHeader("no-cache"); len(c) != 1 || c[0] != "no-cache" || &c[0] == &a[0] {
		t.Errorf("cacheControlHeader with another policy: %v, want its own slice holding it", c)
	}
}

func TestStatusSlot(t *testing.T) {
	t.Parallel()
	for i, s := range commonStatuses {
		if statusSlot[s] != int8(i) {
			t.Errorf("statusSlot[%d] = %d, want %d", s, statusSlot[s], i)
		}
	}
	for _, s := range []int{100, 201, 418, 599} {
		if statusSlot[s] != -1 {
			t.Errorf("statusSlot[%d] = %d, want -1", s, statusSlot[s])
		}
	}
}

func TestClientAddrMatchesGin(t *testing.T) {
	t.Parallel()
	for _, remote := range []string{"192.0.2.7:4711", "[2001:db8::1]:80", "[::1]:9", "[::ffff:192.0.2.1]:80", "[fe80::1%eth0]:80",
		"[2001:0db8:0:0::1]:80", "not an address", ""} {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest(http.MethodGet, "/", nil)
		c.Request.RemoteAddr = remote
		if got, want := clientAddr(c), c.ClientIP(); got != want {
			t.Errorf("clientAddr(%q) = %q, ClientIP %q", remote, got, want)
		}
	}
}
