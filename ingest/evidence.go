package ingest

import (
	"context"
	"io/fs"

	"github.com/scs-diffusion/tracker/store"
)

// loadEvidence loads the taxonomy and the dataset files when they exist.
func loadEvidence(ctx context.Context, tx *store.Store, fsys fs.FS, p *Progress) error {
	return nil
}
