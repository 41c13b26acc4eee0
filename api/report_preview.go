package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/resemblance"
)

// scoreOut is one country's resemblance index and pillar scores.
type scoreOut struct {
	Assessed bool        `json:"assessed"`
	Index    *float64    `json:"index"`
	Band     string      `json:"band"`
	Coverage float64     `json:"coverage"`
	Pillars  []pillarOut `json:"pillars"`
}

type previewOut struct {
	ReportID       int64     `json:"report_id"`
	Country        string    `json:"country"`
	DatasetVersion string    `json:"dataset_version"`
	AsOf           string    `json:"as_of"`
	Reference      string    `json:"reference"`
	Current        *scoreOut `json:"current"`
	IfAccepted     *scoreOut `json:"if_accepted"`
	// Unavailable says why there are no scores (e.g. the reference has no assessment today).
	Unavailable *string `json:"unavailable"`
}

// getReportPreview serves GET /api/v1/reports/{id}/preview: the country's
// index and pillar scores today (reference CHN, default weights), as
// published and as they would be if the report were accepted, computed by
// the read model with the same scoring code as /index. Whoever may read the
// report may read its preview. It is private and per report, so it is not
// kept in the shared response cache.
func (h *handler) getReportPreview(c *gin.Context) error {
	if err := onlyParams(c); err != nil {
		return err
	}
	_, r, err := h.readableReport(c)
	if err != nil {
		return err
	}
	sn, err := h.model.Snapshot(c.Request.Context(), nil)
	if err != nil {
		return err
	}
	proposed := make([]readmodel.Proposed, 0, len(r.Content.Assessments))
	for _, x := range r.Content.Assessments {
		from, err := time.Parse(time.DateOnly, x.ValidFrom)
		if err != nil {
			continue // a draft may hold what validation refuses on submission
		}
		p := readmodel.Proposed{Capability: x.Capability, Level: int8(x.Level), From: from}
		if x.ValidTo != nil && *x.ValidTo != "" {
			if to, err := time.Parse(time.DateOnly, *x.ValidTo); err == nil {
				p.To = &to
			}
		}
		proposed = append(proposed, p)
	}
	day := today()
	out := previewOut{ReportID: r.ID, Country: r.Country, DatasetVersion: sn.Revision.Version,
		AsOf: day.Format(time.DateOnly), Reference: "CHN"}
	c.Header("Cache-Control", "private, no-store")
	before, after, err := sn.Preview(day, "CHN", resemblance.Weights{}, r.Country, proposed)
	var invalid *readmodel.InvalidError
	if errors.As(err, &invalid) {
		// Nothing can be scored today (no reference data): say so, not a 400 about a parameter nobody sent.
		out.Unavailable = &invalid.Reason
		c.JSON(http.StatusOK, out)
		return nil
	} else if err != nil {
		return err
	}
	sc, err := sn.ScoreOnly(day, "CHN", resemblance.Weights{}, r.Country)
	if err != nil {
		return err
	}
	score := func(res resemblance.Result) *scoreOut {
		return &scoreOut{Assessed: res.Assessed, Index: indexOf(res), Band: res.Band, Coverage: round(res.Coverage, 3),
			Pillars: pillarsOut(sn, res.Pillars, sc.RefResult.Pillars, res.Assessed)}
	}
	out.Current, out.IfAccepted = score(before), score(after)
	c.JSON(http.StatusOK, out)
	return nil
}
