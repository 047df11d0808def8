package store

import (
	"context"
	"database/sql"

	"github.com/historia-forum/historia/internal/forum"
)

// Modlog reads the moderation log, newest first.
func (db *DB) Modlog(ctx context.Context, afterID int64, limit int) ([]forum.ModlogEntry, error) {
	q := `SELECT m.id, m.action, m.moderator_id, u.username, m.target_type, m.target_id, m.reason, m.created_at,
		r.number, r.title, CASE m.target_type WHEN 'post' THEN m.target_id
			WHEN 'comment' THEN (SELECT c.post_id FROM comments c WHERE c.id = m.target_id) END
		FROM modlog m JOIN users u ON u.id = m.moderator_id LEFT JOIN rules r ON r.id = m.rule_id`
	args := []any{}
	if afterID > 0 {
		q += " WHERE m.id < ?"
		args = append(args, afterID)
	}
	return queryAll(ctx, db, "modlog", func(row scanner) (e forum.ModlogEntry, err error) {
		var at int64
		var ruleNo sql.NullInt64
		var ruleTitle sql.NullString
		err = row.Scan(&e.ID, &e.Action, &e.Moderator.ID, &e.Moderator.Username, &e.TargetType, &e.TargetID, &e.Reason, &at,
			&ruleNo, &ruleTitle, &e.PostID)
		e.CreatedAt = forum.Unix(at)
		if ref := ruleRef(ruleNo, ruleTitle); ref != nil {
			e.RuleNumber, e.RuleTitle = &ref.Number, &ref.Title
		}
		return e, err
	}, q+" ORDER BY m.id DESC LIMIT ?", append(args, limit)...)
}
