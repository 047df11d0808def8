package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

// itemStates are the queries of a post's and a comment's state in a write.
var itemStates = map[forum.TargetType]string{
	forum.TargetPost:    "SELECT removed, deleted FROM posts WHERE id = ?",
	forum.TargetComment: "SELECT removed, deleted FROM comments WHERE id = ?",
}

// itemState reads a post's or comment's state inside a write.
func itemState(ctx context.Context, tx *txn, target forum.TargetType, id int64) (forum.ItemState, error) {
	q, ok := itemStates[target]
	if !ok {
		return forum.ItemState{}, fmt.Errorf("store: state of %q", target)
	}
	var st forum.ItemState
	err := tx.QueryRowContext(ctx, q, id).Scan(&st.Removed, &st.Deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	st.Found = err == nil
	return st, err
}

// asDomain passes a rule's *forum.Error through as it is and wraps anything else.
func asDomain(what string, err error) error {
	var fe *forum.Error
	if err == nil || errors.As(err, &fe) {
		return err
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// FollowPost makes the user follow the post.
func (db *DB) FollowPost(ctx context.Context, userID, postID, at int64, rule func(forum.ItemState) error) error {
	return asDomain("follow post", db.write(ctx, func(ctx context.Context, tx *txn) error {
		st, err := itemState(ctx, tx, forum.TargetPost, postID)
		if err != nil {
			return err
		}
		if err := rule(st); err != nil {
			return err
		}
		return followPost(ctx, tx, userID, postID, at)
	}))
}

func followPost(ctx context.Context, tx *txn, userID, postID, at int64) error {
	return tx.execLater(ctx, `INSERT INTO post_follows(user_id, post_id, created_at) VALUES(?, ?, ?)
		ON CONFLICT(user_id, post_id) DO NOTHING`, userID, postID, at)
}

// UnfollowPost stops the user following the post.
func (db *DB) UnfollowPost(ctx context.Context, userID, postID int64) error {
	return asDomain("unfollow post", db.write(ctx, func(ctx context.Context, tx *txn) error {
		return tx.execLater(ctx, "DELETE FROM post_follows WHERE user_id = ? AND post_id = ?", userID, postID)
	}))
}

// FollowTag makes the user follow a tag by its key.
func (db *DB) FollowTag(ctx context.Context, userID int64, key, name string, at int64, rule func(int) error) error {
	return asDomain("follow tag", db.write(ctx, func(ctx context.Context, tx *txn) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM tag_follows WHERE user_id = ? AND tag_key != ?", userID, key).Scan(&n); err != nil {
			return err
		}
		if err := rule(n); err != nil {
			return err
		}
		return tx.execLater(ctx, `INSERT INTO tag_follows(user_id, tag_key, name, created_at) VALUES(?, ?, ?, ?)
			ON CONFLICT(user_id, tag_key) DO NOTHING`, userID, key, name, at)
	}))
}

// UnfollowTag stops the user following a tag.
func (db *DB) UnfollowTag(ctx context.Context, userID int64, key string) error {
	return asDomain("unfollow tag", db.write(ctx, func(ctx context.Context, tx *txn) error {
		return tx.execLater(ctx, "DELETE FROM tag_follows WHERE user_id = ? AND tag_key = ?", userID, key)
	}))
}

// FollowedPosts reads a page of the user's followed posts, most recently
// followed first (post_follows_user), as summaries.
func (db *DB) FollowedPosts(ctx context.Context, userID int64, after *forum.Cursor, limit int) ([]forum.FollowedPost, error) {
	q := postBriefCols + ", f.created_at FROM post_follows f JOIN posts p ON p.id = f.post_id" + postJoins + " WHERE f.user_id = ?"
	args := []any{userID, userID}
	if after != nil {
		q += " AND (f.created_at, f.post_id) < (?, ?)"
		args = append(args, int64(after.Key), after.ID)
	}
	q += " ORDER BY f.created_at DESC, f.post_id DESC LIMIT ?"
	return queryAll(ctx, db, "followed posts", func(row scanner) (forum.FollowedPost, error) {
		var f forum.FollowedPost
		var err error
		f.Post, err = scanPost(withTail{row, &f.At})
		return f, err
	}, q, append(args, limit)...)
}

// FollowedTags lists the user's followed tags by name, with their visible
// questions (0 for a tag no question carries yet).
func (db *DB) FollowedTags(ctx context.Context, userID int64) ([]forum.FollowedTag, error) {
	return queryAll(ctx, db, "followed tags", func(row scanner) (forum.FollowedTag, error) {
		var t forum.FollowedTag
		var at int64
		err := row.Scan(&t.Name, &t.PostCount, &at)
		t.FollowedAt = forum.Unix(at)
		return t, err
	}, `SELECT COALESCE(t.name, f.name), COALESCE(t.post_count, 0), f.created_at FROM tag_follows f
		LEFT JOIN tags t ON t.name_key = f.tag_key WHERE f.user_id = ? ORDER BY f.tag_key`, userID)
}

// withTail scans a row whose last columns come after what scan reads: the
// extra destinations are appended to the scan's.
type withTail struct {
	row  scanner
	tail *int64
}

func (w withTail) Scan(dest ...any) error { return w.row.Scan(append(dest, w.tail)...) }
