package resemblance_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/scs-diffusion/tracker/resemblance"
)

// na is NotAssessed, short for tables.
const na = resemblance.NotAssessed

// approx compares floats to 1e-9, enough for hand-computed fractions.
var approx = cmpopts.EquateApprox(0, 1e-9)

// fixture returns a 24-capability taxonomy shaped like the real one.
func fixture() resemblance.Taxonomy {
	return resemblance.Taxonomy{Pillars: []resemblance.Pillar{
		{Code: "identity", Capabilities: []string{
			"identity.unified_identifier", "identity.biometric_id",
			"identity.real_name_telecom", "identity.real_name_online"}},
		{Code: "integration", Capabilities: []string{
			"integration.credit_platform", "integration.state_to_private",
			"integration.private_to_state"}},
		{Code: "rating", Capabilities: []string{
			"rating.corporate_rating", "rating.individual_score_gov",
			"rating.private_score", "rating.risk_profiling"}},
		{Code: "sanctions", Capabilities: []string{
			"sanctions.blacklist", "sanctions.redlist", "sanctions.joint_punishment",
			"sanctions.mobility_restriction", "sanctions.access_restriction",
			"sanctions.public_disclosure"}},
		{Code: "surveillance", Capabilities: []string{
			"surveillance.cctv_network", "surveillance.facial_recognition",
			"surveillance.communications_monitoring", "surveillance.predictive_analytics"}},
		{Code: "governance", Capabilities: []string{
			"governance.national_plan", "governance.dedicated_law",
			"governance.coordinating_body"}},
	}}
}

// chinaLike returns China-like reference levels for fixture().
func chinaLike() resemblance.Levels {
	return resemblance.Levels{
		4, 4, 4, 4, // identity
		3, 3, 3, // integration
		4, 2, 3, 3, // rating
		4, 3, 4, 4, 4, 4, // sanctions
		4, 4, 4, 3, // surveillance
		4, 2, 4, // governance
	}
}

// profile returns levels for fixture() with the given codes set and every
// other capability NotAssessed.
func profile(t testing.TB, set map[string]int8) resemblance.Levels {
	t.Helper()
	tax := fixture()
	x := make(resemblance.Levels, len(tax.Codes()))
	for i := range x {
		x[i] = na
	}
	for code, lv := range set {
		i, ok := tax.IndexOf(code)
		if !ok {
			t.Fatalf("profile: unknown code %q", code)
		}
		x[i] = lv
	}
	return x
}

// with returns a copy of base with the given codes set.
func with(t testing.TB, base resemblance.Levels, set map[string]int8) resemblance.Levels {
	t.Helper()
	tax := fixture()
	x := append(resemblance.Levels(nil), base...)
	for code, lv := range set {
		i, ok := tax.IndexOf(code)
		if !ok {
			t.Fatalf("with: unknown code %q", code)
		}
		x[i] = lv
	}
	return x
}

// pillarScores returns fixture()'s six pillars, counted with score and
// coverage 0, replaced by any of set with the same code.
func pillarScores(set ...resemblance.PillarScore) []resemblance.PillarScore {
	var out []resemblance.PillarScore
	for _, p := range fixture().Pillars {
		ps := resemblance.PillarScore{Code: p.Code, Counted: true}
		for _, s := range set {
			if s.Code == p.Code {
				ps = s
			}
		}
		out = append(out, ps)
	}
	return out
}

// mustWeights parses s against fixture() or fails the test.
func mustWeights(t testing.TB, s string) resemblance.Weights {
	t.Helper()
	w, err := resemblance.ParseWeights(s, fixture())
	if err != nil {
		t.Fatalf("ParseWeights(%q) error: %v", s, err)
	}
	return w
}

// randomProfile draws each level uniformly from NotAssessed, 0..4.
func randomProfile(rng *rand.Rand, n int) resemblance.Levels {
	x := make(resemblance.Levels, n)
	for i := range x {
		x[i] = int8(rng.IntN(6)) - 1
	}
	return x
}

