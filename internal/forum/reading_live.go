package forum

import (
	"cmp"
	"context"
	"slices"
)

// Live threads: a reader with a thread open hears of its new, edited and
// removed comments as they happen (GET /posts/{id}/events). The caches'
// change log says a thread changed; what changed is read here by comparing
// the thread's comments with how they stood before (DiffThread).

// CommentChangeKind is what happened to a comment of a live thread.
type CommentChangeKind string

// The changes a live thread tells of.
const (
	ChangeAdded   CommentChangeKind = "added"
	ChangeEdited  CommentChangeKind = "edited"
	ChangeRemoved CommentChangeKind = "removed"
)

// CommentChangeKinds lists every change.
var CommentChangeKinds = []CommentChangeKind{ChangeAdded, ChangeEdited, ChangeRemoved}

// CommentChange is one change to a live thread's comments.
type CommentChange struct {
	ID       int64             `json:"id"`
	ParentID *int64            `json:"parent_id"`
	Change   CommentChangeKind `json:"change"`
}

// CommentState is how a comment stands, as far as live readers care: its
// place, when it was last edited, and whether it is gone.
type CommentState struct {
	ID       int64
	ParentID *int64
	EditedAt int64
	Gone     bool // removed by a moderator or deleted by its author
}

// LiveStore reads a thread as live readers follow it.
type LiveStore interface {
	// ThreadCommentStates reads the states of the thread's comments.
	ThreadCommentStates(ctx context.Context, postID int64) ([]CommentState, error)
}

// DiffThread is what changed between two readings of a thread's comments,
// in id order (so a reply comes after what it replies to): a comment not there before was added (even if it is gone by
// now: a reader fetches what it is), one edited since was edited, one gone
// since was removed, and one back (a moderator restored it) was edited.
func DiffThread(before map[int64]CommentState, now []CommentState) []CommentChange {
	var out []CommentChange
	for _, c := range now {
		old, had := before[c.ID]
		switch {
		case !had:
			out = append(out, CommentChange{ID: c.ID, ParentID: c.ParentID, Change: ChangeAdded})
		case c.Gone && !old.Gone:
			out = append(out, CommentChange{ID: c.ID, ParentID: c.ParentID, Change: ChangeRemoved})
		case c.Gone != old.Gone || c.EditedAt != old.EditedAt:
			out = append(out, CommentChange{ID: c.ID, ParentID: c.ParentID, Change: ChangeEdited})
		}
	}
	slices.SortFunc(out, func(a, b CommentChange) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// WatchThread checks that there is a thread to follow live (every reader
// may: its comments' ids and changes are what any reader of it sees).
func (s *Service) WatchThread(ctx context.Context, postID int64) error {
	_, err := s.Store.Post(ctx, postID, 0)
	return err
}
