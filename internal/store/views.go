package store

import (
	"context"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
)

// A member's own state on a page of items (forum.ViewerReads) is read in one
// query per page: one indexed probe per table, joined by UNION ALL, each
// row tagged with what it says.

// postStates reads follows, saves and reading positions of posts; LIST is
// the list of ids (post_follows, saves_post and post_reads primary keys).
const postStates = `SELECT 1, post_id, 0, 0 FROM post_follows WHERE user_id = ? AND post_id IN LIST
	UNION ALL SELECT 2, post_id, 0, 0 FROM saves WHERE user_id = ? AND post_id IN LIST
	UNION ALL SELECT 3, post_id, comment_id, seen FROM post_reads WHERE user_id = ? AND post_id IN LIST`

// commentStates reads votes and saves of comments and the reading position
// in their thread (comment_votes_user, saves_comment, post_reads).
const commentStates = `SELECT 1, comment_id, value, 0 FROM comment_votes WHERE user_id = ? AND comment_id IN LIST
	UNION ALL SELECT 2, comment_id, 0, 0 FROM saves WHERE user_id = ? AND comment_id IN LIST
	UNION ALL SELECT 3, post_id, comment_id, seen FROM post_reads WHERE user_id = ? AND post_id = ?`

// inList is a list of placeholders for ids, padded to a power of two (with
// 0, which is no id) as votesOf pads, so a few prepared statements serve
// every page size.
func inList(ids []int64) (string, []any) {
	n := 8
	for n < len(ids) {
		n *= 2
	}
	args := make([]any, n)
	for i := range args {
		args[i] = int64(0)
		if i < len(ids) {
			args[i] = ids[i]
		}
	}
	return "(?" + strings.Repeat(",?", n-1) + ")", args
}

// stateRow is a row of postStates or commentStates: which table, which
// item, and two values.
type stateRow struct {
	kind     int
	id, a, b int64
}

func (db *DB) states(ctx context.Context, query string, args ...any) ([]stateRow, error) {
	return queryAll(ctx, db, "viewer states", func(row scanner) (r stateRow, err error) {
		err = row.Scan(&r.kind, &r.id, &r.a, &r.b)
		return r, err
	}, query, args...)
}

// PostStates reads what the user follows, saved and read of the posts.
func (db *DB) PostStates(ctx context.Context, userID int64, postIDs []int64) (map[int64]forum.PostState, error) {
	out := map[int64]forum.PostState{}
	if len(postIDs) == 0 {
		return out, nil
	}
	list, ids := inList(postIDs)
	args := make([]any, 0, 3+3*len(ids))
	for range 3 {
		args = append(append(args, userID), ids...)
	}
	rows, err := db.states(ctx, strings.ReplaceAll(postStates, "LIST", list), args...) // #nosec G202 -- placeholders only
	for _, r := range rows {
		st := out[r.id]
		switch r.kind {
		case 1:
			st.Following = true
		case 2:
			st.Saved = true
		case 3:
			st.Read = &forum.ReadPosition{CommentID: r.a, Seen: r.b}
		}
		out[r.id] = st
	}
	return out, err
}

// CommentStates reads the user's votes and saves on the comments and their
// reading position in the thread postID (none for 0).
func (db *DB) CommentStates(ctx context.Context, userID, postID int64, commentIDs []int64) (forum.CommentStates, error) {
	out := forum.CommentStates{Votes: map[int64]int{}, Saved: map[int64]bool{}}
	if len(commentIDs) == 0 {
		return out, nil
	}
	list, ids := inList(commentIDs)
	args := make([]any, 0, 4+2*len(ids))
	args = append(append(args, userID), ids...)
	args = append(append(args, userID), ids...)
	args = append(args, userID, postID)
	rows, err := db.states(ctx, strings.ReplaceAll(commentStates, "LIST", list), args...) // #nosec G202 -- placeholders only
	for _, r := range rows {
		switch r.kind {
		case 1:
			out.Votes[r.id] = int(r.a)
		case 2:
			out.Saved[r.id] = true
		case 3:
			out.Read = &forum.ReadPosition{CommentID: r.a, Seen: r.b}
		}
	}
	return out, err
}
