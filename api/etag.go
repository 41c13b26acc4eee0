package api

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// notModified sets a weak ETag derived from the data revision, the request
// (path and query) and today's date (the default as_of), and Cache-Control.
// It answers 304 and returns true when the client's If-None-Match matches.
func notModified(c *gin.Context, sn *snapshot, cacheControl string) bool {
	sum := sha256.Sum256([]byte(c.Request.URL.Path + "?" + c.Request.URL.RawQuery + "|" + today().Format(time.DateOnly)))
	etag := fmt.Sprintf(`W/"%d-%s"`, sn.revision.Revision, hex.EncodeToString(sum[:8]))
	c.Header("ETag", etag)
	c.Header("Cache-Control", cacheControl)
	if etagMatches(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		c.Writer.WriteHeaderNow()
		return true
	}
	return false
}
