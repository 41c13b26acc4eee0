package api

import (
	"encoding/base64"
	"errors"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/store"
)

type assessmentList struct {
	DatasetVersion string             `json:"dataset_version"`
	Total          int                `json:"total"`
	Next           *string            `json:"next"`
	Assessments    []store.Assessment `json:"assessments"`
}

// listAssessments serves GET /api/v1/assessments: the raw facts the tracker
// stands by, filtered and paginated by id.
func (h *handler) listAssessments(c *gin.Context) error {
	ctx := c.Request.Context()
	sn, f, err := h.assessmentRead(c, "country", "capability", "since", "limit", "cursor")
	if err != nil {
		return err
	}
	if f.Limit, err = parseLimit(c, 100, 500); err != nil {
		return err
	}
	fp := fingerprint(c.Request.URL.Query(), "cursor", "limit")
	if s, ok := c.GetQuery("cursor"); ok {
		if f.AfterID, err = parseIDCursor(s, fp); err != nil {
			return err
		}
	}
	return h.serveJSON(c, sn, "public, max-age=60", func() (any, error) {
		limit := f.Limit
		f.Limit++ // one more row tells whether there is a next page
		list, total, err := h.store.Assessments(ctx, f)
		if err != nil {
			return nil, err
		}
		out := assessmentList{DatasetVersion: sn.revision.Version, Total: total, Assessments: list}
		if len(list) > limit {
			out.Assessments = list[:limit]
			next := nextLink(c, encodeIDCursor(list[limit-1].ID, fp))
			out.Next = &next
		}
		return out, nil
	})
}

// The assessment cursor holds the last id seen (keyset pagination), bound to the query.
func encodeIDCursor(id int64, fp string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10) + "." + fp))
}

func parseIDCursor(s, fp string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	bad := badParam("cursor", "is not a cursor this API issued")
	if err != nil || len(s) > 256 {
		return 0, bad
	}
	idPart, qPart, ok := cutLast(string(b), ".")
	id, err := strconv.ParseInt(idPart, 10, 64)
	if !ok || err != nil || id < 0 {
		return 0, bad
	}
	if qPart != fp {
		return 0, badParam("cursor", "belongs to a query with other filters")
	}
	return id, nil
}

func cutLast(s, sep string) (string, string, bool) {
	for i := len(s) - len(sep); i >= 0; i-- {
		if s[i:i+len(sep)] == sep {
			return s[:i], s[i+len(sep):], true
		}
	}
	return s, "", false
}

type sourceResponse struct {
	store.SourceWithUse
	DatasetVersion string `json:"dataset_version"`
}

// getSource serves GET /api/v1/sources/{id}.
func (h *handler) getSource(c *gin.Context) error {
	if err := onlyParams(c); err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return badParam("id", "must be a positive integer")
	}
	ctx := c.Request.Context()
	sn, err := h.snapshot(ctx, nil)
	if err != nil {
		return err
	}
	src, err := h.store.SourceByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("no source with id " + c.Param("id"))
	}
	if err != nil {
		return err
	}
	return h.serveJSON(c, sn, "public, max-age=300", func() (any, error) {
		return sourceResponse{SourceWithUse: src, DatasetVersion: sn.revision.Version}, nil
	})
}

// parseAssessmentFilter reads the filters shared by the assessment list and
// its CSV export: country, capability, since and as_of.
func parseAssessmentFilter(c *gin.Context, sn *snapshot, tp timeParams) (store.AssessmentFilter, error) {
	f := store.AssessmentFilter{RecordedAsOf: tp.recordedAsOf}
	var err error
	if s, ok := c.GetQuery("country"); ok {
		if f.Country, err = parseISO3("country", s); err != nil {
			return f, err
		}
		if _, known := sn.country[f.Country]; !known {
			return f, badParam("country", f.Country+" is not a known country")
		}
	}
	if s, ok := c.GetQuery("capability"); ok {
		if f.Capability, err = parseCapability("capability", s, sn); err != nil {
			return f, err
		}
	}
	if s, ok := c.GetQuery("since"); ok {
		t, err := parseDate("since", s)
		if err != nil {
			return f, err
		}
		f.Since = &t
	}
	if _, ok := c.GetQuery("as_of"); ok {
		f.AsOf = &tp.asOf
	}
	return f, nil
}

// assessmentRead validates the parameters of a read of raw assessments (the
// time parameters plus the named ones) and returns the snapshot it answers
// from and the parsed filter.
func (h *handler) assessmentRead(c *gin.Context, params ...string) (*snapshot, store.AssessmentFilter, error) {
	if err := onlyParams(c, append(params, "as_of", "recorded_as_of")...); err != nil {
		return nil, store.AssessmentFilter{}, err
	}
	tp, err := parseTimeParams(c)
	if err != nil {
		return nil, store.AssessmentFilter{}, err
	}
	sn, err := h.snapshot(c.Request.Context(), tp.recordedAsOf)
	if err != nil {
		return nil, store.AssessmentFilter{}, err
	}
	f, err := parseAssessmentFilter(c, sn, tp)
	return sn, f, err
}
