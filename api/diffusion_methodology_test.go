package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/scs-diffusion/tracker/docs"
)

// TestDiffusionMethodologyExamples checks the worked examples of
// docs/methodology.md §11 against the API over the frozen fixture (the
// dataset as first shipped): the figures below were worked by hand from its
// YAML files, as the page shows, and the page must show them too.
func TestDiffusionMethodologyExamples(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	page := string(docs.Methodology)
	for _, figure := range []string{"**2019-08-01**", "**2019-07-17**", "1/2 = 0.5", "1/3 = 0.3333", "1/5 = 0.2", "3/6 = 0.5",
		"E = 2/4 = **0.5**", "**0.3917**", "**0.235**", "**0.2417**", "= **−0.1348**", "**−0.3333**", "8/24 = 1/3",
		"**2 sites**", "first year **2015**", "a share of **1**"} {
		if !strings.Contains(page, figure) {
			t.Errorf("docs/methodology.md §11 does not show %q", figure)
		}
	}

	// §11.2: camera networks in Eastern Africa.
	var east curvesDoc
	getJSON(t, a, "/api/v1/diffusion/curves?capability=surveillance.cctv_network&subregion=Eastern%20Africa&from=2015&to=2019", &east)
	want := map[int][2]int{2015: {2, 1}, 2017: {3, 1}, 2018: {5, 1}, 2019: {6, 3}}
	for _, p := range east.Series[0].Points {
		if w, ok := want[p.Year]; ok && (p.Assessed != w[0] || p.Adopted != w[1]) {
			t.Errorf("Eastern Africa %d: assessed %d, adopted %d; the page says %d and %d", p.Year, p.Assessed, p.Adopted, w[0], w[1])
		}
	}

	// §11.1: Mauritius' cameras at the default threshold and at 1; Kazakhstan's surveillance pillar.
	adopted := func(path, iso string) string {
		var doc exposureDoc
		getJSON(t, a, path, &doc)
		for _, c := range doc.Countries {
			if c.ISO3 == iso {
				return c.Adopted
			}
		}
		return ""
	}
	if got := adopted("/api/v1/diffusion/neighbours?capability=surveillance.cctv_network&iso3=MUS", "MUS"); got != "2019-08-01" {
		t.Errorf("MUS cameras adopted %q, the page says 2019-08-01", got)
	}
	if got := adopted("/api/v1/diffusion/neighbours?capability=surveillance.cctv_network&iso3=MUS&min_level=1", "MUS"); got != "2017-12-01" {
		t.Errorf("MUS cameras at min_level=1 adopted %q, the page says 2017-12-01", got)
	}
	if got := adopted("/api/v1/diffusion/neighbours?pillar=surveillance&iso3=KAZ", "KAZ"); got != "2019-07-17" {
		t.Errorf("KAZ surveillance pillar adopted %q, the page says 2019-07-17", got)
	}
	var kaz curvesDoc
	getJSON(t, a, "/api/v1/diffusion/curves?pillar=surveillance&iso3=KAZ&from=2020&to=2020", &kaz)
	if p := kaz.Series[0].Points[0]; p.Adopted != 1 || p.AtOrAbove != 0 {
		t.Errorf("KAZ surveillance pillar at the end of 2020: adopted %d, at or above %d; the page says 1 and 0", p.Adopted, p.AtOrAbove)
	}

	// §11.3: Kyrgyzstan's exposure and the world summary.
	var world exposureDoc
	getJSON(t, a, "/api/v1/diffusion/neighbours?capability=surveillance.cctv_network", &world)
	s := world.Summary
	if s.Counted != 20 || s.Population != 40 || *s.MeanExposure != 0.235 || *s.MeanBaseline != 0.2417 {
		t.Errorf("summary %+v (mean %v, baseline %v); the page says 20 counted of 40, 0.235 against 0.2417", s, *s.MeanExposure, *s.MeanBaseline)
	}
	for _, c := range world.Countries {
		if c.ISO3 == "KGZ" && (c.Adopted != "2019-10-01" || *c.Exposure != 0.5 || c.Baseline != 0.3917 || strings.Join(c.Before, ",") != "CHN,KAZ") {
			t.Errorf("KGZ: %+v; the page says adopted 2019-10-01, CHN and KAZ before it, exposure 0.5, baseline 0.3917", c)
		}
	}

	// §11.4: Moran's I in Central Asia, end of 2020.
	var ca moranDoc
	getJSON(t, a, "/api/v1/diffusion/moran?iso3=KAZ,KGZ,TJK,UZB&from=2020&to=2020", &ca)
	y := ca.Years[0]
	if y.N != 4 || *y.I != -0.1348 || *y.Expected != -0.3333 || len(y.Nearest) != 0 {
		t.Errorf("Central Asia 2020: %s; the page says n 4, I −0.1348, E[I] −0.3333", jsonOf(t, y))
	}
	// The exact permutation p-value is 1/3; 999 draws give a count ~ binomial(999, 1/3),
	// sd 14.9, so the pseudo p-value lies within 4 sd: 0.274 to 0.394. The page quotes it.
	if p := *y.PValue; p < 0.274 || p > 0.394 || !strings.Contains(page, fmt.Sprintf("pseudo p-value is **%g**", p)) {
		t.Errorf("Central Asia 2020: p-value %v; want about 1/3, and shown on the page", p)
	}

	// §11.5: China → Kenya, and the vendor share at the end of 2011.
	var flows flowsDoc
	getJSON(t, a, "/api/v1/diffusion/flows?iso3=KEN", &flows)
	if len(flows.Flows) != 1 || flows.Flows[0].From != "CHN" || flows.Flows[0].Sites != 2 || *flows.Flows[0].FirstYear != 2015 {
		t.Errorf("flows into KEN: %s; the page says one flow from CHN of 2 sites, first year 2015", jsonOf(t, flows.Flows))
	}
	var share flowsDoc
	getJSON(t, a, "/api/v1/diffusion/flows?from=2011&to=2011", &share)
	if y := share.Share.Years[0]; y.Sites != 2 || y.Vendor != 2 {
		t.Errorf("end of 2011: %+v; the page says 2 dated sites, both with a vendor based in China", y)
	}
}
