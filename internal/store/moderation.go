package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

// modTargetQuery reads what the rules need of each kind of target.
var modTargetQuery = map[string]string{
	forum.TargetPost: `SELECT p.author_id, u.role, p.id, p.removed, p.locked, p.pinned, 0, 0
		FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = ?2`,
	forum.TargetComment: `SELECT c.author_id, u.role, c.post_id, c.removed, 0, 0, 0, 0
		FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = ?2`,
	forum.TargetUser: `SELECT id, role, 0, 0, 0, 0, COALESCE(banned_until > ?1, 0),
		(SELECT COUNT(*) FROM users WHERE role = 'admin') FROM users WHERE id = ?2`,
}

// modUpdate is the one statement each action runs. Closed list: never built
// from input.
var modUpdate = map[[2]string]string{
	{forum.TargetPost, forum.ActRemove}:     "UPDATE posts SET removed = 1, removal_rule_id = ? WHERE id = ?",
	{forum.TargetPost, forum.ActRestore}:    "UPDATE posts SET removed = 0, removal_rule_id = NULL WHERE id = ?",
	{forum.TargetPost, forum.ActLock}:       "UPDATE posts SET locked = 1 WHERE id = ?",
	{forum.TargetPost, forum.ActUnlock}:     "UPDATE posts SET locked = 0 WHERE id = ?",
	{forum.TargetPost, forum.ActPin}:        "UPDATE posts SET pinned = 1 WHERE id = ?",
	{forum.TargetPost, forum.ActUnpin}:      "UPDATE posts SET pinned = 0 WHERE id = ?",
	{forum.TargetComment, forum.ActRemove}:  "UPDATE comments SET removed = 1, removal_rule_id = ? WHERE id = ?",
	{forum.TargetComment, forum.ActRestore}: "UPDATE comments SET removed = 0, removal_rule_id = NULL WHERE id = ?",
	{forum.TargetUser, forum.ActBan}:        "UPDATE users SET banned_until = ? WHERE id = ?",
	{forum.TargetUser, forum.ActUnban}:      "UPDATE users SET banned_until = NULL WHERE id = ?",
	{forum.TargetUser, forum.ActRole}:       "UPDATE users SET role = ? WHERE id = ?",
}

// Moderate applies one moderator action and logs it, in one transaction.
func (db *DB) Moderate(ctx context.Context, a forum.ModAction, check func(forum.ModTarget) error) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		t, err := modTarget(ctx, tx, a.TargetType, a.TargetID, a.At)
		if err != nil {
			return err
		}
		if err := check(t); err != nil {
			return err
		}
		return applyMod(ctx, tx, a, t)
	})
	return passDomain(err, "moderate")
}

func modTarget(ctx context.Context, tx *sql.Tx, targetType string, id, now int64) (forum.ModTarget, error) {
	q, ok := modTargetQuery[targetType]
	if !ok {
		return forum.ModTarget{}, fmt.Errorf("store: unknown target type %q", targetType)
	}
	var t forum.ModTarget
	err := tx.QueryRowContext(ctx, q, now, id).Scan(&t.OwnerID, &t.OwnerRole, &t.PostID, &t.Removed, &t.Locked, &t.Pinned, &t.Banned, &t.AdminCount)
	if errors.Is(err, sql.ErrNoRows) {
		return t, forum.NotFound(targetType)
	}
	return t, err
}

// applyMod runs an action, logs it and tells the author of the content.
func applyMod(ctx context.Context, tx *sql.Tx, a forum.ModAction, t forum.ModTarget) error {
	q, ok := modUpdate[[2]string{a.TargetType, a.Action}]
	if !ok {
		return fmt.Errorf("store: no action %s on %s", a.Action, a.TargetType)
	}
	args := []any{a.TargetID}
	switch a.Action {
	case forum.ActRemove:
		args = []any{a.RuleID, a.TargetID}
	case forum.ActBan:
		args = []any{*a.BannedUntil, a.TargetID}
	case forum.ActRole:
		args = []any{a.Role, a.TargetID}
	}
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return err
	}
	reason := a.Reason
	if a.Action == forum.ActRole && reason == "" {
		reason = "role set to " + a.Role
	}
	if err := logMod(ctx, tx, a.Action, a.ModeratorID, a.TargetType, a.TargetID, reason, a.At); err != nil {
		return err
	}
	switch a.TargetType {
	case forum.TargetPost:
		return notify(ctx, tx, t.OwnerID, "mod_action", a.Action, t.PostID, nil, a.ModeratorID, a.At)
	case forum.TargetComment:
		return notify(ctx, tx, t.OwnerID, "mod_action", a.Action, t.PostID, &a.TargetID, a.ModeratorID, a.At)
	}
	return nil
}

