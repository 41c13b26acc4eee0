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
