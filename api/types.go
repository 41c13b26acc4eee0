package api

import (
	"time"

	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/store"
)

// The wire shapes shared by several resources, and the converters from the
// store's domain types. Field names are the public contract (openapi.yaml).

type sourceOut struct {
	ID                 int64   `json:"id"`
	URL                *string `json:"url"`
	Title              string  `json:"title"`
	Publisher          string  `json:"publisher"`
	Author             string  `json:"author"`
	Published          *string `json:"published"` // null: undated ("n.d."), always with a URL
	PublishedPrecision string  `json:"published_precision"`
	ArchiveURL         *string `json:"archive_url"`
	Accessed           *string `json:"accessed"`
	Primary            bool    `json:"primary"`
}

func sourceOf(s store.Source) sourceOut {
	return sourceOut{ID: s.ID, URL: s.URL, Title: s.Title, Publisher: s.Publisher, Author: s.Author,
		Published: optDate(s.Published), PublishedPrecision: s.PublishedPrecision, ArchiveURL: s.ArchiveURL,
		Accessed: optDate(s.Accessed), Primary: s.Primary}
}

func sourcesOf(list []store.Source) []sourceOut {
	out := make([]sourceOut, len(list))
	for i, s := range list {
		out[i] = sourceOf(s)
	}
	return out
}

type assessmentOut struct {
	ID            int64       `json:"id"`
	Country       string      `json:"country"`
	Capability    string      `json:"capability"`
	Level         int         `json:"level"`
	ValidFrom     string      `json:"valid_from"`
	FromPrecision string      `json:"valid_from_precision"`
	ValidTo       *string     `json:"valid_to"`
	RecordedAt    time.Time   `json:"recorded_at"`
	Confidence    string      `json:"confidence"`
	Summary       string      `json:"summary"`
	Judgement     bool        `json:"level_judgement"`
	FromNote      string      `json:"from_note"`
	Correction    string      `json:"correction_reason"`
	Supersedes    *int64      `json:"supersedes"`
	SupersededBy  *int64      `json:"superseded_by"`
	Retracted     bool        `json:"retracted"`
	Provenance    string      `json:"provenance"`
	ReportID      *int64      `json:"report_id"`
	Organisation  *string     `json:"organisation"`
	Sources       []sourceOut `json:"sources"`
}

func assessmentOf(a *store.Assessment, supersededBy *int64) assessmentOut {
	return assessmentOut{ID: a.ID, Country: a.Country, Capability: a.Capability, Level: a.Level, ValidFrom: a.ValidFrom.String(),
		FromPrecision: a.FromPrecision, ValidTo: optDate(a.ValidTo), RecordedAt: a.RecordedAt, Confidence: a.Confidence,
		Summary: a.Summary, Judgement: a.LevelJudgement, FromNote: a.FromNote, Correction: a.CorrectionReason, Supersedes: a.Supersedes, SupersededBy: supersededBy, Retracted: a.Retracted, Provenance: a.Provenance,
		ReportID: a.ReportID, Organisation: a.Organisation, Sources: sourcesOf(a.Sources)}
}

func historyOf(rows []readmodel.HistoryRow) []assessmentOut {
	out := make([]assessmentOut, len(rows))
	for i, r := range rows {
		out[i] = assessmentOf(r.Assessment, r.SupersededBy)
	}
	return out
}

type countrySummaryOut struct {
	ISO3      string `json:"iso3"`
	ISO2      string `json:"iso2"`
	Name      string `json:"name"`
	Region    string `json:"region"`
	Subregion string `json:"subregion"`
}

func summaryOf(c *store.Country) countrySummaryOut {
	return countrySummaryOut{ISO3: c.ISO3, ISO2: c.ISO2, Name: c.Name, Region: c.Region, Subregion: c.Subregion}
}

type countryRef struct {
	ISO3 string `json:"iso3"`
	Name string `json:"name"`
}

// countryOut is one country with its geography facts.
type countryOut struct {
	countrySummaryOut
	ISONumeric  string       `json:"iso_numeric"`
	ISOOfficial bool         `json:"iso_official"`
	LabelPoint  [2]float64   `json:"label_point"`
	BBox        [4]float64   `json:"bbox"`
	AreaKm2     float64      `json:"area_km2"`
	Neighbours  []countryRef `json:"neighbours"`
}

func countryOf(sn *readmodel.Snapshot, c *store.Country) countryOut {
	out := countryOut{countrySummaryOut: summaryOf(c), ISONumeric: c.ISONumeric, ISOOfficial: c.ISOOfficial,
		LabelPoint: c.LabelPoint, BBox: c.BBox, AreaKm2: c.AreaKm2, Neighbours: []countryRef{}}
	for _, iso := range c.Neighbours {
		if n, ok := sn.Country(iso); ok {
			out.Neighbours = append(out.Neighbours, countryRef{n.ISO3, n.Name})
		}
	}
	return out
}

func optDate(d *store.Date) *string {
	if d == nil {
		return nil
	}
	s := d.String()
	return &s
}
