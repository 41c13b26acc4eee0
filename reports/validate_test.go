package reports

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

var lookups = Lookups{
	Capability: func(c string) bool { return c == "sanctions.blacklist" || c == "surveillance.cctv_network" },
	Country:    func(c string) bool { return c == "KEN" || c == "CHN" },
	Source:     func(id int64) bool { return id == 7 },
	Today:      time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC),
}

const goodReport = `{"country":"KEN","period":{"from":"2020-01-01","to":"2024-12-31"},"narrative":"n",
 "assessments":[{"capability":"sanctions.blacklist","level":2,"valid_from":"2021-03-01","valid_to":null,"confidence":"M","summary":"s",
   "sources":[{"id":7},{"url":"https://example.org/a","title":"T","publisher":"P","published":"2021-02-01"}]}],
 "sites":[{"name":"Nairobi","capability":"surveillance.cctv_network","status":"active","lon":36.8,"lat":-1.3,"vendor":"Huawei",
   "vendor_country":"CHN","valid_from":"2015-01-01","valid_to":null,"confidence":"H","summary":"","sources":[{"id":7}]}],
 "constraints":[{"date":"2022-05-01","kind":"court_ruling","title":"Ruling","summary":"","sources":[{"id":7}]}]}`

func decodeValidate(t *testing.T, body string) Errors {
	t.Helper()
	in, err := Decode(strings.NewReader(body))
	if err == nil {
		err = Validate(&in, lookups)
	}
	if err == nil {
		return nil
	}
	var fe Errors
	if !errors.As(err, &fe) {
		t.Fatalf("error %v is not Errors", err)
	}
	return fe
}

func TestValidReport(t *testing.T) {
	t.Parallel()
	if errs := decodeValidate(t, goodReport); errs != nil {
		t.Fatalf("good report refused: %v", errs)
	}
}

// TestBadInput: each case changes the good report in one place and must be
// refused at exactly the pointer named.
func TestBadInput(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, from, to, pointer string
	}{
		{"unknown top field", `"narrative":"n"`, `"narrative":"n","extra":1`, "/extra"},
		{"unknown nested field", `"summary":"s"`, `"summary":"s","colour":"red"`, "/assessments/0/colour"},
		{"unknown source field", `"published":"2021-02-01"`, `"published":"2021-02-01","doi":"x"`, "/assessments/0/sources/1/doi"},
		{"wrong type", `"level":2`, `"level":"two"`, "/assessments/0/level"},
		{"level above 4", `"level":2`, `"level":5`, "/assessments/0/level"},
		{"level below 0", `"level":2`, `"level":-1`, "/assessments/0/level"},
		{"dates in wrong order", `"valid_to":null,"confidence":"M"`, `"valid_to":"2020-01-01","confidence":"M"`, "/assessments/0/valid_to"},
		{"period in wrong order", `"to":"2024-12-31"`, `"to":"2019-12-31"`, "/period/to"},
		{"date in the future", `"valid_from":"2021-03-01"`, `"valid_from":"2027-01-01"`, "/assessments/0/valid_from"},
		{"not a date", `"valid_from":"2021-03-01"`, `"valid_from":"March 2021"`, "/assessments/0/valid_from"},
		{"low confidence above 1", `"confidence":"M"`, `"confidence":"L"`, "/assessments/0/confidence"},
		{"source without title", `"title":"T"`, `"title":""`, "/assessments/0/sources/1/title"},
		{"source with ftp url", `"url":"https://example.org/a"`, `"url":"ftp://example.org/a"`, "/assessments/0/sources/1/url"},
		{"source with javascript url", `"url":"https://example.org/a"`, `"url":"javascript:alert(1)"`, "/assessments/0/sources/1/url"},
		{"unknown source id", `"sources":[{"id":7},{"url"`, `"sources":[{"id":8},{"url"`, "/assessments/0/sources/0/id"},
		{"unknown capability", `"capability":"sanctions.blacklist"`, `"capability":"sanctions.nothing"`, "/assessments/0/capability"},
		{"unknown country", `"country":"KEN"`, `"country":"XXX"`, "/country"},
		{"unknown vendor country", `"vendor_country":"CHN"`, `"vendor_country":"ZZZ"`, "/sites/0/vendor_country"},
		{"site without coordinates", `"lon":36.8,`, ``, "/sites/0/lon"},
		{"site status", `"status":"active"`, `"status":"on"`, "/sites/0/status"},
		{"constraint kind", `"kind":"court_ruling"`, `"kind":"verdict"`, "/constraints/0/kind"},
		{"constraint in the future", `"date":"2022-05-01"`, `"date":"2030-05-01"`, "/constraints/0/date"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(goodReport, c.from) {
				t.Fatalf("case does not apply: %q not in the good report", c.from)
			}
			errs := decodeValidate(t, strings.Replace(goodReport, c.from, c.to, 1))
			for _, e := range errs {
				if e.Pointer == c.pointer {
					return
				}
			}
			t.Errorf("want an error at %s, got %v", c.pointer, errs)
		})
	}
}

func TestLevelWithoutSource(t *testing.T) {
	t.Parallel()
	body := strings.Replace(goodReport, `"sources":[{"id":7},{"url":"https://example.org/a","title":"T","publisher":"P","published":"2021-02-01"}]`, `"sources":[]`, 1)
	errs := decodeValidate(t, body)
	if len(errs) != 1 || errs[0].Pointer != "/assessments/0/sources" {
		t.Fatalf("got %v", errs)
	}
	// Level 0 needs none.
	body = strings.Replace(body, `"level":2`, `"level":0`, 1)
	if errs := decodeValidate(t, body); errs != nil {
		t.Fatalf("level 0 without sources refused: %v", errs)
	}
}

func TestTooManyItems(t *testing.T) {
	t.Parallel()
	item := `{"capability":"sanctions.blacklist","level":0,"valid_from":"2021-03-01","confidence":"M","summary":""}`
	for _, n := range []int{MaxItems - 2, MaxItems - 1} { // plus one site and one constraint
		list := strings.TrimSuffix(strings.Repeat(item+",", n), ",")
		body := strings.Replace(goodReport, goodReport[strings.Index(goodReport, `"assessments":[`):strings.Index(goodReport, `,
 "sites"`)], `"assessments":[`+list+`]`, 1)
		errs := decodeValidate(t, body)
		if n+2 <= MaxItems && errs != nil {
			t.Errorf("%d items refused: %v", n+2, errs)
		}
		if n+2 > MaxItems && (len(errs) != 1 || !strings.Contains(errs[0].Reason, fmt.Sprint(MaxItems))) {
			t.Errorf("%d items: got %v", n+2, errs)
		}
	}
}

func TestNotJSON(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{`, `[]`, `{"country":"KEN"} {}`} {
		if errs := decodeValidate(t, body); len(errs) == 0 {
			t.Errorf("%q accepted", body)
		}
	}
}

func TestDecodeNamesTypeErrors(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		strings.Replace(goodReport, `"level":2`, `"level":2.5`, 1):                                 "/assessments/0/level",
		strings.Replace(goodReport, `"lon":36.8`, `"lon":"east"`, 1):                               "/sites/0/lon",
		strings.Replace(goodReport, `"sources":[{"id":7}]}],`, `"sources":[{"id":"seven"}]}],`, 1): "/sites/0/sources/0/id",
		strings.Replace(goodReport, `"narrative":"n"`, `"narrative":5`, 1):                         "/narrative",
	} {
		errs := decodeValidate(t, body)
		if len(errs) != 1 || errs[0].Pointer != want {
			t.Errorf("want one error at %s, got %v", want, errs)
		}
	}
}
