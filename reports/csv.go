package reports

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// CSVColumns are the columns of the bulk-entry template, in order. Each row
// is one item (kind assessment, site or constraint) with its first source, or
// (kind source) one more source of the item above it.
var CSVColumns = []string{
	"kind", "capability", "level", "valid_from", "valid_to", "confidence", "summary",
	"name", "status", "lon", "lat", "vendor", "vendor_country",
	"date", "constraint_kind", "title",
	"source_id", "source_url", "source_title", "source_publisher", "source_published", "source_archived_url",
}

// CSVTemplate is the template partners download: the header and one example
// row of each kind (to be replaced by their own).
func CSVTemplate() []byte {
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(CSVColumns)
	row := func(kv map[string]string) {
		out := make([]string, len(CSVColumns))
		for i, c := range CSVColumns {
			out[i] = kv[c]
		}
		_ = w.Write(out)
	}
	row(map[string]string{"kind": "assessment", "capability": "sanctions.blacklist", "level": "2", "valid_from": "2021-03-01",
		"confidence": "M", "summary": "What the sources show, in one or two sentences.",
		"source_url": "https://example.org/report", "source_title": "Title of the source", "source_publisher": "Publisher",
		"source_published": "2021-02-15"})
	row(map[string]string{"kind": "source", "source_id": "1"})
	row(map[string]string{"kind": "site", "capability": "surveillance.cctv_network", "name": "City camera network", "status": "active",
		"lon": "36.82", "lat": "-1.29", "vendor": "Vendor name", "vendor_country": "CHN", "valid_from": "2015-01-01", "confidence": "M",
		"source_url": "https://example.org/site", "source_title": "Title", "source_publisher": "Publisher", "source_published": "2015-03-01"})
	row(map[string]string{"kind": "constraint", "date": "2022-05-01", "constraint_kind": "court_ruling", "title": "Court strikes down the system",
		"summary": "", "source_url": "https://example.org/ruling", "source_title": "Judgment", "source_publisher": "Court", "source_published": "2022-05-01"})
	w.Flush()
	return []byte(b.String())
}

// CSVError is one bad cell: its row (1 is the header) and column.
type CSVError struct {
	Row    int
	Column string
	Reason string
}

// CSVErrors lists bad cells.
type CSVErrors []CSVError

func (e CSVErrors) Error() string {
	if len(e) == 0 {
		return "csv: no error"
	}
	return fmt.Sprintf("csv: row %d, column %s: %s (and %d more)", e[0].Row, e[0].Column, e[0].Reason, len(e)-1)
}

// origin says where an item (or one of its sources) came from in the file.
type origin struct {
	row     int
	sources []int // row of each source
}

// CSVImport is what a file adds to a report, with where each item came from.
type CSVImport struct {
	Assessments []Assessment
	Sites       []Site
	Constraints []Constraint
	origins     map[string]origin // "assessments/0" → rows
}

// ParseCSV reads a filled-in template. Cells that cannot be read at all (a
// level that is not a number) are errors here; everything else is checked by
// Validate once the rows are merged into the report (see MapErrors).
func ParseCSV(r io.Reader) (*CSVImport, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, CSVErrors{{1, "kind", "the file is empty"}}
	}
	if err != nil {
		return nil, CSVErrors{{1, "", "not CSV: " + err.Error()}}
	}
	col := map[string]int{}
	var errs CSVErrors
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		known := false
		for _, c := range CSVColumns {
			known = known || c == h
		}
		if !known {
			errs = append(errs, CSVError{1, h, "unknown column"})
		}
		col[h] = i
	}
	if _, ok := col["kind"]; !ok {
		errs = append(errs, CSVError{1, "kind", "the header has no kind column"})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	imp := &CSVImport{origins: map[string]origin{}}
	var last string // the item a "source" row adds to
	row := 1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		row++
		if err != nil {
			errs = append(errs, CSVError{row, "", "not CSV: " + err.Error()})
			break
		}
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		opt := func(c string) *string {
			if v := get(c); v != "" {
				return &v
			}
			return nil
		}
		num := func(c string) *float64 {
			v := get(c)
			if v == "" {
				return nil
			}
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				errs = append(errs, CSVError{row, c, "not a number"})
				return nil
			}
			return &f
		}
		var src []SourceRef
		if ref, ok := sourceOf(get, row, &errs); ok {
			src = append(src, ref)
		}
		kind := get("kind")
		if kind == "" && strings.Join(rec, "") == "" {
			continue // a blank line
		}
		var key string
		switch kind {
		case "assessment":
			level := 0
			if v := get("level"); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					errs = append(errs, CSVError{row, "level", "not a whole number"})
				}
				level = n
			} else {
				errs = append(errs, CSVError{row, "level", "required"})
			}
			key = Pointer("assessments", len(imp.Assessments))
			imp.Assessments = append(imp.Assessments, Assessment{Capability: get("capability"), Level: level, ValidFrom: get("valid_from"),
				ValidTo: opt("valid_to"), Confidence: get("confidence"), Summary: get("summary"), Sources: src})
		case "site":
			key = Pointer("sites", len(imp.Sites))
			imp.Sites = append(imp.Sites, Site{Name: get("name"), Capability: get("capability"), Status: get("status"), Lon: num("lon"),
				Lat: num("lat"), Vendor: get("vendor"), VendorCountry: opt("vendor_country"), ValidFrom: opt("valid_from"),
				ValidTo: opt("valid_to"), Confidence: get("confidence"), Summary: get("summary"), Sources: src})
		case "constraint":
			key = Pointer("constraints", len(imp.Constraints))
			imp.Constraints = append(imp.Constraints, Constraint{Date: get("date"), Kind: get("constraint_kind"), Title: get("title"),
				Summary: get("summary"), Sources: src})
		case "source":
			if last == "" {
				errs = append(errs, CSVError{row, "kind", "a source row must follow the item it cites"})
				continue
			}
			if len(src) == 0 {
				errs = append(errs, CSVError{row, "source_id", "a source row needs source_id or source_title"})
				continue
			}
			imp.addSource(last, src[0])
			o := imp.origins[last]
			o.sources = append(o.sources, row)
			imp.origins[last] = o
			continue
		default:
			errs = append(errs, CSVError{row, "kind", "must be assessment, site, constraint or source"})
			continue
		}
		o := origin{row: row}
		if len(src) > 0 {
			o.sources = []int{row}
		}
		imp.origins[key] = o
		last = key
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(imp.Assessments)+len(imp.Sites)+len(imp.Constraints) == 0 {
		return nil, CSVErrors{{2, "kind", "the file has no rows"}}
	}
	return imp, nil
}

