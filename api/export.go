package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/readmodel"
)

// citation is the line every export carries.
func citation(sn *readmodel.Snapshot, asOf time.Time, what string) string {
	return fmt.Sprintf("SCS Diffusion Tracker (%s), dataset version %s, as of %s, retrieved %s.",
		what, sn.Revision.Version, asOf.Format(time.DateOnly), today().Format(time.DateOnly))
}

// csvBuild encodes a CSV download whose first lines are # comments.
func (r *readRequest) csvBuild(sn *readmodel.Snapshot, filename string, fn func() (comments []string, rows [][]string, err error)) build {
	level := r.compression()
	return func(context.Context) (*encoded, error) {
		comments, rows, err := fn()
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		for _, line := range comments {
			buf.WriteString("# " + strings.ReplaceAll(line, "\n", " ") + "\n")
		}
		for _, row := range rows {
			for i, cell := range row {
				row[i] = defuseFormula(cell)
			}
		}
		if err := csv.NewWriter(&buf).WriteAll(rows); err != nil {
			return nil, err
		}
		e := newEncoded("text/csv; charset=utf-8", buf.Bytes(), sn.Revision.Revision, level)
		e.disposition = fmt.Sprintf(`attachment; filename="%s"`, filename)
		return e, nil
	}
}

// defuseFormula keeps spreadsheets from running a cell as a formula: text that
// starts with = + - @ (or a tab or carriage return) gets a leading apostrophe.
// Numbers, including negative ones, are left alone.
func defuseFormula(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}

func fmtScore(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// exportIndex serves GET /api/v1/export/index.csv.
func (h *handler) exportIndex(c *gin.Context) error {
	return h.read(c, "public, max-age=300", func(r *readRequest) (build, error) {
		sn, p, err := indexRead(r)
		if err != nil {
			return nil, err
		}
		return r.csvBuild(sn, "scs-tracker-index-"+p.asOf.Format(time.DateOnly)+".csv", func() ([]string, [][]string, error) {
			sc, err := sn.Score(p.asOf, p.reference, p.weights)
			if err != nil {
				return nil, nil, err
			}
			return indexCSV(sn, indexResponseOf(sn, sc, p), p)
		}), nil
	})
}

func indexCSV(sn *readmodel.Snapshot, resp indexResponse, p indexParams) ([]string, [][]string, error) {
	header := []string{"iso3", "name", "region", "subregion", "assessed", "index", "band", "coverage"}
	for _, pl := range sn.Taxonomy.Pillars {
		header = append(header, "pillar_"+pl.Code)
	}
	rows := [][]string{header}
	for _, r := range resp.Countries {
		row := []string{r.ISO3, r.Name, r.Region, r.Subregion, strconv.FormatBool(r.Assessed), fmtScore(r.Index), r.Band,
			strconv.FormatFloat(r.Coverage, 'f', -1, 64)}
		for _, pl := range sn.Taxonomy.Pillars {
			row = append(row, fmtScore(r.Pillars[pl.Code]))
		}
		rows = append(rows, row)
	}
	weights := p.weights.String()
	if weights == "" {
		weights = "default (each pillar equal, split evenly among its capabilities)"
	}
	comments := []string{
		"SCS Diffusion Tracker: resemblance index to the reference country's model (0-100); empty index = not assessed",
		fmt.Sprintf("dataset_version: %s; revision: %d; as_of: %s; reference: %s; weights: %s",
			sn.Revision.Version, sn.Revision.Revision, p.asOf.Format(time.DateOnly), p.reference, weights),
		"Cite as: " + citation(sn, p.asOf, "resemblance index"),
		"Methodology: /methodology; licence: see data/README.md (CC BY 4.0 for the evidence dataset)",
	}
	return comments, rows, nil
}

// exportAssessments serves GET /api/v1/export/assessments.csv: every
// current assessment with its sources.
func (h *handler) exportAssessments(c *gin.Context) error {
	return h.read(c, "public, max-age=300", func(r *readRequest) (build, error) {
		sn, f, err := assessmentRead(r, "country", "capability")
		if err != nil {
			return nil, err
		}
		return r.csvBuild(sn, "scs-tracker-assessments.csv", func() ([]string, [][]string, error) {
			return assessmentsCSV(sn, f)
		}), nil
	})
}

func assessmentsCSV(sn *readmodel.Snapshot, f readmodel.AssessmentFilter) ([]string, [][]string, error) {
	list, _ := sn.Assessments(f)
	rows := [][]string{{"id", "country", "capability", "level", "valid_from", "valid_from_precision", "valid_to", "confidence",
		"summary", "recorded_at", "supersedes", "provenance", "report_id", "organisation", "sources"}}
	for _, a := range list {
		validTo, supersedes, report, org := "", "", "", ""
		if a.ReportID != nil {
			report = strconv.FormatInt(*a.ReportID, 10)
		}
		if a.Organisation != nil {
			org = *a.Organisation
		}
		if a.ValidTo != nil {
			validTo = a.ValidTo.String()
		}
		if a.Supersedes != nil {
			supersedes = strconv.FormatInt(*a.Supersedes, 10)
		}
		var cites []string
		for _, s := range a.Sources {
			cite := fmt.Sprintf("%s: %s (%s)", s.Publisher, s.Title, s.PublishedLabel())
			if s.URL != nil {
				cite += " " + *s.URL
			}
			cites = append(cites, cite)
		}
		rows = append(rows, []string{strconv.FormatInt(a.ID, 10), a.Country, a.Capability, strconv.Itoa(a.Level), a.ValidFrom.String(),
			a.FromPrecision, validTo, a.Confidence, a.Summary, a.RecordedAt.UTC().Format(time.RFC3339), supersedes, a.Provenance,
			report, org, strings.Join(cites, " | ")})
	}
	asOf := today()
	if f.AsOf != nil {
		asOf = *f.AsOf
	}
	comments := []string{
		"SCS Diffusion Tracker: assessments (country x capability x validity period, level 0-4, with sources)",
		fmt.Sprintf("dataset_version: %s; revision: %d; as_of: %s", sn.Revision.Version, sn.Revision.Revision, asOf.Format(time.DateOnly)),
		"Cite as: " + citation(sn, asOf, "assessments"),
	}
	return comments, rows, nil
}
