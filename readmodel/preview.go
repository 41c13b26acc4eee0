package readmodel

import (
	"time"

	"github.com/scs-diffusion/tracker/resemblance"
)

// Proposed is one proposed level of a capability with its validity (a
// report's assessment, as a reviewer sees it before deciding).
type Proposed struct {
	Capability string
	Level      int8
	From       time.Time
	To         *time.Time // nil: open-ended
}

// Preview scores a country at asOf as it is now and as it would be if the
// proposed levels valid on asOf replaced its current levels of the same
// capabilities (where several are valid, the one starting last wins), with
// the same scoring code as every other read. When the country is the
// reference, the reference changes with it. Unknown capabilities are skipped
// (validation refuses them before a report can be submitted).
func (sn *Snapshot) Preview(asOf time.Time, reference string, w resemblance.Weights, iso3 string, proposed []Proposed) (before, after resemblance.Result, err error) {
	sc, err := sn.ScoreOnly(asOf, reference, w, iso3)
	if err != nil {
		return before, after, err
	}
	before = sc.Result(iso3)
	levels := make(resemblance.Levels, len(sn.codes))
	for i := range levels {
		levels[i] = resemblance.NotAssessed
	}
	copy(levels, sc.Levels[iso3])
	start := make(map[int]time.Time, len(proposed))
	for _, p := range proposed {
		i, ok := sn.CapabilityIndex(p.Capability)
		if !ok || p.From.After(asOf) || (p.To != nil && !p.To.After(asOf)) {
			continue
		}
		if s, seen := start[i]; seen && s.After(p.From) {
			continue
		}
		start[i] = p.From
		levels[i] = p.Level
	}
	ref := sc.RefLevels
	if iso3 == reference {
		ref = levels
	}
	after = resemblance.NewScorer(sn.rtax, ref, w).Score(levels)
	return before, after, nil
}
