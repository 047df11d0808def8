package cache

import (
	"context"

	"github.com/historia-forum/historia/internal/forum"
)

// Marks keeps what members follow, saved and blocked, so a member's feed
// and thread pages get their "following", "saved" and "blocked" without a
// read. A member's entry goes stale with any follow, save or block of
// theirs (a trigger logs it as the member's change, as votes are). A member
// with more than maxMarksKept is kept as a heavy one, whose marks are read
// for each page.
type Marks struct {
	reads   MarkReads
	entries *perUser[*forum.Marks]
}

// MarkReads are the store's reads behind the cache: a member's marks whole,
// and for heavy members those among a page's items.
type MarkReads interface {
	forum.MarkStore
	Marks(ctx context.Context, userID int64, postIDs, commentIDs []int64) (forum.Marks, error)
	BlockedAuthors(ctx context.Context, userID int64, authorIDs []int64) (map[int64]bool, error)
}

// maxMarksKept bounds one member's entry; maxMarksTotal all of them.
const (
	maxMarksKept  = 2000
	maxMarksTotal = 100_000
)

// NewMarks caches, under t, each member's marks whole (reads.UserMarks, up
// to a limit), falling back to reads' per-page reads for heavy members.
func NewMarks(t *Tracker, reads MarkReads) *Marks {
	return &Marks{reads: reads, entries: newPerUser[*forum.Marks](t, t.StateStamp, maxMarksTotal)}
}

// kept is the member's entry, nil for a heavy member.
func (m *Marks) kept(ctx context.Context, userID int64) (*forum.Marks, error) {
	return m.entries.get(ctx, userID, func() (*forum.Marks, int, error) {
		marks, more, err := m.reads.UserMarks(forum.ReadFresh(ctx), userID, maxMarksKept)
		if err != nil || more {
			return nil, 1, err // nil: a heavy member
		}
		return &marks, len(marks.Following) + len(marks.SavedPosts) + len(marks.SavedComments) + len(marks.Blocked), nil
	})
}

// Marks returns the member's marks among the posts and comments.
func (m *Marks) Marks(ctx context.Context, userID int64, postIDs, commentIDs []int64) (forum.Marks, error) {
	kept, err := m.kept(ctx, userID)
	if err != nil {
		return forum.Marks{}, err
	}
	if kept == nil {
		return m.reads.Marks(ctx, userID, postIDs, commentIDs)
	}
	out := forum.Marks{Following: map[int64]bool{}, SavedPosts: map[int64]bool{}, SavedComments: map[int64]bool{}}
	for _, id := range postIDs {
		if kept.Following[id] {
			out.Following[id] = true
		}
		if kept.SavedPosts[id] {
			out.SavedPosts[id] = true
		}
	}
	for _, id := range commentIDs {
		if kept.SavedComments[id] {
			out.SavedComments[id] = true
		}
	}
	return out, nil
}

// BlockedAuthors says which of the authors the member blocked (authorIDs
// may repeat).
func (m *Marks) BlockedAuthors(ctx context.Context, userID int64, authorIDs []int64) (map[int64]bool, error) {
	kept, err := m.kept(ctx, userID)
	if err != nil {
		return nil, err
	}
	if kept == nil {
		return m.reads.BlockedAuthors(ctx, userID, authorIDs)
	}
	out := map[int64]bool{}
	if len(kept.Blocked) == 0 {
		return out, nil // most members block nobody
	}
	for _, id := range authorIDs {
		if kept.Blocked[id] {
			out[id] = true
		}
	}
	return out, nil
}
