// Package resemblance computes the resemblance index: how far a country's
// capability levels resemble a reference country's (by default China's) at
// the same date, from 0 to 100, with per-pillar scores, coverage and bands.
//
// The package is pure: it knows nothing of the database or HTTP. Callers
// load the taxonomy and the levels, build a Scorer once per (reference,
// weights) pair and score every country with it. The formula is described
// in docs/methodology.md and DESIGN.md §2.
package resemblance

// NotAssessed marks a capability with no assessment in a Levels slice.
// Any negative level is read the same way.
const NotAssessed int8 = -1

// Levels holds one level (0..4) per capability, indexed like
// Taxonomy.Codes(). NotAssessed marks a missing assessment. A Levels
// shorter than the taxonomy is read as NotAssessed for the missing tail;
// extra entries are ignored.
type Levels []int8

// Taxonomy lists pillars in display order, each with its capability codes
// in order.
type Taxonomy struct {
	Pillars []Pillar
}

// Pillar is one pillar of the taxonomy with its capability codes
// ("sanctions.blacklist") in display order.
type Pillar struct {
	Code         string
	Capabilities []string
}

// Codes returns the flattened capability codes in taxonomy order. The
// position of a code in this slice is its index in a Levels slice.
func (t Taxonomy) Codes() []string {
	codes := make([]string, 0, t.size())
	for _, p := range t.Pillars {
		codes = append(codes, p.Capabilities...)
	}
	return codes
}

// IndexOf returns the position of a capability code in Codes(), and false
// when the taxonomy has no such capability.
func (t Taxonomy) IndexOf(code string) (int, bool) {
	i := 0
	for _, p := range t.Pillars {
		for _, c := range p.Capabilities {
			if c == code {
				return i, true
			}
			i++
		}
	}
	return 0, false
}

// size returns the number of capabilities in the taxonomy.
func (t Taxonomy) size() int {
	n := 0
	for _, p := range t.Pillars {
		n += len(p.Capabilities)
	}
	return n
}

// pillarIndex returns the position of a pillar code in t.Pillars, and false
// when there is no such pillar.
func (t Taxonomy) pillarIndex(code string) (int, bool) {
	for i, p := range t.Pillars {
		if p.Code == code {
			return i, true
		}
	}
	return 0, false
}
