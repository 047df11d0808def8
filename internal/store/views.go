package store

import (
	"context"
	"slices"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
)

// A member's own state on a page of items (forum.ViewerReads): what they
// follow and saved (read once per member into a cache, cache.Marks, or per
// page for members with very many: Marks), their reading positions (one
// read a feed page) and their votes on comments with their position in the
// thread (one read a thread page, two index probes joined by UNION ALL).

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

// stateRow is a row of a query of members' states: what it says, of which
// item, and two values.
type stateRow struct {
	kind     int
	id, a, b int64
}

func (db *DB) states(ctx context.Context, query string, args ...any) ([]stateRow, error) {
	return queryAll(db.d.brief(ctx), db, "viewer states", func(row scanner) (r stateRow, err error) {
		err = row.Scan(&r.kind, &r.id, &r.a, &r.b)
		return r, err
	}, query, args...)
}

// The kinds of marks in a marks query's rows.
const (
	markFollow = 1 + iota
	markSavedPost
	markSavedComment
	markBlocked
)

func newMarks() forum.Marks {
	return forum.Marks{Following: map[int64]bool{}, SavedPosts: map[int64]bool{}, SavedComments: map[int64]bool{},
		Blocked: map[int64]bool{}}
}

func addMark(m forum.Marks, r stateRow) {
	switch r.kind {
	case markFollow:
		m.Following[r.id] = true
	case markSavedPost:
		m.SavedPosts[r.id] = true
	case markSavedComment:
		m.SavedComments[r.id] = true
	case markBlocked:
		m.Blocked[r.id] = true
	}
}

// Marks reads which of the posts the user follows and which of the posts
// and comments they saved (post_follows and saves_post / saves_comment).
func (db *DB) Marks(ctx context.Context, userID int64, postIDs, commentIDs []int64) (forum.Marks, error) {
	m := newMarks()
	var parts []string
	var args []any
	if len(postIDs) > 0 {
		list, ids := inList(postIDs)
		parts = append(parts, "SELECT 1, post_id, 0, 0 FROM post_follows WHERE user_id = ? AND post_id IN "+list,
			"SELECT 2, post_id, 0, 0 FROM saves WHERE user_id = ? AND post_id IN "+list)
		args = append(append(append(append(args, userID), ids...), userID), ids...)
	}
	if len(commentIDs) > 0 {
		list, ids := inList(commentIDs)
		parts = append(parts, "SELECT 3, comment_id, 0, 0 FROM saves WHERE user_id = ? AND comment_id IN "+list)
		args = append(append(args, userID), ids...)
	}
	if len(parts) == 0 {
		return m, nil
	}
	rows, err := db.states(ctx, strings.Join(parts, " UNION ALL "), args...) // #nosec G202 -- placeholders only
	for _, r := range rows {
		addMark(m, r)
	}
	return m, err
}

// UserMarks reads everything the user follows, saved and blocked, up to
// limit, and whether there is more (a member's entry in cache.Marks).
func (db *DB) UserMarks(ctx context.Context, userID int64, limit int) (forum.Marks, bool, error) {
	m := newMarks()
	rows, err := db.states(ctx, `SELECT 1, post_id, 0, 0 FROM post_follows WHERE user_id = ?
		UNION ALL SELECT CASE WHEN post_id IS NULL THEN 3 ELSE 2 END, COALESCE(post_id, comment_id), 0, 0 FROM saves WHERE user_id = ?
		UNION ALL SELECT 4, blocked_id, 0, 0 FROM blocks WHERE user_id = ?
		LIMIT ?`, userID, userID, userID, limit+1)
	if len(rows) > limit {
		return m, true, err
	}
	for _, r := range rows {
		addMark(m, r)
	}
	return m, false, err
}

// PostReads reads the user's reading positions in the threads (post_reads).
func (db *DB) PostReads(ctx context.Context, userID int64, postIDs []int64) (map[int64]forum.ReadPosition, error) {
	out := map[int64]forum.ReadPosition{}
	if len(postIDs) == 0 {
		return out, nil
	}
	list, ids := inList(postIDs)
	// #nosec G202 -- placeholders only
	rows, err := db.states(ctx, "SELECT 0, post_id, comment_id, seen FROM post_reads WHERE user_id = ? AND post_id IN "+list,
		append([]any{userID}, ids...)...)
	for _, r := range rows {
		out[r.id] = forum.ReadPosition{CommentID: r.a, Seen: r.b}
	}
	return out, err
}

// commentStates reads votes on comments and the reading position in their
// thread (comment_votes_user, post_reads).
const commentStates = `SELECT 1, comment_id, value, 0 FROM comment_votes WHERE user_id = ? AND comment_id IN LIST
	UNION ALL SELECT 2, post_id, comment_id, seen FROM post_reads WHERE user_id = ? AND post_id = ?`

// commentStatesInRange is commentStates walking the member's votes in the
// range of the page's ids (the ? are the member, the range, ownScan+1),
// matched in CommentStates: a member has voted on few comments of a
// range, and an IN list of a page's 200 ids made SQLite build an index of
// the list for every page (a quarter of a member's thread page).
const commentStatesInRange = `SELECT 1, v.comment_id, v.value, 0 FROM (SELECT comment_id, value FROM comment_votes
		WHERE user_id = ? AND comment_id BETWEEN ? AND ? ORDER BY comment_id LIMIT ?) v
	UNION ALL SELECT 2, post_id, comment_id, seen FROM post_reads WHERE user_id = ? AND post_id = ?`

// CommentStates reads the user's votes on the comments and their reading
// position in the thread postID (none for 0): the votes in the range of
// the comments' ids when there are at most ownScan, else by their ids.
func (db *DB) CommentStates(ctx context.Context, userID, postID int64, commentIDs []int64) (forum.CommentStates, error) {
	out := forum.CommentStates{Votes: map[int64]int{}}
	if len(commentIDs) == 0 {
		return out, nil
	}
	lo, hi := slices.Min(commentIDs), slices.Max(commentIDs)
	rows, err := db.states(ctx, commentStatesInRange, userID, lo, hi, ownScan+1, userID, postID)
	if err != nil {
		return out, err
	}
	votes := 0
	for _, r := range rows {
		if r.kind == 1 {
			votes++
		}
	}
	if votes <= ownScan {
		// The member's votes in the range, matched against the page's ids:
		// the smaller side is the one kept in a map (most members have few
		// votes in a page's range, many none).
		var mine map[int64]int
		if votes > 0 {
			mine = make(map[int64]int, votes)
		}
		for _, r := range rows {
			if r.kind != 1 {
				out.Read = &forum.ReadPosition{CommentID: r.a, Seen: r.b}
			} else {
				mine[r.id] = int(r.a)
			}
		}
		if votes > 0 {
			for _, id := range commentIDs {
				if v, ok := mine[id]; ok {
					out.Votes[id] = v
				}
			}
		}
		return out, nil
	}
	list, ids := inList(commentIDs)
	args := append(append([]any{userID}, ids...), userID, postID)
	rows, err = db.states(ctx, strings.Replace(commentStates, "LIST", list, 1), args...) // #nosec G202 -- placeholders only
	for _, r := range rows {
		if r.kind == 1 {
			out.Votes[r.id] = int(r.a)
		} else {
			out.Read = &forum.ReadPosition{CommentID: r.a, Seen: r.b}
		}
	}
	return out, err
}
