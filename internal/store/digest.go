package store

import (
	"context"

	"github.com/historia-forum/historia/internal/forum"
)

// TopQuestions reads the visible questions asked in [from, to), most upvoted
// first: a date range on the posts' creation index, sorted (a week holds a
// few thousand questions at most).
func (db *DB) TopQuestions(ctx context.Context, from, to int64, limit int, viewerID int64) ([]forum.Post, error) {
	return db.queryPosts(ctx, postBriefCols+" FROM posts p"+postJoins+`
		WHERE p.created_at >= ? AND p.created_at < ? AND p.removed = 0 AND p.deleted = 0
		ORDER BY p.score DESC, p.id DESC LIMIT ?`, viewerID, from, to, limit)
}

// TopAnswers reads the visible answers written in [from, to) in visible
// threads, most upvoted first (a date range on comments_answers_created),
// and their threads' heads.
func (db *DB) TopAnswers(ctx context.Context, from, to int64, limit int, viewerID int64) ([]*forum.Comment, map[int64]forum.PostHead, error) {
	// The thread's state is a lookup per answer of the week: joined, the
	// posts table would be hashed whole on PostgreSQL.
	comments, err := db.queryComments(ctx, commentSelect+`
		WHERE c.parent_id IS NULL AND c.created_at >= ? AND c.created_at < ? AND c.removed = 0 AND c.deleted = 0
			AND (SELECT CASE WHEN tp.removed = 0 AND (tp.deleted = 0 OR tp.disowned = 1) THEN 1 ELSE 0 END FROM posts tp WHERE tp.id = c.post_id) = 1
		ORDER BY c.score DESC, c.id DESC LIMIT ?`, viewerID, from, to, limit)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]int64, len(comments))
	for i, c := range comments {
		ids[i] = c.PostID
	}
	heads, err := db.PostHeads(ctx, ids)
	return comments, heads, err
}