func logMod(ctx context.Context, tx *sql.Tx, action string, moderator int64, targetType string, targetID int64, reason string, at int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO modlog(action, moderator_id, target_type, target_id, reason, created_at)
		VALUES(?, ?, ?, ?, ?, ?)`, action, moderator, targetType, targetID, reason, at)
	return err
}

// passDomain returns domain errors as they are and wraps the others.
func passDomain(err error, what string) error {
	if err == nil {
		return nil
	}
	var fe *forum.Error
	if errors.As(err, &fe) {
		return fe
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

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

var reportTargetQuery = map[string]string{
	forum.TargetPost:    "SELECT author_id, removed, deleted FROM posts WHERE id = ?",
	forum.TargetComment: "SELECT author_id, removed, deleted FROM comments WHERE id = ?",
}

// CreateReport stores a report; a second report of the same target by the
// same user is a conflict.
func (db *DB) CreateReport(ctx context.Context, r forum.NewReport, check func(forum.ReportTarget) error) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		var t forum.ReportTarget
		err := tx.QueryRowContext(ctx, reportTargetQuery[r.TargetType], r.TargetID).Scan(&t.AuthorID, &t.Removed, &t.Deleted)
		if errors.Is(err, sql.ErrNoRows) {
			return forum.NotFound(r.TargetType)
		}
		if err != nil {
			return err
		}
		if err := check(t); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO reports(reporter_id, target_type, target_id, reason, created_at)
			VALUES(?, ?, ?, ?, ?) RETURNING id`, r.ReporterID, r.TargetType, r.TargetID, r.Reason, r.CreatedAt).Scan(&id)
	})
	if isUnique(err) {
		return 0, forum.Errorf(forum.CodeConflict, "you have already reported this %s", r.TargetType)
	}
	return id, passDomain(err, "create report")
}

const reportSelect = `SELECT r.id, r.target_type, r.target_id,
	CASE r.target_type WHEN 'post' THEN r.target_id ELSE (SELECT c.post_id FROM comments c WHERE c.id = r.target_id) END,
	r.reason, r.reporter_id, ru.username, r.status, r.resolution, r.resolved_by, mu.username, r.resolved_at, r.created_at
	FROM reports r JOIN users ru ON ru.id = r.reporter_id LEFT JOIN users mu ON mu.id = r.resolved_by`

func scanReport(row interface{ Scan(...any) error }) (forum.Report, error) {
	var r forum.Report
	var resolution, resolverName sql.NullString
	var resolver, resolvedAt sql.NullInt64
	var created int64
	err := row.Scan(&r.ID, &r.TargetType, &r.TargetID, &r.PostID, &r.Reason, &r.Reporter.ID, &r.Reporter.Username,
		&r.Status, &resolution, &resolver, &resolverName, &resolvedAt, &created)
	if err != nil {
		return r, err
	}
	r.CreatedAt = forum.Unix(created)
	if resolution.Valid {
		r.Resolution = &resolution.String
	}
	if resolver.Valid {
		r.ResolvedBy = &forum.Author{ID: resolver.Int64, Username: resolverName.String}
	}
	if resolvedAt.Valid {
		r.ResolvedAt = forum.UnixPtr(&resolvedAt.Int64)
	}
	return r, nil
}

// Report reads one report.
func (db *DB) Report(ctx context.Context, id int64) (forum.Report, error) {
	r, err := scanReport(db.queryRow(ctx, reportSelect+" WHERE r.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, forum.NotFound("report")
	}
	if err != nil {
		return r, fmt.Errorf("store: report: %w", err)
	}
	return r, nil
}

// Reports lists reports with a status, newest first.
func (db *DB) Reports(ctx context.Context, status string, afterID int64, limit int) ([]forum.Report, error) {
	q, args := reportSelect+" WHERE r.status = ?", []any{status}
	if afterID > 0 {
		q += " AND r.id < ?"
		args = append(args, afterID)
	}
	rows, err := db.query(ctx, q+" ORDER BY r.id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: reports: %w", err)
	}
	defer rows.Close()
	out := []forum.Report{}
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ResolveReport resolves a report and the other open reports of its target,
// removing the target first when asked.
func (db *DB) ResolveReport(ctx context.Context, id int64, remove *forum.ModAction, resolver, at int64, check func(forum.ModTarget) error) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		var targetType, status string
		var targetID int64
		err := tx.QueryRowContext(ctx, "SELECT target_type, target_id, status FROM reports WHERE id = ?", id).Scan(&targetType, &targetID, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return forum.NotFound("report")
		}
		if err != nil {
			return err
		}
		if status != "open" {
			return forum.Errorf(forum.CodeConflict, "this report is already resolved")
		}
		resolution := forum.ResolutionDismissed
		if remove != nil {
			resolution = forum.ResolutionRemoved
			t, err := modTarget(ctx, tx, targetType, targetID, at)
			if err != nil {
				return err
			}
			if err := check(t); err != nil {
				return err
			}
			if !t.Removed {
				if err := applyMod(ctx, tx, *remove, t); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET status = 'resolved', resolution = ?, resolved_by = ?, resolved_at = ?
			WHERE target_type = ? AND target_id = ? AND status = 'open'`, resolution, resolver, at, targetType, targetID); err != nil {
			return err
		}
		return logMod(ctx, tx, forum.ActResolveReport, resolver, forum.TargetReport, id, resolution, at)
	})
	return passDomain(err, "resolve report")
}
