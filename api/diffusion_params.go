package api

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/diffusion"
	"github.com/scs-diffusion/tracker/readmodel"
)

// The query parameters of the diffusion routes (/api/v1/diffusion/…).

// maxSeries bounds how many series one curves request may ask for.
const maxSeries = 8

// scope is the countries a statistic is computed over: the world, a UN M.49
// region or subregion, or a list of countries.
type scope struct {
	kind      string // world, region, subregion or countries
	name      string // the region's or subregion's name as the data spells it
	countries []string
}

// diffusionParams are the parsed parameters of one diffusion read.
type diffusionParams struct {
	timeParams
	scope    scope
	series   []diffusion.Series
	minLevel int
	from, to int  // years; zero when not given
	hasFrom  bool // from and to were given explicitly
	hasTo    bool
}

// diffusionRead validates the parameters common to the diffusion routes
// (scope, from/to, as_of and recorded_as_of, plus the named extra ones) and
// returns the snapshot the read answers from.
func diffusionRead(r *readRequest, extra ...string) (*readmodel.Snapshot, diffusionParams, error) {
	var p diffusionParams
	allowed := append([]string{"region", "subregion", "iso3", "from", "to", "as_of"}, extra...)
	if err := onlyParams(r.c, allowed...); err != nil {
		return nil, p, err
	}
	tp, err := parseTimeParams(r.c)
	if err != nil {
		return nil, p, err
	}
	p.timeParams = tp
	sn, err := r.snapshot(tp.recordedAsOf)
	if err != nil {
		return nil, p, err
	}
	if sn.Recorded != nil && !sn.RecordedAnything() {
		return nil, p, badParam("recorded_as_of", "the tracker had recorded no assessment by that date")
	}
	if p.scope, err = parseScope(r.c, sn); err != nil {
		return nil, p, err
	}
	if err := p.parseYears(r.c); err != nil {
		return nil, p, err
	}
	return sn, p, nil
}

// parseScope reads region, subregion or iso3 (at most one of them).
func parseScope(c *gin.Context, sn *readmodel.Snapshot) (scope, error) {
	var given []string
	for _, k := range []string{"region", "subregion", "iso3"} {
		if _, ok := c.GetQuery(k); ok {
			given = append(given, k)
		}
	}
	if len(given) > 1 {
		return scope{}, badParam(given[1], "give only one of region, subregion and iso3")
	}
	regions, subregions := sn.Regions()
	switch {
	case len(given) == 0:
		return scope{kind: "world", countries: isoCodes(sn.Countries())}, nil
	case given[0] == "iso3":
		list, err := parseCountryList(c.Query("iso3"), sn)
		return scope{kind: "countries", countries: list}, err
	case given[0] == "region":
		return regionScope(sn, "region", c.Query("region"), regions, readmodel.CountryFilter{Region: c.Query("region")})
	default:
		return regionScope(sn, "subregion", c.Query("subregion"), subregions, readmodel.CountryFilter{Subregion: c.Query("subregion")})
	}
}

func regionScope(sn *readmodel.Snapshot, field, value string, known []string, f readmodel.CountryFilter) (scope, error) {
	i := slices.IndexFunc(known, func(k string) bool { return strings.EqualFold(k, strings.TrimSpace(value)) })
	if i < 0 {
		return scope{}, badParam(field, fmt.Sprintf("%q is not a UN M.49 %s of the tracker's countries; one of: %s",
			truncate(value), field, strings.Join(known, ", ")))
	}
	return scope{kind: field, name: known[i], countries: isoCodes(sn.FindCountries(f))}, nil
}

// parseCountryList reads a comma-separated list of distinct known countries.
func parseCountryList(raw string, sn *readmodel.Snapshot) ([]string, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, badParam("iso3", "list one or more country codes, e.g. iso3=KEN,UGA,TZA")
	}
	var out []string
	for _, part := range strings.Split(raw, ",") {
		iso, err := parseISO3("iso3", strings.TrimSpace(part))
		if err != nil {
			return nil, err
		}
		if _, known := sn.Country(iso); !known {
			return nil, badParam("iso3", iso+" is not a known country")
		}
		if slices.Contains(out, iso) {
			return nil, badParam("iso3", iso+" is listed twice")
		}
		out = append(out, iso)
	}
	return out, nil
}

