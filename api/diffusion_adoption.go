package api

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/scs-diffusion/tracker/diffusion"
	"github.com/scs-diffusion/tracker/readmodel"
)

// GET /api/v1/diffusion/curves and /neighbours (and their .csv).

type curvePoint struct {
	Year           int      `json:"year"`
	Date           string   `json:"date"`
	Assessed       int      `json:"assessed"`
	Adopted        int      `json:"adopted"`
	AtOrAbove      int      `json:"at_or_above"`
	Share          *float64 `json:"share"`
	ShareAtOrAbove *float64 `json:"share_at_or_above"`
}

type curveSeries struct {
	seriesOut
	Points []curvePoint `json:"points"`
}

type curvesResponse struct {
	diffusionMeta
	MinLevel int           `json:"min_level"`
	From     int           `json:"from"`
	To       int           `json:"to"`
	Series   []curveSeries `json:"series"`
}

// adoptionRead parses what curves and neighbours share: the series, the
// threshold and the common parameters.
func adoptionRead(r *readRequest, maxSeries int) (*readmodel.Snapshot, diffusionParams, error) {
	sn, p, err := diffusionRead(r, "capability", "pillar", "min_level", "min_capabilities", "recorded_as_of")
	if err != nil {
		return nil, p, err
	}
	if p.minLevel, err = parseMinLevel(r.c); err != nil {
		return nil, p, err
	}
	p.series, err = parseSeries(r.c, sn, maxSeries, true)
	return sn, p, err
}

func curvesRead(r *readRequest) (*readmodel.Snapshot, diffusionAnswer, error) {
	sn, p, err := adoptionRead(r, maxSeries)
	if err != nil {
		return nil, diffusionAnswer{}, err
	}
	return sn, diffusionAnswer{
		compute:  func() any { return curvesOf(sn, p) },
		csv:      func(v any) ([]string, [][]string, error) { return curvesCSV(sn, v.(curvesResponse)) },
		filename: "scs-tracker-adoption-curves-" + p.asOf.Format(time.DateOnly) + ".csv",
	}, nil
}

// curvesOf computes the adoption curves. Without from, they start in the
// year of the first adoption in the scope (or at to, if none).
func curvesOf(sn *readmodel.Snapshot, p diffusionParams) curvesResponse {
	spans := sn.DiffusionSpans(p.asOf)
	first := p.to
	if d, ok := diffusion.FirstAdoption(spans, p.series, p.minLevel, p.scope.countries); ok {
		first = d.Year()
	}
	from, to := p.years(first)
	dates := p.yearDates(from, to)
	out := curvesResponse{diffusionMeta: metaOf(sn, p), MinLevel: p.minLevel, From: from, To: to, Series: []curveSeries{}}
	for _, s := range p.series {
		cs := curveSeries{seriesOut: seriesOutOf(sn, s), Points: []curvePoint{}}
		for _, pt := range diffusion.Curve(spans, s, p.minLevel, p.scope.countries, dates) {
			cs.Points = append(cs.Points, curvePoint{Year: pt.Date.Year(), Date: pt.Date.Format(time.DateOnly), Assessed: pt.Assessed,
				Adopted: pt.Adopted, AtOrAbove: pt.AtOrAbove, Share: share(pt.Share()), ShareAtOrAbove: share(pt.ShareAtOrAbove())})
		}
		out.Series = append(out.Series, cs)
	}
	return out
}

func curvesCSV(sn *readmodel.Snapshot, resp curvesResponse) ([]string, [][]string, error) {
	rows := [][]string{{"series_kind", "series_code", "min_capabilities", "year", "date", "assessed", "adopted", "at_or_above", "share", "share_at_or_above"}}
	for _, s := range resp.Series {
		for _, pt := range s.Points {
			rows = append(rows, []string{s.Kind, s.Code, strconv.Itoa(s.MinCapabilities), strconv.Itoa(pt.Year), pt.Date,
				strconv.Itoa(pt.Assessed), strconv.Itoa(pt.Adopted), strconv.Itoa(pt.AtOrAbove), fmtScore(pt.Share), fmtScore(pt.ShareAtOrAbove)})
		}
	}
	return diffusionComments(sn, resp.diffusionMeta, "adoption curves",
		"countries of the scope assessed by each date, those that had adopted (first level >= min_level; pillars: min_capabilities of their capabilities) and those at or above min_level on the date",
		fmt.Sprintf("min_level: %d; years: %d-%d", resp.MinLevel, resp.From, resp.To)), rows, nil
}

// diffusionComments are the # lines every diffusion CSV starts with.
func diffusionComments(sn *readmodel.Snapshot, m diffusionMeta, what, description, params string) []string {
	asOf, _ := time.Parse(time.DateOnly, m.AsOf)
	recorded := "now"
	if m.RecordedAsOf != nil {
		recorded = *m.RecordedAsOf
	}
	scope := m.Scope.Kind
	switch {
	case m.Scope.Name != nil:
		scope += " " + *m.Scope.Name
	case m.Scope.ISO3 != nil:
		scope += " " + strings.Join(m.Scope.ISO3, ",")
	}
	return []string{
		"SCS Diffusion Tracker: " + what + ": " + description,
		fmt.Sprintf("dataset_version: %s; revision: %d; as_of: %s; recorded_as_of: %s; scope: %s (%d countries); %s",
			sn.Revision.Version, sn.Revision.Revision, m.AsOf, recorded, scope, m.Scope.Countries, params),
		"Cite as: " + citation(sn, asOf, what),
		"Methodology: /methodology (section 11, diffusion analytics); licence: see data/README.md (CC BY 4.0 for the evidence dataset)",
	}
}

