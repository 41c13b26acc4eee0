package api

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/scs-diffusion/tracker/diffusion"
	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/store"
)

// GET /api/v1/diffusion/flows (and .csv): vendor home country → host country.

type flowSite struct {
	ID            int64       `json:"id"`
	Name          string      `json:"name"`
	Country       string      `json:"country"`
	Capability    string      `json:"capability"`
	Status        string      `json:"status"`
	Vendor        string      `json:"vendor"`
	ValidFrom     *string     `json:"valid_from"`
	FromPrecision string      `json:"valid_from_precision"`
	ValidTo       *string     `json:"valid_to"`
	Confidence    string      `json:"confidence"`
	Point         [2]float64  `json:"point"`
	Provenance    string      `json:"provenance"`
	ReportID      *int64      `json:"report_id"`
	Organisation  *string     `json:"organisation"`
	Sources       []sourceOut `json:"sources"`
}

type flowOut struct {
	From         string         `json:"from"`
	FromName     string         `json:"from_name"`
	To           string         `json:"to"`
	ToName       string         `json:"to_name"`
	FromPoint    [2]float64     `json:"from_point"`
	ToPoint      [2]float64     `json:"to_point"`
	Domestic     bool           `json:"domestic"`
	Sites        int            `json:"sites"`
	Capabilities []string       `json:"capabilities"`
	FirstYear    *int           `json:"first_year"`
	Statuses     map[string]int `json:"statuses"`
	SiteList     []flowSite     `json:"site_list"`
}

type vendorShareYear struct {
	Year         int      `json:"year"`
	Date         string   `json:"date"`
	Sites        int      `json:"sites"`
	VendorKnown  int      `json:"vendor_known"`
	Vendor       int      `json:"vendor"`
	Share        *float64 `json:"share"`
	ShareOfKnown *float64 `json:"share_of_known"`
}

type vendorShareOut struct {
	VendorCountry string            `json:"vendor_country"`
	From          int               `json:"from"`
	To            int               `json:"to"`
	Years         []vendorShareYear `json:"years"`
}

type flowTotals struct {
	Sites       int `json:"sites"`
	VendorKnown int `json:"vendor_known"`
	Undated     int `json:"undated"`
}

type flowsResponse struct {
	diffusionMeta
	VendorCountry *string        `json:"vendor_country"`
	Series        *seriesOut     `json:"series"`
	Totals        flowTotals     `json:"totals"`
	Flows         []flowOut      `json:"flows"`
	Share         vendorShareOut `json:"share"`
}

// flowsParams adds the vendor country asked for (empty: every vendor).
type flowsParams struct {
	diffusionParams
	vendor string
	table  string // CSV only: flows or share
}

func flowsRead(r *readRequest) (*readmodel.Snapshot, diffusionAnswer, error) {
	return flowsPrepare(r, false)
}

func flowsCSVRead(r *readRequest) (*readmodel.Snapshot, diffusionAnswer, error) {
	return flowsPrepare(r, true)
}

func flowsPrepare(r *readRequest, csv bool) (*readmodel.Snapshot, diffusionAnswer, error) {
	extra := []string{"capability", "pillar", "vendor_country"}
	if csv {
		extra = append(extra, "table")
	}
	sn, dp, err := diffusionRead(r, extra...)
	if err != nil {
		return nil, diffusionAnswer{}, err
	}
	p := flowsParams{diffusionParams: dp, table: "flows"}
	if p.series, err = parseSeries(r.c, sn, 1, false); err != nil {
		return nil, diffusionAnswer{}, err
	}
	if s, ok := r.c.GetQuery("vendor_country"); ok {
		if p.vendor, err = parseISO3("vendor_country", s); err != nil {
			return nil, diffusionAnswer{}, err
		}
		if _, known := sn.Country(p.vendor); !known {
			return nil, diffusionAnswer{}, badParam("vendor_country", p.vendor+" is not a known country")
		}
	}
	if s, ok := r.c.GetQuery("table"); ok {
		if s != "flows" && s != "share" {
			return nil, diffusionAnswer{}, badParam("table", "must be flows (one row per vendor country and host country) or share (one row per year)")
		}
		p.table = s
	}
	return sn, diffusionAnswer{
		compute:  func() any { return flowsOf(sn, p) },
		csv:      func(v any) ([]string, [][]string, error) { return flowsCSV(sn, v.(flowsResponse), p.table) },
		filename: "scs-tracker-vendor-" + p.table + "-" + p.asOf.Format(time.DateOnly) + ".csv",
	}, nil
}

// flowsOf computes the flows among the sites of the scope's host countries
// (and of the capability or pillar asked) started on or before as_of or
// undated, and the yearly share of the vendor country (default CHN).
func flowsOf(sn *readmodel.Snapshot, p flowsParams) flowsResponse {
	all, byID := sn.DiffusionSites(p.asOf, readmodel.SiteFilter{})
	var sites []diffusion.Site
	for _, s := range all {
		if slices.Contains(p.scope.countries, s.Host) && (len(p.series) == 0 || slices.Contains(p.series[0].Capabilities, s.Capability)) {
			sites = append(sites, s)
		}
	}
	out := flowsResponse{diffusionMeta: metaOf(sn, p.diffusionParams), Flows: []flowOut{}}
	if len(p.series) > 0 {
		s := seriesOutOf(sn, p.series[0])
		out.Series = &s
	}
	first := p.to
	var vendorSites []diffusion.Site
	for _, s := range sites {
		out.Totals.Sites++
		if s.Vendor != "" {
			out.Totals.VendorKnown++
		}
		if s.Start.IsZero() {
			out.Totals.Undated++
		} else {
			first = min(first, s.Start.Year())
		}
		if p.vendor == "" || s.Vendor == p.vendor {
			vendorSites = append(vendorSites, s)
		}
	}
	if p.vendor != "" {
		out.VendorCountry = &p.vendor
	}
	for _, f := range diffusion.Flows(vendorSites) {
		out.Flows = append(out.Flows, flowOf(sn, f, byID))
	}
	out.Share = vendorShareOf(p, sites, first)
	return out
}

