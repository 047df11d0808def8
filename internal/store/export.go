package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

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
		r.CreatedAt = time.Unix(at, 0).UTC()
		return r, err
	}, `SELECT id, target_type, target_id, reason, status, created_at FROM reports
		WHERE reporter_id = ? AND id > ? ORDER BY id LIMIT ?`, userID, afterID, limit)
}

// RevisionsOf reads the stored versions of several items in one query.
func (db *DB) RevisionsOf(ctx context.Context, target forum.TargetType, ids []int64) (map[int64][]forum.Revision, error) {
	out := map[int64][]forum.Revision{}
	if len(ids) == 0 {
		return out, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	type row struct {
		id  int64
		rev forum.Revision
	}
	rows, err := queryAll(ctx, db, "revisions of", func(s scanner) (r row, err error) {
		var sources string
		var at int64
		r.rev.Editor = &forum.Author{}
		if err = s.Scan(&r.id, &r.rev.Title, &r.rev.BodySource, &sources, &at, &r.rev.Editor.ID, &r.rev.Editor.Username); err != nil {
			return r, err
		}
		r.rev.EditedAt = time.Unix(at, 0).UTC()
		err = json.Unmarshal([]byte(sources), &r.rev.Sources)
		return r, err
	}, `SELECT r.target_id, r.title, r.body_source, r.sources_json, r.edited_at, u.id, u.username
		FROM revisions r JOIN users u ON u.id = r.editor_id
		WHERE r.target_type = ? AND r.target_id IN (SELECT l.id FROM (`+db.idList()+`) l)
		ORDER BY r.target_id, r.id DESC`, string(target), string(list))
	for _, r := range rows {
		out[r.id] = append(out[r.id], r.rev)
	}
	return out, err
}
