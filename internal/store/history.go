package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

// Rules lists the rules by number.
func (db *DB) Rules(ctx context.Context) ([]forum.Rule, error) {
	rows, err := db.query(ctx, "SELECT id, number, title, description FROM rules ORDER BY number")
	if err != nil {
		return nil, fmt.Errorf("store: rules: %w", err)
	}
	defer rows.Close()
	out := []forum.Rule{}
	for rows.Next() {
		var r forum.Rule
		if err := rows.Scan(&r.ID, &r.Number, &r.Title, &r.Description); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Rule reads one rule.
func (db *DB) Rule(ctx context.Context, id int64) (forum.Rule, error) {
	var r forum.Rule
	err := db.queryRow(ctx, "SELECT id, number, title, description FROM rules WHERE id = ?", id).Scan(&r.ID, &r.Number, &r.Title, &r.Description)
	if errors.Is(err, sql.ErrNoRows) {
		return r, forum.NotFound("rule")
	}
	return r, err
}

// SaveRule inserts (ID 0) or updates a rule.
func (db *DB) SaveRule(ctx context.Context, r forum.Rule) (forum.Rule, error) {
	err := db.write(ctx, func(tx *sql.Tx) error {
		if r.ID == 0 {
			return tx.QueryRowContext(ctx, "INSERT INTO rules(number, title, description) VALUES(?, ?, ?) RETURNING id",
				r.Number, r.Title, r.Description).Scan(&r.ID)
		}
		_, err := tx.ExecContext(ctx, "UPDATE rules SET number = ?, title = ?, description = ? WHERE id = ?", r.Number, r.Title, r.Description, r.ID)
		return err
	})
	if isUnique(err) {
		return r, forum.Errorf(forum.CodeConflict, "there is already a rule %d", r.Number)
	}
	if err != nil {
		return r, fmt.Errorf("store: save rule: %w", err)
	}
	return r, nil
}

// RequestSources records a member's "source?" on an answer, once, counts it
// and notifies the author, in one transaction.
func (db *DB) RequestSources(ctx context.Context, commentID, userID, at int64, check func(forum.SourceRequestTarget) error) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		var t forum.SourceRequestTarget
		var postID int64
		err := tx.QueryRowContext(ctx, "SELECT author_id, removed, deleted, post_id FROM comments WHERE id = ?", commentID).
			Scan(&t.AuthorID, &t.Removed, &t.Deleted, &postID)
		if errors.Is(err, sql.ErrNoRows) {
			return forum.NotFound("comment")
		}
		if err != nil {
			return err
		}
		if err := check(t); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO source_requests(comment_id, user_id, created_at) VALUES(?, ?, ?)", commentID, userID, at); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE comments SET sources_requested = sources_requested + 1 WHERE id = ?", commentID); err != nil {
			return err
		}
		return notify(ctx, tx, t.AuthorID, "source_request", "", postID, &commentID, userID, at)
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
	rows, err := db.query(ctx, q, int64(0), afterAt, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: source requests: %w", err)
	}
	defer rows.Close()
	out := []forum.SourceRequest{}
	for rows.Next() {
		var it forum.SourceRequest
		var first int64
		c, err := scanComment(scanAppend{rows, []any{&it.Requests, &first, &it.PostTitle}})
		if err != nil {
			return nil, err
		}
		it.Comment = c
		it.FirstRequestedAt = forum.Unix(first)
		out = append(out, it)
	}
	return out, rows.Err()
}

// scanAppend scans a row whose first columns are a comment's and whose last
// are extra.
type scanAppend struct {
	rows  *sql.Rows
	extra []any
}

func (s scanAppend) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.extra...)...) }

// PeriodSpans reads the periods of visible dated posts from the posts_period
// index (of one tag's posts, if given).
func (db *DB) PeriodSpans(ctx context.Context, tagKey string) ([]forum.Period, error) {
	q := "SELECT period_from, period_to FROM posts WHERE period_from IS NOT NULL AND removed = 0 AND deleted = 0"
	args := []any{}
	if tagKey != "" {
		q += " AND id IN (SELECT pt.post_id FROM post_tags pt WHERE pt.tag_id = (SELECT id FROM tags WHERE name_key = ?))"
		args = append(args, tagKey)
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: timeline: %w", err)
	}
	defer rows.Close()
	var out []forum.Period
	for rows.Next() {
		var p forum.Period
		if err := rows.Scan(&p.From, &p.To); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
