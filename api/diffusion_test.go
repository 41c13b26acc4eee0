package api_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// diffusionBadRequests are the inputs the diffusion routes must refuse
// (part of badRequests, so TestBadInputChangesNothing covers them too).
func diffusionBadRequests() []badRequest {
	future := tomorrowUTC()
	next := strconv.Itoa(time.Now().UTC().Year() + 1)
	const curves = "/api/v1/diffusion/curves?capability=sanctions.blacklist"
	return []badRequest{
		// The series: capability or pillar.
		{"/api/v1/diffusion/curves", 400, "capability"},
		{"/api/v1/diffusion/curves?capability=", 400, "capability"},
		{"/api/v1/diffusion/curves?capability=unknown.code", 400, "capability"},
		{"/api/v1/diffusion/curves?capability=Sanctions.Blacklist", 400, "capability"},
		{"/api/v1/diffusion/curves?capability=sanctions.blacklist,sanctions.blacklist", 400, "capability"},
		{"/api/v1/diffusion/curves?capability=sanctions.blacklist,sanctions.redlist,sanctions.joint_punishment,sanctions.mobility_restriction," +
			"sanctions.access_restriction,sanctions.public_disclosure,identity.biometric_id&pillar=rating,governance", 400, "capability"},
		{"/api/v1/diffusion/curves?pillar=bogus", 400, "pillar"},
		{"/api/v1/diffusion/curves?pillar=sanctions,sanctions", 400, "pillar"},
		{"/api/v1/diffusion/neighbours", 400, "capability"},
		{"/api/v1/diffusion/neighbours?capability=sanctions.blacklist,sanctions.redlist", 400, "capability"},
		{"/api/v1/diffusion/neighbours?capability=sanctions.blacklist&pillar=sanctions", 400, "capability"},
		{"/api/v1/diffusion/moran?capability=sanctions.blacklist&pillar=sanctions", 400, "capability"},
		{"/api/v1/diffusion/moran?pillar=nope", 400, "pillar"},
		{"/api/v1/diffusion/flows?capability=unknown.code", 400, "capability"},
		// Threshold and pillar k.
		{curves + "&min_level=0", 400, "min_level"},
		{curves + "&min_level=5", 400, "min_level"},
		{curves + "&min_level=2.5", 400, "min_level"},
		{curves + "&min_level=two", 400, "min_level"},
		{curves + "&min_capabilities=2", 400, "min_capabilities"},
		{"/api/v1/diffusion/curves?pillar=integration&min_capabilities=4", 400, "min_capabilities"},
		{"/api/v1/diffusion/curves?pillar=sanctions&min_capabilities=0", 400, "min_capabilities"},
		{"/api/v1/diffusion/neighbours?pillar=sanctions&min_capabilities=x", 400, "min_capabilities"},
		// Parameters a route does not take.
		{"/api/v1/diffusion/moran?min_level=2", 400, "min_level"},
		{"/api/v1/diffusion/moran?weights=identity:2", 400, "weights"},
		{"/api/v1/diffusion/flows?min_level=2", 400, "min_level"},
		{"/api/v1/diffusion/flows?recorded_as_of=2026-01-01", 400, "recorded_as_of"},
		{"/api/v1/diffusion/flows?table=share", 400, "table"},
		{"/api/v1/diffusion/curves.csv?capability=sanctions.blacklist&table=flows", 400, "table"},
		{curves + "&capability=sanctions.redlist", 400, "capability"},
		// Scope.
		{curves + "&region=Atlantis", 400, "region"},
		{curves + "&subregion=Middle%20Earth", 400, "subregion"},
		{curves + "&region=Africa&subregion=Eastern%20Africa", 400, "subregion"},
		{curves + "&region=Africa&iso3=KEN", 400, "iso3"},
		{curves + "&iso3=", 400, "iso3"},
		{curves + "&iso3=KE", 400, "iso3"},
		{curves + "&iso3=KEN,ZZZ", 400, "iso3"},
		{curves + "&iso3=KEN,ken", 400, "iso3"},
		{curves + "&iso3=KEN,,UGA", 400, "iso3"},
		{"/api/v1/diffusion/moran?region=%00", 400, "region"},
		{"/api/v1/diffusion/flows?iso3=ZZZ", 400, "iso3"},
		// Years and dates.
		{curves + "&from=1899", 400, "from"},
		{curves + "&from=twenty", 400, "from"},
		{curves + "&to=" + next, 400, "to"},
		{curves + "&as_of=2015-06-30&to=2016", 400, "to"},
		{curves + "&from=2020&to=2010", 400, "from"},
		{curves + "&as_of=" + future, 400, "as_of"},
		{curves + "&as_of=2020-13-01", 400, "as_of"},
		{curves + "&recorded_as_of=2020-1-1", 400, "recorded_as_of"},
		{curves + "&recorded_as_of=1999-01-01", 400, "recorded_as_of"},
		{"/api/v1/diffusion/neighbours?capability=sanctions.blacklist&recorded_as_of=1999-01-01", 400, "recorded_as_of"},
		{"/api/v1/diffusion/moran?recorded_as_of=1999-01-01", 400, "recorded_as_of"},
		{"/api/v1/diffusion/moran?from=2020&to=2019", 400, "from"},
		{"/api/v1/diffusion/flows?to=" + next, 400, "to"},
		{curves + "&as_of=2020-01-01&as_of=2021-01-01", 400, "as_of"},
		// Vendor country and the CSV table.
		{"/api/v1/diffusion/flows?vendor_country=CH", 400, "vendor_country"},
		{"/api/v1/diffusion/flows?vendor_country=ZZZ", 400, "vendor_country"},
		{"/api/v1/diffusion/flows.csv?table=arcs", 400, "table"},
		{"/api/v1/diffusion/moran.csv?from=1800", 400, "from"},
		{"/api/v1/diffusion/neighbours.csv", 400, "capability"},
	}
}

