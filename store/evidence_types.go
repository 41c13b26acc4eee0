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
	Published          Date    `json:"published"`
	PublishedPrecision string  `json:"published_precision"`
	ArchiveURL         *string `json:"archive_url"`
	Accessed           *Date   `json:"accessed"`
}

// Key identifies a source: its URL, or publisher, title and date without one.
func (s Source) Key() string {
	if s.URL != nil {
		return "url:" + *s.URL
	}
	return "cite:" + s.Publisher + "\x1f" + s.Title + "\x1f" + s.Published.String()
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

// NewAssessment is one assessment to record.
type NewAssessment struct {
	Country, Capability string
	Level               int
	ValidFrom           time.Time
	FromPrecision       string
	ValidTo             *time.Time
	Confidence, Summary string
	Sources             []Source
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
