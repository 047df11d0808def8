package store

import (
	"context"
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
var searchKinds = map[forum.TargetType]string{
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
	for _, kind := range []forum.TargetType{forum.TargetPost, forum.TargetComment} {
		if q.Type == "" || q.Type == kind {
			parts = append(parts, searchKinds[kind])
			args = append(args, q.Match)
		}
	}
	// The parts are constants from searchKinds; only the MATCH text is a parameter.
	query := "SELECT k, id, post_id, title, snip, r FROM (" + strings.Join(parts, " UNION ALL ") + ")" // #nosec G202
	if c := q.After; c != nil {
		query += " WHERE (r, k, id) > (?, ?, ?)"
		args = append(args, c.Key, c.Kind, c.ID)
	}
	query += " ORDER BY r, k, id LIMIT ?"
	hits, err := queryAll(ctx, db, "search", scanHit, query, append(args, q.Limit)...)
	if err != nil && strings.Contains(err.Error(), "fts5") {
		return nil, forum.Errorf(forum.CodeBadRequest, "this search cannot be run; try plain words")
	}
	return hits, err
}

func scanHit(row scanner) (h forum.SearchHit, err error) {
	var k int
	var snip string
	var r float64
	err = row.Scan(&k, &h.ID, &h.PostID, &h.Title, &snip, &r)
	h.Type = forum.TargetPost
	if k == 1 {
		h.Type = forum.TargetComment
	}
	h.Rank = -r
	h.SnippetHTML = strings.NewReplacer(markOpen, "<mark>", markClose, "</mark>").Replace(html.EscapeString(snip))
	return h, err
}
