package readmodel

import (
	"errors"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/scs-diffusion/tracker/diffusion"
	"github.com/scs-diffusion/tracker/resemblance"
	"github.com/scs-diffusion/tracker/store"
)

// The inputs of the diffusion statistics (package diffusion), taken from a
// snapshot: like every read they follow valid time (asOf) and, through the
// snapshot itself, recorded time.

// DiffusionSpans returns, per country, the assessment rows the tracker
// stands by that started on or before asOf, as diffusion spans. Countries
// with none are absent.
func (sn *Snapshot) DiffusionSpans(asOf time.Time) diffusion.Spans {
	out := make(diffusion.Spans, len(sn.byCountry))
	for iso, rows := range sn.byCountry {
		var spans []diffusion.Span
		for _, a := range rows {
			if a.ValidFrom.After(asOf) {
				continue
			}
			s := diffusion.Span{Capability: a.Capability, Level: a.Level, From: a.ValidFrom.Time}
			if a.ValidTo != nil {
				s.To = a.ValidTo.Time
			}
			spans = append(spans, s)
		}
		if len(spans) > 0 {
			out[iso] = spans
		}
	}
	return out
}

// DiffusionPlaces returns every country as a place: its land neighbours
// (computed in PostGIS when the boundaries were loaded) and its label point.
func (sn *Snapshot) DiffusionPlaces() map[string]diffusion.Place {
	out := make(map[string]diffusion.Place, len(sn.countries))
	for _, c := range sn.countries {
		out[c.ISO3] = diffusion.Place{Code: c.ISO3, Neighbours: c.Neighbours, Lon: c.LabelPoint[0], Lat: c.LabelPoint[1]}
	}
	return out
}

// PillarSeries is a pillar as a diffusion series: adopted once k of its
// capabilities are. It reports false for an unknown pillar.
func (sn *Snapshot) PillarSeries(code string, k int) (diffusion.Series, bool) {
	for _, p := range sn.Taxonomy.Pillars {
		if p.Code == code {
			s := diffusion.Series{Kind: "pillar", Code: code, K: k}
			for _, c := range p.Capabilities {
				s.Capabilities = append(s.Capabilities, c.Code)
			}
			return s, true
		}
	}
	return diffusion.Series{}, false
}

// Regions lists the UN M.49 regions and subregions of the countries, sorted.
func (sn *Snapshot) Regions() (regions, subregions []string) {
	for _, c := range sn.countries {
		if c.Region != "" && !slices.Contains(regions, c.Region) {
			regions = append(regions, c.Region)
		}
		if c.Subregion != "" && !slices.Contains(subregions, c.Subregion) {
			subregions = append(subregions, c.Subregion)
		}
	}
	slices.Sort(regions)
	slices.Sort(subregions)
	return regions, subregions
}

// Variable names what Moran's I is computed of: the index (Kind "index"), a
// pillar's score (Kind "pillar") or a capability's level (Kind
// "capability"), identified by Code.
type Variable struct {
	Kind, Code string
}

// ValuesOn returns the variable's value on date for every country among
// units that has one: the index of assessed countries (default weights,
// China as the reference), a pillar score where the pillar has at least one
// assessed capability, a capability's level where it is assessed. Countries
// without a value are absent: not assessed is not zero. It fails with
// *InvalidError when the reference cannot be scored on date.
func (sn *Snapshot) ValuesOn(date time.Time, v Variable, units []string) (map[string]float64, error) {
	out := map[string]float64{}
	if v.Kind == "capability" {
		i := sn.capIndex[v.Code]
		all := sn.LevelsAt(date)
		for _, iso := range units {
			if l := all[iso]; l != nil && l[i] >= 0 {
				out[iso] = float64(l[i])
			}
		}
		return out, nil
	}
	sc, err := sn.Score(date, "CHN", resemblance.Weights{})
	if err != nil {
		return nil, err
	}
	for _, iso := range units {
		r := sc.Result(iso)
		if !r.Assessed {
			continue
		}
		if v.Kind == "index" {
			out[iso] = r.Index
			continue
		}
		for _, p := range r.Pillars {
			if p.Code == v.Code && p.Counted && p.Coverage > 0 {
				out[iso] = p.Score
			}
		}
	}
	return out, nil
}

