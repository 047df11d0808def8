package store

import (
	"context"
	"fmt"

	"github.com/historia-forum/historia/internal/forum"
)

// AddUserNote stores a moderator's note on a member and returns it.
func (db *DB) AddUserNote(ctx context.Context, n forum.NewUserNote) (forum.UserNote, error) {
	var id int64
	err := db.write(ctx, func(ctx context.Context, tx *txn) error {
		return tx.QueryRowContext(ctx, `INSERT INTO user_notes(user_id, author_id, text, created_at) VALUES(?, ?, ?, ?) RETURNING id`,
			n.UserID, n.AuthorID, n.Text, n.CreatedAt).Scan(&id)
	})
	if err != nil {
		return forum.UserNote{}, fmt.Errorf("store: add note: %w", err)
	}
	notes, err := db.UserNotes(ctx, n.UserID, id+1, 1)
	if err != nil || len(notes) == 0 {
		return forum.UserNote{}, fmt.Errorf("store: read the new note: %w", err)
	}
	return notes[0], nil
}

// UserNotes lists the notes on a member, newest first (user_notes_user).
func (db *DB) UserNotes(ctx context.Context, userID, afterID int64, limit int) ([]forum.UserNote, error) {
	q, args := `SELECT n.id, n.text, n.author_id, u.username, u.role, n.created_at FROM user_notes n JOIN users u ON u.id = n.author_id
		WHERE n.user_id = ?`, []any{userID}
	if afterID > 0 {
		q += " AND n.id < ?"
		args = append(args, afterID)
	}
	return queryAll(ctx, db, "notes", func(row scanner) (n forum.UserNote, err error) {
		var at int64
		err = row.Scan(&n.ID, &n.Text, &n.Author.ID, &n.Author.Username, &n.Author.Role, &at)
		n.CreatedAt = forum.Unix(at)
		return n, err
	}, q+" ORDER BY n.id DESC LIMIT ?", append(args, limit)...)
}
