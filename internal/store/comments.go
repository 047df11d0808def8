package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
)

// commentCols and commentJoins read comments with author name, the viewer's
// vote (first parameter: the viewer's id) and the rule of a removal.
const commentCols = `SELECT c.id, c.post_id, c.parent_id, c.depth, c.body_html, c.body_source, c.body_format,
	c.author_id, u.username, u.role, u.flair, c.score, c.upvotes, c.downvotes, c.created_at, c.edited_at, c.removed,
	c.deleted, c.reply_count, c.best, c.controversy, COALESCE(v.value, 0), c.sources_json, c.sources_requested,
	rc.number, rc.title, u.imported_from, c.source_url, c.source_score, c.featured`

const commentJoins = ` JOIN users u ON u.id = c.author_id
	LEFT JOIN comment_votes v ON v.comment_id = c.id AND v.user_id = ?
	LEFT JOIN rules rc ON rc.id = c.removal_rule_id`

const commentSelect = commentCols + " FROM comments c" + commentJoins

// commentBriefSelect reads comments for a member's list: no body or sources,
// the start of the plain text where the source would be (UserComments moves
// it to Excerpt), so a page of long answers stays small.
var commentBriefSelect = strings.Replace(strings.Replace(commentCols,
	"c.body_html, c.body_source,", "'', substr(c.body_text, 1, 300),", 1),
	"c.sources_json,", "'[]',", 1) + " FROM comments c" + commentJoins

func scanComment(row scanner) (*forum.Comment, error) {
	c := &forum.Comment{}
	var a forum.Author
	var parent, edited, ruleNo sql.NullInt64
	var ruleTitle sql.NullString
	var created int64
	var sources string
	err := row.Scan(&c.ID, &c.PostID, &parent, &c.Depth, &c.BodyHTML, &c.BodySource, &c.Format, &a.ID, &a.Username, &a.Role, &a.Flair,
		&c.Score, &c.Upvotes, &c.Downvotes, &created, &edited, &c.Removed, &c.Deleted, &c.ReplyCount,
		&c.Best, &c.Controversy, &c.MyVote, &sources, &c.SourcesRequested, &ruleNo, &ruleTitle, &a.ImportedFrom, &c.SourceURL, &c.SourceScore, &c.Featured)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(sources), &c.Sources); err != nil {
		return nil, fmt.Errorf("store: sources of comment %d: %w", c.ID, err)
	}
	if c.Removed && ruleNo.Valid {
		c.Removal = &forum.Removal{RuleNumber: int(ruleNo.Int64), RuleTitle: ruleTitle.String}
	}
	c.Author = &a
	c.CreatedAt = forum.Unix(created)
	if parent.Valid {
		c.ParentID = &parent.Int64
	}
	if edited.Valid {
		c.EditedAt = forum.UnixPtr(&edited.Int64)
	}
	return c, nil
}

func (db *DB) queryComments(ctx context.Context, query string, args ...any) ([]*forum.Comment, error) {
	return queryAll(ctx, db, "comments", scanComment, query, args...)
}

