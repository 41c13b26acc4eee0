package readmodel

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/scs-diffusion/tracker/store"
)

// HistoryRow is one recorded assessment row with the row that superseded or
// retracted it by the snapshot's recorded time, if any.
type HistoryRow struct {
	*store.Assessment
	SupersededBy *int64
}

// History returns every row recorded for a country by the snapshot's time,
// superseded and retracted ones included, in taxonomy order, then by
// valid_from, recorded_at and id.
func (sn *Snapshot) History(iso3 string) []HistoryRow {
	var out []HistoryRow
	for i := range sn.all {
		a := &sn.all[i]
		if a.Country != iso3 || !sn.recordedBy(a.RecordedAt) {
			continue
		}
		out = append(out, HistoryRow{Assessment: a, SupersededBy: sn.supersededBy(a.ID)})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ci, cj := sn.capIndex[a.Capability], sn.capIndex[b.Capability]; ci != cj {
			return ci < cj
		}
		if !a.ValidFrom.Equal(b.ValidFrom.Time) {
			return a.ValidFrom.Before(b.ValidFrom.Time)
		}
		if !a.RecordedAt.Equal(b.RecordedAt) {
			return a.RecordedAt.Before(b.RecordedAt)
		}
		return a.ID < b.ID
	})
	return out
}

func (sn *Snapshot) recordedBy(t time.Time) bool { return sn.Recorded == nil || !t.After(*sn.Recorded) }

func (sn *Snapshot) supersededBy(id int64) *int64 {
	if next := sn.supersededAt[id]; next != nil && sn.recordedBy(next.RecordedAt) {
		return &next.ID
	}
	return nil
}

// AssessmentFilter narrows the raw assessment list; zero values do not filter.
type AssessmentFilter struct {
	Country, Capability string
	Since               *time.Time // valid_from or recorded_at on or after
	AsOf                *time.Time // valid on this date (ValidOn)
	AfterID             int64      // keyset pagination: ids above this
	Limit               int        // 0: all
}

// Assessments lists the current rows matching f, ordered by id, from AfterID
// on; total counts every match regardless of paging.
func (sn *Snapshot) Assessments(f AssessmentFilter) (page []*store.Assessment, total int) {
	matches := make([]*store.Assessment, 0, len(sn.current))
	for _, a := range sn.current {
		switch {
		case f.Country != "" && a.Country != f.Country,
			f.Capability != "" && a.Capability != f.Capability,
			f.Since != nil && a.ValidFrom.Before(*f.Since) && a.RecordedAt.Before(*f.Since),
			f.AsOf != nil && !assessmentValidOn(a, *f.AsOf):
			continue
		}
		matches = append(matches, a)
	}
	slices.SortFunc(matches, func(a, b *store.Assessment) int { return int(a.ID - b.ID) })
	for _, a := range matches {
		if a.ID > f.AfterID && (f.Limit == 0 || len(page) < f.Limit) {
			page = append(page, a)
		}
	}
	return page, len(matches)
}

// SiteFilter narrows the site list; zero values do not filter.
type SiteFilter struct {
	Bounds        []orb.Bound // any of these boxes (two when a query box crosses the antimeridian)
	Capability    string
	VendorCountry string
	Status        string
	Country       string
	AsOf          *time.Time // valid on this date (ValidOn)
}

// Sites lists the sites matching f, by country and name.
func (sn *Snapshot) Sites(f SiteFilter) []*store.Site {
	var out []*store.Site
	for i := range sn.sites {
		s := &sn.sites[i]
		vendor := ""
		if s.VendorCountry != nil {
			vendor = *s.VendorCountry
		}
		switch {
		case f.Capability != "" && s.Capability != f.Capability,
			f.VendorCountry != "" && vendor != f.VendorCountry,
			f.Status != "" && s.Status != f.Status,
			f.Country != "" && s.Country != f.Country,
			f.AsOf != nil && !ValidOn(s.ValidFrom, s.ValidTo, *f.AsOf),
			len(f.Bounds) > 0 && !inAny(f.Bounds, s.Point):
			continue
		}
		out = append(out, s)
	}
	return out
}

func inAny(bounds []orb.Bound, p orb.Point) bool {
	for _, b := range bounds {
		if b.Contains(p) {
			return true
		}
	}
	return false
}

// Events lists the constraint events that concern a country, oldest first.
func (sn *Snapshot) Events(iso3 string) []*store.ConstraintEvent {
	var out []*store.ConstraintEvent
	for i := range sn.events {
		if slices.Contains(sn.events[i].Countries, iso3) {
			out = append(out, &sn.events[i])
		}
	}
	return out
}

// Notes lists a country's notes in order.
func (sn *Snapshot) Notes(iso3 string) []store.Note { return sn.notes[iso3] }

// SourceUse is a source and the records citing it.
type SourceUse struct {
	store.Source
	Assessments, Sites, Events []int64
}

// Source returns one source and the ids of the assessment rows (every
// recorded row), sites and events citing it.
func (sn *Snapshot) Source(id int64) (SourceUse, bool) {
	src, ok := sn.sources[id]
	if !ok {
		return SourceUse{}, false
	}
	out := SourceUse{Source: src, Assessments: []int64{}, Sites: []int64{}, Events: []int64{}}
	cites := func(list []store.Source) bool {
		return slices.ContainsFunc(list, func(s store.Source) bool { return s.ID == id })
	}
	for i := range sn.all {
		if cites(sn.all[i].Sources) {
			out.Assessments = append(out.Assessments, sn.all[i].ID)
		}
	}
	for _, s := range sn.sites {
		if cites(s.Sources) {
			out.Sites = append(out.Sites, s.ID)
		}
	}
	for _, e := range sn.events {
		if cites(e.Sources) {
			out.Events = append(out.Events, e.ID)
		}
	}
	slices.Sort(out.Sites)
	slices.Sort(out.Events)
	return out, true
}

// SearchSources returns the sources whose title, publisher, author or URL
// contain q (accent- and case-insensitive), newest publication first, and how
// many matched in all; at most limit of them.
func (sn *Snapshot) SearchSources(q string, limit int) ([]store.Source, int) {
	want := fold(q)
	var out []store.Source
	for _, id := range sn.sourceIDs {
		s := sn.sources[id]
		url := ""
		if s.URL != nil {
			url = *s.URL
		}
		if strings.Contains(fold(s.Title+"\x1f"+s.Publisher+"\x1f"+s.Author+"\x1f"+url), want) {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b store.Source) int {
		switch {
		case a.Published == nil && b.Published == nil:
			return cmp.Compare(b.ID, a.ID)
		case a.Published == nil:
			return 1
		case b.Published == nil:
			return -1
		}
		return cmp.Or(b.Published.Compare(a.Published.Time), cmp.Compare(b.ID, a.ID))
	})
	return out[:min(limit, len(out))], len(out)
}

// HasSource reports whether a source with id exists (cheaper than Source).
func (sn *Snapshot) HasSource(id int64) bool { _, ok := sn.sources[id]; return ok }
