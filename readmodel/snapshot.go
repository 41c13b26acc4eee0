package readmodel

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/scs-diffusion/tracker/cache"
	"github.com/scs-diffusion/tracker/resemblance"
	"github.com/scs-diffusion/tracker/store"
)

// Snapshot is the published data of one revision as the tracker stood by it
// at one recorded time (Recorded; nil is now). It is immutable and shared by
// every read.
type Snapshot struct {
	Revision store.Revision
	Recorded *time.Time
	Taxonomy store.Taxonomy

	rtax     resemblance.Taxonomy
	codes    []string
	capIndex map[string]int
	caps     map[string]store.Capability

	countries []*store.Country // by name
	country   map[string]*store.Country
	folded    map[string][2]string // accent- and case-folded name and Natural Earth name

	all          []store.Assessment          // every row ever recorded, by id
	supersededAt map[int64]*store.Assessment // row id → the row that superseded or retracted it
	current      []*store.Assessment         // rows the tracker stood by at Recorded, by country, capability, valid_from
	byCountry    map[string][]*store.Assessment
	earliest     map[string]time.Time // each country's first valid_from among current rows
	currentByID  map[int64]*store.Assessment

	sources   map[int64]store.Source
	sourceIDs []int64
	sites     []store.Site
	siteIndex map[int64]int // site id → position in sites
	events    []store.ConstraintEvent
	notes     map[string][]store.Note
	changes   []store.Change // the change feed, newest first

	shapes       *shapeCache
	levelsByDate *cache.Cache[map[string]resemblance.Levels] // LevelsAt by date, for this view
	moranYears   *cache.Cache[MoranYear]                     // Moran's I by date, variable and units, for this view
}

// keepLevelDates bounds the dates whose levels a snapshot keeps.
const keepLevelDates = 64

// keepMoranYears bounds the yearly Moran's I results a snapshot keeps (a
// result is a few hundred bytes; the shipped data's default view is 15 of
// them per variable and scope).
const keepMoranYears = 2048

func newSnapshot(p *store.Published, read *store.Store, live func() bool) *Snapshot {
	sn := &Snapshot{Revision: p.Revision, Taxonomy: p.Taxonomy, capIndex: map[string]int{}, caps: map[string]store.Capability{},
		country: map[string]*store.Country{}, folded: map[string][2]string{}, supersededAt: map[int64]*store.Assessment{},
		sources: map[int64]store.Source{}, notes: map[string][]store.Note{}, all: p.Assessments, sites: p.Sites, events: p.Events, changes: p.Changes,
		shapes: &shapeCache{read: read, live: live, revision: p.Revision.Revision}}
	for _, pl := range p.Taxonomy.Pillars {
		rp := resemblance.Pillar{Code: pl.Code}
		for _, c := range pl.Capabilities {
			rp.Capabilities = append(rp.Capabilities, c.Code)
			sn.capIndex[c.Code] = len(sn.codes)
			sn.codes = append(sn.codes, c.Code)
			sn.caps[c.Code] = c
		}
		sn.rtax.Pillars = append(sn.rtax.Pillars, rp)
	}
	for i := range p.Countries {
		c := &p.Countries[i]
		sn.countries = append(sn.countries, c)
		sn.country[c.ISO3] = c
		sn.folded[c.ISO3] = [2]string{fold(c.Name), fold(c.NEName)}
	}
	for i := range p.Assessments {
		if a := &p.Assessments[i]; a.Supersedes != nil {
			sn.supersededAt[*a.Supersedes] = a
		}
	}
	for _, s := range p.Sources {
		sn.sources[s.ID] = s
		sn.sourceIDs = append(sn.sourceIDs, s.ID)
	}
	sn.siteIndex = make(map[int64]int, len(p.Sites))
	for i := range p.Sites {
		sn.siteIndex[p.Sites[i].ID] = i
	}
	for _, n := range p.Notes {
		sn.notes[n.Country] = append(sn.notes[n.Country], n)
	}
	sn.index(nil)
	return sn
}

// Changes is the change feed (accepted reports and dataset ingests), newest first.
func (sn *Snapshot) Changes() []store.Change { return sn.changes }

// asRecorded derives the view of the same revision as the tracker stood by it
// at the end of bound: only rows recorded by then, superseded as of then.
func (sn *Snapshot) asRecorded(bound time.Time) *Snapshot {
	out := *sn
	out.Recorded = &bound
	out.index(&bound)
	return &out
}