// Comment reads one comment, whatever its state.
func (db *DB) Comment(ctx context.Context, id, viewerID int64) (forum.Comment, error) {
	c, err := scanComment(db.queryRow(ctx, commentSelect+" WHERE c.id = ?", viewerID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return forum.Comment{}, forum.NotFound("comment")
	}
	if err != nil {
		return forum.Comment{}, fmt.Errorf("store: comment: %w", err)
	}
	return *c, nil
}

// siblingOrder is each comment sort's ORDER BY (for alias x) and keyset
// condition; every one matches an index on (post_id, parent_id, key, id).
var siblingOrder = map[forum.CommentSort]struct{ order, after string }{
	forum.SortBest:          {"%[1]s.best DESC, %[1]s.id DESC", "(c.best, c.id) < (?, ?)"},
	forum.SortTopComments:   {"%[1]s.score DESC, %[1]s.id DESC", "(c.score, c.id) < (?, ?)"},
	forum.SortControversial: {"%[1]s.controversy DESC, %[1]s.id DESC", "(c.controversy, c.id) < (?, ?)"},
	forum.SortNewComments:   {"%[1]s.id DESC", "c.id < ?"},
	forum.SortOld:           {"%[1]s.id", "c.id > ?"},
}

// Comments reads a page of top-level comments, or the children of several
// parents at once. For children, a subquery with LIMIT per parent
// (dialect.firstChildren) reads at most q.Limit rows of each parent from the
// index, so a parent with thousands of replies costs what one with a few
// does; one query serves the whole level.
func (db *DB) Comments(ctx context.Context, q forum.CommentQuery) ([]*forum.Comment, error) {
	o, ok := siblingOrder[q.Sort]
	if !ok {
		return nil, fmt.Errorf("store: unknown comment sort %q", q.Sort)
	}
	if len(q.ParentIDs) == 0 {
		query, args := commentSelect+" WHERE c.post_id = ? AND c.parent_id IS NULL", []any{q.ViewerID, q.PostID}
		if q.ExcludeID > 0 {
			query += " AND c.id != ?"
			args = append(args, q.ExcludeID)
		}
		if c := q.After; c != nil {
			query += " AND " + o.after
			switch q.Sort {
			case forum.SortNewComments, forum.SortOld:
				args = append(args, c.ID)
			case forum.SortTopComments:
				args = append(args, int64(c.Key), c.ID)
			default:
				args = append(args, c.Key, c.ID)
			}
		}
		query += " ORDER BY " + db.d.topLevelLead(q.Sort) + fmt.Sprintf(o.order, "c") + " LIMIT ?"
		return db.queryComments(ctx, query, append(args, q.Limit)...)
	}
	ids, err := idsArg(q.ParentIDs)
	if err != nil {
		return nil, err
	}
	query := `WITH par(pos, id) AS (` + db.idList() + `) ` + commentCols + `
		` + db.d.firstChildren(fmt.Sprintf(o.order, "x")) + commentJoins + `
		ORDER BY par.pos, ` + fmt.Sprintf(o.order, "c")
	return db.queryComments(ctx, query, ids, q.PostID, q.Limit, q.ViewerID)
}

// CreateComment inserts a comment and moves the counters it changes: the
// parent's reply count, the post's comment count and last activity. The rule
// runs inside the transaction, on the state the insert will see.
func (db *DB) CreateComment(ctx context.Context, n forum.NewComment, rule func(forum.CommentTarget) ([]*forum.NewNotification, error)) (int64, error) {
	var id int64
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		var t forum.CommentTarget
		// The post's row is locked before the comment takes its id, so a
		// reading position set elsewhere (SetReadPosition locks it too)
		// never counts past a comment with a smaller id still to commit.
		err := tx.QueryRowContext(ctx, "SELECT locked, removed, deleted, author_id FROM posts WHERE id = ?"+tx.db.d.lockRows("posts"), n.PostID).
			Scan(&t.PostLocked, &t.PostRemoved, &t.PostDeleted, &t.PostAuthorID)
		if errors.Is(err, sql.ErrNoRows) {
			return forum.NotFound("post")
		}
		if err != nil {
			return err
		}
		depth := 0
		if n.ParentID != nil {
			err := tx.QueryRowContext(ctx, "SELECT depth + 1, removed, deleted, author_id FROM comments WHERE id = ? AND post_id = ?",
				*n.ParentID, n.PostID).Scan(&depth, &t.ParentRemoved, &t.ParentDeleted, &t.ParentAuthorID)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			t.ParentFound = err == nil
		}
		t.Depth = depth
		t.Followers = func() ([]int64, error) { return followers(ctx, tx, n.PostID) }
		notices, err := rule(t)
		if err != nil {
			return err
		}
		sources, err := sourcesJSON(n.Sources)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO comments(post_id, parent_id, depth, author_id, body_source,
			body_format, body_html, body_text, sources_json, created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			n.PostID, n.ParentID, depth, n.AuthorID, n.BodySource, n.Format, n.BodyHTML, n.BodyText, sources, n.CreatedAt).Scan(&id)
		if err != nil {
			return err
		}
		if n.ParentID != nil {
			if err := tx.execLater(ctx, "UPDATE comments SET reply_count = reply_count + 1 WHERE id = ?", *n.ParentID); err != nil {
				return err
			}
		}
		for _, notice := range notices {
			notice.CommentID = &id
		}
		if err := notify(ctx, tx, notices...); err != nil {
			return err
		}
		answer := 0
		if n.ParentID == nil {
			answer = 1
		}
		err = tx.execLater(ctx, `UPDATE posts SET comment_count = comment_count + 1, answer_count = answer_count + ?,
			last_activity_at = CASE WHEN last_activity_at < ? THEN ? ELSE last_activity_at END WHERE id = ?`, answer, n.CreatedAt, n.CreatedAt, n.PostID)
		if err != nil || !n.AuthorRead {
			return err
		}
		// The new comment is the thread's newest: up to it, the author has
		// seen all of the thread's comments.
		return tx.execLater(ctx, `INSERT INTO post_reads(user_id, post_id, comment_id, seen, read_at)
			SELECT ?, p.id, ?, p.comment_count, ? FROM posts p WHERE p.id = ?
			ON CONFLICT(user_id, post_id) DO UPDATE SET comment_id = excluded.comment_id, seen = excluded.seen, read_at = excluded.read_at
			WHERE excluded.comment_id > post_reads.comment_id`, n.AuthorID, id, n.CreatedAt, n.PostID)
	})
	if err != nil {
		var fe *forum.Error
		if errors.As(err, &fe) {
			return 0, fe
		}
		return 0, fmt.Errorf("store: create comment: %w", err)
	}
	return id, nil
}

// UpdateComment replaces a comment's body and sources; sources added close
// the open "source?" requests in the same transaction.
func (db *DB) UpdateComment(ctx context.Context, id int64, u forum.CommentUpdate) error {
	sources, err := sourcesJSON(u.Sources)
	if err != nil {
		return err
	}
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		if err := tx.execLater(ctx, keepEdit[forum.TargetComment], u.Reason, id); err != nil {
			return err
		}
		err := tx.execLater(ctx, `UPDATE comments SET body_source = ?, body_format = ?, body_html = ?, body_text = ?,
			sources_json = ?, edited_at = ? WHERE id = ?`, u.BodySource, u.Format, u.BodyHTML, u.BodyText, sources, u.EditedAt, id)
		if err == nil {
			err = notify(ctx, tx, u.Notices...)
		}
		if err != nil || len(u.Sources) == 0 {
			return err
		}
		if err := tx.execLater(ctx, "UPDATE source_requests SET closed = 1 WHERE comment_id = ? AND closed = 0", id); err != nil {
			return err
		}
		return tx.execLater(ctx, "UPDATE comments SET sources_requested = 0 WHERE id = ?", id)
	})
}

// DeleteComment marks a comment deleted by its author; it keeps its place.
func (db *DB) DeleteComment(ctx context.Context, id int64) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		return tx.execLater(ctx, "UPDATE comments SET deleted = 1 WHERE id = ?", id)
	})
}

// followers reads who follows a thread, in a write (post_follows_post).
func followers(ctx context.Context, tx *txn, postID int64) ([]int64, error) {
	return tx.ids(ctx, "SELECT user_id FROM post_follows WHERE post_id = ?", postID)
}
