package resemblance_test

import (
	"math"
	"testing"

	"github.com/scs-diffusion/tracker/resemblance"
)

func TestBandOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		index float64
		want  string
	}{
		{0, "none"},
		{9.999, "none"},
		{10, "isolated"},
		{29.99, "isolated"},
		{30, "emerging"},
		{54.999, "emerging"},
		{55, "substantial"},
		{79.999, "substantial"},
		{80, "comparable"},
		{100, "comparable"},
		{-1, "none"},
		{100.5, "comparable"},
		{math.NaN(), "not_assessed"},
	}
	for _, tt := range tests {
		if got := resemblance.BandOf(tt.index); got != tt.want {
			t.Errorf("BandOf(%v) = %q, want %q", tt.index, got, tt.want)
		}
	}
}

// TestBandsMatchBandOf checks that Bands is contiguous from 0 to 100 and
// that BandOf puts each band's Min (and the point just below its Max) in it.
func TestBandsMatchBandOf(t *testing.T) {
	t.Parallel()
	wantCodes := []string{"none", "isolated", "emerging", "substantial", "comparable"}
	if len(resemblance.Bands) != len(wantCodes) {
		t.Fatalf("len(Bands) = %d, want %d", len(resemblance.Bands), len(wantCodes))
	}
	prevMax := 0.0
	for i, b := range resemblance.Bands {
		if b.Code != wantCodes[i] || b.Label == "" {
			t.Errorf("Bands[%d] = %+v, want code %q and a label", i, b, wantCodes[i])
		}
		if b.Min != prevMax {
			t.Errorf("Bands[%d].Min = %v, want %v (contiguous)", i, b.Min, prevMax)
		}
		if got := resemblance.BandOf(b.Min); got != b.Code {
			t.Errorf("BandOf(%v) = %q, want %q", b.Min, got, b.Code)
		}
		if got := resemblance.BandOf(math.Nextafter(b.Max, 0)); got != b.Code {
			t.Errorf("BandOf(just below %v) = %q, want %q", b.Max, got, b.Code)
		}
		prevMax = b.Max
	}
	if prevMax != 100 {
		t.Errorf("last band Max = %v, want 100", prevMax)
	}
}
