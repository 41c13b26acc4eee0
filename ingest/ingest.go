// Package ingest loads the shipped data (boundaries, taxonomy, evidence) into
// the store. Every load runs in one transaction and is idempotent: loading the
// same files twice changes nothing the second time.
package ingest

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"time"

	"github.com/scs-diffusion/tracker/store"
)

// Progress reports loader steps to a writer (the terminal for `tracker ingest`).
type Progress struct {
	W     io.Writer
	start time.Time
}

// Step prints one line of progress with the time since the first step.
func (p *Progress) Step(format string, args ...any) {
	if p == nil || p.W == nil {
		return
	}
	if p.start.IsZero() {
		p.start = time.Now()
	}
	fmt.Fprintf(p.W, "[%6.2fs] %s\n", time.Since(p.start).Seconds(), fmt.Sprintf(format, args...))
}

// All loads everything the tracker ships, in one transaction: boundaries, then
// (when present) the taxonomy and the evidence dataset.
func All(ctx context.Context, s *store.Store, fsys fs.FS, p *Progress) error {
	p.Step("reading data files")
	rows, err := ReadBoundaries(fsys)
	if err != nil {
		return err
	}
	err = s.InTx(ctx, func(tx *store.Store) error {
		p.Step("writing %d countries and computing land neighbours in PostGIS", len(rows))
		st, err := tx.UpsertBoundaries(ctx, rows)
		if err != nil {
			return err
		}
		p.Step("countries: %d inserted, %d updated; neighbours: %d added, %d removed",
			st.Inserted, st.Updated, st.NeighboursAdded, st.NeighboursRemoved)
		countries := make(map[string]bool, len(rows))
		for _, r := range rows {
			countries[r.ISO3] = true
		}
		return loadEvidence(ctx, tx, fsys, countries, p)
	})
	if err != nil {
		return fmt.Errorf("ingest (nothing was written): %w", err)
	}
	p.Step("done")
	return nil
}
