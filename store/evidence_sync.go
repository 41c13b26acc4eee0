package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb/encoding/wkb"
)

// EvidenceStats says what SyncEvidence changed.
type EvidenceStats struct {
	SourcesWritten                          int
	AssessmentsAdded, Superseded, Retracted int
	SitesWritten, SitesDeleted              int
	// KeptForReports counts identities the files changed whose row a report
	// has superseded (ingest leaves them: see headRow.shadowed), and sites,
	// events and sources the files share with a report that ingest left as the report wrote them.
	KeptForReports               int
	EventsWritten, EventsDeleted int
	NotesWritten, NotesDeleted   int
}

// SyncEvidence makes the published dataset match e. Assessments are
// append-only: the recording history the files give (rows at their recorded
// times, corrections superseding them, retractions) is appended after what the
// database holds, a changed row is recorded as a new row superseding the old,
// a removed one as a retraction; unchanged ones are left alone, so syncing the
// same evidence twice writes nothing (see syncAssessments). Sites, events and
// notes are replaced where they changed. Run it inside InTx.
func (s *Store) SyncEvidence(ctx context.Context, e Evidence) (EvidenceStats, error) {
	var st EvidenceStats
	ids, n, err := s.syncSources(ctx, e)
	if err != nil {
		return st, err
	}
	st.SourcesWritten = n
	var changes []LevelChange
	if err := s.syncAssessments(ctx, e.Assessments, ids, &st, &changes); err != nil {
		return st, err
	}
	if err := s.syncSites(ctx, e.Sites, ids, &st); err != nil {
		return st, err
	}
	if err := s.syncEvents(ctx, e.Events, ids, &st); err != nil {
		return st, err
	}
	if err := s.syncNotes(ctx, e.Notes, ids, &st); err != nil {
		return st, err
	}
	if e.Version != "" {
		if err := s.SetDatasetVersion(ctx, e.Version); err != nil {
			return st, err
		}
	}
	return st, s.logChanges(ctx, "dataset", nil, changes)
}

