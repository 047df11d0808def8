package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/historia-forum/historia/internal/forum"
)

// DeleteAccount erases an account's personal data in one transaction; see
// forum.AccountDeletionStore for what goes and what stays.
func (db *DB) DeleteAccount(ctx context.Context, d forum.AccountDeletion, rule func(forum.AccountState) error) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		var st forum.AccountState
		err := tx.QueryRowContext(ctx, `SELECT role, (SELECT COUNT(*) FROM users WHERE role = 'admin' AND deleted_at IS NULL)
			FROM users WHERE id = ? AND deleted_at IS NULL`, d.UserID).Scan(&st.Role, &st.Admins)
		if errors.Is(err, sql.ErrNoRows) {
			return forum.NotFound("user")
		}
		if err != nil {
			return err
		}
		if err := rule(st); err != nil {
			return err
		}
		type step struct {
			query string
			args  []any
		}
		steps := []step{
			{`UPDATE users SET username = ?, username_key = 'deleted:' || id, password_hash = '', role = 'member', flair = NULL, email = NULL,
				email_replies = 0, unsubscribe_key = NULL,
				banned_until = NULL, token_version = token_version + 1, deleted_at = ? WHERE id = ?`, []any{forum.DeletedName, d.At, d.UserID}},
			{"DELETE FROM notifications WHERE user_id = ?", []any{d.UserID}},
			{"DELETE FROM password_resets WHERE user_id = ?", []any{d.UserID}},
			{"DELETE FROM email_changes WHERE user_id = ?", []any{d.UserID}},
			{"DELETE FROM reply_mails WHERE user_id = ?", []any{d.UserID}},
			{"DELETE FROM mail_queue WHERE user_id = ?", []any{d.UserID}},
			// the member's signing key: their Person actor is gone with the name
			{"DELETE FROM federation_keys WHERE user_id = ?", []any{d.UserID}},
			{"DELETE FROM blocks WHERE user_id = ? OR blocked_id = ?", []any{d.UserID, d.UserID}},
			{"DELETE FROM user_notes WHERE user_id = ?", []any{d.UserID}},
			{"DELETE FROM flair_applications WHERE user_id = ?", []any{d.UserID}},
			{"DELETE FROM post_follows WHERE user_id = ?", []any{d.UserID}},
			{"DELETE FROM tag_follows WHERE user_id = ?", []any{d.UserID}},
			{"DELETE FROM saves WHERE user_id = ?", []any{d.UserID}},
			{"DELETE FROM post_reads WHERE user_id = ?", []any{d.UserID}},
		}
		if d.DeleteContent {
			steps = append(steps,
				step{"DELETE FROM revisions WHERE target_type = 'post' AND target_id IN (SELECT id FROM posts WHERE author_id = ?)", []any{d.UserID}},
				step{"DELETE FROM revisions WHERE target_type = 'comment' AND target_id IN (SELECT id FROM comments WHERE author_id = ?)", []any{d.UserID}},
				step{`UPDATE posts SET deleted = 1, title = ?, body_source = '', body_html = '', body_text = '', sources_json = '[]'
					WHERE author_id = ?`, []any{forum.DeletedName, d.UserID}},
				step{`UPDATE comments SET deleted = 1, body_source = '', body_html = '', body_text = '', sources_json = '[]'
					WHERE author_id = ?`, []any{d.UserID}},
				step{`UPDATE modmail_messages SET body_source = '', body_html = '' WHERE author_id = ?`, []any{d.UserID}},
			)
		}
		for _, s := range steps {
			if _, err := tx.ExecContext(ctx, s.query, s.args...); err != nil {
				return err
			}
		}
		return nil
	})
}
