package api

import (
	"errors"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/store"
)

type historyResponse struct {
	ISO3           string             `json:"iso3"`
	Name           string             `json:"name"`
	DatasetVersion string             `json:"dataset_version"`
	Assessments    []store.Assessment `json:"assessments"`
}

// getHistory serves GET /api/v1/countries/{iso3}/history: every assessment
// row recorded for the country, superseded and retracted ones included.
func (h *handler) getHistory(c *gin.Context) error {
	if err := onlyParams(c, "recorded_as_of"); err != nil {
		return err
	}
	iso3, err := parseISO3("iso3", c.Param("iso3"))
	if err != nil {
		return err
	}
	tp, err := parseTimeParams(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	sn, err := h.snapshot(ctx, tp.recordedAsOf)
	if err != nil {
		return err
	}
	country, ok := sn.country[iso3]
	if !ok {
		return notFound("no country with code " + iso3)
	}
	return h.serveJSON(c, sn, "public, max-age=60", func() (any, error) {
		rows, err := h.store.History(ctx, iso3, tp.recordedAsOf)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if rows == nil {
			rows = []store.Assessment{}
		}
		return historyResponse{ISO3: iso3, Name: country.Name, DatasetVersion: sn.revision.Version, Assessments: rows}, nil
	})
}
