package geo

import (
	"errors"
	"strconv"
	"testing"
)

// FuzzParseBBox: never panics; refuses with *BBoxError; an accepted box is in
// range, and its one or two bounds cover exactly its longitudes.
func FuzzParseBBox(f *testing.F) {
	for _, s := range []string{"-10,-5,10,5", "170,-20,-170,20", "-180,-90,180,90", "1,2,3", "a,b,c,d", "0,10,0,-10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseBBox(s)
		if err != nil {
			var be *BBoxError
			if !errors.As(err, &be) || be.Reason == "" {
				t.Fatalf("ParseBBox(%q) error %T %v, want a *BBoxError with a reason", s, err, err)
			}
			return
		}
		if b.MinLon < -180 || b.MaxLon > 180 || b.MinLat < -90 || b.MaxLat > 90 || b.MinLat > b.MaxLat {
			t.Fatalf("ParseBBox(%q) = %+v, out of range", s, b)
		}
		width := 0.0
		for _, bd := range b.Bounds() {
			if bd.Min[0] > bd.Max[0] || bd.Min[1] != b.MinLat || bd.Max[1] != b.MaxLat {
				t.Fatalf("ParseBBox(%q).Bounds() has an inverted or wrong box %v", s, bd)
			}
			width += bd.Max[0] - bd.Min[0]
		}
		want := b.MaxLon - b.MinLon
		if b.CrossesAntimeridian() {
			want += 360
		}
		if d := width - want; d > 1e-9 || d < -1e-9 {
			t.Fatalf("ParseBBox(%q): bounds span %s° of longitude, want %s°", s,
				strconv.FormatFloat(width, 'g', -1, 64), strconv.FormatFloat(want, 'g', -1, 64))
		}
	})
}
