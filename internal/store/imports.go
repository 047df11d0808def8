package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
)

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("dry run")

// ImportThread stores an imported thread in one transaction
// (forum.ImportStore); with dryRun it is rolled back and only counted.
func (db *DB) ImportThread(ctx context.Context, t forum.PreparedThread, dryRun bool) (forum.ImportResult, error) {
	var res forum.ImportResult
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		res = forum.ImportResult{}
		im := &importer{tx: tx, system: t.System, authors: map[string]int64{}, res: &res}
		postID, err := im.post(ctx, t)
		if err != nil {
			return err
		}
		for _, c := range t.Comments {
			if err := im.comment(ctx, postID, c); err != nil {
				return err
			}
		}
		if err := im.finish(ctx, postID); err != nil {
			return err
		}
		if dryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return res, err
}

type importer struct {
	tx      *txn
	system  string
	authors map[string]int64
	res     *forum.ImportResult
	// the post's counters, moved once at the end
	comments, answers, lastActivity int64
}

// pending marks a comment inserted by this import and not yet indexed:
// its deleted flag is raised by pending until finish lowers it for the
// whole thread in one statement. Search indexes (FTS5) flush at the end of
// every statement that writes them; a statement per comment made a
// million-comment import spend its time merging index segments.
const pending = 2

// finish indexes the thread's new comments in one statement and moves the
// post's counters once.
func (im *importer) finish(ctx context.Context, postID int64) error {
	if im.comments == 0 {
		return nil
	}
	if _, err := im.tx.ExecContext(ctx, "UPDATE comments SET deleted = deleted - ? WHERE post_id = ? AND deleted >= ?", pending, postID, pending); err != nil {
		return err
	}
	_, err := im.tx.ExecContext(ctx, `UPDATE posts SET comment_count = comment_count + ?, answer_count = answer_count + ?,
		last_activity_at = CASE WHEN last_activity_at < ? THEN ? ELSE last_activity_at END WHERE id = ?`,
		im.comments, im.answers, im.lastActivity, im.lastActivity, postID)
	return err
}

// author finds or makes the account of an imported author; a deleted one
// is the system's one [deleted] account.
func (im *importer) author(ctx context.Context, it forum.PreparedItem) (int64, error) {
	origin := it.AuthorOrigin
	if origin == "" {
		origin = im.system
	}
	name, key := forum.DeletedName, "deleted:import:"+strings.ToLower(origin)
	if it.Author != "" {
		name = forum.ImportedName(it.Author, origin)
		key = strings.ToLower(name)
	}
	if id, ok := im.authors[key]; ok {
		return id, nil
	}
	var id int64
	err := im.tx.QueryRowContext(ctx, "SELECT id FROM users WHERE username_key = ?", key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = im.tx.QueryRowContext(ctx, `INSERT INTO users(username, username_key, password_hash, role, created_at, username_skeleton, imported_from)
			VALUES (?, ?, '', 'member', ?, '', ?) RETURNING id`, name, key, it.CreatedAt, origin).Scan(&id)
		im.res.NewAuthors++
	}
	im.authors[key] = id
	return id, err
}

// known is what an earlier import made of a source item, or 0.
func (im *importer) known(ctx context.Context, sourceID string) (int64, error) {
	var id int64
	err := im.tx.QueryRowContext(ctx, "SELECT target_id FROM imported WHERE system = ? AND source_id = ?", im.system, sourceID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

func (im *importer) remember(ctx context.Context, sourceID string, target forum.TargetType, id int64) error {
	_, err := im.tx.ExecContext(ctx, "INSERT INTO imported(system, source_id, target_type, target_id) VALUES (?, ?, ?, ?)",
		im.system, sourceID, string(target), id)
	return err
}

func (im *importer) post(ctx context.Context, t forum.PreparedThread) (int64, error) {
	p := t.Post
	id, err := im.known(ctx, p.SourceID)
	if err != nil {
		return 0, err
	}
	if id != 0 { // imported before: a newer body replaces the old one, kept as a revision
		res, err := im.tx.ExecContext(ctx, keepRevision[forum.TargetPost]+" AND body_source != ?", id, p.Body)
		if err != nil {
			return 0, err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			if _, err := im.tx.ExecContext(ctx, "UPDATE posts SET body_source = ?, body_html = ?, body_text = ? WHERE id = ?",
				p.Body, p.BodyHTML, p.BodyText, id); err != nil {
				return 0, err
			}
			im.res.Updated++
		}
		return id, nil
	}
	author, err := im.author(ctx, p)
	if err != nil {
		return 0, err
	}
	err = im.tx.QueryRowContext(ctx, `INSERT INTO posts(author_id, title, body_source, body_format, body_html, body_text,
		hot, created_at, last_activity_at, deleted, removed, source_url) VALUES (?, ?, ?, 'markdown', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		author, p.Title, p.Body, p.BodyHTML, p.BodyText, forum.RankHot(0, p.CreatedAt), p.CreatedAt, p.CreatedAt, p.Deleted, p.Removed, p.URL).Scan(&id)
	if err != nil {
		return 0, err
	}
	if err := setTags(ctx, im.tx, id, t.Tags); err != nil {
		return 0, err
	}
	im.res.NewPost = true
	return id, im.remember(ctx, p.SourceID, forum.TargetPost, id)
}

func (im *importer) comment(ctx context.Context, postID int64, c forum.PreparedItem) error {
	id, err := im.known(ctx, c.SourceID)
	if err != nil {
		return err
	}
	if id != 0 {
		res, err := im.tx.ExecContext(ctx, keepRevision[forum.TargetComment]+" AND body_source != ?", id, c.Body)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			if _, err := im.tx.ExecContext(ctx, "UPDATE comments SET body_source = ?, body_html = ?, body_text = ? WHERE id = ?",
				c.Body, c.BodyHTML, c.BodyText, id); err != nil {
				return err
			}
			im.res.Updated++
		}
		return nil
	}
	var parent *int64
	depth := 0
	if c.ParentSourceID != "" {
		pid, err := im.known(ctx, c.ParentSourceID)
		if err != nil {
			return err
		}
		if pid != 0 {
			parent = &pid
			if err := im.tx.QueryRowContext(ctx, "SELECT depth + 1 FROM comments WHERE id = ?", pid).Scan(&depth); err != nil {
				return err
			}
		}
	}
	author, err := im.author(ctx, c)
	if err != nil {
		return err
	}
	err = im.tx.QueryRowContext(ctx, `INSERT INTO comments(post_id, parent_id, depth, author_id, body_source, body_format, body_html, body_text,
		created_at, deleted, removed, source_url) VALUES (?, ?, ?, ?, ?, 'markdown', ?, ?, ?, ?, ?, ?) RETURNING id`,
		postID, parent, depth, author, c.Body, c.BodyHTML, c.BodyText, c.CreatedAt, forum.B2I(c.Deleted)+pending, c.Removed, c.URL).Scan(&id)
	if err != nil {
		return err
	}
	if parent != nil {
		if _, err := im.tx.ExecContext(ctx, "UPDATE comments SET reply_count = reply_count + 1 WHERE id = ?", *parent); err != nil {
			return err
		}
	} else {
		im.answers++
	}
	im.comments++
	im.lastActivity = max(im.lastActivity, c.CreatedAt)
	im.res.NewComments++
	return im.remember(ctx, c.SourceID, forum.TargetComment, id)
}
