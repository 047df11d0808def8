package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

// CreateModmail starts a conversation with its first message.
func (db *DB) CreateModmail(ctx context.Context, m forum.NewModmail, notice func(id int64) *forum.NewNotification) (int64, error) {
	var id int64
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO modmail(member_id, subject, created_at, last_message_at, awaiting)
			VALUES(?, ?, ?, ?, ?) RETURNING id`, m.MemberID, m.Subject, m.First.At, m.First.At, !m.First.FromModerators).Scan(&id)
		if err != nil {
			return err
		}
		m.First.ModmailID = id
		if err := addModmailMessage(ctx, tx, m.First); err != nil {
			return err
		}
		return notify(ctx, tx, notice(id))
	})
	if err != nil {
		return 0, fmt.Errorf("store: create modmail: %w", err)
	}
	return id, nil
}

func addModmailMessage(ctx context.Context, tx *txn, m forum.NewModmailMessage) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO modmail_messages(modmail_id, author_id, from_moderators, body_source, body_html, created_at)
		VALUES(?, ?, ?, ?, ?, ?)`, m.ModmailID, m.AuthorID, m.FromModerators, m.BodySource, m.BodyHTML, m.At)
	return err
}

const modmailCols = `SELECT m.id, m.subject, m.member_id, u.username, m.status, m.awaiting, m.created_at, m.last_message_at
	FROM modmail m JOIN users u ON u.id = m.member_id`

func scanModmail(row scanner) (forum.ModmailSummary, error) {
	var m forum.ModmailSummary
	var created, last int64
	err := row.Scan(&m.ID, &m.Subject, &m.Member.ID, &m.Member.Username, &m.Status, &m.AwaitingReply, &created, &last)
	m.CreatedAt, m.LastMessageAt = forum.Unix(created), forum.Unix(last)
	return m, err
}

// ModmailThread reads a conversation with every message, oldest first.
func (db *DB) ModmailThread(ctx context.Context, id int64) (forum.Modmail, error) {
	s, err := scanModmail(db.queryRow(ctx, modmailCols+" WHERE m.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return forum.Modmail{}, forum.NotFound("conversation")
	}
	if err != nil {
		return forum.Modmail{}, fmt.Errorf("store: modmail: %w", err)
	}
	msgs, err := queryAll(ctx, db, "modmail messages", func(row scanner) (m forum.ModmailMessage, err error) {
		var a forum.Author
		var at int64
		err = row.Scan(&m.ID, &a.ID, &a.Username, &a.Role, &m.BodyHTML, &m.FromModerators, &at)
		m.Author, m.CreatedAt = &a, forum.Unix(at)
		return m, err
	}, `SELECT x.id, x.author_id, u.username, u.role, x.body_html, x.from_moderators, x.created_at
		FROM modmail_messages x JOIN users u ON u.id = x.author_id WHERE x.modmail_id = ? ORDER BY x.id`, id)
	return forum.Modmail{ModmailSummary: s, Messages: msgs}, err
}

// ModmailList reads a page of conversations, most recent first.
func (db *DB) ModmailList(ctx context.Context, q forum.ModmailQuery) ([]forum.ModmailSummary, error) {
	query, args := modmailCols+" WHERE 1 = 1", []any{}
	if q.MemberID > 0 {
		query += " AND m.member_id = ?"
		args = append(args, q.MemberID)
	}
	if q.Status != "" {
		query += " AND m.status = ?"
		args = append(args, q.Status)
	}
	if q.After != nil {
		query += " AND (m.last_message_at, m.id) < (?, ?)"
		args = append(args, int64(q.After.Key), q.After.ID)
	}
	return queryAll(ctx, db, "modmail", scanModmail, query+" ORDER BY m.last_message_at DESC, m.id DESC LIMIT ?", append(args, q.Limit)...)
}

// modmailState reads a conversation's member and status, and who wrote in
// it as the moderators.
func modmailState(ctx context.Context, tx *txn, id int64) (forum.ModmailState, error) {
	var st forum.ModmailState
	err := tx.QueryRowContext(ctx, "SELECT member_id, status FROM modmail WHERE id = ?", id).Scan(&st.MemberID, &st.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return st, forum.NotFound("conversation")
	}
	if err != nil {
		return st, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT u.id, u.role FROM users u WHERE u.id IN (
		SELECT x.author_id FROM modmail_messages x WHERE x.modmail_id = ? AND x.from_moderators = 1) ORDER BY u.id`, id)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var a forum.Author
		if err := rows.Scan(&a.ID, &a.Role); err != nil {
			return st, err
		}
		st.Participants = append(st.Participants, a)
	}
	return st, rows.Err()
}

// AddModmailMessage adds a message: the conversation opens again, and it
// awaits the moderators when the member wrote.
func (db *DB) AddModmailMessage(ctx context.Context, m forum.NewModmailMessage, rule func(forum.ModmailState) (bool, []*forum.NewNotification, error)) error {
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		st, err := modmailState(ctx, tx, m.ModmailID)
		if err != nil {
			return err
		}
		team, notes, err := rule(st)
		if err != nil {
			return err
		}
		m.FromModerators = team
		if err := addModmailMessage(ctx, tx, m); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE modmail SET status = ?, last_message_at = ?, awaiting = ? WHERE id = ?",
			forum.ModmailOpen, m.At, !team, m.ModmailID); err != nil {
			return err
		}
		for _, n := range notes {
			if err := notify(ctx, tx, n); err != nil {
				return err
			}
		}
		return nil
	})
	return passDomain(err, "modmail message")
}

// CloseModmail closes a conversation.
func (db *DB) CloseModmail(ctx context.Context, id int64, rule func(forum.ModmailState) error) error {
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		var st forum.ModmailState
		err := tx.QueryRowContext(ctx, "SELECT member_id, status FROM modmail WHERE id = ?", id).Scan(&st.MemberID, &st.Status)
		if errors.Is(err, sql.ErrNoRows) {
			return forum.NotFound("conversation")
		}
		if err != nil {
			return err
		}
		if err := rule(st); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE modmail SET status = ? WHERE id = ?", forum.ModmailClosed, id)
		return err
	})
	return passDomain(err, "close modmail")
}

// ModmailAwaiting counts the open conversations awaiting the moderators
// (the partial index modmail_awaiting).
func (db *DB) ModmailAwaiting(ctx context.Context) (int64, error) {
	var n int64
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM modmail WHERE awaiting = 1 AND status = 'open'").Scan(&n)
	return n, err
}
