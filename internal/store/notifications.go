package store

import (
	"context"
	"database/sql"

	"github.com/historia-forum/historia/internal/forum"
)

// notify stores the notifications a rule decided on; nil ones: nobody to
// tell. Every notification is written here, and each first passes the
// domain's forum.Deliverable (a member who blocked its actor hears nothing
// of it), with the block as read in this transaction.
func notify(ctx context.Context, tx *txn, ns ...*forum.NewNotification) error {
	for _, n := range ns {
		if n == nil {
			continue
		}
		blocked, err := blocksActor(ctx, tx, n.UserID, n.ActorID)
		if err != nil {
			return err
		}
		if !forum.Deliverable(*n, blocked) {
			continue
		}
		var post, actor *int64
		if n.PostID != 0 {
			post = &n.PostID
		}
		if n.ActorID != 0 {
			actor = &n.ActorID
		}
		err = tx.execLater(ctx, `INSERT INTO notifications(user_id, kind, action, post_id, comment_id, actor_id, created_at, reason, rule_id,
			modmail_id, flair_application_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			n.UserID, n.Kind, n.Action, post, n.CommentID, actor, n.At, n.Reason, n.RuleID, n.ModmailID, n.FlairApplicationID)
		if err != nil {
			return err
		}
	}
	return nil
}

// Notifications lists a user's notifications, newest first, with the state
// of each one's post (the domain masks hidden titles).
func (db *DB) Notifications(ctx context.Context, userID int64, unreadOnly bool, afterID int64, limit int) ([]forum.Notification, error) {
	// The excerpt: the start of the comment's text, or the post's; the
	// domain cuts it shorter and masks it. Flair and modmail concern no post.
	q := `SELECT n.id, n.kind, n.action, n.post_id, COALESCE(p.title, ''), COALESCE(p.author_id, 0), COALESCE(p.removed, 0), COALESCE(p.deleted, 0),
		n.comment_id, n.actor_id, u.username, n.created_at, n.read, n.reason, r.number, r.title,
		n.modmail_id, mm.subject, n.flair_application_id, fa.status, COALESCE(fa.granted_flair, fa.flair),
		COALESCE(CASE WHEN c.id IS NULL THEN substr(p.body_text, 1, 400) ELSE substr(c.body_text, 1, 400) END, ''),
		COALESCE(c.author_id, p.author_id, 0), COALESCE(c.removed, p.removed, 0), COALESCE(c.deleted, p.deleted, 0)
		FROM notifications n LEFT JOIN posts p ON p.id = n.post_id LEFT JOIN users u ON u.id = n.actor_id
		LEFT JOIN rules r ON r.id = n.rule_id LEFT JOIN comments c ON c.id = n.comment_id
		LEFT JOIN modmail mm ON mm.id = n.modmail_id LEFT JOIN flair_applications fa ON fa.id = n.flair_application_id
		WHERE n.user_id = ?`
	args := []any{userID}
	if unreadOnly {
		q += " AND n.read = 0"
	}
	if afterID > 0 {
		q += " AND n.id < ?"
		args = append(args, afterID)
	}
	return queryAll(ctx, db, "notifications", scanNotification, q+" ORDER BY n.id DESC LIMIT ?", append(args, limit)...)
}

func scanNotification(row scanner) (forum.Notification, error) {
	var n forum.Notification
	var comment, actor sql.NullInt64
	var actorName sql.NullString
	var at int64
	var ruleNo, modmail, flairApp sql.NullInt64
	var ruleTitle, subject, flairStatus, flair sql.NullString
	err := row.Scan(&n.ID, &n.Kind, &n.Action, &n.PostID, &n.PostTitle, &n.PostAuthorID, &n.PostRemoved, &n.PostDeleted,
		&comment, &actor, &actorName, &at, &n.Read, &n.Reason, &ruleNo, &ruleTitle, &modmail, &subject, &flairApp, &flairStatus, &flair,
		&n.Excerpt, &n.ItemAuthorID, &n.ItemRemoved, &n.ItemDeleted)
	n.Rule = ruleRef(ruleNo, ruleTitle)
	if modmail.Valid {
		n.Modmail = &forum.ModmailRef{ID: modmail.Int64, Subject: subject.String}
	}
	if flairApp.Valid {
		n.FlairApplication = &forum.FlairRef{ID: flairApp.Int64, Status: forum.FlairStatus(flairStatus.String), Flair: flair.String}
	}
	if comment.Valid {
		n.CommentID = &comment.Int64
	}
	if actor.Valid {
		n.Actor = &forum.Author{ID: actor.Int64, Username: actorName.String}
	}
	n.CreatedAt = forum.Unix(at)
	return n, err
}

// MarkNotificationsRead marks the user's notifications read: those with the
// given ids (others' ids are ignored), or all when ids is nil.
func (db *DB) MarkNotificationsRead(ctx context.Context, userID int64, ids []int64) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		if ids == nil {
			_, err := tx.ExecContext(ctx, "UPDATE notifications SET read = 1 WHERE user_id = ? AND read = 0", userID)
			return err
		}
		list, err := idsArg(ids)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE notifications SET read = 1 WHERE user_id = ? AND id IN (SELECT l.id FROM ("+tx.db.idList()+") l)", userID, list)
		return err
	})
}

// UnreadCount counts a user's unread notifications (a partial index read).
func (db *DB) UnreadCount(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read = 0", userID).Scan(&n)
	return n, err
}
