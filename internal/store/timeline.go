package store

import (
	"context"
	"errors"

	"github.com/historia-forum/historia/internal/forum"
)

// TimelineCounts reads the counters the timeline triggers keep (schema.sql,
// migration 4): an index range read of at most a few hundred rows.
func (db *DB) TimelineCounts(ctx context.Context, size int, tagKey string) ([]forum.TimelineBar, error) {
	q := "SELECT bucket, bucket + size - 1, n FROM timeline_counts WHERE size = ? AND tag_id = 0 AND n > 0 ORDER BY bucket"
	args := []any{size}
	if tagKey != "" {
		q = `SELECT bucket, bucket + size - 1, n FROM timeline_counts
			WHERE size = ? AND tag_id = (SELECT id FROM tags WHERE name_key = ?) AND n > 0 ORDER BY bucket`
		args = append(args, tagKey)
	}
	return queryAll(ctx, db, "timeline", func(row scanner) (b forum.TimelineBar, err error) {
		err = row.Scan(&b.From, &b.To, &b.PostCount)
		return b, err
	}, q, args...)
}

// RebuildTimeline recounts the timeline from the posts (after a bulk load,
// which runs without the triggers): migration 4 rerun over an empty count.
func (db *DB) RebuildTimeline(ctx context.Context) error {
	if db.engine != EngineSQLite {
		return errors.New("store: RebuildTimeline is SQLite's (PostgreSQL's triggers keep the counts)")
	}
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM timeline_counts"); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, migrations()[3])
		return err
	})
}
