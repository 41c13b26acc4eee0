package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// TaxonomyFromDB reads the taxonomy with pillars and capabilities in display order.
func (s *Store) TaxonomyFromDB(ctx context.Context) (Taxonomy, error) {
	var t Taxonomy
	if err := s.db.QueryRow(ctx, `SELECT taxonomy_version FROM dataset_revision`).Scan(&t.Version); err != nil {
		return t, fmt.Errorf("taxonomy: %w", err)
	}
	rows, err := s.db.Query(ctx, `SELECT level, name, criteria FROM scale_level ORDER BY level`)
	if err != nil {
		return t, fmt.Errorf("taxonomy: %w", err)
	}
	if t.Scale, err = pgx.CollectRows(rows, pgx.RowToStructByPos[ScaleLevel]); err != nil {
		return t, fmt.Errorf("taxonomy: %w", err)
	}
	rows, err = s.db.Query(ctx, `SELECT code, name, description FROM pillar ORDER BY ord`)
	if err != nil {
		return t, fmt.Errorf("taxonomy: %w", err)
	}
	pillars, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Pillar, error) {
		var p Pillar
		return p, r.Scan(&p.Code, &p.Name, &p.Description)
	})
	if err != nil {
		return t, fmt.Errorf("taxonomy: %w", err)
	}
	rows, err = s.db.Query(ctx, `SELECT code, name, pillar, definition, level4_marker FROM capability ORDER BY ord`)
	if err != nil {
		return t, fmt.Errorf("taxonomy: %w", err)
	}
	caps, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Capability])
	if err != nil {
		return t, fmt.Errorf("taxonomy: %w", err)
	}
	for i := range pillars {
		for _, c := range caps {
			if c.Pillar == pillars[i].Code {
				pillars[i].Capabilities = append(pillars[i].Capabilities, c)
			}
		}
	}
	t.Pillars = pillars
	return t, nil
}

// Assessment is one recorded assessment row.
type Assessment struct {
	ID            int64
	Country       string
	Capability    string
	Level         int
	ValidFrom     Date
	FromPrecision string
	ValidTo       *Date
	RecordedAt    time.Time
	Confidence    string
	Summary       string
	// LevelJudgement: the research marked the level as a judgement call.
	LevelJudgement bool
	// FromNote says why valid_from precedes the first dated source, if it does.
	FromNote string
	// CorrectionReason, on a row that supersedes or retracts another, says why.
	CorrectionReason string
	Supersedes       *int64
	SupersededBy     *int64
	Retracted        bool
	Provenance       string
	ReportID         *int64  // the accepted report a report row came from
	Organisation     *string // that report's organisation; nil when it stays unnamed (or for dataset rows)
	Sources          []Source
}

// recordedBound turns an optional "recorded as of" instant into a bound for SQL.
func recordedBound(recordedAsOf *time.Time) any {
	if recordedAsOf == nil {
		return "infinity"
	}
	return *recordedAsOf
}

const assessmentColumns = `a.id, a.country, a.capability, a.level, a.valid_from, a.valid_from_precision, a.valid_to,
	a.recorded_at, a.confidence, a.summary, a.level_judgement, a.from_note, a.correction_reason, a.supersedes,
	(SELECT n.id FROM assessment n WHERE n.supersedes = a.id AND n.recorded_at <= $1) AS superseded_by,
	a.retracted, a.provenance, a.report_id,
	(SELECT o.name FROM report r JOIN organisation o ON o.id = r.organisation_id WHERE r.id = a.report_id AND o.named) AS organisation`

func scanAssessment(r pgx.CollectableRow) (Assessment, error) {
	var a Assessment
	var from time.Time
	var to *time.Time
	err := r.Scan(&a.ID, &a.Country, &a.Capability, &a.Level, &from, &a.FromPrecision, &to, &a.RecordedAt, &a.Confidence,
		&a.Summary, &a.LevelJudgement, &a.FromNote, &a.CorrectionReason, &a.Supersedes, &a.SupersededBy, &a.Retracted, &a.Provenance,
		&a.ReportID, &a.Organisation)
	a.ValidFrom = DateOf(from)
	if to != nil {
		d := DateOf(*to)
		a.ValidTo = &d
	}
	a.Sources = []Source{}
	return a, err
}

// CurrentAssessments returns every assessment the tracker stood by at
// recordedAsOf (nil: now): recorded by then, not superseded by then, not a
// retraction. They are the facts every score is computed from.
func (s *Store) CurrentAssessments(ctx context.Context, recordedAsOf *time.Time) ([]Assessment, error) {
	q := `SELECT ` + assessmentColumns + ` FROM assessment a
		WHERE a.recorded_at <= $1 AND NOT a.retracted
		  AND NOT EXISTS (SELECT 1 FROM assessment n WHERE n.supersedes = a.id AND n.recorded_at <= $1)
		ORDER BY a.country, a.capability, a.valid_from`
	rows, err := s.db.Query(ctx, q, recordedBound(recordedAsOf))
	if err != nil {
		return nil, fmt.Errorf("current assessments: %w", err)
	}
	return pgx.CollectRows(rows, scanAssessment)
}