type exposureCountry struct {
	ISO3        string   `json:"iso3"`
	Name        string   `json:"name"`
	Adopted     string   `json:"adopted"`
	Neighbours  []string `json:"neighbours"`
	NotAssessed []string `json:"neighbours_not_assessed"`
	Before      []string `json:"adopted_before"`
	Exposure    *float64 `json:"exposure"`
	Baseline    float64  `json:"baseline"`
}

type exposureSummary struct {
	Adopters     int      `json:"adopters"`
	Counted      int      `json:"counted"`
	Population   int      `json:"population"`
	MeanExposure *float64 `json:"mean_exposure"`
	MeanBaseline *float64 `json:"mean_baseline"`
	Difference   *float64 `json:"difference"`
}

type exposureResponse struct {
	diffusionMeta
	MinLevel  int               `json:"min_level"`
	From      *int              `json:"from"`
	To        *int              `json:"to"`
	Series    seriesOut         `json:"series"`
	Summary   exposureSummary   `json:"summary"`
	Countries []exposureCountry `json:"countries"`
}

func exposureRead(r *readRequest) (*readmodel.Snapshot, diffusionAnswer, error) {
	sn, p, err := adoptionRead(r, 1)
	if err != nil {
		return nil, diffusionAnswer{}, err
	}
	return sn, diffusionAnswer{
		compute:  func() any { return exposureOf(sn, p) },
		csv:      func(v any) ([]string, [][]string, error) { return exposureCSV(sn, v.(exposureResponse)) },
		filename: "scs-tracker-neighbour-exposure-" + p.asOf.Format(time.DateOnly) + ".csv",
	}, nil
}

// exposureOf computes neighbour exposure. Adoptions and assessments are
// taken over the whole world, since neighbours may lie outside the scope.
func exposureOf(sn *readmodel.Snapshot, p diffusionParams) exposureResponse {
	spans := sn.DiffusionSpans(p.asOf)
	in := diffusion.ExposureInput{Adopted: diffusion.Adoptions(spans, p.series[0], p.minLevel), Assessed: map[string]bool{},
		Neighbours: map[string][]string{}, Scope: p.scope.countries}
	for iso := range spans {
		in.Assessed[iso] = true
	}
	for _, c := range sn.Countries() {
		in.Neighbours[c.ISO3] = c.Neighbours
	}
	out := exposureResponse{diffusionMeta: metaOf(sn, p), MinLevel: p.minLevel, Series: seriesOutOf(sn, p.series[0]), Countries: []exposureCountry{}}
	if p.hasFrom {
		in.From = time.Date(p.from, 1, 1, 0, 0, 0, 0, time.UTC)
		out.From = &p.from
	}
	if p.hasTo {
		in.To = p.yearDates(p.to, p.to)[0]
		out.To = &p.to
	}
	sum := diffusion.NeighbourExposure(in)
	out.Summary = exposureSummary{Adopters: len(sum.Countries), Counted: sum.Counted, Population: sum.Population}
	if sum.Counted > 0 {
		out.Summary.MeanExposure = share(sum.MeanShare, true)
		out.Summary.MeanBaseline = share(sum.MeanBaseline, true)
		out.Summary.Difference = share(sum.MeanShare-sum.MeanBaseline, true)
	}
	for _, e := range sum.Countries {
		out.Countries = append(out.Countries, exposureCountry{ISO3: e.Country, Name: countryName(sn, e.Country),
			Adopted: e.Adopted.Format(time.DateOnly), Neighbours: orEmpty(e.Neighbours), NotAssessed: orEmpty(e.NotAssessed),
			Before: orEmpty(e.Before), Exposure: share(e.Share, e.HasShare), Baseline: round(e.Baseline, 4)})
	}
	return out
}

func orEmpty(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

func exposureCSV(sn *readmodel.Snapshot, resp exposureResponse) ([]string, [][]string, error) {
	rows := [][]string{{"iso3", "name", "adopted", "neighbours_assessed", "adopted_before", "exposure", "baseline", "neighbours_not_assessed"}}
	for _, c := range resp.Countries {
		rows = append(rows, []string{c.ISO3, c.Name, c.Adopted, strings.Join(c.Neighbours, " "), strings.Join(c.Before, " "),
			fmtScore(c.Exposure), strconv.FormatFloat(c.Baseline, 'f', -1, 64), strings.Join(c.NotAssessed, " ")})
	}
	s := resp.Summary
	years := "all"
	if resp.From != nil || resp.To != nil {
		years = fmt.Sprintf("%s-%s", optYear(resp.From), optYear(resp.To))
	}
	params := fmt.Sprintf("series: %s %s (min_capabilities %d); min_level: %d; adoption years: %s; adopters: %d, counted: %d; mean exposure %s against baseline %s",
		resp.Series.Kind, resp.Series.Code, resp.Series.MinCapabilities, resp.MinLevel, years, s.Adopters, s.Counted,
		orNA(s.MeanExposure), orNA(s.MeanBaseline))
	return diffusionComments(sn, resp.diffusionMeta, "neighbour exposure",
		"for each adopter, the share of its assessed land neighbours that had adopted before it, and the mean exposure of every assessed country of the scope on the same date (baseline)",
		params), rows, nil
}

func optYear(y *int) string {
	if y == nil {
		return ""
	}
	return strconv.Itoa(*y)
}

func orNA(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return fmtScore(v)
}
