package api

import (
	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/store"
)

// parseFilter reads filter and filter-lang (CQL2 text).
func parseFilter(c *gin.Context, oc *ogcCollection, q *store.FeatureQuery) error {
	if _, ok := c.GetQuery("filter"); ok {
		return badParam("filter", "CQL2 filters are not implemented yet")
	}
	return nil
}
