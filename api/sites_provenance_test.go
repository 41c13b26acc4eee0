package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// siteProvenance is what a site list says of where its sites came from.
type siteProvenance struct {
	Features []provenanceFeature
}

type provenanceFeature struct {
	ID         int64
	Properties provenanceProps
}

type provenanceProps struct {
	Name         string
	Summary      string
	Provenance   string
	ReportID     *int64  `json:"report_id"`
	Organisation *string `json:"organisation"`
}

const siteSummary = "Cameras the report found, with the city's tender."

// flowSites reads the sites of the vendor flows into the world's country
// as a site list (flows carry no summary), for the same checks.
func (w *reportWorld) flowSites() siteProvenance {
	w.t.Helper()
	res := w.get("/api/v1/diffusion/flows")
	if res.Code != http.StatusOK {
		w.t.Fatalf("/api/v1/diffusion/flows: %d %s", res.Code, res.Body)
	}
	var flows struct {
		Flows []struct {
			To       string
			SiteList []struct {
				ID int64
				provenanceProps
			} `json:"site_list"`
		}
	}
	decode(w.t, res, &flows)
	var out siteProvenance
	for _, f := range flows.Flows {
		for _, s := range f.SiteList {
			if f.To == w.country {
				out.Features = append(out.Features, provenanceFeature{ID: s.ID, Properties: s.provenanceProps})
			}
		}
	}
	return out
}

// reportSites accepts a report of auth's organisation (reviewed by the other
// organisation) and returns it with the /api/v1/sites and OGC sites lists.
func (w *reportWorld) reportSites(partner, reviewer string) (int64, siteProvenance, siteProvenance) {
	w.t.Helper()
	body := strings.Replace(w.body(), `"confidence":"M","summary":"","sources"`, `"confidence":"M","summary":"`+siteSummary+`","sources"`, 1)
	if body == w.body() {
		w.t.Fatal("the report body has no empty site summary to fill in")
	}
	res := w.send(http.MethodPost, "/api/v1/reports", partner, body)
	if res.Code != http.StatusCreated {
		w.t.Fatalf("create: %d %s", res.Code, res.Body)
	}
	var r reportResp
	decode(w.t, res, &r)
	etag := res.Header().Get("ETag")
	_, etag = w.act(r.ID, "submit", partner, etag, "", http.StatusOK)
	w.act(r.ID, "accept", reviewer, etag, "", http.StatusOK)
	var api, ogc siteProvenance
	res = w.get("/api/v1/sites?country=" + w.country)
	if res.Code != http.StatusOK {
		w.t.Fatalf("/api/v1/sites: %d %s", res.Code, res.Body)
	}
	decode(w.t, res, &api)
	res = w.get("/ogc/collections/sites/items?limit=1000&country=" + w.country)
	if res.Code != http.StatusOK {
		w.t.Fatalf("/ogc sites: %d %s", res.Code, res.Body)
	}
	decode(w.t, res, &ogc)
	return r.ID, api, ogc
}

func TestSiteProvenanceOfANamedOrganisation(t *testing.T) {
	t.Parallel()
	w := newReportWorld(t)
	id, api, ogc := w.reportSites(w.partnerA, w.reviewerB)
	for name, list := range map[string]siteProvenance{"/api/v1/sites": api, "/ogc sites": ogc, "/api/v1/diffusion/flows": w.flowSites()} {
		summary := siteSummary
		if name == "/api/v1/diffusion/flows" {
			summary = "" // the flows' site lists carry no summary
		}
		var fromReport int
		for _, f := range list.Features {
			p := f.Properties
			switch p.Provenance {
			case "report":
				fromReport++
				if p.ReportID == nil || *p.ReportID != id || p.Organisation == nil || *p.Organisation != "Open Evidence Lab" ||
					p.Name != "Reported camera network" || p.Summary != summary {
					t.Errorf("%s: report site %d: %+v", name, f.ID, p)
				}
			case "dataset":
				if p.ReportID != nil || p.Organisation != nil || p.Summary != "" {
					t.Errorf("%s: dataset site %d: %+v", name, f.ID, p)
				}
			default:
				t.Errorf("%s: site %d has provenance %q", name, f.ID, p.Provenance)
			}
		}
		if fromReport != 1 {
			t.Errorf("%s: %d sites from the report, want 1", name, fromReport)
		}
	}
}

func TestSiteProvenanceOfAnUnnamedOrganisation(t *testing.T) {
	t.Parallel()
	w := newReportWorld(t)
	id, api, ogc := w.reportSites(w.partnerB, w.reviewerA) // Quiet Reviewers: named = false
	for name, list := range map[string]siteProvenance{"/api/v1/sites": api, "/ogc sites": ogc, "/api/v1/diffusion/flows": w.flowSites()} {
		var fromReport int
		for _, f := range list.Features {
			if p := f.Properties; p.Provenance == "report" {
				fromReport++
				if p.ReportID == nil || *p.ReportID != id || p.Organisation != nil {
					t.Errorf("%s: report site %d: %+v", name, f.ID, p)
				}
			}
		}
		if fromReport != 1 {
			t.Errorf("%s: %d sites from the report, want 1", name, fromReport)
		}
	}
	for _, path := range []string{"/api/v1/sites", "/ogc/collections/sites/items?limit=1000", "/api/v1/diffusion/flows", "/api/v1/diffusion/flows.csv"} {
		if body := w.get(path).Body.String(); strings.Contains(body, "Quiet Reviewers") {
			t.Errorf("%s publishes the unnamed organisation's name", path)
		}
	}
}

// TestShippedSitesAreFromTheDataset: without reports every site says dataset,
// and the OGC provenance queryable filters on it.
func TestShippedSitesAreFromTheDataset(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, true)
	var list siteProvenance
	decode(t, a.get("/api/v1/sites"), &list)
	if len(list.Features) == 0 {
		t.Fatal("no shipped sites")
	}
	for _, f := range list.Features {
		if p := f.Properties; p.Provenance != "dataset" || p.ReportID != nil || p.Organisation != nil || p.Summary != "" {
			t.Errorf("shipped site %d: %+v", f.ID, p)
		}
	}
	for filter, want := range map[string]int{"provenance='dataset'": len(list.Features), "provenance='report'": 0} {
		var ogc siteProvenance
		res := a.get("/ogc/collections/sites/items?limit=1000&filter=" + url.QueryEscape(filter))
		if res.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", filter, res.Code, res.Body)
		}
		decode(t, res, &ogc)
		if len(ogc.Features) != want {
			t.Errorf("filter %s: %d sites, want %d", filter, len(ogc.Features), want)
		}
	}
}
