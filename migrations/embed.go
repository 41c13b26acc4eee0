// Package migrations holds the numbered plain-SQL schema migrations, embedded
// into the binary and applied by tern (see store.Migrate).
package migrations

import "embed"

// FS holds every migration file, named NNN_description.sql.
//
//go:embed *.sql
var FS embed.FS
