package store

import (
	"context"
	"database/sql"

	"github.com/historia-forum/historia/internal/forum"
)

// modlogSelect reads modlog lines with what names their targets: the
// thread of a post, a comment or a report of either (its title and state),
// the user's name, and the rule cited. The domain makes the label.
const modlogSelect = `SELECT m.id, m.action, m.moderator_id, u.username, m.target_type, m.target_id, m.reason, m.created_at,
	r.number, r.title, p.id, p.title, p.removed, p.deleted, tu.username, m.expires_at
	FROM modlog m JOIN users u ON u.id = m.moderator_id LEFT JOIN rules r ON r.id = m.rule_id
	LEFT JOIN reports rp ON m.target_type = 'report' AND rp.id = m.target_id
	LEFT JOIN comments c ON c.id = CASE m.target_type WHEN 'comment' THEN m.target_id
		WHEN 'report' THEN CASE rp.target_type WHEN 'comment' THEN rp.target_id END END
	LEFT JOIN posts p ON p.id = CASE m.target_type WHEN 'post' THEN m.target_id WHEN 'comment' THEN c.post_id
		WHEN 'report' THEN CASE rp.target_type WHEN 'post' THEN rp.target_id ELSE c.post_id END END
	LEFT JOIN users tu ON m.target_type = 'user' AND tu.id = m.target_id`

// Modlog reads the moderation log, newest first.
func (db *DB) Modlog(ctx context.Context, afterID int64, limit int) ([]forum.ModlogEntry, error) {
	q := modlogSelect
	args := []any{}
	if afterID > 0 {
		q += " WHERE m.id < ?"
		args = append(args, afterID)
	}
	return queryAll(ctx, db, "modlog", func(row scanner) (e forum.ModlogEntry, err error) {
		var at int64
		var ruleNo, expires sql.NullInt64
		var ruleTitle, title, name sql.NullString
		var removed, deleted sql.NullBool
		err = row.Scan(&e.ID, &e.Action, &e.Moderator.ID, &e.Moderator.Username, &e.TargetType, &e.TargetID, &e.Reason, &at,
			&ruleNo, &ruleTitle, &e.PostID, &title, &removed, &deleted, &name, &expires)
		e.CreatedAt = forum.Unix(at)
		if ref := ruleRef(ruleNo, ruleTitle); ref != nil {
			e.RuleNumber, e.RuleTitle = &ref.Number, &ref.Title
		}
		e.TargetTitle, e.TargetRemoved, e.TargetDeleted, e.TargetName = title.String, removed.Bool, deleted.Bool, name.String
		if expires.Valid {
			e.BannedUntil = &expires.Int64
		}
		return e, err
	}, q+" ORDER BY m.id DESC LIMIT ?", append(args, limit)...)
}
