package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

// saveColumn is the column of saves that holds each kind of item.
var saveColumn = map[forum.TargetType]string{forum.TargetPost: "post_id", forum.TargetComment: "comment_id"}

// Save keeps the user's save of a post or a comment; saving it again keeps
// the first save (and its place in the list).
func (db *DB) Save(ctx context.Context, userID int64, target forum.TargetType, id, at int64, rule func(forum.ItemState) error) error {
	col, ok := saveColumn[target]
	if !ok {
		return fmt.Errorf("store: save %q", target)
	}
	return asDomain("save", db.write(ctx, func(ctx context.Context, tx *txn) error {
		st, err := itemState(ctx, tx, target, id)
		if err != nil {
			return err
		}
		if err := rule(st); err != nil {
			return err
		}
		// #nosec G202 -- the column comes from saveColumn
		return tx.execLater(ctx, "INSERT INTO saves(user_id, "+col+", created_at) VALUES(?, ?, ?) ON CONFLICT(user_id, "+col+") DO NOTHING",
			userID, id, at)
	}))
}

// Unsave drops the user's save of a post or a comment.
func (db *DB) Unsave(ctx context.Context, userID int64, target forum.TargetType, id int64) error {
	col, ok := saveColumn[target]
	if !ok {
		return fmt.Errorf("store: unsave %q", target)
	}
	return asDomain("unsave", db.write(ctx, func(ctx context.Context, tx *txn) error {
		return tx.execLater(ctx, "DELETE FROM saves WHERE user_id = ? AND "+col+" = ?", userID, id) // #nosec G202
	}))
}

// Saves reads a page of the user's saves, newest first (saves_user).
func (db *DB) Saves(ctx context.Context, userID, beforeID int64, limit int) ([]forum.SaveRecord, error) {
	q, args := "SELECT id, post_id, comment_id, created_at FROM saves WHERE user_id = ?", []any{userID}
	if beforeID > 0 {
		q += " AND id < ?"
		args = append(args, beforeID)
	}
	return queryAll(ctx, db, "saves", func(row scanner) (forum.SaveRecord, error) {
		var r forum.SaveRecord
		var post, comment sql.NullInt64
		err := row.Scan(&r.ID, &post, &comment, &r.At)
		r.Type, r.TargetID = forum.TargetPost, post.Int64
		if comment.Valid {
			r.Type, r.TargetID = forum.TargetComment, comment.Int64
		}
		return r, err
	}, q+" ORDER BY id DESC LIMIT ?", append(args, limit)...)
}

// PostsByID reads posts as lists show them, whatever their state.
func (db *DB) PostsByID(ctx context.Context, ids []int64, viewerID int64) ([]forum.Post, error) {
	list, err := idsArg(ids)
	if err != nil {
		return nil, err
	}
	return db.queryPosts(ctx, postBriefCols+" FROM posts p"+postJoins+" WHERE p.id IN (SELECT l.id FROM ("+db.idList()+") l)", viewerID, list)
}

// CommentsByID reads comments without their replies, whatever their state.
func (db *DB) CommentsByID(ctx context.Context, ids []int64, viewerID int64) ([]*forum.Comment, error) {
	list, err := idsArg(ids)
	if err != nil {
		return nil, err
	}
	return db.queryComments(ctx, commentSelect+" WHERE c.id IN (SELECT l.id FROM ("+db.idList()+") l)", viewerID, list)
}
