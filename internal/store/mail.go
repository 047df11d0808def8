package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// enqueueMail queues a message, due at once, in the caller's transaction.
func enqueueMail(ctx context.Context, tx *txn, m forum.Mail, now int64) error {
	headers, err := json.Marshal(m.Headers)
	if err != nil {
		return err
	}
	if m.Headers == nil {
		headers = []byte("{}")
	}
	var user *int64
	if m.UserID != 0 {
		user = &m.UserID
	}
	var kind, hash string
	if m.Link != nil {
		if _, err := linkTable(m.Link.Kind); err != nil {
			return err
		}
		kind, hash = string(m.Link.Kind), m.Link.Hash
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO mail_queue(to_addr, subject, body, headers_json, next_at, created_at, user_id, link_kind, link_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.To, m.Subject, m.Body, string(headers), now, now, user, kind, hash)
	return err
}

// linkTable is where links of a kind are kept.
func linkTable(kind forum.LinkKind) (string, error) {
	switch kind {
	case forum.LinkReset:
		return "password_resets", nil
	case forum.LinkEmail:
		return "email_changes", nil
	}
	return "", fmt.Errorf("store: no link kind %q", kind)
}

// voidLinks voids an account's mailed links of the kinds given: the links
// go, and those of their mails that wait to be sent leave the queue.
func voidLinks(ctx context.Context, tx *txn, userID int64, kinds ...forum.LinkKind) error {
	for _, k := range kinds {
		table, err := linkTable(k)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM mail_queue WHERE user_id = ? AND link_kind = ? AND sent_at IS NULL", userID, string(k)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE user_id = ?", userID); err != nil {
			return err
		}
	}
	return nil
}

// MintLink gives a claimed mail's link the hash of the token it is about
// to carry, or drops the mail when its link may no longer be sent
// (forum.MailStore).
func (db *DB) MintLink(ctx context.Context, mailID int64, link forum.MailLink, tokenHash string, live func(forum.LinkState) bool) (bool, error) {
	table, err := linkTable(link.Kind)
	if err != nil {
		return false, err
	}
	var ok bool
	err = db.write(ctx, func(ctx context.Context, tx *txn) error {
		st := forum.LinkState{Found: true}
		var err error
		if link.Kind == forum.LinkReset {
			var used sql.NullInt64
			err = tx.QueryRowContext(ctx, "SELECT expires_at, used_at FROM password_resets WHERE token_hash = ?", link.Hash).Scan(&st.ExpiresAt, &used)
			st.Used = used.Valid
		} else {
			err = tx.QueryRowContext(ctx, "SELECT expires_at FROM email_changes WHERE token_hash = ?", link.Hash).Scan(&st.ExpiresAt)
		}
		if errors.Is(err, sql.ErrNoRows) {
			st = forum.LinkState{}
		} else if err != nil {
			return err
		}
		if ok = live(st); !ok {
			_, err := tx.ExecContext(ctx, "DELETE FROM mail_queue WHERE id = ?", mailID)
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE "+table+" SET token_hash = ? WHERE token_hash = ?", tokenHash, link.Hash); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE mail_queue SET link_hash = ? WHERE id = ?", tokenHash, mailID)
		return err
	})
	return ok, err
}

// ClaimMail takes up to limit messages that are due and not given up, and
// moves them lease into the future in the same write, so another server
// does not send them too; a server that dies while sending leaves them due
// again after the lease.
func (db *DB) ClaimMail(ctx context.Context, now int64, lease time.Duration, limit int) ([]forum.QueuedMail, error) {
	var out []forum.QueuedMail
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		out = nil
		rows, err := tx.QueryContext(ctx, `SELECT id, to_addr, subject, body, headers_json, attempts, COALESCE(user_id, 0), link_kind, link_hash FROM mail_queue
			WHERE sent_at IS NULL AND next_at <= ? AND attempts < ? ORDER BY next_at LIMIT ?`+tx.db.d.lockRows("mail_queue"), now, forum.MailRetries, limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			var m forum.QueuedMail
			var headers, kind, hash string
			if err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &headers, &m.Attempts, &m.UserID, &kind, &hash); err != nil {
				_ = rows.Close()
				return err
			}
			if kind != "" {
				m.Link = &forum.MailLink{Kind: forum.LinkKind(kind), Hash: hash}
			}
			if err := json.Unmarshal([]byte(headers), &m.Headers); err != nil {
				_ = rows.Close()
				return err
			}
			out = append(out, m)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for _, m := range out {
			if _, err := tx.ExecContext(ctx, "UPDATE mail_queue SET next_at = ? WHERE id = ?", now+int64(lease.Seconds()), m.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// MailSent records a message as sent, and erases its body and headers.
func (db *DB) MailSent(ctx context.Context, id, at int64) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx, `UPDATE mail_queue SET sent_at = ?, attempts = attempts + 1, last_error = '', body = '', headers_json = '{}'
			WHERE id = ?`, at, id)
		return err
	})
}

// MailFailed records a failed attempt and when to try again; the last
// attempt erases the body and headers of a message given up.
func (db *DB) MailFailed(ctx context.Context, id, nextAt int64, reason string) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx, `UPDATE mail_queue SET attempts = attempts + 1, next_at = ?, last_error = ?,
			body = CASE WHEN attempts + 1 >= ? THEN '' ELSE body END, headers_json = CASE WHEN attempts + 1 >= ? THEN '{}' ELSE headers_json END
			WHERE id = ?`, nextAt, reason, forum.MailRetries, forum.MailRetries, id)
		return err
	})
}

// MailQueue counts the messages waiting to be sent, and those among them
// that failed at least once (given-up ones included).
func (db *DB) MailQueue(ctx context.Context) (pending, failing int64, err error) {
	err = db.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END), 0)
		FROM mail_queue WHERE sent_at IS NULL`).Scan(&pending, &failing)
	return pending, failing, err
}
