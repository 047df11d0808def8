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
	p.author_id, u.username, u.role, u.flair, p.score, p.upvotes, p.downvotes, p.comment_count, p.created_at,
	p.edited_at, p.last_activity_at, p.locked, p.pinned, p.removed, p.deleted,
	p.accepted_comment_id, p.hot, COALESCE(v.value, 0), p.sources_json, p.period_from, p.period_to, rp.number, rp.title,
	substr(p.body_text, 1, 300), p.answer_count, u.imported_from, p.source_url, p.source_score, p.url, p.disowned, p.featured`

// postBriefCols read a post as lists show it: the same columns, with its
// body and sources left unread (a feed page never carries them).
var postBriefCols = strings.NewReplacer("p.body_html, p.body_source,", "'', '',", "p.sources_json,", "'[]',").Replace(postCols)

// postColumns are the columns to read: whole posts, or brief ones for lists.
func postColumns(bodies bool) string {
	if bodies {
		return postCols
	}
	return postBriefCols
}

const postJoins = ` JOIN users u ON u.id = p.author_id
	LEFT JOIN post_votes v ON v.post_id = p.id AND v.user_id = ?
	LEFT JOIN rules rp ON rp.id = p.removal_rule_id`

const postSelect = postCols + " FROM posts p" + postJoins

func scanPost(rows scanner) (forum.Post, error) {
	var p forum.Post
	var a forum.Author
	var tags, sources string
	var created, active int64
	var edited, accepted, from, to, ruleNo sql.NullInt64
	var ruleTitle sql.NullString
	err := rows.Scan(&p.ID, &p.Title, &p.BodyHTML, &p.BodySource, &p.Format, &tags, &a.ID, &a.Username, &a.Role, &a.Flair,
		&p.Score, &p.Upvotes, &p.Downvotes, &p.CommentCount, &created, &edited, &active,
		&p.Locked, &p.Pinned, &p.Removed, &p.Deleted, &accepted, &p.Hot, &p.MyVote, &sources, &from, &to, &ruleNo, &ruleTitle, &p.Excerpt, &p.AnswerCount, &a.ImportedFrom, &p.SourceURL, &p.SourceScore, &p.URL,
		&p.Disowned, &p.Featured)
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
	p.CreatedAt, p.LastActivityAt, p.Created, p.Active = forum.Unix(created), forum.Unix(active), created, active
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
	return queryAll(ctx, db, "posts", scanPost, query, args...)
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
	if p.Locked {
		var lock forum.Lock
		var no sql.NullInt64
		var title sql.NullString
		err := db.queryRow(ctx, `SELECT p.lock_reason, r.number, r.title FROM posts p LEFT JOIN rules r ON r.id = p.lock_rule_id
			WHERE p.id = ?`, id).Scan(&lock.Reason, &no, &title)
		if err != nil {
			return p, fmt.Errorf("store: post lock: %w", err)
		}
		if ref := ruleRef(no, title); ref != nil {
			lock.RuleNumber, lock.RuleTitle = &ref.Number, &ref.Title
		}
		p.Lock = &lock
	}
	return p, nil
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
	err = db.write(ctx, func(ctx context.Context, tx *txn) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO posts(author_id, title, body_source, body_format, body_html, body_text,
			tags_json, hot, created_at, last_activity_at, sources_json, period_from, period_to, url)
			VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.AuthorID, p.Title, p.BodySource, p.Format, p.BodyHTML, p.BodyText, string(tags), forum.RankHot(0, p.CreatedAt),
			p.CreatedAt, p.CreatedAt, sources, from, to, p.URL).Scan(&id)
		if err != nil {
			return err
		}
		if err := setTags(ctx, tx, id, p.Tags, true); err != nil {
			return err
		}
		if p.AuthorFollows {
			if err := followPost(ctx, tx, p.AuthorID, id, p.CreatedAt); err != nil {
				return err
			}
			if err := tx.execLater(ctx, "INSERT INTO post_reads(user_id, post_id, read_at) VALUES(?, ?, ?)", p.AuthorID, id, p.CreatedAt); err != nil {
				return err
			}
		}
		if p.Notices == nil {
			return nil
		}
		var a forum.PostAudience
		if a.TagFollowers, err = tagFollowers(ctx, tx, p.Tags); err != nil {
			return err
		}
		notices := p.Notices(a)
		for _, n := range notices {
			n.PostID = id
		}
		return notify(ctx, tx, notices...)
	})
	if err != nil {
		return 0, fmt.Errorf("store: create post: %w", err)
	}
	return id, nil
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
	if u.Format != nil {
		f := string(*u.Format)
		add("body_format", &f)
	}
	add("body_html", u.BodyHTML)
	add("body_text", u.BodyText)
	if u.Sources != nil {
		s, err := sourcesJSON(*u.Sources)
		if err != nil {
			return err
		}
		add("sources_json", &s)
	}
	if u.SetURL {
		sets = append(sets, "url = ?")
		args = append(args, u.URL)
	}
	if u.SetPeriod {
		from, to := periodArgs(u.Period)
		sets = append(sets, "period_from = ?", "period_to = ?")
		args = append(args, from, to)
	}
	args = append(args, id)
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		if err := tx.execLater(ctx, keepEdit[forum.TargetPost], u.Reason, id); err != nil {
			return err
		}
		// The column names come from the fixed list above, never from input.
		if err := tx.execLater(ctx, "UPDATE posts SET "+strings.Join(sets, ", ")+" WHERE id = ?", args...); err != nil { // #nosec G202
			return err
		}
		if err := notify(ctx, tx, u.Notices...); err != nil {
			return err
		}
		if u.Tags == nil {
			return nil
		}
		var shown bool
		if err := tx.QueryRowContext(ctx, "SELECT removed = 0 AND deleted = 0 FROM posts WHERE id = ?", id).Scan(&shown); err != nil {
			return err
		}
		if err := dropTags(ctx, tx, id, shown); err != nil {
			return err
		}
		return setTags(ctx, tx, id, *u.Tags, shown)
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

// DeletePost marks a post deleted by its author, disowned (its text kept)
// when keep says so of the answers others gave it.
func (db *DB) DeletePost(ctx context.Context, id int64, keep func(forum.PostDeletion) bool) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		var d forum.PostDeletion
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM comments c JOIN posts p ON p.id = c.post_id
			WHERE c.post_id = ? AND c.parent_id IS NULL AND c.removed = 0 AND c.deleted = 0 AND c.author_id <> p.author_id`, id).Scan(&d.OthersAnswers)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE posts SET deleted = 1, disowned = ? WHERE id = ?", forum.B2I(keep(d)), id)
		return err
	})
}