// index selects the rows current at bound (nil: now) and indexes them.
func (sn *Snapshot) index(bound *time.Time) {
	sn.levelsByDate = cache.New[map[string]resemblance.Levels](keepLevelDates, nil, time.Second)
	sn.moranYears = cache.New[MoranYear](keepMoranYears, nil, time.Second)
	by := func(t time.Time) bool { return bound == nil || !t.After(*bound) }
	sn.current, sn.byCountry, sn.earliest = nil, map[string][]*store.Assessment{}, map[string]time.Time{}
	for i := range sn.all {
		a := &sn.all[i]
		if !by(a.RecordedAt) || a.Retracted {
			continue
		}
		if next := sn.supersededAt[a.ID]; next != nil && by(next.RecordedAt) {
			continue
		}
		if _, ok := sn.capIndex[a.Capability]; !ok {
			continue
		}
		sn.current = append(sn.current, a)
	}
	sort.SliceStable(sn.current, func(i, j int) bool {
		a, b := sn.current[i], sn.current[j]
		if a.Country != b.Country {
			return a.Country < b.Country
		}
		if a.Capability != b.Capability {
			return a.Capability < b.Capability
		}
		return a.ValidFrom.Before(b.ValidFrom.Time)
	})
	sn.currentByID = make(map[int64]*store.Assessment, len(sn.current))
	for _, a := range sn.current {
		sn.currentByID[a.ID] = a
		sn.byCountry[a.Country] = append(sn.byCountry[a.Country], a)
		if first, ok := sn.earliest[a.Country]; !ok || a.ValidFrom.Before(first) {
			sn.earliest[a.Country] = a.ValidFrom.Time
		}
	}
}

// lastRecordedBy returns when the last row recorded by bound was recorded.
func (sn *Snapshot) lastRecordedBy(bound time.Time) (time.Time, bool) {
	var last time.Time
	found := false
	for i := range sn.all {
		if t := sn.all[i].RecordedAt; !t.After(bound) && (!found || t.After(last)) {
			last, found = t, true
		}
	}
	return last, found
}

// Codes lists the capability codes in taxonomy order; a capability's
// position is its index in resemblance.Levels.
func (sn *Snapshot) Codes() []string { return sn.codes }

// ResemblanceTaxonomy is the taxonomy as the scoring package takes it.
func (sn *Snapshot) ResemblanceTaxonomy() resemblance.Taxonomy { return sn.rtax }

// Capability returns a capability of the taxonomy by code.
func (sn *Snapshot) Capability(code string) (store.Capability, bool) {
	c, ok := sn.caps[code]
	return c, ok
}

// CapabilityIndex is a capability's position in taxonomy order.
func (sn *Snapshot) CapabilityIndex(code string) (int, bool) {
	i, ok := sn.capIndex[code]
	return i, ok
}

// Country returns a country by ISO3 code.
func (sn *Snapshot) Country(iso3 string) (*store.Country, bool) {
	c, ok := sn.country[iso3]
	return c, ok
}

// Countries lists every country, by name.
func (sn *Snapshot) Countries() []*store.Country { return sn.countries }

// Assessed reports whether the tracker has any current row for the country.
func (sn *Snapshot) Assessed(iso3 string) bool { return len(sn.byCountry[iso3]) > 0 }

// RecordedAnything reports whether any row was recorded by the snapshot's time.
func (sn *Snapshot) RecordedAnything() bool { return len(sn.current) > 0 }

// Earliest returns a country's first valid_from among current rows.
func (sn *Snapshot) Earliest(iso3 string) (time.Time, bool) {
	t, ok := sn.earliest[iso3]
	return t, ok
}

// CountryFilter narrows the country list; empty fields do not filter.
type CountryFilter struct {
	Region, Subregion string
	// Q matches a case- and accent-insensitive part of the name (or the
	// Natural Earth name), or the ISO3 or ISO2 code exactly.
	Q string
}

// FindCountries lists the countries matching f, by name.
func (sn *Snapshot) FindCountries(f CountryFilter) []*store.Country {
	q := fold(strings.TrimSpace(f.Q))
	code := strings.ToUpper(strings.TrimSpace(f.Q))
	var out []*store.Country
	for _, c := range sn.countries {
		if f.Region != "" && !strings.EqualFold(c.Region, f.Region) {
			continue
		}
		if f.Subregion != "" && !strings.EqualFold(c.Subregion, f.Subregion) {
			continue
		}
		if q != "" {
			names := sn.folded[c.ISO3]
			if !strings.Contains(names[0], q) && !strings.Contains(names[1], q) && c.ISO3 != code && c.ISO2 != code {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// fold lower-cases s and strips its accents ("Côte d'Ivoire" → "cote d'ivoire").
// A transformer chain keeps state, so each call makes its own.
func fold(s string) string {
	folder := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(folder, strings.ToLower(s))
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}

// Shape is one country's geometry as GeoJSON text, produced by PostGIS.
type Shape = store.CountryShape

// shapeCache loads country geometry once per revision and resolution, on
// first use (the GeoJSON downloads are the only reads that need geometry).
type shapeCache struct {
	read     *store.Store
	live     func() bool // whether the database is reachable now
	revision int64
	mu       sync.Mutex
	loaded   map[store.Resolution][]Shape
}

// Shapes returns every country's geometry at a resolution. It needs the
// database the first time for each resolution.
func (sn *Snapshot) Shapes(ctx context.Context, res store.Resolution) ([]Shape, error) {
	sc := sn.shapes
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if s, ok := sc.loaded[res]; ok {
		return s, nil
	}
	if sc.live != nil && !sc.live() {
		return nil, fmt.Errorf("%w: country shapes %s are not loaded yet", ErrUnavailable, res)
	}
	s, err := sc.read.CountryShapes(ctx, res)
	if err != nil {
		if store.IsUnavailable(err) {
			return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
		return nil, err
	}
	if sc.loaded == nil {
		sc.loaded = map[store.Resolution][]Shape{}
	}
	sc.loaded[res] = s
	return s, nil
}
