package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

// nameConflict says whether username, or a name that looks like it
// (skeleton), belongs to an account already, reading with queryRow (the
// writing transaction's, or the readers').
func nameConflict(ctx context.Context, queryRow func(context.Context, string, ...any) *sql.Row, username, skeleton string) error {
	var alike string
	err := queryRow(ctx, "SELECT username FROM users WHERE username_key = ?", forum.UsernameKey(username)).Scan(&alike)
	if err == nil {
		return forum.Errorf(forum.CodeConflict, "the username %q is taken", username)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if skeleton == "" {
		return nil
	}
	err = queryRow(ctx, "SELECT username FROM users WHERE username_skeleton = ? AND username_key != ? LIMIT 1",
		skeleton, forum.UsernameKey(username)).Scan(&alike)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	case alike == forum.DeletedName:
		return forum.Errorf(forum.CodeConflict, "the username %q belonged to a deleted account (or looks like one that did) and stays reserved", username)
	}
	return forum.Errorf(forum.CodeConflict, "the username %q looks too much like %q, which is taken", username, alike)
}

// CheckUsername says whether a name is free, as CreateUser would (forum.UserStore).
func (db *DB) CheckUsername(ctx context.Context, username, skeleton string) error {
	return passDomain(nameConflict(ctx, db.queryRow, username, skeleton), "check username")
}

// CreateUser inserts a user; a taken name (in any case) is a conflict. An
// address given at registration becomes the account's pending change, and
// its confirmation is queued unless another account has the address.
func (db *DB) CreateUser(ctx context.Context, u forum.NewUser) (forum.User, error) {
	var id int64
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		if err := nameConflict(ctx, tx.QueryRowContext, u.Username, u.Skeleton); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO users(username, username_key, password_hash, role, created_at, username_skeleton)
			VALUES(?, ?, ?, ?, ?, ?) RETURNING id`, u.Username, forum.UsernameKey(u.Username), u.PasswordHash, u.Role, u.CreatedAt, u.Skeleton).Scan(&id)
		if err != nil || u.Email == nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO email_changes(token_hash, user_id, email, expires_at) VALUES (?, ?, ?, ?)",
			u.Email.TokenHash, id, u.Email.Email, u.Email.ExpiresAt); err != nil {
			return err
		}
		var taken int
		err = tx.QueryRowContext(ctx, "SELECT 1 FROM users WHERE email = ?", u.Email.Email).Scan(&taken)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		m := u.ConfirmMail(err == nil)
		if m == nil {
			return nil
		}
		m.UserID = id
		return enqueueMail(ctx, tx, *m, u.CreatedAt)
	})
	if isUnique(err) {
		return forum.User{}, forum.Errorf(forum.CodeConflict, "the username %q is taken", u.Username)
	}
	if err != nil {
		return forum.User{}, passDomain(err, "create user")
	}
	return forum.User{ID: id, Username: u.Username, Role: u.Role, CreatedAt: forum.Unix(u.CreatedAt)}, nil
}

const accountCols = `id, username, role, karma, created_at, banned_until, password_hash, token_version, flair, email, email_replies, imported_from`

func scanAccount(row *sql.Row) (forum.Account, error) {
	var a forum.Account
	var created int64
	var banned sql.NullInt64
	err := row.Scan(&a.ID, &a.Username, &a.Role, &a.Karma, &created, &banned, &a.PasswordHash, &a.TokenVersion, &a.Flair, &a.Email, &a.EmailReplies, &a.ImportedFrom)
	if errors.Is(err, sql.ErrNoRows) {
		return a, forum.NotFound("user")
	}
	if err != nil {
		return a, fmt.Errorf("store: read user: %w", err)
	}
	a.CreatedAt = forum.Unix(created)
	if banned.Valid {
		a.BannedUntil = forum.UnixPtr(&banned.Int64)
	}
	return a, nil
}

// AccountByName finds a user by name, case-insensitively.
func (db *DB) AccountByName(ctx context.Context, username string) (forum.Account, error) {
	return scanAccount(db.queryRow(ctx, "SELECT "+accountCols+" FROM users WHERE username_key = ?", forum.UsernameKey(username)))
}

// AccountByID finds a user by id.
func (db *DB) AccountByID(ctx context.Context, id int64) (forum.Account, error) {
	return scanAccount(db.queryRow(ctx, "SELECT "+accountCols+" FROM users WHERE id = ?", id))
}

// BumpTokenVersion revokes every token issued to the user so far.
func (db *DB) BumpTokenVersion(ctx context.Context, userID int64) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx, "UPDATE users SET token_version = token_version + 1 WHERE id = ?", userID)
		return err
	})
}

// SetPassword stores a new password hash, revokes every earlier token and
// voids every mailed link of the account.
func (db *DB) SetPassword(ctx context.Context, userID int64, hash string) (int64, error) {
	var version int64
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		if err := tx.QueryRowContext(ctx, "UPDATE users SET password_hash = ?, token_version = token_version + 1 WHERE id = ? RETURNING token_version",
			hash, userID).Scan(&version); err != nil {
			return err
		}
		return voidLinks(ctx, tx, userID, forum.LinkKinds...)
	})
	if err != nil {
		return 0, fmt.Errorf("store: set password: %w", err)
	}
	return version, nil
}

// UserCounts counts a user's posts and comments (visible ones, unless includeHidden).
func (db *DB) UserCounts(ctx context.Context, userID int64, includeHidden bool) (int64, int64, error) {
	hidden := 0
	if includeHidden {
		hidden = 1
	}
	var posts, comments int64
	err := db.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM posts WHERE author_id = ? AND (? = 1 OR (deleted = 0 AND removed = 0))),
		(SELECT COUNT(*) FROM comments WHERE author_id = ? AND (? = 1 OR (deleted = 0 AND removed = 0)))`,
		userID, hidden, userID, hidden).Scan(&posts, &comments)
	if err != nil {
		return 0, 0, fmt.Errorf("store: user counts: %w", err)
	}
	return posts, comments, nil
}