func TestTaxonomy(t *testing.T) {
	t.Parallel()
	tax := fixture()
	codes := tax.Codes()
	if got, want := len(codes), 24; got != want {
		t.Fatalf("len(Codes()) = %d, want %d", got, want)
	}
	tests := []struct {
		code   string
		want   int
		wantOK bool
	}{
		{"identity.unified_identifier", 0, true},
		{"integration.credit_platform", 4, true},
		{"sanctions.access_restriction", 15, true},
		{"governance.coordinating_body", 23, true},
		{"identity", 0, false},
		{"sanctions.nope", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := tax.IndexOf(tt.code)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("IndexOf(%q) = %d, %v, want %d, %v", tt.code, got, ok, tt.want, tt.wantOK)
		}
		if ok && codes[got] != tt.code {
			t.Errorf("Codes()[%d] = %q, want %q", got, codes[got], tt.code)
		}
	}
}

// mixed is a hand-scored profile used by TestScore.
var mixed = map[string]int8{
	"identity.unified_identifier": 4, "identity.biometric_id": 2, "identity.real_name_telecom": 0,
	"rating.individual_score_gov": 3, // above the reference's 2: capped at 1
	"sanctions.blacklist":         3, "sanctions.redlist": 3,
	"governance.dedicated_law": 1,
}

