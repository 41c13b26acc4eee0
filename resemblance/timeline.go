package resemblance

import "time"

// Span is one assessment's validity: a country's level for one capability
// (by its index in Taxonomy.Codes()) from From until To (exclusive; zero
// means still valid).
type Span struct {
	Country    string
	Capability int
	Level      int8
	From, To   time.Time
}

// Valid reports whether the span holds on date.
func (s Span) Valid(date time.Time) bool {
	return !s.From.After(date) && (s.To.IsZero() || s.To.After(date))
}

// LevelsAt returns every country's levels on date from a set of spans, for a
// taxonomy of n capabilities. Countries without any span valid on date are
// absent from the map (not assessed). If two spans of one country and
// capability are valid on the same date, the higher level wins.
func LevelsAt(spans []Span, date time.Time, n int) map[string]Levels {
	out := map[string]Levels{}
	for _, s := range spans {
		if s.Capability < 0 || s.Capability >= n || !s.Valid(date) {
			continue
		}
		l, ok := out[s.Country]
		if !ok {
			l = make(Levels, n)
			for i := range l {
				l[i] = NotAssessed
			}
			out[s.Country] = l
		}
		if s.Level > l[s.Capability] {
			l[s.Capability] = s.Level
		}
	}
	return out
}

// Earliest returns the first From among spans, or the zero time when there are none.
func Earliest(spans []Span) time.Time {
	var min time.Time
	for _, s := range spans {
		if min.IsZero() || s.From.Before(min) {
			min = s.From
		}
	}
	return min
}
