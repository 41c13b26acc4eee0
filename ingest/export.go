package ingest

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"

	"github.com/scs-diffusion/tracker/store"
)

// ReasonNotRecorded is written as the correction of a row the database shows
// superseded without a reason (rows changed before reasons were recorded).
const ReasonNotRecorded = "No reason was recorded for this change."

// The YAML shapes `tracker export` writes: those of files.go, in the order
// docs/dataset-format.md shows them, with empty optional fields left out.
type (
	exportFile struct {
		Sources          map[string]exportSource  `yaml:"sources,omitempty"`
		Countries        map[string]exportCountry `yaml:"countries,omitempty"`
		ConstraintEvents []exportEvent            `yaml:"constraint_events,omitempty"`
	}
	exportSource struct {
		Publisher  string `yaml:"publisher"`
		Title      string `yaml:"title"`
		Author     string `yaml:"author,omitempty"`
		Published  plain  `yaml:"published,omitempty"`
		URL        string `yaml:"url,omitempty"`
		ArchiveURL string `yaml:"archive_url,omitempty"`
		Accessed   plain  `yaml:"accessed,omitempty"`
		Primary    bool   `yaml:"primary,omitempty"`
	}
	exportCountry struct {
		Notes       []exportNote       `yaml:"notes,omitempty"`
		Assessments []exportAssessment `yaml:"assessments,omitempty"`
		Sites       []exportSite       `yaml:"sites,omitempty"`
	}
	exportNote struct {
		Text    string   `yaml:"text"`
		Sources []string `yaml:"sources,flow,omitempty"`
	}
	exportAssessment struct {
		Capability     string   `yaml:"capability"`
		Level          int      `yaml:"level"`
		From           plain    `yaml:"from"`
		To             plain    `yaml:"to,omitempty"`
		Confidence     string   `yaml:"confidence"`
		LevelJudgement bool     `yaml:"level_judgement,omitempty"`
		Recorded       plain    `yaml:"recorded,omitempty"`
		FromNote       string   `yaml:"from_note,omitempty"`
		Summary        string   `yaml:"summary,omitempty"`
		Sources        []string `yaml:"sources,flow,omitempty"`
		Superseded     plain    `yaml:"superseded,omitempty"`
		Correction     string   `yaml:"correction,omitempty"`
	}
	exportSite struct {
		Name          string    `yaml:"name"`
		Capability    string    `yaml:"capability"`
		Status        string    `yaml:"status"`
		Point         []float64 `yaml:"point,flow"`
		Precision     string    `yaml:"precision"`
		Vendor        string    `yaml:"vendor,omitempty"`
		VendorCountry string    `yaml:"vendor_country,omitempty"`
		Financier     string    `yaml:"financier,omitempty"`
		From          plain     `yaml:"from,omitempty"`
		To            plain     `yaml:"to,omitempty"`
		Confidence    string    `yaml:"confidence"`
		Sources       []string  `yaml:"sources,flow,omitempty"`
	}
	exportEvent struct {
		Countries   []string `yaml:"countries,flow"`
		Date        plain    `yaml:"date"`
		Kind        string   `yaml:"kind"`
		Title       string   `yaml:"title"`
		Description string   `yaml:"description,omitempty"`
		Sources     []string `yaml:"sources,flow,omitempty"`
		Ends        string   `yaml:"ends,omitempty"`
	}
)

// plain is a date or timestamp written unquoted, as people write them in the
// data files (the loader reads the scalar as written, whatever YAML would
// make of it).
type plain string

// MarshalYAML gives the scalar the tag YAML resolves it to, so it is not quoted.
func (p plain) MarshalYAML() (any, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(p), &doc); err == nil && len(doc.Content) == 1 {
		if n := doc.Content[0]; n.Kind == yaml.ScalarNode && n.Value == string(p) {
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: n.Tag, Value: string(p)}, nil
		}
	}
	return string(p), nil
}

// EventsFile is where the export puts the constraint events.
const EventsFile = "dataset/constraint-events.yaml"