type curvesDoc struct {
	DatasetVersion string `json:"dataset_version"`
	AsOf           string `json:"as_of"`
	MinLevel       int    `json:"min_level"`
	From, To       int
	Scope          struct {
		Kind      string
		Name      *string
		Countries int
	}
	Series []struct {
		Kind, Code, Name string
		MinCapabilities  int `json:"min_capabilities"`
		Points           []struct {
			Year, Assessed, Adopted int
			Date                    string
			AtOrAbove               int      `json:"at_or_above"`
			Share                   *float64 `json:"share"`
		}
	}
}

// TestDiffusionCurves checks the curves against what the raw assessment list
// says, counted here independently: a country has adopted by a date when one
// of its rows at level ≥ 2 started on or before it, and is assessed when any
// of its rows started by then.
func TestDiffusionCurves(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	rows, _ := walkAssessments(t, a, "/api/v1/assessments?limit=500")
	var doc curvesDoc
	getJSON(t, a, "/api/v1/diffusion/curves?capability=surveillance.cctv_network&pillar=sanctions&min_capabilities=2&as_of=2024-06-30", &doc)
	if doc.AsOf != "2024-06-30" || doc.MinLevel != 2 || doc.To != 2024 || doc.Scope.Kind != "world" || doc.Scope.Countries < 200 || len(doc.Series) != 2 {
		t.Fatalf("curves: %+v", doc)
	}
	cctv := doc.Series[0]
	if cctv.Kind != "capability" || cctv.Code != "surveillance.cctv_network" || cctv.Name == "" || cctv.MinCapabilities != 1 {
		t.Errorf("first series %+v", cctv)
	}
	if s := doc.Series[1]; s.Kind != "pillar" || s.Code != "sanctions" || s.MinCapabilities != 2 || len(s.Points) != len(cctv.Points) {
		t.Errorf("second series %+v", s)
	}
	if last := cctv.Points[len(cctv.Points)-1]; last.Date != "2024-06-30" || last.Year != 2024 {
		t.Errorf("the last point is %s, want as_of itself", last.Date)
	}
	for _, pt := range cctv.Points {
		assessed, adopted := map[string]bool{}, map[string]bool{}
		for _, r := range rows {
			if r.ValidFrom <= pt.Date {
				assessed[r.Country] = true
				if r.Capability == "surveillance.cctv_network" && r.Level >= 2 {
					adopted[r.Country] = true
				}
			}
		}
		if pt.Assessed != len(assessed) || pt.Adopted != len(adopted) {
			t.Errorf("%s: assessed %d, adopted %d; the assessment list gives %d and %d", pt.Date, pt.Assessed, pt.Adopted, len(assessed), len(adopted))
		}
		if pt.Share == nil || math.Abs(*pt.Share-float64(len(adopted))/float64(len(assessed))) > 1e-4 {
			t.Errorf("%s: share %v", pt.Date, pt.Share)
		}
	}
	// At or above on as_of: the country list filtered the same way, through another code path.
	var list struct{ Total int }
	getJSON(t, a, "/api/v1/countries?capability=surveillance.cctv_network&min_level=2&as_of=2024-06-30", &list)
	if got := cctv.Points[len(cctv.Points)-1].AtOrAbove; got != list.Total {
		t.Errorf("at_or_above on as_of = %d, the country list has %d", got, list.Total)
	}
	// Without from, the curves start in the year of the first adoption of any series.
	if a, b := cctv.Points[0], doc.Series[1].Points[0]; doc.From != a.Year || a.Adopted+b.Adopted == 0 {
		t.Errorf("from %d, first points %+v and %+v; want the first year to have an adopter", doc.From, a, b)
	}
}

