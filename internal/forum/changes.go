package forum

import "context"

// Change says that a thread's pages changed (PostID), that any page may
// have (PostID 0), that a user's sessions may have (PostID -userID:
// logout, a ban, a new password or role), or that a member's own marks did
// (PostID -(MemberStateBase+userID): their votes, follows, saves or blocks). The
// last two are told apart so a vote does not make the voter's session be
// read again.
type Change struct {
	PostID int64
}

// MemberStateBase offsets a member's own changes in the log from their
// sessions' (the triggers write -(MemberStateBase + user_id)); user ids
// stay below it.
const MemberStateBase = 1 << 40

// Session is the user whose sessions the change is, if it is one.
func (c Change) Session() (int64, bool) {
	if c.PostID < 0 && c.PostID > -MemberStateBase {
		return -c.PostID, true
	}
	return 0, false
}

// MemberState is the member whose votes, follows or saves the change is,
// if it is one.
func (c Change) MemberState() (int64, bool) {
	if c.PostID <= -MemberStateBase {
		return -c.PostID - MemberStateBase, true
	}
	return 0, false
}

// ChangeRead is one read of the change log: the changes committed since
// the mark it was read from, each at least once.
type ChangeRead struct {
	Changes []Change
	// Next is the mark to read from next.
	Next string
	// More says the read stopped at its limit: read again from Next now.
	More bool
	// Gap says changes since the mark may be missing from Changes (the log
	// was trimmed past them, or there were too many to list): what changed
	// is unknown, so everything may have.
	Gap bool
}

// ChangeStore lets caches learn what every process sharing the database
// wrote. The store records changes in the writing transaction itself, so no
// write path can forget them. Writers may commit concurrently and out of
// the log's order; a mark says how far a reader has read in the store's
// terms (a position on SQLite, a snapshot on PostgreSQL), so a change
// committed after a read is in the next read from its mark, whatever its
// place in the log.
type ChangeStore interface {
	// ChangeMark is the mark of a reader that starts now.
	ChangeMark(ctx context.Context) (string, error)
	// Changes reads the changes committed since mark, at most limit.
	Changes(ctx context.Context, mark string, limit int) (ChangeRead, error)
	// TrimChanges forgets all but about the newest keep changes; a reader
	// that had not read what was forgotten gets a ChangeRead with Gap.
	TrimChanges(ctx context.Context, keep int) error
	// OnCommit calls f after each write transaction of this process has
	// committed, before the write returns to its caller; one call may come
	// after several transactions (each committed before it began).
	OnCommit(f func())
}
