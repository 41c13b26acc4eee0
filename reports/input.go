package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Input is what a partner proposes: the body of POST and PUT /reports
// (ReportInput in api/openapi.yaml). It is also what the database keeps of a
// report's content, so its JSON form is the wire form.
type Input struct {
	Country     string       `json:"country"`
	Period      Period       `json:"period"`
	Narrative   string       `json:"narrative"`
	Assessments []Assessment `json:"assessments"`
	Sites       []Site       `json:"sites"`
	Constraints []Constraint `json:"constraints"`
}

// Period is the span of time a report covers.
type Period struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Assessment is a proposed level of one capability.
type Assessment struct {
	Capability string      `json:"capability"`
	Level      int         `json:"level"`
	ValidFrom  string      `json:"valid_from"`
	ValidTo    *string     `json:"valid_to"`
	Confidence string      `json:"confidence"`
	Summary    string      `json:"summary"`
	Sources    []SourceRef `json:"sources"`
}

// Site is a proposed geolocated deployment.
type Site struct {
	Name          string      `json:"name"`
	Capability    string      `json:"capability"`
	Status        string      `json:"status"`
	Lon           *float64    `json:"lon"`
	Lat           *float64    `json:"lat"`
	Vendor        string      `json:"vendor"`
	VendorCountry *string     `json:"vendor_country"`
	ValidFrom     *string     `json:"valid_from"`
	ValidTo       *string     `json:"valid_to"`
	Confidence    string      `json:"confidence"`
	Summary       string      `json:"summary"`
	Sources       []SourceRef `json:"sources"`
}

// Constraint is a proposed constraint event (a safeguard) in the report's country.
type Constraint struct {
	Date    string      `json:"date"`
	Kind    string      `json:"kind"`
	Title   string      `json:"title"`
	Summary string      `json:"summary"`
	Sources []SourceRef `json:"sources"`
}

// SourceRef cites an existing source by id, or describes a new one.
type SourceRef struct {
	ID          *int64  `json:"id,omitempty"`
	URL         *string `json:"url,omitempty"`
	Title       string  `json:"title,omitempty"`
	Publisher   string  `json:"publisher,omitempty"`
	Published   *string `json:"published,omitempty"`
	ArchivedURL *string `json:"archived_url,omitempty"`
}

// Items counts the proposed items.
func (in *Input) Items() int { return len(in.Assessments) + len(in.Sites) + len(in.Constraints) }

// Normalise replaces absent lists with empty ones, so stored and returned
// reports always carry the three lists.
func (in *Input) Normalise() {
	if in.Assessments == nil {
		in.Assessments = []Assessment{}
	}
	if in.Sites == nil {
		in.Sites = []Site{}
	}
	if in.Constraints == nil {
		in.Constraints = []Constraint{}
	}
	for i := range in.Assessments {
		if in.Assessments[i].Sources == nil {
			in.Assessments[i].Sources = []SourceRef{}
		}
	}
	for i := range in.Sites {
		if in.Sites[i].Sources == nil {
			in.Sites[i].Sources = []SourceRef{}
		}
	}
	for i := range in.Constraints {
		if in.Constraints[i].Sources == nil {
			in.Constraints[i].Sources = []SourceRef{}
		}
	}
}

// FieldError names one bad field by JSON pointer (RFC 6901) and says why.
type FieldError struct {
	Pointer string
	Reason  string
}

// Errors is a list of field errors; as an error it reads as the first ones.
type Errors []FieldError

func (e Errors) Error() string {
	parts := make([]string, 0, min(len(e), 3))
	for i, f := range e {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(e)-3))
			break
		}
		parts = append(parts, f.Pointer+": "+f.Reason)
	}
	return "invalid report: " + strings.Join(parts, "; ")
}

// The keys each object of an Input may have; anything else is refused by
// pointer (json's DisallowUnknownFields names no path).
var (
	inputKeys      = keys("country", "period", "narrative", "assessments", "sites", "constraints")
	periodKeys     = keys("from", "to")
	assessmentKeys = keys("capability", "level", "valid_from", "valid_to", "confidence", "summary", "sources")
	siteKeys       = keys("name", "capability", "status", "lon", "lat", "vendor", "vendor_country", "valid_from",
		"valid_to", "confidence", "summary", "sources")
	constraintKeys = keys("date", "kind", "title", "summary", "sources")
	sourceKeys     = keys("id", "url", "title", "publisher", "published", "archived_url")
)

func keys(k ...string) map[string]bool {
	m := make(map[string]bool, len(k))
	for _, x := range k {
		m[x] = true
	}
	return m
}

// Decode reads one Input from r. Malformed JSON, a value of the wrong type
// and unknown members are returned as Errors naming the pointer where it can.
func Decode(r io.Reader) (Input, error) {
	var in Input
	raw, err := io.ReadAll(r)
	if err != nil {
		return in, err
	}
	var generic any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&generic); err != nil {
		return in, Errors{{"", "not valid JSON: " + err.Error()}}
	}
	if d.More() {
		return in, Errors{{"", "more than one JSON value in the body"}}
	}
	var errs Errors
	unknownMembers(generic, &errs)
	if len(errs) > 0 {
		slices.SortFunc(errs, func(a, b FieldError) int { return strings.Compare(a.Pointer, b.Pointer) })
		return in, errs
	}
	if err := decodeTyped(raw, &in); err != nil {
		return in, err
	}
	in.Normalise()
	return in, nil
}

