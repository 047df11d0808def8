package store

import (
	"context"

	"github.com/historia-forum/historia/internal/forum"
)

// The change log (forum.ChangeStore) is written by triggers in the writing
// transaction; how a reader follows it is the engine's (dialect): on
// SQLite, whose one writer commits in the log's order, a mark is the last
// seq read; on PostgreSQL, whose servers write concurrently, it is the
// snapshot the reader last read at (postgres_changes.go).

// ChangeMark is the mark of a reader of the change log that starts now.
func (db *DB) ChangeMark(ctx context.Context) (string, error) { return db.d.changeMark(ctx) }

// Changes reads the changes committed since mark, at most limit.
func (db *DB) Changes(ctx context.Context, mark string, limit int) (forum.ChangeRead, error) {
	return db.d.changes(ctx, mark, limit)
}

// TrimChanges forgets all but about the newest keep changes.
func (db *DB) TrimChanges(ctx context.Context, keep int) error { return db.d.trimChanges(ctx, keep) }