func TestDiffusionCurvesScopeAndThreshold(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	var world, africa, east, list, strict curvesDoc
	getJSON(t, a, "/api/v1/diffusion/curves?capability=surveillance.cctv_network&from=2010&to=2020", &world)
	getJSON(t, a, "/api/v1/diffusion/curves?capability=surveillance.cctv_network&from=2010&to=2020&region=africa", &africa)
	getJSON(t, a, "/api/v1/diffusion/curves?capability=surveillance.cctv_network&from=2010&to=2020&subregion=Eastern%20Africa", &east)
	getJSON(t, a, "/api/v1/diffusion/curves?capability=surveillance.cctv_network&from=2010&to=2020&iso3=KEN,ecu", &list)
	getJSON(t, a, "/api/v1/diffusion/curves?capability=surveillance.cctv_network&from=2010&to=2020&min_level=3", &strict)
	if africa.Scope.Kind != "region" || africa.Scope.Name == nil || *africa.Scope.Name != "Africa" || east.Scope.Kind != "subregion" {
		t.Errorf("scopes: %+v, %+v", africa.Scope, east.Scope)
	}
	if list.Scope.Kind != "countries" || list.Scope.Countries != 2 {
		t.Errorf("list scope %+v", list.Scope)
	}
	if world.From != 2010 || len(world.Series[0].Points) != 11 {
		t.Fatalf("from/to: %d points from %d", len(world.Series[0].Points), world.From)
	}
	for i, w := range world.Series[0].Points {
		af, ea, li, st := africa.Series[0].Points[i], east.Series[0].Points[i], list.Series[0].Points[i], strict.Series[0].Points[i]
		if af.Adopted > w.Adopted || ea.Adopted > af.Adopted || ea.Assessed > af.Assessed || st.Adopted > w.Adopted || li.Assessed > 2 {
			t.Errorf("%d: world %+v, Africa %+v, Eastern Africa %+v, KEN+ECU %+v, level 3 %+v", w.Year, w, af, ea, li, st)
		}
	}
	// Ecuador's national camera system is level 3 from 2011 (cases-1.yaml), Kenya's
	// Nairobi and Mombasa cameras level 2 from 2015-05: both counted by 2015, neither in 2010.
	if p := list.Series[0].Points; p[0].Adopted != 0 || p[1].Adopted != 1 || p[5].Adopted != 2 {
		t.Errorf("KEN+ECU adopted 2010, 2011, 2015 = %d, %d, %d; want 0, 1, 2", p[0].Adopted, p[1].Adopted, p[5].Adopted)
	}
}

