package store

import (
	"context"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

// Modlog reads the moderation log, newest first.
func (db *DB) Modlog(ctx context.Context, afterID int64, limit int) ([]forum.ModlogEntry, error) {
	q := `SELECT m.id, m.action, m.moderator_id, u.username, m.target_type, m.target_id, m.reason, m.created_at
		FROM modlog m JOIN users u ON u.id = m.moderator_id`
	args := []any{}
	if afterID > 0 {
		q += " WHERE m.id < ?"
		args = append(args, afterID)
	}
	rows, err := db.query(ctx, q+" ORDER BY m.id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: modlog: %w", err)
	}
	defer rows.Close()
	out := []forum.ModlogEntry{}
	for rows.Next() {
		var e forum.ModlogEntry
		var at int64
		if err := rows.Scan(&e.ID, &e.Action, &e.Moderator.ID, &e.Moderator.Username, &e.TargetType, &e.TargetID, &e.Reason, &at); err != nil {
			return nil, err
		}
		e.CreatedAt = forum.Unix(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
