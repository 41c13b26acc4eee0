package api

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

var iso3Pattern = regexp.MustCompile(`^[A-Za-z]{3}$`)

// parseISO3 validates a country code; lower case is accepted and upper-cased.
func parseISO3(field, s string) (string, error) {
	if !iso3Pattern.MatchString(s) {
		return "", badParam(field, fmt.Sprintf("%q is not an ISO 3166-1 alpha-3 code (three letters)", truncate(s)))
	}
	return strings.ToUpper(s), nil
}

// parseLimit reads `limit` (default def, 1..max).
func parseLimit(c *gin.Context, def, max int) (int, error) {
	s, ok := c.GetQuery("limit")
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return 0, badParam("limit", fmt.Sprintf("must be an integer from 1 to %d", max))
	}
	return n, nil
}

// cursor is the opaque pagination state: an offset into a list whose filters
// and sort are fingerprinted, so a cursor cannot be replayed on another query.
type cursor struct {
	Offset int    `json:"o"`
	Query  string `json:"q"`
}

func encodeCursor(offset int, fingerprint string) string {
	b, _ := json.Marshal(cursor{offset, fingerprint})
	return base64.RawURLEncoding.EncodeToString(b)
}

// parseCursor returns the offset the cursor points at, 0 without a cursor.
func parseCursor(c *gin.Context, fingerprint string) (int, error) {
	s, ok := c.GetQuery("cursor")
	if !ok {
		return 0, nil
	}
	return decodeCursor(s, fingerprint)
}

// decodeCursor reads an offset cursor issued for the query with fingerprint.
func decodeCursor(s, fingerprint string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	var cur cursor
	if err != nil || len(s) > 512 || json.Unmarshal(b, &cur) != nil || cur.Offset < 0 {
		return 0, badParam("cursor", "is not a cursor this API issued")
	}
	if cur.Query != fingerprint {
		return 0, badParam("cursor", "belongs to a query with other filters or sort")
	}
	return cur.Offset, nil
}

// onlyParams refuses query parameters the route does not know, so a typo is
// an error rather than a silently ignored filter.
func onlyParams(c *gin.Context, allowed ...string) error {
	q := c.Request.URL.Query()
	var errs []FieldError
	for k, vs := range q {
		known := false
		for _, a := range allowed {
			if k == a {
				known = true
				break
			}
		}
		switch {
		case !utf8.ValidString(k) || strings.ContainsRune(k, 0):
			errs = append(errs, FieldError{"query", "a parameter name is not valid UTF-8 text"})
		case !known:
			errs = append(errs, FieldError{truncate(k), "unknown query parameter"})
		case len(vs) > 1:
			errs = append(errs, FieldError{k, "given more than once"})
		case len(vs[0]) > 1024:
			errs = append(errs, FieldError{k, "longer than 1024 characters"})
		case !utf8.ValidString(vs[0]) || strings.ContainsRune(vs[0], 0):
			errs = append(errs, FieldError{k, "is not valid UTF-8 text (or contains a NUL byte)"})
		}
	}
	if len(errs) > 0 {
		return invalid(errs...)
	}
	return nil
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
