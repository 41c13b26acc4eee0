package ingest_test

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/scs-diffusion/tracker/data"
	"github.com/scs-diffusion/tracker/ingest"
	"github.com/scs-diffusion/tracker/store"
)

// knownCountries is every ISO3 code of the shipped boundaries.
func knownCountries(t *testing.T) map[string]bool {
	t.Helper()
	rows, err := ingest.ReadBoundaries(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	countries := map[string]bool{}
	for _, r := range rows {
		countries[r.ISO3] = true
	}
	return countries
}

// violationID is a violation without its explanation: rule, country,
// capability, from and level ("D2 BRA sanctions.blacklist from 2003-11-17 (level 3)").
func violationID(v string) string {
	id, _, _ := strings.Cut(v, ": ")
	return id
}

// knownViolations reads testdata/data-rules-known.txt: violations in rows that
// were shipped before the rules existed and are still to be mended by whoever
// owns the row. The list may only shrink.
func knownViolations(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile("testdata/data-rules-known.txt")
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			known[line] = true
		}
	}
	return known
}

// TestDataRules checks D1–D3 (docs/methodology.md, "Coding rules") over the
// shipped dataset and lists every violation not in the known list, and every
// known one that is mended (so its line can go).
func TestDataRules(t *testing.T) {
	t.Parallel()
	d, err := ingest.ReadDataset(data.FS, knownCountries(t))
	if err != nil {
		t.Fatal(err)
	}
	known := knownViolations(t)
	for _, v := range ingest.DataRules(d.Evidence) {
		if known[violationID(v)] {
			delete(known, violationID(v))
			continue
		}
		t.Error(v)
	}
	for v := range known {
		t.Errorf("mended, remove from testdata/data-rules-known.txt: %s", v)
	}
}

// TestDataRulesFixtures runs the rules over crafted files under testdata/rules.
func TestDataRulesFixtures(t *testing.T) {
	t.Parallel()
	tax, err := fs.ReadFile(data.FS, "taxonomy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file string
		want []string // violations (or loader refusals), by prefix; none for a good file
	}{
		{"good.yaml", nil},
		{"d2-one-source.yaml", []string{"D2 VEN surveillance.cctv_network from 2019 (level 3): a level ≥ 3 claim needs two sources or one primary document"}},
		{"d3-from-after-source.yaml", []string{"D3 VEN surveillance.cctv_network from 2021 (level 2): from is after the earliest dated source (2019-05-02"}},
		{"d1-low-confidence.yaml", []string{"d1-low-confidence.yaml: VEN assessments[0] (surveillance.cctv_network): confidence L may not ship above level 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile("testdata/rules/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			m := fstest.MapFS{"taxonomy.yaml": {Data: tax}, "dataset/" + tt.file: {Data: b}}
			var got []string
			d, err := ingest.ReadDataset(m, map[string]bool{"VEN": true})
			if ve, ok := err.(*ingest.ValidationError); ok {
				got = ve.Problems
			} else if err != nil {
				t.Fatal(err)
			} else {
				got = ingest.DataRules(d.Evidence)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d violations %q, want %d like %q", len(got), got, len(tt.want), tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("violation %q, want one starting %q", got[i], tt.want[i])
				}
			}
		})
	}
}

// TestDataRuleD1 checks D1 itself, which the loader already refuses before the rules run.
func TestDataRuleD1(t *testing.T) {
	t.Parallel()
	src := store.Source{Publisher: "P", Title: "T", Published: &store.Date{Time: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)}, PublishedPrecision: "day"}
	row := store.NewAssessment{Country: "VEN", Capability: "surveillance.cctv_network", Level: 2, ValidFrom: src.Published.Time,
		FromPrecision: "year", Confidence: "L", Sources: []store.Source{src}}
	got := ingest.DataRules(store.Evidence{Assessments: []store.NewAssessment{row}})
	if len(got) != 1 || !strings.HasPrefix(got[0], "D1 VEN surveillance.cctv_network from 2019 (level 2): confidence L above level 1") {
		t.Errorf("DataRules = %q, want one D1 violation", got)
	}
	row.Level = 1
	if got := ingest.DataRules(store.Evidence{Assessments: []store.NewAssessment{row}}); len(got) != 0 {
		t.Errorf("confidence L at level 1 is allowed; DataRules = %q", got)
	}
}
