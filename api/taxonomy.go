package api

import (
	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/store"
)

type pillarRow struct {
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	Description  string   `json:"description"`
	Capabilities []string `json:"capabilities"`
}

// listPillars serves GET /api/v1/pillars.
func (h *handler) listPillars(c *gin.Context) error {
	if err := onlyParams(c); err != nil {
		return err
	}
	sn, err := h.snapshot(c.Request.Context(), nil)
	if err != nil {
		return err
	}
	return h.serveJSON(c, sn, "public, max-age=3600", func() (any, error) {
		return sn.pillarsResponse(), nil
	})
}

func (sn *snapshot) pillarsResponse() gin.H {
	out := make([]pillarRow, 0, len(sn.tax.Pillars))
	for _, p := range sn.tax.Pillars {
		row := pillarRow{Code: p.Code, Name: p.Name, Description: p.Description, Capabilities: []string{}}
		for _, cp := range p.Capabilities {
			row.Capabilities = append(row.Capabilities, cp.Code)
		}
		out = append(out, row)
	}
	return gin.H{"dataset_version": sn.revision.Version, "taxonomy_version": sn.tax.Version, "pillars": out}
}

// listCapabilities serves GET /api/v1/capabilities, with the 0–4 scale.
func (h *handler) listCapabilities(c *gin.Context) error {
	if err := onlyParams(c); err != nil {
		return err
	}
	sn, err := h.snapshot(c.Request.Context(), nil)
	if err != nil {
		return err
	}
	return h.serveJSON(c, sn, "public, max-age=3600", func() (any, error) {
		caps := make([]store.Capability, 0, len(sn.codes))
		for _, code := range sn.codes {
			caps = append(caps, sn.caps[code])
		}
		return gin.H{"dataset_version": sn.revision.Version, "taxonomy_version": sn.tax.Version,
			"scale": sn.tax.Scale, "capabilities": caps}, nil
	})
}
