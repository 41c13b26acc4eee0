package diffusion

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// path4 is the path A–B–C–D (land neighbours only).
func path4() *Weights {
	places := map[string]Place{
		"A": {Code: "A", Neighbours: []string{"B"}},
		"B": {Code: "B", Neighbours: []string{"A", "C"}},
		"C": {Code: "C", Neighbours: []string{"B", "D"}},
		"D": {Code: "D", Neighbours: []string{"C"}},
	}
	return NewWeights(places, []string{"A", "B", "C", "D"}, DefaultNearest)
}

// TestMoranByHand checks Moran's I on graphs small enough to work by hand.
//
// Path A–B–C–D, values 1, 2, 3, 4. Row-standardised weights: A→B 1; B→A ½,
// B→C ½; C→B ½, C→D ½; D→C 1 (S0 = 4 = N). Mean 2.5, so z = (−1.5, −0.5,
// 0.5, 1.5) and Σz² = 5. The lags Wz are (−0.5, −0.5, 0.5, 0.5), so
// Σ z_i (Wz)_i = 0.75 + 0.25 + 0.25 + 0.75 = 2 and I = (4/4) · 2/5 = 0.4.
// E[I] = −1/(N−1) = −1/3.
//
// Values 1, 1, 3, 3 on the same path: z = (−1, −1, 1, 1), Σz² = 4, Wz =
// (−1, 0, 0, 1), Σ z Wz = 1 + 0 + 0 + 1 = 2, I = 0.5.
//
// Alternating values 1, 3, 1, 3: z = (−1, 1, −1, 1), Wz = (1, −1, 1, −1),
// Σ z Wz = −4, I = −1.
//
// A–B bordering each other and C an island 5° east, k = 1: C's nearest is B.
// Values A 1, B 3, C 2: z = (−1, 1, 0), Σz² = 2, Wz = (1, −1, 1), Σ z Wz =
// −1 − 1 + 0 = −2, I = −1, E[I] = −1/2.
func TestMoranByHand(t *testing.T) {
	island := NewWeights(map[string]Place{
		"A": {Code: "A", Neighbours: []string{"B"}, Lon: 0},
		"B": {Code: "B", Neighbours: []string{"A"}, Lon: 1},
		"C": {Code: "C", Lon: 5},
	}, []string{"A", "B", "C"}, 1)
	for _, tt := range []struct {
		name        string
		w           *Weights
		x           []float64
		i, expected float64
	}{
		{"path increasing", path4(), []float64{1, 2, 3, 4}, 0.4, -1.0 / 3},
		{"path two blocks", path4(), []float64{1, 1, 3, 3}, 0.5, -1.0 / 3},
		{"path alternating", path4(), []float64{1, 3, 1, 3}, -1, -1.0 / 3},
		{"island joined to its nearest", island, []float64{1, 3, 2}, -1, -0.5},
		// docs/methodology.md §11.4: Central Asia, indexes ∝ (17, 14, 3, 3); Σ z·lag = −65/3, Σz² = 160.75.
		{"Central Asia", centralAsia(), []float64{17, 14, 3, 3}, (-65.0 / 3) / 160.75, -1.0 / 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := Moran(tt.w, tt.x, 0, 1)
			if !r.Defined || !near(r.I, tt.i) || !near(r.Expected, tt.expected) || r.N != len(tt.x) {
				t.Errorf("Moran = %+v, want I %v, E[I] %v", r, tt.i, tt.expected)
			}
		})
	}
	if got := island.Neighbours(2); !cmp.Equal(got, []string{"B"}) || !cmp.Equal(island.Nearest, []string{"C"}) {
		t.Errorf("island C: neighbours %v, nearest-joined %v; want [B] and [C]", got, island.Nearest)
	}
}