// History returns every assessment row recorded for a country by
// recordedAsOf, superseded and retracted ones included, with sources.
func (s *Store) History(ctx context.Context, iso3 string, recordedAsOf *time.Time) ([]Assessment, error) {
	q := `SELECT ` + assessmentColumns + ` FROM assessment a JOIN capability c ON c.code = a.capability
		WHERE a.country = $2 AND a.recorded_at <= $1
		ORDER BY c.ord, a.valid_from, a.recorded_at, a.id`
	rows, err := s.db.Query(ctx, q, recordedBound(recordedAsOf), iso3)
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", iso3, err)
	}
	list, err := pgx.CollectRows(rows, scanAssessment)
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", iso3, err)
	}
	return list, s.attachAssessmentSources(ctx, list)
}

// AttachSources fills in the sources of the given assessments.
func (s *Store) AttachSources(ctx context.Context, list []Assessment) error {
	return s.attachAssessmentSources(ctx, list)
}

func (s *Store) attachAssessmentSources(ctx context.Context, list []Assessment) error {
	return attachSources(ctx, s, "assessment", list, func(a *Assessment) int64 { return a.ID },
		func(a *Assessment, src []Source) { a.Sources = src })
}

// sourceJoins names, per kind of record, the join table and its id column.
// They are fixed here, never taken from input.
var sourceJoins = map[string][2]string{
	"assessment": {"assessment_source", "assessment_id"},
	"event":      {"constraint_event_source", "event_id"},
	"note":       {"country_note_source", "note_id"},
	"site":       {"site_source", "site_id"},
}

// attachSources loads the sources of every record in list in one query and
// hands each record its own (oldest publication first).
func attachSources[T any](ctx context.Context, s *Store, kind string, list []T, id func(*T) int64, set func(*T, []Source)) error {
	join := sourceJoins[kind]
	ids := make([]int64, len(list))
	for i := range list {
		ids[i] = id(&list[i])
	}
	q := fmt.Sprintf(`SELECT j.%s, %s FROM %s j JOIN source s ON s.id = j.source_id
		WHERE j.%s = ANY($1) ORDER BY s.published NULLS LAST, s.id`, join[1], sourceColumnsS, join[0], join[1])
	rows, err := s.db.Query(ctx, q, ids)
	if err != nil {
		return fmt.Errorf("%s sources: %w", kind, err)
	}
	defer rows.Close()
	by := map[int64][]Source{}
	for rows.Next() {
		var owner int64
		var src Source
		var published, accessed *time.Time
		var precision *string
		if err := rows.Scan(&owner, &src.ID, &src.URL, &src.Title, &src.Publisher, &src.Author, &published,
			&precision, &src.ArchiveURL, &accessed, &src.Primary); err != nil {
			return err
		}
		src.setDates(published, precision, accessed)
		by[owner] = append(by[owner], src)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range list {
		if src := by[id(&list[i])]; src != nil {
			set(&list[i], src)
		}
	}
	return nil
}

// ConstraintEvent is a dated safeguard that ends or limits a capability.
type ConstraintEvent struct {
	ID            int64
	Date          Date
	DatePrecision string
	Kind          string
	Title         string
	Description   string
	Ends          *string
	Countries     []string
	Sources       []Source
}

// ConstraintEvents lists the events that concern a country (every event for
// ""), oldest first.
func (s *Store) ConstraintEvents(ctx context.Context, iso3 string) ([]ConstraintEvent, error) {
	rows, err := s.db.Query(ctx, `SELECT e.id, e.event_date, e.date_precision, e.kind, e.title, e.description, e.ends,
		(SELECT array_agg(country ORDER BY country) FROM constraint_event_country WHERE event_id = e.id)
		FROM constraint_event e
		WHERE $1 = '' OR EXISTS (SELECT 1 FROM constraint_event_country c WHERE c.event_id = e.id AND c.country = $1)
		ORDER BY e.event_date, e.id`, iso3)
	if err != nil {
		return nil, fmt.Errorf("events %s: %w", iso3, err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ConstraintEvent, error) {
		var e ConstraintEvent
		var d time.Time
		err := r.Scan(&e.ID, &d, &e.DatePrecision, &e.Kind, &e.Title, &e.Description, &e.Ends, &e.Countries)
		e.Date = DateOf(d)
		e.Sources = []Source{}
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("events %s: %w", iso3, err)
	}
	err = attachSources(ctx, s, "event", list, func(e *ConstraintEvent) int64 { return e.ID },
		func(e *ConstraintEvent, src []Source) { e.Sources = src })
	return list, err
}

// Note is a free-text note on a country's profile.
type Note struct {
	ID      int64
	Country string
	Text    string
	Sources []Source
}

// Notes lists a country's notes in order (every country's for "", by country).
func (s *Store) Notes(ctx context.Context, iso3 string) ([]Note, error) {
	rows, err := s.db.Query(ctx, `SELECT id, country, body FROM country_note WHERE $1 = '' OR country = $1 ORDER BY country, ord`, iso3)
	if err != nil {
		return nil, fmt.Errorf("notes %s: %w", iso3, err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Note, error) {
		n := Note{Sources: []Source{}}
		return n, r.Scan(&n.ID, &n.Country, &n.Text)
	})
	if err != nil {
		return nil, fmt.Errorf("notes %s: %w", iso3, err)
	}
	err = attachSources(ctx, s, "note", list, func(n *Note) int64 { return n.ID },
		func(n *Note, src []Source) { n.Sources = src })
	return list, err
}