// ExportFiles writes the published dataset in the data/ format (v2): VERSION,
// taxonomy.yaml, one dataset/<iso3>.yaml per country (its assessments with
// their whole recording history, sites and notes) and the constraint events.
// The output depends only on the content: everything is sorted and source
// keys are made from publisher, year and title, so two exports diff well.
// Loading the files into an empty database reproduces the rows, their
// recording times and their links.
func ExportFiles(p store.Published) (map[string][]byte, error) {
	out := map[string][]byte{"VERSION": []byte(p.Version + "\n")}
	tax, err := exportTaxonomy(p.Taxonomy)
	if err != nil {
		return nil, err
	}
	out["taxonomy.yaml"] = tax

	byCountry := map[string]*exportCountry{}
	cites := map[string]*sourceKeys{}
	country := func(iso string) (*exportCountry, *sourceKeys) {
		if byCountry[iso] == nil {
			byCountry[iso], cites[iso] = &exportCountry{}, &sourceKeys{}
		}
		return byCountry[iso], cites[iso]
	}
	successor := map[int64]store.Assessment{}
	for _, a := range p.Assessments {
		if a.Supersedes != nil {
			successor[*a.Supersedes] = a
		}
	}
	for _, a := range p.Assessments {
		if a.Retracted { // written as the `superseded` of the row it withdraws
			continue
		}
		c, keys := country(a.Country)
		row := exportAssessment{Capability: a.Capability, Level: a.Level, From: plain(fmtPartial(a.ValidFrom.Time, a.FromPrecision)),
			Confidence: a.Confidence, LevelJudgement: a.LevelJudgement, FromNote: a.FromNote, Summary: a.Summary,
			Sources: keys.cite(a.Sources)}
		if a.ValidTo != nil {
			row.To = plain(a.ValidTo.String())
		}
		if !a.RecordedAt.Equal(FirstRelease) {
			row.Recorded = plain(fmtTime(a.RecordedAt))
		}
		if next, ok := successor[a.ID]; ok {
			row.Superseded, row.Correction = plain(fmtTime(next.RecordedAt)), next.CorrectionReason
			if row.Correction == "" {
				row.Correction = ReasonNotRecorded
			}
		}
		c.Assessments = append(c.Assessments, row)
	}
	for _, x := range p.Sites {
		c, keys := country(x.Country)
		site := exportSite{Name: x.Name, Capability: x.Capability, Status: x.Status, Point: []float64{x.Point[0], x.Point[1]},
			Precision: x.Precision, Vendor: x.Vendor, Financier: x.Financier, Confidence: x.Confidence, Sources: keys.cite(x.Sources)}
		if x.VendorCountry != nil {
			site.VendorCountry = *x.VendorCountry
		}
		if x.ValidFrom != nil {
			site.From = plain(fmtPartial(x.ValidFrom.Time, x.FromPrecision))
		}
		if x.ValidTo != nil {
			site.To = plain(x.ValidTo.String())
		}
		c.Sites = append(c.Sites, site)
	}
	for _, n := range p.Notes {
		c, keys := country(n.Country)
		c.Notes = append(c.Notes, exportNote{Text: n.Text, Sources: keys.cite(n.Sources)})
	}
	for _, iso := range slices.Sorted(maps.Keys(byCountry)) {
		c, keys := byCountry[iso], cites[iso]
		defs := keys.definitions()
		for i := range c.Assessments {
			keys.rename(c.Assessments[i].Sources)
		}
		for i := range c.Sites {
			keys.rename(c.Sites[i].Sources)
		}
		for i := range c.Notes {
			keys.rename(c.Notes[i].Sources)
		}
		b, err := encodeYAML("Country "+iso, exportFile{Sources: defs, Countries: map[string]exportCountry{iso: *c}})
		if err != nil {
			return nil, err
		}
		out["dataset/"+strings.ToLower(iso)+".yaml"] = b
	}

	events := slices.Clone(p.Events)
	slices.SortFunc(events, func(a, b store.ConstraintEvent) int {
		return cmp.Or(a.Date.Compare(b.Date.Time), strings.Compare(a.Title, b.Title))
	})
	keys := &sourceKeys{}
	f := exportFile{}
	for _, e := range events {
		ev := exportEvent{Countries: e.Countries, Date: plain(fmtPartial(e.Date.Time, e.DatePrecision)), Kind: e.Kind, Title: e.Title,
			Description: e.Description, Sources: keys.cite(e.Sources)}
		if e.Ends != nil {
			ev.Ends = *e.Ends
		}
		f.ConstraintEvents = append(f.ConstraintEvents, ev)
	}
	if len(events) > 0 {
		f.Sources = keys.definitions()
		for i := range f.ConstraintEvents {
			keys.rename(f.ConstraintEvents[i].Sources)
		}
		if out[EventsFile], err = encodeYAML("Constraint events", f); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sourceKeys gives the sources cited in one file their keys in that file.
type sourceKeys struct {
	byID map[string]string // store.Source.Key() → file key
	used map[string]store.Source
}

// cite records the sources of one record and returns their identities, to
// be renamed to file keys once every source of the file is known.
func (k *sourceKeys) cite(sources []store.Source) []string {
	if k.byID == nil {
		k.byID, k.used = map[string]string{}, map[string]store.Source{}
	}
	sources = slices.Clone(sources) // oldest first, then by identity (the database breaks ties by id)
	slices.SortStableFunc(sources, func(a, b store.Source) int {
		return cmp.Or(comparePublished(a, b), strings.Compare(a.Key(), b.Key()))
	})
	var out []string
	for _, s := range sources {
		k.used[s.Key()] = s
		out = append(out, s.Key())
	}
	return out
}

// definitions names every cited source <publisher>-<year>-<title words>
// (with -2, -3 … when two would share a name, in a stable order).
func (k *sourceKeys) definitions() map[string]exportSource {
	if len(k.used) == 0 {
		return nil
	}
	ids := slices.Sorted(maps.Keys(k.used))
	slices.SortStableFunc(ids, func(a, b string) int { return strings.Compare(sourceSlug(k.used[a]), sourceSlug(k.used[b])) })
	out := map[string]exportSource{}
	for _, id := range ids {
		s := k.used[id]
		key := sourceSlug(s)
		for n := 2; out[key] != (exportSource{}); n++ {
			key = fmt.Sprintf("%s-%d", sourceSlug(s), n)
		}
		out[key] = exportSourceOf(s)
		k.byID[id] = key
	}
	return out
}

// comparePublished orders dated sources by date, undated ones last.
func comparePublished(a, b store.Source) int {
	switch {
	case a.Published == nil || b.Published == nil:
		return cmp.Compare(boolInt(a.Published == nil), boolInt(b.Published == nil))
	default:
		return a.Published.Compare(b.Published.Time)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// rename replaces source identities by their file keys, in place.
func (k *sourceKeys) rename(list []string) {
	for i, id := range list {
		list[i] = k.byID[id]
	}
}

func exportSourceOf(s store.Source) exportSource {
	e := exportSource{Publisher: s.Publisher, Title: s.Title, Author: s.Author, Primary: s.Primary}
	if s.Published != nil {
		e.Published = plain(fmtPartial(s.Published.Time, s.PublishedPrecision))
	}
	if s.URL != nil {
		e.URL = *s.URL
	}
	if s.ArchiveURL != nil {
		e.ArchiveURL = *s.ArchiveURL
	}
	if s.Accessed != nil {
		e.Accessed = plain(s.Accessed.String())
	}
	return e
}

// sourceSlug is a readable key: up to three words of the publisher, the year
// (or "nd") and up to four words of the title, in lower-case ASCII.
func sourceSlug(s store.Source) string {
	year := "nd"
	if s.Published != nil {
		year = strconv.Itoa(s.Published.Year())
	}
	parts := []string{words(s.Publisher, 3), year, words(s.Title, 4)}
	parts = slices.DeleteFunc(parts, func(p string) bool { return p == "" })
	return strings.Join(parts, "-")
}

func words(s string, n int) string {
	var list []string
	var ascii strings.Builder // accents dropped: "Sécurité" → "securite"
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if !unicode.Is(unicode.Mn, r) {
			ascii.WriteRune(r)
		}
	}
	for _, w := range strings.FieldsFunc(ascii.String(), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	}) {
		if len(list) == n {
			break
		}
		list = append(list, w)
	}
	return strings.Join(list, "-")
}

func exportTaxonomy(t store.Taxonomy) ([]byte, error) {
	f := taxonomyFile{Version: t.Version}
	for _, l := range t.Scale {
		f.Scale = append(f.Scale, scaleEntry{l.Level, l.Name, l.Criteria})
	}
	for _, p := range t.Pillars {
		pe := pillarEntry{Code: p.Code, Name: p.Name, Description: p.Description}
		for _, c := range p.Capabilities {
			pe.Capabilities = append(pe.Capabilities, capabilityEntry{c.Code, c.Name, c.Definition, c.Level4Marker})
		}
		f.Pillars = append(f.Pillars, pe)
	}
	return encodeYAML("Capability taxonomy", f)
}

// encodeYAML writes one data file with a header comment.
func encodeYAML(what string, v any) ([]byte, error) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# %s. Written by `tracker export`; format: docs/dataset-format.md.\n", what)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Export writes the published dataset in st to dir, which must be empty or
// not exist, as a complete data folder: ExportFiles, plus the boundaries and
// country codes copied from shipped (the data the binary loads), so that
// `DATA_DIR=dir tracker ingest` loads it. It reads the written folder back
// with the loader's checks before it returns.
func Export(ctx context.Context, st *store.Store, shipped fs.FS, dir string, p *Progress) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("export: %s is not empty; export writes a fresh folder", dir)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("export: %w", err)
	}
	p.Step("reading the published dataset")
	pub, err := st.Published(ctx)
	if err != nil {
		return err
	}
	files, err := ExportFiles(pub)
	if err != nil {
		return err
	}
	for _, name := range []string{countriesCSV, topo50m, topo110m} {
		b, err := fs.ReadFile(shipped, name)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		files[name] = b
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	p.Step("wrote %d files: %d assessment rows, %d sites, %d constraint events, %d notes", len(files),
		len(pub.Assessments), len(pub.Sites), len(pub.Events), len(pub.Notes))
	rows, err := ReadBoundaries(os.DirFS(dir))
	if err != nil {
		return fmt.Errorf("export: reading the written folder back: %w", err)
	}
	countries := map[string]bool{}
	for _, r := range rows {
		countries[r.ISO3] = true
	}
	if _, err := ReadDataset(os.DirFS(dir), countries); err != nil {
		return fmt.Errorf("export: the written folder does not load: %w", err)
	}
	p.Step("checked: the folder loads")
	return nil
}
