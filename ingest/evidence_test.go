package ingest_test

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/scs-diffusion/tracker/ingest"
	"github.com/scs-diffusion/tracker/store"
	"github.com/scs-diffusion/tracker/store/storetest"
)

// dataCopy returns the shipped boundaries and taxonomy with the frozen
// evidence (storetest.Frozen) as an editable in-memory file system: the tests
// that edit rows edit rows that do not move when the shipped dataset grows.
func dataCopy(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(storetest.Frozen, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(storetest.Frozen, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// edit replaces one exact snippet of a data file, failing if it is not there once.
func edit(t *testing.T, m fstest.MapFS, file, old, new string) {
	t.Helper()
	s := string(m[file].Data)
	if strings.Count(s, old) != 1 {
		t.Fatalf("%s: snippet %q found %d times", file, old, strings.Count(s, old))
	}
	m[file] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
}

func venHistory(t *testing.T, s *store.Store) []store.Assessment {
	t.Helper()
	rows, err := s.History(context.Background(), "VEN", nil)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestCorrectionSupersedesAndRemovalRetracts(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoadedFrom(t, storetest.Frozen)
	ctx := context.Background()
	before := venHistory(t, db.Store)

	m := dataCopy(t)
	edit(t, m, "dataset/cases-1.yaml", "      - capability: sanctions.access_restriction\n        level: 3\n        from: 2017\n",
		"      - capability: sanctions.access_restriction\n        level: 2\n        from: 2017\n")
	if err := ingest.All(ctx, db.Store, m, nil); err != nil {
		t.Fatalf("ingest corrected data: %v", err)
	}
	after := venHistory(t, db.Store)
	if len(after) != len(before)+1 {
		t.Fatalf("history has %d rows after a correction, want %d", len(after), len(before)+1)
	}
	var old, corrected *store.Assessment
	for i := range after {
		a := &after[i]
		if a.Capability == "sanctions.access_restriction" && a.Level == 3 {
			old = a
		}
		if a.Capability == "sanctions.access_restriction" && a.Level == 2 {
			corrected = a
		}
	}
	if old == nil || corrected == nil || old.SupersededBy == nil || *old.SupersededBy != corrected.ID ||
		corrected.Supersedes == nil || *corrected.Supersedes != old.ID || len(corrected.Sources) == 0 {
		t.Fatalf("want the level-3 row superseded by the level-2 row; got old %+v corrected %+v", old, corrected)
	}
	// What the tracker says now is the corrected level; the old row is no longer current.
	current, err := db.Store.CurrentAssessments(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range current {
		if a.ID == old.ID {
			t.Errorf("superseded row %d is still current", old.ID)
		}
	}
	// Before the correction was recorded, the tracker said level 3.
	justBefore := corrected.RecordedAt.Add(-1)
	then, err := db.Store.CurrentAssessments(ctx, &justBefore)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range then {
		found = found || a.ID == old.ID
	}
	if !found {
		t.Errorf("recorded_as_of just before the correction should still show row %d", old.ID)
	}

	// Removing the row from the files records a retraction; nothing is deleted.
	file := string(m["dataset/cases-1.yaml"].Data)
	start := strings.Index(file, "      - capability: sanctions.access_restriction\n        level: 2\n")
	end := strings.Index(file[start:], "    sites:\n") + start
	m["dataset/cases-1.yaml"] = &fstest.MapFile{Data: []byte(file[:start] + file[end:])}
	if err := ingest.All(ctx, db.Store, m, nil); err != nil {
		t.Fatalf("ingest without the row: %v", err)
	}
	final := venHistory(t, db.Store)
	if len(final) != len(after)+1 {
		t.Fatalf("history has %d rows, want %d (old rows kept, one retraction)", len(final), len(after)+1)
	}
	retraction := final[len(final)-1]
	for _, a := range final {
		if a.Retracted {
			retraction = a
		}
	}
	if !retraction.Retracted || retraction.Supersedes == nil || *retraction.Supersedes != corrected.ID {
		t.Errorf("want a retraction superseding row %d, got %+v", corrected.ID, retraction)
	}
	current, err = db.Store.CurrentAssessments(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range current {
		if a.Country == "VEN" && a.Capability == "sanctions.access_restriction" {
			t.Errorf("retracted assessment %d is still current", a.ID)
		}
	}
}

func TestBadDataChangesNothing(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoadedFrom(t, storetest.Frozen)
	ctx := context.Background()
	rev, err := db.Store.CurrentRevision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const ven = "      - capability: integration.credit_platform\n        level: 3\n        from: 2017\n        confidence: H\n"
	tests := []struct {
		name, old, new, want string
	}{
		{"unknown capability", ven, strings.Replace(ven, "integration.credit_platform", "integration.mind_reading", 1), "unknown capability"},
		{"level out of range", ven, strings.Replace(ven, "level: 3", "level: 7", 1), "level must be 0 to 4"},
		{"low confidence above 1", ven, strings.Replace(ven, "confidence: H", "confidence: L", 1), "confidence L may not ship above level 1"},
		{"no sources", "        sources: [reuters-2018-zte-venezuela, slate-2018-venezuela]\n      - capability: sanctions.access_restriction",
			"        sources: []\n      - capability: sanctions.access_restriction", "needs at least one source"},
		{"undefined source", "        sources: [reuters-2018-zte-venezuela, slate-2018-venezuela]\n      - capability: sanctions.access_restriction",
			"        sources: [made-up-source]\n      - capability: sanctions.access_restriction", "is not defined in this file"},
		{"bad date", ven, strings.Replace(ven, "from: 2017", "from: 2017-13", 1), "want YYYY, YYYY-MM or YYYY-MM-DD"},
		{"overlap", ven, ven + "        to: 2016\n", "is not after from"},
		{"site outside its country", "        point: [-66.88, 10.49]", "        point: [2.35, 48.85]", "outside their country"},
		{"unknown field", ven, ven + "        colour: red\n", "field colour not found"},
		{"recorded in the future", ven, ven + "        recorded: 2999-01-01\n", "recorded or superseded in the future"},
		{"superseded in the future", ven, ven + "        superseded: 2999-01-01\n        correction: later\n", "recorded or superseded in the future"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := dataCopy(t)
			edit(t, m, "dataset/cases-1.yaml", tt.old, tt.new)
			err := ingest.All(ctx, db.Store, m, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ingest error %v, want one containing %q", err, tt.want)
			}
		})
	}
	after, err := db.Store.CurrentRevision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Revision != rev.Revision {
		t.Errorf("refused loads changed the data: revision %d → %d", rev.Revision, after.Revision)
	}
	var ve *ingest.ValidationError
	m := dataCopy(t)
	edit(t, m, "dataset/cases-1.yaml", ven, strings.Replace(ven, "level: 3", "level: 9", 1))
	if _, err := ingest.ReadDataset(m, map[string]bool{"VEN": true}); !errors.As(err, &ve) {
		t.Errorf("ReadDataset error %T, want *ValidationError", err)
	}
}

func TestShippedDataset(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoaded(t)
	ctx := context.Background()
	current, err := db.Store.CurrentAssessments(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	countries := map[string]bool{}
	chinaCaps := map[string]bool{}
	for _, a := range current {
		countries[a.Country] = true
		if a.Country == "CHN" {
			chinaCaps[a.Capability] = true
		}
		if a.Confidence == "L" && a.Level > 1 {
			t.Errorf("assessment %d: confidence L at level %d", a.ID, a.Level)
		}
	}
	if len(countries) < 50 {
		t.Errorf("%d countries assessed, want about 55", len(countries))
	}
	if len(chinaCaps) != 24 {
		t.Errorf("China's profile covers %d capabilities, want all 24", len(chinaCaps))
	}
	if err := db.Store.AttachSources(ctx, current); err != nil {
		t.Fatal(err)
	}
	for _, a := range current {
		if a.Level > 0 && len(a.Sources) == 0 {
			t.Errorf("assessment %d (%s %s level %d) has no source", a.ID, a.Country, a.Capability, a.Level)
		}
		dated := false
		for _, s := range a.Sources {
			if s.Publisher == "" || s.Title == "" || (s.Published == nil && s.URL == nil) {
				t.Errorf("source %d lacks a publisher, a title, or both a date and a URL", s.ID)
			}
			dated = dated || s.Published != nil
		}
		if a.Level > 0 && !dated {
			t.Errorf("assessment %d (%s %s level %d) cites no dated source", a.ID, a.Country, a.Capability, a.Level)
		}
	}
	sites, err := db.Store.Sites(ctx, "")
	if err != nil || len(sites) < 30 {
		t.Errorf("%d sites (%v), want the shipped ~46", len(sites), err)
	}
}
