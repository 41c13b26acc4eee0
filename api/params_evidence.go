package api

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/resemblance"
)

// earliestDate bounds every date parameter from below.
var earliestDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// today is the current date in UTC.
func today() time.Time {
	n := time.Now().UTC()
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// parseDate validates a YYYY-MM-DD parameter between 1900-01-01 and today.
func parseDate(field, s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, badParam(field, fmt.Sprintf("%q is not a date in the form YYYY-MM-DD", truncate(s)))
	}
	if t.Before(earliestDate) {
		return time.Time{}, badParam(field, "must be on or after 1900-01-01")
	}
	if t.After(today()) {
		return time.Time{}, badParam(field, fmt.Sprintf("%s is in the future; the tracker records no future facts", s))
	}
	return t, nil
}

// timeParams are the time-travel parameters every time-dependent read takes.
type timeParams struct {
	asOf         time.Time  // valid time: what was true then (default today)
	recordedAsOf *time.Time // transaction time: what the tracker said then (nil: now)
}

func parseTimeParams(c *gin.Context) (timeParams, error) {
	p := timeParams{asOf: today()}
	if s, ok := c.GetQuery("as_of"); ok {
		t, err := parseDate("as_of", s)
		if err != nil {
			return p, err
		}
		p.asOf = t
	}
	if s, ok := c.GetQuery("recorded_as_of"); ok {
		t, err := parseDate("recorded_as_of", s)
		if err != nil {
			return p, err
		}
		end := t.AddDate(0, 0, 1).Add(-time.Nanosecond) // the whole day
		p.recordedAsOf = &end
	}
	return p, nil
}

// indexParams adds weights and reference to the time parameters.
type indexParams struct {
	timeParams
	weights   resemblance.Weights
	reference string
}

func parseIndexParams(c *gin.Context, tax resemblance.Taxonomy) (indexParams, error) {
	tp, err := parseTimeParams(c)
	p := indexParams{timeParams: tp, reference: "CHN"}
	if err != nil {
		return p, err
	}
	if s, ok := c.GetQuery("reference"); ok {
		if p.reference, err = parseISO3("reference", s); err != nil {
			return p, err
		}
	}
	if s := c.Query("weights"); s != "" {
		w, err := resemblance.ParseWeights(s, tax)
		var we *resemblance.WeightsError
		if errors.As(err, &we) {
			reason := we.Reason
			if we.Key != "" {
				reason = fmt.Sprintf("%s: %s", we.Key, we.Reason)
			}
			return p, badParam("weights", reason)
		}
		if err != nil {
			return p, badParam("weights", err.Error())
		}
		p.weights = w
	}
	return p, nil
}

var capabilityPattern = regexp.MustCompile(`^[a-z_]+\.[a-z_]+$`)

// parseCapability checks a capability code against the taxonomy.
func parseCapability(field, s string, sn *readmodel.Snapshot) (string, error) {
	if !capabilityPattern.MatchString(s) {
		return "", badParam(field, fmt.Sprintf("%q is not a capability code such as sanctions.blacklist", truncate(s)))
	}
	if _, ok := sn.Capability(s); !ok {
		return "", badParam(field, fmt.Sprintf("%q is not a capability of taxonomy %s; see /api/v1/capabilities", s, sn.Taxonomy.Version))
	}
	return s, nil
}

// parseNumber reads an optional number parameter within [min, max].
func parseNumber(c *gin.Context, field string, min, max float64) (float64, bool, error) {
	s, ok := c.GetQuery(field)
	if !ok {
		return 0, false, nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f != f || f < min || f > max {
		return 0, false, badParam(field, fmt.Sprintf("must be a number from %g to %g", min, max))
	}
	return f, true, nil
}

// indexRead validates the parameters of a read that scores countries: only
// the index parameters (as_of, recorded_as_of, weights, reference) and the
// named extra ones are accepted. It returns the snapshot the read answers from.
func indexRead(r *readRequest, extra ...string) (*readmodel.Snapshot, indexParams, error) {
	if err := onlyParams(r.c, append(extra, "as_of", "recorded_as_of", "weights", "reference")...); err != nil {
		return nil, indexParams{}, err
	}
	tp, err := parseTimeParams(r.c)
	if err != nil {
		return nil, indexParams{}, err
	}
	sn, err := r.snapshot(tp.recordedAsOf)
	if err != nil {
		return nil, indexParams{}, err
	}
	p, err := parseIndexParams(r.c, sn.ResemblanceTaxonomy())
	return sn, p, err
}
