package api

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/resemblance"
)

// appendIndexJSON writes the /api/v1/index body straight from the scoring,
// in the shape of indexResponse. It is the read path's most frequent build
// (every time-slider step and weights change of the map): written out by
// hand it needs no intermediate maps and no reflection, about a quarter of
// what encoding/json takes for the same bytes. TestIndexJSONMatchesTheSchemaType
// checks it against json.Marshal of indexResponseOf.
func appendIndexJSON(b []byte, sn *readmodel.Snapshot, sc *readmodel.Scoring, p indexParams) []byte {
	from, to := sn.TimeRange(p.reference, today())
	b = append(b, `{"dataset_version":`...)
	b = appendJSONString(b, sn.Revision.Version)
	b = append(b, `,"revision":`...)
	b = strconv.AppendInt(b, sn.Revision.Revision, 10)
	b = append(b, `,"as_of":`...)
	b = appendJSONString(b, p.asOf.Format(time.DateOnly))
	b = append(b, `,"reference":`...)
	b = appendJSONString(b, p.reference)
	b = append(b, `,"weights":`...)
	b = appendJSONString(b, p.weights.String())
	b = append(b, `,"time_range":{"min":`...)
	b = appendJSONString(b, from.Format(time.DateOnly))
	b = append(b, `,"max":`...)
	b = appendJSONString(b, to.Format(time.DateOnly))
	b = append(b, `},"bands":[`...)
	for i, band := range resemblance.Bands {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"code":`...)
		b = appendJSONString(b, band.Code)
		b = append(b, `,"label":`...)
		b = appendJSONString(b, band.Label)
		b = append(b, `,"min":`...)
		b = appendJSONFloat(b, band.Min)
		b = append(b, `,"max":`...)
		b = appendJSONFloat(b, band.Max)
		b = append(b, '}')
	}
	b = append(b, `],"countries":[`...)
	codes := sn.Codes()
	for i, c := range sn.Countries() {
		if i > 0 {
			b = append(b, ',')
		}
		r := sc.Result(c.ISO3)
		b = append(b, `{"iso3":`...)
		b = appendJSONString(b, c.ISO3)
		b = append(b, `,"name":`...)
		b = appendJSONString(b, c.Name)
		b = append(b, `,"region":`...)
		b = appendJSONString(b, c.Region)
		b = append(b, `,"subregion":`...)
		b = appendJSONString(b, c.Subregion)
		b = append(b, `,"assessed":`...)
		b = strconv.AppendBool(b, r.Assessed)
		b = append(b, `,"index":`...)
		b = appendJSONScore(b, indexOf(r))
		b = append(b, `,"band":`...)
		b = appendJSONString(b, r.Band)
		b = append(b, `,"coverage":`...)
		b = appendJSONFloat(b, round(r.Coverage, 3))
		b = append(b, `,"pillars":{`...)
		for j, ps := range r.Pillars {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, ps.Code)
			b = append(b, ':')
			if ps.Counted && r.Assessed {
				b = appendJSONFloat(b, round(ps.Score, 2))
			} else {
				b = append(b, "null"...)
			}
		}
		b = append(b, `},"levels":{`...)
		first := true
		for j, l := range sc.Levels[c.ISO3] {
			if l < 0 {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendJSONString(b, codes[j])
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(l), 10)
		}
		b = append(b, "}}"...)
	}
	return append(b, "]}"...)
}

// appendJSONString appends s as a JSON string; strings with anything to
// escape go through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c >= utf8.RuneSelf {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendJSONFloat formats a score as encoding/json does for such numbers.
func appendJSONFloat(b []byte, f float64) []byte { return strconv.AppendFloat(b, f, 'f', -1, 64) }

func appendJSONScore(b []byte, v *float64) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	return appendJSONFloat(b, *v)
}
