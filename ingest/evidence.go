package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"path"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"go.yaml.in/yaml/v3"

	"github.com/scs-diffusion/tracker/store"
)

// Dataset is the parsed, validated content of data/: the taxonomy and all evidence.
type Dataset struct {
	Taxonomy store.Taxonomy
	Evidence store.Evidence
}

// ValidationError lists every problem found in the data files.
type ValidationError struct{ Problems []string }

func (e *ValidationError) Error() string {
	const max = 25
	list := e.Problems
	more := ""
	if len(list) > max {
		more = fmt.Sprintf("\n  … and %d more", len(list)-max)
		list = list[:max]
	}
	return fmt.Sprintf("data files refused (%d problems):\n  %s%s", len(e.Problems), strings.Join(list, "\n  "), more)
}

var (
	confidences = map[string]bool{"H": true, "M": true, "L": true}
	statuses    = map[string]bool{"planned": true, "active": true, "suspended": true, "cancelled": true, "stopped_by_court": true, "concluded": true}
	precisions  = map[string]bool{"exact": true, "city": true, "region": true}
	eventKinds  = map[string]bool{"court_ruling": true, "law": true, "regulation": true, "regulator_decision": true, "moratorium": true, "other": true}
)

// ReadDataset parses and validates taxonomy.yaml and dataset/*.yaml against
// the rules of docs/dataset-format.md. countries is the set of known ISO3 codes.
func ReadDataset(fsys fs.FS, countries map[string]bool) (Dataset, error) {
	var d Dataset
	tax, err := readTaxonomy(fsys)
	if err != nil {
		return d, err
	}
	d.Taxonomy = tax
	caps := map[string]bool{}
	for _, p := range tax.Pillars {
		for _, c := range p.Capabilities {
			caps[c.Code] = true
		}
	}
	if v, err := fs.ReadFile(fsys, "VERSION"); err == nil {
		d.Evidence.Version = strings.TrimSpace(string(v))
	}
	files, err := fs.Glob(fsys, "dataset/*.yaml")
	if err != nil {
		return d, err
	}
	sort.Strings(files)
	v := &validator{countries: countries, caps: caps}
	for _, name := range files {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return d, err
		}
		var f datasetFile
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(&f); err != nil {
			v.problems = append(v.problems, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		v.file(path.Base(name), f, &d.Evidence)
	}
	v.checkHistory(d.Evidence.Assessments)
	if len(v.problems) > 0 {
		return d, &ValidationError{Problems: v.problems}
	}
	return d, nil
}

func readTaxonomy(fsys fs.FS) (store.Taxonomy, error) {
	var t store.Taxonomy
	b, err := fs.ReadFile(fsys, "taxonomy.yaml")
	if err != nil {
		return t, err
	}
	var f taxonomyFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return t, fmt.Errorf("taxonomy.yaml: %w", err)
	}
	t.Version = f.Version
	for _, l := range f.Scale {
		t.Scale = append(t.Scale, store.ScaleLevel{Level: l.Level, Name: l.Name, Criteria: l.Criteria})
	}
	for _, p := range f.Pillars {
		sp := store.Pillar{Code: p.Code, Name: p.Name, Description: p.Description}
		for _, c := range p.Capabilities {
			if !strings.HasPrefix(c.Code, p.Code+".") {
				return t, fmt.Errorf("taxonomy.yaml: capability %s is not under pillar %s", c.Code, p.Code)
			}
			sp.Capabilities = append(sp.Capabilities, store.Capability{Code: c.Code, Pillar: p.Code, Name: c.Name,
				Definition: c.Definition, Level4Marker: c.Level4Marker})
		}
		t.Pillars = append(t.Pillars, sp)
	}
	if len(t.Pillars) == 0 || len(t.Scale) != 5 || t.Version == "" {
		return t, errors.New("taxonomy.yaml: needs a version, five scale levels and at least one pillar")
	}
	return t, nil
}

// validator collects every problem in the files instead of stopping at the first.
type validator struct {
	countries, caps map[string]bool
	problems        []string
	notes           map[string]int
	sources         map[string]definedSource // by store.Source.Key, across files
}

