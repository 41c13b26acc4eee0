package diffusion

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

// benchWorld is world-shaped: 250 countries on a 16 × 16 grid of label
// points (1.5° apart), land neighbours the grid's four-neighbourhood except
// for every fifth country, an island; n assessment spans of 24 capabilities
// in six pillars, from 1990 to 2025; 100 sites, half of them with a vendor
// country, a third of those Chinese.
type benchWorld struct {
	spans  Spans
	places map[string]Place
	codes  []string
	sites  []Site
}

func newBenchWorld(n int) benchWorld {
	rng := rand.New(rand.NewPCG(5, 6))
	w := benchWorld{spans: Spans{}, places: map[string]Place{}}
	for i := range 250 {
		w.codes = append(w.codes, "C"+strconv.Itoa(i))
	}
	for i, c := range w.codes {
		p := Place{Code: c, Lon: float64(i%16) * 1.5, Lat: float64(i/16) * 1.5}
		if i%5 != 0 {
			for _, j := range []int{i - 1, i + 1, i - 16, i + 16} {
				if j >= 0 && j < 250 && j%5 != 0 && (j/16 == i/16 || j%16 == i%16) {
					p.Neighbours = append(p.Neighbours, w.codes[j])
				}
			}
		}
		w.places[c] = p
	}
	base := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	for range n {
		c := w.codes[rng.IntN(250)]
		w.spans[c] = append(w.spans[c], Span{Capability: "p" + strconv.Itoa(rng.IntN(6)) + ".c" + strconv.Itoa(rng.IntN(4)),
			Level: rng.IntN(5), From: base.AddDate(rng.IntN(36), rng.IntN(12), 0)})
	}
	for i := range 100 {
		s := Site{ID: int64(i), Host: w.codes[rng.IntN(250)], Capability: "p4.c" + strconv.Itoa(rng.IntN(4)), Status: "active",
			Start: base.AddDate(rng.IntN(36), 0, 0)}
		if i%2 == 0 {
			s.Vendor = w.codes[rng.IntN(250)]
			if i%3 == 0 {
				s.Vendor = "CHN"
			}
		}
		w.sites = append(w.sites, s)
	}
	return w
}

var benchPillar = Series{Kind: "pillar", Code: "p1", Capabilities: []string{"p1.c0", "p1.c1", "p1.c2", "p1.c3"}, K: DefaultPillarK}

// BenchmarkCurve: one capability's and one pillar's adoption curves for the
// whole world, 1990 to 2026, from the raw spans.
func BenchmarkCurve(b *testing.B) {
	w := newBenchWorld(2000)
	dates := YearEnds(1990, 2026, time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC))
	b.ReportAllocs()
	for b.Loop() {
		Curve(w.spans, CapabilitySeries("p1.c0"), 2, w.codes, dates)
		Curve(w.spans, benchPillar, 2, w.codes, dates)
	}
}

// BenchmarkNeighbourExposure: a pillar's adoptions from the raw spans and
// every adopter's exposure with its baseline, for the whole world.
func BenchmarkNeighbourExposure(b *testing.B) {
	w := newBenchWorld(2000)
	assessed := map[string]bool{}
	neighbours := map[string][]string{}
	for c, p := range w.places {
		assessed[c] = len(w.spans[c]) > 0
		neighbours[c] = p.Neighbours
	}
	b.ReportAllocs()
	for b.Loop() {
		NeighbourExposure(ExposureInput{Adopted: Adoptions(w.spans, benchPillar, 2), Assessed: assessed, Neighbours: neighbours, Scope: w.codes})
	}
}

// BenchmarkMoran: Moran's I of 250 values with 999 permutations, weights
// built each time (contiguity plus the 4 nearest for the 50 islands).
func BenchmarkMoran(b *testing.B) {
	w := newBenchWorld(0)
	rng := rand.New(rand.NewPCG(7, 8))
	x := make([]float64, len(w.codes))
	for i := range x {
		x[i] = rng.Float64() * 100
	}
	b.ReportAllocs()
	for b.Loop() {
		Moran(NewWeights(w.places, w.codes, DefaultNearest), x, DefaultPermutations, 2026)
	}
}

// BenchmarkFlows: vendor flows and the yearly Chinese share of 100 sites.
func BenchmarkFlows(b *testing.B) {
	w := newBenchWorld(0)
	dates := YearEnds(1990, 2026, time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC))
	b.ReportAllocs()
	for b.Loop() {
		Flows(w.sites)
		VendorShare(w.sites, "CHN", dates)
	}
}
