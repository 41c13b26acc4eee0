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
	ID                 int64
	URL                *string
	Title              string
	Publisher          string
	Author             string
	Published          Date
	PublishedPrecision string
	ArchiveURL         *string
	Accessed           *Date
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

func (d Date) String() string { return d.Format(time.DateOnly) }

// DateOf truncates t to its calendar date in UTC.
func DateOf(t time.Time) Date {
	return Date{time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)}
}

// ScaleLevel is one step of the 0–4 adoption scale.
type ScaleLevel struct {
	Level    int
	Name     string
	Criteria string
}

// Capability is one scored capability of the taxonomy.
type Capability struct {
	Code         string
	Name         string
	Pillar       string
	Definition   string
	Level4Marker string
}

// Pillar groups capabilities.
type Pillar struct {
	Code         string
	Name         string
	Description  string
	Capabilities []Capability
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
