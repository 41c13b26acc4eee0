package reports

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// MaxItems bounds the assessments, sites and constraint events of one report together.
const MaxItems = 500

// Lookups is what validation checks against the published data.
type Lookups struct {
	Capability func(code string) bool
	Country    func(iso3 string) bool
	Source     func(id int64) bool
	Today      time.Time // dates after it are in the future
}

// Site statuses and constraint kinds (the values migrations/003 allows).
var (
	SiteStatuses    = []string{"planned", "active", "suspended", "cancelled", "stopped_by_court", "concluded"}
	ConstraintKinds = []string{"court_ruling", "law", "regulation", "regulator_decision", "moratorium", "other"}
	Confidences     = []string{"H", "M", "L"}
)

// Validate checks everything about in that needs no geometry (whether a site
// lies inside the country is the store's check). It returns nil or Errors,
// each naming its field by JSON pointer, in document order.
func Validate(in *Input, l Lookups) error {
	v := &validator{l: l, today: time.Date(l.Today.Year(), l.Today.Month(), l.Today.Day(), 0, 0, 0, 0, time.UTC)}
	if n := in.Items(); n > MaxItems {
		v.add("", fmt.Sprintf("a report holds at most %d items (assessments, sites and constraints together); this one has %d", MaxItems, n))
		return v.errs
	}
	switch {
	case in.Country == "":
		v.add("/country", "required")
	case !l.Country(in.Country):
		v.add("/country", "unknown country (ISO 3166-1 alpha-3, as in GET /api/v1/countries)")
	}
	from := v.date("/period/from", in.Period.From, true)
	to := v.date("/period/to", in.Period.To, true)
	if from != nil && to != nil && to.Before(*from) {
		v.add("/period/to", "before period.from")
	}
	for i := range in.Assessments {
		v.assessment(i, &in.Assessments[i])
	}
	for i := range in.Sites {
		v.site(i, &in.Sites[i])
	}
	for i := range in.Constraints {
		v.constraint(i, &in.Constraints[i])
	}
	if len(v.errs) == 0 {
		return nil
	}
	return v.errs
}

type validator struct {
	l     Lookups
	today time.Time
	errs  Errors
}

func (v *validator) add(ptr, reason string) { v.errs = append(v.errs, FieldError{ptr, reason}) }

// date parses a required (or optional, when s is "") YYYY-MM-DD not in the future.
func (v *validator) date(ptr, s string, required bool) *time.Time {
	if s == "" {
		if required {
			v.add(ptr, "required (YYYY-MM-DD)")
		}
		return nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		v.add(ptr, "not a date (YYYY-MM-DD)")
		return nil
	}
	if t.After(v.today) {
		v.add(ptr, "in the future")
		return nil
	}
	return &t
}

// endDate parses an optional end date: it may lie in the future (a known
// sunset) but must come after start.
func (v *validator) endDate(ptr string, s *string, start *time.Time) {
	if s == nil || *s == "" {
		return
	}
	t, err := time.Parse(time.DateOnly, *s)
	if err != nil {
		v.add(ptr, "not a date (YYYY-MM-DD)")
		return
	}
	if start != nil && !t.After(*start) {
		v.add(ptr, "must come after valid_from")
	}
}

func (v *validator) capability(ptr, code string) {
	switch {
	case code == "":
		v.add(ptr, "required")
	case !v.l.Capability(code):
		v.add(ptr, "unknown capability (see GET /api/v1/capabilities)")
	}
}

func (v *validator) confidence(ptr, c string, level int) {
	switch {
	case !slices.Contains(Confidences, c):
		v.add(ptr, "must be H, M or L")
	case c == "L" && level > 1:
		v.add(ptr, "low-confidence (L) claims never ship above level 1")
	}
}

func (v *validator) assessment(i int, a *Assessment) {
	at := func(f string) string { return Pointer("assessments", i, f) }
	v.capability(at("capability"), a.Capability)
	if a.Level < 0 || a.Level > 4 {
		v.add(at("level"), "must be 0 to 4")
	}
	from := v.date(at("valid_from"), a.ValidFrom, true)
	v.endDate(at("valid_to"), a.ValidTo, from)
	v.confidence(at("confidence"), a.Confidence, a.Level)
	if a.Level > 0 && len(a.Sources) == 0 {
		v.add(at("sources"), "a level above 0 needs at least one source")
	}
	v.sources(Pointer("assessments", i), a.Sources)
}

func (v *validator) site(i int, s *Site) {
	at := func(f string) string { return Pointer("sites", i, f) }
	if strings.TrimSpace(s.Name) == "" {
		v.add(at("name"), "required")
	}
	v.capability(at("capability"), s.Capability)
	if !slices.Contains(SiteStatuses, s.Status) {
		v.add(at("status"), "must be one of "+strings.Join(SiteStatuses, ", "))
	}
	if s.Lon == nil || *s.Lon < -180 || *s.Lon > 180 {
		v.add(at("lon"), "required, -180 to 180")
	}
	if s.Lat == nil || *s.Lat < -90 || *s.Lat > 90 {
		v.add(at("lat"), "required, -90 to 90")
	}
	if s.VendorCountry != nil && *s.VendorCountry != "" && !v.l.Country(*s.VendorCountry) {
		v.add(at("vendor_country"), "unknown country (ISO 3166-1 alpha-3)")
	}
	var from *time.Time
	if s.ValidFrom != nil {
		from = v.date(at("valid_from"), *s.ValidFrom, false)
	}
	v.endDate(at("valid_to"), s.ValidTo, from)
	if !slices.Contains(Confidences, s.Confidence) {
		v.add(at("confidence"), "must be H, M or L")
	}
	if len(s.Sources) == 0 {
		v.add(at("sources"), "a site needs at least one source")
	}
	v.sources(Pointer("sites", i), s.Sources)
}

func (v *validator) constraint(i int, c *Constraint) {
	at := func(f string) string { return Pointer("constraints", i, f) }
	v.date(at("date"), c.Date, true)
	if !slices.Contains(ConstraintKinds, c.Kind) {
		v.add(at("kind"), "must be one of "+strings.Join(ConstraintKinds, ", "))
	}
	if strings.TrimSpace(c.Title) == "" {
		v.add(at("title"), "required")
	}
	if len(c.Sources) == 0 {
		v.add(at("sources"), "a constraint event needs at least one source")
	}
	v.sources(Pointer("constraints", i), c.Sources)
}

func (v *validator) sources(item string, list []SourceRef) {
	for j, s := range list {
		at := func(f string) string { return fmt.Sprintf("%s/sources/%d/%s", item, j, f) }
		if s.ID != nil {
			if s.URL != nil || s.Title != "" || s.Publisher != "" || s.Published != nil || s.ArchivedURL != nil {
				v.add(at("id"), "an existing source is cited by id alone")
			} else if !v.l.Source(*s.ID) {
				v.add(at("id"), "no such source")
			}
			continue
		}
		if strings.TrimSpace(s.Title) == "" {
			v.add(at("title"), "required")
		}
		if strings.TrimSpace(s.Publisher) == "" {
			v.add(at("publisher"), "required")
		}
		if s.URL != nil && !httpURL(*s.URL) {
			v.add(at("url"), "must be an http or https URL")
		}
		if s.ArchivedURL != nil && !httpURL(*s.ArchivedURL) {
			v.add(at("archived_url"), "must be an http or https URL")
		}
		if s.Published == nil || *s.Published == "" {
			if s.URL == nil {
				v.add(at("published"), "an undated source needs a url")
			}
		} else {
			v.date(at("published"), *s.Published, false)
		}
	}
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
