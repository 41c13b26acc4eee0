package store_test

import (
	"context"
	_ "embed"
	"testing"
	"time"

	"github.com/scs-diffusion/tracker/store"
	"github.com/scs-diffusion/tracker/store/storetest"
)

//go:embed testdata/audit_seed.sql
var auditSeed string

// BenchmarkAuditLog runs the audit log's filters on 200,000 rows
// (testdata/audit_seed.sql), 51 rows asked for, as GET /api/v1/admin/audit
// does; figures in docs/performance.md.
func BenchmarkAuditLog(b *testing.B) {
	db := storetest.New(b)
	ctx := context.Background()
	if _, err := db.Store.Pool().Exec(ctx, auditSeed); err != nil {
		b.Fatal(err)
	}
	var quiet int64
	if err := db.Store.Pool().QueryRow(ctx, `SELECT id FROM organisation WHERE name = 'Rare'`).Scan(&quiet); err != nil {
		b.Fatal(err)
	}
	day := func(s string) *time.Time { t, _ := time.Parse(time.DateOnly, s); return &t }
	recent := time.Now().Add(-24 * time.Hour)
	for _, bc := range []struct {
		name string
		f    store.AuditFilter
		want int // rows
	}{
		{"no filter", store.AuditFilter{}, 51},
		{"action=login", store.AuditFilter{Action: "login"}, 51},
		{"action=login since yesterday", store.AuditFilter{Action: "login", Since: &recent}, 51},
		{"action=report.accept (one old row)", store.AuditFilter{Action: "report.accept"}, 1},
		{"since/until a day with no rows", store.AuditFilter{Since: day("2024-06-01"), Before: day("2024-06-02")}, 0},
		{"actor of nobody", store.AuditFilter{ActorEmail: "nobody@example.org"}, 0},
		{"actor with old rows only", store.AuditFilter{ActorEmail: "RARE@example.org"}, 51},
		{"organisation with old rows only", store.AuditFilter{OrgID: quiet}, 51},
	} {
		bc.f.Limit = 51
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				rows, err := db.Store.AuditLog(ctx, bc.f)
				if err != nil || len(rows) != bc.want {
					b.Fatalf("%d rows, %v; want %d", len(rows), err, bc.want)
				}
			}
		})
	}
}
