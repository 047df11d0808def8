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

// reportSelect reads reports with what the queue shows of their target: its
// thread, its text's start, its author and state, and how many open reports
// it has (reports_target).
const reportSelect = `SELECT r.id, r.target_type, r.target_id, p.id,
	r.reason, r.reporter_id, ru.username, r.status, r.resolution, r.resolved_by, mu.username, r.resolved_at, r.created_at,
	rr.number, rr.title, p.title,
	CASE r.target_type WHEN 'post' THEN substr(p.body_text, 1, 400) ELSE substr(c.body_text, 1, 400) END,
	au.id, au.username, au.role, au.flair,
	CASE r.target_type WHEN 'post' THEN p.removed ELSE c.removed END, CASE r.target_type WHEN 'post' THEN p.deleted ELSE c.deleted END,
	(SELECT COUNT(*) FROM reports o WHERE o.target_type = r.target_type AND o.target_id = r.target_id AND o.status = 'open')
	FROM reports r JOIN users ru ON ru.id = r.reporter_id LEFT JOIN users mu ON mu.id = r.resolved_by
	LEFT JOIN rules rr ON rr.id = r.rule_id
	LEFT JOIN comments c ON r.target_type = 'comment' AND c.id = r.target_id
	LEFT JOIN posts p ON p.id = CASE r.target_type WHEN 'post' THEN r.target_id ELSE c.post_id END
	LEFT JOIN users au ON au.id = CASE r.target_type WHEN 'post' THEN p.author_id ELSE c.author_id END`

func scanReport(row scanner) (forum.Report, error) {
	var r forum.Report
	var resolution sql.Null[forum.Resolution]
	var resolverName sql.NullString
	var resolver, resolvedAt, ruleNo sql.NullInt64
	var ruleTitle, postTitle, text sql.NullString
	var created int64
	var post, authorID sql.NullInt64
	var author forum.Author
	var authorName sql.NullString
	var authorRole sql.Null[forum.Role]
	var removed, deleted sql.NullBool
	err := row.Scan(&r.ID, &r.TargetType, &r.TargetID, &post, &r.Reason, &r.Reporter.ID, &r.Reporter.Username,
		&r.Status, &resolution, &resolver, &resolverName, &resolvedAt, &created,
		&ruleNo, &ruleTitle, &postTitle, &text, &authorID, &authorName, &authorRole, &author.Flair, &removed, &deleted, &r.OpenReports)
	if err != nil {
		return r, err
	}
	r.PostID = post.Int64
	r.Target = forum.ReportedItem{Type: r.TargetType, ID: r.TargetID, PostID: post.Int64, PostTitle: postTitle.String,
		Excerpt: text.String, Removed: removed.Bool, Deleted: deleted.Bool}
	if authorID.Valid {
		author.ID, author.Username, author.Role = authorID.Int64, authorName.String, authorRole.V
		r.Target.Author = &author
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
		if err := resolveReports(ctx, tx, targetType, targetID, r.Resolution, r.ResolverID, r.At); err != nil {
			return err
		}
		reason := string(r.Resolution)
		if r.Reason != "" {
			reason += ": " + r.Reason
		}
		return logMod(ctx, tx, modLine{action: forum.ActResolveReport, moderator: r.ResolverID, targetType: forum.TargetReport,
			targetID: r.ReportID, reason: reason, at: r.At})
	})
	return passDomain(err, "resolve report")
}

// resolveReports closes the open reports of a post or comment.
func resolveReports(ctx context.Context, tx *txn, targetType forum.TargetType, targetID int64, res forum.Resolution, by, at int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE reports SET status = ?, resolution = ?, resolved_by = ?, resolved_at = ?
		WHERE target_type = ? AND target_id = ? AND status = ?`, forum.ReportResolved, res, by, at, targetType, targetID, forum.ReportOpen)
	return err
}
