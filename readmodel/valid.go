package readmodel

import (
	"time"

	"github.com/scs-diffusion/tracker/resemblance"
	"github.com/scs-diffusion/tracker/store"
)

// ValidOn is the tracker's one validity rule: a fact holds on date when it
// started on or before it (an unknown start counts as always) and has not
// ended by it (its end is exclusive; no end means it still holds).
func ValidOn(from, to *store.Date, date time.Time) bool {
	return (from == nil || !from.After(date)) && (to == nil || to.After(date))
}

// assessmentValidOn applies ValidOn to an assessment.
func assessmentValidOn(a *store.Assessment, date time.Time) bool {
	return ValidOn(&a.ValidFrom, a.ValidTo, date)
}

// Valid returns, per capability in taxonomy order, the assessment of iso3
// that holds on date, nil where none does. Where two rows of one capability
// hold on the same date, the higher level wins. Profiles, the index and every
// other reading of "the level on a date" use this.
func (sn *Snapshot) Valid(iso3 string, date time.Time) []*store.Assessment {
	rows := sn.byCountry[iso3]
	if len(rows) == 0 {
		return nil
	}
	return sn.valid(rows, date, make([]*store.Assessment, len(sn.codes)))
}

// valid fills out (one slot per capability, all nil) with the winners among rows.
func (sn *Snapshot) valid(rows []*store.Assessment, date time.Time, out []*store.Assessment) []*store.Assessment {
	for _, a := range rows {
		if !assessmentValidOn(a, date) {
			continue
		}
		i := sn.capIndex[a.Capability]
		if old := out[i]; old == nil || a.Level > old.Level {
			out[i] = a
		}
	}
	return out
}

// levels turns Valid's answer into scoring levels; nil when nothing holds.
func levels(valid []*store.Assessment) resemblance.Levels {
	var l resemblance.Levels
	for i, a := range valid {
		if a == nil {
			continue
		}
		if l == nil {
			l = make(resemblance.Levels, len(valid))
			for j := range l {
				l[j] = resemblance.NotAssessed
			}
		}
		l[i] = int8(a.Level)
	}
	return l
}

// LevelsAt returns every country's levels on date; countries with nothing
// valid on date are absent (not assessed). The answer is kept for the last
// few dates asked (a map's weights panel re-scores one date many times); it
// must not be modified.
func (sn *Snapshot) LevelsAt(date time.Time) map[string]resemblance.Levels {
	key := date.Format(time.DateOnly)
	if l, ok := sn.levelsByDate.Peek(key); ok {
		return l
	}
	out := sn.levelsAt(date)
	sn.levelsByDate.Put(key, out)
	return out
}

func (sn *Snapshot) levelsAt(date time.Time) map[string]resemblance.Levels {
	out := make(map[string]resemblance.Levels, len(sn.byCountry))
	buf := make([]*store.Assessment, len(sn.codes))
	for iso, rows := range sn.byCountry {
		clear(buf)
		if l := levels(sn.valid(rows, date, buf)); l != nil {
			out[iso] = l
		}
	}
	return out
}

// levelsOf is LevelsAt for the listed countries only.
func (sn *Snapshot) levelsOf(date time.Time, countries []string) map[string]resemblance.Levels {
	out := make(map[string]resemblance.Levels, len(countries))
	for _, iso := range countries {
		if l := levels(sn.Valid(iso, date)); l != nil {
			out[iso] = l
		}
	}
	return out
}
