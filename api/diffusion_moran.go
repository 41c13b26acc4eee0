package api

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/scs-diffusion/tracker/diffusion"
	"github.com/scs-diffusion/tracker/readmodel"
)

// GET /api/v1/diffusion/moran (and .csv): Moran's I per year.

type variableOut struct {
	Kind string  `json:"kind"`
	Code *string `json:"code"`
	Name string  `json:"name"`
}

type moranYear struct {
	Year         int      `json:"year"`
	Date         string   `json:"date"`
	N            int      `json:"n"`
	Defined      bool     `json:"defined"`
	Reason       *string  `json:"reason"`
	I            *float64 `json:"i"`
	Expected     *float64 `json:"expected"`
	PValue       *float64 `json:"p_value"`
	Z            *float64 `json:"z"`
	MeanPermuted *float64 `json:"mean_permuted"`
	SDPermuted   *float64 `json:"sd_permuted"`
	Nearest      []string `json:"nearest"`
}

type moranResponse struct {
	diffusionMeta
	Variable     variableOut `json:"variable"`
	KNearest     int         `json:"k_nearest"`
	Permutations int         `json:"permutations"`
	From         int         `json:"from"`
	To           int         `json:"to"`
	Years        []moranYear `json:"years"`
}

func moranRead(r *readRequest) (*readmodel.Snapshot, diffusionAnswer, error) {
	sn, p, err := diffusionRead(r, "capability", "pillar", "recorded_as_of")
	if err != nil {
		return nil, diffusionAnswer{}, err
	}
	if p.series, err = parseSeries(r.c, sn, 1, false); err != nil {
		return nil, diffusionAnswer{}, err
	}
	return sn, diffusionAnswer{
		compute:  func() any { return moranOf(sn, p) },
		csv:      func(v any) ([]string, [][]string, error) { return moranCSV(sn, v.(moranResponse)) },
		filename: "scs-tracker-morans-i-" + p.asOf.Format(time.DateOnly) + ".csv",
	}, nil
}

// variableOf is what Moran's I is computed of: the index, or the pillar's
// score, or the capability's level asked for.
func variableOf(sn *readmodel.Snapshot, p diffusionParams) (readmodel.Variable, variableOut) {
	if len(p.series) == 0 {
		return readmodel.Variable{Kind: "index"}, variableOut{Kind: "index", Name: "Resemblance index (default weights, reference CHN)"}
	}
	s := seriesOutOf(sn, p.series[0])
	return readmodel.Variable{Kind: s.Kind, Code: s.Code}, variableOut{Kind: s.Kind, Code: &s.Code, Name: s.Name}
}

// moranFirstYear is the default first year: the reference's first
// assessment for the index and pillar scores, the capability's first
// assessment in the scope for a capability's level.
func moranFirstYear(sn *readmodel.Snapshot, p diffusionParams, v readmodel.Variable) int {
	if v.Kind != "capability" {
		from, _ := sn.TimeRange("CHN", p.asOf)
		return from.Year()
	}
	first := p.to
	spans := sn.DiffusionSpans(p.asOf)
	for _, iso := range p.scope.countries {
		for _, s := range spans[iso] {
			if s.Capability == v.Code && s.From.Year() < first {
				first = s.From.Year()
			}
		}
	}
	return first
}

func moranOf(sn *readmodel.Snapshot, p diffusionParams) moranResponse {
	v, vout := variableOf(sn, p)
	from, to := p.years(moranFirstYear(sn, p, v))
	out := moranResponse{diffusionMeta: metaOf(sn, p), Variable: vout, KNearest: diffusion.DefaultNearest,
		Permutations: diffusion.DefaultPermutations, From: from, To: to}
	for _, my := range sn.Moran(p.yearDates(from, to), v, p.scope.countries) {
		out.Years = append(out.Years, moranYearOut(my))
	}
	if out.Years == nil {
		out.Years = []moranYear{}
	}
	return out
}

func moranYearOut(my readmodel.MoranYear) moranYear {
	y := moranYear{Year: my.Date.Year(), Date: my.Date.Format(time.DateOnly), N: my.Result.N, Nearest: []string{}}
	r := my.Result
	switch {
	case my.Reason != "":
		y.Reason = &my.Reason
	case !r.Defined:
		y.Reason = &r.Reason
	default:
		y.Defined = true
		y.I, y.Expected, y.PValue = share(r.I, true), share(r.Expected, true), share(r.P, true)
		y.Z, y.MeanPermuted, y.SDPermuted = share(r.Z, true), share(r.MeanPermuted, true), share(r.SDPermuted, true)
		y.Nearest = orEmpty(my.Nearest)
	}
	return y
}

func moranCSV(sn *readmodel.Snapshot, resp moranResponse) ([]string, [][]string, error) {
	rows := [][]string{{"year", "date", "n", "i", "expected", "p_value", "z", "mean_permuted", "sd_permuted", "nearest", "reason"}}
	for _, y := range resp.Years {
		reason := ""
		if y.Reason != nil {
			reason = *y.Reason
		}
		rows = append(rows, []string{strconv.Itoa(y.Year), y.Date, strconv.Itoa(y.N), fmtScore(y.I), fmtScore(y.Expected), fmtScore(y.PValue),
			fmtScore(y.Z), fmtScore(y.MeanPermuted), fmtScore(y.SDPermuted), strings.Join(y.Nearest, " "), reason})
	}
	params := fmt.Sprintf("variable: %s; weights: row-standardised land contiguity, the %d nearest by label point where a country has no land neighbour among those counted; %d permutations seeded with the year; years: %d-%d",
		resp.Variable.Name, resp.KNearest, resp.Permutations, resp.From, resp.To)
	return diffusionComments(sn, resp.diffusionMeta, "Moran's I",
		"spatial autocorrelation of the variable among the countries of the scope that have a value on each date (not assessed = left out); p_value is the permutation test's pseudo p-value",
		params), rows, nil
}