// centralAsia is KAZ, KGZ, TJK, UZB with their land borders among them
// (KAZ–KGZ, KAZ–UZB, KGZ–TJK, KGZ–UZB, TJK–UZB) and others outside.
func centralAsia() *Weights {
	return NewWeights(map[string]Place{
		"KAZ": {Neighbours: []string{"CHN", "KGZ", "RUS", "TKM", "UZB"}},
		"KGZ": {Neighbours: []string{"CHN", "KAZ", "TJK", "UZB"}},
		"TJK": {Neighbours: []string{"AFG", "CHN", "KGZ", "UZB"}},
		"UZB": {Neighbours: []string{"AFG", "KAZ", "KGZ", "TJK", "TKM"}},
	}, []string{"KAZ", "KGZ", "TJK", "UZB"}, DefaultNearest)
}

// Central Asia's observed ordering gives the highest I of the 24 (8 orderings
// reach it, TJK and UZB having equal values), so the exact p-value is 1/3.
func TestMoranCentralAsiaPermutations(t *testing.T) {
	total := 0.0
	for seed := uint64(2001); seed <= 2020; seed++ {
		total += Moran(centralAsia(), []float64{17, 14, 3, 3}, DefaultPermutations, seed).P*1000 - 1
	}
	if mean := total / 20; mean < 323 || mean > 343 {
		t.Errorf("mean count of permuted I ≥ observed = %v over 20 seeds, want about 333", mean)
	}
}

func TestMoranUndefined(t *testing.T) {
	for _, tt := range []struct {
		name string
		x    []float64
		w    *Weights
	}{
		{"no variance", []float64{2, 2, 2, 2}, path4()},
		{"two units", []float64{1, 2}, NewWeights(map[string]Place{"A": {Neighbours: []string{"B"}}, "B": {Neighbours: []string{"A"}}}, []string{"A", "B"}, 4)},
	} {
		if r := Moran(tt.w, tt.x, 99, 1); r.Defined || r.Reason == "" {
			t.Errorf("%s: Moran = %+v, want undefined with a reason", tt.name, r)
		}
	}
}

// TestMoranPermutationPath4: on the path with values 1, 2, 3, 4 only the
// observed ordering and its mirror image reach I = 0.4, out of the 4! = 24
// orderings, so the exact permutation p-value is 2/24 = 1/12 ≈ 0.083. With
// 999 random permutations the number at least as large is binomial(999,
// 1/12): mean 83.25, standard deviation 8.7. Each seed's pseudo p-value,
// (count + 1)/1000, must lie within four standard deviations (0.049 to
// 0.119), and the mean count over seeds 1 to 20 within three standard
// deviations of its own (8.7/√20 = 1.95): 77.4 to 89.1.
//
// With the alternating values 1, 3, 1, 3, eight of the 24 orderings give the
// lowest I (−1), so the exact p-value in the lower tail is 8/24 = 1/3.
func TestMoranPermutationPath4(t *testing.T) {
	const seeds = 20
	total, totalLow := 0.0, 0.0
	for seed := uint64(1); seed <= seeds; seed++ {
		r := Moran(path4(), []float64{1, 2, 3, 4}, DefaultPermutations, seed)
		if r.P < 0.049 || r.P > 0.119 || r.Z <= 0 {
			t.Errorf("seed %d: P = %v, Z = %v; want P about 1/12 in the upper tail", seed, r.P, r.Z)
		}
		total += r.P*1000 - 1
		low := Moran(path4(), []float64{1, 3, 1, 3}, DefaultPermutations, seed)
		if low.Z >= 0 {
			t.Errorf("seed %d: alternating values, Z = %v; want the lower tail", seed, low.Z)
		}
		totalLow += low.P*1000 - 1
	}
	if mean := total / seeds; mean < 77.4 || mean > 89.1 {
		t.Errorf("mean count of permuted I ≥ 0.4 over %d seeds = %v, want about 83.25", seeds, mean)
	}
	// binomial(999, 1/3): mean 333, sd 14.9; over 20 seeds ±3 · 14.9/√20 = ±10.
	if mean := totalLow / seeds; mean < 323 || mean > 343 {
		t.Errorf("alternating: mean count of permuted I ≤ −1 = %v, want about 333", mean)
	}
	// The mean of I over all orderings is E[I] = −1/3 exactly.
	if r := Moran(path4(), []float64{1, 2, 3, 4}, DefaultPermutations, 1); math.Abs(r.MeanPermuted-(-1.0/3)) > 0.05 || r.SDPermuted <= 0 {
		t.Errorf("MeanPermuted %v, SDPermuted %v; want a mean near −1/3", r.MeanPermuted, r.SDPermuted)
	}
}

