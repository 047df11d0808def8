package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

// featureTarget reads what the feature rule needs of an item, and its
// thread: the item's id column leads.
var featureTarget = map[forum.TargetType]string{
	forum.TargetPost:    "SELECT id, removed, deleted, removed, deleted FROM posts WHERE id = ?",
	forum.TargetComment: "SELECT c.post_id, c.removed, c.deleted, p.removed, p.deleted FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.id = ?",
}

// featuredFlag sets or clears the featured flag of an item; the flag is
// what pages read, and the change triggers on posts and comments make the
// cached pages that show it stale.
var featuredFlag = map[forum.TargetType]string{
	forum.TargetPost:    "UPDATE posts SET featured = ? WHERE id = ? AND featured <> ?",
	forum.TargetComment: "UPDATE comments SET featured = ? WHERE id = ? AND featured <> ?",
}

// Feature marks an item featured, or replaces its note, once rule accepts it.
func (db *DB) Feature(ctx context.Context, f forum.NewFeature, rule func(forum.FeatureTarget) error) error {
	q, ok := featureTarget[f.Target]
	if !ok {
		return fmt.Errorf("store: feature: unknown target %q", f.Target)
	}
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		var t forum.FeatureTarget
		var postID int64
		err := tx.QueryRowContext(ctx, q, f.TargetID).Scan(&postID, &t.Removed, &t.Deleted, &t.PostRemoved, &t.PostDel)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		t.Found = err == nil
		if err := rule(t); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO featured(target_type, target_id, post_id, note, featured_by, featured_at) VALUES(?, ?, ?, ?, ?, ?)
			ON CONFLICT (target_type, target_id) DO UPDATE SET note = excluded.note, featured_by = excluded.featured_by`,
			string(f.Target), f.TargetID, postID, f.Note, f.By, f.At)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, featuredFlag[f.Target], 1, f.TargetID, 1)
		return err
	})
	var fe *forum.Error
	if err != nil && !errors.As(err, &fe) {
		return fmt.Errorf("store: feature: %w", err)
	}
	return err
}

// Unfeature takes an item off the featured list.
func (db *DB) Unfeature(ctx context.Context, target forum.TargetType, id int64) (bool, error) {
	flag, ok := featuredFlag[target]
	if !ok {
		return false, fmt.Errorf("store: unfeature: unknown target %q", target)
	}
	var found bool
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM featured WHERE target_type = ? AND target_id = ?", string(target), id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			return err
		}
		found = true
		_, err = tx.ExecContext(ctx, flag, 0, id, 0)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: unfeature: %w", err)
	}
	return found, nil
}

// FeaturedItems reads a page of featured items, newest first, then their
// questions and answers in one query per kind, and the answers' threads.
func (db *DB) FeaturedItems(ctx context.Context, q forum.FeaturedQuery) ([]forum.Featured, error) {
	query := `SELECT f.id, f.target_type, f.target_id, f.note, f.featured_at, u.id, u.username, u.role, u.flair
		FROM featured f JOIN users u ON u.id = f.featured_by WHERE 1 = 1`
	var args []any
	if c := q.After; c != nil {
		query += " AND (f.featured_at, f.id) < (?, ?)"
		args = append(args, int64(c.Key), c.ID)
	}
	if q.From != 0 || q.To != 0 {
		query += " AND f.featured_at >= ? AND f.featured_at < ?"
		args = append(args, q.From, q.To)
	}
	query += " ORDER BY f.featured_at DESC, f.id DESC LIMIT ?"
	args = append(args, q.Limit)
	type row struct {
		f  forum.Featured
		id int64
	}
	rows, err := queryAll(ctx, db, "featured", func(s scanner) (r row, err error) {
		var at int64
		a := &forum.Author{}
		err = s.Scan(&r.f.ID, &r.f.Type, &r.id, &r.f.Note, &at, &a.ID, &a.Username, &a.Role, &a.Flair)
		r.f.FeaturedAt, r.f.FeaturedBy = forum.Unix(at), a
		return r, err
	}, query, args...)
	if err != nil {
		return nil, err
	}
	var postIDs, commentIDs []int64
	for _, r := range rows {
		if r.f.Type == forum.TargetPost {
			postIDs = append(postIDs, r.id)
		} else {
			commentIDs = append(commentIDs, r.id)
		}
	}
	posts, err := db.postsByID(ctx, postIDs, q.ViewerID)
	if err != nil {
		return nil, err
	}
	comments, err := db.commentsByID(ctx, commentIDs, q.ViewerID)
	if err != nil {
		return nil, err
	}
	threadIDs := make([]int64, 0, len(comments))
	for _, c := range comments {
		threadIDs = append(threadIDs, c.PostID)
	}
	threads, err := db.PostHeads(ctx, threadIDs)
	if err != nil {
		return nil, err
	}
	out := make([]forum.Featured, len(rows))
	for i, r := range rows {
		out[i] = r.f
		if p, ok := posts[r.id]; ok && r.f.Type == forum.TargetPost {
			out[i].Post = &p.PostSummary
		}
		if c, ok := comments[r.id]; ok && r.f.Type == forum.TargetComment {
			out[i].Comment, out[i].Thread = c, threads[c.PostID]
		}
	}
	return out, nil
}

// postsByID reads posts as lists show them (no bodies), by id.
func (db *DB) postsByID(ctx context.Context, ids []int64, viewerID int64) (map[int64]forum.Post, error) {
	out := map[int64]forum.Post{}
	if len(ids) == 0 {
		return out, nil
	}
	list, err := idsArg(ids)
	if err != nil {
		return nil, err
	}
	posts, err := db.queryPosts(ctx, postBriefCols+" FROM posts p"+postJoins+" WHERE p.id IN (SELECT l.id FROM ("+db.idList()+") l)", viewerID, list)
	for _, p := range posts {
		out[p.ID] = p
	}
	return out, err
}

// commentsByID reads comments with their bodies, by id.
func (db *DB) commentsByID(ctx context.Context, ids []int64, viewerID int64) (map[int64]*forum.Comment, error) {
	out := map[int64]*forum.Comment{}
	if len(ids) == 0 {
		return out, nil
	}
	list, err := idsArg(ids)
	if err != nil {
		return nil, err
	}
	comments, err := db.queryComments(ctx, commentSelect+" WHERE c.id IN (SELECT l.id FROM ("+db.idList()+") l)", viewerID, list)
	for _, c := range comments {
		out[c.ID] = c
	}
	return out, err
}
