package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Reasons recorded when the data files change a row without saying why (a
// format-v1 edit in place, or a row deleted from the files).
const (
	ReasonChangedUnexplained = "Changed in the data files without a recorded reason."
	ReasonRemovedUnexplained = "Removed from the data files without a recorded reason."
)

// step is one recording in the history the data files give for one
// assessment identity (country, capability, valid_from): a row (a != nil) or a
// retraction (a == nil). at is the recording time; zero means "now".
type step struct {
	at     time.Time
	a      *NewAssessment
	hash   string // what stands after the step; "" when nothing does (a retraction)
	reason string
}

// plannedSteps turns the file rows of one identity, in any order, into its
// recording history: each row at its recorded time, superseding the row before
// it (with that row's correction as the reason) when that row was superseded at
// the same time, and a retraction wherever a superseded row has no replacement.
// Rows whose periods of standing overlap are refused.
func plannedSteps(rows []NewAssessment) ([]step, error) {
	rows = slices.Clone(rows)
	slices.SortStableFunc(rows, func(a, b NewAssessment) int { return a.Recorded.Compare(b.Recorded) })
	var steps []step
	for i := range rows {
		r := &rows[i]
		st := step{at: r.Recorded, a: r, hash: r.hash()}
		if i > 0 {
			prev := rows[i-1]
			if prev.Superseded == nil || prev.Superseded.After(r.Recorded) {
				return nil, fmt.Errorf("assessment %s recorded %s while the row recorded %s still stands",
					r.Key(), fmtRecorded(r.Recorded), fmtRecorded(prev.Recorded))
			}
			if prev.Superseded.Equal(r.Recorded) {
				st.reason = prev.Correction
			}
		}
		steps = append(steps, st)
		if r.Superseded == nil {
			continue
		}
		if !r.Superseded.After(r.Recorded) {
			return nil, fmt.Errorf("assessment %s recorded %s is superseded %s, not after it",
				r.Key(), fmtRecorded(r.Recorded), fmtRecorded(*r.Superseded))
		}
		if i+1 == len(rows) || !rows[i+1].Recorded.Equal(*r.Superseded) {
			steps = append(steps, step{at: *r.Superseded, reason: r.Correction})
		}
	}
	return steps, nil
}

func fmtRecorded(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339)
}

// headRow is the latest dataset row recorded for one identity.
type headRow struct {
	id         int64
	group      string // country and capability
	recordedAt time.Time
	hash       string
	retracted  bool
	level      int
	// shadowed: a report row supersedes it. Ingest owns only the dataset's
	// rows, and the report's row stands on top of this one, so ingest writes
	// nothing more for the identity (superseding or retracting the dataset
	// row now would have to supersede a row a report already superseded).
	shadowed bool
}

// groupOf is the country and capability part of an assessment key.
func groupOf(key string) string { return key[:strings.LastIndexByte(key, '|')] }

// reconcile says which steps to record, given the head of the database's
// history for the identity (nil when it has none) and base, the latest time
// the database recorded anything for the identity's country and capability
// (zero when nothing):
//   - the head says what the files say after some step (the latest such step
//     counts): record the steps after it, at their own times;
//   - the head says nothing the files say (the files changed a row in place):
//     record the steps dated after the head;
//   - a step dated at or before base cannot be recorded then (the database's
//     history of the country and capability up to base is fixed, and other
//     rows of it may already stand then), so when only such steps remain, what
//     the files finally say is recorded once, now.
//
// A step that would leave standing what already stands is dropped, so an
// unchanged history records nothing.
func reconcile(steps []step, head *headRow, base time.Time) []step {
	current, k := "", 0 // an empty history matches the files before their first step
	if head != nil {
		if !head.retracted {
			current = head.hash
		}
		k = -1
		for i := len(steps); i >= 0; i-- {
			if i == 0 && current == "" || i > 0 && steps[i-1].hash == current {
				k = i
				break
			}
		}
	}
	if k == len(steps) {
		return nil
	}
	pending := steps
	if k >= 0 {
		pending = steps[k:]
	}
	if first := slices.IndexFunc(pending, func(s step) bool { return s.at.After(base) }); first >= 0 {
		pending = pending[first:]
	} else {
		pending = []step{finalStep(steps)}
	}
	var out []step
	for _, s := range pending {
		if s.hash != current {
			out = append(out, s)
			current = s.hash
		}
	}
	return out
}

// finalStep records now what the files finally say about an identity.
func finalStep(steps []step) step {
	if len(steps) == 0 {
		return step{reason: ReasonRemovedUnexplained}
	}
	last := steps[len(steps)-1]
	final := step{a: last.a, hash: last.hash, reason: last.reason}
	switch {
	case final.reason != "":
	case final.a != nil:
		final.reason = ReasonChangedUnexplained
	default:
		final.reason = ReasonRemovedUnexplained
	}
	return final
}

