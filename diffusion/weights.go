package diffusion

import (
	"math"
	"slices"
)

// Place is a country as the spatial statistics see it: its land neighbours
// and its label point (longitude, latitude in degrees).
type Place struct {
	Code       string
	Neighbours []string
	Lon, Lat   float64
}

// DefaultNearest is k, the number of nearest countries (by label point) that
// stand in for the land neighbours of a country that has none among the
// countries counted: four, the median number of land neighbours of the
// countries that have any.
const DefaultNearest = 4

// Weights is a row-standardised spatial weights matrix over a list of units:
// unit i's neighbours each weigh 1/(number of its neighbours), so every row
// sums to 1. It is stored sparse.
type Weights struct {
	Codes []string // the units, in the order of the values Moran reads
	start []int    // unit i's neighbours are nbr[start[i]:start[i+1]]
	nbr   []int32
	inv   []float64 // 1 / (number of unit i's neighbours); 0 without any
	// Nearest lists the units that had no land neighbour among the units and
	// were given their k nearest instead.
	Nearest []string
}

// NewWeights builds row-standardised contiguity weights over units: each
// unit's land neighbours among the units, or, for a unit without any, its k
// nearest units by great-circle distance between label points (ties broken
// by code). Units missing from places have no land neighbours and a label
// point at 0°, 0°.
func NewWeights(places map[string]Place, units []string, k int) *Weights {
	pos := make(map[string]int32, len(units))
	for i, u := range units {
		pos[u] = int32(i)
	}
	w := &Weights{Codes: units, start: make([]int, 1, len(units)+1)}
	k = min(k, len(units)-1)
	var at [][3]float64
	for i, u := range units {
		row := landRow(places[u].Neighbours, pos, int32(i))
		if len(row) == 0 && k > 0 {
			if at == nil {
				at = onSphere(places, units)
			}
			row = nearest(at, units, i, k)
			w.Nearest = append(w.Nearest, u)
		}
		w.nbr = append(w.nbr, row...)
		w.start = append(w.start, len(w.nbr))
		inv := 0.0
		if len(row) > 0 {
			inv = 1 / float64(len(row))
		}
		w.inv = append(w.inv, inv)
	}
	return w
}

// landRow is the positions of a unit's land neighbours among the units,
// sorted, without repeats or the unit itself.
func landRow(neighbours []string, pos map[string]int32, self int32) []int32 {
	var row []int32
	for _, n := range neighbours {
		if j, ok := pos[n]; ok && j != self && !slices.Contains(row, j) {
			row = append(row, j)
		}
	}
	slices.Sort(row)
	return row
}

// nearest is the positions of the k units nearest to unit i. Units are
// compared by the straight-line (chord) distance between their points on
// the unit sphere, which orders them exactly as the great-circle distance
// does, without trigonometry in the loop.
func nearest(at [][3]float64, units []string, i, k int) []int32 {
	type cand struct {
		j    int32
		dist float64
	}
	closer := func(a, b cand) bool { return a.dist < b.dist || (a.dist == b.dist && units[a.j] < units[b.j]) }
	p := at[i]
	best := make([]cand, 0, k+1) // the k closest so far, closest first
	for j, q := range at {
		if j == i {
			continue
		}
		dx, dy, dz := p[0]-q[0], p[1]-q[1], p[2]-q[2]
		c := cand{int32(j), dx*dx + dy*dy + dz*dz}
		if len(best) == k && !closer(c, best[k-1]) {
			continue
		}
		n := len(best)
		for n > 0 && closer(c, best[n-1]) {
			n--
		}
		best = slices.Insert(best, n, c)
		if len(best) > k {
			best = best[:k]
		}
	}
	row := make([]int32, len(best))
	for n, c := range best {
		row[n] = c.j
	}
	slices.Sort(row)
	return row
}

// onSphere places each unit's label point on the unit sphere.
func onSphere(places map[string]Place, units []string) [][3]float64 {
	out := make([][3]float64, len(units))
	rad := math.Pi / 180
	for i, u := range units {
		p := places[u]
		lat, lon := p.Lat*rad, p.Lon*rad
		out[i] = [3]float64{math.Cos(lat) * math.Cos(lon), math.Cos(lat) * math.Sin(lon), math.Sin(lat)}
	}
	return out
}

// Neighbours lists unit i's neighbours by code.
func (w *Weights) Neighbours(i int) []string {
	var out []string
	for _, j := range w.nbr[w.start[i]:w.start[i+1]] {
		out = append(out, w.Codes[j])
	}
	return out
}

// rowsWithNeighbours counts the units with at least one neighbour: S0, the
// sum of all weights, since each such row sums to 1.
func (w *Weights) rowsWithNeighbours() int {
	n := 0
	for i := range w.Codes {
		if w.start[i+1] > w.start[i] {
			n++
		}
	}
	return n
}
