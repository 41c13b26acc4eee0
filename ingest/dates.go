package ingest

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"
)

// partialDate is a date given as YYYY, YYYY-MM or YYYY-MM-DD. It stands for
// the first day of the period and remembers its precision.
type partialDate struct {
	Time      time.Time
	Precision string // year, month or day
	Set       bool
}

// UnmarshalYAML reads the scalar as written, so YAML's own timestamp typing
// does not get in the way.
func (d *partialDate) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a date must be YYYY, YYYY-MM or YYYY-MM-DD", n.Line)
	}
	p, err := parsePartialDate(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = p
	return nil
}

func parsePartialDate(s string) (partialDate, error) {
	for _, f := range []struct{ layout, precision string }{
		{"2006-01-02", "day"}, {"2006-01", "month"}, {"2006", "year"},
	} {
		if len(s) == len(f.layout) {
			if t, err := time.Parse(f.layout, s); err == nil {
				return partialDate{Time: t, Precision: f.precision, Set: true}, nil
			}
		}
	}
	return partialDate{}, fmt.Errorf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
}

// FirstRelease is when the tracker first published its dataset: the recording
// date of every row whose file gives none.
var FirstRelease = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

// recordedTime is a recording (transaction) time: a date YYYY-MM-DD, meaning
// 00:00 UTC that day, or an RFC 3339 timestamp (as `tracker export` writes for
// rows recorded at another time of day).
type recordedTime struct {
	Time time.Time
	Set  bool
}

// UnmarshalYAML reads the scalar as written.
func (r *recordedTime) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a recording time must be YYYY-MM-DD or an RFC 3339 timestamp", n.Line)
	}
	if t, err := time.Parse(time.DateOnly, n.Value); err == nil {
		*r = recordedTime{Time: t, Set: true}
		return nil
	}
	if t, err := time.Parse(time.RFC3339Nano, n.Value); err == nil {
		*r = recordedTime{Time: t.UTC(), Set: true}
		return nil
	}
	return fmt.Errorf("line %d: recording time %q: want YYYY-MM-DD or an RFC 3339 timestamp", n.Line, n.Value)
}
