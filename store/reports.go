package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/scs-diffusion/tracker/reports"
)

// Errors of the report workflow (besides ErrNotFound, reports.ErrForbidden,
// reports.ErrIllegal and reports.Errors).
var (
	// ErrPrecondition: the version the caller holds is not the report's current one.
	ErrPrecondition = errors.New("store: the report changed since it was read")
	// ErrIdempotencyMismatch: an idempotency key reused for another request.
	ErrIdempotencyMismatch = errors.New("store: idempotency key used for another request")
)

// ReportActor is who acts on a report.
type ReportActor struct {
	UserID, KeyID, OrgID int64 // 0: none (an admin may belong to no organisation)
	Role                 reports.Role
}

// Report is one report with its review trail.
type Report struct {
	ID          int64
	OrgID       int64
	OrgName     string
	Country     string
	Status      reports.Status
	Version     int
	Content     reports.Input
	CreatedAt   time.Time
	UpdatedAt   time.Time
	SubmittedAt *time.Time
	DecidedAt   *time.Time
	Comments    []ReportComment
	Transitions []ReportTransition
}

// ReportComment is a comment on a report (Pointer "") or on one item.
type ReportComment struct {
	ID         int64
	Pointer    string
	Body       string
	AuthorRole string
	AuthorOrg  string // "" for an admin of no organisation
	CreatedAt  time.Time
}

// ReportTransition is one step of the workflow.
type ReportTransition struct {
	From, To reports.Status
	At       time.Time
	Role     string
}

// ReportSummary is a row of the report list.
type ReportSummary struct {
	ID                                       int64
	Country                                  string
	From, To                                 string
	Status                                   reports.Status
	OrgID                                    int64
	OrgName                                  string
	CreatedAt, UpdatedAt                     time.Time
	Assessments, Sites, Constraints, Sources int
	LastComment                              *string
}

// ItemComment is a comment given with a transition.
type ItemComment struct{ Pointer, Body string }

// inTx runs fn in the store's transaction if it is already in one, else in a new one.
func (s *Store) inTx(ctx context.Context, fn func(tx *Store) error) error {
	if _, ok := s.db.(pgx.Tx); ok {
		return fn(s)
	}
	return s.InTx(ctx, fn)
}

// SitesOutside returns, for the sites of in, the field errors of those whose
// point is not covered by the country's 1:50m polygon.
func (s *Store) SitesOutside(ctx context.Context, in *reports.Input) (reports.Errors, error) {
	if len(in.Sites) == 0 {
		return nil, nil
	}
	lons, lats := make([]float64, len(in.Sites)), make([]float64, len(in.Sites))
	for i, x := range in.Sites {
		if x.Lon == nil || x.Lat == nil {
			return nil, nil // already refused by validation
		}
		lons[i], lats[i] = *x.Lon, *x.Lat
	}
	rows, err := s.db.Query(ctx, `SELECT p.i - 1 FROM unnest($2::float8[], $3::float8[]) WITH ORDINALITY AS p(lon, lat, i)
		LEFT JOIN country c ON c.iso3 = $1
		WHERE c.iso3 IS NULL OR NOT ST_Covers(c.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))
		ORDER BY p.i`, in.Country, lons, lats)
	if err != nil {
		return nil, fmt.Errorf("sites outside: %w", err)
	}
	idx, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("sites outside: %w", err)
	}
	var errs reports.Errors
	for _, i := range idx {
		errs = append(errs, reports.FieldError{Pointer: reports.Pointer("sites", int(i), "lon"),
			Reason: fmt.Sprintf("the point (%g, %g) lies outside %s", lons[i], lats[i], in.Country)})
	}
	return errs, nil
}

// CreateReport stores a new draft for the actor's organisation.
func (s *Store) CreateReport(ctx context.Context, a ReportActor, in reports.Input) (*Report, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.inTx(ctx, func(tx *Store) error {
		if err := tx.db.QueryRow(ctx, `INSERT INTO report (organisation_id, created_by_user, created_by_key, country, content)
			VALUES ($1, nullif($2, 0), nullif($3, 0), $4, $5) RETURNING id`, a.OrgID, a.UserID, a.KeyID, in.Country, b).Scan(&id); err != nil {
			return fmt.Errorf("create report: %w", err)
		}
		return tx.Audit(ctx, nil, AuditEntry{ActorUserID: a.UserID, ActorKeyID: a.KeyID, OrgID: a.OrgID,
			Action: "report.create", Subject: fmt.Sprintf("report:%d", id), Detail: map[string]any{"country": in.Country}})
	})
	if err != nil {
		return nil, err
	}
	return s.Report(ctx, id)
}

