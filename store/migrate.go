package store

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/jackc/tern/v2/migrate"

	"github.com/scs-diffusion/tracker/migrations"
)

const versionTable = "schema_version"

// Migrate applies every pending migration and returns the resulting version.
func (s *Store) Migrate(ctx context.Context) (int32, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate: acquire: %w", err)
	}
	defer conn.Release()
	m, err := migrate.NewMigrator(ctx, conn.Conn(), versionTable)
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	if err := m.LoadMigrations(migrations.FS); err != nil {
		return 0, fmt.Errorf("migrate: load: %w", err)
	}
	if err := m.Migrate(ctx); err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	return m.GetCurrentVersion(ctx)
}

// LatestMigration is the number of migration files embedded in the binary.
func LatestMigration() (int32, error) {
	files, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		return 0, err
	}
	return int32(len(files)), nil
}

// SchemaVersion reads the applied migration version (0 when none).
func (s *Store) SchemaVersion(ctx context.Context) (int32, error) {
	var exists bool
	if err := s.db.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, versionTable).Scan(&exists); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v int32
	if err := s.db.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM `+versionTable).Scan(&v); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}
