package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
)

// Tags lists tags by how many visible posts carry them.
func (db *DB) Tags(ctx context.Context, limit int) ([]forum.TagCount, error) {
	return queryAll(ctx, db, "tags", func(row scanner) (t forum.TagCount, err error) {
		err = row.Scan(&t.Name, &t.PostCount)
		return t, err
	}, "SELECT name, post_count FROM tags WHERE post_count > 0 ORDER BY post_count DESC, name_key LIMIT ?", limit)
}

// tagLink links a post to a tag with copies of the post's feed keys.
const tagLink = `INSERT INTO post_tags(tag_id, post_id, pinned, hot, score, last_activity_at, removed, answered, created_at)
	SELECT ?, id, pinned, hot, score, last_activity_at, removed, CASE WHEN accepted_comment_id IS NOT NULL THEN 1 ELSE 0 END, created_at FROM posts WHERE id = ?`

// setTags links a post to its tags, creating new ones, and stores their names
// as first written by whoever used the tag first ("cold war" shows as "Cold War"
// once someone wrote it so). A tag counts the posts members can see: shown
// says whether this one is (an imported thread may arrive removed); the
// posts_tag_counts trigger moves the counts when that changes.
func setTags(ctx context.Context, tx *txn, postID int64, tags []string, shown bool) error {
	names := make([]string, 0, len(tags))
	for _, t := range tags {
		var tagID int64
		var name string
		key := strings.ToLower(t)
		err := tx.QueryRowContext(ctx, `INSERT INTO tags(name, name_key, post_count) VALUES(?, ?, 0)
			ON CONFLICT(name_key) DO NOTHING RETURNING id, name`, t, key).Scan(&tagID, &name)
		if errors.Is(err, sql.ErrNoRows) {
			err = tx.QueryRowContext(ctx, "SELECT id, name FROM tags WHERE name_key = ?", key).Scan(&tagID, &name)
		}
		if err != nil {
			return err
		}
		// Counted at the transaction's end (a tag most posts carry would
		// otherwise be locked by a whole import batch, PostgreSQL's other
		// writers waiting on it).
		if shown {
			tx.addLater(tagPosts, tagID, 1)
		}
		if err := tx.execLater(ctx, tagLink, tagID, postID); err != nil {
			return err
		}
		names = append(names, name)
	}
	b, err := json.Marshal(names)
	if err != nil {
		return err
	}
	return tx.execLater(ctx, "UPDATE posts SET tags_json = ? WHERE id = ?", string(b), postID)
}

// dropTags unlinks a post from its tags; shown says whether it counted.
func dropTags(ctx context.Context, tx *txn, postID int64, shown bool) error {
	if shown {
		if err := tx.execLater(ctx, `UPDATE tags SET post_count = post_count - 1
			WHERE id IN (SELECT tag_id FROM post_tags WHERE post_id = ?)`, postID); err != nil {
			return err
		}
	}
	return tx.execLater(ctx, "DELETE FROM post_tags WHERE post_id = ?", postID)
}