type exposureDoc struct {
	MinLevel int `json:"min_level"`
	From, To *int
	Series   struct{ Kind, Code string }
	Summary  struct {
		Adopters, Counted, Population int
		MeanExposure                  *float64 `json:"mean_exposure"`
		MeanBaseline                  *float64 `json:"mean_baseline"`
		Difference                    *float64
	}
	Countries []struct {
		ISO3, Name, Adopted string
		Neighbours          []string
		NotAssessed         []string `json:"neighbours_not_assessed"`
		Before              []string `json:"adopted_before"`
		Exposure            *float64
		Baseline            float64
	}
}

// TestDiffusionNeighbours checks each adopter against the rest of the API:
// its neighbours are its profile's land neighbours, and a neighbour "adopted
// before" it appears earlier in the list, itself an adopter.
func TestDiffusionNeighbours(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	var doc exposureDoc
	getJSON(t, a, "/api/v1/diffusion/neighbours?capability=surveillance.cctv_network", &doc)
	if doc.Series.Code != "surveillance.cctv_network" || doc.Summary.Adopters != len(doc.Countries) || doc.Summary.Adopters == 0 ||
		doc.Summary.Counted > doc.Summary.Adopters || doc.From != nil {
		t.Fatalf("summary %+v", doc.Summary)
	}
	adopted := map[string]string{}
	sum, counted := 0.0, 0
	for _, c := range doc.Countries {
		adopted[c.ISO3] = c.Adopted
		var profile struct{ Neighbours []struct{ ISO3 string } }
		getJSON(t, a, "/api/v1/countries/"+c.ISO3, &profile)
		var land []string
		for _, n := range profile.Neighbours {
			land = append(land, n.ISO3)
		}
		got := append(slices.Clone(c.Neighbours), c.NotAssessed...)
		slices.Sort(got)
		slices.Sort(land)
		if !slices.Equal(got, land) {
			t.Errorf("%s: neighbours %v + not assessed %v, profile %v", c.ISO3, c.Neighbours, c.NotAssessed, land)
		}
		for _, b := range c.Before {
			if d, ok := adopted[b]; !ok || d >= c.Adopted || !slices.Contains(c.Neighbours, b) {
				t.Errorf("%s (%s) lists %s as adopted before it (%q)", c.ISO3, c.Adopted, b, d)
			}
		}
		if c.Exposure != nil {
			if want := float64(len(c.Before)) / float64(len(c.Neighbours)); math.Abs(*c.Exposure-want) > 1e-4 {
				t.Errorf("%s: exposure %v, want %d/%d", c.ISO3, *c.Exposure, len(c.Before), len(c.Neighbours))
			}
			sum += *c.Exposure
			counted++
		} else if len(c.Neighbours) != 0 {
			t.Errorf("%s has assessed neighbours but no exposure", c.ISO3)
		}
	}
	if counted != doc.Summary.Counted || math.Abs(*doc.Summary.MeanExposure-sum/float64(counted)) > 1e-3 {
		t.Errorf("mean exposure %v over %d, want %v over %d", *doc.Summary.MeanExposure, doc.Summary.Counted, sum/float64(counted), counted)
	}
	if math.Abs(*doc.Summary.Difference-(*doc.Summary.MeanExposure-*doc.Summary.MeanBaseline)) > 2e-4 {
		t.Errorf("difference %v ≠ %v − %v", *doc.Summary.Difference, *doc.Summary.MeanExposure, *doc.Summary.MeanBaseline)
	}
	// A window of adoption years keeps the adopters whose date falls in it.
	var window exposureDoc
	getJSON(t, a, "/api/v1/diffusion/neighbours?capability=surveillance.cctv_network&from=2015&to=2019", &window)
	for _, c := range window.Countries {
		if c.Adopted < "2015-01-01" || c.Adopted > "2019-12-31" {
			t.Errorf("window 2015–2019 lists %s adopted %s", c.ISO3, c.Adopted)
		}
	}
	if window.From == nil || *window.From != 2015 || len(window.Countries) >= len(doc.Countries) {
		t.Errorf("window: from %v, %d adopters of %d", window.From, len(window.Countries), len(doc.Countries))
	}
}

