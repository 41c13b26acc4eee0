package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestReportBadInput sends each kind of bad report: 422 naming the field by
// JSON pointer, and nothing written.
func TestReportBadInput(t *testing.T) {
	t.Parallel()
	w := newReportWorld(t)
	good := w.body()
	level := fmt.Sprintf(`"level":%d`, w.oldLevel+1)
	cases := []struct {
		name, from, to, pointer string
	}{
		{"unknown field", `"narrative":"What we found."`, `"narrative":"What we found.","author":"me"`, "/author"},
		{"unknown nested field", `"summary":"Raised by the report."`, `"summary":"Raised by the report.","score":9`, "/assessments/0/score"},
		{"level above 4", level, `"level":5`, "/assessments/0/level"},
		{"level below 0", level, `"level":-1`, "/assessments/0/level"},
		{"level not a number", level, `"level":"high"`, "/assessments/0/level"},
		{"dates in the wrong order", `"valid_to":null,"confidence":"M"`, `"valid_to":"1999-01-01","confidence":"M"`, "/assessments/0/valid_to"},
		{"period in the wrong order", `"to":"2024-12-31"`, `"to":"2019-01-01"`, "/period/to"},
		{"date in the future", `"published":"2022-03-01"}]}],
 "sites"`, `"published":"2099-03-01"}]}],
 "sites"`, "/assessments/0/sources/0/published"},
		{"confidence L above level 1", `"confidence":"M","summary":"Raised`, `"confidence":"L","summary":"Raised`, "/assessments/0/confidence"},
		{"level without a source", `"summary":"Raised by the report.",
   "sources":[{"url":"https://example.org/evidence-1","title":"Evidence one","publisher":"Open Evidence Lab","published":"2022-03-01"}]`,
			`"summary":"Raised by the report.","sources":[]`, "/assessments/0/sources"},
		{"source without a title", `"title":"Evidence one"`, `"title":""`, "/assessments/0/sources/0/title"},
		{"source with a non-http URL", `"url":"https://example.org/evidence-1"`, `"url":"file:///etc/passwd"`, "/assessments/0/sources/0/url"},
		{"unknown source id", `"sources":[{"url":"https://example.org/evidence-1","title":"Evidence one","publisher":"Open Evidence Lab","published":"2022-03-01"}]}],
 "sites"`, `"sources":[{"id":999999}]}],
 "sites"`, "/assessments/0/sources/0/id"},
		{"site outside its country", fmt.Sprintf(`"lon":%g,"lat":%g`, w.lon, w.lat), `"lon":-150,"lat":-40`, "/sites/0/lon"},
		{"unknown capability", fmt.Sprintf(`"capability":%q`, w.capability), `"capability":"rating.horoscope"`, "/assessments/0/capability"},
		{"unknown country", fmt.Sprintf(`"country":%q`, w.country), `"country":"ZZZ"`, "/country"},
		{"not JSON", `{"country"`, `{country`, ""},
	}
	for _, c := range cases {
		if !strings.Contains(good, c.from) {
			t.Fatalf("%s: %q is not in the good body", c.name, c.from)
		}
		body := strings.Replace(good, c.from, c.to, 1)
		res := w.send(http.MethodPost, "/api/v1/reports", w.partnerA, body)
		p := wantProblem(t, res, http.StatusUnprocessableEntity, c.pointer)
		if p.Type != "/problems/invalid-report" {
			t.Errorf("%s: type %s", c.name, p.Type)
		}
	}
	// More than 500 items.
	item := fmt.Sprintf(`{"capability":%q,"level":0,"valid_from":"2020-01-01","confidence":"M","summary":""}`, w.capability)
	many := fmt.Sprintf(`{"country":%q,"period":{"from":"2020-01-01","to":"2024-12-31"},"assessments":[%s]}`,
		w.country, strings.TrimSuffix(strings.Repeat(item+",", 501), ","))
	p := wantProblem(t, w.send(http.MethodPost, "/api/v1/reports", w.partnerA, many), http.StatusUnprocessableEntity, "")
	if len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Reason, "at most 500") {
		t.Errorf("501 items: %+v", p.Errors)
	}
	// An oversized body (the test router allows 1 MiB).
	huge := strings.Replace(good, "What we found.", strings.Repeat("x", 1<<20), 1)
	wantProblem(t, w.send(http.MethodPost, "/api/v1/reports", w.partnerA, huge), http.StatusRequestEntityTooLarge, "body")
	if n := w.count(`SELECT count(*) FROM report`); n != 0 {
		t.Fatalf("%d reports written by bad requests", n)
	}
	// The same rules on PUT, and nothing changes.
	r, etag := w.create(w.partnerA)
	bad := strings.Replace(good, level, `"level":9`, 1)
	wantProblem(t, w.send(http.MethodPut, fmt.Sprintf("/api/v1/reports/%d", r.ID), w.partnerA, bad, "If-Match", etag),
		http.StatusUnprocessableEntity, "/assessments/0/level")
	if n := w.count(`SELECT version FROM report WHERE id = $1`, r.ID); n != 1 {
		t.Errorf("a refused PUT changed the report (version %d)", n)
	}
	// A transition body with a bad item pointer.
	wantProblem(t, w.send(http.MethodPost, fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), w.partnerA,
		`{"item_comments":[{"pointer":"/narrative","comment":"x"}]}`, "If-Match", etag), http.StatusUnprocessableEntity, "/item_comments/0/pointer")
	wantProblem(t, w.send(http.MethodPost, fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), w.partnerA,
		`{"note":"x"}`, "If-Match", etag), http.StatusUnprocessableEntity, "")
	// A route that is no action.
	wantProblem(t, w.send(http.MethodPost, fmt.Sprintf("/api/v1/reports/%d/publish", r.ID), w.partnerA, "", "If-Match", etag), 404, "")
}