// syncSources upserts every cited source and returns their ids by key.
func (s *Store) syncSources(ctx context.Context, e Evidence) (map[string]int64, int, error) {
	all := map[string]Source{}
	collect := func(list []Source) {
		for _, src := range list {
			all[src.Key()] = src
		}
	}
	for _, a := range e.Assessments {
		collect(a.Sources)
	}
	for _, x := range e.Sites {
		collect(x.Sources)
	}
	for _, x := range e.Events {
		collect(x.Sources)
	}
	for _, x := range e.Notes {
		collect(x.Sources)
	}
	existing, err := s.allSources(ctx)
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.db.Query(ctx, `SELECT id FROM source WHERE report_id IS NOT NULL`)
	if err != nil {
		return nil, 0, fmt.Errorf("sources: %w", err)
	}
	fromReports, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, 0, fmt.Errorf("sources: %w", err)
	}
	ids := map[string]int64{}
	written := 0
	for _, key := range slices.Sorted(maps.Keys(all)) { // in a stable order, so equal loads give equal ids
		src := all[key]
		old, ok := existing[key]
		switch {
		case ok && (sameSource(old, src) || slices.Contains(fromReports, old.ID)): // a report's source is left as it wrote it
			ids[key] = old.ID
		case ok:
			_, err = s.db.Exec(ctx, `UPDATE source SET title = $2, publisher = $3, author = $4, published = $5,
				published_precision = $6, archive_url = $7, accessed = $8, primary_document = $9 WHERE id = $1`,
				old.ID, src.Title, src.Publisher, src.Author, dateArg(src.Published), nullIfEmpty(src.PublishedPrecision),
				src.ArchiveURL, dateArg(src.Accessed), src.Primary)
			ids[key] = old.ID
			written++
		default:
			var id int64
			err = s.db.QueryRow(ctx, `INSERT INTO source (url, title, publisher, author, published, published_precision, archive_url,
				accessed, primary_document) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
				src.URL, src.Title, src.Publisher, src.Author, dateArg(src.Published), nullIfEmpty(src.PublishedPrecision),
				src.ArchiveURL, dateArg(src.Accessed), src.Primary).Scan(&id)
			ids[key] = id
			written++
		}
		if err != nil {
			return nil, 0, fmt.Errorf("source %q: %w", src.Title, err)
		}
	}
	return ids, written, nil
}

func dateArg(d *Date) any {
	if d == nil {
		return nil
	}
	return d.Time
}

func sameSource(a, b Source) bool {
	eq := func(x, y *string) bool { return (x == nil && y == nil) || (x != nil && y != nil && *x == *y) }
	sameDate := func(x, y *Date) bool { return (x == nil && y == nil) || (x != nil && y != nil && x.Equal(y.Time)) }
	return a.Title == b.Title && a.Publisher == b.Publisher && a.Author == b.Author && sameDate(a.Published, b.Published) &&
		a.PublishedPrecision == b.PublishedPrecision && eq(a.ArchiveURL, b.ArchiveURL) && sameDate(a.Accessed, b.Accessed) &&
		a.Primary == b.Primary
}

// allSources loads every source keyed by identity.
func (s *Store) allSources(ctx context.Context) (map[string]Source, error) {
	rows, err := s.db.Query(ctx, `SELECT `+sourceColumns+` FROM source`)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	list, err := pgx.CollectRows(rows, scanSource)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	out := make(map[string]Source, len(list))
	for _, src := range list {
		out[src.Key()] = src
	}
	return out, nil
}

const (
	sourceColumns  = `id, url, title, publisher, author, published, published_precision, archive_url, accessed, primary_document`
	sourceColumnsS = `s.id, s.url, s.title, s.publisher, s.author, s.published, s.published_precision, s.archive_url, s.accessed, s.primary_document`
)

func scanSource(r pgx.CollectableRow) (Source, error) {
	var src Source
	var published, accessed *time.Time
	var precision *string
	err := r.Scan(&src.ID, &src.URL, &src.Title, &src.Publisher, &src.Author, &published, &precision, &src.ArchiveURL, &accessed, &src.Primary)
	src.setDates(published, precision, accessed)
	return src, err
}

// setDates fills in the nullable date columns of a scanned source.
func (src *Source) setDates(published *time.Time, precision *string, accessed *time.Time) {
	if published != nil {
		d := DateOf(*published)
		src.Published = &d
	}
	if precision != nil {
		src.PublishedPrecision = *precision
	}
	if accessed != nil {
		d := DateOf(*accessed)
		src.Accessed = &d
	}
}

type currentRow struct {
	id   int64
	hash string
}

func assessmentKey(country, capability string, from time.Time) string {
	return country + "|" + capability + "|" + from.Format(time.DateOnly)
}

// link writes the join rows between one record and its sources.
func (s *Store) link(ctx context.Context, table, column string, id int64, sources []Source, ids map[string]int64) error {
	for _, src := range sources {
		sid, ok := ids[src.Key()]
		if !ok {
			return fmt.Errorf("%s: source %q was not written", table, src.Title)
		}
		// table and column come from the fixed set of join tables in this file, never from input.
		q := fmt.Sprintf(`INSERT INTO %s (%s, source_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, table, column)
		if _, err := s.db.Exec(ctx, q, id, sid); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}

// existingHashes maps a record identity to its id and content hash.
func (s *Store) existingHashes(ctx context.Context, q string) (map[string]currentRow, error) {
	rows, err := s.db.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]currentRow{}
	for rows.Next() {
		var key string
		var c currentRow
		if err := rows.Scan(&key, &c.id, &c.hash); err != nil {
			return nil, err
		}
		out[key] = c
	}
	return out, rows.Err()
}

func (s *Store) syncSites(ctx context.Context, list []NewSite, ids map[string]int64, st *EvidenceStats) error {
	existing, err := s.existingHashes(ctx, `SELECT country || '|' || name, id, content_hash FROM site WHERE provenance = 'dataset'`)
	if err != nil {
		return fmt.Errorf("sites: %w", err)
	}
	seen := map[string]bool{}
	for _, x := range list {
		key := x.Country + "|" + x.Name
		seen[key] = true
		hash := contentHash(x.Capability, x.Status, x.Point, x.Precision, x.Vendor, x.VendorCountry, x.Financier,
			x.ValidFrom, x.FromPrecision, x.ValidTo, x.Confidence, x.Sources)
		if old, ok := existing[key]; ok && old.hash == hash {
			continue
		}
		b, err := wkb.Marshal(x.Point)
		if err != nil {
			return err
		}
		var id int64
		err = s.db.QueryRow(ctx, `INSERT INTO site AS s (country, name, capability, status, geom, precision, vendor, vendor_country,
			financier, valid_from, valid_from_precision, valid_to, confidence, content_hash)
			VALUES ($1, $2, $3, $4, ST_GeomFromWKB($5, 4326), $6, $7, $8, $9, $10, $11, $12, $13, $14)
			ON CONFLICT (country, name) DO UPDATE SET capability = EXCLUDED.capability, status = EXCLUDED.status, geom = EXCLUDED.geom,
				precision = EXCLUDED.precision, vendor = EXCLUDED.vendor, vendor_country = EXCLUDED.vendor_country,
				financier = EXCLUDED.financier, valid_from = EXCLUDED.valid_from, valid_from_precision = EXCLUDED.valid_from_precision,
				valid_to = EXCLUDED.valid_to, confidence = EXCLUDED.confidence, content_hash = EXCLUDED.content_hash
			WHERE s.provenance = 'dataset'
			RETURNING id`,
			x.Country, x.Name, x.Capability, x.Status, b, x.Precision, x.Vendor, nullIfEmpty(x.VendorCountry), x.Financier,
			x.ValidFrom, x.FromPrecision, x.ValidTo, x.Confidence, hash).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) { // a report's site holds the name: it stays as the report wrote it
			st.KeptForReports++
			continue
		}
		if err != nil {
			return fmt.Errorf("site %s %q: %w", x.Country, x.Name, err)
		}
		if _, err := s.db.Exec(ctx, `DELETE FROM site_source WHERE site_id = $1`, id); err != nil {
			return err
		}
		if err := s.link(ctx, "site_source", "site_id", id, x.Sources, ids); err != nil {
			return err
		}
		st.SitesWritten++
	}
	for key, old := range existing {
		if !seen[key] {
			if _, err := s.db.Exec(ctx, `DELETE FROM site WHERE id = $1`, old.id); err != nil {
				return err
			}
			st.SitesDeleted++
		}
	}
	var outside []string
	rows, err := s.db.Query(ctx, `SELECT s.country || ': ' || s.name FROM site s JOIN country c ON c.iso3 = s.country
		WHERE NOT ST_Covers(c.geom, s.geom) ORDER BY 1`)
	if err != nil {
		return err
	}
	if outside, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return err
	}
	if len(outside) > 0 {
		return fmt.Errorf("sites outside their country's 1:50m polygon: %s", strings.Join(outside, "; "))
	}
	return nil
}

