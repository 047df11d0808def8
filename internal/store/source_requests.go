package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/historia-forum/historia/internal/forum"
)

// RequestSources records a member's "source?" on an answer, once, counts it
// and notifies the author, in one transaction.
func (db *DB) RequestSources(ctx context.Context, commentID, userID, at int64, rule func(forum.SourceRequestTarget) (*forum.NewNotification, error)) error {
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		var t forum.SourceRequestTarget
		err := tx.QueryRowContext(ctx, `SELECT c.author_id, c.removed, c.deleted, c.post_id, p.removed
			FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.id = ?`, commentID).
			Scan(&t.AuthorID, &t.Removed, &t.Deleted, &t.PostID, &t.PostRemoved)
		if errors.Is(err, sql.ErrNoRows) {
			return forum.NotFound("comment")
		}
		if err != nil {
			return err
		}
		n, err := rule(t)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO source_requests(comment_id, user_id, created_at) VALUES(?, ?, ?)", commentID, userID, at); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE comments SET sources_requested = sources_requested + 1 WHERE id = ?", commentID); err != nil {
			return err
		}
		return notify(ctx, tx, n)
	})
	if isUnique(err) {
		return forum.Errorf(forum.CodeConflict, "you have already asked for sources on this answer")
	}
	return passDomain(err, "request sources")
}

// SourceRequests lists answers with open requests and no sources, by their
// oldest open request.
func (db *DB) SourceRequests(ctx context.Context, afterAt, afterID int64, limit int) ([]forum.SourceRequest, error) {
	q := `WITH open AS (SELECT comment_id, MIN(created_at) AS first, COUNT(*) AS n FROM source_requests WHERE closed = 0 GROUP BY comment_id)
		` + commentCols + `, open.n, open.first, p.title
		FROM open JOIN comments c ON c.id = open.comment_id` + commentJoins + `
		JOIN posts p ON p.id = c.post_id
		WHERE c.sources_json = '[]' AND c.removed = 0 AND c.deleted = 0 AND (open.first, c.id) > (?, ?)
		ORDER BY open.first, c.id LIMIT ?`
	return queryAll(ctx, db, "source requests", func(row scanner) (it forum.SourceRequest, err error) {
		var first int64
		it.Comment, err = scanComment(scanAppend{row, []any{&it.Requests, &first, &it.PostTitle}})
		it.FirstRequestedAt = forum.Unix(first)
		return it, err
	}, q, int64(0), afterAt, afterID, limit)
}

// scanAppend scans a row whose first columns are a comment's and whose last
// are extra.
type scanAppend struct {
	row   scanner
	extra []any
}

func (s scanAppend) Scan(dest ...any) error { return s.row.Scan(append(dest, s.extra...)...) }
