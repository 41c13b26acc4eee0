package diffusion

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// sites: two Chinese-built sites in ECU, one in KEN and one undated in PAK;
// a home-grown site with a known vendor in KAZ; a Japanese vendor in GBR; a
// site in USA whose vendor's country is not known.
func sites() []Site {
	return []Site{
		{ID: 1, Host: "ECU", Vendor: "CHN", Capability: "surveillance.cctv_network", Status: "active", Start: d("2011-01-01")},
		{ID: 2, Host: "ECU", Vendor: "CHN", Capability: "surveillance.facial_recognition", Status: "planned", Start: d("2019-05-01")},
		{ID: 3, Host: "KEN", Vendor: "CHN", Capability: "surveillance.cctv_network", Status: "active", Start: d("2015-05-01")},
		{ID: 4, Host: "KAZ", Vendor: "KAZ", Capability: "surveillance.cctv_network", Status: "active", Start: d("2017-09-15")},
		{ID: 5, Host: "GBR", Vendor: "JPN", Capability: "surveillance.facial_recognition", Status: "active", Start: d("2020-01-24")},
		{ID: 6, Host: "PAK", Vendor: "CHN", Capability: "surveillance.cctv_network", Status: "active"},
		{ID: 7, Host: "USA", Capability: "surveillance.cctv_network", Status: "active", Start: d("2018-01-01")},
	}
}

func TestFlows(t *testing.T) {
	want := []Flow{
		{From: "CHN", To: "ECU", Sites: []int64{1, 2}, Capabilities: []string{"surveillance.cctv_network", "surveillance.facial_recognition"},
			Statuses: map[string]int{"active": 1, "planned": 1}, FirstYear: 2011},
		{From: "CHN", To: "KEN", Sites: []int64{3}, Capabilities: []string{"surveillance.cctv_network"}, Statuses: map[string]int{"active": 1}, FirstYear: 2015},
		{From: "CHN", To: "PAK", Sites: []int64{6}, Capabilities: []string{"surveillance.cctv_network"}, Statuses: map[string]int{"active": 1}},
		{From: "JPN", To: "GBR", Sites: []int64{5}, Capabilities: []string{"surveillance.facial_recognition"}, Statuses: map[string]int{"active": 1}, FirstYear: 2020},
		{From: "KAZ", To: "KAZ", Domestic: true, Sites: []int64{4}, Capabilities: []string{"surveillance.cctv_network"}, Statuses: map[string]int{"active": 1}, FirstYear: 2017},
	}
	if diff := cmp.Diff(want, Flows(sites())); diff != "" {
		t.Errorf("Flows (-want +got):\n%s", diff)
	}
}

func TestVendorShare(t *testing.T) {
	// End of 2014: only site 1 had started (CHN). End of 2019: sites 1, 2, 3,
	// 4 and 7: five, four with a known vendor country, three Chinese → 3/5 and
	// 3/4. End of 2020: site 5 too → 3/6 and 3/5. Site 6 is undated.
	got := VendorShare(sites(), "CHN", []time.Time{d("2014-12-31"), d("2019-12-31"), d("2020-12-31")})
	want := []VendorYear{
		{Date: d("2014-12-31"), Sites: 1, Known: 1, Vendor: 1},
		{Date: d("2019-12-31"), Sites: 5, Known: 4, Vendor: 3},
		{Date: d("2020-12-31"), Sites: 6, Known: 5, Vendor: 3},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("VendorShare (-want +got):\n%s", diff)
	}
	if s, ok := got[1].Share(); !ok || s != 0.6 {
		t.Errorf("Share = %v, want 0.6", s)
	}
	if s, ok := got[1].ShareOfKnown(); !ok || s != 0.75 {
		t.Errorf("ShareOfKnown = %v, want 0.75", s)
	}
	if _, ok := (VendorYear{}).Share(); ok {
		t.Error("Share of no site is defined")
	}
}
