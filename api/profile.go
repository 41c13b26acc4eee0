package api

import (
	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/resemblance"
	"github.com/scs-diffusion/tracker/store"
)

type pillarOut struct {
	Code           string   `json:"code"`
	Name           string   `json:"name"`
	Score          *float64 `json:"score"`
	Coverage       float64  `json:"coverage"`
	ReferenceScore *float64 `json:"reference_score,omitempty"`
}

type capabilityOut struct {
	Code           string      `json:"code"`
	Name           string      `json:"name"`
	Pillar         string      `json:"pillar"`
	Level          *int        `json:"level"`
	ReferenceLevel int         `json:"reference_level"`
	Confidence     *string     `json:"confidence"`
	Summary        *string     `json:"summary"`
	Judgement      bool        `json:"level_judgement"`
	FromNote       string      `json:"from_note"`
	ValidFrom      *string     `json:"valid_from"`
	FromPrecision  *string     `json:"valid_from_precision"`
	ValidTo        *string     `json:"valid_to"`
	AssessmentID   *int64      `json:"assessment_id"`
	Provenance     *string     `json:"provenance"`
	ReportID       *int64      `json:"report_id"`
	Organisation   *string     `json:"organisation"`
	Sources        []sourceOut `json:"sources"`
}

type eventOut struct {
	ID            int64       `json:"id"`
	Date          string      `json:"date"`
	DatePrecision string      `json:"date_precision"`
	Kind          string      `json:"kind"`
	Title         string      `json:"title"`
	Description   string      `json:"description"`
	Ends          *string     `json:"ends"`
	Countries     []string    `json:"countries"`
	Sources       []sourceOut `json:"sources"`
}

type noteOut struct {
	Text    string      `json:"text"`
	Sources []sourceOut `json:"sources"`
}

type profile struct {
	countryOut
	DatasetVersion   string          `json:"dataset_version"`
	AsOf             string          `json:"as_of"`
	Reference        string          `json:"reference"`
	Assessed         bool            `json:"assessed"`
	Index            *float64        `json:"index"`
	Band             string          `json:"band"`
	Coverage         float64         `json:"coverage"`
	Pillars          []pillarOut     `json:"pillars"`
	Capabilities     []capabilityOut `json:"capabilities"`
	ConstraintEvents []eventOut      `json:"constraint_events"`
	Notes            []noteOut       `json:"notes"`
}

// getCountry serves GET /api/v1/countries/{iso3}: the country's geography,
// index, pillar scores, every capability with its evidence, constraint
// events and notes, at as_of.
func (h *handler) getCountry(c *gin.Context) error {
	return h.read(c, "public, max-age=60", func(r *readRequest) (build, error) {
		iso3, err := parseISO3("iso3", c.Param("iso3"))
		if err != nil {
			return nil, err
		}
		sn, p, err := indexRead(r)
		if err != nil {
			return nil, err
		}
		country, known := sn.Country(iso3)
		if !known {
			return nil, notFound("no country with code " + iso3)
		}
		return r.jsonBuild(sn, jsonType, func() (any, error) {
			sc, err := sn.ScoreOnly(p.asOf, p.reference, p.weights, iso3)
			if err != nil {
				return nil, err
			}
			return profileOf(sn, sc, country, p), nil
		}), nil
	})
}

func profileOf(sn *readmodel.Snapshot, sc *readmodel.Scoring, country *store.Country, p indexParams) profile {
	out := profile{countryOut: countryOf(sn, country), DatasetVersion: sn.Revision.Version, AsOf: p.asOf.Format("2006-01-02"),
		Reference: p.reference}
	r := sc.Result(country.ISO3)
	out.Assessed, out.Index, out.Band, out.Coverage = r.Assessed, indexOf(r), r.Band, round(r.Coverage, 3)
	out.Pillars = pillarsOut(sn, r.Pillars, sc.RefResult.Pillars, r.Assessed)
	out.Capabilities = capabilitiesOut(sn, sc, country.ISO3)
	out.ConstraintEvents = []eventOut{}
	for _, e := range sn.Events(country.ISO3) {
		out.ConstraintEvents = append(out.ConstraintEvents, eventOut{e.ID, e.Date.String(), e.DatePrecision, e.Kind, e.Title,
			e.Description, e.Ends, e.Countries, sourcesOf(e.Sources)})
	}
	out.Notes = []noteOut{}
	for _, n := range sn.Notes(country.ISO3) {
		out.Notes = append(out.Notes, noteOut{n.Text, sourcesOf(n.Sources)})
	}
	return out
}

// pillarsOut pairs a country's pillar scores with the reference's.
func pillarsOut(sn *readmodel.Snapshot, scores, ref []resemblance.PillarScore, assessed bool) []pillarOut {
	out := make([]pillarOut, 0, len(sn.Taxonomy.Pillars))
	for i, p := range sn.Taxonomy.Pillars {
		po := pillarOut{Code: p.Code, Name: p.Name}
		if i < len(scores) {
			if scores[i].Counted && assessed {
				v := round(scores[i].Score, 2)
				po.Score = &v
			}
			po.Coverage = round(scores[i].Coverage, 3)
		}
		if i < len(ref) && ref[i].Counted {
			v := round(ref[i].Score, 2)
			po.ReferenceScore = &v
		}
		out = append(out, po)
	}
	return out
}

// capabilitiesOut lists every capability with the assessment valid at as_of, if any.
func capabilitiesOut(sn *readmodel.Snapshot, sc *readmodel.Scoring, iso3 string) []capabilityOut {
	valid := sn.Valid(iso3, sc.AsOf)
	out := make([]capabilityOut, 0, len(sn.Codes()))
	for i, code := range sn.Codes() {
		cp, _ := sn.Capability(code)
		co := capabilityOut{Code: code, Name: cp.Name, Pillar: cp.Pillar, ReferenceLevel: max(int(sc.RefLevels[i]), 0), Sources: []sourceOut{}}
		if i < len(valid) && valid[i] != nil {
			a := valid[i]
			from := a.ValidFrom.String()
			co.Level, co.Confidence, co.Summary = &a.Level, &a.Confidence, &a.Summary
			co.ValidFrom, co.FromPrecision, co.ValidTo, co.AssessmentID = &from, &a.FromPrecision, optDate(a.ValidTo), &a.ID
			co.Sources, co.Judgement, co.FromNote = sourcesOf(a.Sources), a.LevelJudgement, a.FromNote
			co.Provenance, co.ReportID, co.Organisation = &a.Provenance, a.ReportID, a.Organisation
		}
		out = append(out, co)
	}
	return out
}
