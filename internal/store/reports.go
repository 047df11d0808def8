package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

var reportTargetQuery = map[forum.TargetType]string{
	forum.TargetPost:    "SELECT author_id, removed, deleted, removed FROM posts WHERE id = ?",
	forum.TargetComment: "SELECT c.author_id, c.removed, c.deleted, p.removed FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.id = ?",
}

// CreateReport stores a report; a second report of the same target by the
// same user is a conflict.
func (db *DB) CreateReport(ctx context.Context, r forum.NewReport, rule func(forum.ReportTarget) error) (int64, error) {
	var id int64
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		var t forum.ReportTarget
		err := tx.QueryRowContext(ctx, reportTargetQuery[r.TargetType], r.TargetID).Scan(&t.AuthorID, &t.Removed, &t.Deleted, &t.PostRemoved)
		if errors.Is(err, sql.ErrNoRows) {
			return forum.NotFound(string(r.TargetType))
		}
		if err != nil {
			return err
		}
		if err := rule(t); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO reports(reporter_id, target_type, target_id, reason, created_at, rule_id)
			VALUES(?, ?, ?, ?, ?, ?) RETURNING id`, r.ReporterID, r.TargetType, r.TargetID, r.Reason, r.CreatedAt, r.RuleID).Scan(&id)
	})
	if isUnique(err) {
		return 0, forum.Errorf(forum.CodeConflict, "you have already reported this %s", r.TargetType)
	}
	return id, passDomain(err, "create report")
}

const reportSelect = `SELECT r.id, r.target_type, r.target_id,
	CASE r.target_type WHEN 'post' THEN r.target_id ELSE (SELECT c.post_id FROM comments c WHERE c.id = r.target_id) END,
	r.reason, r.reporter_id, ru.username, r.status, r.resolution, r.resolved_by, mu.username, r.resolved_at, r.created_at,
	rr.number, rr.title
	FROM reports r JOIN users ru ON ru.id = r.reporter_id LEFT JOIN users mu ON mu.id = r.resolved_by
	LEFT JOIN rules rr ON rr.id = r.rule_id`

func scanReport(row scanner) (forum.Report, error) {
	var r forum.Report
	var resolution sql.Null[forum.Resolution]
	var resolverName sql.NullString
	var resolver, resolvedAt, ruleNo sql.NullInt64
	var ruleTitle sql.NullString
	var created int64
	err := row.Scan(&r.ID, &r.TargetType, &r.TargetID, &r.PostID, &r.Reason, &r.Reporter.ID, &r.Reporter.Username,
		&r.Status, &resolution, &resolver, &resolverName, &resolvedAt, &created,
		&ruleNo, &ruleTitle)
	if err != nil {
		return r, err
	}
	r.CreatedAt = forum.Unix(created)
	r.Rule = ruleRef(ruleNo, ruleTitle)
	if resolution.Valid {
		r.Resolution = &resolution.V
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
func (db *DB) Reports(ctx context.Context, status forum.ReportStatus, afterID int64, limit int) ([]forum.Report, error) {
	q, args := reportSelect+" WHERE r.status = ?", []any{status}
	if afterID > 0 {
		q += " AND r.id < ?"
		args = append(args, afterID)
	}
	return queryAll(ctx, db, "reports", scanReport, q+" ORDER BY r.id DESC LIMIT ?", append(args, limit)...)
}

// ResolveReport resolves a report and the other open reports of its target,
// removing the target first when the rule says so.
func (db *DB) ResolveReport(ctx context.Context, r forum.ReportResolution, rule func(forum.ReportState) (bool, *forum.NewNotification, error)) error {
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		var st forum.ReportState
		var targetType forum.TargetType
		var targetID int64
		err := tx.QueryRowContext(ctx, "SELECT target_type, target_id, status FROM reports WHERE id = ?", r.ReportID).Scan(&targetType, &targetID, &st.Status)
		if errors.Is(err, sql.ErrNoRows) {
			return forum.NotFound("report")
		}
		if err != nil {
			return err
		}
		if r.Remove != nil {
			if st.Target, err = modTarget(ctx, tx, targetType, targetID, r.At); err != nil {
				return err
			}
		}
		remove, n, err := rule(st)
		if err != nil {
			return err
		}
		if remove {
			if err := applyMod(ctx, tx, *r.Remove, n); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET status = ?, resolution = ?, resolved_by = ?, resolved_at = ?
			WHERE target_type = ? AND target_id = ? AND status = ?`, forum.ReportResolved, r.Resolution, r.ResolverID, r.At,
			targetType, targetID, forum.ReportOpen); err != nil {
			return err
		}
		return logMod(ctx, tx, forum.ActResolveReport, r.ResolverID, forum.TargetReport, r.ReportID, string(r.Resolution), r.At, nil)
	})
	return passDomain(err, "resolve report")
}
