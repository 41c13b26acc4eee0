package cql2

import (
	"errors"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"status = 'active'", `"status" = 'active'`},
		{"status='active'", `"status" = 'active'`},
		{`"vendor_country" <> 'CHN'`, `"vendor_country" <> 'CHN'`},
		{"level >= 3", `"level" >= 3`},
		{"index < 12.5", `"index" < 12.5`},
		{"index > -1e2", `"index" > -100`},
		{"name = 'Côte d''Ivoire'", `"name" = 'Côte d''Ivoire'`},
		{"a = 1 AND b = 2 AND c = 3", `("a" = 1 AND "b" = 2 AND "c" = 3)`},
		{"a = 1 OR b = 2 AND c = 3", `("a" = 1 OR ("b" = 2 AND "c" = 3))`},
		{"(a = 1 OR b = 2) AND c = 3", `(("a" = 1 OR "b" = 2) AND "c" = 3)`},
		{"not a = 1", `NOT "a" = 1`},
		{"NOT (a = 1 or b = 2)", `NOT ("a" = 1 OR "b" = 2)`},
		{"name LIKE 'La %'", `"name" LIKE 'La %'`},
		{"name NOT LIKE '%_x'", `"name" NOT LIKE '%_x'`},
		{"level BETWEEN 2 AND 4", `"level" BETWEEN 2 AND 4`},
		{"level NOT BETWEEN 2 AND 4 AND a = 1", `("level" NOT BETWEEN 2 AND 4 AND "a" = 1)`},
		{"status IN ('active', 'planned')", `"status" IN ('active', 'planned')`},
		{"status NOT IN ('active')", `"status" NOT IN ('active')`},
		{"vendor_country IS NULL", `"vendor_country" IS NULL`},
		{"vendor_country is not null", `"vendor_country" IS NOT NULL`},
		{"valid_from >= DATE('2019-01-01')", `"valid_from" >= DATE('2019-01-01')`},
		{"recorded_at < TIMESTAMP('2026-01-01T10:00:00+02:00')", `"recorded_at" < TIMESTAMP('2026-01-01T08:00:00Z')`},
		{"assessed = TRUE", `"assessed" = true`},
		{"TRUE", `true`},
		{"false OR a = 1", `(false OR "a" = 1)`},
		{"S_INTERSECTS(geometry, BBOX(-10, 0, 20, 30))", `S_INTERSECTS("geometry", BBOX(-10, 0, 20, 30))`},
		{"s_intersects(geometry, bbox(170, -20, -170, 10))", `S_INTERSECTS("geometry", BBOX(170, -20, -170, 10))`},
		{"S_INTERSECTS(geometry, BBOX(-10, 0, 0, 20, 30, 5))", `S_INTERSECTS("geometry", BBOX(-10, 0, 20, 30))`},
		{"S_INTERSECTS(geometry, POINT(36.8 -1.3))", `S_INTERSECTS("geometry", POINT(36.8 -1.3))`},
		{"S_INTERSECTS(geometry, LINESTRING(0 0, 10 10))", `S_INTERSECTS("geometry", LINESTRING(0 0, 10 10))`},
		{"S_INTERSECTS(geometry, POLYGON((0 0, 10 0, 10 10, 0 0)))", `S_INTERSECTS("geometry", POLYGON((0 0, 10 0, 10 10, 0 0)))`},
		{"S_INTERSECTS(geometry, POLYGON((0 0, 10 0, 10 10, 0 0), (1 1, 2 1, 2 2, 1 1)))",
			`S_INTERSECTS("geometry", POLYGON((0 0, 10 0, 10 10, 0 0), (1 1, 2 1, 2 2, 1 1)))`},
		{"S_INTERSECTS(geometry, MULTIPOINT((1 2), (3 4)))", `S_INTERSECTS("geometry", MULTIPOINT(1 2, 3 4))`},
		{"S_INTERSECTS(geometry, MULTIPOINT(1 2, 3 4))", `S_INTERSECTS("geometry", MULTIPOINT(1 2, 3 4))`},
		{"S_INTERSECTS(geometry, MULTILINESTRING((0 0, 1 1), (2 2, 3 3)))", `S_INTERSECTS("geometry", MULTILINESTRING((0 0, 1 1), (2 2, 3 3)))`},
		{"S_INTERSECTS(geometry, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5))))",
			`S_INTERSECTS("geometry", MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5))))`},
		{"S_INTERSECTS(geometry, GEOMETRYCOLLECTION(POINT(1 1), LINESTRING(0 0, 1 1)))",
			`S_INTERSECTS("geometry", GEOMETRYCOLLECTION(POINT(1 1), LINESTRING(0 0, 1 1)))`},
		{"S_INTERSECTS(POINT(1 1), geometry) AND status = 'active'", `(S_INTERSECTS(POINT(1 1), "geometry") AND "status" = 'active')`},
		{"1 = 1", `1 = 1`},
	} {
		e, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if got := Format(e); got != tc.want {
			t.Errorf("Parse(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in  string
		pos int
	}{
		{"", 1},
		{"   ", 1},
		{"status =", 9},
		{"status = 'active", 10},
		{"status == 'a'", 9},
		{"status 'a'", 8},
		{"(status = 'a'", 14},
		{"status = 'a')", 13},
		{"a = 1 AND", 10},
		{"a = 1 XOR b = 2", 7},
		{"a = 1 b = 2", 7},
		{"a NOT = 1", 7},
		{"a BETWEEN 1 OR 2", 13},
		{"a IN 1, 2", 6},
		{"a IN (1, 2", 11},
		{"a IN ()", 7},
		{"a IS 'x'", 6},
		{"a IS NOT", 9},
		{"a = 1.2.3", 5},
		{"a = 12abc", 5},
		{"a = 1e", 5},
		{"a = #", 5},
		{`"a = 1`, 1},
		{`"" = 1`, 1},
		{"a = DATE('2020-13-01')", 10},
		{"a = DATE(2020)", 10},
		{"a = TIMESTAMP('yesterday')", 15},
		{"CASEI(name) = 'x'", 1},
		{"T_INTERSECTS(a, b)", 1},
		{"S_WITHIN(geometry, POINT(1 1))", 1},
		{"S_INTERSECTS(geometry)", 22},
		{"S_INTERSECTS(geometry, BBOX(1, 2, 3))", 24},
		{"S_INTERSECTS(geometry, BBOX(0, 10, 5, -10))", 24},
		{"S_INTERSECTS(geometry, BBOX(0, 0, 200, 10))", 24},
		{"S_INTERSECTS(geometry, POINT(1))", 31},
		{"S_INTERSECTS(geometry, POINT(1 2 3))", 34},
		{"S_INTERSECTS(geometry, POINT Z (1 2 3))", 30},
		{"S_INTERSECTS(geometry, POINT(500 2))", 30},
		{"S_INTERSECTS(geometry, LINESTRING(1 2))", 35},
		{"S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 1)))", 33},
		{"S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 0 0)))", 33},
		{"S_INTERSECTS(geometry, CIRCLE(1 2))", 24},
		{"foo(1) = 2", 1},
		{"a = AND", 5},
	} {
		_, err := Parse(tc.in)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q): %v, want a positioned error", tc.in, err)
			continue
		}
		if pe.Pos != tc.pos || pe.Msg == "" {
			t.Errorf("Parse(%q): error at %d (%s), want at %d", tc.in, pe.Pos, pe.Msg, tc.pos)
		}
	}
}