func TestScore(t *testing.T) {
	t.Parallel()
	ref := chinaLike()
	refNoLaw := with(t, ref, map[string]int8{"governance.dedicated_law": 0, "surveillance.predictive_analytics": na})
	full := func(code string) resemblance.PillarScore {
		return resemblance.PillarScore{Code: code, Counted: true, Score: 100, Coverage: 1}
	}
	tests := []struct {
		name    string
		ref     resemblance.Levels
		x       resemblance.Levels
		weights string
		want    resemblance.Result
	}{
		{
			name: "reference against itself",
			ref:  ref, x: ref,
			want: resemblance.Result{Assessed: true, Index: 100, Coverage: 1, Band: "comparable",
				Pillars: []resemblance.PillarScore{full("identity"), full("integration"), full("rating"),
					full("sanctions"), full("surveillance"), full("governance")}},
		},
		{
			name: "empty profile is not assessed",
			ref:  ref, x: profile(t, nil),
			want: resemblance.Result{Band: "not_assessed", Pillars: pillarScores()},
		},
		{
			name: "nil profile is not assessed",
			ref:  ref, x: nil,
			want: resemblance.Result{Band: "not_assessed", Pillars: pillarScores()},
		},
		{
			name: "all zero is assessed, index 0",
			ref:  ref, x: make(resemblance.Levels, 24),
			want: resemblance.Result{Assessed: true, Coverage: 1, Band: "none", Pillars: pillarScores(
				resemblance.PillarScore{Code: "identity", Counted: true, Coverage: 1},
				resemblance.PillarScore{Code: "integration", Counted: true, Coverage: 1},
				resemblance.PillarScore{Code: "rating", Counted: true, Coverage: 1},
				resemblance.PillarScore{Code: "sanctions", Counted: true, Coverage: 1},
				resemblance.PillarScore{Code: "surveillance", Counted: true, Coverage: 1},
				resemblance.PillarScore{Code: "governance", Counted: true, Coverage: 1})},
		},
		{
			// sanctions: w 1/6, res 2/4; Σw = 6.
			name: "one capability at half the reference",
			ref:  ref, x: profile(t, map[string]int8{"sanctions.blacklist": 2}),
			want: resemblance.Result{Assessed: true, Index: 100.0 / 72, Coverage: 1.0 / 36, Band: "none",
				Pillars: pillarScores(resemblance.PillarScore{Code: "sanctions", Counted: true,
					Score: 100.0 / 12, Coverage: 1.0 / 6})},
		},
		{
			// rating: w 1/4, res min(4,2)/2 = 1.
			name: "above the reference counts as 1",
			ref:  ref, x: profile(t, map[string]int8{"rating.individual_score_gov": 4}),
			want: resemblance.Result{Assessed: true, Index: 100.0 / 24, Coverage: 1.0 / 24, Band: "none",
				Pillars: pillarScores(resemblance.PillarScore{Code: "rating", Counted: true,
					Score: 25, Coverage: 0.25})},
		},
		{
			// identity .375/1, rating .25/1, sanctions 1.75/6, governance .5/3: Σ = 13/12 of 6.
			name: "mixed profile, default weights",
			ref:  ref, x: profile(t, mixed),
			want: resemblance.Result{Assessed: true, Index: 325.0 / 18, Coverage: 5.0 / 18, Band: "isolated",
				Pillars: pillarScores(
					resemblance.PillarScore{Code: "identity", Counted: true, Score: 37.5, Coverage: 0.75},
					resemblance.PillarScore{Code: "rating", Counted: true, Score: 25, Coverage: 0.25},
					resemblance.PillarScore{Code: "sanctions", Counted: true, Score: 175.0 / 6, Coverage: 1.0 / 3},
					resemblance.PillarScore{Code: "governance", Counted: true, Score: 50.0 / 3, Coverage: 1.0 / 3})},
		},
		{
			// rating caps weigh 1/2; blacklist 1, other sanctions 1/6 (Σ 11/6);
			// Σnum = 47/24, Σw = 47/6, Σcov = 11/4.
			name: "mixed profile, custom weights",
			ref:  ref, x: profile(t, mixed), weights: "sanctions.blacklist:1,rating:2",
			want: resemblance.Result{Assessed: true, Index: 25, Coverage: 33.0 / 94, Band: "isolated",
				Pillars: pillarScores(
					resemblance.PillarScore{Code: "identity", Counted: true, Score: 37.5, Coverage: 0.75},
					resemblance.PillarScore{Code: "rating", Counted: true, Score: 25, Coverage: 0.25},
					resemblance.PillarScore{Code: "sanctions", Counted: true, Score: 50, Coverage: 7.0 / 11},
					resemblance.PillarScore{Code: "governance", Counted: true, Score: 50.0 / 3, Coverage: 1.0 / 3})},
		},
		{
			name: "reference 0 capability is ignored",
			ref:  refNoLaw, x: profile(t, map[string]int8{"governance.dedicated_law": 4}),
			want: resemblance.Result{Assessed: true, Band: "none", Pillars: pillarScores()},
		},
		{
			// Σw = 6 - 1/3 - 1/4 = 65/12; identity contributes 1.
			// governance keeps its whole weight, shared by the two capabilities the
			// reference has, so identity is still one pillar of six: 100/6.
			name: "reference 0 capability: its pillar still weighs the same",
			ref:  refNoLaw, x: profile(t, map[string]int8{
				"identity.unified_identifier": 4, "identity.biometric_id": 4,
				"identity.real_name_telecom": 4, "identity.real_name_online": 4}),
			want: resemblance.Result{Assessed: true, Index: 16.666666667, Coverage: 0.166666667, Band: "isolated",
				Pillars: pillarScores(full("identity"))},
		},
		{
			name: "reference 0 capability: the rest of the reference is 100",
			ref:  refNoLaw, x: with(t, ref, map[string]int8{"governance.dedicated_law": na}),
			want: resemblance.Result{Assessed: true, Index: 100, Coverage: 1, Band: "comparable",
				Pillars: []resemblance.PillarScore{full("identity"), full("integration"), full("rating"),
					full("sanctions"), full("surveillance"), full("governance")}},
		},
		{
			name: "pillar weight 0 removes the pillar",
			ref:  ref, x: with(t, ref, map[string]int8{
				"identity.unified_identifier": 0, "identity.biometric_id": 0,
				"identity.real_name_telecom": 0, "identity.real_name_online": 0}),
			weights: "identity:0",
			want: resemblance.Result{Assessed: true, Index: 100, Coverage: 1, Band: "comparable",
				Pillars: []resemblance.PillarScore{{Code: "identity"}, full("integration"), full("rating"),
					full("sanctions"), full("surveillance"), full("governance")}},
		},
		{
			name: "empty reference: nothing counts",
			ref:  nil, x: ref,
			want: resemblance.Result{Assessed: true, Band: "none", Pillars: []resemblance.PillarScore{
				{Code: "identity"}, {Code: "integration"}, {Code: "rating"},
				{Code: "sanctions"}, {Code: "surveillance"}, {Code: "governance"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := resemblance.NewScorer(fixture(), tt.ref, mustWeights(t, tt.weights))
			got := s.Score(tt.x)
			if diff := cmp.Diff(tt.want, got, approx); diff != "" {
				t.Errorf("Score(%v) mismatch (-want +got):\n%s", tt.x, diff)
			}
		})
	}
}

func TestScoreReferenceItselfIsExactly100(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 11))
	refs := []resemblance.Levels{chinaLike()}
	for range 20 {
		refs = append(refs, randomProfile(rng, 24))
	}
	for _, ws := range []string{"", "identity:2,sanctions:0.3,rating.private_score:7", "surveillance:0,governance:1e-300"} {
		for _, ref := range refs {
			got := resemblance.NewScorer(fixture(), ref, mustWeights(t, ws)).Score(ref)
			if !hasPositive(ref) {
				continue
			}
			if got.Index != 100 || got.Coverage != 1 || got.Band != "comparable" {
				t.Errorf("weights %q: Score(reference %v) = %v, %v, %q, want exactly 100, 1, comparable",
					ws, ref, got.Index, got.Coverage, got.Band)
			}
		}
	}
}

