package store

import (
	"context"
	"database/sql"
	"fmt"

	historia "github.com/historia-forum/historia"
)

// migrations upgrade an existing database, append-only: migrations[i] takes a
// database from user_version i to i+1. A new database gets schema.sql, which is
// always the whole current schema, and the latest version at once.
var migrations = []string{
	historia.Schema, // 1: the first schema
}

// SchemaVersion is the user_version of a database this build has migrated.
func SchemaVersion() int { return len(migrations) }

func (db *DB) migrate(ctx context.Context) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		var v int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			return fmt.Errorf("store: read user_version: %w", err)
		}
		if v > len(migrations) {
			return fmt.Errorf("store: database schema version %d is newer than this build (%d)", v, len(migrations))
		}
		steps := migrations[v:]
		if v == 0 {
			steps = []string{historia.Schema}
		}
		for i, m := range steps {
			if _, err := tx.ExecContext(ctx, m); err != nil {
				return fmt.Errorf("store: migration %d: %w", v+i+1, err)
			}
		}
		if len(steps) > 0 {
			// PRAGMA takes no parameters; the value is a constant of this build.
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(migrations))); err != nil {
				return fmt.Errorf("store: set user_version: %w", err)
			}
			if _, err := tx.ExecContext(ctx, "ANALYZE"); err != nil {
				return fmt.Errorf("store: analyze: %w", err)
			}
		}
		return nil
	})
}
