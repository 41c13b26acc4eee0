package diffusion

import (
	"cmp"
	"slices"
	"time"
)

// Site is a deployment as vendor flows see it.
type Site struct {
	ID         int64
	Host       string // the country it is in
	Vendor     string // the vendor's home country; "" when not known
	Capability string
	Status     string
	Start      time.Time // zero when not known
}

// Flow is every site one vendor home country supplied to one host country.
type Flow struct {
	From, To string
	// Domestic is true when the vendor is based in the host country.
	Domestic     bool
	Sites        []int64        // site ids, ascending
	Capabilities []string       // distinct, sorted
	Statuses     map[string]int // sites per status
	// FirstYear is the earliest start year among its dated sites; 0 when
	// none is dated.
	FirstYear int
}

// Flows groups the sites with a known vendor country by (vendor country,
// host country), largest flow first, then by vendor and host code.
func Flows(sites []Site) []Flow {
	byPair := map[[2]string]*Flow{}
	var out []*Flow
	for _, s := range sites {
		if s.Vendor == "" {
			continue
		}
		key := [2]string{s.Vendor, s.Host}
		f := byPair[key]
		if f == nil {
			f = &Flow{From: s.Vendor, To: s.Host, Domestic: s.Vendor == s.Host, Statuses: map[string]int{}}
			byPair[key] = f
			out = append(out, f)
		}
		f.Sites = append(f.Sites, s.ID)
		if !slices.Contains(f.Capabilities, s.Capability) {
			f.Capabilities = append(f.Capabilities, s.Capability)
		}
		f.Statuses[s.Status]++
		if !s.Start.IsZero() && (f.FirstYear == 0 || s.Start.Year() < f.FirstYear) {
			f.FirstYear = s.Start.Year()
		}
	}
	flows := make([]Flow, len(out))
	for i, f := range out {
		slices.Sort(f.Sites)
		slices.Sort(f.Capabilities)
		flows[i] = *f
	}
	slices.SortFunc(flows, func(a, b Flow) int {
		if c := cmp.Compare(len(b.Sites), len(a.Sites)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.From, b.From); c != 0 {
			return c
		}
		return cmp.Compare(a.To, b.To)
	})
	return flows
}

// VendorYear is the share of one vendor country's sites among the sites
// started by the end of one year (cumulative).
type VendorYear struct {
	Date time.Time
	// Sites started on or before Date; Known among them with a known vendor
	// country; Vendor among those with a vendor based in the country asked.
	Sites, Known, Vendor int
}

// Share is Vendor / Sites; ShareOfKnown is Vendor / Known.
func (v VendorYear) Share() (float64, bool)        { return ratio(v.Vendor, v.Sites) }
func (v VendorYear) ShareOfKnown() (float64, bool) { return ratio(v.Vendor, v.Known) }

// VendorShare counts, at each date, the dated sites started by then and how
// many of them have a vendor based in vendor. Undated sites cannot be placed
// in time and are left out (the caller reports how many there are).
func VendorShare(sites []Site, vendor string, dates []time.Time) []VendorYear {
	out := make([]VendorYear, len(dates))
	for i, d := range dates {
		v := VendorYear{Date: d}
		for _, s := range sites {
			if s.Start.IsZero() || s.Start.After(d) {
				continue
			}
			v.Sites++
			if s.Vendor != "" {
				v.Known++
			}
			if s.Vendor == vendor {
				v.Vendor++
			}
		}
		out[i] = v
	}
	return out
}
