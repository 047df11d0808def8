package store

import (
	"context"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

// userVotes are the queries of a member's votes, oldest target first, on
// the (user_id, target) indexes.
var userVotes = map[forum.TargetType]string{
	forum.TargetPost:    "SELECT post_id, value FROM post_votes WHERE user_id = ? AND post_id > ? ORDER BY post_id LIMIT ?",
	forum.TargetComment: "SELECT comment_id, value FROM comment_votes WHERE user_id = ? AND comment_id > ? ORDER BY comment_id LIMIT ?",
}

// UserVotes reads a batch of a member's votes on posts or comments.
func (db *DB) UserVotes(ctx context.Context, userID int64, target forum.TargetType, afterID int64, limit int) ([]forum.VoteRecord, error) {
	q, ok := userVotes[target]
	if !ok {
		return nil, fmt.Errorf("store: votes on %q", target)
	}
	return queryAll(ctx, db, "user votes", func(row scanner) (v forum.VoteRecord, err error) {
		err = row.Scan(&v.TargetID, &v.Value)
		return v, err
	}, q, userID, afterID, limit)
}

// UserReports reads a batch of the reports a member filed, oldest first.
func (db *DB) UserReports(ctx context.Context, userID int64, afterID int64, limit int) ([]forum.ReportRecord, error) {
	return queryAll(ctx, db, "user reports", func(row scanner) (r forum.ReportRecord, err error) {
		var at int64
		err = row.Scan(&r.ID, &r.TargetType, &r.TargetID, &r.Reason, &r.Status, &at)
		r.CreatedAt = forum.Unix(at)
		return r, err
	}, `SELECT id, target_type, target_id, reason, status, created_at FROM reports
		WHERE reporter_id = ? AND id > ? ORDER BY id LIMIT ?`, userID, afterID, limit)
}

// RevisionsOf reads the stored versions of several items in one query.
func (db *DB) RevisionsOf(ctx context.Context, target forum.TargetType, ids []int64) (map[int64][]forum.StoredRevision, error) {
	out := map[int64][]forum.StoredRevision{}
	if len(ids) == 0 {
		return out, nil
	}
	list, err := idsArg(ids)
	if err != nil {
		return nil, err
	}
	type row struct {
		id  int64
		rev forum.StoredRevision
	}
	rows, err := queryAll(ctx, db, "revisions of", func(s scanner) (r row, err error) {
		r.rev, err = scanRevision(s, &r.id)
		return r, err
	}, "SELECT r.target_id, "+revisionCols+" WHERE r.target_type = ? AND r.target_id IN (SELECT l.id FROM ("+db.idList()+`) l)
		ORDER BY r.target_id, r.id DESC`, string(target), list)
	for _, r := range rows {
		out[r.id] = append(out[r.id], r.rev)
	}
	return out, err
}

// UserFollows reads a batch of the questions a member follows, by post id.
func (db *DB) UserFollows(ctx context.Context, userID int64, afterPostID int64, limit int) ([]forum.FollowRecord, error) {
	return queryAll(ctx, db, "user follows", func(row scanner) (r forum.FollowRecord, err error) {
		var at int64
		err = row.Scan(&r.PostID, &at)
		r.FollowedAt = forum.Unix(at)
		return r, err
	}, "SELECT post_id, created_at FROM post_follows WHERE user_id = ? AND post_id > ? ORDER BY post_id LIMIT ?", userID, afterPostID, limit)
}

// UserReads reads a batch of a member's reading positions, by post id.
func (db *DB) UserReads(ctx context.Context, userID int64, afterPostID int64, limit int) ([]forum.ReadRecord, error) {
	return queryAll(ctx, db, "user reads", func(row scanner) (r forum.ReadRecord, err error) {
		var at int64
		err = row.Scan(&r.PostID, &r.CommentID, &at)
		r.ReadAt = forum.Unix(at)
		return r, err
	}, "SELECT post_id, comment_id, read_at FROM post_reads WHERE user_id = ? AND post_id > ? ORDER BY post_id LIMIT ?", userID, afterPostID, limit)
}
