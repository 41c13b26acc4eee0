package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/planar"
)

// SplitAntimeridian cuts polygons whose rings jump across the antimeridian
// (as spherical sources such as world-atlas store Russia and Fiji) into parts that each lie within longitudes [-180, 180], so
// planar tools (PostGIS geometry, MapLibre) draw and intersect them
// correctly. A ring that encircles a pole is closed along the pole; an edge
// that already runs along a pole (Antarctica's) is not a crossing. Polygons
// that do not cross are returned unchanged.
func SplitAntimeridian(mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, 0, len(mp))
	for _, p := range mp {
		if !crossesAntimeridian(p) {
			out = append(out, p)
			continue
		}
		up := unwrapPolygon(p)
		b := up.Bound()
		for k := math.Floor((b.Min[0] + 180) / 360); k*360-180 < b.Max[0]; k++ {
			win := orb.Bound{Min: orb.Point{-180 + 360*k, -90}, Max: orb.Point{180 + 360*k, 90}}
			part := clip.Polygon(win, clonePolygon(up))
			if len(part) == 0 || len(part[0]) < 4 {
				continue
			}
			shiftPolygon(part, -360*k)
			out = append(out, part)
		}
	}
	return out
}

func crossesAntimeridian(p orb.Polygon) bool {
	for _, r := range p {
		for i := 1; i < len(r); i++ {
			alongPole := math.Abs(r[i][1]) > 89 && math.Abs(r[i-1][1]) > 89
			if math.Abs(r[i][0]-r[i-1][0]) > 180 && !alongPole {
				return true
			}
		}
	}
	return false
}

// unwrapPolygon makes longitudes continuous (no step over 180°) ring by ring,
// closes pole-encircling exterior rings along the pole, and moves holes next
// to their exterior ring.
func unwrapPolygon(p orb.Polygon) orb.Polygon {
	out := make(orb.Polygon, 0, len(p))
	for _, r := range p {
		if planar.Area(r) == 0 {
			continue // a degenerate ring, such as a line traced along the pole
		}
		u := unwrapRing(r)
		if len(out) > 0 && len(u) > 0 {
			base := out[0].Bound().Min[0]
			shiftRing(u, -360*math.Floor((u[0][0]-base)/360))
		}
		out = append(out, u)
	}
	return out
}

func unwrapRing(r orb.Ring) orb.Ring {
	if len(r) == 0 {
		return nil
	}
	u := make(orb.Ring, len(r), len(r)+4)
	u[0] = r[0]
	for i := 1; i < len(r); i++ {
		d := r[i][0] - r[i-1][0]
		d -= 360 * math.Round(d/360)
		u[i] = orb.Point{u[i-1][0] + d, r[i][1]}
	}
	first, last := u[0], u[len(u)-1]
	if math.Abs(last[0]-first[0]) > 180 { // encircles a pole: close along it
		pole := -90.0
		var sum float64
		for _, pt := range r {
			sum += pt[1]
		}
		if sum > 0 {
			pole = 90
		}
		u = append(u[:len(u)-1], last, orb.Point{last[0], pole}, orb.Point{first[0], pole}, first)
	}
	return u
}

func clonePolygon(p orb.Polygon) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		out[i] = append(orb.Ring(nil), r...)
	}
	return out
}

func shiftPolygon(p orb.Polygon, dx float64) {
	for _, r := range p {
		shiftRing(r, dx)
	}
}

func shiftRing(r orb.Ring, dx float64) {
	for i := range r {
		r[i][0] += dx
	}
}
