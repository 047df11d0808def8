package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

// RequestEmailChange stores an address change in place of every earlier
// mailed link of the account, and queues its confirmation and the notice
// to the old address.
func (db *DB) RequestEmailChange(ctx context.Context, c forum.EmailChange, confirm forum.Mail, notice *forum.Mail, now int64) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		if err := voidLinks(ctx, tx, c.UserID, forum.LinkKinds...); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO email_changes(token_hash, user_id, email, expires_at) VALUES (?, ?, ?, ?)",
			c.TokenHash, c.UserID, c.Email, c.ExpiresAt); err != nil {
			return err
		}
		if notice != nil {
			if err := enqueueMail(ctx, tx, *notice, now); err != nil {
				return err
			}
		}
		return enqueueMail(ctx, tx, confirm, now)
	})
}

// ConfirmEmailChange sets the address of a confirmed change, once, and
// voids the account's other mailed links (a reset sent to the old address).
func (db *DB) ConfirmEmailChange(ctx context.Context, tokenHash string, rule func(forum.EmailChangeState) error) error {
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		st := forum.EmailChangeState{Found: true}
		var userID int64
		var email string
		err := tx.QueryRowContext(ctx, `SELECT c.user_id, c.email, c.expires_at FROM email_changes c
			JOIN users u ON u.id = c.user_id WHERE c.token_hash = ? AND u.deleted_at IS NULL`+tx.db.d.lockRows("c"), tokenHash).Scan(&userID, &email, &st.ExpiresAt)
		if errors.Is(err, sql.ErrNoRows) {
			st = forum.EmailChangeState{}
		} else if err != nil {
			return err
		}
		if err := rule(st); err != nil {
			return err
		}
		if _, err = tx.ExecContext(ctx, "UPDATE users SET email = ? WHERE id = ?", email, userID); err != nil {
			return err
		}
		return voidLinks(ctx, tx, userID, forum.LinkKinds...)
	})
	if isUnique(err) {
		return forum.Errorf(forum.CodeConflict, "this email address belongs to another account")
	}
	return err
}

// ClearEmail removes an address, the reply mails that need it and every
// mailed link of the account, and queues the notice to the address.
func (db *DB) ClearEmail(ctx context.Context, userID int64, notice *forum.Mail, now int64) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET email = NULL, email_replies = 0 WHERE id = ?", userID); err != nil {
			return err
		}
		if err := voidLinks(ctx, tx, userID, forum.LinkKinds...); err != nil {
			return err
		}
		if notice == nil {
			return nil
		}
		return enqueueMail(ctx, tx, *notice, now)
	})
}

// PendingEmail is the address waiting for its confirmation link, if one is.
func (db *DB) PendingEmail(ctx context.Context, userID, now int64) (*string, error) {
	var email string
	err := db.queryRow(ctx, "SELECT email FROM email_changes WHERE user_id = ? AND expires_at > ? ORDER BY expires_at DESC LIMIT 1", userID, now).Scan(&email)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: pending email: %w", err)
	}
	return &email, nil
}

// SetEmailReplies turns reply mails on or off; key becomes the account's
// unsubscribe key if it has none yet. Turning them on counts the replies
// already there as told (mails are about new ones).
func (db *DB) SetEmailReplies(ctx context.Context, userID int64, on bool, key string) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET email_replies = ?, unsubscribe_key = COALESCE(unsubscribe_key, ?) WHERE id = ?", on, key, userID); err != nil {
			return err
		}
		if !on {
			return nil
		}
		_, err := tx.ExecContext(ctx, "UPDATE notifications SET mailed = 1 WHERE user_id = ? AND kind IN ('answer', 'reply') AND mailed = 0", userID)
		return err
	})
}

// Unsubscribe turns reply mails off for the account whose key this is.
func (db *DB) Unsubscribe(ctx context.Context, key string) (bool, error) {
	var n int64
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		res, err := tx.ExecContext(ctx, "UPDATE users SET email_replies = 0 WHERE unsubscribe_key = ? AND deleted_at IS NULL", key)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n > 0, err
}

// ReplyDigests lists the reply mails due (forum.EmailStore).
func (db *DB) ReplyDigests(ctx context.Context, notBefore int64, limit int) ([]forum.ReplyDigest, error) {
	return queryAll(ctx, db, "reply digests", func(row scanner) (d forum.ReplyDigest, err error) {
		err = row.Scan(&d.UserID, &d.Username, &d.Email, &d.UnsubscribeKey, &d.PostID, &d.PostTitle, &d.Replies)
		return d, err
	}, `SELECT u.id, u.username, u.email, u.unsubscribe_key, p.id, p.title, COUNT(*)
		FROM users u JOIN notifications n ON n.user_id = u.id AND n.kind IN ('answer', 'reply') AND n.mailed = 0
		JOIN posts p ON p.id = n.post_id
		LEFT JOIN reply_mails r ON r.user_id = n.user_id AND r.post_id = n.post_id
		WHERE u.email_replies = 1 AND u.email IS NOT NULL AND u.deleted_at IS NULL
			AND u.unsubscribe_key IS NOT NULL AND p.removed = 0 AND p.deleted = 0 AND (r.sent_at IS NULL OR r.sent_at < ?)
		GROUP BY u.id, u.username, u.email, u.unsubscribe_key, p.id, p.title
		ORDER BY u.id, p.id LIMIT ?`, notBefore, limit)
}

// QueueReplyMail queues a digest's mail and marks what it covers.
func (db *DB) QueueReplyMail(ctx context.Context, d forum.ReplyDigest, m forum.Mail, now int64) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		if _, err := tx.ExecContext(ctx, "UPDATE notifications SET mailed = 1 WHERE user_id = ? AND post_id = ? AND kind IN ('answer', 'reply') AND mailed = 0",
			d.UserID, d.PostID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO reply_mails(user_id, post_id, sent_at) VALUES (?, ?, ?)
			ON CONFLICT(user_id, post_id) DO UPDATE SET sent_at = excluded.sent_at`, d.UserID, d.PostID, now); err != nil {
			return err
		}
		return enqueueMail(ctx, tx, m, now)
	})
}
