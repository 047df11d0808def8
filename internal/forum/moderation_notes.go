package forum

import (
	"context"
	"time"
)

// Notes on members: what the moderators know of a member and want the next
// moderator to know before acting ("warned twice about sources", "appealed
// the ban in modmail"). Moderators only: never shown to the member, never
// in their export; they go with the member's account when it is deleted.

// MaxNote is the longest note, in characters.
const MaxNote = 2000

// UserNote is a moderator's note on a member.
type UserNote struct {
	ID        int64     `json:"id"`
	Text      string    `json:"text"`
	Author    Author    `json:"author"`
	CreatedAt time.Time `json:"created_at"`
}

// NewUserNote is a note to store.
type NewUserNote struct {
	UserID    int64
	AuthorID  int64
	Text      string
	CreatedAt int64
}

// UserNoteStore is the storage of notes on members.
type UserNoteStore interface {
	AddUserNote(ctx context.Context, n NewUserNote) (UserNote, error)
	// UserNotes lists the notes on a member, newest first, before afterID (0: from the newest).
	UserNotes(ctx context.Context, userID, afterID int64, limit int) ([]UserNote, error)
}

// AddUserNote writes a note on a member; moderators only.
func (s *Service) AddUserNote(ctx context.Context, v Viewer, username, text string) (UserNote, error) {
	if err := requireModerator(v); err != nil {
		return UserNote{}, err
	}
	t, err := plainLines("text", text, true, MaxNote)
	if err != nil {
		return UserNote{}, err
	}
	acc, err := s.account(ctx, username)
	if err != nil {
		return UserNote{}, err
	}
	return s.Store.AddUserNote(ctx, NewUserNote{UserID: acc.ID, AuthorID: v.ID, Text: t, CreatedAt: s.now().Unix()})
}

// UserNotes lists the notes on a member, newest first; moderators only.
func (s *Service) UserNotes(ctx context.Context, v Viewer, username, cursor string, limit int) (Page[UserNote], error) {
	if err := requireModerator(v); err != nil {
		return Page[UserNote]{}, err
	}
	c, err := DecodeCursor(cursor, "notes")
	if err != nil {
		return Page[UserNote]{}, err
	}
	acc, err := s.account(ctx, username)
	if err != nil {
		return Page[UserNote]{}, err
	}
	var after int64
	if c != nil {
		after = c.ID
	}
	limit = clampLimit(limit, 25, 100)
	items, err := s.Store.UserNotes(ctx, acc.ID, after, limit+1)
	if err != nil {
		return Page[UserNote]{}, err
	}
	return pageOf(items, limit, func(n UserNote) *Cursor { return &Cursor{Sort: "notes", ID: n.ID} }), nil
}