func TestReportCSV(t *testing.T) {
	t.Parallel()
	w := newReportWorld(t)
	tpl := w.get("/api/v1/reports/template.csv")
	if tpl.Code != 200 || !strings.HasPrefix(tpl.Body.String(), "kind,capability,level,") {
		t.Fatalf("template: %d %.200s", tpl.Code, tpl.Body)
	}
	r, etag := w.create(w.partnerA)
	path := fmt.Sprintf("/api/v1/reports/%d/csv", r.ID)
	header := tpl.Body.String()[:strings.IndexByte(tpl.Body.String(), '\n')+1]
	row := func(kv map[string]string) string {
		cols := strings.Split(strings.TrimSpace(header), ",")
		out := make([]string, len(cols))
		for i, c := range cols {
			out[i] = kv[c]
		}
		return strings.Join(out, ",") + "\n"
	}
	goodA := row(map[string]string{"kind": "assessment", "capability": w.capability, "level": "1", "valid_from": "2018-01-01",
		"valid_to": "2019-01-01", "confidence": "H", "summary": "From the spreadsheet", "source_url": "https://example.org/csv-1",
		"source_title": "CSV source", "source_publisher": "Lab", "source_published": "2018-05-01"})
	extra := row(map[string]string{"kind": "source", "source_url": "https://example.org/csv-2", "source_title": "Second",
		"source_publisher": "Lab", "source_published": "2018-06-01"})
	badLevel := row(map[string]string{"kind": "assessment", "capability": w.capability, "level": "7", "valid_from": "2018-01-01",
		"confidence": "H", "source_url": "https://example.org/csv-3", "source_title": "T", "source_publisher": "P", "source_published": "2018-01-01"})
	badURL := row(map[string]string{"kind": "source", "source_url": "gopher://x", "source_title": "T", "source_publisher": "P", "source_published": "2018-01-01"})
	csvHeaders := []string{"Content-Type", "text/csv", "If-Match", etag}

	// Any wrong cell: 422 by row and column, nothing imported.
	res := w.send(http.MethodPost, path, w.partnerA, header+goodA+extra+badLevel+badURL, csvHeaders...)
	if res.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad CSV: %d %s", res.Code, res.Body)
	}
	var p struct {
		Errors []struct {
			Field, Reason, Column string
			Row                   int
		}
	}
	decode(t, res, &p)
	want := map[string]bool{"row 4, column level": false, "row 5, column source_url": false}
	for _, e := range p.Errors {
		if _, ok := want[e.Field]; ok && e.Row > 0 && e.Column != "" {
			want[e.Field] = true
		}
	}
	for f, ok := range want {
		if !ok {
			t.Errorf("no error %q in %+v", f, p.Errors)
		}
	}
	if n := w.count(`SELECT jsonb_array_length(content->'assessments') FROM report WHERE id = $1`, r.ID); n != 1 {
		t.Fatalf("a refused file imported rows: %d assessments", n)
	}
	// Without If-Match: 428; a good file: added.
	wantProblem(t, w.send(http.MethodPost, path, w.partnerA, header+goodA, "Content-Type", "text/csv"), 428, "If-Match")
	res = w.send(http.MethodPost, path, w.partnerA, header+goodA+extra, csvHeaders...)
	if res.Code != 200 {
		t.Fatalf("good CSV: %d %s", res.Code, res.Body)
	}
	var got struct {
		Assessments []struct {
			Summary string
			Sources []struct{ URL string }
		}
	}
	decode(t, res, &got)
	if len(got.Assessments) != 2 || got.Assessments[1].Summary != "From the spreadsheet" || len(got.Assessments[1].Sources) != 2 {
		t.Fatalf("after upload: %+v", got)
	}
	// Only into a draft.
	_, etag = w.act(r.ID, "submit", w.partnerA, res.Header().Get("ETag"), "", 200)
	wantProblem(t, w.send(http.MethodPost, path, w.partnerA, header+goodA, "Content-Type", "text/csv", "If-Match", etag), 409, "")
}
