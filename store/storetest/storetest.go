// Package storetest gives tests a throwaway PostGIS database: each call
// clones a template that is migrated (and, for NewLoaded, holds the shipped
// data) once per content hash, guarded by an advisory lock because `go test`
// runs packages in parallel processes.
//
// The cluster comes from TRACKER_TEST_DATABASE_URL (set by `make test`).
// Without it a test that needs the database fails, so a plain `go test ./...`
// cannot print ok for tests that did not run; under -short it is skipped.
package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/scs-diffusion/tracker/data"
	"github.com/scs-diffusion/tracker/ingest"
	"github.com/scs-diffusion/tracker/migrations"
	"github.com/scs-diffusion/tracker/store"
)

// EnvURL names the variable holding the admin URL of the test cluster.
const EnvURL = "TRACKER_TEST_DATABASE_URL"

// DB is one throwaway database.
type DB struct {
	Store *store.Store
	URL   string
	Name  string
}

// New returns a store on a fresh, migrated, empty database.
func New(t testing.TB) *DB { return newDB(t, nil) }

// NewLoaded returns a store on a fresh database holding the shipped data.
func NewLoaded(t testing.TB) *DB { return newDB(t, data.FS) }

// NewLoadedFrom returns a store on a fresh database holding the data in fsys
// (laid out like data/; see Fixture).
func NewLoadedFrom(t testing.TB, fsys fs.FS) *DB { return newDB(t, fsys) }

// frozenFiles is a frozen copy of the evidence as first shipped (dataset
// 2026.11.0: 146 assessments in 51 countries); see testdata/README.md.
//
//go:embed testdata/frozen/*.yaml testdata/frozen/VERSION
var frozenFiles embed.FS

// Frozen is the shipped boundaries and taxonomy with the frozen evidence:
// tests that assert exact figures (indexes, profiles, exports, how a
// correction is recorded) load it, so the shipped dataset can grow without
// rewriting them. The shipped dataset itself is checked by the ingest tests
// that load data.FS and by the data-rule test.
var Frozen = Fixture(mustSub(frozenFiles, "testdata/frozen"))

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// Fixture is the shipped data (boundaries, countries, taxonomy) with the
// evidence files replaced by the *.yaml files at the root of dataset. Tests
// that assert exact figures load a frozen fixture, so the shipped dataset
// can grow without rewriting them.
func Fixture(dataset fs.FS) fs.FS { return overlay{base: data.FS, dataset: dataset} }

type overlay struct{ base, dataset fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	switch {
	case name == "VERSION":
		if f, err := o.dataset.Open("VERSION"); err == nil {
			return f, nil // the fixture's own dataset version
		}
		return o.base.Open(name)
	case name == "dataset":
		return o.dataset.Open(".")
	case strings.HasPrefix(name, "dataset/"):
		return o.dataset.Open(strings.TrimPrefix(name, "dataset/"))
	default:
		return o.base.Open(name)
	}
}

// AdminURL returns the cluster URL, skipping or failing the test without one.
func AdminURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		if testing.Short() {
			t.Skipf("-short: %s is not set, so this database test does not run", EnvURL)
		}
		t.Fatalf("%s is not set: this test needs PostgreSQL with PostGIS; run the tests with `make test` "+
			"(or go test -short to run only those that need no database)", EnvURL)
	}
	return u
}

func newDB(t testing.TB, fsys fs.FS) *DB {
	t.Helper()
	admin := AdminURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	tpl, err := ensureTemplate(ctx, admin, fsys)
	if err != nil {
		t.Fatalf("storetest: template: %v", err)
	}
	name := "test_" + randomHex(8)
	if err := adminExec(ctx, admin, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, tpl)); err != nil {
		t.Fatalf("storetest: create database: %v", err)
	}
	dbURL := withDatabase(admin, name)
	s, err := store.Open(ctx, dbURL, store.Options{MaxConns: 8, StatementTimeout: 30 * time.Second})
	if err != nil {
		t.Fatalf("storetest: open: %v", err)
	}
	t.Cleanup(func() {
		s.Close()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = adminExec(ctx, admin, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
	})
	return &DB{Store: s, URL: dbURL, Name: name}
}

// ensureTemplate creates the template database for the current migrations
// (and data) once; concurrent callers wait on an advisory lock.
func ensureTemplate(ctx context.Context, admin string, fsys fs.FS) (string, error) {
	h := sha256.New()
	if err := hashFS(h, migrations.FS); err != nil {
		return "", err
	}
	kind := "m"
	if fsys != nil {
		kind = "d"
		if err := hashFS(h, fsys); err != nil {
			return "", err
		}
	}
	name := fmt.Sprintf("tpl_%s_%s", kind, hex.EncodeToString(h.Sum(nil))[:16])

	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(727272)"); err != nil {
		return "", err
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock(727272)")
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_build"
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+building+" TEMPLATE template0"); err != nil {
		return "", err
	}
	if err := fill(ctx, withDatabase(admin, building), fsys); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", building, name)); err != nil {
		return "", err
	}
	return name, nil
}

func fill(ctx context.Context, dbURL string, fsys fs.FS) error {
	s, err := store.Open(ctx, dbURL, store.Options{MaxConns: 2, StatementTimeout: 2 * time.Minute})
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		return err
	}
	if fsys != nil {
		return ingest.All(ctx, s, fsys, nil)
	}
	return nil
}

func hashFS(h interface{ Write([]byte) (int, error) }, fsys fs.FS) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(b))
		_, err = h.Write(b)
		return err
	})
}

func adminExec(ctx context.Context, admin, sql string) error {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

func withDatabase(admin, name string) string {
	u, err := url.Parse(admin)
	if err != nil {
		return admin
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
