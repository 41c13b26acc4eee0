package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/store"
)

// healthz answers while the process is up.
func (h *handler) healthz(c *gin.Context) error {
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
	return nil
}

// readyz answers 200 when the database is reachable and fully migrated, else
// 503 (within a second: the checks have their own short deadline).
func (h *handler) readyz(c *gin.Context) error {
	c.Header("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(c.Request.Context(), time.Second)
	defer cancel()
	unready := func(detail string) error {
		p := unavailable(detail)
		p.Type, p.Title = "/problems/not-ready", "Not ready"
		return p
	}
	if err := h.store.Ping(ctx); err != nil {
		h.log.Warn("readyz: database unreachable", "err", err)
		return unready("database unreachable")
	}
	have, err := h.store.SchemaVersion(ctx)
	if err != nil {
		h.log.Warn("readyz: schema version", "err", err)
		return unready("cannot read the schema version")
	}
	want, err := store.LatestMigration()
	if err != nil {
		return err
	}
	if have != want {
		return unready(fmt.Sprintf("schema at migration %d, binary expects %d", have, want))
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready", "schema_version": have})
	return nil
}
