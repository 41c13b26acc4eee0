package resemblance

import "math"

// Result is the resemblance of one profile to the reference.
type Result struct {
	// Assessed is false when the profile has no assessment at all (every
	// entry NotAssessed): such a country is "not assessed", not 0.
	Assessed bool
	// Index is the resemblance index, 0..100; 0 and meaningless when
	// !Assessed.
	Index float64
	// Coverage is the weighted share, 0..1, of counted capabilities that
	// have an assessment.
	Coverage float64
	// Band is BandOf(Index), or BandNotAssessed when !Assessed.
	Band string
	// Pillars holds one score per pillar, in taxonomy order.
	Pillars []PillarScore
}

// PillarScore is the index restricted to one pillar.
type PillarScore struct {
	Code string
	// Counted is false when no capability of the pillar counts: the
	// reference has none above 0, or all their weights are 0.
	Counted bool
	// Score is 0..100 when Counted, else 0.
	Score float64
	// Coverage is the pillar's weighted share of assessed capabilities.
	Coverage float64
}

// Scorer scores profiles against one reference with one set of weights.
// It holds dense, precomputed arrays, so Score allocates only the
// Result's Pillars slice. A Scorer is immutable and safe for concurrent use.
type Scorer struct {
	weight  []float64 // effective weight per capability; 0 where it does not count
	ref     []float64 // reference level per capability; > 0 where weight > 0
	pillars []span
	total   float64 // Σ weight, summed pillar by pillar
}

// span is a pillar's slice of the dense arrays.
type span struct {
	code       string
	start, end int
	total      float64 // Σ weight over the pillar
}

// NewScorer prepares scoring against reference (levels indexed like
// t.Codes(); NotAssessed counts as 0) with weights w. A capability counts
// when its reference level is above 0 and its effective weight above 0.
// Weights are rescaled by a power of two, which changes no result but keeps
// the sums finite for any finite weights.
func NewScorer(t Taxonomy, reference Levels, w Weights) *Scorer {
	counted := make([]bool, t.size())
	for i := range counted {
		counted[i] = levelAt(reference, i) > 0
	}
	weight := w.effective(t, counted)
	s := &Scorer{weight: weight, ref: make([]float64, len(weight)), pillars: make([]span, 0, len(t.Pillars))}
	for i := range weight {
		if counted[i] {
			s.ref[i] = float64(levelAt(reference, i))
		}
	}
	shift := powerOfTwoShift(weight)
	start := 0
	for _, p := range t.Pillars {
		sp := span{code: p.Code, start: start, end: start + len(p.Capabilities)}
		for i := sp.start; i < sp.end; i++ {
			weight[i] = math.Ldexp(weight[i], shift)
			sp.total += weight[i]
		}
		s.pillars = append(s.pillars, sp)
		s.total += sp.total
		start = sp.end
	}
	return s
}

// Score returns the resemblance of profile x (indexed like t.Codes()) to
// the Scorer's reference.
func (s *Scorer) Score(x Levels) Result {
	r := Result{Pillars: make([]PillarScore, len(s.pillars))}
	var num, cov float64
	for i, sp := range s.pillars {
		pnum, pcov, assessed := s.sum(x, sp)
		r.Assessed = r.Assessed || assessed
		num += pnum
		cov += pcov
		r.Pillars[i] = PillarScore{Code: sp.code, Counted: sp.total > 0}
		if sp.total > 0 {
			r.Pillars[i].Score = tidy(100 * (pnum / sp.total))
			r.Pillars[i].Coverage = tidy(pcov / sp.total)
		}
	}
	switch {
	case !r.Assessed:
		r.Band = BandNotAssessed
	case s.total > 0:
		r.Index = tidy(100 * (num / s.total))
		r.Coverage = tidy(cov / s.total)
		r.Band = BandOf(r.Index)
	default:
		r.Band = BandOf(0)
	}
	return r
}

// sum returns, for one pillar, Σ w_c·resemblance_c and Σ w_c over assessed
// capabilities, and whether any capability of the pillar (counted or not)
// is assessed.
func (s *Scorer) sum(x Levels, sp span) (num, cov float64, assessed bool) {
	for i := sp.start; i < sp.end; i++ {
		lv := levelAt(x, i)
		if lv < 0 {
			continue
		}
		assessed = true
		w := s.weight[i]
		if w == 0 {
			continue
		}
		cov += w
		num += w * (min(float64(lv), s.ref[i]) / s.ref[i])
	}
	return num, cov, assessed
}

// levelAt returns l[i], or NotAssessed when l is too short. Any negative
// level comes back as is; callers treat it as NotAssessed.
func levelAt(l Levels, i int) int8 {
	if i < len(l) {
		return l[i]
	}
	return NotAssessed
}

// powerOfTwoShift returns the binary exponent shift that brings the largest
// weight into [0.5, 1). Shifting is exact, except for weights some 1e308
// times smaller than the largest, which vanish.
func powerOfTwoShift(weight []float64) int {
	largest := 0.0
	for _, v := range weight {
		largest = max(largest, v)
	}
	_, exp := math.Frexp(largest) // 0 when largest is 0
	return -exp
}

// tidy rounds v to 9 decimal places, so that values exact on paper (30,
// 55, 12.5) are exact here and land in the right band.
func tidy(v float64) float64 {
	return math.Round(v*1e9) / 1e9
}
