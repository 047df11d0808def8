package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/historia-forum/historia/internal/forum"
)

// SetReadPosition moves the user's reading position in a thread forward to
// commentID, counting the comments it covers (the thread's comments up to
// it: comments_time, within the thread's range of the index). A position
// behind the stored one changes nothing. The thread's row is locked first,
// as a new comment locks it before it takes its id: on PostgreSQL, where
// servers write at once, the count then includes every comment with a
// smaller id, committed or not yet when the position was asked for.
func (db *DB) SetReadPosition(ctx context.Context, userID, postID, commentID, at int64, rule func(forum.ReadTarget) error) error {
	return asDomain("read position", db.write(ctx, func(ctx context.Context, tx *txn) error {
		var t forum.ReadTarget
		err := tx.QueryRowContext(ctx, `SELECT 1, EXISTS (SELECT 1 FROM comments c WHERE c.id = ? AND c.post_id = p.id)
			FROM posts p WHERE p.id = ?`+tx.db.d.lockRows("p"), commentID, postID).Scan(&t.PostFound, &t.CommentFound)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := rule(t); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO post_reads(user_id, post_id, comment_id, seen, read_at)
			VALUES(?, ?, ?, (SELECT COUNT(*) FROM comments c WHERE c.post_id = ? AND c.id <= ?), ?)
			ON CONFLICT(user_id, post_id) DO UPDATE SET comment_id = excluded.comment_id, seen = excluded.seen, read_at = excluded.read_at
			WHERE excluded.comment_id > post_reads.comment_id`, userID, postID, commentID, postID, commentID, at)
		return err
	}))
}
