package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/scs-diffusion/tracker/store/storetest"
)

// TestAssessmentConstraints checks that the database itself refuses bad
// assessments, whatever program writes them, and keeps them append-only.
func TestAssessmentConstraints(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoaded(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	insert := `INSERT INTO assessment (country, capability, level, valid_from, valid_to, confidence, content_hash)
		VALUES ($1, $2, $3, $4::date, $5::date, $6, 'x') RETURNING id`
	tests := []struct {
		name           string
		level          int
		from, to, conf any
		withSource     bool
		want           string
	}{
		{"level out of range", 5, "2020-01-01", nil, "H", true, "assessment_level_check"},
		{"valid_to before valid_from", 2, "2020-01-01", "2019-01-01", "H", true, "assessment_valid_period"},
		{"low confidence above level 1", 2, "2020-01-01", nil, "L", true, "assessment_low_confidence"},
		{"level above 0 without a source", 2, "2020-01-01", nil, "M", false, "has level 2 but no source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
				var id int64
				if err := tx.QueryRow(ctx, insert, "ISL", "sanctions.blacklist", tt.level, tt.from, tt.to, tt.conf).Scan(&id); err != nil {
					return err
				}
				if tt.withSource {
					_, err := tx.Exec(ctx, `INSERT INTO assessment_source SELECT $1, min(id) FROM source`, id)
					return err
				}
				return nil
			})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM assessment WHERE country = 'ISL'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d refused rows were written (%v)", n, err)
	}
	for _, stmt := range []string{
		`UPDATE assessment SET level = 0 WHERE id = (SELECT min(id) FROM assessment)`,
		`DELETE FROM assessment WHERE id = (SELECT min(id) FROM assessment)`,
	} {
		if _, err := conn.Exec(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: error %v, want append-only refusal", stmt, err)
		}
	}
}