// hasPositive reports whether any level is above 0.
func hasPositive(l resemblance.Levels) bool {
	for _, v := range l {
		if v > 0 {
			return true
		}
	}
	return false
}

func TestScoreMonotone(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(2026, 11))
	refs := []resemblance.Levels{chinaLike(), randomProfile(rng, 24)}
	weights := []string{"", "identity:2,sanctions:0.5,rating.private_score:3", "surveillance:0,sanctions.blacklist:4"}
	for _, ws := range weights {
		for _, ref := range refs {
			s := resemblance.NewScorer(fixture(), ref, mustWeights(t, ws))
			for range 8 {
				checkMonotone(t, s, randomProfile(rng, 24))
			}
		}
	}
}

// checkMonotone raises each capability of x through NotAssessed, 0..4 and
// fails if the index, coverage or any pillar score goes down.
func checkMonotone(t *testing.T, s *resemblance.Scorer, x resemblance.Levels) {
	t.Helper()
	for c := range x {
		y := append(resemblance.Levels(nil), x...)
		y[c] = na
		prev := s.Score(y)
		for lv := int8(0); lv <= 4; lv++ {
			y[c] = lv
			got := s.Score(y)
			if got.Index < prev.Index || got.Coverage < prev.Coverage {
				t.Fatalf("raising capability %d to %d in %v: index %v -> %v, coverage %v -> %v",
					c, lv, x, prev.Index, got.Index, prev.Coverage, got.Coverage)
			}
			for p := range got.Pillars {
				if got.Pillars[p].Score < prev.Pillars[p].Score {
					t.Fatalf("raising capability %d to %d in %v: pillar %s %v -> %v",
						c, lv, x, got.Pillars[p].Code, prev.Pillars[p].Score, got.Pillars[p].Score)
				}
			}
			prev = got
		}
	}
}

func TestScoreEqualCapabilityWeightsGivePlainMean(t *testing.T) {
	t.Parallel()
	tax := fixture()
	ref := with(t, chinaLike(), map[string]int8{"governance.dedicated_law": 0, "rating.private_score": na})
	var ws string
	for i, c := range tax.Codes() {
		if i > 0 {
			ws += ","
		}
		ws += c + ":0.7"
	}
	s := resemblance.NewScorer(tax, ref, mustWeights(t, ws))
	rng := rand.New(rand.NewPCG(3, 5))
	for range 50 {
		x := randomProfile(rng, 24)
		want := plainMean(ref, x)
		if got := s.Score(x); !cmp.Equal(got.Index, want, approx) {
			t.Errorf("Score(%v).Index = %v, want plain mean %v", x, got.Index, want)
		}
	}
}