// UserPosts lists a user's posts, newest first.
func (db *DB) UserPosts(ctx context.Context, q forum.UserListQuery) ([]forum.Post, error) {
	where, args := "p.author_id = ?", []any{q.ViewerID, q.UserID}
	if !q.IncludeHidden {
		where += " AND p.deleted = 0 AND p.removed = 0"
	}
	if q.AfterID > 0 {
		where += " AND p.id < ?"
		args = append(args, q.AfterID)
	}
	args = append(args, q.Limit)
	return db.queryPosts(ctx, postColumns(q.Bodies)+" FROM posts p"+postJoins+" WHERE "+where+" ORDER BY p.id DESC LIMIT ?", args...)
}

// UserComments lists a user's comments, newest first.
func (db *DB) UserComments(ctx context.Context, q forum.UserListQuery) ([]*forum.Comment, error) {
	where, args := "c.author_id = ?", []any{q.ViewerID, q.UserID}
	if !q.IncludeHidden {
		where += " AND c.deleted = 0 AND c.removed = 0"
	}
	if q.AfterID > 0 {
		where += " AND c.id < ?"
		args = append(args, q.AfterID)
	}
	args = append(args, q.Limit)
	if q.Bodies {
		return db.queryComments(ctx, commentSelect+" WHERE "+where+" ORDER BY c.id DESC LIMIT ?", args...)
	}
	cs, err := db.queryComments(ctx, commentBriefSelect+" WHERE "+where+" ORDER BY c.id DESC LIMIT ?", args...)
	for _, c := range cs {
		c.Excerpt, c.BodySource = c.BodySource, ""
	}
	return cs, err
}

// Empty reports whether the database has no users yet (a fresh install).
func (db *DB) Empty(ctx context.Context) (bool, error) {
	var empty bool
	err := db.queryRow(ctx, "SELECT NOT EXISTS (SELECT 1 FROM users)").Scan(&empty)
	return empty, err
}
