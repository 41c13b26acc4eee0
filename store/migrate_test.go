package store_test

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"testing"

	"github.com/scs-diffusion/tracker/migrations"
	"github.com/scs-diffusion/tracker/store"
)

// TestMigrationsAreNumberedContiguously guards against gaps and duplicates:
// tern applies files in numeric order and never edits an applied one.
func TestMigrationsAreNumberedContiguously(t *testing.T) {
	t.Parallel()
	files, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	for i, f := range files {
		want := fmt.Sprintf("%03d_", i+1)
		if !strings.HasPrefix(f, want) {
			t.Errorf("migration %d is %q, want a name starting %q", i+1, f, want)
		}
		b, _ := fs.ReadFile(migrations.FS, f)
		if !strings.Contains(string(b), "---- create above / drop below ----") {
			t.Errorf("%s has no down section", f)
		}
	}
	// Written by hand: adding a migration means raising this number too.
	const want = 10
	if n, err := store.LatestMigration(); n != want || err != nil {
		t.Errorf("LatestMigration() = %d, %v; want %d", n, err, want)
	}
}