// parseYears reads from and to: years from 1900 to the year of as_of, from ≤ to.
func (p *diffusionParams) parseYears(c *gin.Context) error {
	last := p.asOf.Year()
	for _, f := range []struct {
		name string
		dst  *int
		has  *bool
	}{{"from", &p.from, &p.hasFrom}, {"to", &p.to, &p.hasTo}} {
		s, ok := c.GetQuery(f.name)
		if !ok {
			continue
		}
		y, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || y < earliestDate.Year() {
			return badParam(f.name, fmt.Sprintf("must be a year from %d to %d", earliestDate.Year(), last))
		}
		if y > last {
			return badParam(f.name, fmt.Sprintf("%d is after the year of as_of (%d); the statistics answer for as_of", y, last))
		}
		*f.dst, *f.has = y, true
	}
	if p.hasFrom && p.hasTo && p.from > p.to {
		return badParam("from", fmt.Sprintf("%d is after to (%d)", p.from, p.to))
	}
	if !p.hasTo {
		p.to = last
	}
	return nil
}

// years is the range of years a yearly statistic covers: from (or first,
// the route's default) to to.
func (p *diffusionParams) years(first int) (int, int) {
	from := first
	if p.hasFrom {
		from = p.from
	}
	return min(from, p.to), p.to
}

// parseMinLevel reads min_level: the adoption threshold, 1 to 4 (default 2).
func parseMinLevel(c *gin.Context) (int, error) {
	s, ok := c.GetQuery("min_level")
	if !ok {
		return 2, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 4 {
		return 0, badParam("min_level", "must be an integer from 1 to 4 (the level at which a capability counts as adopted)")
	}
	return n, nil
}

// parseSeries reads capability and pillar (comma-separated lists, up to max
// series in all) and min_capabilities, the k of pillars. required says
// whether at least one series must be given.
func parseSeries(c *gin.Context, sn *readmodel.Snapshot, max int, required bool) ([]diffusion.Series, error) {
	k := diffusion.DefaultPillarK
	ks, hasK := c.GetQuery("min_capabilities")
	if hasK {
		n, err := strconv.Atoi(strings.TrimSpace(ks))
		if err != nil || n < 1 {
			return nil, badParam("min_capabilities", "must be a positive integer: how many of a pillar's capabilities make the pillar adopted")
		}
		k = n
	}
	var out []diffusion.Series
	for _, name := range []string{"capability", "pillar"} {
		raw, ok := c.GetQuery(name)
		if !ok {
			continue
		}
		for _, code := range strings.Split(raw, ",") {
			s, err := seriesOf(name, strings.TrimSpace(code), k, sn)
			if err != nil {
				return nil, err
			}
			if slices.ContainsFunc(out, func(o diffusion.Series) bool { return o.Kind == s.Kind && o.Code == s.Code }) {
				return nil, badParam(name, code+" is listed twice")
			}
			out = append(out, s)
		}
	}
	switch {
	case len(out) > max && max == 1:
		return nil, badParam("capability", "give one capability or one pillar, not both or a list")
	case len(out) > max:
		return nil, badParam("capability", fmt.Sprintf("at most %d series (capabilities and pillars together); got %d", max, len(out)))
	case len(out) == 0 && required:
		return nil, badParam("capability", "give a capability (e.g. capability=sanctions.blacklist) or a pillar (pillar=sanctions)")
	case hasK && !slices.ContainsFunc(out, func(s diffusion.Series) bool { return s.Kind == "pillar" }):
		return nil, badParam("min_capabilities", "applies to pillars only; give pillar=…")
	}
	return out, nil
}

func seriesOf(kind, code string, k int, sn *readmodel.Snapshot) (diffusion.Series, error) {
	if kind == "capability" {
		code, err := parseCapability("capability", code, sn)
		return diffusion.CapabilitySeries(code), err
	}
	s, ok := sn.PillarSeries(code, k)
	if !ok {
		return s, badParam("pillar", fmt.Sprintf("%q is not a pillar of taxonomy %s; see /api/v1/pillars", truncate(code), sn.Taxonomy.Version))
	}
	if k > len(s.Capabilities) {
		return s, badParam("min_capabilities", fmt.Sprintf("pillar %s has %d capabilities; min_capabilities must be from 1 to %d",
			code, len(s.Capabilities), len(s.Capabilities)))
	}
	return s, nil
}

// yearDates are the dates of a yearly series: 31 December, and as_of itself
// in its own year.
func (p *diffusionParams) yearDates(from, to int) []time.Time {
	return diffusion.YearEnds(from, to, p.asOf)
}
