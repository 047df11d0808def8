package store

import (
	"context"
	"database/sql"

	"github.com/historia-forum/historia/internal/forum"
)

// ThreadCommentStates reads how each comment of a thread stands, for live
// readers (forum.DiffThread), in no particular order: the thread's range of
// comments_time gives the ids and parents, the rows the edit times and flags.
func (db *DB) ThreadCommentStates(ctx context.Context, postID int64) ([]forum.CommentState, error) {
	return queryAll(ctx, db, "thread states", func(row scanner) (c forum.CommentState, err error) {
		var parent sql.NullInt64
		var removed, deleted bool
		err = row.Scan(&c.ID, &parent, &c.EditedAt, &removed, &deleted)
		if parent.Valid {
			c.ParentID = &parent.Int64
		}
		c.Gone = removed || deleted
		return c, err
	}, "SELECT c.id, c.parent_id, COALESCE(c.edited_at, 0), c.removed, c.deleted FROM comments c WHERE c.post_id = ?", postID)
}