// plainMean is 100 × the mean of min(x,r)/r over capabilities with r > 0,
// NotAssessed x counting as 0.
func plainMean(ref, x resemblance.Levels) float64 {
	var sum float64
	n := 0
	for i, r := range ref {
		if r <= 0 {
			continue
		}
		n++
		sum += float64(min(max(x[i], 0), r)) / float64(r)
	}
	return 100 * sum / float64(n)
}

func TestScoreNeverExceeds100(t *testing.T) {
	t.Parallel()
	s := resemblance.NewScorer(fixture(), chinaLike(), resemblance.Weights{})
	x := make(resemblance.Levels, 24)
	for i := range x {
		x[i] = 4
	}
	got := s.Score(x)
	if got.Index != 100 {
		t.Errorf("Score(all 4).Index = %v, want 100", got.Index)
	}
	for _, p := range got.Pillars {
		if p.Score != 100 {
			t.Errorf("Score(all 4) pillar %s = %v, want 100", p.Code, p.Score)
		}
	}
}

func TestScoreAllocatesOnlyPillars(t *testing.T) {
	// Not parallel: AllocsPerRun wants a quiet process.
	s := resemblance.NewScorer(fixture(), chinaLike(), mustWeights(t, "identity:2,sanctions.blacklist:3"))
	x := profile(t, mixed)
	if got := testing.AllocsPerRun(100, func() { s.Score(x) }); got != 1 {
		t.Errorf("Score allocates %v times per call, want 1 (the Pillars slice)", got)
	}
}

// TestScoreExactOnPaperIsExact uses profiles whose index is exactly 30 or 55
// in rational arithmetic but a hair below in naive float64 arithmetic: the
// index must come out exact and in the upper band.
func TestScoreExactOnPaperIsExact(t *testing.T) {
	t.Parallel()
	tests := []struct {
		x        resemblance.Levels
		weights  []string // capability weights, in Codes() order
		want     float64
		wantBand string
	}{
		{
			x:        resemblance.Levels{2, 1, 0, 4, 2, 4, 1, -1, 4, 3, 0, 1, 1, 0, -1, -1, 4, 3, 1, 3, 0, 1, 0, 2},
			weights:  strings.Fields("0.2 1.1 0.7 0.3 0.3 0.1 0.7 1.1 0.2 1.1 1.1 0.7 0.2 0.1 1.1 1.1 0.3 0.1 0.3 0.7 0.1 1.1 1.1 0.7"),
			want:     30,
			wantBand: "emerging",
		},
		{
			x:        resemblance.Levels{2, 1, 0, 4, 0, 0, 0, 3, 4, 4, 0, -1, -1, 3, -1, 4, 3, 3, 2, 3, 4, -1, 2, 3},
			weights:  strings.Fields("0.3 0.7 0.1 0.2 1.1 1.1 1.1 0.7 1.1 1.1 0.1 0.7 0.3 0.3 0.2 0.7 0.7 0.7 0.1 0.1 1.1 0.2 1.1 0.2"),
			want:     55,
			wantBand: "substantial",
		},
	}
	codes := fixture().Codes()
	for _, tt := range tests {
		items := make([]string, len(codes))
		for i, c := range codes {
			items[i] = c + ":" + tt.weights[i]
		}
		ws := strings.Join(items, ",")
		got := resemblance.NewScorer(fixture(), chinaLike(), mustWeights(t, ws)).Score(tt.x)
		if got.Index != tt.want || got.Band != tt.wantBand {
			t.Errorf("Score(%v) with weights %q = %v (%s), want exactly %v (%s)",
				tt.x, ws, got.Index, got.Band, tt.want, tt.wantBand)
		}
	}
}
