package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Change is one entry of the change feed: an accepted report or an ingest
// of the shipped dataset, with the levels it changed.
type Change struct {
	ID           int64
	Kind         string // "report" or "dataset"
	At           time.Time
	Revision     int64
	ReportID     *int64
	Organisation *string // the report's organisation; nil for the dataset or an unnamed organisation
	Changes      []LevelChange
}

// levelChangeRow is the stored form of a LevelChange (change_log.changes).
type levelChangeRow struct {
	Country    string `json:"country"`
	Capability string `json:"capability"`
	Old        *int   `json:"old_level"`
	New        *int   `json:"new_level"`
}

// logChanges appends a change-log entry at the revision the transaction ends
// at: the one its insert moves to (change_log is watched, migrations/007),
// since it is the transaction's last write to published data. A dataset entry
// with no change is not written.
func (s *Store) logChanges(ctx context.Context, kind string, report *int64, changes []LevelChange) error {
	if kind == "dataset" && len(changes) == 0 {
		return nil
	}
	rows := make([]levelChangeRow, len(changes))
	for i, c := range changes {
		rows[i] = levelChangeRow(c)
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO change_log (kind, revision, report_id, changes)
		SELECT $1, revision + 1, $2, $3 FROM dataset_revision`, kind, report, b); err != nil {
		return fmt.Errorf("change log: %w", err)
	}
	return nil
}

// allChanges reads the change log, newest first.
func (s *Store) allChanges(ctx context.Context) ([]Change, error) {
	rows, err := s.db.Query(ctx, `SELECT l.id, l.kind, l.at, l.revision, l.report_id,
		(SELECT o.name FROM report r JOIN organisation o ON o.id = r.organisation_id WHERE r.id = l.report_id AND o.named),
		l.changes FROM change_log l ORDER BY l.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("changes: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Change, error) {
		var c Change
		var raw []byte
		if err := r.Scan(&c.ID, &c.Kind, &c.At, &c.Revision, &c.ReportID, &c.Organisation, &raw); err != nil {
			return c, err
		}
		var list []levelChangeRow
		if err := json.Unmarshal(raw, &list); err != nil {
			return c, err
		}
		c.Changes = make([]LevelChange, len(list))
		for i, x := range list {
			c.Changes[i] = LevelChange(x)
		}
		return c, nil
	})
}
