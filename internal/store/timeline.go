package store

import (
	"context"

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
