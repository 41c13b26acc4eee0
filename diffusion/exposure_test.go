package diffusion

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// worldNeighbours: the path AAA–BBB–CCC–DDD, and EEE (never assessed) next to AAA.
func worldNeighbours() map[string][]string {
	return map[string][]string{
		"AAA": {"BBB", "EEE"}, "BBB": {"AAA", "CCC"}, "CCC": {"BBB", "DDD"}, "DDD": {"CCC"}, "EEE": {"AAA"},
	}
}

func exposureInput() ExposureInput {
	return ExposureInput{
		Adopted:    Adoptions(world(), CapabilitySeries("p.a"), 2), // BBB 2012-03-01, AAA 2014-01-01, DDD 2015-01-01
		Assessed:   map[string]bool{"AAA": true, "BBB": true, "CCC": true, "DDD": true},
		Neighbours: worldNeighbours(),
		Scope:      scope,
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// TestNeighbourExposure checks the example worked by hand (docs/methodology.md
// §11 describes the same computation):
//
//	BBB adopts 2012-03-01: assessed neighbours AAA, CCC; neither had adopted → 0/2 = 0.
//	  Baseline that day: nobody had adopted strictly before (BBB itself adopts that day) → 0.
//	AAA adopts 2014-01-01: assessed neighbour BBB (EEE is not assessed) had → 1/1 = 1.
//	  Baseline: AAA 1/1, BBB 0/2 (AAA adopts that very day), CCC 1/2, DDD 0/1 → 1.5/4 = 0.375.
//	DDD adopts 2015-01-01: neighbour CCC had not → 0.
//	  Baseline: AAA 1, BBB 1/2, CCC 1/2 (DDD adopts that day), DDD 0 → 2/4 = 0.5.
//	Mean exposure of adopters (0 + 1 + 0)/3 = 1/3; mean baseline (0 + 0.375 + 0.5)/3 = 0.291666…
func TestNeighbourExposure(t *testing.T) {
	got := NeighbourExposure(exposureInput())
	want := []Exposure{
		{Country: "BBB", Adopted: d("2012-03-01"), Neighbours: []string{"AAA", "CCC"}, Share: 0, HasShare: true, Baseline: 0},
		{Country: "AAA", Adopted: d("2014-01-01"), Neighbours: []string{"BBB"}, NotAssessed: []string{"EEE"},
			Before: []string{"BBB"}, Share: 1, HasShare: true, Baseline: 0.375},
		{Country: "DDD", Adopted: d("2015-01-01"), Neighbours: []string{"CCC"}, Share: 0, HasShare: true, Baseline: 0.5},
	}
	if diff := cmp.Diff(want, got.Countries); diff != "" {
		t.Errorf("Countries (-want +got):\n%s", diff)
	}
	if got.Counted != 3 || got.Population != 4 {
		t.Errorf("Counted %d, Population %d; want 3 and 4 (EEE is not assessed)", got.Counted, got.Population)
	}
	if !near(got.MeanShare, 1.0/3) || !near(got.MeanBaseline, 0.875/3) {
		t.Errorf("MeanShare %v, MeanBaseline %v; want 1/3 and 0.875/3", got.MeanShare, got.MeanBaseline)
	}
}

func TestNeighbourExposureWindowAndScope(t *testing.T) {
	for _, tt := range []struct {
		name           string
		edit           func(*ExposureInput)
		adopters       []string
		share, baseine float64
		population     int
	}{
		{
			// From 2013: AAA (1, baseline 0.375) and DDD (0, baseline 0.5).
			name: "from 2013", edit: func(in *ExposureInput) { in.From = d("2013-01-01") },
			adopters: []string{"AAA", "DDD"}, share: 0.5, baseine: 0.4375, population: 4,
		},
		{
			name: "to 2014", edit: func(in *ExposureInput) { in.To = d("2014-12-31") },
			adopters: []string{"BBB", "AAA"}, share: 0.5, baseine: 0.1875, population: 4,
		},
		{
			// Scope CCC, DDD: neighbours outside the scope still count (CCC's BBB);
			// the baseline is over CCC and DDD only. On 2015-01-01: CCC 1/2, DDD 0 → 0.25.
			name: "scope", edit: func(in *ExposureInput) { in.Scope = []string{"CCC", "DDD"} },
			adopters: []string{"DDD"}, share: 0, baseine: 0.25, population: 2,
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := exposureInput()
			tt.edit(&in)
			got := NeighbourExposure(in)
			var adopters []string
			for _, e := range got.Countries {
				adopters = append(adopters, e.Country)
			}
			if !cmp.Equal(adopters, tt.adopters) || !near(got.MeanShare, tt.share) || !near(got.MeanBaseline, tt.baseine) || got.Population != tt.population {
				t.Errorf("adopters %v, mean %v, baseline %v, population %d; want %v, %v, %v, %d",
					adopters, got.MeanShare, got.MeanBaseline, got.Population, tt.adopters, tt.share, tt.baseine, tt.population)
			}
		})
	}
}

// An adopter whose every neighbour is unassessed has no exposure and is left
// out of the means, but is still listed.
func TestNeighbourExposureWithoutAssessedNeighbours(t *testing.T) {
	in := ExposureInput{
		Adopted:    map[string]time.Time{"AAA": d("2014-01-01"), "BBB": d("2015-01-01")},
		Assessed:   map[string]bool{"AAA": true, "BBB": true},
		Neighbours: map[string][]string{"AAA": {"EEE"}, "BBB": {"CCC"}, "CCC": {"BBB"}},
		Scope:      []string{"AAA", "BBB"},
	}
	got := NeighbourExposure(in)
	if len(got.Countries) != 2 || got.Counted != 0 || got.Population != 0 || got.Countries[0].HasShare {
		t.Errorf("got %+v; want two adopters listed, none counted", got)
	}
	if !cmp.Equal(got.Countries[0].NotAssessed, []string{"EEE"}) {
		t.Errorf("NotAssessed %v, want [EEE]", got.Countries[0].NotAssessed)
	}
}
