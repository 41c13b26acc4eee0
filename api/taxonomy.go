package api

import (
	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/readmodel"
)

type pillarRow struct {
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	Description  string   `json:"description"`
	Capabilities []string `json:"capabilities"`
}

type pillarsResponse struct {
	DatasetVersion  string      `json:"dataset_version"`
	TaxonomyVersion string      `json:"taxonomy_version"`
	Pillars         []pillarRow `json:"pillars"`
}

type scaleLevelOut struct {
	Level    int    `json:"level"`
	Name     string `json:"name"`
	Criteria string `json:"criteria"`
}

type capabilityDef struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	Pillar       string `json:"pillar"`
	Definition   string `json:"definition"`
	Level4Marker string `json:"level4_marker"`
}

type capabilitiesResponse struct {
	DatasetVersion  string          `json:"dataset_version"`
	TaxonomyVersion string          `json:"taxonomy_version"`
	Scale           []scaleLevelOut `json:"scale"`
	Capabilities    []capabilityDef `json:"capabilities"`
}

// listPillars serves GET /api/v1/pillars.
func (h *handler) listPillars(c *gin.Context) error {
	return h.read(c, "public, max-age=3600", func(r *readRequest) (build, error) {
		if err := onlyParams(c); err != nil {
			return nil, err
		}
		sn, err := r.snapshot(nil)
		if err != nil {
			return nil, err
		}
		return r.jsonBuild(sn, jsonType, func() (any, error) { return pillarsOf(sn), nil }), nil
	})
}

func pillarsOf(sn *readmodel.Snapshot) pillarsResponse {
	out := pillarsResponse{DatasetVersion: sn.Revision.Version, TaxonomyVersion: sn.Taxonomy.Version, Pillars: []pillarRow{}}
	for _, p := range sn.Taxonomy.Pillars {
		row := pillarRow{Code: p.Code, Name: p.Name, Description: p.Description, Capabilities: []string{}}
		for _, cp := range p.Capabilities {
			row.Capabilities = append(row.Capabilities, cp.Code)
		}
		out.Pillars = append(out.Pillars, row)
	}
	return out
}

// listCapabilities serves GET /api/v1/capabilities, with the 0–4 scale.
func (h *handler) listCapabilities(c *gin.Context) error {
	return h.read(c, "public, max-age=3600", func(r *readRequest) (build, error) {
		if err := onlyParams(c); err != nil {
			return nil, err
		}
		sn, err := r.snapshot(nil)
		if err != nil {
			return nil, err
		}
		return r.jsonBuild(sn, jsonType, func() (any, error) {
			out := capabilitiesResponse{DatasetVersion: sn.Revision.Version, TaxonomyVersion: sn.Taxonomy.Version,
				Scale: []scaleLevelOut{}, Capabilities: []capabilityDef{}}
			for _, l := range sn.Taxonomy.Scale {
				out.Scale = append(out.Scale, scaleLevelOut{l.Level, l.Name, l.Criteria})
			}
			for _, code := range sn.Codes() {
				cp, _ := sn.Capability(code)
				out.Capabilities = append(out.Capabilities, capabilityDef{cp.Code, cp.Name, cp.Pillar, cp.Definition, cp.Level4Marker})
			}
			return out, nil
		}), nil
	})
}