type moranDoc struct {
	Variable struct {
		Kind string
		Code *string
	}
	KNearest     int `json:"k_nearest"`
	Permutations int
	From, To     int
	Years        []struct {
		Year, N  int
		Date     string
		Defined  bool
		Reason   *string
		I        *float64
		Expected *float64
		PValue   *float64 `json:"p_value"`
		Nearest  []string
	}
}

// TestDiffusionMoran: each year counts exactly the countries the index
// reports as assessed on that date (not assessed is left out, not 0), E[I]
// is −1/(n−1), the pseudo p-value lies in [1/1000, 1], and the answer is
// reproducible.
func TestDiffusionMoran(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	var doc moranDoc
	getJSON(t, a, "/api/v1/diffusion/moran?as_of=2024-06-30", &doc)
	if doc.Variable.Kind != "index" || doc.KNearest != 4 || doc.Permutations != 999 || doc.To != 2024 || len(doc.Years) != doc.To-doc.From+1 {
		t.Fatalf("moran: %+v", doc)
	}
	for _, y := range doc.Years {
		var index struct{ Countries []struct{ Assessed bool } }
		getJSON(t, a, "/api/v1/index?as_of="+y.Date, &index)
		n := 0
		for _, c := range index.Countries {
			if c.Assessed {
				n++
			}
		}
		if y.N != n || !y.Defined || y.I == nil || y.PValue == nil {
			t.Errorf("%d: n %d (index: %d assessed), defined %v", y.Year, y.N, n, y.Defined)
			continue
		}
		if math.Abs(*y.Expected+1/float64(n-1)) > 1e-4 || *y.PValue < 0.001 || *y.PValue > 1 || *y.I < -1.5 || *y.I > 1.5 {
			t.Errorf("%d: E[I] %v (want %v), p %v, I %v", y.Year, *y.Expected, -1/float64(n-1), *y.PValue, *y.I)
		}
	}
	// Seeded: a fresh server gives the same answer, and a year's answer does not depend on the range asked.
	b := newTestAPI(t, true)
	var again, one moranDoc
	getJSON(t, b, "/api/v1/diffusion/moran?as_of=2024-06-30", &again)
	getJSON(t, b, fmt.Sprintf("/api/v1/diffusion/moran?as_of=2024-06-30&from=%d&to=%d", doc.From+1, doc.From+1), &one)
	if jsonOf(t, again.Years) != jsonOf(t, doc.Years) {
		t.Error("a second server computed a different Moran's I")
	}
	if len(one.Years) != 1 || jsonOf(t, one.Years[0]) != jsonOf(t, doc.Years[1]) {
		t.Errorf("year %d alone = %s, within the range = %s", doc.From+1, jsonOf(t, one.Years), jsonOf(t, doc.Years[1]))
	}
	// Before the reference's first assessment the index, and so I, is undefined; a capability's level has its own years.
	var early, capability moranDoc
	getJSON(t, a, fmt.Sprintf("/api/v1/diffusion/moran?from=%d&to=%d", doc.From-1, doc.From-1), &early)
	if y := early.Years[0]; y.Defined || y.Reason == nil || y.I != nil {
		t.Errorf("before the reference: %+v", y)
	}
	getJSON(t, a, "/api/v1/diffusion/moran?capability=surveillance.cctv_network&region=Africa&to=2020", &capability)
	if capability.Variable.Kind != "capability" || capability.Variable.Code == nil || capability.To != 2020 {
		t.Errorf("capability variable: %+v", capability.Variable)
	}
}

// jsonOf encodes v, for comparing decoded answers by value.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type flowEntry struct {
	From, To     string
	FromName     string     `json:"from_name"`
	FromPoint    [2]float64 `json:"from_point"`
	Domestic     bool
	Sites        int
	Capabilities []string
	FirstYear    *int `json:"first_year"`
	Statuses     map[string]int
	SiteList     []struct {
		ID      int64
		Country string
		Sources []struct{ Publisher string }
	} `json:"site_list"`
}