func (s *Store) syncEvents(ctx context.Context, list []NewEvent, ids map[string]int64, st *EvidenceStats) error {
	existing, err := s.existingHashes(ctx, `SELECT event_date::text || '|' || title, id, content_hash FROM constraint_event WHERE provenance = 'dataset'`)
	if err != nil {
		return fmt.Errorf("events: %w", err)
	}
	seen := map[string]bool{}
	for _, x := range list {
		key := x.Date.Format(time.DateOnly) + "|" + x.Title
		seen[key] = true
		hash := contentHash(x.DatePrecision, x.Kind, x.Description, x.Ends, strings.Join(x.Countries, ","), x.Sources)
		if old, ok := existing[key]; ok && old.hash == hash {
			continue
		}
		var id int64
		err := s.db.QueryRow(ctx, `INSERT INTO constraint_event (event_date, date_precision, kind, title, description, ends, content_hash)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (event_date, title) DO UPDATE SET date_precision = EXCLUDED.date_precision, kind = EXCLUDED.kind,
				description = EXCLUDED.description, ends = EXCLUDED.ends, content_hash = EXCLUDED.content_hash
			WHERE constraint_event.provenance = 'dataset'
			RETURNING id`, x.Date, x.DatePrecision, x.Kind, x.Title, x.Description, nullIfEmpty(x.Ends), hash).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) { // a report's event: left as the report wrote it
			st.KeptForReports++
			continue
		}
		if err != nil {
			return fmt.Errorf("event %q: %w", x.Title, err)
		}
		if _, err := s.db.Exec(ctx, `DELETE FROM constraint_event_country WHERE event_id = $1`, id); err != nil {
			return err
		}
		if _, err := s.db.Exec(ctx, `DELETE FROM constraint_event_source WHERE event_id = $1`, id); err != nil {
			return err
		}
		for _, c := range x.Countries {
			if _, err := s.db.Exec(ctx, `INSERT INTO constraint_event_country (event_id, country) VALUES ($1, $2)`, id, c); err != nil {
				return fmt.Errorf("event %q country %s: %w", x.Title, c, err)
			}
		}
		if err := s.link(ctx, "constraint_event_source", "event_id", id, x.Sources, ids); err != nil {
			return err
		}
		st.EventsWritten++
	}
	for key, old := range existing {
		if !seen[key] {
			if _, err := s.db.Exec(ctx, `DELETE FROM constraint_event WHERE id = $1`, old.id); err != nil {
				return err
			}
			st.EventsDeleted++
		}
	}
	return nil
}

func (s *Store) syncNotes(ctx context.Context, list []NewNote, ids map[string]int64, st *EvidenceStats) error {
	existing, err := s.existingHashes(ctx, `SELECT country || '|' || ord, id, content_hash FROM country_note`)
	if err != nil {
		return fmt.Errorf("notes: %w", err)
	}
	seen := map[string]bool{}
	for _, x := range list {
		key := fmt.Sprintf("%s|%d", x.Country, x.Ord)
		seen[key] = true
		hash := contentHash(x.Text, x.Sources)
		if old, ok := existing[key]; ok && old.hash == hash {
			continue
		}
		var id int64
		err := s.db.QueryRow(ctx, `INSERT INTO country_note (country, ord, body, content_hash) VALUES ($1, $2, $3, $4)
			ON CONFLICT (country, ord) DO UPDATE SET body = EXCLUDED.body, content_hash = EXCLUDED.content_hash
			RETURNING id`, x.Country, x.Ord, x.Text, hash).Scan(&id)
		if err != nil {
			return fmt.Errorf("note %s %d: %w", x.Country, x.Ord, err)
		}
		if _, err := s.db.Exec(ctx, `DELETE FROM country_note_source WHERE note_id = $1`, id); err != nil {
			return err
		}
		if err := s.link(ctx, "country_note_source", "note_id", id, x.Sources, ids); err != nil {
			return err
		}
		st.NotesWritten++
	}
	for key, old := range existing {
		if !seen[key] {
			if _, err := s.db.Exec(ctx, `DELETE FROM country_note WHERE id = $1`, old.id); err != nil {
				return err
			}
			st.NotesDeleted++
		}
	}
	return nil
}
