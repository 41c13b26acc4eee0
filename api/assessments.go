package api

import (
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/readmodel"
)

type assessmentList struct {
	DatasetVersion string          `json:"dataset_version"`
	Total          int             `json:"total"`
	Next           *string         `json:"next"`
	Assessments    []assessmentOut `json:"assessments"`
}

// listAssessments serves GET /api/v1/assessments: the raw facts the tracker
// stands by, filtered and paginated by id.
func (h *handler) listAssessments(c *gin.Context) error {
	return h.read(c, "public, max-age=60", func(r *readRequest) (build, error) {
		sn, f, err := assessmentRead(r, "country", "capability", "since", "limit", "cursor")
		if err != nil {
			return nil, err
		}
		if f.Limit, err = parseLimit(c, 100, 500); err != nil {
			return nil, err
		}
		fp := fingerprint(c.Request.URL.Query(), "cursor", "limit")
		if s, ok := c.GetQuery("cursor"); ok {
			if f.AfterID, err = parseIDCursor(s, fp); err != nil {
				return nil, err
			}
		}
		path, q := c.Request.URL.Path, c.Request.URL.Query()
		return r.jsonBuild(sn, jsonType, func() (any, error) {
			limit, ff := f.Limit, f
			ff.Limit++ // one more row tells whether there is a next page
			list, total := sn.Assessments(ff)
			out := assessmentList{DatasetVersion: sn.Revision.Version, Total: total, Assessments: []assessmentOut{}}
			for i, a := range list {
				if i == limit {
					next := nextLink(path, q, encodeIDCursor(list[limit-1].ID, fp))
					out.Next = &next
					break
				}
				out.Assessments = append(out.Assessments, assessmentOf(a, nil))
			}
			return out, nil
		}), nil
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

type sourceUse struct {
	Assessments      []int64 `json:"assessments"`
	Sites            []int64 `json:"sites"`
	ConstraintEvents []int64 `json:"constraint_events"`
}

type sourceResponse struct {
	sourceOut
	UsedBy         sourceUse `json:"used_by"`
	DatasetVersion string    `json:"dataset_version"`
}

// getSource serves GET /api/v1/sources/{id}.
func (h *handler) getSource(c *gin.Context) error {
	return h.read(c, "public, max-age=300", func(r *readRequest) (build, error) {
		if err := onlyParams(c); err != nil {
			return nil, err
		}
		id, err := strconv.ParseInt(c.Param("id"), 10, 64)
		if err != nil || id < 1 {
			return nil, badParam("id", "must be a positive integer")
		}
		sn, err := r.snapshot(nil)
		if err != nil {
			return nil, err
		}
		src, ok := sn.Source(id)
		if !ok {
			return nil, notFound("no source with id " + c.Param("id"))
		}
		return r.jsonBuild(sn, jsonType, func() (any, error) {
			return sourceResponse{sourceOut: sourceOf(src.Source), DatasetVersion: sn.Revision.Version,
				UsedBy: sourceUse{Assessments: src.Assessments, Sites: src.Sites, ConstraintEvents: src.Events}}, nil
		}), nil
	})
}

// searchSources finds sources by text, for citing an existing source in a
// report (GET /api/v1/sources?q=).
func (h *handler) searchSources(c *gin.Context) error {
	return h.read(c, "public, max-age=300", func(r *readRequest) (build, error) {
		if err := onlyParams(c, "q", "limit"); err != nil {
			return nil, err
		}
		q := strings.TrimSpace(c.Query("q"))
		if n := utf8.RuneCountInString(q); n < 2 || n > 200 {
			return nil, badParam("q", "required, 2 to 200 characters")
		}
		limit, err := parseLimit(c, 20, 100)
		if err != nil {
			return nil, err
		}
		sn, err := r.snapshot(nil)
		if err != nil {
			return nil, err
		}
		found, total := sn.SearchSources(q, limit)
		return r.jsonBuild(sn, jsonType, func() (any, error) {
			return gin.H{"dataset_version": sn.Revision.Version, "total": total, "items": sourcesOf(found)}, nil
		}), nil
	})
}

// parseAssessmentFilter reads the filters shared by the assessment list and
// its CSV export: country, capability, since and as_of.
func parseAssessmentFilter(c *gin.Context, sn *readmodel.Snapshot, tp timeParams) (readmodel.AssessmentFilter, error) {
	var f readmodel.AssessmentFilter
	var err error
	if s, ok := c.GetQuery("country"); ok {
		if f.Country, err = parseISO3("country", s); err != nil {
			return f, err
		}
		if _, known := sn.Country(f.Country); !known {
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
func assessmentRead(r *readRequest, params ...string) (*readmodel.Snapshot, readmodel.AssessmentFilter, error) {
	if err := onlyParams(r.c, append(params, "as_of", "recorded_as_of")...); err != nil {
		return nil, readmodel.AssessmentFilter{}, err
	}
	tp, err := parseTimeParams(r.c)
	if err != nil {
		return nil, readmodel.AssessmentFilter{}, err
	}
	sn, err := r.snapshot(tp.recordedAsOf)
	if err != nil {
		return nil, readmodel.AssessmentFilter{}, err
	}
	f, err := parseAssessmentFilter(r.c, sn, tp)
	return sn, f, err
}
