package diffusion

import (
	"cmp"
	"slices"
	"time"
)

// ExposureInput is what neighbour exposure reads.
type ExposureInput struct {
	// Adopted is each adopting country's adoption date (Adoptions).
	Adopted map[string]time.Time
	// Assessed holds the countries the tracker has assessed at all; only
	// they count as neighbours, since a neighbour never assessed is unknown,
	// not a non-adopter.
	Assessed map[string]bool
	// Neighbours lists each country's land neighbours.
	Neighbours map[string][]string
	// Scope is the countries whose adopters are reported and that make up
	// the baseline population. Their neighbours may lie outside it.
	Scope []string
	// From and To, when not zero, keep only adopters whose adoption date
	// falls within [From, To].
	From, To time.Time
}

// Exposure is one adopter's neighbour exposure.
type Exposure struct {
	Country string
	Adopted time.Time
	// Neighbours are its assessed land neighbours; NotAssessed the others.
	Neighbours, NotAssessed []string
	// Before are the assessed neighbours that adopted strictly before it.
	Before []string
	// Share is len(Before) / len(Neighbours); HasShare is false without
	// assessed neighbours (such adopters are left out of the means).
	Share    float64
	HasShare bool
	// Baseline is the mean exposure of the baseline population on Adopted.
	Baseline float64
}

// ExposureSummary is neighbour exposure for one series.
type ExposureSummary struct {
	Countries []Exposure // adopters in adoption order, then by code
	// Counted is the number of adopters with at least one assessed
	// neighbour, over which the means are taken.
	Counted int
	// Population is the number of countries of the scope with at least one
	// assessed neighbour: the baseline population.
	Population int
	// MeanShare is the mean exposure of counted adopters; MeanBaseline the
	// mean, over the same adopters, of the population's mean exposure on
	// each one's adoption date. Both are meaningful only when Counted > 0.
	MeanShare, MeanBaseline float64
}

// NeighbourExposure computes, for each adopter of the scope, the share of
// its assessed land neighbours that had adopted before it, and compares the
// mean with the mean exposure of every assessed country of the scope on the
// same dates. If adoption followed neighbours, adopters' exposure exceeds
// the baseline.
func NeighbourExposure(in ExposureInput) ExposureSummary {
	var out ExposureSummary
	var population [][]string // the assessed neighbours of each member of the baseline population
	for _, iso := range in.Scope {
		if nb := assessedOf(in.Neighbours[iso], in.Assessed); in.Assessed[iso] && len(nb) > 0 {
			population = append(population, nb)
		}
	}
	out.Population = len(population)
	for _, iso := range in.Scope {
		date, ok := in.Adopted[iso]
		if !ok || (!in.From.IsZero() && date.Before(in.From)) || (!in.To.IsZero() && date.After(in.To)) {
			continue
		}
		e := Exposure{Country: iso, Adopted: date, Neighbours: assessedOf(in.Neighbours[iso], in.Assessed)}
		for _, n := range in.Neighbours[iso] {
			if !in.Assessed[n] {
				e.NotAssessed = append(e.NotAssessed, n)
			}
		}
		e.Before = adoptedBefore(e.Neighbours, in.Adopted, date)
		e.Share, e.HasShare = ratio(len(e.Before), len(e.Neighbours))
		e.Baseline = meanExposure(population, in, date)
		if e.HasShare {
			out.Counted++
			out.MeanShare += e.Share
			out.MeanBaseline += e.Baseline
		}
		out.Countries = append(out.Countries, e)
	}
	if out.Counted > 0 {
		out.MeanShare /= float64(out.Counted)
		out.MeanBaseline /= float64(out.Counted)
	}
	slices.SortStableFunc(out.Countries, func(a, b Exposure) int {
		if c := a.Adopted.Compare(b.Adopted); c != 0 {
			return c
		}
		return cmp.Compare(a.Country, b.Country)
	})
	return out
}

// meanExposure is the population's mean share of assessed neighbours that
// had adopted before date.
func meanExposure(population [][]string, in ExposureInput, date time.Time) float64 {
	if len(population) == 0 {
		return 0
	}
	sum := 0.0
	for _, nb := range population {
		before := 0
		for _, n := range nb {
			if d, ok := in.Adopted[n]; ok && d.Before(date) {
				before++
			}
		}
		sum += float64(before) / float64(len(nb))
	}
	return sum / float64(len(population))
}

func assessedOf(list []string, assessed map[string]bool) []string {
	var out []string
	for _, n := range list {
		if assessed[n] {
			out = append(out, n)
		}
	}
	return out
}

func adoptedBefore(list []string, adopted map[string]time.Time, date time.Time) []string {
	var out []string
	for _, n := range list {
		if d, ok := adopted[n]; ok && d.Before(date) {
			out = append(out, n)
		}
	}
	return out
}
