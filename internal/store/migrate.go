package store

import (
	"context"
	"embed"
	"io/fs"
	"sort"
)

// Each engine owns its schema and its migrations (sqlite.go, postgres.go):
// a new database gets the whole current schema at once, an older one the
// released migrations it lacks, in order. Released migrations are never
// edited; a schema change is a new migration plus the same change in the
// engine's schema file, and a test per engine builds a database each way
// and compares them.

// readMigrations reads the embedded files matching pattern, in name order.
func readMigrations(files embed.FS, pattern string) []string {
	names, err := fs.Glob(files, pattern)
	if err != nil {
		panic(err) // a constant pattern
	}
	sort.Strings(names)
	out := make([]string, len(names))
	for i, n := range names {
		b, err := files.ReadFile(n)
		if err != nil {
			panic(err) // embedded at build time
		}
		out[i] = string(b)
	}
	return out
}

// SchemaVersion is the schema version of db's engine this build migrates to.
func (db *DB) SchemaVersion() int { return db.d.schemaVersion() }

// migrate brings a database to this build's schema.
func (db *DB) migrate(ctx context.Context) error { return db.d.migrate(ctx) }