func flowOf(sn *readmodel.Snapshot, f diffusion.Flow, byID map[int64]*store.Site) flowOut {
	fo := flowOut{From: f.From, FromName: countryName(sn, f.From), To: f.To, ToName: countryName(sn, f.To), Domestic: f.Domestic,
		Sites: len(f.Sites), Capabilities: f.Capabilities, Statuses: f.Statuses, SiteList: []flowSite{}}
	if c, ok := sn.Country(f.From); ok {
		fo.FromPoint = c.LabelPoint
	}
	if c, ok := sn.Country(f.To); ok {
		fo.ToPoint = c.LabelPoint
	}
	if f.FirstYear != 0 {
		fo.FirstYear = &f.FirstYear
	}
	for _, id := range f.Sites {
		s := byID[id]
		fo.SiteList = append(fo.SiteList, flowSite{ID: s.ID, Name: s.Name, Country: s.Country, Capability: s.Capability, Status: s.Status,
			Vendor: s.Vendor, ValidFrom: optDate(s.ValidFrom), FromPrecision: s.FromPrecision, ValidTo: optDate(s.ValidTo),
			Confidence: s.Confidence, Point: [2]float64{s.Point[0], s.Point[1]},
			Provenance: s.Provenance, ReportID: s.ReportID, Organisation: s.Organisation, Sources: sourcesOf(s.Sources)})
	}
	return fo
}

// vendorShareOf is the yearly share of the vendor country's sites; without
// from it starts in the year of the first dated site.
func vendorShareOf(p flowsParams, sites []diffusion.Site, first int) vendorShareOut {
	vendor := p.vendor
	if vendor == "" {
		vendor = "CHN"
	}
	from, to := p.years(first)
	out := vendorShareOut{VendorCountry: vendor, From: from, To: to, Years: []vendorShareYear{}}
	for _, v := range diffusion.VendorShare(sites, vendor, p.yearDates(from, to)) {
		out.Years = append(out.Years, vendorShareYear{Year: v.Date.Year(), Date: v.Date.Format(time.DateOnly), Sites: v.Sites,
			VendorKnown: v.Known, Vendor: v.Vendor, Share: share(v.Share()), ShareOfKnown: share(v.ShareOfKnown())})
	}
	return out
}

func flowsCSV(sn *readmodel.Snapshot, resp flowsResponse, table string) ([]string, [][]string, error) {
	series := "every capability"
	if resp.Series != nil {
		series = resp.Series.Kind + " " + resp.Series.Code
	}
	vendor := "every vendor country"
	if resp.VendorCountry != nil {
		vendor = *resp.VendorCountry
	}
	params := fmt.Sprintf("sites: %s; vendor: %s; sites counted: %d (%d with a known vendor country, %d undated)",
		series, vendor, resp.Totals.Sites, resp.Totals.VendorKnown, resp.Totals.Undated)
	if table == "share" {
		rows := [][]string{{"year", "date", "sites", "vendor_known", "vendor", "share", "share_of_known"}}
		for _, y := range resp.Share.Years {
			rows = append(rows, []string{strconv.Itoa(y.Year), y.Date, strconv.Itoa(y.Sites), strconv.Itoa(y.VendorKnown), strconv.Itoa(y.Vendor),
				fmtScore(y.Share), fmtScore(y.ShareOfKnown)})
		}
		return diffusionComments(sn, resp.diffusionMeta, "vendor share",
			fmt.Sprintf("dated sites started by each date and how many have a vendor based in %s (undated sites left out)", resp.Share.VendorCountry),
			params), rows, nil
	}
	rows := [][]string{{"vendor_country", "vendor_country_name", "host_country", "host_country_name", "domestic", "sites", "capabilities",
		"first_year", "statuses", "site_ids", "sources"}}
	for _, f := range resp.Flows {
		rows = append(rows, flowCSVRow(f))
	}
	return diffusionComments(sn, resp.diffusionMeta, "vendor flows",
		"sites per vendor home country and host country, started on or before as_of or undated", params), rows, nil
}

func flowCSVRow(f flowOut) []string {
	first := ""
	if f.FirstYear != nil {
		first = strconv.Itoa(*f.FirstYear)
	}
	var statuses, ids, cites []string
	for st, n := range f.Statuses {
		statuses = append(statuses, st+":"+strconv.Itoa(n))
	}
	sort.Strings(statuses)
	for _, s := range f.SiteList {
		ids = append(ids, strconv.FormatInt(s.ID, 10))
		for _, src := range s.Sources {
			cite := fmt.Sprintf("%s: %s (%s)", src.Publisher, src.Title, orND(src.Published))
			if src.URL != nil {
				cite += " " + *src.URL
			}
			if !slices.Contains(cites, cite) {
				cites = append(cites, cite)
			}
		}
	}
	return []string{f.From, f.FromName, f.To, f.ToName, strconv.FormatBool(f.Domestic), strconv.Itoa(f.Sites), strings.Join(f.Capabilities, " "),
		first, strings.Join(statuses, " "), strings.Join(ids, " "), strings.Join(cites, " | ")}
}

func orND(s *string) string {
	if s == nil {
		return "n.d."
	}
	return *s
}
