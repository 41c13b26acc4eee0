package ingest_test

import (
	"context"
	"encoding/csv"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scs-diffusion/tracker/api"
	"github.com/scs-diffusion/tracker/data"
	"github.com/scs-diffusion/tracker/docs"
	"github.com/scs-diffusion/tracker/ingest"
	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/store"
	"github.com/scs-diffusion/tracker/store/storetest"
)

// csvBodies fetches the CSV exports of the API on db, now and as recorded
// before the 2026-12-01 corrections.
func csvBodies(t *testing.T, db *storetest.DB) map[string]string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	model := readmodel.New(readmodel.Config{Read: db.Store, Revisions: db.Store.WatchRevision(ctx, log), Log: log})
	r := api.NewRouter(api.Deps{Model: model, Store: db.Store, Log: log,
		MaxBodyBytes: 1 << 20, RequestTimeout: time.Minute, Methodology: docs.Methodology})
	out := map[string]string{}
	for _, path := range []string{
		"/api/v1/export/index.csv",
		"/api/v1/export/assessments.csv",
		"/api/v1/export/index.csv?as_of=2016-01-01&recorded_as_of=2026-11-30",
		"/api/v1/export/assessments.csv?recorded_as_of=2026-11-30",
	} {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
		}
		out[path] = w.Body.String()
	}
	return out
}

// exportTo writes db's published dataset to a fresh folder and returns it.
func exportTo(t *testing.T, db *storetest.DB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "export")
	if err := ingest.Export(context.Background(), db.Store, data.FS, dir, nil); err != nil {
		t.Fatalf("export: %v", err)
	}
	return dir
}

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// reload loads an exported folder into an empty database.
func reload(t *testing.T, dir string) *storetest.DB {
	t.Helper()
	db := storetest.New(t)
	if err := ingest.All(context.Background(), db.Store, os.DirFS(dir), nil); err != nil {
		t.Fatalf("loading the export into an empty database: %v", err)
	}
	return db
}

// TestExportRoundTrip: the shipped dataset, exported and loaded into an empty
// database, gives byte-identical CSV exports (now and as recorded before the
// 2026-12-01 corrections, recording times included), and exporting that
// database again gives the same files.
func TestExportRoundTrip(t *testing.T) {
	t.Parallel()
	orig := storetest.NewLoaded(t)
	dir := exportTo(t, orig)
	copyDB := reload(t, dir)
	want, got := csvBodies(t, orig), csvBodies(t, copyDB)
	for path := range want {
		if !strings.Contains(want[path], "\n") || strings.Count(want[path], "\n") < 10 {
			t.Fatalf("%s is nearly empty: %q", path, want[path])
		}
		if d := cmp.Diff(want[path], got[path]); d != "" {
			t.Errorf("%s differs after the round trip (-original +reloaded):\n%s", path, d)
		}
	}
	if d := cmp.Diff(readTree(t, dir), readTree(t, exportTo(t, copyDB))); d != "" {
		t.Errorf("exporting the reloaded database gives other files (-first +second):\n%s", d)
	}
	// The folder is the published dataset in the data/ format: the taxonomy and
	// version as shipped, and every correction with its reason.
	files := readTree(t, dir)
	version, _ := fs.ReadFile(data.FS, "VERSION")
	if files["VERSION"] != string(version) {
		t.Errorf("VERSION %q, shipped %q", files["VERSION"], version)
	}
	if !strings.Contains(files["dataset/ken.yaml"], "superseded: 2026-12-01\n        correction: 'Audit: the ruling halted the card roll-out") {
		t.Errorf("dataset/ken.yaml lacks the withdrawn level-1 row with its reason:\n%s", files["dataset/ken.yaml"])
	}
}

