package readmodel

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scs-diffusion/tracker/diffusion"
)

// The diffusion inputs follow valid time (asOf) and recorded time (the
// snapshot's view), like every read: AAA's q.a was recorded at 4 and
// corrected to 2 on 2026-03-01; BBB's p.b (3 from 2016) was retracted then.
func TestDiffusionSpansFollowBothTimes(t *testing.T) {
	now := newSnapshot(published(), nil, nil)
	then := now.asRecorded(day("2026-02-01"))
	far := day("2030-01-01")
	for _, tt := range []struct {
		name     string
		sn       *Snapshot
		asOf     time.Time
		minLevel int
		want     map[string]map[string]time.Time
	}{
		{"now, level 3", now, far, 3, map[string]map[string]time.Time{"AAA": {"p.a": day("2015-01-01")}}},
		{"now, level 2", now, far, 2, map[string]map[string]time.Time{"AAA": {"p.a": day("2010-01-01"), "q.a": day("2018-01-01")}}},
		{"as recorded before the correction", then, far, 3, map[string]map[string]time.Time{
			"AAA": {"p.a": day("2015-01-01"), "q.a": day("2018-01-01")}, "BBB": {"p.b": day("2016-01-01")}}},
		// Rows that start after as_of are not known yet on as_of.
		{"as of mid-2014", now, day("2014-06-01"), 2, map[string]map[string]time.Time{"AAA": {"p.a": day("2010-01-01")}}},
		{"as of mid-2014, level 3", now, day("2014-06-01"), 3, map[string]map[string]time.Time{"AAA": {}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string]map[string]time.Time{}
			for iso, spans := range tt.sn.DiffusionSpans(tt.asOf) {
				got[iso] = diffusion.CapabilityAdoption(spans, tt.minLevel)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("adoption from DiffusionSpans (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDiffusionSpansKeepEnds(t *testing.T) {
	spans := newSnapshot(published(), nil, nil).DiffusionSpans(day("2030-01-01"))["AAA"]
	i := slices.IndexFunc(spans, func(s diffusion.Span) bool { return s.Capability == "p.a" && s.Level == 2 })
	if i < 0 || !spans[i].To.Equal(day("2015-01-01")) {
		t.Errorf("AAA p.a level 2 span = %+v, want it to end 2015-01-01", spans)
	}
}

func TestPillarSeriesAndRegions(t *testing.T) {
	sn := newSnapshot(published(), nil, nil)
	s, ok := sn.PillarSeries("q", 2)
	if want := (diffusion.Series{Kind: "pillar", Code: "q", Capabilities: []string{"q.a", "q.b"}, K: 2}); !ok || !cmp.Equal(s, want) {
		t.Errorf("PillarSeries(q, 2) = %+v, %v; want %+v", s, ok, want)
	}
	if _, ok := sn.PillarSeries("nope", 2); ok {
		t.Error("PillarSeries of an unknown pillar succeeded")
	}
	regions, subregions := sn.Regions()
	if !cmp.Equal(regions, []string{"Africa", "Europe"}) || len(subregions) != 0 {
		t.Errorf("Regions = %v, %v; want [Africa Europe] and none (the fixture has no subregions)", regions, subregions)
	}
}

func TestValuesOn(t *testing.T) {
	sn := newSnapshot(published(), nil, nil)
	units := []string{"AAA", "BBB", "CCC"}
	// On 2016-01-01 AAA holds p.a at 3 (and at 1: the higher wins); BBB and CCC have no p.a.
	got, err := sn.ValuesOn(day("2016-01-01"), Variable{Kind: "capability", Code: "p.a"}, units)
	if err != nil || !cmp.Equal(got, map[string]float64{"AAA": 3}) {
		t.Errorf("ValuesOn(p.a) = %v, %v; want AAA 3 only", got, err)
	}
	// The index needs the reference (CHN), which the fixture lacks.
	if _, err := sn.ValuesOn(day("2016-01-01"), Variable{Kind: "index"}, units); err == nil {
		t.Error("ValuesOn(index) without the reference succeeded")
	}
	years := sn.Moran([]time.Time{day("2016-01-01"), day("2017-01-01")}, Variable{Kind: "index"}, units)
	if len(years) != 2 || years[0].Reason == "" || years[1].Result.Defined {
		t.Errorf("Moran without the reference = %+v; want two undefined years with a reason", years)
	}
}

func TestDiffusionSites(t *testing.T) {
	sn := newSnapshot(published(), nil, nil)
	// Site 1 starts 2019-01-01: not yet on 2018-06-01. Site 2 has no start: always there.
	got, byID := sn.DiffusionSites(day("2018-06-01"), SiteFilter{})
	if len(got) != 1 || got[0].ID != 2 || got[0].Host != "BBB" || !got[0].Start.IsZero() || byID[2] == nil {
		t.Errorf("DiffusionSites(2018-06-01) = %+v", got)
	}
	if got, _ := sn.DiffusionSites(day("2019-01-01"), SiteFilter{}); len(got) != 2 || !got[0].Start.Equal(day("2019-01-01")) {
		t.Errorf("DiffusionSites(2019-01-01) = %+v, want both sites", got)
	}
}

// Moran's I keeps each date's result in the snapshot: a second range that
// overlaps the first answers the shared years from what was kept, and
// exactly as a snapshot that never saw the first range computes them; a
// different scope or a recorded view is never answered from another's.
func TestMoranKeepsEachYear(t *testing.T) {
	p := benchPublished(600)
	sn := newSnapshot(p, nil, nil)
	var units []string
	for _, c := range sn.Countries() {
		units = append(units, c.ISO3)
	}
	index := Variable{Kind: "index"}
	first := diffusion.YearEnds(2010, 2014, day("2014-06-30"))
	sn.Moran(first, index, units)
	if got := sn.moranYears.Stats(); got.Entries != 5 || got.Hits != 0 {
		t.Fatalf("after the first range: %d kept, %d hits; want 5 kept, 0 hits", got.Entries, got.Hits)
	}
	// 2012 and 2013 end on 31 December in both ranges; 2014 ends on 30 June in the first.
	second := diffusion.YearEnds(2012, 2016, day("2016-03-31"))
	got := sn.Moran(second, index, units)
	if st := sn.moranYears.Stats(); st.Entries != 8 || st.Hits != 2 {
		t.Errorf("after the second range: %d kept, %d hits; want 8 kept, 2 hits", st.Entries, st.Hits)
	}
	fresh := newSnapshot(p, nil, nil).Moran(second, index, units)
	if diff := cmp.Diff(fresh, got); diff != "" {
		t.Errorf("kept years differ from a fresh computation (-fresh +kept):\n%s", diff)
	}
	for _, y := range got {
		if !y.Result.Defined {
			t.Fatalf("%s undefined (%s %s): the test data should give every year a value", y.Date, y.Reason, y.Result.Reason)
		}
	}

	// Another scope is computed, not taken from the whole world's.
	some := units[:120]
	part := sn.Moran(second, index, some)
	if diff := cmp.Diff(newSnapshot(p, nil, nil).Moran(second, index, some), part); diff != "" {
		t.Errorf("a narrower scope differs from a fresh computation of it (-fresh +got):\n%s", diff)
	}
	if part[0].Result.N == got[0].Result.N {
		t.Errorf("the narrower scope counted %d countries, as many as the world", part[0].Result.N)
	}
	// A recorded view keeps its own.
	if st := sn.asRecorded(day("2026-01-01")).moranYears.Stats(); st.Entries != 0 {
		t.Errorf("a recorded view starts with %d kept years of the current view; want 0", st.Entries)
	}
}