// Report reads one report with its comments and transitions, or ErrNotFound.
func (s *Store) Report(ctx context.Context, id int64) (*Report, error) {
	var r Report
	var content []byte
	var status string
	err := s.db.QueryRow(ctx, `SELECT r.id, r.organisation_id, o.name, r.country, r.status, r.version, r.content,
		r.created_at, r.updated_at, r.submitted_at, r.decided_at
		FROM report r JOIN organisation o ON o.id = r.organisation_id WHERE r.id = $1`, id).Scan(
		&r.ID, &r.OrgID, &r.OrgName, &r.Country, &status, &r.Version, &content, &r.CreatedAt, &r.UpdatedAt, &r.SubmittedAt, &r.DecidedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("report %d: %w", id, err)
	}
	r.Status = reports.Status(status)
	if err := json.Unmarshal(content, &r.Content); err != nil {
		return nil, fmt.Errorf("report %d content: %w", id, err)
	}
	r.Content.Normalise()
	rows, err := s.db.Query(ctx, `SELECT c.id, c.pointer, c.body, c.author_role, coalesce(o.name, ''), c.created_at
		FROM report_comment c LEFT JOIN organisation o ON o.id = c.author_org WHERE c.report_id = $1 ORDER BY c.id`, id)
	if err != nil {
		return nil, fmt.Errorf("report %d comments: %w", id, err)
	}
	if r.Comments, err = pgx.CollectRows(rows, pgx.RowToStructByPos[ReportComment]); err != nil {
		return nil, fmt.Errorf("report %d comments: %w", id, err)
	}
	rows, err = s.db.Query(ctx, `SELECT from_status, to_status, at, actor_role FROM report_transition WHERE report_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("report %d transitions: %w", id, err)
	}
	if r.Transitions, err = pgx.CollectRows(rows, pgx.RowToStructByPos[ReportTransition]); err != nil {
		return nil, fmt.Errorf("report %d transitions: %w", id, err)
	}
	return &r, nil
}

// ReportFilter selects reports for a list.
type ReportFilter struct {
	Status reports.Status // "" for any
	Limit  int
	Before int64 // ids below it (0: from the newest)
	// Who asks: a partner sees its organisation's reports; a reviewer those of
	// other organisations that are not drafts plus its own; an admin all.
	Role  reports.Role
	OrgID int64
}

// Reports lists reports, newest first.
func (s *Store) Reports(ctx context.Context, f ReportFilter) ([]ReportSummary, error) {
	rows, err := s.db.Query(ctx, `SELECT r.id, r.country, coalesce(r.content->'period'->>'from', ''), coalesce(r.content->'period'->>'to', ''),
		r.status, r.organisation_id, o.name, r.created_at, r.updated_at,
		coalesce(jsonb_array_length(r.content->'assessments'), 0), coalesce(jsonb_array_length(r.content->'sites'), 0),
		coalesce(jsonb_array_length(r.content->'constraints'), 0),
		(SELECT count(*) FROM jsonb_array_elements(coalesce(r.content->'assessments', '[]') || coalesce(r.content->'sites', '[]')
			|| coalesce(r.content->'constraints', '[]')) it, jsonb_array_elements(coalesce(it->'sources', '[]')) src),
		(SELECT c.body FROM report_comment c WHERE c.report_id = r.id ORDER BY c.id DESC LIMIT 1)
		FROM report r JOIN organisation o ON o.id = r.organisation_id
		WHERE ($1 = '' OR r.status = $1) AND ($2 = 0 OR r.id < $2)
		  AND CASE $3 WHEN 'admin' THEN true
		              WHEN 'reviewer' THEN r.organisation_id = $4 OR r.status <> 'draft'
		              ELSE r.organisation_id = $4 END
		ORDER BY r.id DESC LIMIT $5`, string(f.Status), f.Before, string(f.Role), f.OrgID, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReportSummary, error) {
		var x ReportSummary
		var status string
		err := r.Scan(&x.ID, &x.Country, &x.From, &x.To, &status, &x.OrgID, &x.OrgName, &x.CreatedAt, &x.UpdatedAt,
			&x.Assessments, &x.Sites, &x.Constraints, &x.Sources, &x.LastComment)
		x.Status = reports.Status(status)
		return x, err
	})
}

// lockReport locks a report row for a change by a, checking the caller may
// see it (else ErrNotFound) and holds its current version (else ErrPrecondition).
func (s *Store) lockReport(ctx context.Context, id int64, version int, a ReportActor) (org int64, status reports.Status, err error) {
	var cur int
	var st string
	err = s.db.QueryRow(ctx, `SELECT organisation_id, status, version FROM report WHERE id = $1 FOR UPDATE`, id).Scan(&org, &st, &cur)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, "", ErrNotFound
	}
	if err != nil {
		return 0, "", fmt.Errorf("report %d: %w", id, err)
	}
	status = reports.Status(st)
	if !reports.MayRead(status, a.Role, org == a.OrgID) {
		return 0, "", ErrNotFound
	}
	if cur != version {
		return 0, "", ErrPrecondition
	}
	return org, status, nil
}

// UpdateReport replaces the content of a draft (or a report with changes
// requested) at version.
func (s *Store) UpdateReport(ctx context.Context, id int64, version int, a ReportActor, in reports.Input) (*Report, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	err = s.inTx(ctx, func(tx *Store) error {
		org, status, err := tx.lockReport(ctx, id, version, a)
		if err != nil {
			return err
		}
		if !reports.MayEdit(a.Role, org == a.OrgID) {
			return reports.ErrForbidden
		}
		if !status.Editable() {
			return reports.ErrIllegal
		}
		_, err = tx.db.Exec(ctx, `UPDATE report SET content = $2, country = $3, version = version + 1, updated_at = now() WHERE id = $1`,
			id, b, in.Country)
		if err != nil {
			return fmt.Errorf("update report %d: %w", id, err)
		}
		return tx.Audit(ctx, nil, AuditEntry{ActorUserID: a.UserID, ActorKeyID: a.KeyID, OrgID: a.OrgID,
			Action: "report.update", Subject: fmt.Sprintf("report:%d", id)})
	})
	if err != nil {
		return nil, err
	}
	return s.Report(ctx, id)
}

// Transition takes action on report id at version, with comments; accepting
// publishes the report's items in the same transaction (see publishReport).
// Two callers deciding at once: the row lock orders them, and the second
// finds the version changed (ErrPrecondition).
func (s *Store) Transition(ctx context.Context, id int64, version int, a ReportActor, action reports.Action,
	comment string, items []ItemComment) (*Report, error) {
	err := s.inTx(ctx, func(tx *Store) error {
		org, status, err := tx.lockReport(ctx, id, version, a)
		if err != nil {
			return err
		}
		to, err := reports.Next(status, action, a.Role, org == a.OrgID)
		if err != nil {
			return err
		}
		if to == reports.Accepted {
			if err := tx.publishReport(ctx, id); err != nil {
				return err
			}
		}
		if _, err := tx.db.Exec(ctx, `UPDATE report SET status = $2, version = version + 1, updated_at = now(),
			submitted_at = CASE WHEN $2 = 'submitted' THEN now() ELSE submitted_at END,
			decided_at = CASE WHEN $2 IN ('accepted', 'rejected') THEN now() END
			WHERE id = $1`, id, string(to)); err != nil {
			return fmt.Errorf("report %d %s: %w", id, action, err)
		}
		if _, err := tx.db.Exec(ctx, `INSERT INTO report_transition (report_id, from_status, to_status, actor_role, actor_org, actor_user, actor_key)
			VALUES ($1, $2, $3, $4, nullif($5, 0), nullif($6, 0), nullif($7, 0))`,
			id, string(status), string(to), string(a.Role), a.OrgID, a.UserID, a.KeyID); err != nil {
			return fmt.Errorf("report %d transition: %w", id, err)
		}
		all := items
		if comment != "" {
			all = append([]ItemComment{{"", comment}}, items...)
		}
		for _, c := range all {
			if _, err := tx.db.Exec(ctx, `INSERT INTO report_comment (report_id, pointer, body, author_role, author_org, author_user, author_key)
				VALUES ($1, $2, $3, $4, nullif($5, 0), nullif($6, 0), nullif($7, 0))`,
				id, c.Pointer, c.Body, string(a.Role), a.OrgID, a.UserID, a.KeyID); err != nil {
				return fmt.Errorf("report %d comment: %w", id, err)
			}
		}
		return tx.Audit(ctx, nil, AuditEntry{ActorUserID: a.UserID, ActorKeyID: a.KeyID, OrgID: a.OrgID,
			Action: "report." + string(action), Subject: fmt.Sprintf("report:%d", id),
			Detail: map[string]any{"from": string(status), "to": string(to)}})
	})
	if err != nil {
		return nil, err
	}
	return s.Report(ctx, id)
}

// LevelChange is one changed level, for the change feed.
type LevelChange struct {
	Country, Capability string
	Old, New            *int // nil: no row stood before / the row was retracted
}

// publishReport writes the report's items as published rows linked to it:
// sources (reusing an existing one with the same URL, or publisher, title and
// date), assessments as new bitemporal rows superseding the row that stands
// for the same country and capability (see supersededRow), sites and
// constraint events; then the change-log entry. The dataset revision is
// bumped by the tables' triggers (migrations/001), so every server reloads.
func (s *Store) publishReport(ctx context.Context, id int64) error {
	r, err := s.Report(ctx, id)
	if err != nil {
		return err
	}
	in := &r.Content
	if errs, err := s.SitesOutside(ctx, in); err != nil {
		return err
	} else if len(errs) > 0 {
		return errs
	}
	var changes []LevelChange
	for i, x := range in.Assessments {
		ids, err := s.reportSources(ctx, id, x.Sources)
		if err != nil {
			return err
		}
		from, _ := time.Parse(time.DateOnly, x.ValidFrom)
		to := optionalDay(x.ValidTo)
		old, oldLevel, err := s.supersededRow(ctx, r.Country, x.Capability, from, to)
		if err != nil {
			return err
		}
		reason := ""
		if old != nil {
			reason = fmt.Sprintf("Accepted report %d.", id)
		}
		hash := contentHash("report", id, i, x.Level, x.ValidTo, x.Confidence, x.Summary)
		var aid int64
		err = s.db.QueryRow(ctx, `INSERT INTO assessment (country, capability, level, valid_from, valid_to, confidence, summary,
			correction_reason, supersedes, provenance, report_id, content_hash)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'report', $10, $11) RETURNING id`,
			r.Country, x.Capability, x.Level, from, to, x.Confidence, x.Summary, reason, old, id, hash).Scan(&aid)
		if err != nil {
			return reportWriteError(reports.Pointer("assessments", i), err)
		}
		if err := s.linkIDs(ctx, "assessment_source", "assessment_id", aid, ids); err != nil {
			return err
		}
		changes = append(changes, LevelChange{Country: r.Country, Capability: x.Capability, Old: oldLevel, New: &x.Level})
	}
	for i, x := range in.Sites {
		ids, err := s.reportSources(ctx, id, x.Sources)
		if err != nil {
			return err
		}
		var sid int64
		hash := contentHash("report", id, i)
		err = s.db.QueryRow(ctx, `INSERT INTO site (country, name, capability, status, geom, vendor, vendor_country, valid_from, valid_to,
			confidence, summary, provenance, report_id, content_hash)
			VALUES ($1, $2, $3, $4, ST_SetSRID(ST_MakePoint($5, $6), 4326), $7, nullif($8, ''), $9, $10, $11, $12, 'report', $13, $14)
			ON CONFLICT (country, name) DO NOTHING RETURNING id`,
			r.Country, x.Name, x.Capability, x.Status, *x.Lon, *x.Lat, x.Vendor, deref(x.VendorCountry),
			optionalDay(x.ValidFrom), optionalDay(x.ValidTo), x.Confidence, x.Summary, id, hash).Scan(&sid)
		if errors.Is(err, pgx.ErrNoRows) {
			return reports.Errors{{Pointer: reports.Pointer("sites", i, "name"), Reason: "a site of this name already exists in " + r.Country}}
		}
		if err != nil {
			return reportWriteError(reports.Pointer("sites", i), err)
		}
		if err := s.linkIDs(ctx, "site_source", "site_id", sid, ids); err != nil {
			return err
		}
	}
	for i, x := range in.Constraints {
		ids, err := s.reportSources(ctx, id, x.Sources)
		if err != nil {
			return err
		}
		var eid int64
		date, _ := time.Parse(time.DateOnly, x.Date)
		err = s.db.QueryRow(ctx, `INSERT INTO constraint_event (event_date, kind, title, description, provenance, report_id, content_hash)
			VALUES ($1, $2, $3, $4, 'report', $5, $6) ON CONFLICT (event_date, title) DO NOTHING RETURNING id`,
			date, x.Kind, x.Title, x.Summary, id, contentHash("report", id, i)).Scan(&eid)
		if errors.Is(err, pgx.ErrNoRows) {
			return reports.Errors{{Pointer: reports.Pointer("constraints", i, "title"), Reason: "an event with this date and title is already recorded"}}
		}
		if err != nil {
			return reportWriteError(reports.Pointer("constraints", i), err)
		}
		if _, err := s.db.Exec(ctx, `INSERT INTO constraint_event_country (event_id, country) VALUES ($1, $2)`, eid, r.Country); err != nil {
			return err
		}
		if err := s.linkIDs(ctx, "constraint_event_source", "event_id", eid, ids); err != nil {
			return err
		}
	}
	return s.logChanges(ctx, "report", &id, changes)
}

// reportWriteError turns a constraint violation into a field error (the
// checks of migrations/003 back up validation), anything else into itself.
func reportWriteError(ptr string, err error) error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && (pg.Code == "23514" || pg.Code == "23503") {
		return reports.Errors{{Pointer: ptr, Reason: "refused by the database: " + pg.Message}}
	}
	if errors.As(err, &pg) && pg.Code == "23505" {
		return fmt.Errorf("%w: %s", ErrConflict, pg.Message) // another writer superseded the same row meanwhile
	}
	return err
}

// supersededRow finds the row that a new assessment of (country,
// capability) valid from..to supersedes: among the rows standing now (not
// superseded, not retracted), one with the same valid_from, else the latest
// starting one whose period overlaps the new one. It locks it. nil: none.
func (s *Store) supersededRow(ctx context.Context, country, capability string, from time.Time, to *time.Time) (*int64, *int, error) {
	var id int64
	var level int
	err := s.db.QueryRow(ctx, `SELECT a.id, a.level FROM assessment a
		WHERE a.country = $1 AND a.capability = $2 AND NOT a.retracted
		  AND NOT EXISTS (SELECT 1 FROM assessment n WHERE n.supersedes = a.id)
		  AND (a.valid_to IS NULL OR a.valid_to > $3) AND ($4::date IS NULL OR a.valid_from < $4)
		ORDER BY a.valid_from = $3 DESC, a.valid_from DESC, a.id DESC LIMIT 1 FOR UPDATE`, country, capability, from, to).Scan(&id, &level)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("current assessment %s %s: %w", country, capability, err)
	}
	return &id, &level, nil
}

// reportSources resolves a report's source references to source ids,
// creating the new ones (linked to the report).
func (s *Store) reportSources(ctx context.Context, report int64, refs []reports.SourceRef) ([]int64, error) {
	ids := make([]int64, 0, len(refs))
	for _, ref := range refs {
		if ref.ID != nil {
			ids = append(ids, *ref.ID)
			continue
		}
		published := optionalDay(ref.Published)
		var precision *string
		if published != nil {
			day := "day"
			precision = &day
		}
		var id int64
		var err error
		if ref.URL != nil {
			err = s.db.QueryRow(ctx, `SELECT id FROM source WHERE url = $1`, *ref.URL).Scan(&id)
		} else {
			err = s.db.QueryRow(ctx, `SELECT id FROM source WHERE url IS NULL AND publisher = $1 AND title = $2 AND published = $3`,
				ref.Publisher, ref.Title, published).Scan(&id)
		}
		if errors.Is(err, pgx.ErrNoRows) {
			err = s.db.QueryRow(ctx, `INSERT INTO source (url, title, publisher, published, published_precision, archive_url, report_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
				ref.URL, ref.Title, ref.Publisher, published, precision, ref.ArchivedURL, report).Scan(&id)
		}
		if err != nil {
			return nil, fmt.Errorf("report %d source %q: %w", report, ref.Title, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// linkIDs writes join rows between a record and source ids.
func (s *Store) linkIDs(ctx context.Context, table, column string, id int64, sources []int64) error {
	// table and column come from the fixed join tables of this package, never from input.
	q := fmt.Sprintf(`INSERT INTO %s (%s, source_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`, table, column)
	if _, err := s.db.Exec(ctx, q, id, sources); err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	return nil
}

func optionalDay(s *string) *time.Time {
	if s == nil || *s == "" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, *s)
	if err != nil {
		return nil
	}
	return &t
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
