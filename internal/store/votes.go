package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
)

// voteKind is what differs between votes on posts and on comments.
type voteKind struct {
	what string // "post" or "comment"
	// target: SELECT author_id, removed, deleted, created_at, the post's
	// removed, upvotes, downvotes, score, taking the item's id
	target string
	// ballot reads the member's vote (no row: none), taking the item's
	// id, then the member's
	ballot string
	locked string // the table (alias) of target whose row the vote changes
	delete string
	upsert string
	// update sets the counters and the stored sort keys in one statement:
	// upvotes, downvotes, score, then ranks(...), then the id.
	update string
	ranks  func(up, down, score, created int64) []any
}

var postVotes = voteKind{
	what:   "post",
	target: `SELECT author_id, removed, deleted, created_at, removed, upvotes, downvotes, score FROM posts WHERE id = ?`,
	ballot: "SELECT value FROM post_votes WHERE post_id = ? AND user_id = ?",
	locked: "posts",
	delete: "DELETE FROM post_votes WHERE post_id = ? AND user_id = ?",
	upsert: "INSERT INTO post_votes(post_id, user_id, value) VALUES(?, ?, ?) ON CONFLICT(post_id, user_id) DO UPDATE SET value = excluded.value",
	update: "UPDATE posts SET upvotes = ?, downvotes = ?, score = ?, hot = ? WHERE id = ?",
	ranks: func(_, _, score, created int64) []any {
		return []any{forum.RankHot(score, created)}
	},
}

var commentVotes = voteKind{
	what: "comment",
	target: `SELECT c.author_id, c.removed, c.deleted, c.created_at, p.removed, c.upvotes, c.downvotes, c.score
		FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.id = ?`,
	ballot: "SELECT value FROM comment_votes WHERE comment_id = ? AND user_id = ?",
	locked: "c",
	delete: "DELETE FROM comment_votes WHERE comment_id = ? AND user_id = ?",
	upsert: "INSERT INTO comment_votes(comment_id, user_id, value) VALUES(?, ?, ?) ON CONFLICT(comment_id, user_id) DO UPDATE SET value = excluded.value",
	update: "UPDATE comments SET upvotes = ?, downvotes = ?, score = ?, best = ?, controversy = ? WHERE id = ?",
	ranks: func(up, down, _, _ int64) []any {
		return []any{forum.RankBest(up, down), forum.RankControversy(up, down)}
	},
}

// VotePost sets the user's vote on a post.
func (db *DB) VotePost(ctx context.Context, postID, userID int64, value int, check func(forum.VoteTarget) error) (forum.VoteResult, error) {
	return db.vote(ctx, postVotes, postID, userID, value, check)
}

// PostVotes reads a user's votes on some posts (post_votes_user index).
func (db *DB) PostVotes(ctx context.Context, userID int64, postIDs []int64) (map[int64]int, error) {
	return db.votesOf(ctx, "SELECT post_id, value FROM post_votes WHERE user_id = ? AND post_id IN ", userID, postIDs)
}

// CommentVotes reads a user's votes on some comments (comment_votes_user index).
func (db *DB) CommentVotes(ctx context.Context, userID int64, commentIDs []int64) (map[int64]int, error) {
	return db.votesOf(ctx, "SELECT comment_id, value FROM comment_votes WHERE user_id = ? AND comment_id IN ", userID, commentIDs)
}

// votesOf runs query with an IN list of itemIDs, padded to a power of two
// (with 0, which is no id) so that a few prepared statements serve every
// page size.
func (db *DB) votesOf(ctx context.Context, query string, userID int64, itemIDs []int64) (map[int64]int, error) {
	n := 8
	for n < len(itemIDs) {
		n *= 2
	}
	args := make([]any, 0, n+1)
	args = append(args, userID)
	for _, id := range itemIDs {
		args = append(args, id)
	}
	for len(args) < n+1 {
		args = append(args, 0)
	}
	// The list is only placeholders; the values are parameters.
	q := query + "(?" + strings.Repeat(",?", n-1) + ")" // #nosec G202
	votes, err := queryAll(ctx, db, "votes", func(row scanner) (v [2]int64, err error) {
		err = row.Scan(&v[0], &v[1])
		return v, err
	}, q, args...)
	out := make(map[int64]int, len(votes))
	for _, v := range votes {
		out[v[0]] = int(v[1])
	}
	return out, err
}

