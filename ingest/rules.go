package ingest

import (
	"fmt"
	"slices"
	"time"

	"github.com/scs-diffusion/tracker/store"
)

// DataRules checks the data rules D1–D3 of docs/methodology.md ("Coding
// rules") that the database does not enforce, over the assessments the
// tracker stands by now (superseded rows stay as they were recorded). It
// returns every violation, one line each, in a stable order.
//
//   - D1: confidence L never above level 1.
//   - D2: every level ≥ 3 claim has at least two sources, or one primary document.
//   - D3: `from` is not after the earliest dated source's publication (the end of
//     its year or month when only that is known), unless the row has a from_note.
func DataRules(e store.Evidence) []string {
	var out []string
	for _, a := range e.Assessments {
		if a.Superseded != nil {
			continue
		}
		at := fmt.Sprintf("%s %s from %s (level %d)", a.Country, a.Capability, fmtPartial(a.ValidFrom, a.FromPrecision), a.Level)
		if a.Confidence == "L" && a.Level > 1 {
			out = append(out, fmt.Sprintf("D1 %s: confidence L above level 1", at))
		}
		if a.Level >= 3 && len(a.Sources) < 2 && !slices.ContainsFunc(a.Sources, func(s store.Source) bool { return s.Primary }) {
			out = append(out, fmt.Sprintf("D2 %s: a level ≥ 3 claim needs two sources or one primary document (`primary: true`); it has %d source(s), none primary",
				at, len(a.Sources)))
		}
		if first := earliestDated(a.Sources); first != nil && a.FromNote == "" && a.ValidFrom.After(*first.PublishedEnd()) {
			out = append(out, fmt.Sprintf("D3 %s: from is after the earliest dated source (%s, %s: %s) and the row has no from_note",
				at, first.PublishedLabel(), first.Publisher, first.Title))
		}
	}
	slices.Sort(out)
	return out
}

// earliestDated returns the dated source whose publication period ends first, or nil.
func earliestDated(sources []store.Source) *store.Source {
	var first *store.Source
	for i := range sources {
		s := &sources[i]
		if s.Published != nil && (first == nil || s.PublishedEnd().Before(*first.PublishedEnd())) {
			first = s
		}
	}
	return first
}

// fmtPartial writes a date at its precision: 2017, 2017-03 or 2017-03-09.
func fmtPartial(t time.Time, precision string) string {
	switch precision {
	case "year":
		return t.Format("2006")
	case "month":
		return t.Format("2006-01")
	}
	return t.Format(time.DateOnly)
}
