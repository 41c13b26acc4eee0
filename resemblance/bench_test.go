package resemblance_test

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/scs-diffusion/tracker/resemblance"
)

// benchWeights is a custom weighting of the kind a map URL carries.
const benchWeights = "identity:2,sanctions:3,surveillance:0.5,rating.private_score:0,sanctions.blacklist:1.5"

// sinkResult keeps the compiler from discarding benchmarked work.
var sinkResult resemblance.Result

// BenchmarkScoreWorld measures what one map request with custom weights
// costs: a new Scorer plus a score for each of 250 countries.
func BenchmarkScoreWorld(b *testing.B) {
	tax := fixture()
	w := mustWeights(b, benchWeights)
	ref := chinaLike()
	rng := rand.New(rand.NewPCG(1, 2))
	world := make([]resemblance.Levels, 250)
	for i := range world {
		world[i] = randomProfile(rng, 24)
	}
	b.ReportAllocs()
	for b.Loop() {
		s := resemblance.NewScorer(tax, ref, w)
		for _, x := range world {
			sinkResult = s.Score(x)
		}
	}
}

// BenchmarkParseWeights measures parsing a typical weights parameter.
func BenchmarkParseWeights(b *testing.B) {
	tax := fixture()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := resemblance.ParseWeights(benchWeights, tax); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWorldAtDate measures a whole time-slider step from raw spans:
// every country's levels on one date (LevelsAt over 600 assessment spans in
// 250 countries, three times the shipped dataset), the reference taken from
// them, then a Scorer with custom weights and a score for each country.
func BenchmarkWorldAtDate(b *testing.B) {
	tax := fixture()
	w := mustWeights(b, benchWeights)
	rng := rand.New(rand.NewPCG(3, 4))
	base := time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)
	var spans []resemblance.Span
	for i := 0; i < 600; i++ {
		country := "C" + strconv.Itoa(i%250)
		if i < 24 {
			country = "CHN"
		}
		spans = append(spans, resemblance.Span{Country: country, Capability: rng.IntN(24), Level: int8(rng.IntN(5)),
			From: base.AddDate(rng.IntN(15), rng.IntN(12), 0)})
	}
	date := time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		levels := resemblance.LevelsAt(spans, date, 24)
		s := resemblance.NewScorer(tax, levels["CHN"], w)
		for _, x := range levels {
			sinkResult = s.Score(x)
		}
	}
}