func TestMoranSeeded(t *testing.T) {
	w := path4()
	x := []float64{1, 2, 3, 4}
	a, b := Moran(w, x, DefaultPermutations, 7), Moran(w, x, DefaultPermutations, 7)
	if a != b {
		t.Errorf("same seed, different results: %+v and %+v", a, b)
	}
	c := Moran(w, x, DefaultPermutations, 8)
	if c.MeanPermuted == a.MeanPermuted && c.SDPermuted == a.SDPermuted {
		t.Errorf("seeds 7 and 8 drew the same permutations: %+v", c)
	}
	if a.I != c.I {
		t.Errorf("I depends on the seed: %v and %v", a.I, c.I)
	}
}

func TestNewWeightsNearestForIslands(t *testing.T) {
	// A, B, C on the equator at 0°, 1°, 2°; A borders B and X (not counted),
	// B borders A and C. D at 10° E and E at 3° N have no land neighbour among
	// the units: with k = 2, D's nearest are C (8°) and B (9°); E's are A (3°)
	// and B (√10 ≈ 3.16°).
	places := map[string]Place{
		"A": {Neighbours: []string{"B", "X"}, Lon: 0},
		"B": {Neighbours: []string{"A", "C", "A"}, Lon: 1},
		"C": {Neighbours: []string{"B"}, Lon: 2},
		"D": {Lon: 10},
		"E": {Neighbours: []string{"Z"}, Lat: 3},
	}
	w := NewWeights(places, []string{"A", "B", "C", "D", "E"}, 2)
	want := [][]string{{"B"}, {"A", "C"}, {"B"}, {"B", "C"}, {"A", "B"}}
	for i, nb := range want {
		if got := w.Neighbours(i); !cmp.Equal(got, nb) {
			t.Errorf("neighbours of %s = %v, want %v", w.Codes[i], got, nb)
		}
	}
	if !cmp.Equal(w.Nearest, []string{"D", "E"}) {
		t.Errorf("Nearest = %v, want [D E]", w.Nearest)
	}
	if got := w.rowsWithNeighbours(); got != 5 {
		t.Errorf("rows with neighbours %d, want 5", got)
	}
}

// Nearness is measured on the sphere, so it crosses the antimeridian: Fiji
// (178° E) is nearer to Tonga (175° W, 7° of longitude away across 180°)
// than to Vanuatu (167° E, 11° away on the same side).
func TestNearestAcrossTheAntimeridian(t *testing.T) {
	places := map[string]Place{
		"FJI": {Lon: 178, Lat: -17.8}, "TON": {Lon: -175.2, Lat: -21.2}, "VUT": {Lon: 167, Lat: -16.2},
	}
	w := NewWeights(places, []string{"FJI", "TON", "VUT"}, 1)
	for i, want := range []string{"TON", "FJI", "FJI"} {
		if got := w.Neighbours(i); !cmp.Equal(got, []string{want}) {
			t.Errorf("nearest of %s = %v, want [%s]", w.Codes[i], got, want)
		}
	}
}

func TestShuffleIsAPermutation(t *testing.T) {
	src := &source{pcg: rand.NewPCG(1, 2)}
	x := []float64{1, 2, 3, 4, 5, 6, 7}
	moved := false
	for range 50 {
		shuffle(src, x)
		got := slices.Clone(x)
		slices.Sort(got)
		if !cmp.Equal(got, []float64{1, 2, 3, 4, 5, 6, 7}) {
			t.Fatalf("shuffle lost or repeated a value: %v", x)
		}
		moved = moved || x[0] != 1
	}
	if !moved {
		t.Error("50 shuffles never moved the first value")
	}
	for n := uint32(1); n < 40; n++ {
		if v := src.bounded(n); v >= n {
			t.Errorf("bounded(%d) = %d", n, v)
		}
	}
}
