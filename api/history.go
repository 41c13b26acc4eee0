package api

import (
	"github.com/gin-gonic/gin"
)

type historyResponse struct {
	ISO3           string          `json:"iso3"`
	Name           string          `json:"name"`
	DatasetVersion string          `json:"dataset_version"`
	Assessments    []assessmentOut `json:"assessments"`
}

// getHistory serves GET /api/v1/countries/{iso3}/history: every assessment
// row recorded for the country, superseded and retracted ones included.
func (h *handler) getHistory(c *gin.Context) error {
	return h.read(c, "public, max-age=60", func(r *readRequest) (build, error) {
		if err := onlyParams(c, "recorded_as_of"); err != nil {
			return nil, err
		}
		iso3, err := parseISO3("iso3", c.Param("iso3"))
		if err != nil {
			return nil, err
		}
		tp, err := parseTimeParams(c)
		if err != nil {
			return nil, err
		}
		sn, err := r.snapshot(tp.recordedAsOf)
		if err != nil {
			return nil, err
		}
		country, ok := sn.Country(iso3)
		if !ok {
			return nil, notFound("no country with code " + iso3)
		}
		return r.jsonBuild(sn, jsonType, func() (any, error) {
			return historyResponse{ISO3: iso3, Name: country.Name, DatasetVersion: sn.Revision.Version,
				Assessments: historyOf(sn.History(iso3))}, nil
		}), nil
	})
}
