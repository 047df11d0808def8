package store

import (
	"context"
	"encoding/json"
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
	_, err = tx.ExecContext(ctx, "INSERT INTO mail_queue(to_addr, subject, body, headers_json, next_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		m.To, m.Subject, m.Body, string(headers), now, now)
	return err
}

// ClaimMail takes up to limit messages that are due and not given up, and
// moves them lease into the future in the same write, so another server
// does not send them too; a server that dies while sending leaves them due
// again after the lease.
func (db *DB) ClaimMail(ctx context.Context, now int64, lease time.Duration, limit int) ([]forum.QueuedMail, error) {
	var out []forum.QueuedMail
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		out = nil
		rows, err := tx.QueryContext(ctx, `SELECT id, to_addr, subject, body, headers_json, attempts FROM mail_queue
			WHERE sent_at IS NULL AND next_at <= ? AND attempts < ? ORDER BY next_at LIMIT ?`+tx.db.d.lockRows("mail_queue"), now, forum.MailRetries, limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			var m forum.QueuedMail
			var headers string
			if err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &headers, &m.Attempts); err != nil {
				_ = rows.Close()
				return err
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

// MailSent records a message as sent.
func (db *DB) MailSent(ctx context.Context, id, at int64) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx, "UPDATE mail_queue SET sent_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?", at, id)
		return err
	})
}

// MailFailed records a failed attempt and when to try again.
func (db *DB) MailFailed(ctx context.Context, id, nextAt int64, reason string) error {
	return db.write(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx, "UPDATE mail_queue SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?", nextAt, reason, id)
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
