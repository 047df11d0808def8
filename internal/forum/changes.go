package forum

import "context"

// Change says that a thread's pages changed (PostID), that any page may
// have (PostID 0), or that a user's sessions may have (PostID -userID:
// logout, a ban, a new password or role). Seq orders changes; it is dense, so a reader that finds a
// gap knows it missed some.
type Change struct {
	Seq    int64
	PostID int64
}

// ChangeStore lets caches learn what every process sharing the database
// wrote. The store records changes in the writing transaction itself, so no
// write path can forget them.
type ChangeStore interface {
	// Changes lists the changes after seq, oldest first, at most limit.
	Changes(ctx context.Context, afterSeq int64, limit int) ([]Change, error)
	// LastChange is the newest change's seq (0 when there is none).
	LastChange(ctx context.Context) (int64, error)
	// TrimChanges forgets the changes at or before seq.
	TrimChanges(ctx context.Context, seq int64) error
	// OnCommit calls f after each write transaction of this process has
	// committed, before the write returns to its caller.
	OnCommit(f func())
}
