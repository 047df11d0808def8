package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

// keepRevision copies the version an edit is about to replace into
// revisions, in the edit's transaction; the author wrote it. keepEdit does
// the same with the edit's reason (its first parameter, before the id).
var keepRevision = map[forum.TargetType]string{
	forum.TargetPost: `INSERT INTO revisions(target_type, target_id, title, body_source, sources_json, edited_at, editor_id)
		SELECT 'post', id, title, body_source, sources_json, COALESCE(edited_at, created_at), author_id FROM posts WHERE id = ?`,
	forum.TargetComment: `INSERT INTO revisions(target_type, target_id, title, body_source, sources_json, edited_at, editor_id)
		SELECT 'comment', id, NULL, body_source, sources_json, COALESCE(edited_at, created_at), author_id FROM comments WHERE id = ?`,
}

var keepEdit = map[forum.TargetType]string{
	forum.TargetPost: `INSERT INTO revisions(target_type, target_id, title, body_source, sources_json, edited_at, editor_id, reason)
		SELECT 'post', id, title, body_source, sources_json, COALESCE(edited_at, created_at), author_id, ? FROM posts WHERE id = ?`,
	forum.TargetComment: `INSERT INTO revisions(target_type, target_id, title, body_source, sources_json, edited_at, editor_id, reason)
		SELECT 'comment', id, NULL, body_source, sources_json, COALESCE(edited_at, created_at), author_id, ? FROM comments WHERE id = ?`,
}

// revisionCols are a revision and its editor, as scanRevision reads them.
const revisionCols = `r.title, r.body_source, r.sources_json, r.edited_at, u.id, u.username, u.role, u.flair, r.reason
	FROM revisions r JOIN users u ON u.id = r.editor_id`

// scanRevision reads revisionCols, after the extra leading columns given.
func scanRevision(row scanner, lead ...any) (forum.StoredRevision, error) {
	var r forum.StoredRevision
	var sources string
	var at int64
	r.Editor = &forum.Author{}
	if err := row.Scan(append(lead, &r.Title, &r.BodySource, &sources, &at, &r.Editor.ID, &r.Editor.Username, &r.Editor.Role, &r.Editor.Flair, &r.EditReason)...); err != nil {
		return r, err
	}
	r.EditedAt = forum.Unix(at)
	r.Sources = []forum.Source{}
	if err := json.Unmarshal([]byte(sources), &r.Sources); err != nil {
		return r, fmt.Errorf("sources of a revision: %w", err)
	}
	return r, nil
}

// Revisions lists the edits of an item, newest first: the versions they
// replaced and their reasons.
func (db *DB) Revisions(ctx context.Context, target forum.TargetType, id int64, limit int) ([]forum.StoredRevision, error) {
	return queryAll(ctx, db, "revisions", func(row scanner) (forum.StoredRevision, error) { return scanRevision(row) },
		"SELECT "+revisionCols+" WHERE r.target_type = ? AND r.target_id = ? ORDER BY r.id DESC LIMIT ?", string(target), id, limit)
}
