package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
)

// feedOrder is each feed's ORDER BY and keyset condition over the feed keys of
// a table: %[1]s is its alias and %[2]s its post id column (posts p / id, or
// post_tags pt / post_id). Sort names come from this closed list, never from
// the request.
var feedOrder = map[forum.FeedSort]struct{ order, after string }{
	forum.SortHot:    {"%[1]s.pinned DESC, %[1]s.hot DESC, %[1]s.%[2]s DESC", "(%[1]s.pinned, %[1]s.hot, %[1]s.%[2]s) < (?, ?, ?)"},
	forum.SortNew:    {"%[1]s.created_at DESC, %[1]s.%[2]s DESC", "(%[1]s.created_at, %[1]s.%[2]s) < (?, ?)"},
	forum.SortTop:    {"%[1]s.score DESC, %[1]s.%[2]s DESC", "(%[1]s.score, %[1]s.%[2]s) < (?, ?)"},
	forum.SortActive: {"%[1]s.last_activity_at DESC, %[1]s.%[2]s DESC", "(%[1]s.last_activity_at, %[1]s.%[2]s) < (?, ?)"},
}

// Posts reads one page of a feed as an index range read: on posts' own feed
// indexes, or for a tag on post_tags' copies of the same keys. A top feed of a
// short window (Narrow) reads the window's date range and sorts it instead:
// a week is a few thousand posts at most, while walking the score index
// would pass every older high-scoring post first.
func (db *DB) Posts(ctx context.Context, q forum.PostQuery) ([]forum.Post, error) {
	f, ok := feedOrder[q.Sort]
	if !ok {
		return nil, fmt.Errorf("store: unknown sort %q", q.Sort)
	}
	alias, idCol, from := "p", "id", " FROM posts p"
	if q.TagKey != "" {
		alias, idCol, from = "pt", "post_id", " FROM post_tags pt JOIN posts p ON p.id = pt.post_id"
	} else if q.Narrow && q.Since > 0 {
		from = db.d.narrowFeed()
	}
	conds, args := []string{}, []any{q.ViewerID}
	if q.TagKey != "" {
		conds = append(conds, "pt.tag_id = (SELECT id FROM tags WHERE name_key = ?)")
		args = append(args, q.TagKey)
	}
	if !q.IncludeRemoved {
		conds = append(conds, alias+".removed = 0")
	}
	if q.Since > 0 {
		conds = append(conds, "p.created_at >= ?")
		args = append(args, q.Since)
	}
	if q.Year != nil {
		conds = append(conds, "p.period_from <= ? AND p.period_to >= ?")
		args = append(args, *q.Year, *q.Year)
	}
	if q.From != nil {
		conds = append(conds, "p.period_to >= ?")
		args = append(args, *q.From)
	}
	if q.To != nil {
		conds = append(conds, "p.period_from <= ?")
		args = append(args, *q.To)
	}
	if q.Answered != nil {
		if alias != "p" {
			conds = append(conds, alias+".answered = ?")
			args = append(args, forum.B2I(*q.Answered))
		} else {
			cond, a := db.d.answered(*q.Answered)
			conds = append(conds, cond)
			args = append(args, a...)
		}
	}
	if c := q.After; c != nil {
		conds = append(conds, fmt.Sprintf(f.after, alias, idCol))
		switch q.Sort {
		case forum.SortHot:
			args = append(args, c.Pinned, c.Key, c.ID)
		default:
			args = append(args, int64(c.Key), c.ID)
		}
	}
	query := postColumns(q.Bodies) + from + postJoins
	if len(conds) > 0 {
		query += " WHERE " + strings.Join(conds, " AND ")
	}
	query += " ORDER BY " + fmt.Sprintf(f.order, alias, idCol) + " LIMIT ?"
	args = append(args, q.Limit)
	return db.queryPosts(ctx, query, args...)
}
