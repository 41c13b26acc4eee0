package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// citation is the line every export carries.
func citation(sn *snapshot, asOf time.Time, what string) string {
	return fmt.Sprintf("SCS Diffusion Tracker (%s), dataset version %s, as of %s, retrieved %s.",
		what, sn.revision.Version, asOf.Format(time.DateOnly), today().Format(time.DateOnly))
}

// writeCSV sends a CSV download whose first lines are # comments.
func writeCSV(c *gin.Context, filename string, comments []string, rows [][]string) error {
	var buf bytes.Buffer
	for _, line := range comments {
		buf.WriteString("# " + strings.ReplaceAll(line, "\n", " ") + "\n")
	}
	w := csv.NewWriter(&buf)
	for _, row := range rows {
		for i, cell := range row {
			row[i] = defuseFormula(cell)
		}
	}
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, filename))
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	return nil
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
	sn, p, err := h.indexRead(c)
	if err != nil {
		return err
	}
	sc, err := sn.score(p.asOf, p.reference, p.weights)
	if err != nil {
		return err
	}
	if notModified(c, sn, "public, max-age=300") {
		return nil
	}
	resp := sn.indexResponse(sc, p)
	header := []string{"iso3", "name", "region", "subregion", "assessed", "index", "band", "coverage"}
	for _, pl := range sn.tax.Pillars {
		header = append(header, "pillar_"+pl.Code)
	}
	rows := [][]string{header}
	for _, r := range resp.Countries {
		row := []string{r.ISO3, r.Name, r.Region, r.Subregion, strconv.FormatBool(r.Assessed), fmtScore(r.Index), r.Band,
			strconv.FormatFloat(r.Coverage, 'f', -1, 64)}
		for _, pl := range sn.tax.Pillars {
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
			sn.revision.Version, sn.revision.Revision, p.asOf.Format(time.DateOnly), p.reference, weights),
		"Cite as: " + citation(sn, p.asOf, "resemblance index"),
		"Methodology: /methodology; licence: see data/README.md (CC BY 4.0 for the evidence dataset)",
	}
	return writeCSV(c, "scs-tracker-index-"+p.asOf.Format(time.DateOnly)+".csv", comments, rows)
}

// exportAssessments serves GET /api/v1/export/assessments.csv: every
// current assessment with its sources.
func (h *handler) exportAssessments(c *gin.Context) error {
	ctx := c.Request.Context()
	sn, f, err := h.assessmentRead(c, "country", "capability")
	if err != nil {
		return err
	}
	f.Limit = 1_000_000
	if notModified(c, sn, "public, max-age=300") {
		return nil
	}
	list, _, err := h.store.Assessments(ctx, f)
	if err != nil {
		return err
	}
	rows := [][]string{{"id", "country", "capability", "level", "valid_from", "valid_from_precision", "valid_to", "confidence",
		"summary", "recorded_at", "supersedes", "provenance", "sources"}}
	for _, a := range list {
		validTo, supersedes := "", ""
		if a.ValidTo != nil {
			validTo = a.ValidTo.String()
		}
		if a.Supersedes != nil {
			supersedes = strconv.FormatInt(*a.Supersedes, 10)
		}
		var cites []string
		for _, s := range a.Sources {
			cite := fmt.Sprintf("%s: %s (%s)", s.Publisher, s.Title, s.Published)
			if s.URL != nil {
				cite += " " + *s.URL
			}
			cites = append(cites, cite)
		}
		rows = append(rows, []string{strconv.FormatInt(a.ID, 10), a.Country, a.Capability, strconv.Itoa(a.Level), a.ValidFrom.String(),
			a.FromPrecision, validTo, a.Confidence, a.Summary, a.RecordedAt.UTC().Format(time.RFC3339), supersedes, a.Provenance,
			strings.Join(cites, " | ")})
	}
	asOf := today()
	if f.AsOf != nil {
		asOf = *f.AsOf
	}
	comments := []string{
		"SCS Diffusion Tracker: assessments (country x capability x validity period, level 0-4, with sources)",
		fmt.Sprintf("dataset_version: %s; revision: %d; as_of: %s", sn.revision.Version, sn.revision.Revision, asOf.Format(time.DateOnly)),
		"Cite as: " + citation(sn, asOf, "assessments"),
	}
	return writeCSV(c, "scs-tracker-assessments.csv", comments, rows)
}
