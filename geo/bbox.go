package geo

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// BBoxError names what is wrong with a bbox parameter.
type BBoxError struct{ Reason string }

func (e *BBoxError) Error() string { return "bbox: " + e.Reason }

// BBox is a query box in WGS84 longitude/latitude. When it crosses the
// antimeridian (MinLon > MaxLon, as RFC 7946 §5.2 allows), Bounds returns two
// boxes, one on each side.
type BBox struct{ MinLon, MinLat, MaxLon, MaxLat float64 }

// ParseBBox parses "minLon,minLat,maxLon,maxLat". Longitudes must lie in
// [-180, 180] and latitudes in [-90, 90]; minLat must not exceed maxLat.
// minLon > maxLon means the box crosses the antimeridian.
func ParseBBox(s string) (BBox, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return BBox{}, &BBoxError{fmt.Sprintf("want 4 comma-separated numbers minLon,minLat,maxLon,maxLat, got %d", len(parts))}
	}
	names := [4]string{"minLon", "minLat", "maxLon", "maxLat"}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return BBox{}, &BBoxError{fmt.Sprintf("%s %q is not a number", names[i], p)}
		}
		v[i] = f
	}
	b := BBox{v[0], v[1], v[2], v[3]}
	for i, lon := range []float64{b.MinLon, b.MaxLon} {
		if lon < -180 || lon > 180 {
			return BBox{}, &BBoxError{fmt.Sprintf("%s %v outside [-180, 180]", names[i*2], lon)}
		}
	}
	for i, lat := range []float64{b.MinLat, b.MaxLat} {
		if lat < -90 || lat > 90 {
			return BBox{}, &BBoxError{fmt.Sprintf("%s %v outside [-90, 90]", names[i*2+1], lat)}
		}
	}
	if b.MinLat > b.MaxLat {
		return BBox{}, &BBoxError{fmt.Sprintf("minLat %v is greater than maxLat %v", b.MinLat, b.MaxLat)}
	}
	return b, nil
}

// CrossesAntimeridian reports whether the box wraps past 180°.
func (b BBox) CrossesAntimeridian() bool { return b.MinLon > b.MaxLon }

// Bounds returns the box as one or two orb.Bounds that do not cross the antimeridian.
func (b BBox) Bounds() []orb.Bound {
	if !b.CrossesAntimeridian() {
		return []orb.Bound{{Min: orb.Point{b.MinLon, b.MinLat}, Max: orb.Point{b.MaxLon, b.MaxLat}}}
	}
	return []orb.Bound{
		{Min: orb.Point{b.MinLon, b.MinLat}, Max: orb.Point{180, b.MaxLat}},
		{Min: orb.Point{-180, b.MinLat}, Max: orb.Point{b.MaxLon, b.MaxLat}},
	}
}
