package api_test

import (
	"fmt"
	"net/http"
	"testing"
)

type previewResp struct {
	ReportID   int64  `json:"report_id"`
	Country    string `json:"country"`
	AsOf       string `json:"as_of"`
	Current    struct{ Index *float64 }
	IfAccepted struct {
		Index   *float64
		Pillars []struct {
			Code  string
			Score *float64
		}
	} `json:"if_accepted"`
}

// The preview a reviewer sees is what the country's profile shows once the
// report is accepted, and what it showed before.
func TestReportPreviewIsWhatAcceptingPublishes(t *testing.T) {
	t.Parallel()
	w := newReportWorld(t)
	profileIndex := func() float64 {
		res := w.get("/api/v1/countries/" + w.country)
		if res.Code != http.StatusOK {
			t.Fatalf("profile: %d %s", res.Code, res.Body)
		}
		var p struct{ Index *float64 }
		decode(t, res, &p)
		if p.Index == nil {
			t.Fatalf("%s is not assessed", w.country)
		}
		return *p.Index
	}
	before := profileIndex()
	r, etag := w.create(w.partnerA)
	_, etag = w.act(r.ID, "submit", w.partnerA, etag, "", http.StatusOK)
	res := w.send(http.MethodGet, fmt.Sprintf("/api/v1/reports/%d/preview", r.ID), w.reviewerB, "")
	if res.Code != http.StatusOK {
		t.Fatalf("preview: %d %s", res.Code, res.Body)
	}
	if got := res.Header().Get("Cache-Control"); got != "private, no-store" {
		t.Errorf("Cache-Control %q", got)
	}
	var pv previewResp
	decode(t, res, &pv)
	if pv.ReportID != r.ID || pv.Country != w.country || pv.Current.Index == nil || pv.IfAccepted.Index == nil {
		t.Fatalf("preview %+v", pv)
	}
	if *pv.Current.Index != before {
		t.Errorf("current index %v, the profile says %v", *pv.Current.Index, before)
	}
	if *pv.IfAccepted.Index <= before {
		t.Errorf("raising %s from %d to %d gives %v, not above %v", w.capability, w.oldLevel, w.oldLevel+1, *pv.IfAccepted.Index, before)
	}
	w.act(r.ID, "accept", w.reviewerB, etag, "", http.StatusOK)
	if after := profileIndex(); after != *pv.IfAccepted.Index {
		t.Errorf("accepted: the profile says %v, the preview said %v", after, *pv.IfAccepted.Index)
	}
	// Bad ids answer a problem naming the field.
	res = w.send(http.MethodGet, "/api/v1/reports/0/preview", w.reviewerB, "")
	wantProblem(t, res, http.StatusBadRequest, "id")
	res = w.send(http.MethodGet, fmt.Sprintf("/api/v1/reports/%d/preview?x=1", r.ID), w.reviewerB, "")
	wantProblem(t, res, http.StatusBadRequest, "x")
}
