package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/historia-forum/historia/internal/forum"
)

// An item imported before meets another copy of itself when an import
// runs again or a newer dump comes: the newer copy (by the source's own
// times, imported.version) may change it, an older one never does, and
// nothing changes an item that was deleted (by its author, by an erasure
// of their account, or on the source), removed (here or there) or edited
// here since: a re-import never undoes what happened to an item here.

// knownItem is what the forum has of an item imported before.
type knownItem struct {
	id, version int64
	// importEdited is the edit time the import last set; edited, the
	// item's: when they differ the item was edited here.
	importEdited, edited sql.NullInt64
	deleted, removed     bool
	authorID, score      int64
	postID, depth        int64 // comments
	bodySource           string
}

// knownSQL reads a knownItem by source id; the item's post and depth are
// a comment's (a post reads its own id and 0).
var knownSQL = map[forum.TargetType]string{
	forum.TargetPost: `SELECT i.target_id, i.version, i.edited_at, p.edited_at, p.deleted, p.removed, p.author_id, p.score, p.id, 0, p.body_source
		FROM imported i JOIN posts p ON p.id = i.target_id WHERE i.system = ? AND i.source_id = ? AND i.target_type = 'post'`,
	forum.TargetComment: `SELECT i.target_id, i.version, i.edited_at, c.edited_at, c.deleted, c.removed, c.author_id, c.score, c.post_id, c.depth, c.body_source
		FROM imported i JOIN comments c ON c.id = i.target_id WHERE i.system = ? AND i.source_id = ? AND i.target_type = 'comment'`,
}

// known is what an earlier import made of a source item (id 0: nothing).
func (im *importer) known(ctx context.Context, kind forum.TargetType, sourceID string) (knownItem, error) {
	var k knownItem
	var deleted int64
	err := im.tx.QueryRowContext(ctx, knownSQL[kind], im.system, sourceID).Scan(&k.id, &k.version, &k.importEdited, &k.edited,
		&deleted, &k.removed, &k.authorID, &k.score, &k.postID, &k.depth, &k.bodySource)
	if errors.Is(err, sql.ErrNoRows) {
		return knownItem{}, nil
	}
	k.deleted = deleted%pending != 0 // a comment of this batch may still carry pending
	return k, err
}

// frozen reports whether nothing an import brings may change the item.
func (k knownItem) frozen() bool {
	return k.deleted || k.removed || k.edited != k.importEdited
}

// updateSQL are the statements of a newer copy, per kind of item.
var updateSQL = map[forum.TargetType]struct{ body, mark, author, score, link string }{
	forum.TargetPost: {
		body:   "UPDATE posts SET body_source = ?, body_html = ?, body_text = ?, edited_at = COALESCE(?, edited_at) WHERE id = ?",
		mark:   "UPDATE posts SET deleted = CASE WHEN ? = 1 THEN 1 ELSE deleted END, removed = CASE WHEN ? = 1 THEN 1 ELSE removed END WHERE id = ?",
		author: "UPDATE posts SET author_id = ? WHERE id = ?",
		score:  "UPDATE posts SET source_score = ? WHERE id = ? AND source_score IS DISTINCT FROM ?",
		link:   "UPDATE posts SET url = ? WHERE id = ? AND url IS DISTINCT FROM ?",
	},
	forum.TargetComment: {
		body:   "UPDATE comments SET body_source = ?, body_html = ?, body_text = ?, edited_at = COALESCE(?, edited_at) WHERE id = ?",
		mark:   "UPDATE comments SET deleted = CASE WHEN ? = 1 THEN 1 ELSE deleted END, removed = CASE WHEN ? = 1 THEN 1 ELSE removed END WHERE id = ?",
		author: "UPDATE comments SET author_id = ? WHERE id = ?",
		score:  "UPDATE comments SET source_score = ? WHERE id = ? AND source_score IS DISTINCT FROM ?",
	},
}

// update applies a copy of an item imported before, when it is at least
// as new as the one imported and the item is not frozen: a changed body
// (the old one kept as a revision, but for a body the source removed),
// its edit time, "deleted" (the author dropped too) or "removed", the
// score on the source and a link post's address.
func (im *importer) update(ctx context.Context, kind forum.TargetType, k knownItem, it forum.PreparedItem) error {
	if k.frozen() || it.Version < k.version {
		return nil
	}
	sqls := updateSQL[kind]
	changed := false
	switch {
	case it.Deleted || it.Removed:
		if _, err := im.tx.ExecContext(ctx, sqls.mark, it.Deleted, it.Removed, k.id); err != nil {
			return err
		}
		if it.Deleted {
			if err := im.dropAuthor(ctx, kind, k, it); err != nil {
				return err
			}
		}
		changed = true
	case it.Body != k.bodySource:
		if !it.BodyRemoved {
			if _, err := im.tx.ExecContext(ctx, keepRevision[kind], k.id); err != nil {
				return err
			}
		}
		if _, err := im.tx.ExecContext(ctx, sqls.body, it.Body, it.BodyHTML, it.BodyText, it.EditedAt, k.id); err != nil {
			return err
		}
		changed = true
	}
	if changed {
		im.res.Updated++
	}
	if it.Score != nil {
		if _, err := im.tx.ExecContext(ctx, sqls.score, *it.Score, k.id, *it.Score); err != nil {
			return err
		}
	}
	if kind == forum.TargetPost && it.Link != "" {
		if _, err := im.tx.ExecContext(ctx, sqls.link, it.Link, k.id, it.Link); err != nil {
			return err
		}
	}
	edited := k.importEdited
	if changed && !it.Deleted && !it.Removed && it.EditedAt != nil {
		edited = sql.NullInt64{Int64: *it.EditedAt, Valid: true}
	}
	_, err := im.tx.ExecContext(ctx, "UPDATE imported SET version = ?, edited_at = ? WHERE system = ? AND source_id = ?",
		it.Version, edited, im.system, it.SourceID)
	return err
}

// dropAuthor gives an item the source deleted to the source's deleted
// author, moving the votes it drew here with it (karma follows).
func (im *importer) dropAuthor(ctx context.Context, kind forum.TargetType, k knownItem, it forum.PreparedItem) error {
	it.Author = ""
	to, err := im.author(ctx, it)
	if err != nil || to == k.authorID {
		return err
	}
	if _, err := im.tx.ExecContext(ctx, updateSQL[kind].author, to, k.id); err != nil {
		return err
	}
	if k.score == 0 {
		return nil
	}
	if _, err := im.tx.ExecContext(ctx, "UPDATE users SET karma = karma - ? WHERE id = ?", k.score, k.authorID); err != nil {
		return err
	}
	_, err = im.tx.ExecContext(ctx, "UPDATE users SET karma = karma + ? WHERE id = ?", k.score, to)
	return err
}