// definedSource is where a source was first defined.
type definedSource struct {
	file, key string
	src       store.Source
}

func (v *validator) addf(format string, args ...any) {
	v.problems = append(v.problems, fmt.Sprintf(format, args...))
}

func (v *validator) file(name string, f datasetFile, out *store.Evidence) {
	recorded := FirstRelease
	if f.Recorded.Set {
		recorded = f.Recorded.Time
	}
	sources := map[string]store.Source{}
	for _, key := range slices.Sorted(maps.Keys(f.Sources)) {
		src, ok := v.source(name, key, f.Sources[key])
		if !ok {
			continue
		}
		sources[key] = src
		// One source is one database row: every file must define it alike.
		if v.sources == nil {
			v.sources = map[string]definedSource{}
		}
		if first, seen := v.sources[src.Key()]; !seen {
			v.sources[src.Key()] = definedSource{name, key, src}
		} else if !reflect.DeepEqual(first.src, src) {
			v.addf("%s: source %q is the same source as %q in %s (same url, or same publisher, title and date) but is defined differently; copy its definition exactly",
				name, key, first.key, first.file)
		}
	}
	cite := func(at string, keys []string) []store.Source {
		var list []store.Source
		seen := map[string]bool{}
		for _, k := range keys {
			src, ok := sources[k]
			switch {
			case seen[k]:
				v.addf("%s: %s: source %q cited twice", name, at, k)
			case !ok && f.Sources[k] == (sourceEntry{}):
				v.addf("%s: %s: source %q is not defined in this file", name, at, k)
			case ok:
				list = append(list, src)
			}
			seen[k] = true
		}
		return list
	}
	isoCodes := make([]string, 0, len(f.Countries))
	for iso := range f.Countries {
		isoCodes = append(isoCodes, iso)
	}
	sort.Strings(isoCodes)
	for _, iso := range isoCodes {
		c := f.Countries[iso]
		if !v.countries[iso] {
			v.addf("%s: country %q is not a known ISO3 code", name, iso)
			continue
		}
		for i, a := range c.Assessments {
			at := fmt.Sprintf("%s assessments[%d] (%s)", iso, i, a.Capability)
			if na, ok := v.assessment(name, at, iso, a, recorded, cite(at, a.Sources)); ok {
				out.Assessments = append(out.Assessments, na)
			}
		}
		for i, s := range c.Sites {
			at := fmt.Sprintf("%s sites[%d] (%s)", iso, i, s.Name)
			if ns, ok := v.site(name, at, iso, s, cite(at, s.Sources)); ok {
				out.Sites = append(out.Sites, ns)
			}
		}
		for i, n := range c.Notes {
			at := fmt.Sprintf("%s notes[%d]", iso, i)
			if strings.TrimSpace(n.Text) == "" {
				v.addf("%s: %s: empty text", name, at)
				continue
			}
			if v.notes == nil {
				v.notes = map[string]int{}
			}
			v.notes[iso]++
			out.Notes = append(out.Notes, store.NewNote{Country: iso, Ord: v.notes[iso], Text: strings.TrimSpace(n.Text), Sources: cite(at, n.Sources)})
		}
	}
	for i, e := range f.ConstraintEvents {
		at := fmt.Sprintf("constraint_events[%d] (%s)", i, e.Title)
		if ne, ok := v.event(name, at, e, cite(at, e.Sources)); ok {
			out.Events = append(out.Events, ne)
		}
	}
}

