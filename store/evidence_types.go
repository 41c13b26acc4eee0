package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// Source is a citation shared by assessments, sites, events and notes.
type Source struct {
	ID                 int64   `json:"id"`
	URL                *string `json:"url"`
	Title              string  `json:"title"`
	Publisher          string  `json:"publisher"`
	Author             string  `json:"author"`
	Published          *Date   `json:"published"`           // nil: undated ("n.d."), allowed only with a URL
	PublishedPrecision string  `json:"published_precision"` // year, month or day; empty when undated
	ArchiveURL         *string `json:"archive_url"`
	Accessed           *Date   `json:"accessed"`
	Primary            bool    `json:"primary"` // a primary document (docs/methodology.md, "Coding rules")
}

// Key identifies a source: its URL, or publisher, title and date without one.
func (s Source) Key() string {
	if s.URL != nil {
		return "url:" + *s.URL
	}
	return "cite:" + s.Publisher + "\x1f" + s.Title + "\x1f" + s.PublishedLabel()
}

// PublishedLabel is the publication date as cited: YYYY-MM-DD, or "n.d." for an undated source.
func (s Source) PublishedLabel() string {
	if s.Published == nil {
		return "n.d."
	}
	return s.Published.String()
}

// PublishedEnd is the last day of the publication period (the year, month or
// day the date stands for), or nil for an undated source.
func (s Source) PublishedEnd() *time.Time {
	if s.Published == nil {
		return nil
	}
	t := s.Published.Time
	switch s.PublishedPrecision {
	case "year":
		t = t.AddDate(1, 0, -1)
	case "month":
		t = t.AddDate(0, 1, -1)
	}
	return &t
}

// Date is a calendar date that encodes as YYYY-MM-DD.
type Date struct{ time.Time }

// MarshalJSON writes the date as "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return []byte(`"` + d.String() + `"`), nil }

func (d Date) String() string { return d.Format(time.DateOnly) }

// DateOf truncates t to its calendar date in UTC.
func DateOf(t time.Time) Date {
	return Date{time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)}
}

// ScaleLevel is one step of the 0–4 adoption scale.
type ScaleLevel struct {
	Level    int    `json:"level"`
	Name     string `json:"name"`
	Criteria string `json:"criteria"`
}

// Capability is one scored capability of the taxonomy.
type Capability struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	Pillar       string `json:"pillar"`
	Definition   string `json:"definition"`
	Level4Marker string `json:"level4_marker"`
}

// Pillar groups capabilities.
type Pillar struct {
	Code         string       `json:"code"`
	Name         string       `json:"name"`
	Description  string       `json:"description"`
	Capabilities []Capability `json:"-"`
}

// Taxonomy is the versioned capability taxonomy.
type Taxonomy struct {
	Version string
	Scale   []ScaleLevel
	Pillars []Pillar
}

// NewAssessment is one assessment row of the data files: what it says, when
// the tracker recorded it and, for a row the tracker no longer stands by, when
// and why it was superseded.
type NewAssessment struct {
	Country, Capability string
	Level               int
	ValidFrom           time.Time
	FromPrecision       string
	ValidTo             *time.Time
	Confidence, Summary string
	LevelJudgement      bool
	FromNote            string
	Sources             []Source

	Recorded   time.Time  // transaction time: when the tracker recorded the row
	Superseded *time.Time // when the tracker stopped standing by it (after Recorded), or nil
	Correction string     // why it was superseded; required with Superseded
}

// Key is the identity of the assessment across recordings: country, capability and valid_from.
func (a NewAssessment) Key() string { return assessmentKey(a.Country, a.Capability, a.ValidFrom) }

// SameContent reports whether two rows say the same (recording times aside).
func (a NewAssessment) SameContent(b NewAssessment) bool { return a.hash() == b.hash() }

// hash fingerprints what the row says (not when it was recorded). The fields
// added by format v2 count only when set, so rows loaded by earlier versions
// keep their fingerprint.
func (a NewAssessment) hash() string {
	parts := []any{a.Level, a.FromPrecision, a.ValidTo, a.Confidence, a.Summary, a.Sources}
	if a.LevelJudgement {
		parts = append(parts, "level_judgement")
	}
	if a.FromNote != "" {
		parts = append(parts, "from_note", a.FromNote)
	}
	return contentHash(parts...)
}

// NewSite is one deployment to record.
type NewSite struct {
	Country, Name, Capability, Status string
	Point                             orb.Point
	Precision, Vendor, VendorCountry  string
	Financier                         string
	ValidFrom                         *time.Time
	FromPrecision                     string
	ValidTo                           *time.Time
	Confidence                        string
	Sources                           []Source
}

// NewEvent is one constraint event to record.
type NewEvent struct {
	Countries                               []string
	Date                                    time.Time
	DatePrecision, Kind, Title, Description string
	Ends                                    string
	Sources                                 []Source
}

// NewNote is one note on a country's profile.
type NewNote struct {
	Country string
	Ord     int
	Text    string
	Sources []Source
}

// Evidence is the whole shipped dataset, as SyncEvidence takes it.
type Evidence struct {
	Version     string
	Assessments []NewAssessment
	Sites       []NewSite
	Events      []NewEvent
	Notes       []NewNote
}

// contentHash fingerprints the fields of a record so unchanged records are
// recognised and left alone.
func contentHash(parts ...any) string {
	h := sha256.New()
	for _, p := range parts {
		switch v := p.(type) {
		case []Source:
			keys := make([]string, len(v))
			for i, s := range v {
				keys[i] = s.Key()
			}
			sort.Strings(keys)
			fmt.Fprintf(h, "%s\x1e", strings.Join(keys, "\x1d"))
		case *time.Time:
			if v == nil {
				fmt.Fprint(h, "nil\x1e")
			} else {
				fmt.Fprintf(h, "%s\x1e", v.Format(time.DateOnly))
			}
		case time.Time:
			fmt.Fprintf(h, "%s\x1e", v.Format(time.DateOnly))
		default:
			fmt.Fprintf(h, "%v\x1e", v)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}
