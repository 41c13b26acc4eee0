// Package diffusion holds the tracker's diffusion statistics as pure
// functions: when countries adopted a capability or a pillar (adoption
// dates and curves), whether adopters' land neighbours had adopted before
// them (neighbour exposure), whether similar index values cluster in space
// (Moran's I with a seeded permutation test) and which vendor home countries
// supplied which host countries (vendor flows). It reads plain values (spans
// of levels, neighbour lists, label points, sites) and knows nothing of the
// database, HTTP or the rest of the tracker. docs/methodology.md §11 gives
// every formula with a worked example.
package diffusion

import (
	"slices"
	"time"
)

// Span is one assessment in valid time: a capability held at Level from From
// until To (exclusive; the zero time means it still holds).
type Span struct {
	Capability string
	Level      int
	From       time.Time
	To         time.Time
}

// validOn is the tracker's validity rule: started on or before date and not
// ended by it.
func (s Span) validOn(date time.Time) bool {
	return !s.From.After(date) && (s.To.IsZero() || s.To.After(date))
}

// Spans holds every country's spans, keyed by ISO3 code.
type Spans map[string][]Span

// Series is what a curve or an exposure follows: one capability (K = 1), or
// a pillar that counts as adopted once K of its capabilities are.
type Series struct {
	Kind         string // "capability" or "pillar"
	Code         string
	Capabilities []string
	K            int
}

// CapabilitySeries is the series of one capability.
func CapabilitySeries(code string) Series {
	return Series{Kind: "capability", Code: code, Capabilities: []string{code}, K: 1}
}

// DefaultPillarK is how many of a pillar's capabilities must be adopted for
// the pillar to count as adopted, unless the caller says otherwise: two, so
// one isolated list or camera network does not make a pillar.
const DefaultPillarK = 2

// FirstAssessed returns the earliest From among a country's spans.
func FirstAssessed(spans []Span) (time.Time, bool) {
	var first time.Time
	for i, s := range spans {
		if i == 0 || s.From.Before(first) {
			first = s.From
		}
	}
	return first, len(spans) > 0
}

// CapabilityAdoption returns, per capability, the date a country adopted it:
// the first From of a span at level minLevel or above. Where several spans
// hold on a date the highest level wins, so this is also the first date on
// which the country's level was at or above minLevel. Callers pass only the
// spans known on the date the statistics answer for.
func CapabilityAdoption(spans []Span, minLevel int) map[string]time.Time {
	out := map[string]time.Time{}
	for _, s := range spans {
		if s.Level < minLevel {
			continue
		}
		if first, ok := out[s.Capability]; !ok || s.From.Before(first) {
			out[s.Capability] = s.From
		}
	}
	return out
}

// Adopted returns when the series was adopted given the capabilities'
// adoption dates: the K-th earliest of them, if at least K were adopted.
func (s Series) Adopted(byCapability map[string]time.Time) (time.Time, bool) {
	var dates []time.Time
	for _, c := range s.Capabilities {
		if d, ok := byCapability[c]; ok {
			dates = append(dates, d)
		}
	}
	if s.K < 1 || len(dates) < s.K {
		return time.Time{}, false
	}
	slices.SortFunc(dates, func(a, b time.Time) int { return a.Compare(b) })
	return dates[s.K-1], true
}

// AtOrAbove reports whether, on date, at least K of the series' capabilities
// are held at minLevel or above (the level that holds on a date, not the
// first adoption: a system struck down no longer counts).
func (s Series) AtOrAbove(spans []Span, minLevel int, date time.Time) bool {
	return s.atOrAbove(s.relevant(spans, minLevel), date)
}

// relevant keeps the spans of the series' capabilities at minLevel or above.
func (s Series) relevant(spans []Span, minLevel int) []Span {
	var out []Span
	for _, sp := range spans {
		if sp.Level >= minLevel && slices.Contains(s.Capabilities, sp.Capability) {
			out = append(out, sp)
		}
	}
	return out
}