// DiffusionSites returns the sites as vendor flows read them: those started
// on or before asOf, and those with no known start. Sites are kept current
// (they have no recorded history).
func (sn *Snapshot) DiffusionSites(asOf time.Time, f SiteFilter) ([]diffusion.Site, map[int64]*store.Site) {
	var out []diffusion.Site
	byID := map[int64]*store.Site{}
	for _, s := range sn.Sites(f) {
		if s.ValidFrom != nil && s.ValidFrom.After(asOf) {
			continue
		}
		ds := diffusion.Site{ID: s.ID, Host: s.Country, Capability: s.Capability, Status: s.Status}
		if s.VendorCountry != nil {
			ds.Vendor = strings.ToUpper(*s.VendorCountry)
		}
		if s.ValidFrom != nil {
			ds.Start = s.ValidFrom.Time
		}
		out = append(out, ds)
		byID[s.ID] = s
	}
	return out, byID
}

// MoranYear is Moran's I of a variable on one date.
type MoranYear struct {
	Date   time.Time
	Result diffusion.MoranResult
	// Nearest lists the countries given their k nearest neighbours.
	Nearest []string
	// Reason says why nothing could be computed when the values themselves
	// are undefined (the reference has no assessment on the date).
	Reason string
}

// Moran computes Moran's I of the variable among the units that have a value
// on each date: row-standardised land contiguity, the k nearest by label
// point where a unit has no land neighbour among them, and
// diffusion.DefaultPermutations permutations seeded with the date's year
// (so a year's answer does not depend on the range asked). Each date's
// result is kept in the snapshot (bounded by keepMoranYears), so a time-slider
// step, which moves only the last date, computes one year, not all of them;
// dates not kept are computed in parallel. The results must not be modified.
func (sn *Snapshot) Moran(dates []time.Time, v Variable, units []string) []MoranYear {
	out := make([]MoranYear, len(dates))
	scope := strings.Join(units, ",")
	keys := make([]string, len(dates))
	var todo []int
	for i, d := range dates {
		keys[i] = moranKey(d, v, scope)
		if y, ok := sn.moranYears.Peek(keys[i]); ok {
			out[i] = y
			continue
		}
		todo = append(todo, i)
	}
	if len(todo) == 0 {
		return out
	}
	places := sn.DiffusionPlaces()
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Go(func() {
			for i := range next {
				out[i] = sn.moranOn(dates[i], v, units, places)
			}
		})
	}
	for _, i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, i := range todo {
		sn.moranYears.Put(keys[i], out[i])
	}
	return out
}

// moranKey names one date's Moran's I of v among the units joined in scope.
func moranKey(d time.Time, v Variable, scope string) string {
	return d.Format(time.DateOnly) + "|" + v.Kind + "|" + v.Code + "|" + scope
}

func (sn *Snapshot) moranOn(date time.Time, v Variable, units []string, places map[string]diffusion.Place) MoranYear {
	y := MoranYear{Date: date}
	values, err := sn.ValuesOn(date, v, units)
	if err != nil {
		y.Reason = err.Error()
		var inv *InvalidError
		if errors.As(err, &inv) {
			y.Reason = inv.Reason
		}
		return y
	}
	have := make([]string, 0, len(values))
	for iso := range values {
		have = append(have, iso)
	}
	slices.Sort(have)
	x := make([]float64, len(have))
	for i, iso := range have {
		x[i] = values[iso]
	}
	w := diffusion.NewWeights(places, have, diffusion.DefaultNearest)
	y.Result = diffusion.Moran(w, x, diffusion.DefaultPermutations, uint64(date.Year()))
	y.Nearest = w.Nearest
	return y
}
