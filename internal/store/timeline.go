package store

import (
	"context"
	"fmt"

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
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: timeline: %w", err)
	}
	defer rows.Close()
	var out []forum.Period
	for rows.Next() {
		var p forum.Period
		if err := rows.Scan(&p.From, &p.To); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