// atOrAbove counts the distinct capabilities among relevant spans valid on date.
func (s Series) atOrAbove(relevant []Span, date time.Time) bool {
	if s.K < 1 {
		return false
	}
	var held []string
	for _, sp := range relevant {
		if sp.validOn(date) && !slices.Contains(held, sp.Capability) {
			held = append(held, sp.Capability)
			if len(held) >= s.K {
				return true
			}
		}
	}
	return false
}

// Adoptions returns the date each country adopted the series, for the
// countries that did.
func Adoptions(all Spans, s Series, minLevel int) map[string]time.Time {
	out := map[string]time.Time{}
	for iso, spans := range all {
		if d, ok := s.Adopted(CapabilityAdoption(spans, minLevel)); ok {
			out[iso] = d
		}
	}
	return out
}

// CurvePoint is one date of an adoption curve.
type CurvePoint struct {
	Date time.Time
	// Assessed counts the countries of the scope with at least one
	// assessment that started on or before Date.
	Assessed int
	// Adopted counts those that had adopted by Date (cumulative: a country
	// that adopted and later dropped below the threshold still counts).
	Adopted int
	// AtOrAbove counts those at or above the threshold on Date itself.
	AtOrAbove int
}

// Share is Adopted / Assessed; ok is false when nothing was assessed.
func (p CurvePoint) Share() (float64, bool) { return ratio(p.Adopted, p.Assessed) }

// ShareAtOrAbove is AtOrAbove / Assessed.
func (p CurvePoint) ShareAtOrAbove() (float64, bool) { return ratio(p.AtOrAbove, p.Assessed) }

func ratio(a, b int) (float64, bool) {
	if b == 0 {
		return 0, false
	}
	return float64(a) / float64(b), true
}

// Curve counts, at each date, the countries of scope that were assessed,
// had adopted the series, and held it at or above minLevel.
func Curve(all Spans, s Series, minLevel int, scope []string, dates []time.Time) []CurvePoint {
	type country struct {
		first, adopted time.Time
		hasAdopted     bool
		relevant       []Span
	}
	var list []country
	for _, iso := range scope {
		spans := all[iso]
		first, ok := FirstAssessed(spans)
		if !ok {
			continue // never assessed: never counted
		}
		c := country{first: first, relevant: s.relevant(spans, minLevel)}
		c.adopted, c.hasAdopted = s.Adopted(CapabilityAdoption(spans, minLevel))
		list = append(list, c)
	}
	out := make([]CurvePoint, len(dates))
	for i, date := range dates {
		p := CurvePoint{Date: date}
		for _, c := range list {
			if c.first.After(date) {
				continue
			}
			p.Assessed++
			if c.hasAdopted && !c.adopted.After(date) {
				p.Adopted++
			}
			if s.atOrAbove(c.relevant, date) {
				p.AtOrAbove++
			}
		}
		out[i] = p
	}
	return out
}

// YearEnds lists 31 December of every year from first to last, except that
// the last date is end itself when it falls in the last year (the statistics
// answer for end, not for the end of its year).
func YearEnds(first, last int, end time.Time) []time.Time {
	var out []time.Time
	for y := first; y <= last; y++ {
		d := time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
		if y == end.Year() && end.Before(d) {
			d = end
		}
		out = append(out, d)
	}
	return out
}

// FirstAdoption returns the earliest date on which any country of scope
// adopted any of the series.
func FirstAdoption(all Spans, series []Series, minLevel int, scope []string) (time.Time, bool) {
	var first time.Time
	found := false
	for _, iso := range scope {
		byCapability := CapabilityAdoption(all[iso], minLevel)
		for _, s := range series {
			if d, ok := s.Adopted(byCapability); ok && (!found || d.Before(first)) {
				first, found = d, true
			}
		}
	}
	return first, found
}
