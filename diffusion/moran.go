package diffusion

import (
	"math"
	"math/rand/v2"
)

// DefaultPermutations is the number of random permutations of the
// permutation test.
const DefaultPermutations = 999

// MoranResult is Moran's I of one set of values with its permutation test.
type MoranResult struct {
	N int // units counted
	// Defined is false when I cannot be computed: fewer than 3 units, or
	// every value the same (no variance). Reason says which.
	Defined bool
	Reason  string
	I       float64
	// Expected is E[I] = -1/(N-1) under no spatial autocorrelation.
	Expected float64
	// Permutations is the number of random permutations drawn; MeanPermuted
	// and SDPermuted summarise I over them, and Z = (I - MeanPermuted) /
	// SDPermuted (0 when SDPermuted is 0).
	Permutations             int
	MeanPermuted, SDPermuted float64
	Z                        float64
	// P is the pseudo p-value: (1 + the number of permuted I at least as
	// extreme as the observed one, in the observed direction) / (1 +
	// Permutations). The smallest possible value is 1/(1 + Permutations).
	P float64
}

// Moran computes Moran's I of x (one value per unit of w, in w.Codes order)
//
//	I = (N / S0) · Σ_i Σ_j w_ij z_i z_j / Σ_i z_i²,  z_i = x_i − mean(x)
//
// and tests it by randomly permuting the values over the units, with a
// random source seeded by seed, so the same inputs always give the same
// answer.
func Moran(w *Weights, x []float64, permutations int, seed uint64) MoranResult {
	n := len(x)
	r := MoranResult{N: n, Permutations: permutations}
	if n < 3 || len(w.Codes) != n {
		r.Reason = "fewer than 3 countries"
		return r
	}
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= float64(n)
	z := make([]float64, n)
	ss := 0.0
	for i, v := range x {
		z[i] = v - mean
		ss += z[i] * z[i]
	}
	if ss <= 1e-12*float64(n)*math.Max(1, mean*mean) {
		r.Reason = "every country has the same value"
		return r
	}
	scale := float64(n) / float64(w.rowsWithNeighbours()) / ss
	r.Defined = true
	r.I = scale * crossProduct(w, z)
	r.Expected = -1 / float64(n-1)
	if permutations > 0 {
		r.permutationTest(w, z, scale, seed)
	}
	return r
}

// crossProduct is Σ_i z_i · (Wz)_i, where (Wz)_i is the mean of z over unit
// i's neighbours. It is the inner loop of the permutation test.
func crossProduct(w *Weights, z []float64) float64 {
	s := 0.0
	for i, zi := range z {
		a, b := w.start[i], w.start[i+1]
		t := 0.0
		for _, j := range w.nbr[a:b] {
			t += z[j]
		}
		s += zi * t * w.inv[i]
	}
	return s
}

// permutationTest draws r.Permutations random orderings of z over the units.
func (r *MoranResult) permutationTest(w *Weights, z []float64, scale float64, seed uint64) {
	src := &source{pcg: rand.NewPCG(seed, permutationStream)}
	perm := append([]float64(nil), z...)
	tol := 1e-9 * math.Max(1, math.Abs(r.I)) // permuted values equal to I up to rounding count as ties
	atLeast, atMost := 0, 0
	sum, sum2 := 0.0, 0.0
	for range r.Permutations {
		shuffle(src, perm)
		v := scale * crossProduct(w, perm)
		sum += v
		sum2 += v * v
		if v >= r.I-tol {
			atLeast++
		}
		if v <= r.I+tol {
			atMost++
		}
	}
	m := float64(r.Permutations)
	r.MeanPermuted = sum / m
	if r.Permutations > 1 {
		r.SDPermuted = math.Sqrt(math.Max(0, (sum2-m*r.MeanPermuted*r.MeanPermuted)/(m-1)))
	}
	if r.SDPermuted > 0 {
		r.Z = (r.I - r.MeanPermuted) / r.SDPermuted
	}
	tail := atLeast
	if r.I < r.MeanPermuted {
		tail = atMost
	}
	r.P = float64(tail+1) / (m + 1)
}

// permutationStream is the second PCG seed word: fixed, so a result depends
// only on the seed the caller gives.
const permutationStream = 0x5c5d1ff

// source draws 32-bit random numbers from a PCG, two per 64-bit output.
type source struct {
	pcg  *rand.PCG
	buf  uint64
	have bool
}

func (s *source) uint32() uint32 {
	if s.have {
		s.have = false
		return uint32(s.buf >> 32)
	}
	s.buf, s.have = s.pcg.Uint64(), true
	return uint32(s.buf)
}

// bounded returns a uniform integer in [0, n) by Lemire's multiply-and-shift
// method with rejection, so no value is favoured.
func (s *source) bounded(n uint32) uint32 {
	m := uint64(s.uint32()) * uint64(n)
	if uint32(m) < n {
		threshold := -n % n
		for uint32(m) < threshold {
			m = uint64(s.uint32()) * uint64(n)
		}
	}
	return uint32(m >> 32)
}

// shuffle is a Fisher–Yates shuffle. It is written out (rather than
// rand.Shuffle) so that the permutations, and so the p-values, cannot change
// with the Go release.
func shuffle(src *source, x []float64) {
	for i := len(x) - 1; i > 0; i-- {
		j := src.bounded(uint32(i + 1))
		x[i], x[j] = x[j], x[i]
	}
}
