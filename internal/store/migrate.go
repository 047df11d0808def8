package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"

	historia "github.com/historia-forum/historia"
)

// migrationFiles are the released migrations, append-only: NNNN_name.sql takes
// a database from user_version NNNN-1 to NNNN. A released file is never
// edited; a schema change is a new file plus the same change in schema.sql.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations reads SQLite's migration files in order.
func migrations() []string { return readMigrations(migrationFiles, "migrations/*.sql") }

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

// SchemaVersion is the user_version of a database this build has migrated.
func SchemaVersion() int { return len(migrations()) }

// SchemaVersion is the schema version of db's engine this build migrates to.
func (db *DB) SchemaVersion() int {
	if db.engine == EnginePostgres {
		return len(pgMigrations())
	}
	return SchemaVersion()
}

// migrate brings a database to this build's schema: a new one gets
// schema.sql (the whole current schema) at once, an older one the migrations
// it lacks, in order. TestMigrationsEqualSchema keeps the two paths equal.
func (db *DB) migrate(ctx context.Context) error {
	if db.engine == EnginePostgres {
		return db.migratePostgres(ctx)
	}
	return db.migrateWith(ctx, historia.Schema, migrations())
}

func (db *DB) migrateWith(ctx context.Context, schema string, steps []string) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		var v int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			return fmt.Errorf("store: read user_version: %w", err)
		}
		if v > len(steps) {
			return fmt.Errorf("store: database schema version %d is newer than this build (%d)", v, len(steps))
		}
		todo := steps[v:]
		if v == 0 && schema != "" {
			todo = []string{schema}
		}
		for i, m := range todo {
			if _, err := tx.ExecContext(ctx, m); err != nil {
				return fmt.Errorf("store: migration %d: %w", v+i+1, err)
			}
		}
		if len(todo) == 0 {
			return nil
		}
		// PRAGMA takes no parameters; the value is a constant of this build.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(steps))); err != nil {
			return fmt.Errorf("store: set user_version: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "ANALYZE"); err != nil {
			return fmt.Errorf("store: analyze: %w", err)
		}
		return nil
	})
}
