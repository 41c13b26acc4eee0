package api

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/store"
)

// auditFingerprint binds an audit cursor to the query's filters, so a cursor
// only continues the listing it came from.
func auditFingerprint(q url.Values) string {
	return "audit-" + fingerprint(q, "cursor", "limit")
}

// parseAuditFilter reads the audit log's filters and paging: action (one of
// the known actions), organisation_id, actor (an email, case-insensitive),
// since and until (a date, the whole day, or an RFC 3339 time, inclusive).
func parseAuditFilter(c *gin.Context) (store.AuditFilter, error) {
	var f store.AuditFilter
	var errs []FieldError
	var err error
	if f.Limit, err = parseLimit(c, 50, 500); err != nil {
		return f, err
	}
	if s, ok := c.GetQuery("action"); ok {
		if !slices.Contains(store.AuditActions, s) {
			errs = append(errs, FieldError{"action", fmt.Sprintf("%q is not an action of the audit log (one of %s)", truncate(s), strings.Join(store.AuditActions, ", "))})
		}
		f.Action = s
	}
	if s, ok := c.GetQuery("organisation_id"); ok {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			errs = append(errs, FieldError{"organisation_id", "must be a positive integer"})
		}
		f.OrgID = id
	}
	if s, ok := c.GetQuery("actor"); ok {
		s = strings.TrimSpace(s)
		at := strings.IndexByte(s, '@')
		if at <= 0 || at == len(s)-1 || len(s) > 254 || strings.ContainsAny(s, " \t\r\n") {
			errs = append(errs, FieldError{"actor", "must be an email address (name@domain)"})
		}
		f.ActorEmail = s
	}
	var since, until time.Time
	if s, ok := c.GetQuery("since"); ok {
		t, _, ok := parseAuditTime(s)
		if !ok {
			errs = append(errs, FieldError{"since", fmt.Sprintf("%q is not a date (YYYY-MM-DD) or an RFC 3339 time", truncate(s))})
		} else {
			since = t
			f.Since = &since
		}
	}
	if s, ok := c.GetQuery("until"); ok {
		t, day, ok := parseAuditTime(s)
		switch {
		case !ok:
			errs = append(errs, FieldError{"until", fmt.Sprintf("%q is not a date (YYYY-MM-DD) or an RFC 3339 time", truncate(s))})
		case day:
			until = t.AddDate(0, 0, 1) // the whole day
		default:
			until = t.Truncate(time.Microsecond).Add(time.Microsecond) // inclusive, at the database's precision
		}
		if ok {
			f.Before = &until
			if f.Since != nil && !until.After(since) {
				errs = append(errs, FieldError{"until", "is before since"})
			}
		}
	}
	if len(errs) > 0 {
		return f, invalid(errs...)
	}
	if s, ok := c.GetQuery("cursor"); ok {
		if f.BeforeID, err = parseIDCursor(s, auditFingerprint(c.Request.URL.Query())); err != nil {
			return f, err
		}
	}
	return f, nil
}

// parseAuditTime reads a date (day: true, midnight UTC) or an RFC 3339 time.
func parseAuditTime(s string) (t time.Time, day, ok bool) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true, true
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), false, true
	}
	return time.Time{}, false, false
}
