package readmodel

import (
	"time"

	"github.com/scs-diffusion/tracker/resemblance"
)

// Scoring is every country scored at one date against one reference with
// one set of weights.
type Scoring struct {
	AsOf      time.Time
	Reference string
	Weights   resemblance.Weights
	RefLevels resemblance.Levels
	Levels    map[string]resemblance.Levels // countries with something valid on AsOf
	RefResult resemblance.Result            // the reference scored against itself (its pillar shape)
	results   map[string]resemblance.Result
}

// Score scores every country at asOf. It refuses (with *InvalidError) a
// reference that is unknown or has nothing above level 0 on the date, weights
// that give the reference's capabilities no weight, and a recorded view that
// had recorded nothing yet.
func (sn *Snapshot) Score(asOf time.Time, reference string, w resemblance.Weights) (*Scoring, error) {
	return sn.score(asOf, reference, w, nil)
}

// ScoreOnly is Score for the listed countries alone (and the reference): a
// profile or a comparison needs a handful of countries, not the world. Result
// answers "not assessed" for every other country.
func (sn *Snapshot) ScoreOnly(asOf time.Time, reference string, w resemblance.Weights, countries ...string) (*Scoring, error) {
	return sn.score(asOf, reference, w, append(append([]string{}, countries...), reference))
}

func (sn *Snapshot) score(asOf time.Time, reference string, w resemblance.Weights, only []string) (*Scoring, error) {
	day := asOf.Format(time.DateOnly)
	if _, known := sn.country[reference]; !known {
		return nil, invalid("reference", "%s is not a known country", reference)
	}
	if sn.Recorded != nil && !sn.RecordedAnything() {
		return nil, invalid("recorded_as_of", "the tracker had recorded no assessment by that date")
	}
	var all map[string]resemblance.Levels
	if only == nil {
		all = sn.LevelsAt(asOf)
	} else {
		all = sn.levelsOf(asOf, only)
	}
	ref, ok := all[reference]
	if !ok {
		return nil, invalid("reference", "%s has no assessment on %s, so nothing can resemble it", reference, day)
	}
	if !hasAbove(ref, 0) {
		return nil, invalid("reference", "%s has no capability above level 0 on %s, so nothing can resemble it", reference, day)
	}
	scorer := resemblance.NewScorer(sn.rtax, ref, w)
	refResult := scorer.Score(ref)
	if refResult.Coverage == 0 {
		return nil, invalid("weights", "gives no weight to any capability %s has on %s", reference, day)
	}
	sc := &Scoring{AsOf: asOf, Reference: reference, Weights: w, RefLevels: ref, Levels: all, RefResult: refResult,
		results: make(map[string]resemblance.Result, len(all))}
	for iso, l := range all {
		sc.results[iso] = scorer.Score(l)
	}
	return sc, nil
}

// Result returns a country's score; a country with nothing valid is not assessed.
func (sc *Scoring) Result(iso3 string) resemblance.Result {
	if r, ok := sc.results[iso3]; ok {
		return r
	}
	return resemblance.Result{Band: resemblance.BandNotAssessed}
}

// TimeRange is the span of dates that can be scored against the reference:
// from its first assessment to today.
func (sn *Snapshot) TimeRange(reference string, today time.Time) (from, to time.Time) {
	from, ok := sn.earliest[reference]
	if !ok || from.After(today) {
		from = today
	}
	return from, today
}

// SeriesPoint is one country's index at the end of one year.
type SeriesPoint struct {
	Year   int
	Result resemblance.Result
	Scored bool // false when the reference could not be scored that year
}

// Series scores the countries at the end of every year from the reference's
// first assessment to asOf (the last point is asOf itself).
func (sn *Snapshot) Series(asOf time.Time, reference string, w resemblance.Weights, list []string) map[string][]SeriesPoint {
	only := append(append([]string{}, list...), reference)
	out := map[string][]SeriesPoint{}
	from, _ := sn.TimeRange(reference, asOf)
	for y := from.Year(); y <= asOf.Year(); y++ {
		date := time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
		if y == asOf.Year() {
			date = asOf
		}
		sc, err := sn.score(date, reference, w, only)
		for _, iso := range list {
			pt := SeriesPoint{Year: y, Scored: err == nil}
			if err == nil {
				pt.Result = sc.Result(iso)
			}
			out[iso] = append(out[iso], pt)
		}
	}
	return out
}

func hasAbove(l resemblance.Levels, level int8) bool {
	for _, v := range l {
		if v > level {
			return true
		}
	}
	return false
}
