package diffusion

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// world is a tiny dataset written out by hand. Pillar p has capabilities
// p.a, p.b and p.c. Land neighbours form a path AAA–BBB–CCC–DDD, and EEE,
// never assessed, borders AAA.
//
//	AAA  p.a 1 from 2010-01-01; p.a 3 from 2014-01-01; p.b 2 from 2016-06-01 to 2019-01-01
//	BBB  p.a 2 from 2012-03-01; p.c 2 from 2018-01-01
//	CCC  p.b 0 from 2011-01-01 (assessed, nothing adopted)
//	DDD  p.a 2 from 2015-01-01 to 2017-01-01, then 1 (struck down)
func world() Spans {
	return Spans{
		"AAA": {
			{Capability: "p.a", Level: 1, From: d("2010-01-01")},
			{Capability: "p.a", Level: 3, From: d("2014-01-01")},
			{Capability: "p.b", Level: 2, From: d("2016-06-01"), To: d("2019-01-01")},
		},
		"BBB": {
			{Capability: "p.a", Level: 2, From: d("2012-03-01")},
			{Capability: "p.c", Level: 2, From: d("2018-01-01")},
		},
		"CCC": {{Capability: "p.b", Level: 0, From: d("2011-01-01")}},
		"DDD": {
			{Capability: "p.a", Level: 2, From: d("2015-01-01"), To: d("2017-01-01")},
			{Capability: "p.a", Level: 1, From: d("2017-01-01")},
		},
	}
}

var (
	scope  = []string{"AAA", "BBB", "CCC", "DDD", "EEE"}
	pillar = func(k int) Series {
		return Series{Kind: "pillar", Code: "p", Capabilities: []string{"p.a", "p.b", "p.c"}, K: k}
	}
)

func TestCapabilityAdoption(t *testing.T) {
	w := world()
	for _, tt := range []struct {
		iso      string
		minLevel int
		want     map[string]time.Time
	}{
		// The level-1 row of 2010 is below 2; the first row at 2 or above starts 2014.
		{"AAA", 2, map[string]time.Time{"p.a": d("2014-01-01"), "p.b": d("2016-06-01")}},
		{"AAA", 1, map[string]time.Time{"p.a": d("2010-01-01"), "p.b": d("2016-06-01")}},
		{"AAA", 3, map[string]time.Time{"p.a": d("2014-01-01")}},
		{"AAA", 4, map[string]time.Time{}},
		{"CCC", 1, map[string]time.Time{}},
		// Adoption is an event: the later drop to 1 does not undo it.
		{"DDD", 2, map[string]time.Time{"p.a": d("2015-01-01")}},
	} {
		if got := CapabilityAdoption(w[tt.iso], tt.minLevel); !cmp.Equal(got, tt.want) {
			t.Errorf("CapabilityAdoption(%s, %d) = %v, want %v", tt.iso, tt.minLevel, got, tt.want)
		}
	}
}

func TestSeriesAdopted(t *testing.T) {
	w := world()
	for _, tt := range []struct {
		name string
		iso  string
		s    Series
		want string // "" = not adopted
	}{
		{"capability", "AAA", CapabilitySeries("p.a"), "2014-01-01"},
		{"capability never adopted", "CCC", CapabilitySeries("p.b"), ""},
		// k = 2: the second-earliest capability date (p.a 2014, p.b 2016-06-01).
		{"pillar k=2", "AAA", pillar(2), "2016-06-01"},
		{"pillar k=2 BBB", "BBB", pillar(2), "2018-01-01"},
		{"pillar k=2 with one capability", "DDD", pillar(2), ""},
		{"pillar k=1 is the first", "BBB", pillar(1), "2012-03-01"},
		{"pillar k=3", "AAA", pillar(3), ""},
		{"k=0 never adopts", "AAA", pillar(0), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.s.Adopted(CapabilityAdoption(w[tt.iso], 2))
			if tt.want == "" {
				if ok {
					t.Errorf("Adopted = %s, want not adopted", got.Format(time.DateOnly))
				}
				return
			}
			if !ok || !got.Equal(d(tt.want)) {
				t.Errorf("Adopted = %s (%v), want %s", got.Format(time.DateOnly), ok, tt.want)
			}
		})
	}
}

func TestAdoptions(t *testing.T) {
	want := map[string]time.Time{"AAA": d("2014-01-01"), "BBB": d("2012-03-01"), "DDD": d("2015-01-01")}
	if got := Adoptions(world(), CapabilitySeries("p.a"), 2); !cmp.Equal(got, want) {
		t.Errorf("Adoptions(p.a, 2) = %v, want %v", got, want)
	}
}

