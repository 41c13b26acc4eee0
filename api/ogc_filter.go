package api

import (
	"errors"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/cql2"
	"github.com/scs-diffusion/tracker/store"
)

// parseFilter reads filter (CQL2 text), filter-lang and filter-crs. The
// filter is parsed (package cql2) and checked against the collection's
// queryables here, before any database work, so every malformed filter is
// a 400 naming the character where it goes wrong.
func parseFilter(c *gin.Context, oc *ogcCollection, q *store.FeatureQuery) error {
	if lang, ok := c.GetQuery("filter-lang"); ok && lang != "cql2-text" {
		return badParam("filter-lang", "must be cql2-text (the only filter language implemented)")
	}
	if crs, ok := c.GetQuery("filter-crs"); ok && crs != crs84 {
		return badParam("filter-crs", "must be "+crs84+" (filter geometries are longitude, latitude)")
	}
	s, ok := c.GetQuery("filter")
	if !ok {
		return nil
	}
	e, err := cql2.Parse(s)
	if err == nil {
		err = store.CheckFilter(oc.id, e)
	}
	var pe *cql2.Error
	if errors.As(err, &pe) {
		return badParam("filter", pe.Error())
	}
	if err != nil {
		return err
	}
	q.Filter = store.CQLFilter{Expr: e}
	return nil
}
