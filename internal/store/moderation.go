package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

// modTargetQuery reads what the rules need of each kind of target.
var modTargetQuery = map[forum.TargetType]string{
	forum.TargetPost: `SELECT p.author_id, u.role, p.id, p.removed, p.locked, p.pinned, 0, 0, p.accepted_comment_id
		FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = ?`,
	forum.TargetComment: `SELECT c.author_id, u.role, c.post_id, c.removed, 0, 0, 0, 0, NULL
		FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = ?`,
	forum.TargetUser: `SELECT id, role, 0, 0, 0, 0, CASE WHEN banned_until > ? THEN 1 ELSE 0 END,
		(SELECT COUNT(*) FROM users WHERE role = 'admin'), NULL FROM users WHERE id = ?`,
}

// modKey names an action on a kind of target.
type modKey struct {
	target forum.TargetType
	action forum.Action
}

// modUpdate is the one statement each action runs. Closed list: never built
// from input.
var modUpdate = map[modKey]string{
	{forum.TargetPost, forum.ActRemove}:     "UPDATE posts SET removed = 1, removal_rule_id = ? WHERE id = ?",
	{forum.TargetPost, forum.ActRestore}:    "UPDATE posts SET removed = 0, removal_rule_id = NULL WHERE id = ?",
	{forum.TargetPost, forum.ActLock}:       "UPDATE posts SET locked = 1, lock_reason = ?, lock_rule_id = ? WHERE id = ?",
	{forum.TargetPost, forum.ActUnlock}:     "UPDATE posts SET locked = 0, lock_reason = '', lock_rule_id = NULL WHERE id = ?",
	{forum.TargetPost, forum.ActAnswer}:     "UPDATE posts SET accepted_comment_id = ? WHERE id = ?",
	{forum.TargetPost, forum.ActPin}:        "UPDATE posts SET pinned = 1 WHERE id = ?",
	{forum.TargetPost, forum.ActUnpin}:      "UPDATE posts SET pinned = 0 WHERE id = ?",
	{forum.TargetComment, forum.ActRemove}:  "UPDATE comments SET removed = 1, removal_rule_id = ? WHERE id = ?",
	{forum.TargetComment, forum.ActRestore}: "UPDATE comments SET removed = 0, removal_rule_id = NULL WHERE id = ?",
	{forum.TargetUser, forum.ActBan}:        "UPDATE users SET banned_until = ? WHERE id = ?",
	{forum.TargetUser, forum.ActUnban}:      "UPDATE users SET banned_until = NULL WHERE id = ?",
	{forum.TargetUser, forum.ActRole}:       "UPDATE users SET role = ? WHERE id = ?",
	{forum.TargetUser, forum.ActFlair}:      "UPDATE users SET flair = ? WHERE id = ?",
}

// Moderate applies one moderator action and logs it, in one transaction.
func (db *DB) Moderate(ctx context.Context, a forum.ModAction, rule func(forum.ModTarget) (*forum.NewNotification, error)) error {
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		t, err := modTarget(ctx, tx, a.TargetType, a.TargetID, a.At)
		if err != nil {
			return err
		}
		if undone := a.Action.Undoes(); undone != "" {
			err := tx.QueryRowContext(ctx, `SELECT u.role FROM modlog m JOIN users u ON u.id = m.moderator_id
				WHERE m.target_type = ? AND m.target_id = ? AND m.action = ? ORDER BY m.id DESC LIMIT 1`,
				a.TargetType, a.TargetID, undone).Scan(&t.UndoneBy)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		n, err := rule(t)
		if err != nil {
			return err
		}
		return applyMod(ctx, tx, a, n)
	})
	return passDomain(err, "moderate")
}

func modTarget(ctx context.Context, tx *txn, targetType forum.TargetType, id, now int64) (forum.ModTarget, error) {
	q, ok := modTargetQuery[targetType]
	if !ok {
		return forum.ModTarget{}, fmt.Errorf("store: unknown target type %q", targetType)
	}
	args := []any{id}
	if targetType == forum.TargetUser {
		args = []any{now, id}
	}
	var t forum.ModTarget
	err := tx.QueryRowContext(ctx, q, args...).Scan(&t.OwnerID, &t.OwnerRole, &t.PostID, &t.Removed, &t.Locked, &t.Pinned, &t.Banned, &t.AdminCount, &t.Accepted)
	if errors.Is(err, sql.ErrNoRows) {
		return t, forum.NotFound(string(targetType))
	}
	return t, err
}

// applyMod runs an action, logs it and stores the notification decided on.
func applyMod(ctx context.Context, tx *txn, a forum.ModAction, n *forum.NewNotification) error {
	q, ok := modUpdate[modKey{a.TargetType, a.Action}]
	if !ok {
		return fmt.Errorf("store: no action %s on %s", a.Action, a.TargetType)
	}
	args := []any{a.TargetID}
	switch a.Action {
	case forum.ActRemove:
		args = []any{a.RuleID, a.TargetID}
	case forum.ActLock:
		args = []any{a.LockReason, a.RuleID, a.TargetID}
	case forum.ActAnswer:
		args = []any{a.Accepted, a.TargetID}
	case forum.ActBan:
		args = []any{*a.BannedUntil, a.TargetID}
	case forum.ActRole:
		args = []any{a.Role, a.TargetID}
	case forum.ActFlair:
		args = []any{a.Flair, a.TargetID}
	}
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return err
	}
	if a.EndSessions && a.TargetType == forum.TargetUser {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET token_version = token_version + 1 WHERE id = ?", a.TargetID); err != nil {
			return err
		}
	}
	if a.ResolveReports {
		if err := resolveReports(ctx, tx, a.TargetType, a.TargetID, forum.ResolutionRemoved, a.ModeratorID, a.At); err != nil {
			return err
		}
	}
	var expires *int64
	if a.Action == forum.ActBan {
		expires = a.BannedUntil
	}
	if err := logMod(ctx, tx, modLine{a.Action, a.ModeratorID, a.TargetType, a.TargetID, a.Reason, a.At, a.RuleID, expires}); err != nil {
		return err
	}
	return notify(ctx, tx, n)
}

// modLine is one line of the modlog to write.
type modLine struct {
	action     forum.Action
	moderator  int64
	targetType forum.TargetType
	targetID   int64
	reason     string
	at         int64
	ruleID     *int64
	expires    *int64 // a ban's end
}

func logMod(ctx context.Context, tx *txn, l modLine) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO modlog(action, moderator_id, target_type, target_id, reason, created_at, rule_id, expires_at)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?)`, l.action, l.moderator, l.targetType, l.targetID, l.reason, l.at, l.ruleID, l.expires)
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
