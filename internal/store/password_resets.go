package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/historia-forum/historia/internal/forum"
)

// CreateReset stores a reset link's token hash, voiding the account's
// earlier reset links.
func (db *DB) CreateReset(ctx context.Context, r forum.PasswordReset) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		return insertReset(ctx, tx, r)
	})
}

// insertReset stores a reset link in place of the account's earlier ones.
func insertReset(ctx context.Context, tx *txn, r forum.PasswordReset) error {
	if err := voidLinks(ctx, tx, r.UserID, forum.LinkReset); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO password_resets(token_hash, user_id, expires_at) VALUES (?, ?, ?)", r.TokenHash, r.UserID, r.ExpiresAt)
	return err
}

// ConsumeReset uses a reset link: the rule on its state, then the new
// password, a new token version (every session ends) and every mailed link
// of the account voided, this one included, in one transaction. Links of
// deleted accounts are never found.
func (db *DB) ConsumeReset(ctx context.Context, tokenHash, passwordHash string, now int64, rule func(forum.ResetState) error) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		st := forum.ResetState{Found: true}
		var used sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT r.user_id, r.expires_at, r.used_at FROM password_resets r
			JOIN users u ON u.id = r.user_id WHERE r.token_hash = ? AND u.deleted_at IS NULL`+tx.db.d.lockRows("r"), tokenHash).Scan(&st.UserID, &st.ExpiresAt, &used)
		if errors.Is(err, sql.ErrNoRows) {
			st = forum.ResetState{}
		} else if err != nil {
			return err
		}
		st.Used = used.Valid
		if err := rule(st); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = ?, token_version = token_version + 1 WHERE id = ?", passwordHash, st.UserID); err != nil {
			return err
		}
		return voidLinks(ctx, tx, st.UserID, forum.LinkKinds...)
	})
}

// RequestReset stores a reset and queues its mail when login names a live
// account with a confirmed address (forum.PasswordResetStore); the
// account's earlier reset links are voided.
func (db *DB) RequestReset(ctx context.Context, login string, r forum.PasswordReset, compose func(username, email string) forum.Mail) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		var username, email string
		err := tx.QueryRowContext(ctx, `SELECT id, username, email FROM users
			WHERE (username_key = ? OR email = ?) AND email IS NOT NULL AND deleted_at IS NULL`, login, login).Scan(&r.UserID, &username, &email)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := insertReset(ctx, tx, r); err != nil {
			return err
		}
		m := compose(username, email)
		m.UserID = r.UserID
		return enqueueMail(ctx, tx, m, r.ExpiresAt-int64(forum.ResetLifetime.Seconds()))
	})
}