// decodeTyped decodes raw (already known to hold only known members) into
// in, list element by list element, so a value of the wrong type is named
// with its index (encoding/json's own paths drop array indexes).
func decodeTyped(raw []byte, in *Input) error {
	var top struct {
		Country     json.RawMessage   `json:"country"`
		Period      json.RawMessage   `json:"period"`
		Narrative   json.RawMessage   `json:"narrative"`
		Assessments []json.RawMessage `json:"assessments"`
		Sites       []json.RawMessage `json:"sites"`
		Constraints []json.RawMessage `json:"constraints"`
	}
	if err := json.Unmarshal(raw, &top); err != nil {
		return typeError("", err)
	}
	one := func(at string, msg json.RawMessage, into any) error {
		if len(msg) == 0 {
			return nil
		}
		if err := json.Unmarshal(msg, into); err != nil {
			return typeError(at, err)
		}
		return nil
	}
	if err := one("/country", top.Country, &in.Country); err != nil {
		return err
	}
	if err := one("/period", top.Period, &in.Period); err != nil {
		return err
	}
	if err := one("/narrative", top.Narrative, &in.Narrative); err != nil {
		return err
	}
	in.Assessments = make([]Assessment, len(top.Assessments))
	for i, m := range top.Assessments {
		if err := withSources(Pointer("assessments", i), m, &in.Assessments[i], &in.Assessments[i].Sources); err != nil {
			return err
		}
	}
	in.Sites = make([]Site, len(top.Sites))
	for i, m := range top.Sites {
		if err := withSources(Pointer("sites", i), m, &in.Sites[i], &in.Sites[i].Sources); err != nil {
			return err
		}
	}
	in.Constraints = make([]Constraint, len(top.Constraints))
	for i, m := range top.Constraints {
		if err := withSources(Pointer("constraints", i), m, &in.Constraints[i], &in.Constraints[i].Sources); err != nil {
			return err
		}
	}
	return nil
}

// withSources decodes one item, then its sources one by one.
func withSources(at string, msg json.RawMessage, item any, sources *[]SourceRef) error {
	var generic map[string]json.RawMessage
	if err := json.Unmarshal(msg, &generic); err != nil {
		return typeError(at, err)
	}
	srcs := generic["sources"]
	delete(generic, "sources")
	rest, _ := json.Marshal(generic)
	if err := json.Unmarshal(rest, item); err != nil {
		return typeError(at, err)
	}
	var list []json.RawMessage
	if len(srcs) > 0 {
		if err := json.Unmarshal(srcs, &list); err != nil {
			return typeError(at+"/sources", err)
		}
	}
	*sources = make([]SourceRef, len(list))
	for j, m := range list {
		if err := json.Unmarshal(m, &(*sources)[j]); err != nil {
			return typeError(fmt.Sprintf("%s/sources/%d", at, j), err)
		}
	}
	return nil
}

// typeError names a decoding error at pointer at (plus the member json names).
func typeError(at string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		ptr := at
		if te.Field != "" {
			ptr = at + dotsToPointer(te.Field)
		}
		return Errors{{ptr, "must be " + jsonKind(te.Type.Kind().String()) + ", not " + te.Value}}
	}
	return Errors{{at, err.Error()}}
}

func jsonKind(k string) string {
	switch {
	case strings.HasPrefix(k, "int"):
		return "a whole number"
	case strings.HasPrefix(k, "float"):
		return "a number"
	case k == "string":
		return "a string"
	case k == "slice":
		return "an array"
	case k == "struct", k == "map":
		return "an object"
	case k == "bool":
		return "true or false"
	}
	return k
}

// dotsToPointer turns encoding/json's "assessments.0.level" into "/assessments/0/level".
func dotsToPointer(field string) string {
	if field == "" {
		return ""
	}
	return "/" + strings.ReplaceAll(field, ".", "/")
}

// unknownMembers walks the generic JSON and names every member the schema lacks.
func unknownMembers(v any, errs *Errors) {
	top, ok := v.(map[string]any)
	if !ok {
		*errs = append(*errs, FieldError{"", "must be a JSON object"})
		return
	}
	object(top, "", inputKeys, errs)
	if p, ok := top["period"].(map[string]any); ok {
		object(p, "/period", periodKeys, errs)
	}
	list := func(name string, allowed map[string]bool) {
		arr, _ := top[name].([]any)
		for i, x := range arr {
			at := fmt.Sprintf("/%s/%d", name, i)
			if m, ok := x.(map[string]any); ok {
				object(m, at, allowed, errs)
				srcs, _ := m["sources"].([]any)
				for j, s := range srcs {
					if sm, ok := s.(map[string]any); ok {
						object(sm, fmt.Sprintf("%s/sources/%d", at, j), sourceKeys, errs)
					}
				}
			}
		}
	}
	list("assessments", assessmentKeys)
	list("sites", siteKeys)
	list("constraints", constraintKeys)
}

func object(m map[string]any, at string, allowed map[string]bool, errs *Errors) {
	for k := range m {
		if !allowed[k] {
			*errs = append(*errs, FieldError{at + "/" + escapePointer(k), "unknown field"})
		}
	}
}

// escapePointer escapes one reference token (RFC 6901 §3).
func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// Pointer builds a JSON pointer from tokens.
func Pointer(tokens ...any) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		switch v := t.(type) {
		case int:
			b.WriteString(strconv.Itoa(v))
		case string:
			b.WriteString(escapePointer(v))
		default:
			b.WriteString(escapePointer(fmt.Sprint(v)))
		}
	}
	return b.String()
}
