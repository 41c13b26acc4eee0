package api

import (
	"strings"
	"testing"
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
