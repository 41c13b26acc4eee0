package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// DatasetExport is the shipped-dataset part of the published data as `tracker export` writes it: every row
// of provenance 'dataset' with its whole recording history (superseded rows
// and retractions included), with the sites, events, notes, taxonomy and
// dataset version, read in one consistent snapshot.
type DatasetExport struct {
	Version     string
	Taxonomy    Taxonomy
	Assessments []Assessment // by country, capability (taxonomy order), valid_from, recorded_at
	Sites       []Site       // by country and name
	Events      []ConstraintEvent
	Notes       []Note // by country, in profile order
}

// ExportDataset reads it in one read-only, repeatable-read transaction.
func (s *Store) ExportDataset(ctx context.Context) (DatasetExport, error) {
	var p DatasetExport
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		r := &Store{pool: s.pool, db: tx}
		rev, err := r.CurrentRevision(ctx)
		if err != nil {
			return err
		}
		p.Version = rev.Version
		if p.Taxonomy, err = r.TaxonomyFromDB(ctx); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+assessmentColumns+` FROM assessment a JOIN capability c ON c.code = a.capability
			WHERE a.provenance = 'dataset'
			ORDER BY a.country, c.ord, a.valid_from, a.recorded_at, a.id`, recordedBound(nil))
		if err != nil {
			return fmt.Errorf("published assessments: %w", err)
		}
		if p.Assessments, err = pgx.CollectRows(rows, scanAssessment); err != nil {
			return fmt.Errorf("published assessments: %w", err)
		}
		if err := r.attachAssessmentSources(ctx, p.Assessments); err != nil {
			return err
		}
		if p.Sites, err = r.Sites(ctx, "dataset"); err != nil {
			return err
		}
		if p.Events, err = r.ConstraintEvents(ctx, ""); err != nil {
			return err
		}
		p.Notes, err = r.Notes(ctx, "")
		return err
	})
	return p, err
}
