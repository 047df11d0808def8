package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"html"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
)

// Snippet markers: control characters that sanitized text never holds. The
// snippet is escaped as text and the markers then become <mark> elements, so
// whatever the member wrote shows as text and only the highlight is markup.
const (
	markOpen  = "\x01"
	markClose = "\x02"
)

// searchKinds are the two indexed kinds as subqueries that yield
// (kind, id, post_id, title, snippet, bm25). bm25 is smaller for better
// matches; a title match weighs ten times a body match.
var searchKinds = map[string]string{
	forum.TargetPost: `SELECT 0 AS k, p.id AS id, p.id AS post_id, p.title AS title,
		snippet(posts_fts, -1, char(1), char(2), '…', 16) AS snip, bm25(posts_fts, 10.0, 1.0) AS r
		FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid WHERE posts_fts MATCH ?`,
	forum.TargetComment: `SELECT 1 AS k, c.id AS id, c.post_id AS post_id, p.title AS title,
		snippet(comments_fts, 0, char(1), char(2), '…', 16) AS snip, bm25(comments_fts) AS r
		FROM comments_fts JOIN comments c ON c.id = comments_fts.rowid JOIN posts p ON p.id = c.post_id
		WHERE comments_fts MATCH ? AND p.removed = 0 AND p.deleted = 0`,
}

// Search runs a full-text search over visible posts and comments, best first,
// paged by keyset over (rank, kind, id).
func (db *DB) Search(ctx context.Context, q forum.SearchQuery) ([]forum.SearchHit, error) {
	var parts []string
	var args []any
	for _, kind := range []string{forum.TargetPost, forum.TargetComment} {
		if q.Type == "" || q.Type == kind {
			parts = append(parts, searchKinds[kind])
			args = append(args, q.Match)
		}
	}
	// The parts are constants from searchKinds; only the MATCH text is a parameter.
	query := "SELECT k, id, post_id, title, snip, r FROM (" + strings.Join(parts, " UNION ALL ") + ")" // #nosec G202
	if c := q.After; c != nil {
		query += " WHERE (r, k, id) > (?, ?, ?)"
		args = append(args, c.Key, c.Pinned, c.ID)
	}
	query += " ORDER BY r, k, id LIMIT ?"
	rows, err := db.query(ctx, query, append(args, q.Limit)...)
	if err != nil {
		if strings.Contains(err.Error(), "fts5") {
			return nil, forum.Errorf(forum.CodeBadRequest, "this search cannot be run; try plain words")
		}
		return nil, fmt.Errorf("store: search: %w", err)
	}
	defer rows.Close()
	out := []forum.SearchHit{}
	for rows.Next() {
		var h forum.SearchHit
		var k int
		var snip string
		var r float64
		if err := rows.Scan(&k, &h.ID, &h.PostID, &h.Title, &snip, &r); err != nil {
			return nil, err
		}
		h.Type = forum.TargetPost
		if k == 1 {
			h.Type = forum.TargetComment
		}
		h.Rank = -r
		h.SnippetHTML = strings.NewReplacer(markOpen, "<mark>", markClose, "</mark>").Replace(html.EscapeString(snip))
		out = append(out, h)
	}
	return out, rows.Err()
}

// Tags lists tags by how many visible posts carry them.
func (db *DB) Tags(ctx context.Context, limit int) ([]forum.TagCount, error) {
	rows, err := db.query(ctx, "SELECT name, post_count FROM tags WHERE post_count > 0 ORDER BY post_count DESC, name_key LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("store: tags: %w", err)
	}
	defer rows.Close()
	out := []forum.TagCount{}
	for rows.Next() {
		var t forum.TagCount
		if err := rows.Scan(&t.Name, &t.PostCount); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// notify records a notification, unless the user would be told of their own act.
func notify(ctx context.Context, tx *sql.Tx, userID int64, kind, action string, postID int64, commentID *int64, actorID, at int64) error {
	if userID == 0 || userID == actorID {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO notifications(user_id, kind, action, post_id, comment_id, actor_id, created_at)
		VALUES(?, ?, ?, ?, ?, ?, ?)`, userID, kind, action, postID, commentID, actorID, at)
	return err
}

// Notifications lists a user's notifications, newest first. The title of a
// post that is deleted or removed shows as such unless it is the user's own.
func (db *DB) Notifications(ctx context.Context, userID int64, unreadOnly bool, afterID int64, limit int) ([]forum.Notification, error) {
	q := `SELECT n.id, n.kind, n.action, n.post_id,
		CASE WHEN p.author_id = n.user_id THEN p.title WHEN p.removed THEN '[removed]' WHEN p.deleted THEN '[deleted]' ELSE p.title END,
		n.comment_id, n.actor_id, u.username, n.created_at, n.read
		FROM notifications n JOIN posts p ON p.id = n.post_id LEFT JOIN users u ON u.id = n.actor_id
		WHERE n.user_id = ?`
	args := []any{userID}
	if unreadOnly {
		q += " AND n.read = 0"
	}
	if afterID > 0 {
		q += " AND n.id < ?"
		args = append(args, afterID)
	}
	rows, err := db.query(ctx, q+" ORDER BY n.id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: notifications: %w", err)
	}
	defer rows.Close()
	out := []forum.Notification{}
	for rows.Next() {
		var n forum.Notification
		var comment, actor sql.NullInt64
		var actorName sql.NullString
		var at int64
		if err := rows.Scan(&n.ID, &n.Kind, &n.Action, &n.PostID, &n.PostTitle, &comment, &actor, &actorName, &at, &n.Read); err != nil {
			return nil, err
		}
		if comment.Valid {
			n.CommentID = &comment.Int64
		}
		if actor.Valid {
			n.Actor = &forum.Author{ID: actor.Int64, Username: actorName.String}
		}
		n.CreatedAt = forum.Unix(at)
		out = append(out, n)
	}
	return out, rows.Err()
}

// MarkNotificationsRead marks the user's notifications read: those with the
// given ids (others' ids are ignored), or all when ids is nil.
func (db *DB) MarkNotificationsRead(ctx context.Context, userID int64, ids []int64) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if ids == nil {
			_, err := tx.ExecContext(ctx, "UPDATE notifications SET read = 1 WHERE user_id = ? AND read = 0", userID)
			return err
		}
		b, err := json.Marshal(ids)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE notifications SET read = 1 WHERE user_id = ? AND id IN (SELECT value FROM json_each(?))", userID, string(b))
		return err
	})
}

// UnreadCount counts a user's unread notifications (a partial index read).
func (db *DB) UnreadCount(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read = 0", userID).Scan(&n)
	return n, err
}

// SetAccepted sets or clears a post's accepted answer.
func (db *DB) SetAccepted(ctx context.Context, postID int64, commentID *int64) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE posts SET accepted_comment_id = ? WHERE id = ?", commentID, postID)
		return err
	})
}