type flowsDoc struct {
	VendorCountry *string `json:"vendor_country"`
	Totals        struct {
		Sites, Undated int
		VendorKnown    int `json:"vendor_known"`
	}
	Flows []flowEntry
	Share struct {
		VendorCountry string `json:"vendor_country"`
		Years         []struct {
			Year, Sites, Vendor int
			VendorKnown         int `json:"vendor_known"`
		}
	}
}

// TestDiffusionFlows checks the flows against the site list and against one
// flow read off the fixture by hand: Ecuador's national monitoring
// headquarters in Quito, built by CEIEC and Huawei (vendor country CHN), an
// active camera network from 2011, cited to The New York Times and Foreign
// Policy (cases-1.yaml).
func TestDiffusionFlows(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	var doc flowsDoc
	getJSON(t, a, "/api/v1/diffusion/flows", &doc)
	var sites struct {
		Features []struct {
			Properties struct {
				ID            int64
				Country       string
				VendorCountry *string `json:"vendor_country"`
			}
		}
	}
	getJSON(t, a, "/api/v1/sites", &sites)
	known := 0
	for _, f := range sites.Features {
		if f.Properties.VendorCountry != nil {
			known++
		}
	}
	if doc.Totals.Sites != len(sites.Features) || doc.Totals.VendorKnown != known || doc.VendorCountry != nil {
		t.Errorf("totals %+v; the site list has %d sites, %d with a vendor country", doc.Totals, len(sites.Features), known)
	}
	inFlows := 0
	for _, f := range doc.Flows {
		inFlows += f.Sites
		if f.Domestic != (f.From == f.To) || len(f.SiteList) != f.Sites {
			t.Errorf("flow %s→%s: domestic %v, %d sites listed of %d", f.From, f.To, f.Domestic, len(f.SiteList), f.Sites)
		}
	}
	if inFlows != known {
		t.Errorf("flows hold %d sites, %d have a vendor country", inFlows, known)
	}
	i := slices.IndexFunc(doc.Flows, func(f flowEntry) bool {
		return f.From == "CHN" && f.To == "ECU"
	})
	if i < 0 {
		t.Fatalf("no CHN→ECU flow in %+v", doc.Flows)
	}
	ecu := doc.Flows[i]
	var publishers []string
	for _, s := range ecu.SiteList[0].Sources {
		publishers = append(publishers, s.Publisher)
	}
	slices.Sort(publishers)
	if ecu.Sites != 1 || ecu.FirstYear == nil || *ecu.FirstYear != 2011 || !slices.Equal(ecu.Capabilities, []string{"surveillance.cctv_network"}) ||
		ecu.Statuses["active"] != 1 || ecu.FromName != "China" || ecu.FromPoint == [2]float64{} ||
		!slices.Equal(publishers, []string{"Foreign Policy", "The New York Times"}) {
		t.Errorf("CHN→ECU = %+v (sources %v)", ecu, publishers)
	}
	// The vendor filter keeps one vendor's flows; the share series stays over every site.
	var chn flowsDoc
	getJSON(t, a, "/api/v1/diffusion/flows?vendor_country=chn&from=2010", &chn)
	for _, f := range chn.Flows {
		if f.From != "CHN" {
			t.Errorf("vendor_country=CHN lists %s→%s", f.From, f.To)
		}
	}
	last := chn.Share.Years[len(chn.Share.Years)-1]
	if chn.Share.VendorCountry != "CHN" || chn.Share.Years[0].Year != 2010 || last.Sites != doc.Totals.Sites-doc.Totals.Undated || last.Vendor > last.VendorKnown {
		t.Errorf("share: %+v (last %+v)", chn.Share, last)
	}
	// As of 2012 only sites started by then (or undated) count.
	var early flowsDoc
	getJSON(t, a, "/api/v1/diffusion/flows?as_of=2012-12-31&capability=surveillance.cctv_network", &early)
	if early.Totals.Sites >= doc.Totals.Sites || early.Totals.Sites < early.Totals.Undated {
		t.Errorf("as of 2012: %+v", early.Totals)
	}
}

