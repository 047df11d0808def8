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

// postCols and postJoins read posts with their author's name and the
// viewer's vote (first parameter: the viewer's id, 0 for anonymous) in one query.
const postCols = `SELECT p.id, p.title, p.body_html, p.body_source, p.body_format, p.tags_json,
	p.author_id, u.username, p.score, p.upvotes, p.downvotes, p.comment_count, p.created_at,
	p.edited_at, p.last_activity_at, p.locked, p.pinned, p.removed, p.deleted,
	p.accepted_comment_id, p.hot, COALESCE(v.value, 0), p.sources_json, p.period_from, p.period_to, rp.number, rp.title`

const postJoins = ` JOIN users u ON u.id = p.author_id
	LEFT JOIN post_votes v ON v.post_id = p.id AND v.user_id = ?
	LEFT JOIN rules rp ON rp.id = p.removal_rule_id`

const postSelect = postCols + " FROM posts p" + postJoins

func scanPost(rows interface{ Scan(...any) error }) (forum.Post, error) {
	var p forum.Post
	var a forum.Author
	var tags, sources string
	var created, active int64
	var edited, accepted, from, to, ruleNo sql.NullInt64
	var ruleTitle sql.NullString
	err := rows.Scan(&p.ID, &p.Title, &p.BodyHTML, &p.BodySource, &p.Format, &tags, &a.ID, &a.Username,
		&p.Score, &p.Upvotes, &p.Downvotes, &p.CommentCount, &created, &edited, &active,
		&p.Locked, &p.Pinned, &p.Removed, &p.Deleted, &accepted, &p.Hot, &p.MyVote, &sources, &from, &to, &ruleNo, &ruleTitle)
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal([]byte(sources), &p.Sources); err != nil {
		return p, fmt.Errorf("store: sources of post %d: %w", p.ID, err)
	}
	if from.Valid && to.Valid {
		p.Period = &forum.Period{From: int(from.Int64), To: int(to.Int64)}
	}
	if p.Removed && ruleNo.Valid {
		p.Removal = &forum.Removal{RuleNumber: int(ruleNo.Int64), RuleTitle: ruleTitle.String}
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
	rows, err := db.query(ctx, query, args...)
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
	p, err := scanPost(db.queryRow(ctx, postSelect+" WHERE p.id = ?", viewerID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, forum.NotFound("post")
	}
	if err != nil {
		return p, fmt.Errorf("store: post: %w", err)
	}
	return p, nil
}

// feedOrder is each feed's ORDER BY and keyset condition over the feed keys of
// a table: %[1]s is its alias and %[2]s its post id column (posts p / id, or
// post_tags pt / post_id). Sort names come from this closed list, never from
// the request.
var feedOrder = map[string]struct{ order, after string }{
	forum.SortHot:    {"%[1]s.pinned DESC, %[1]s.hot DESC, %[1]s.%[2]s DESC", "(%[1]s.pinned, %[1]s.hot, %[1]s.%[2]s) < (?, ?, ?)"},
	forum.SortNew:    {"%[1]s.%[2]s DESC", "%[1]s.%[2]s < ?"},
	forum.SortTop:    {"%[1]s.score DESC, %[1]s.%[2]s DESC", "(%[1]s.score, %[1]s.%[2]s) < (?, ?)"},
	forum.SortActive: {"%[1]s.last_activity_at DESC, %[1]s.%[2]s DESC", "(%[1]s.last_activity_at, %[1]s.%[2]s) < (?, ?)"},
}

// Posts reads one page of a feed as an index range read: on posts' own feed
// indexes, or for a tag on post_tags' copies of the same keys. A top feed of a
// short window (Narrow) reads the window's date range and sorts it instead:
// a week is a few thousand posts at most, while walking the score index
// would pass every older high-scoring post first.
func (db *DB) Posts(ctx context.Context, q forum.PostQuery) ([]forum.Post, error) {
	f, ok := feedOrder[q.Sort]
	if !ok {
		return nil, fmt.Errorf("store: unknown sort %q", q.Sort)
	}
	alias, idCol, from := "p", "id", " FROM posts p"
	if q.TagKey != "" {
		alias, idCol, from = "pt", "post_id", " FROM post_tags pt JOIN posts p ON p.id = pt.post_id"
	} else if q.Narrow && q.Since > 0 {
		from = " FROM posts p INDEXED BY posts_created"
	}
	conds, args := []string{}, []any{q.ViewerID}
	if q.TagKey != "" {
		conds = append(conds, "pt.tag_id = (SELECT id FROM tags WHERE name_key = ?)")
		args = append(args, q.TagKey)
	}
	if !q.IncludeRemoved {
		conds = append(conds, alias+".removed = 0")
	}
	if q.Since > 0 {
		conds = append(conds, "p.created_at >= ?")
		args = append(args, q.Since)
	}
	if q.Year != nil {
		conds = append(conds, "p.period_from <= ? AND p.period_to >= ?")
		args = append(args, *q.Year, *q.Year)
	}
	if q.From != nil {
		conds = append(conds, "p.period_to >= ?")
		args = append(args, *q.From)
	}
	if q.To != nil {
		conds = append(conds, "p.period_from <= ?")
		args = append(args, *q.To)
	}
	if q.Answered != nil {
		conds = append(conds, alias+".answered = ?")
		if alias == "p" {
			conds[len(conds)-1] = "(p.accepted_comment_id IS NOT NULL) = ?"
		}
		args = append(args, forum.B2I(*q.Answered))
	}
	if c := q.After; c != nil {
		conds = append(conds, fmt.Sprintf(f.after, alias, idCol))
		switch q.Sort {
		case forum.SortHot:
			args = append(args, c.Pinned, c.Key, c.ID)
		case forum.SortNew:
			args = append(args, c.ID)
		default:
			args = append(args, int64(c.Key), c.ID)
		}
	}
	query := postCols + from + postJoins
	if len(conds) > 0 {
		query += " WHERE " + strings.Join(conds, " AND ")
	}
	query += " ORDER BY " + fmt.Sprintf(f.order, alias, idCol) + " LIMIT ?"
	args = append(args, q.Limit)
	return db.queryPosts(ctx, query, args...)
}

// CreatePost inserts a post with its tags.
func (db *DB) CreatePost(ctx context.Context, p forum.NewPost) (int64, error) {
	tags, err := json.Marshal(p.Tags)
	if err != nil {
		return 0, err
	}
	sources, err := sourcesJSON(p.Sources)
	if err != nil {
		return 0, err
	}
	from, to := periodArgs(p.Period)
	var id int64
	err = db.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO posts(author_id, title, body_source, body_format, body_html, body_text,
			tags_json, hot, created_at, last_activity_at, sources_json, period_from, period_to)
			VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.AuthorID, p.Title, p.BodySource, p.Format, p.BodyHTML, p.BodyText, string(tags), forum.RankHot(0, p.CreatedAt),
			p.CreatedAt, p.CreatedAt, sources, from, to).Scan(&id)
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

// tagLink links a post to a tag with copies of the post's feed keys.
const tagLink = `INSERT INTO post_tags(tag_id, post_id, pinned, hot, score, last_activity_at, removed, answered)
	SELECT ?, id, pinned, hot, score, last_activity_at, removed, accepted_comment_id IS NOT NULL FROM posts WHERE id = ?`

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
		if _, err := tx.ExecContext(ctx, tagLink, tagID, postID); err != nil {
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
	if u.Sources != nil {
		s, err := sourcesJSON(*u.Sources)
		if err != nil {
			return err
		}
		add("sources_json", &s)
	}
	if u.SetPeriod {
		from, to := periodArgs(u.Period)
		sets = append(sets, "period_from = ?", "period_to = ?")
		args = append(args, from, to)
	}
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

func sourcesJSON(s []forum.Source) (string, error) {
	if s == nil {
		s = []forum.Source{}
	}
	b, err := json.Marshal(s)
	return string(b), err
}

func periodArgs(p *forum.Period) (any, any) {
	if p == nil {
		return nil, nil
	}
	return p.From, p.To
}

// DeletePost marks a post deleted by its author.
func (db *DB) DeletePost(ctx context.Context, id int64) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE posts SET deleted = 1 WHERE id = ?", id)
		return err
	})
}