// syncAssessments records the history the files give. Rows are never updated
// or deleted: what the database already holds stays, and only the steps it
// lacks are appended (see reconcile). Writes happen in recording-time order,
// then by identity, so a database loaded from the same files gets the same ids.
// Only provenance 'dataset' rows are read or superseded.
func (s *Store) syncAssessments(ctx context.Context, list []NewAssessment, ids map[string]int64, st *EvidenceStats, changes *[]LevelChange) error {
	heads, err := s.assessmentHeads(ctx)
	if err != nil {
		return err
	}
	latest := map[string]time.Time{} // by country and capability
	for _, h := range heads {
		if h.recordedAt.After(latest[h.group]) {
			latest[h.group] = h.recordedAt
		}
	}
	byKey := map[string][]NewAssessment{}
	for _, a := range list {
		byKey[a.Key()] = append(byKey[a.Key()], a)
	}
	for key := range heads {
		if _, ok := byKey[key]; !ok {
			byKey[key] = nil // removed from the files: retract what stands
		}
	}
	type write struct {
		key string
		step
	}
	var writes []write
	for key, rows := range byKey {
		steps, err := plannedSteps(rows)
		if err != nil {
			return err
		}
		pending := reconcile(steps, heads[key], latest[groupOf(key)])
		if h := heads[key]; h != nil && h.shadowed {
			if len(pending) > 0 {
				st.KeptForReports++
			}
			continue
		}
		for _, w := range pending {
			writes = append(writes, write{key, w})
		}
	}
	slices.SortFunc(writes, func(x, y write) int {
		if x.at.IsZero() != y.at.IsZero() { // "now" after every dated recording
			return cmp.Compare(boolInt(x.at.IsZero()), boolInt(y.at.IsZero()))
		}
		return cmp.Or(x.at.Compare(y.at), cmp.Compare(x.key, y.key))
	})
	for _, w := range writes {
		head := heads[w.key]
		var at *time.Time
		if !w.at.IsZero() {
			at = &w.at
		}
		var id int64
		var err error
		if w.a == nil {
			id, err = s.retract(ctx, head.id, at, w.reason)
			st.Retracted++
		} else {
			var supersedes *int64
			if head != nil {
				supersedes = &head.id
				if head.retracted {
					st.AssessmentsAdded++
				} else {
					st.Superseded++
				}
			} else {
				st.AssessmentsAdded++
			}
			id, err = s.insertAssessment(ctx, *w.a, at, supersedes, w.reason, w.hash, ids)
		}
		if err != nil {
			return err
		}
		c := LevelChange{Country: w.key[:3], Capability: groupOf(w.key)[4:]}
		if head != nil && !head.retracted {
			c.Old = &head.level
		}
		next := &headRow{id: id, group: groupOf(w.key), hash: w.hash, retracted: w.a == nil}
		if w.a != nil {
			next.level = w.a.Level
			c.New = &next.level
		}
		*changes = append(*changes, c)
		heads[w.key] = next
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// assessmentHeads loads, per identity, the dataset row no dataset row
// supersedes, and whether a report's row supersedes it.
func (s *Store) assessmentHeads(ctx context.Context) (map[string]*headRow, error) {
	rows, err := s.db.Query(ctx, `SELECT id, country, capability, valid_from, recorded_at, content_hash, retracted, level,
		EXISTS (SELECT 1 FROM assessment r WHERE r.supersedes = a.id AND r.provenance = 'report') FROM assessment a
		WHERE provenance = 'dataset'
		  AND NOT EXISTS (SELECT 1 FROM assessment n WHERE n.supersedes = a.id AND n.provenance = 'dataset')
		ORDER BY recorded_at, id`)
	if err != nil {
		return nil, fmt.Errorf("assessments: %w", err)
	}
	defer rows.Close()
	heads := map[string]*headRow{}
	for rows.Next() {
		var h headRow
		var country, capability string
		var from time.Time
		if err := rows.Scan(&h.id, &country, &capability, &from, &h.recordedAt, &h.hash, &h.retracted, &h.level, &h.shadowed); err != nil {
			return nil, err
		}
		h.group = country + "|" + capability
		heads[assessmentKey(country, capability, from)] = &h
	}
	return heads, rows.Err()
}

// insertAssessment records one row at (nil: now), superseding another or not.
func (s *Store) insertAssessment(ctx context.Context, a NewAssessment, at *time.Time, supersedes *int64, reason, hash string, ids map[string]int64) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `INSERT INTO assessment (country, capability, level, valid_from, valid_from_precision, valid_to,
		recorded_at, confidence, summary, level_judgement, from_note, correction_reason, supersedes, content_hash)
		VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, now()), $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		a.Country, a.Capability, a.Level, a.ValidFrom, a.FromPrecision, a.ValidTo, at, a.Confidence, a.Summary,
		a.LevelJudgement, a.FromNote, reasonIf(supersedes, reason), supersedes, hash).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("assessment %s %s from %s: %w", a.Country, a.Capability, a.ValidFrom.Format(time.DateOnly), err)
	}
	return id, s.link(ctx, "assessment_source", "assessment_id", id, a.Sources, ids)
}

// reasonIf keeps a correction reason only on a row that corrects another.
func reasonIf(supersedes *int64, reason string) string {
	if supersedes == nil {
		return ""
	}
	return reason
}

// retract records at (nil: now) that the tracker withdraws row old: a copy of
// it, with its sources, marked retracted and carrying the reason.
func (s *Store) retract(ctx context.Context, old int64, at *time.Time, reason string) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `INSERT INTO assessment (country, capability, level, valid_from, valid_from_precision, valid_to,
		recorded_at, confidence, summary, level_judgement, from_note, correction_reason, supersedes, retracted, content_hash)
		SELECT country, capability, level, valid_from, valid_from_precision, valid_to, coalesce($2, now()), confidence, summary,
			level_judgement, from_note, $3, id, true, 'retracted'
		FROM assessment WHERE id = $1 RETURNING id`, old, at, reason).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("retract assessment %d: %w", old, err)
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO assessment_source (assessment_id, source_id)
		SELECT $1, source_id FROM assessment_source WHERE assessment_id = $2`, id, old); err != nil {
		return 0, fmt.Errorf("retract assessment %d: %w", old, err)
	}
	return id, nil
}