// A database loaded by the format-v1 loader has rows recorded at load time,
// to the microsecond, and corrections recorded later; the export keeps those
// times, so the reloaded database says the same at every recording time.
func TestExportRoundTripKeepsRecordingTimes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	orig := storetest.NewLoadedFrom(t, storetest.Frozen)
	setRecordedAt(t, orig, "2026-11-28T13:04:05.123456Z")
	if err := ingest.All(ctx, orig.Store, correctedData(t), nil); err != nil {
		t.Fatal(err)
	}
	dir := exportTo(t, orig)
	if !strings.Contains(readTree(t, dir)["dataset/ven.yaml"], "recorded: 2026-11-28T13:04:05.123456Z") {
		t.Errorf("dataset/ven.yaml does not keep the sub-second recording time")
	}
	copyDB := reload(t, dir)
	history := func(db *storetest.DB) []store.Assessment {
		h, err := db.Store.History(ctx, "VEN", nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range h { // ids and source ids are the database's own; compare what was said and when
			h[i].ID, h[i].Supersedes, h[i].SupersededBy = 0, nil, nil
			for j := range h[i].Sources {
				h[i].Sources[j].ID = 0
			}
		}
		return h
	}
	if d := cmp.Diff(history(orig), history(copyDB)); d != "" {
		t.Errorf("VEN history differs after the round trip (-original +reloaded):\n%s", d)
	}
	// The CSV rows are identical but for row ids: this database was not written
	// in recording-time order, as a load from files is, so its ids differ (and
	// so does the revision counter in the comment lines, which counts writes).
	want, got := csvBodies(t, orig), csvBodies(t, copyDB)
	for path := range want {
		if d := cmp.Diff(withoutIDs(t, want[path]), withoutIDs(t, got[path])); d != "" {
			t.Errorf("%s differs after the round trip (-original +reloaded):\n%s", path, d)
		}
	}
}

// withoutIDs returns the CSV records without comment lines and without the
// id and supersedes columns, sorted.
func withoutIDs(t *testing.T, body string) []string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(body))
	r.Comment = '#'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	drop := map[int]bool{}
	for i, name := range records[0] {
		drop[i] = name == "id" || name == "supersedes"
	}
	var out []string
	for _, rec := range records {
		var keep []string
		for i, cell := range rec {
			if !drop[i] {
				keep = append(keep, cell)
			}
		}
		out = append(out, strings.Join(keep, "\x1f"))
	}
	slices.Sort(out)
	return out
}

// Export refuses a folder that already holds files rather than mixing old and new.
func TestExportRefusesAFullFolder(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoaded(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "old.yaml"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ingest.Export(context.Background(), db.Store, data.FS, dir, nil); err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Errorf("export into a full folder: %v", err)
	}
}

// ExportFiles names sources by publisher, year and title, without accents,
// unique within a file whatever order they come in.
func TestExportSourceKeys(t *testing.T) {
	t.Parallel()
	day := &store.Date{Time: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)}
	url := "https://example.org/a"
	a := store.Source{Publisher: "Le Monde", Title: "Sécurité: les caméras", Published: day, PublishedPrecision: "day", URL: &url}
	b := store.Source{Publisher: "Le Monde", Title: "Sécurité: les caméras", Published: day, PublishedPrecision: "day"}
	for _, order := range [][]store.Source{{a, b}, {b, a}} {
		files, err := ingest.ExportFiles(store.DatasetExport{Version: "x", Notes: []store.Note{{Country: "FRA", Text: "n", Sources: order}}})
		if err != nil {
			t.Fatal(err)
		}
		f := string(files["dataset/fra.yaml"])
		// b (no URL) sorts first by identity, so it keeps the plain key whatever the citation order.
		for _, want := range []string{"  le-monde-2020-securite-les-cameras:\n    publisher: Le Monde\n    title: 'Sécurité: les caméras'\n    published: 2020-01-02\n  le-monde-2020-securite-les-cameras-2:\n",
			"    url: https://example.org/a\n"} {
			if !strings.Contains(f, want) {
				t.Errorf("dataset/fra.yaml lacks %q:\n%s", want, f)
			}
		}
	}
}
