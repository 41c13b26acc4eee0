package readmodel

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scs-diffusion/tracker/cache"
	"github.com/scs-diffusion/tracker/diffusion"
	"github.com/scs-diffusion/tracker/resemblance"
	"github.com/scs-diffusion/tracker/store"
)

// benchPublished is dataset-shaped: the 24-capability taxonomy in six
// pillars, 250 countries and n assessment rows (a few per country), China
// assessed on every capability.
func benchPublished(n int) *store.Published {
	rng := rand.New(rand.NewPCG(3, 4))
	p := &store.Published{Revision: store.Revision{Revision: 1}}
	var codes []string
	for _, pl := range []string{"identity", "integration", "rating", "sanctions", "surveillance", "governance"} {
		sp := store.Pillar{Code: pl}
		for i := range 4 {
			code := pl + ".c" + strconv.Itoa(i)
			sp.Capabilities = append(sp.Capabilities, store.Capability{Code: code, Pillar: pl})
			codes = append(codes, code)
		}
		p.Taxonomy.Pillars = append(p.Taxonomy.Pillars, sp)
	}
	for i := range 250 {
		iso := "C" + strconv.Itoa(i)
		if i == 0 {
			iso = "CHN"
		}
		p.Countries = append(p.Countries, store.Country{CountrySummary: store.CountrySummary{ISO3: iso, Name: iso},
			LabelPoint: [2]float64{float64(i%16) * 1.5, float64(i/16) * 1.5}})
	}
	// Land neighbours: the 16-wide grid's four-neighbourhood, every fifth country an island.
	for i := range p.Countries {
		for _, j := range []int{i - 1, i + 1, i - 16, i + 16} {
			if i%5 != 0 && j >= 0 && j < 250 && j%5 != 0 && (j/16 == i/16 || j%16 == i%16) {
				p.Countries[i].Neighbours = append(p.Countries[i].Neighbours, p.Countries[j].ISO3)
			}
		}
	}
	base := time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		country, capability := p.Countries[rng.IntN(250)].ISO3, codes[rng.IntN(24)]
		if i < 24 {
			country, capability = "CHN", codes[i]
		}
		p.Assessments = append(p.Assessments, store.Assessment{ID: int64(i + 1), Country: country, Capability: capability,
			Level: 1 + rng.IntN(4), ValidFrom: store.DateOf(base.AddDate(rng.IntN(15), rng.IntN(12), 0))})
	}
	return p
}

// BenchmarkWorldAtDate measures a whole time-slider step from raw assessment
// rows: every country's levels on one date (the validity rule over every
// current row), the reference taken from them, then a Scorer with custom
// weights and a score for each country. 2,000 rows is about the shipped
// dataset once the deep profiles land.
func BenchmarkWorldAtDate(b *testing.B) {
	for _, n := range []int{600, 2000} {
		b.Run(strconv.Itoa(n)+"rows", func(b *testing.B) {
			sn := newSnapshot(benchPublished(n), nil, nil)
			w, err := resemblance.ParseWeights("identity:2,sanctions:3,sanctions.c0:0.5,surveillance:1.5", sn.ResemblanceTaxonomy())
			if err != nil {
				b.Fatal(err)
			}
			date := time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := sn.Score(date, "CHN", w); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLoadIndexes measures turning a loaded dataset into a snapshot
// (indexes, the current rows) and deriving a past recorded view.
func BenchmarkLoadIndexes(b *testing.B) {
	p := benchPublished(2000)
	b.ReportAllocs()
	for b.Loop() {
		sn := newSnapshot(p, nil, nil)
		_ = sn.asRecorded(time.Now())
	}
}

// BenchmarkMoranYears measures Moran's I of the index for every year from
// 2010 to 2024 (15 years, as the shipped data asks), from raw assessment
// rows: each year's index for every country, the weights among the
// countries assessed that year, and 999 permutations; years run in parallel.
// "cold" forgets the kept years before each run; "slider step" keeps them
// and moves the last date to a day not asked before, as the time slider does.
func BenchmarkMoranYears(b *testing.B) {
	sn := newSnapshot(benchPublished(2000), nil, nil)
	units := make([]string, 0, 250)
	for _, c := range sn.Countries() {
		units = append(units, c.ISO3)
	}
	check := func(years []MoranYear) {
		for _, y := range years {
			if !y.Result.Defined {
				b.Fatalf("%s: %s %s", y.Date, y.Reason, y.Result.Reason)
			}
		}
	}
	last := time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
	b.Run("cold", func(b *testing.B) {
		dates := diffusion.YearEnds(2010, 2024, last)
		b.ReportAllocs()
		for b.Loop() {
			sn.moranYears = cache.New[MoranYear](keepMoranYears, nil, time.Second)
			check(sn.Moran(dates, Variable{Kind: "index"}, units))
		}
	})
	b.Run("slider step", func(b *testing.B) {
		// The 14 earlier years are kept; the last one, on as_of, is new.
		dates := diffusion.YearEnds(2010, 2024, last)
		sn.moranYears = cache.New[MoranYear](keepMoranYears, nil, time.Second)
		kept := sn.Moran(dates[:len(dates)-1], Variable{Kind: "index"}, units)
		scope := strings.Join(units, ",")
		b.ReportAllocs()
		for b.Loop() {
			sn.moranYears = cache.New[MoranYear](keepMoranYears, nil, time.Second)
			for i, y := range kept {
				sn.moranYears.Put(moranKey(dates[i], Variable{Kind: "index"}, scope), y)
			}
			check(sn.Moran(dates, Variable{Kind: "index"}, units))
		}
	})
}
