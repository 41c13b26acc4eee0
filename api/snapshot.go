package api

import (
	"context"
	"fmt"
	"time"

	"github.com/scs-diffusion/tracker/resemblance"
	"github.com/scs-diffusion/tracker/store"
)

// snapshot is the published evidence at one data revision, as the tracker
// stood by it at one recorded time: the taxonomy, the countries and every
// current assessment, ready for scoring at any date. Snapshots are built
// once per (revision, recorded_as_of) and kept in a small LRU.
type snapshot struct {
	revision    store.Revision
	tax         store.Taxonomy
	rtax        resemblance.Taxonomy
	codes       []string
	capIndex    map[string]int
	caps        map[string]store.Capability
	countries   []store.CountrySummary
	country     map[string]store.CountrySummary
	assessments []store.Assessment
	spans       []resemblance.Span
	earliest    map[string]time.Time // each country's first assessment
	recorded    *time.Time           // the recorded_as_of the snapshot answers for (nil: now)
}

func (h *handler) snapshot(ctx context.Context, recordedAsOf *time.Time) (*snapshot, error) {
	rev, err := h.revisions.Current(ctx)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%d|now", rev.Revision)
	if recordedAsOf != nil {
		// Every bound between two recordings sees the same facts: key by the last recording.
		last, err := h.store.LatestRecordedAt(ctx, *recordedAsOf)
		if err != nil {
			return nil, err
		}
		key = fmt.Sprintf("%d|%v|%t", rev.Revision, last, last == nil)
	}
	if sn, ok := h.snapshots.get(key); ok {
		return sn, nil
	}
	v, err, _ := h.flight.Do("snapshot|"+key, func() (any, error) { return h.buildSnapshot(ctx, rev, recordedAsOf, key) })
	if err != nil {
		return nil, err
	}
	return v.(*snapshot), nil
}

// buildSnapshot loads a snapshot from the store and caches it under key.
func (h *handler) buildSnapshot(ctx context.Context, rev store.Revision, recordedAsOf *time.Time, key string) (*snapshot, error) {
	var err error
	sn := &snapshot{revision: rev, capIndex: map[string]int{}, caps: map[string]store.Capability{},
		country: map[string]store.CountrySummary{}, earliest: map[string]time.Time{}, recorded: recordedAsOf}
	if sn.tax, err = h.store.TaxonomyFromDB(ctx); err != nil {
		return nil, err
	}
	for _, p := range sn.tax.Pillars {
		rp := resemblance.Pillar{Code: p.Code}
		for _, c := range p.Capabilities {
			rp.Capabilities = append(rp.Capabilities, c.Code)
			sn.capIndex[c.Code] = len(sn.codes)
			sn.codes = append(sn.codes, c.Code)
			sn.caps[c.Code] = c
		}
		sn.rtax.Pillars = append(sn.rtax.Pillars, rp)
	}
	if sn.countries, err = h.store.Countries(ctx, store.CountryFilter{}); err != nil {
		return nil, err
	}
	for _, c := range sn.countries {
		sn.country[c.ISO3] = c
	}
	if sn.assessments, err = h.store.CurrentAssessments(ctx, recordedAsOf); err != nil {
		return nil, err
	}
	for _, a := range sn.assessments {
		i, ok := sn.capIndex[a.Capability]
		if !ok {
			continue
		}
		sp := resemblance.Span{Country: a.Country, Capability: i, Level: int8(a.Level), From: a.ValidFrom.Time}
		if a.ValidTo != nil {
			sp.To = a.ValidTo.Time
		}
		sn.spans = append(sn.spans, sp)
		if first, ok := sn.earliest[a.Country]; !ok || sp.From.Before(first) {
			sn.earliest[a.Country] = sp.From
		}
	}
	h.snapshots.put(key, sn)
	return sn, nil
}

// scoring is the result of scoring every country at one date.
type scoring struct {
	asOf      time.Time
	reference string
	weights   resemblance.Weights
	refLevels resemblance.Levels
	levels    map[string]resemblance.Levels
	results   map[string]resemblance.Result
	refResult resemblance.Result
}

// score computes every country's index at asOf against the reference.
func (sn *snapshot) score(asOf time.Time, reference string, w resemblance.Weights) (*scoring, error) {
	day := asOf.Format(time.DateOnly)
	if _, known := sn.country[reference]; !known {
		return nil, badParam("reference", fmt.Sprintf("%s is not a known country", reference))
	}
	if len(sn.spans) == 0 && sn.recorded != nil {
		return nil, badParam("recorded_as_of", "the tracker had recorded no assessment by that date")
	}
	levels := resemblance.LevelsAt(sn.spans, asOf, len(sn.codes))
	ref, ok := levels[reference]
	if !ok {
		return nil, badParam("reference", fmt.Sprintf("%s has no assessment on %s, so nothing can resemble it", reference, day))
	}
	if !hasAbove(ref, 0) {
		return nil, badParam("reference", fmt.Sprintf("%s has no capability above level 0 on %s, so nothing can resemble it", reference, day))
	}
	scorer := resemblance.NewScorer(sn.rtax, ref, w)
	if scorer.Score(ref).Coverage == 0 {
		return nil, badParam("weights", fmt.Sprintf("gives no weight to any capability %s has on %s", reference, day))
	}
	sc := &scoring{asOf: asOf, reference: reference, weights: w, refLevels: ref, levels: levels, results: make(map[string]resemblance.Result, len(levels))}
	for iso, l := range levels {
		sc.results[iso] = scorer.Score(l)
	}
	// The reference scored against itself gives pillar scores to draw behind a profile.
	sc.refResult = scorer.Score(ref)
	return sc, nil
}

// result returns a country's score; countries with no assessment are not assessed.
func (sc *scoring) result(iso3 string) resemblance.Result {
	if r, ok := sc.results[iso3]; ok {
		return r
	}
	return resemblance.Result{Band: resemblance.BandNotAssessed}
}

// timeRange is the span of dates that can be scored against the reference:
// from the reference's first assessment to today.
func (sn *snapshot) timeRange(reference string, today time.Time) (min, max time.Time) {
	min, ok := sn.earliest[reference]
	if !ok || min.After(today) {
		min = today
	}
	return min, today
}

func hasAbove(l resemblance.Levels, level int8) bool {
	for _, v := range l {
		if v > level {
			return true
		}
	}
	return false
}
