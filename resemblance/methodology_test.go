package resemblance_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/scs-diffusion/tracker/resemblance"
)

// methodologyPath is the page whose worked example this file checks.
const methodologyPath = "../docs/methodology.md"

// chinaReference returns China's current reference levels, as in
// docs/methodology.md §5 and data/dataset/china.yaml (from 2025-04-02).
func chinaReference() resemblance.Levels {
	return resemblance.Levels{
		4, 4, 4, 4, // identity
		4, 3, 3, // integration: credit platform 4 for organisations
		4, 2, 3, 3, // rating
		4, 3, 4, 4, 4, 4, // sanctions
		4, 3, 4, 3, // surveillance: facial recognition 3
		4, 3, 4, // governance: dedicated law 3
	}
}

// venezuela returns Venezuela's levels as data/dataset/cases-1.yaml gives them.
func venezuela(t testing.TB) resemblance.Levels {
	t.Helper()
	return profile(t, map[string]int8{
		"integration.credit_platform":  3,
		"sanctions.access_restriction": 3,
	})
}

func TestWorkedExampleMethodology(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(methodologyPath)
	if err != nil {
		t.Fatalf("reading %s: %v", methodologyPath, err)
	}
	pillars := pillarScores(
		resemblance.PillarScore{Code: "integration", Counted: true, Score: 25, Coverage: 1.0 / 3},
		resemblance.PillarScore{Code: "sanctions", Counted: true, Score: 12.5, Coverage: 1.0 / 6},
	)
	tests := []struct {
		weights string
		want    resemblance.Result
	}{
		{"", resemblance.Result{Assessed: true, Index: 6.25, Coverage: 1.0 / 12, Band: "none", Pillars: pillars}},
		{"sanctions:3", resemblance.Result{Assessed: true, Index: 7.8125, Coverage: 5.0 / 48, Band: "none", Pillars: pillars}},
	}
	for _, tt := range tests {
		s := resemblance.NewScorer(fixture(), chinaReference(), mustWeights(t, tt.weights))
		got := s.Score(venezuela(t))
		if diff := cmp.Diff(tt.want, got, approx); diff != "" {
			t.Errorf("weights %q: Score(VEN) mismatch (-want +got):\n%s", tt.weights, diff)
		}
		for _, figure := range docFigures(got) {
			if !strings.Contains(string(doc), figure) {
				t.Errorf("weights %q: %s does not show %q", tt.weights, methodologyPath, figure)
			}
		}
	}
}

// docFigures returns the strings the methodology page must contain for r:
// the index and coverage in bold, and the counted pillar scores to one
// decimal.
func docFigures(r resemblance.Result) []string {
	figures := []string{
		fmt.Sprintf("**%g**, band *%s*", r.Index, r.Band),
		fmt.Sprintf("**%.1f %%**", 100*r.Coverage),
	}
	for _, p := range r.Pillars {
		if p.Score > 0 {
			figures = append(figures, fmt.Sprintf("= %.1f |", p.Score))
		}
	}
	return figures
}