// TestDiffusionCSV: each CSV variant carries the version, date and citation
// lines and the same figures as its JSON.
func TestDiffusionCSV(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	for _, tt := range []struct {
		path, header string
		rows         func() int
	}{
		{"/api/v1/diffusion/curves.csv?capability=sanctions.blacklist&pillar=sanctions&from=2015&to=2020",
			"series_kind,series_code,min_capabilities,year,date,assessed,adopted,at_or_above,share,share_at_or_above", func() int { return 12 }},
		{"/api/v1/diffusion/neighbours.csv?capability=surveillance.cctv_network", "iso3,name,adopted,neighbours_assessed,adopted_before,exposure,baseline,neighbours_not_assessed",
			func() int {
				var doc exposureDoc
				getJSON(t, a, "/api/v1/diffusion/neighbours?capability=surveillance.cctv_network", &doc)
				return len(doc.Countries)
			}},
		{"/api/v1/diffusion/moran.csv?from=2020&to=2022", "year,date,n,i,expected,p_value,z,mean_permuted,sd_permuted,nearest,reason", func() int { return 3 }},
		{"/api/v1/diffusion/flows.csv", "vendor_country,vendor_country_name,host_country,host_country_name,domestic,sites,capabilities,first_year,statuses,site_ids,sources",
			func() int {
				var doc flowsDoc
				getJSON(t, a, "/api/v1/diffusion/flows", &doc)
				return len(doc.Flows)
			}},
		{"/api/v1/diffusion/flows.csv?table=share&from=2018&to=2020", "year,date,sites,vendor_known,vendor,share,share_of_known", func() int { return 3 }},
	} {
		t.Run(tt.path, func(t *testing.T) {
			w := a.get(tt.path)
			if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "text/csv; charset=utf-8" ||
				!strings.HasPrefix(w.Header().Get("Content-Disposition"), `attachment; filename="scs-tracker-`) {
				t.Fatalf("%d %q %q", w.Code, w.Header().Get("Content-Type"), w.Header().Get("Content-Disposition"))
			}
			body := w.Body.String()
			for _, want := range []string{"# dataset_version: ", "as_of: " + todayUTC(), "# Cite as: SCS Diffusion Tracker (", "retrieved " + todayUTC()} {
				if !strings.Contains(body, want) {
					t.Errorf("CSV lacks %q:\n%s", want, truncate(body))
				}
			}
			r := csv.NewReader(strings.NewReader(body))
			r.Comment = '#'
			r.FieldsPerRecord = -1
			records, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(records[0], ",") != tt.header {
				t.Errorf("header %v, want %s", records[0], tt.header)
			}
			if want := tt.rows(); len(records)-1 != want {
				t.Errorf("%d rows, want %d", len(records)-1, want)
			}
		})
	}
}

// TestDiffusionCached: a repeated request is answered from the response
// cache with the same ETag, and If-None-Match gives 304.
func TestDiffusionCached(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	const path = "/api/v1/diffusion/moran?from=2020"
	first := a.get(path)
	tag := first.Header().Get("ETag")
	if first.Code != http.StatusOK || tag == "" || first.Header().Get("Cache-Control") == "" {
		t.Fatalf("%d, ETag %q", first.Code, tag)
	}
	if second := a.get(path); second.Header().Get("ETag") != tag || second.Body.String() != first.Body.String() {
		t.Error("the second answer differs")
	}
	if w := a.get(path, "If-None-Match", tag); w.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", w.Code)
	}
	var today, recorded moranDoc
	decode(t, first, &today)
	getJSON(t, a, path+"&recorded_as_of="+todayUTC(), &recorded)
	if jsonOf(t, today.Years) != jsonOf(t, recorded.Years) {
		t.Error("recorded_as_of=today answers differently from now")
	}
}