func (v *validator) source(file, key string, s sourceEntry) (store.Source, bool) {
	ok := true
	if strings.TrimSpace(s.Publisher) == "" || strings.TrimSpace(s.Title) == "" {
		v.addf("%s: source %q: publisher and title are required", file, key)
		ok = false
	}
	if !s.Published.Set && s.URL == "" {
		v.addf("%s: source %q: an undated source (no published date) needs a url", file, key)
		ok = false
	}
	src := store.Source{Title: strings.TrimSpace(s.Title), Publisher: strings.TrimSpace(s.Publisher), Author: strings.TrimSpace(s.Author),
		Primary: s.Primary}
	if s.Published.Set {
		d := store.DateOf(s.Published.Time)
		src.Published, src.PublishedPrecision = &d, s.Published.Precision
	}
	for _, u := range []struct {
		field string
		val   string
		dst   **string
	}{{"url", s.URL, &src.URL}, {"archive_url", s.ArchiveURL, &src.ArchiveURL}} {
		if u.val == "" {
			continue
		}
		if !strings.HasPrefix(u.val, "https://") && !strings.HasPrefix(u.val, "http://") {
			v.addf("%s: source %q: %s %q is not an http(s) URL", file, key, u.field, u.val)
			ok = false
		}
		val := u.val
		*u.dst = &val
	}
	if s.Accessed.Set {
		d := store.DateOf(s.Accessed.Time)
		src.Accessed = &d
	}
	return src, ok
}

func (v *validator) assessment(file, at, iso string, a assessmentEntry, recorded time.Time, sources []store.Source) (store.NewAssessment, bool) {
	n := len(v.problems)
	if !v.caps[a.Capability] {
		v.addf("%s: %s: unknown capability %q", file, at, a.Capability)
	}
	if a.Level == nil || *a.Level < 0 || *a.Level > 4 {
		v.addf("%s: %s: level must be 0 to 4", file, at)
		return store.NewAssessment{}, false
	}
	if !a.From.Set {
		v.addf("%s: %s: from is required", file, at)
	}
	if a.To.Set && !a.To.Time.After(a.From.Time) {
		v.addf("%s: %s: to %s is not after from %s", file, at, a.To.Time.Format(time.DateOnly), a.From.Time.Format(time.DateOnly))
	}
	if !confidences[a.Confidence] {
		v.addf("%s: %s: confidence must be H, M or L", file, at)
	}
	if a.Confidence == "L" && *a.Level > 1 {
		v.addf("%s: %s: confidence L may not ship above level 1", file, at)
	}
	if *a.Level > 0 && len(sources) == 0 {
		v.addf("%s: %s: a level above 0 needs at least one source", file, at)
	} else if *a.Level > 0 && !slices.ContainsFunc(sources, func(s store.Source) bool { return s.Published != nil }) {
		v.addf("%s: %s: a level above 0 needs at least one dated source", file, at)
	}
	if a.Recorded.Set {
		recorded = a.Recorded.Time
	}
	na := store.NewAssessment{Country: iso, Capability: a.Capability, Level: *a.Level, ValidFrom: a.From.Time,
		FromPrecision: a.From.Precision, Confidence: a.Confidence, Summary: strings.TrimSpace(a.Summary),
		LevelJudgement: a.LevelJudgement, FromNote: strings.TrimSpace(a.FromNote), Sources: sources,
		Recorded: recorded, Correction: strings.TrimSpace(a.Correction)}
	if a.To.Set {
		t := a.To.Time
		na.ValidTo = &t
	}
	switch {
	case a.Superseded.Set && na.Correction == "":
		v.addf("%s: %s: superseded needs a correction saying why", file, at)
	case !a.Superseded.Set && na.Correction != "":
		v.addf("%s: %s: correction needs the superseded date", file, at)
	case a.Superseded.Set && !a.Superseded.Time.After(recorded):
		v.addf("%s: %s: superseded %s is not after the row's recorded date %s", file, at,
			fmtTime(a.Superseded.Time), fmtTime(recorded))
	case recorded.After(time.Now()) || a.Superseded.Set && a.Superseded.Time.After(time.Now()):
		v.addf("%s: %s: recorded or superseded in the future: the tracker records what it knows today", file, at)
	}
	if a.Superseded.Set {
		t := a.Superseded.Time
		na.Superseded = &t
	}
	return na, len(v.problems) == n
}