func (imp *CSVImport) addSource(key string, ref SourceRef) {
	var i int
	switch {
	case strings.HasPrefix(key, "/assessments/"):
		i, _ = strconv.Atoi(key[len("/assessments/"):])
		imp.Assessments[i].Sources = append(imp.Assessments[i].Sources, ref)
	case strings.HasPrefix(key, "/sites/"):
		i, _ = strconv.Atoi(key[len("/sites/"):])
		imp.Sites[i].Sources = append(imp.Sites[i].Sources, ref)
	default:
		i, _ = strconv.Atoi(key[len("/constraints/"):])
		imp.Constraints[i].Sources = append(imp.Constraints[i].Sources, ref)
	}
}

// sourceOf reads the source columns of a row; ok is false when they are all empty.
func sourceOf(get func(string) string, row int, errs *CSVErrors) (SourceRef, bool) {
	var ref SourceRef
	if v := get("source_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			*errs = append(*errs, CSVError{row, "source_id", "not a source id"})
			return ref, false
		}
		ref.ID = &id
		return ref, true
	}
	ref.Title, ref.Publisher = get("source_title"), get("source_publisher")
	if v := get("source_url"); v != "" {
		ref.URL = &v
	}
	if v := get("source_published"); v != "" {
		ref.Published = &v
	}
	if v := get("source_archived_url"); v != "" {
		ref.ArchivedURL = &v
	}
	return ref, ref.Title != "" || ref.Publisher != "" || ref.URL != nil
}

// Merge appends the import to in, remembering where the new items start.
func (imp *CSVImport) Merge(in *Input) (offsets [3]int) {
	offsets = [3]int{len(in.Assessments), len(in.Sites), len(in.Constraints)}
	in.Assessments = append(in.Assessments, imp.Assessments...)
	in.Sites = append(in.Sites, imp.Sites...)
	in.Constraints = append(in.Constraints, imp.Constraints...)
	in.Normalise()
	return offsets
}

// csvColumn maps an item's field (the pointer's last token) to its column.
func csvColumn(list, field string) string {
	switch {
	case field == "kind" && list == "constraints":
		return "constraint_kind"
	case field == "sources":
		return "source_title"
	}
	return field
}

// MapErrors turns validation errors of the merged report into file cells.
// Errors on items that were in the report before (or on the report itself)
// keep their pointer and get row 0.
func (imp *CSVImport) MapErrors(errs Errors, offsets [3]int) CSVErrors {
	lists := map[string]int{"assessments": offsets[0], "sites": offsets[1], "constraints": offsets[2]}
	out := make(CSVErrors, 0, len(errs))
	for _, e := range errs {
		parts := strings.Split(strings.TrimPrefix(e.Pointer, "/"), "/")
		if len(parts) >= 3 {
			if off, ok := lists[parts[0]]; ok {
				if i, err := strconv.Atoi(parts[1]); err == nil && i >= off {
					key := Pointer(parts[0], i-off)
					o := imp.origins[key]
					field := parts[2]
					if field == "sources" && len(parts) >= 5 {
						j, _ := strconv.Atoi(parts[3])
						row := o.row
						if j < len(o.sources) {
							row = o.sources[j]
						}
						out = append(out, CSVError{row, "source_" + strings.TrimPrefix(parts[4], "source_"), e.Reason})
						continue
					}
					out = append(out, CSVError{o.row, csvColumn(parts[0], field), e.Reason})
					continue
				}
			}
		}
		out = append(out, CSVError{0, e.Pointer, e.Reason})
	}
	return out
}