type pt struct{ assessed, adopted, atOrAbove int }

func points(ps []CurvePoint) []pt {
	var out []pt
	for _, p := range ps {
		out = append(out, pt{p.Assessed, p.Adopted, p.AtOrAbove})
	}
	return out
}

func TestCurve(t *testing.T) {
	w := world()
	years := func(a, b int) []time.Time { return YearEnds(a, b, d("2030-01-01")) }
	for _, tt := range []struct {
		name  string
		s     Series
		scope []string
		dates []time.Time
		want  []pt
	}{
		{
			// First assessed: AAA 2010, CCC 2011, BBB 2012-03, DDD 2015. p.a adopted: BBB 2012-03,
			// AAA 2014, DDD 2015; DDD falls to 1 on 2017-01-01, so it is no longer at or above
			// at the end of 2017 but still counts as having adopted. EEE is never assessed.
			name: "capability, world", s: CapabilitySeries("p.a"), scope: scope, dates: years(2011, 2017),
			want: []pt{{2, 0, 0}, {3, 1, 1}, {3, 1, 1}, {3, 2, 2}, {4, 3, 3}, {4, 3, 3}, {4, 3, 2}},
		},
		{
			// Pillar p, k = 2: AAA from 2016-06-01 (p.a, p.b), BBB from 2018-01-01 (p.a, p.c).
			// AAA's p.b ends 2019-01-01, so at the end of 2019 AAA holds one capability only.
			name: "pillar k=2", s: pillar(2), scope: scope, dates: years(2016, 2019),
			want: []pt{{4, 1, 1}, {4, 1, 1}, {4, 2, 2}, {4, 2, 1}},
		},
		{
			name: "list of countries", s: CapabilitySeries("p.a"), scope: []string{"CCC", "DDD"}, dates: years(2014, 2017),
			want: []pt{{1, 0, 0}, {2, 1, 1}, {2, 1, 1}, {2, 1, 0}},
		},
		{
			// The day itself counts: adopted on 2012-03-01 means adopted on that date.
			name: "on the adoption day", s: CapabilitySeries("p.a"), scope: []string{"BBB"},
			dates: []time.Time{d("2012-02-29"), d("2012-03-01")}, want: []pt{{0, 0, 0}, {1, 1, 1}},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, points(Curve(w, tt.s, 2, tt.scope, tt.dates)), cmp.AllowUnexported(pt{})); diff != "" {
				t.Errorf("Curve (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCurveShares(t *testing.T) {
	p := Curve(world(), CapabilitySeries("p.a"), 2, scope, []time.Time{d("2017-12-31")})[0]
	if s, ok := p.Share(); !ok || s != 0.75 {
		t.Errorf("Share = %v (%v), want 3/4 = 0.75", s, ok)
	}
	if s, ok := p.ShareAtOrAbove(); !ok || s != 0.5 {
		t.Errorf("ShareAtOrAbove = %v (%v), want 2/4 = 0.5", s, ok)
	}
	if _, ok := (CurvePoint{}).Share(); ok {
		t.Error("Share of nothing assessed is defined, want undefined")
	}
}

func TestYearEnds(t *testing.T) {
	got := YearEnds(2019, 2021, d("2021-06-30"))
	want := []time.Time{d("2019-12-31"), d("2020-12-31"), d("2021-06-30")}
	if !cmp.Equal(got, want) {
		t.Errorf("YearEnds = %v, want %v", got, want)
	}
	if got := YearEnds(2020, 2019, d("2021-06-30")); len(got) != 0 {
		t.Errorf("YearEnds of an empty range = %v", got)
	}
}

func TestFirstAdoption(t *testing.T) {
	w := world()
	for _, tt := range []struct {
		name   string
		series []Series
		scope  []string
		want   string
	}{
		{"world p.a", []Series{CapabilitySeries("p.a")}, scope, "2012-03-01"},
		{"CCC and DDD", []Series{CapabilitySeries("p.a")}, []string{"CCC", "DDD"}, "2015-01-01"},
		{"earliest of two series", []Series{pillar(2), CapabilitySeries("p.b")}, scope, "2016-06-01"},
		{"nobody", []Series{CapabilitySeries("p.c")}, []string{"AAA", "CCC"}, ""},
	} {
		got, ok := FirstAdoption(w, tt.series, 2, tt.scope)
		if (tt.want == "" && ok) || (tt.want != "" && (!ok || !got.Equal(d(tt.want)))) {
			t.Errorf("%s: FirstAdoption = %s (%v), want %q", tt.name, got.Format(time.DateOnly), ok, tt.want)
		}
	}
}