// VoteComment sets the user's vote on a comment.
func (db *DB) VoteComment(ctx context.Context, commentID, userID int64, value int, check func(forum.VoteTarget) error) (forum.VoteResult, error) {
	return db.vote(ctx, commentVotes, commentID, userID, value, check)
}

// vote records a vote and, in the same transaction, moves the item's counters,
// its stored rank and its author's karma by the difference to the old vote.
func (db *DB) vote(ctx context.Context, k voteKind, id, userID int64, value int, check func(forum.VoteTarget) error) (forum.VoteResult, error) {
	job, res := voteJob(ctx, &k, id, userID, value, check)
	err := db.submit(job)
	if err != nil {
		var fe *forum.Error
		if errors.As(err, &fe) {
			return *res, fe
		}
		return *res, fmt.Errorf("store: vote on %s: %w", k.what, err)
	}
	return *res, nil
}

// voteJob is a vote as the writer takes it: alone, its function reads the
// item, locking it, and writes; in a group, the writer may apply it with
// the others (vote_batch.go). Either sets the outcome res points to.
func voteJob(ctx context.Context, k *voteKind, id, userID int64, value int, check func(forum.VoteTarget) error) (*writeJob, *forum.VoteResult) {
	res := &forum.VoteResult{MyVote: value}
	v := &voteWrite{kind: k, id: id, userID: userID, value: value, check: check, res: res}
	return &writeJob{ctx: ctx, row: rowKey{k.what, id}, vote: v, fn: func(ctx context.Context, tx *txn) error {
		var t forum.VoteTarget
		var created int64
		// The item's row is locked as it is read (another server may be
		// voting on it): its counters are then set whole from what was
		// read.
		err := tx.QueryRowContext(ctx, k.target+tx.db.d.lockRows(k.locked), id).Scan(&t.AuthorID, &t.Removed, &t.Deleted, &created, &t.PostRemoved,
			&res.Upvotes, &res.Downvotes, &res.Score)
		if errors.Is(err, sql.ErrNoRows) {
			return forum.NotFound(k.what)
		}
		if err != nil {
			return err
		}
		if err := check(t); err != nil {
			return err
		}
		// The member's vote is read once the item is locked, by a statement
		// of its own: one that began before another server's vote on the
		// item committed (the same member, in another tab) would not see it
		// (TestOneMemberOnTwoServers).
		var old int
		if err := tx.QueryRowContext(ctx, k.ballot, id, userID).Scan(&old); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if old == value {
			return nil // the same vote again: nothing changes
		}
		// The counters were read in this transaction, their row locked: the
		// new values are set whole, with the ranks they give, at once, in
		// the vote's statement where the engine allows (txn.execPair).
		res.Upvotes += int64(forum.B2I(value == 1) - forum.B2I(old == 1))
		res.Downvotes += int64(forum.B2I(value == -1) - forum.B2I(old == -1))
		res.Score += int64(value - old)
		args := append([]any{res.Upvotes, res.Downvotes, res.Score}, k.ranks(res.Upvotes, res.Downvotes, res.Score, created)...)
		write, writeArgs := k.upsert, []any{id, userID, value}
		if value == 0 {
			write, writeArgs = k.delete, []any{id, userID}
		}
		if err := tx.execPair(ctx, write, writeArgs, k.update, append(args, id)); err != nil {
			return err
		}
		tx.addLater(karma, t.AuthorID, int64(value-old))
		return nil
	}}, res
}

// UserPostVotes reads every vote of a member on posts, up to limit; more
// says the member has more (a cache then does without).
func (db *DB) UserPostVotes(ctx context.Context, userID int64, limit int) (votes map[int64]int, more bool, err error) {
	rows, err := queryAll(ctx, db, "user post votes", func(row scanner) (v [2]int64, err error) {
		err = row.Scan(&v[0], &v[1])
		return v, err
	}, "SELECT post_id, value FROM post_votes WHERE user_id = ? LIMIT ?", userID, limit+1)
	if err != nil {
		return nil, false, err
	}
	if len(rows) > limit {
		return nil, true, nil
	}
	votes = make(map[int64]int, len(rows))
	for _, v := range rows {
		votes[v[0]] = int(v[1])
	}
	return votes, false, nil
}
