package api

import (
	"errors"
	"time"

	"github.com/gin-gonic/gin"

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
	Code           string         `json:"code"`
	Name           string         `json:"name"`
	Pillar         string         `json:"pillar"`
	Level          *int           `json:"level"`
	ReferenceLevel int            `json:"reference_level"`
	Confidence     *string        `json:"confidence"`
	Summary        *string        `json:"summary"`
	ValidFrom      *store.Date    `json:"valid_from"`
	FromPrecision  *string        `json:"valid_from_precision"`
	ValidTo        *store.Date    `json:"valid_to"`
	AssessmentID   *int64         `json:"assessment_id"`
	Sources        []store.Source `json:"sources"`
}

type eventOut struct {
	ID            int64          `json:"id"`
	Date          store.Date     `json:"date"`
	DatePrecision string         `json:"date_precision"`
	Kind          string         `json:"kind"`
	Title         string         `json:"title"`
	Description   string         `json:"description"`
	Ends          *string        `json:"ends"`
	Countries     []string       `json:"countries"`
	Sources       []store.Source `json:"sources"`
}

type profile struct {
	store.Country
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
	Notes            []store.Note    `json:"notes"`
}

// getCountry serves GET /api/v1/countries/{iso3}: the country's geography,
// index, pillar scores, every capability with its evidence, constraint
// events and notes, at as_of.
func (h *handler) getCountry(c *gin.Context) error {
	sn, p, err := h.indexRead(c)
	if err != nil {
		return err
	}
	iso3, err := parseISO3("iso3", c.Param("iso3"))
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	if _, known := sn.country[iso3]; !known {
		return notFound("no country with code " + iso3)
	}
	sc, err := sn.score(p.asOf, p.reference, p.weights)
	if err != nil {
		return err
	}
	return h.serveJSON(c, sn, "public, max-age=60", func() (any, error) {
		country, err := h.store.Country(ctx, iso3)
		if errors.Is(err, store.ErrNotFound) {
			return nil, notFound("no country with code " + iso3)
		}
		if err != nil {
			return nil, err
		}
		out := profile{Country: country, DatasetVersion: sn.revision.Version, AsOf: p.asOf.Format(time.DateOnly), Reference: p.reference}
		r := sc.result(iso3)
		out.Assessed, out.Index, out.Band, out.Coverage = r.Assessed, indexOf(r), r.Band, round(r.Coverage, 3)
		out.Pillars = sn.pillarsOut(r.Pillars, sc.refResult.Pillars, r.Assessed)
		if out.Capabilities, err = h.capabilitiesOut(c, sn, sc, iso3); err != nil {
			return nil, err
		}
		events, err := h.store.ConstraintEvents(ctx, iso3)
		if err != nil {
			return nil, err
		}
		out.ConstraintEvents = make([]eventOut, 0, len(events))
		for _, e := range events {
			out.ConstraintEvents = append(out.ConstraintEvents, eventOut{e.ID, e.Date, e.DatePrecision, e.Kind, e.Title, e.Description, e.Ends, e.Countries, e.Sources})
		}
		if out.Notes, err = h.store.Notes(ctx, iso3); err != nil {
			return nil, err
		}
		return out, nil
	})
}

// pillarsOut pairs a country's pillar scores with the reference's.
func (sn *snapshot) pillarsOut(scores, ref []resemblance.PillarScore, assessed bool) []pillarOut {
	out := make([]pillarOut, 0, len(sn.tax.Pillars))
	for i, p := range sn.tax.Pillars {
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
func (h *handler) capabilitiesOut(c *gin.Context, sn *snapshot, sc *scoring, iso3 string) ([]capabilityOut, error) {
	var valid []store.Assessment
	for _, a := range sn.assessments {
		if a.Country == iso3 && !a.ValidFrom.After(sc.asOf) && (a.ValidTo == nil || a.ValidTo.After(sc.asOf)) {
			valid = append(valid, a)
		}
	}
	if err := h.store.AttachSources(c.Request.Context(), valid); err != nil {
		return nil, err
	}
	by := map[string]store.Assessment{}
	for _, a := range valid {
		if old, ok := by[a.Capability]; !ok || a.Level > old.Level {
			by[a.Capability] = a
		}
	}
	out := make([]capabilityOut, 0, len(sn.codes))
	for i, code := range sn.codes {
		cp := sn.caps[code]
		co := capabilityOut{Code: code, Name: cp.Name, Pillar: cp.Pillar, ReferenceLevel: max(int(sc.refLevels[i]), 0), Sources: []store.Source{}}
		if a, ok := by[code]; ok {
			a := a
			co.Level, co.Confidence, co.Summary = &a.Level, &a.Confidence, &a.Summary
			co.ValidFrom, co.FromPrecision, co.ValidTo, co.AssessmentID, co.Sources = &a.ValidFrom, &a.FromPrecision, a.ValidTo, &a.ID, a.Sources
		}
		out = append(out, co)
	}
	return out, nil
}