func TestParseDepthAndLength(t *testing.T) {
	t.Parallel()
	deep := ""
	for range MaxDepth + 1 {
		deep += "("
	}
	if _, err := Parse(deep + "a = 1"); err == nil {
		t.Error("nesting deeper than MaxDepth parsed")
	}
	nots := ""
	for range MaxDepth + 1 {
		nots += "NOT "
	}
	if _, err := Parse(nots + "a = 1"); err == nil {
		t.Error("NOT chain deeper than MaxDepth parsed")
	}
	long := "a = '"
	for len(long) < MaxLength+10 {
		long += "x"
	}
	if _, err := Parse(long + "'"); err == nil {
		t.Error("a filter longer than MaxLength parsed")
	}
}

// FuzzParse: Parse never panics, errors point inside the filter (or just
// past its end), and what parses formats to text that parses to the same.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"status = 'active'", "a = 1 AND (b <> 'x' OR NOT c IS NULL)", "level BETWEEN 1 AND 3",
		"name LIKE '%a_'", "x IN (1, 2, 3)", "S_INTERSECTS(geometry, BBOX(-10, 0, 20, 30))",
		"S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 0)))", "valid_from >= DATE('2019-01-01')", "TRUE"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Parse(s)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q): error %v is not an *Error", s, err)
			}
			if n := utf8.RuneCountInString(s); pe.Pos < 1 || pe.Pos > max(n, MaxLength)+1 {
				t.Fatalf("Parse(%q): position %d outside 1..%d", s, pe.Pos, n+1)
			}
			return
		}
		text := Format(e)
		e2, err := Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q) formats to %q, which does not parse: %v", s, text, err)
		}
		if again := Format(e2); again != text {
			t.Fatalf("Parse(%q): %q re-parses as %q", s, text, again)
		}
	})
}
