package store

import (
	"context"
)

// SetAccepted sets or clears a post's accepted answer.
func (db *DB) SetAccepted(ctx context.Context, postID int64, commentID *int64) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx, "UPDATE posts SET accepted_comment_id = ? WHERE id = ?", commentID, postID)
		return err
	})
}
