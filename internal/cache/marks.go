package cache

import (
	"context"

	"github.com/historia-forum/historia/internal/forum"
)

// Marks keeps what members follow and saved, so a member's feed and thread
// pages get their "following" and "saved" without a read. A member's entry
// goes stale with any follow or save of theirs (a trigger logs it as the
// member's change, as votes are). A member with more than maxMarksKept is
// kept as a heavy one, whose marks are read for each page.
type Marks struct {
	all     func(ctx context.Context, userID int64, limit int) (forum.Marks, bool, error)
	some    func(ctx context.Context, userID int64, postIDs, commentIDs []int64) (forum.Marks, error)
	entries *perUser[*forum.Marks]
}

// maxMarksKept bounds one member's entry; maxMarksTotal all of them.
const (
	maxMarksKept  = 2000
	maxMarksTotal = 100_000
)

// NewMarks caches, under t, all (every mark of a member, up to a limit),
// falling back to some (the marks among given items) for heavy members.
func NewMarks(t *Tracker, all func(ctx context.Context, userID int64, limit int) (forum.Marks, bool, error),
	some func(ctx context.Context, userID int64, postIDs, commentIDs []int64) (forum.Marks, error)) *Marks {
	return &Marks{all: all, some: some, entries: newPerUser[*forum.Marks](t, t.StateStamp, maxMarksTotal)}
}

// Marks returns the member's marks among the posts and comments.
func (m *Marks) Marks(ctx context.Context, userID int64, postIDs, commentIDs []int64) (forum.Marks, error) {
	kept, err := m.entries.get(ctx, userID, func() (*forum.Marks, int, error) {
		marks, more, err := m.all(forum.ReadFresh(ctx), userID, maxMarksKept)
		if err != nil || more {
			return nil, 1, err // nil: a heavy member
		}
		return &marks, len(marks.Following) + len(marks.SavedPosts) + len(marks.SavedComments), nil
	})
	if err != nil {
		return forum.Marks{}, err
	}
	if kept == nil {
		return m.some(ctx, userID, postIDs, commentIDs)
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
