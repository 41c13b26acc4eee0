package resemblance_test

import (
	"math/rand/v2"
	"testing"

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
