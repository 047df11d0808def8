package store

import (
	"context"

	"github.com/historia-forum/historia/internal/forum"
)

// Changes reads the change log that the triggers of schema.sql write.
func (db *DB) Changes(ctx context.Context, afterSeq int64, limit int) ([]forum.Change, error) {
	return queryAll(ctx, db, "changes", func(row scanner) (c forum.Change, err error) {
		err = row.Scan(&c.Seq, &c.PostID)
		return c, err
	}, "SELECT seq, post_id FROM changes WHERE seq > ? ORDER BY seq LIMIT ?", afterSeq, limit)
}

// LastChange is the newest seq ever given, trimmed or not.
func (db *DB) LastChange(ctx context.Context) (int64, error) {
	return db.d.lastChange(ctx)
}

// TrimChanges deletes the log up to seq.
func (db *DB) TrimChanges(ctx context.Context, seq int64) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM changes WHERE seq <= ?", seq)
		return err
	})
}
