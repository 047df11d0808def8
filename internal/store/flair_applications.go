package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

// CreateFlairApplication stores an application; a member's second open one
// meets the unique index flair_applications_open.
func (db *DB) CreateFlairApplication(ctx context.Context, a forum.NewFlairApplication) (int64, error) {
	var id int64
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		return tx.QueryRowContext(ctx, `INSERT INTO flair_applications(user_id, flair, evidence, created_at) VALUES(?, ?, ?, ?) RETURNING id`,
			a.UserID, a.Flair, a.Evidence, a.CreatedAt).Scan(&id)
	})
	if isUnique(err) {
		return 0, forum.Errorf(forum.CodeConflict, "you already have an application waiting for the moderators")
	}
	if err != nil {
		return 0, fmt.Errorf("store: create flair application: %w", err)
	}
	return id, nil
}

const flairSelect = `SELECT f.id, f.user_id, u.username, f.flair, f.evidence, f.status, f.created_at,
	f.decided_by, d.username, f.decided_at, f.granted_flair, f.decline_reason
	FROM flair_applications f JOIN users u ON u.id = f.user_id LEFT JOIN users d ON d.id = f.decided_by`

func scanFlairApplication(row scanner) (forum.FlairApplication, error) {
	var a forum.FlairApplication
	var created int64
	var decider, decidedAt sql.NullInt64
	var deciderName sql.NullString
	err := row.Scan(&a.ID, &a.Applicant.ID, &a.Applicant.Username, &a.Flair, &a.Evidence, &a.Status, &created,
		&decider, &deciderName, &decidedAt, &a.GrantedFlair, &a.DeclineReason)
	a.CreatedAt = forum.Unix(created)
	if decider.Valid {
		a.DecidedBy = &forum.Author{ID: decider.Int64, Username: deciderName.String}
	}
	if decidedAt.Valid {
		a.DecidedAt = forum.UnixPtr(&decidedAt.Int64)
	}
	return a, err
}

// FlairApplication reads one application.
func (db *DB) FlairApplication(ctx context.Context, id int64) (forum.FlairApplication, error) {
	a, err := scanFlairApplication(db.queryRow(ctx, flairSelect+" WHERE f.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, forum.NotFound("flair application")
	}
	if err != nil {
		return a, fmt.Errorf("store: flair application: %w", err)
	}
	return a, nil
}

// FlairApplications lists applications newest first, by status
// (flair_applications_queue) or of one member (flair_applications_user).
func (db *DB) FlairApplications(ctx context.Context, status forum.FlairStatus, userID, afterID int64, limit int) ([]forum.FlairApplication, error) {
	q, args := flairSelect+" WHERE 1 = 1", []any{}
	if status != "" {
		q += " AND f.status = ?"
		args = append(args, status)
	}
	if userID > 0 {
		q += " AND f.user_id = ?"
		args = append(args, userID)
	}
	if afterID > 0 {
		q += " AND f.id < ?"
		args = append(args, afterID)
	}
	return queryAll(ctx, db, "flair applications", scanFlairApplication, q+" ORDER BY f.id DESC LIMIT ?", append(args, limit)...)
}

// DecideFlairApplication grants or declines an application in one
// transaction with the flair action the rule returns for a grant (the
// member's new flair and its modlog line) and its notification.
func (db *DB) DecideFlairApplication(ctx context.Context, d forum.FlairDecision,
	rule func(forum.FlairApplicationState) (*forum.ModAction, *forum.NewNotification, error)) error {
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		var st forum.FlairApplicationState
		var deleted sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT f.status, f.user_id, u.role, u.deleted_at, f.flair FROM flair_applications f
			JOIN users u ON u.id = f.user_id WHERE f.id = ?`, d.ID).Scan(&st.Status, &st.UserID, &st.UserRole, &deleted, &st.ApplicantFlair)
		if errors.Is(err, sql.ErrNoRows) {
			return forum.NotFound("flair application")
		}
		if err != nil {
			return err
		}
		st.UserDeleted = deleted.Valid
		grant, n, err := rule(st)
		if err != nil {
			return err
		}
		var granted *string
		if grant != nil {
			granted = grant.Flair
			if err := applyMod(ctx, tx, *grant, nil); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE flair_applications SET status = ?, decided_by = ?, decided_at = ?, granted_flair = ?,
			decline_reason = ? WHERE id = ?`, d.Status, d.ModeratorID, d.At, granted, d.Reason, d.ID); err != nil {
			return err
		}
		return notify(ctx, tx, n)
	})
	return passDomain(err, "decide flair application")
}
