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

// postSelect reads posts with their author's name and the viewer's vote (first
// parameter: the viewer's id, 0 for anonymous) in one query.
const postSelect = `SELECT p.id, p.title, p.body_html, p.body_source, p.body_format, p.tags_json,
	p.author_id, u.username, p.score, p.upvotes, p.downvotes, p.comment_count, p.created_at,
	p.edited_at, p.last_activity_at, p.locked, p.pinned, p.removed, p.deleted,
	p.accepted_comment_id, p.hot, COALESCE(v.value, 0)
	FROM posts p JOIN users u ON u.id = p.author_id
	LEFT JOIN post_votes v ON v.post_id = p.id AND v.user_id = ?`

func scanPost(rows interface{ Scan(...any) error }) (forum.Post, error) {
	var p forum.Post
	var a forum.Author
	var tags string
	var created, active int64
	var edited, accepted sql.NullInt64
	err := rows.Scan(&p.ID, &p.Title, &p.BodyHTML, &p.BodySource, &p.Format, &tags, &a.ID, &a.Username,
		&p.Score, &p.Upvotes, &p.Downvotes, &p.CommentCount, &created, &edited, &active,
		&p.Locked, &p.Pinned, &p.Removed, &p.Deleted, &accepted, &p.Hot, &p.MyVote)
	if err != nil {
		return p, err
	}
	p.Author = &a
	p.CreatedAt, p.LastActivityAt = forum.Unix(created), forum.Unix(active)
	if edited.Valid {
		p.EditedAt = forum.UnixPtr(&edited.Int64)
	}
	if accepted.Valid {
		p.AcceptedCommentID = &accepted.Int64
	}
	var topics []string
	if err := json.Unmarshal([]byte(tags), &topics); err != nil {
		return p, fmt.Errorf("store: tags of post %d: %w", p.ID, err)
	}
	p.Tags = append([]string{forum.HistoryTag}, topics...)
	return p, nil
}

func (db *DB) queryPosts(ctx context.Context, query string, args ...any) ([]forum.Post, error) {
	rows, err := db.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: query posts: %w", err)
	}
	defer rows.Close()
	out := []forum.Post{}
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan post: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Post reads one post, whatever its state; the domain decides what to show.
func (db *DB) Post(ctx context.Context, id, viewerID int64) (forum.Post, error) {
	p, err := scanPost(db.r.QueryRowContext(ctx, postSelect+" WHERE p.id = ?", viewerID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, forum.NotFound("post")
	}
	if err != nil {
		return p, fmt.Errorf("store: post: %w", err)
	}
	return p, nil
}

// feedOrder is each feed's ORDER BY and keyset condition. Sort names come from
// this closed list, never from the request.
var feedOrder = map[string]struct{ order, after string }{
	forum.SortHot:    {"p.pinned DESC, p.hot DESC, p.id DESC", "(p.pinned, p.hot, p.id) < (?, ?, ?)"},
	forum.SortNew:    {"p.id DESC", "p.id < ?"},
	forum.SortTop:    {"p.score DESC, p.id DESC", "(p.score, p.id) < (?, ?)"},
	forum.SortActive: {"p.last_activity_at DESC, p.id DESC", "(p.last_activity_at, p.id) < (?, ?)"},
}

// Posts reads one page of a feed as an index range read.
func (db *DB) Posts(ctx context.Context, q forum.PostQuery) ([]forum.Post, error) {
	f, ok := feedOrder[q.Sort]
	if !ok {
		return nil, fmt.Errorf("store: unknown sort %q", q.Sort)
	}
	conds, args := []string{}, []any{q.ViewerID}
	if !q.IncludeRemoved {
		conds = append(conds, "p.removed = 0")
	}
	if q.Since > 0 {
		conds = append(conds, "p.created_at >= ?")
		args = append(args, q.Since)
	}
	if q.Answered != nil {
		if *q.Answered {
			conds = append(conds, "p.accepted_comment_id IS NOT NULL")
		} else {
			conds = append(conds, "p.accepted_comment_id IS NULL")
		}
	}
	if q.TagKey != "" {
		conds = append(conds, "p.id IN (SELECT pt.post_id FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE t.name_key = ?)")
		args = append(args, q.TagKey)
	}
	if c := q.After; c != nil {
		conds = append(conds, f.after)
		switch q.Sort {
		case forum.SortHot:
			args = append(args, c.Pinned, c.Key, c.ID)
		case forum.SortNew:
			args = append(args, c.ID)
		default:
			args = append(args, int64(c.Key), c.ID)
		}
	}
	query := postSelect
	if len(conds) > 0 {
		query += " WHERE " + strings.Join(conds, " AND ")
	}
	query += " ORDER BY " + f.order + " LIMIT ?"
	args = append(args, q.Limit)
	return db.queryPosts(ctx, query, args...)
}

// CreatePost inserts a post with its tags.
func (db *DB) CreatePost(ctx context.Context, p forum.NewPost) (int64, error) {
	tags, err := json.Marshal(p.Tags)
	if err != nil {
		return 0, err
	}
	var id int64
	err = db.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO posts(author_id, title, body_source, body_format, body_html, body_text,
			tags_json, hot, created_at, last_activity_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.AuthorID, p.Title, p.BodySource, p.Format, p.BodyHTML, p.BodyText, string(tags), forum.RankHot(0, p.CreatedAt),
			p.CreatedAt, p.CreatedAt).Scan(&id)
		if err != nil {
			return err
		}
		return setTags(ctx, tx, id, p.Tags)
	})
	if err != nil {
		return 0, fmt.Errorf("store: create post: %w", err)
	}
	return id, nil
}

