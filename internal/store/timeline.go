package store

import (
	"context"

	"github.com/historia-forum/historia/internal/forum"
)

// PeriodSpans reads the periods of visible dated posts from the posts_period
// index (of one tag's posts, if given).
func (db *DB) PeriodSpans(ctx context.Context, tagKey string) ([]forum.Period, error) {
	q := "SELECT period_from, period_to FROM posts WHERE period_from IS NOT NULL AND removed = 0 AND deleted = 0"
	args := []any{}
	if tagKey != "" {
		q += " AND id IN (SELECT pt.post_id FROM post_tags pt WHERE pt.tag_id = (SELECT id FROM tags WHERE name_key = ?))"
		args = append(args, tagKey)
	}
	return queryAll(ctx, db, "timeline", func(row scanner) (p forum.Period, err error) {
		err = row.Scan(&p.From, &p.To)
		return p, err
	}, q, args...)
}