// checkHistory refuses a history the tracker could not have recorded: one
// identity (country, capability, from) recorded twice on one date, a
// replacement that says the same as the row it supersedes, and, at every
// recording time, two standing rows of one country and capability whose
// validity periods overlap (the rows standing then are those recorded by then
// and not yet superseded).
func (v *validator) checkHistory(list []store.NewAssessment) {
	byKey := map[string][]store.NewAssessment{}
	for _, a := range list {
		k := a.Country + " " + a.Capability
		byKey[k] = append(byKey[k], a)
	}
	keys := slices.Sorted(maps.Keys(byKey))
	for _, k := range keys {
		rows := byKey[k]
		sort.SliceStable(rows, func(i, j int) bool {
			if !rows[i].ValidFrom.Equal(rows[j].ValidFrom) {
				return rows[i].ValidFrom.Before(rows[j].ValidFrom)
			}
			return rows[i].Recorded.Before(rows[j].Recorded)
		})
		for i := 1; i < len(rows); i++ {
			prev, cur := rows[i-1], rows[i]
			if !prev.ValidFrom.Equal(cur.ValidFrom) {
				continue
			}
			switch {
			case prev.Recorded.Equal(cur.Recorded):
				v.addf("%s from %s: recorded twice on %s", k, cur.ValidFrom.Format(time.DateOnly), fmtTime(cur.Recorded))
			case prev.Superseded != nil && prev.Superseded.Equal(cur.Recorded) && prev.SameContent(cur):
				v.addf("%s from %s: the replacement recorded %s says the same as the row it supersedes", k,
					cur.ValidFrom.Format(time.DateOnly), fmtTime(cur.Recorded))
			}
		}
		times := map[time.Time]bool{}
		for _, a := range rows {
			times[a.Recorded] = true
		}
		reported := map[string]bool{}
		for _, t := range slices.SortedFunc(maps.Keys(times), time.Time.Compare) {
			var standing []store.NewAssessment
			for _, a := range rows {
				if !a.Recorded.After(t) && (a.Superseded == nil || a.Superseded.After(t)) {
					standing = append(standing, a)
				}
			}
			for i := 1; i < len(standing); i++ {
				prev, cur := standing[i-1], standing[i]
				if prev.ValidTo != nil && !prev.ValidTo.After(cur.ValidFrom) {
					continue
				}
				pair := fmt.Sprintf("%s %s %s %s", prev.ValidFrom, prev.Recorded, cur.ValidFrom, cur.Recorded)
				if reported[pair] {
					continue
				}
				reported[pair] = true
				if prev.ValidFrom.Equal(cur.ValidFrom) {
					v.addf("%s: the row from %s recorded %s still stands when the row with the same from is recorded %s "+
						"(mark the earlier one superseded: %s, with a correction)", k, cur.ValidFrom.Format(time.DateOnly),
						fmtTime(prev.Recorded), fmtTime(cur.Recorded), fmtTime(cur.Recorded))
					continue
				}
				v.addf("%s: assessments from %s and %s overlap (recorded as of %s; the earlier one needs `to` ≤ %s)", k,
					prev.ValidFrom.Format(time.DateOnly), cur.ValidFrom.Format(time.DateOnly), fmtTime(t), cur.ValidFrom.Format(time.DateOnly))
			}
		}
	}
}

// fmtTime writes a recording time as the files do: a date, or a timestamp when
// it is not midnight UTC.
func fmtTime(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339Nano)
}

