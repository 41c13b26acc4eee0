package api

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// The parsers of outside input never panic, refuse with a *Problem naming
// their field, and what they accept round-trips. Seeds live in
// testdata/fuzz/<target>; `make fuzz` runs each target longer.

func wantProblemFor(t *testing.T, err error, field string) {
	t.Helper()
	var p *Problem
	if !errors.As(err, &p) || p.Status != 400 || len(p.Errors) != 1 || p.Errors[0].Field != field {
		t.Fatalf("error %v (%T), want a 400 problem naming %s", err, err, field)
	}
}

func FuzzParseDate(f *testing.F) {
	f.Add("2020-01-31")
	f.Add("1900-01-01")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDate("as_of", s)
		if err != nil {
			wantProblemFor(t, err, "as_of")
			return
		}
		if d.Format(time.DateOnly) != s || d.Before(earliestDate) || d.After(today()) {
			t.Fatalf("parseDate(%q) = %v: not the same date, or outside 1900-01-01..today", s, d)
		}
	})
}

func FuzzParseISO3(f *testing.F) {
	f.Add("chn")
	f.Add("CHN")
	f.Fuzz(func(t *testing.T, s string) {
		code, err := parseISO3("iso3", s)
		if err != nil {
			wantProblemFor(t, err, "iso3")
			return
		}
		if len(code) != 3 || strings.ToUpper(s) != code || strings.Trim(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			t.Fatalf("parseISO3(%q) = %q, want three upper-case letters", s, code)
		}
	})
}

func FuzzOffsetCursor(f *testing.F) {
	f.Add(encodeCursor(50, "abc"), "abc")
	f.Add(encodeCursor(0, ""), "x")
	f.Fuzz(func(t *testing.T, s, fp string) {
		n, err := decodeCursor(s, fp)
		if err != nil {
			wantProblemFor(t, err, "cursor")
			return
		}
		if n < 0 {
			t.Fatalf("decodeCursor(%q) = %d, a negative offset", s, n)
		}
		if again, err := decodeCursor(encodeCursor(n, fp), fp); err != nil || again != n {
			t.Fatalf("cursor for %d does not round-trip: %d, %v", n, again, err)
		}
	})
}

func FuzzIDCursor(f *testing.F) {
	f.Add(encodeIDCursor(123, "abc"), "abc")
	f.Add("MTIzLmFiYw", "abc")
	f.Fuzz(func(t *testing.T, s, fp string) {
		id, err := parseIDCursor(s, fp)
		if err != nil {
			wantProblemFor(t, err, "cursor")
			return
		}
		if id < 0 {
			t.Fatalf("parseIDCursor(%q) = %d, a negative id", s, id)
		}
		if again, err := parseIDCursor(encodeIDCursor(id, fp), fp); err != nil || again != id {
			t.Fatalf("id cursor for %d does not round-trip: %d, %v", id, again, err)
		}
	})
}