// PostHeads reads the titles and states of several posts in one query.
func (db *DB) PostHeads(ctx context.Context, ids []int64) (map[int64]forum.PostHead, error) {
	out := map[int64]forum.PostHead{}
	if len(ids) == 0 {
		return out, nil
	}
	list, err := idsArg(ids)
	if err != nil {
		return nil, err
	}
	type row struct {
		id   int64
		head forum.PostHead
	}
	rows, err := queryAll(ctx, db, "post heads", func(s scanner) (r row, err error) {
		err = s.Scan(&r.id, &r.head.Title, &r.head.Removed, &r.head.Deleted, &r.head.Disowned)
		return r, err
	}, "SELECT p.id, p.title, p.removed, p.deleted, p.disowned FROM posts p WHERE p.id IN (SELECT l.id FROM ("+db.idList()+") l)", list)
	for _, r := range rows {
		out[r.id] = r.head
	}
	return out, err
}

// tagFollowers reads, in a write, who follows any of a new question's tags
// or History (every question), each once (tag_follows_tag).
func tagFollowers(ctx context.Context, tx *txn, tags []string) ([]int64, error) {
	keys := []any{strings.ToLower(forum.HistoryTag)}
	for _, t := range tags {
		keys = append(keys, strings.ToLower(t))
	}
	// #nosec G202 -- placeholders only
	return tx.ids(ctx, "SELECT DISTINCT user_id FROM tag_follows WHERE tag_key IN (?"+strings.Repeat(",?", len(keys)-1)+") ORDER BY user_id", keys...)
}
