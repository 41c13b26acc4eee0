package resemblance

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestLevelsAt(t *testing.T) {
	t.Parallel()
	spans := []Span{
		{Country: "SRB", Capability: 0, Level: 1, From: day("2014-12-01"), To: day("2019-01-01")},
		{Country: "SRB", Capability: 0, Level: 2, From: day("2019-01-01")},
		{Country: "NLD", Capability: 2, Level: 3, From: day("2014-01-01"), To: day("2020-02-05")},
		{Country: "NLD", Capability: 2, Level: 0, From: day("2020-02-05")},
		{Country: "XXX", Capability: 9, Level: 4, From: day("2000-01-01")}, // out of range: ignored
	}
	tests := []struct {
		date string
		want map[string]Levels
	}{
		{"2010-06-01", map[string]Levels{}},
		{"2014-12-01", map[string]Levels{"SRB": {1, -1, -1}, "NLD": {-1, -1, 3}}},
		{"2018-12-31", map[string]Levels{"SRB": {1, -1, -1}, "NLD": {-1, -1, 3}}},
		{"2019-01-01", map[string]Levels{"SRB": {2, -1, -1}, "NLD": {-1, -1, 3}}},
		{"2020-02-05", map[string]Levels{"SRB": {2, -1, -1}, "NLD": {-1, -1, 0}}},
	}
	for _, tt := range tests {
		got := LevelsAt(spans, day(tt.date), 3)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("LevelsAt(%s) mismatch (-want +got):\n%s", tt.date, diff)
		}
	}
	if got := Earliest(spans); !got.Equal(day("2000-01-01")) {
		t.Errorf("Earliest = %v", got)
	}
	if got := Earliest(nil); !got.IsZero() {
		t.Errorf("Earliest(nil) = %v, want zero", got)
	}
}
