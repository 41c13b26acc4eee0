package store

import (
	"context"
	"fmt"
)

// SyncTaxonomy writes the pillars, capabilities and scale, touching only rows
// that differ. Codes are a public contract: a code missing from t that the
// database has is an error, not a deletion.
func (s *Store) SyncTaxonomy(ctx context.Context, t Taxonomy) (changed int64, err error) {
	exec := func(q string, args ...any) error {
		tag, err := s.db.Exec(ctx, q, args...)
		changed += tag.RowsAffected()
		return err
	}
	for _, l := range t.Scale {
		if err := exec(`INSERT INTO scale_level AS x (level, name, criteria) VALUES ($1, $2, $3)
			ON CONFLICT (level) DO UPDATE SET name = EXCLUDED.name, criteria = EXCLUDED.criteria
			WHERE (x.name, x.criteria) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.criteria)`, l.Level, l.Name, l.Criteria); err != nil {
			return changed, fmt.Errorf("taxonomy: scale %d: %w", l.Level, err)
		}
	}
	ord := 0
	for pi, p := range t.Pillars {
		if err := exec(`INSERT INTO pillar AS x (code, name, description, ord) VALUES ($1, $2, $3, $4)
			ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, ord = EXCLUDED.ord
			WHERE (x.name, x.description, x.ord) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.description, EXCLUDED.ord)`,
			p.Code, p.Name, p.Description, pi+1); err != nil {
			return changed, fmt.Errorf("taxonomy: pillar %s: %w", p.Code, err)
		}
		for _, c := range p.Capabilities {
			ord++
			if err := exec(`INSERT INTO capability AS x (code, pillar, name, definition, level4_marker, ord) VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (code) DO UPDATE SET pillar = EXCLUDED.pillar, name = EXCLUDED.name, definition = EXCLUDED.definition,
					level4_marker = EXCLUDED.level4_marker, ord = EXCLUDED.ord
				WHERE (x.pillar, x.name, x.definition, x.level4_marker, x.ord)
					IS DISTINCT FROM (EXCLUDED.pillar, EXCLUDED.name, EXCLUDED.definition, EXCLUDED.level4_marker, EXCLUDED.ord)`,
				c.Code, p.Code, c.Name, c.Definition, c.Level4Marker, ord); err != nil {
				return changed, fmt.Errorf("taxonomy: capability %s: %w", c.Code, err)
			}
		}
	}
	var missing []string
	rows, err := s.db.Query(ctx, `SELECT code FROM capability ORDER BY code`)
	if err != nil {
		return changed, err
	}
	defer rows.Close()
	known := map[string]bool{}
	for _, p := range t.Pillars {
		for _, c := range p.Capabilities {
			known[c.Code] = true
		}
	}
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return changed, err
		}
		if !known[code] {
			missing = append(missing, code)
		}
	}
	if err := rows.Err(); err != nil {
		return changed, err
	}
	if len(missing) > 0 {
		return changed, fmt.Errorf("taxonomy: capability codes %v are in the database but not in the file; codes are a contract and cannot be removed", missing)
	}
	return changed, exec(`WITH u AS (UPDATE dataset_revision SET taxonomy_version = $1, revision = revision + 1, changed_at = now()
		WHERE taxonomy_version <> $1 RETURNING revision) SELECT pg_notify('dataset_revision', '') FROM u`, t.Version)
}