func (v *validator) site(file, at, iso string, s siteEntry, sources []store.Source) (store.NewSite, bool) {
	n := len(v.problems)
	if strings.TrimSpace(s.Name) == "" {
		v.addf("%s: %s: name is required", file, at)
	}
	if !v.caps[s.Capability] {
		v.addf("%s: %s: unknown capability %q", file, at, s.Capability)
	}
	if !statuses[s.Status] {
		v.addf("%s: %s: status %q is not one of planned, active, suspended, cancelled, stopped_by_court, concluded", file, at, s.Status)
	}
	if len(s.Point) != 2 || math.Abs(s.Point[0]) > 180 || math.Abs(s.Point[1]) > 90 {
		v.addf("%s: %s: point must be [lon, lat] within [-180, 180] × [-90, 90]", file, at)
		return store.NewSite{}, false
	}
	precision := s.Precision
	if precision == "" {
		precision = "city"
	}
	if !precisions[precision] {
		v.addf("%s: %s: precision %q is not exact, city or region", file, at, s.Precision)
	}
	if s.VendorCountry != "" && !v.countries[s.VendorCountry] {
		v.addf("%s: %s: vendor_country %q is not a known ISO3 code", file, at, s.VendorCountry)
	}
	if !confidences[s.Confidence] {
		v.addf("%s: %s: confidence must be H, M or L", file, at)
	}
	if len(sources) == 0 {
		v.addf("%s: %s: a site needs at least one source", file, at)
	}
	ns := store.NewSite{Country: iso, Name: strings.TrimSpace(s.Name), Capability: s.Capability, Status: s.Status,
		Point: orb.Point{s.Point[0], s.Point[1]}, Precision: precision, Vendor: s.Vendor, VendorCountry: s.VendorCountry,
		Financier: s.Financier, FromPrecision: "day", Confidence: s.Confidence, Sources: sources}
	if s.From.Set {
		t := s.From.Time
		ns.ValidFrom, ns.FromPrecision = &t, s.From.Precision
	}
	if s.To.Set {
		t := s.To.Time
		ns.ValidTo = &t
		if ns.ValidFrom != nil && !t.After(*ns.ValidFrom) {
			v.addf("%s: %s: to is not after from", file, at)
		}
	}
	return ns, len(v.problems) == n
}

func (v *validator) event(file, at string, e eventEntry, sources []store.Source) (store.NewEvent, bool) {
	n := len(v.problems)
	if len(e.Countries) == 0 {
		v.addf("%s: %s: countries is required", file, at)
	}
	for _, c := range e.Countries {
		if !v.countries[c] {
			v.addf("%s: %s: country %q is not a known ISO3 code", file, at, c)
		}
	}
	if !e.Date.Set || strings.TrimSpace(e.Title) == "" {
		v.addf("%s: %s: date and title are required", file, at)
	}
	if !eventKinds[e.Kind] {
		v.addf("%s: %s: kind %q is not one of court_ruling, law, regulation, regulator_decision, moratorium, other", file, at, e.Kind)
	}
	if e.Ends != "" && !v.caps[e.Ends] {
		v.addf("%s: %s: ends names unknown capability %q", file, at, e.Ends)
	}
	if len(sources) == 0 {
		v.addf("%s: %s: an event needs at least one source", file, at)
	}
	countries := append([]string(nil), e.Countries...)
	sort.Strings(countries)
	return store.NewEvent{Countries: countries, Date: e.Date.Time, DatePrecision: e.Date.Precision, Kind: e.Kind,
		Title: strings.TrimSpace(e.Title), Description: strings.TrimSpace(e.Description), Ends: e.Ends, Sources: sources}, len(v.problems) == n
}

// loadEvidence validates and writes the taxonomy and the dataset.
func loadEvidence(ctx context.Context, tx *store.Store, fsys fs.FS, countries map[string]bool, p *Progress) error {
	d, err := ReadDataset(fsys, countries)
	if err != nil {
		return err
	}
	p.Step("taxonomy %s: %d pillars; dataset %s: %d assessment rows, %d sites, %d constraint events, %d notes",
		d.Taxonomy.Version, len(d.Taxonomy.Pillars), d.Evidence.Version, len(d.Evidence.Assessments),
		len(d.Evidence.Sites), len(d.Evidence.Events), len(d.Evidence.Notes))
	changed, err := tx.SyncTaxonomy(ctx, d.Taxonomy)
	if err != nil {
		return err
	}
	st, err := tx.SyncEvidence(ctx, d.Evidence)
	if err != nil {
		return err
	}
	p.Step("written: %d taxonomy rows, %d sources, %d assessments added, %d superseded, %d retracted, %d sites (%d deleted), %d events (%d deleted), %d notes (%d deleted); %d kept for reports",
		changed, st.SourcesWritten, st.AssessmentsAdded, st.Superseded, st.Retracted, st.SitesWritten, st.SitesDeleted,
		st.EventsWritten, st.EventsDeleted, st.NotesWritten, st.NotesDeleted, st.KeptForReports)
	return nil
}