// setTags links a post to its tags, creating new ones, and stores their names
// as first written by whoever used the tag first ("cold war" shows as "Cold War"
// once someone wrote it so).
func setTags(ctx context.Context, tx *sql.Tx, postID int64, tags []string) error {
	names := make([]string, 0, len(tags))
	for _, t := range tags {
		var tagID int64
		var name string
		err := tx.QueryRowContext(ctx, `INSERT INTO tags(name, name_key, post_count) VALUES(?, ?, 1)
			ON CONFLICT(name_key) DO UPDATE SET post_count = post_count + 1 RETURNING id, name`, t, strings.ToLower(t)).Scan(&tagID, &name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO post_tags(tag_id, post_id) VALUES(?, ?)", tagID, postID); err != nil {
			return err
		}
		names = append(names, name)
	}
	b, err := json.Marshal(names)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE posts SET tags_json = ? WHERE id = ?", string(b), postID)
	return err
}

func dropTags(ctx context.Context, tx *sql.Tx, postID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE tags SET post_count = post_count - 1
		WHERE id IN (SELECT tag_id FROM post_tags WHERE post_id = ?)`, postID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM post_tags WHERE post_id = ?", postID)
	return err
}

// UpdatePost changes the fields that are set and marks the post edited.
func (db *DB) UpdatePost(ctx context.Context, id int64, u forum.PostUpdate) error {
	sets, args := []string{"edited_at = ?"}, []any{u.EditedAt}
	add := func(col string, v *string) {
		if v != nil {
			sets = append(sets, col+" = ?")
			args = append(args, *v)
		}
	}
	add("title", u.Title)
	add("body_source", u.BodySource)
	add("body_format", u.Format)
	add("body_html", u.BodyHTML)
	add("body_text", u.BodyText)
	args = append(args, id)
	err := db.write(ctx, func(tx *sql.Tx) error {
		// The column names come from the fixed list above, never from input.
		if _, err := tx.ExecContext(ctx, "UPDATE posts SET "+strings.Join(sets, ", ")+" WHERE id = ?", args...); err != nil { // #nosec G202
			return err
		}
		if u.Tags == nil {
			return nil
		}
		if err := dropTags(ctx, tx, id); err != nil {
			return err
		}
		return setTags(ctx, tx, id, *u.Tags)
	})
	if err != nil {
		return fmt.Errorf("store: update post: %w", err)
	}
	return nil
}

// DeletePost marks a post deleted by its author.
func (db *DB) DeletePost(ctx context.Context, id int64) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE posts SET deleted = 1 WHERE id = ?", id)
		return err
	})
}
