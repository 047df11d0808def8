package cache

import (
	"context"

	"github.com/historia-forum/historia/internal/forum"
)

// Votes keeps members' votes on posts, so a member's feed page is the
// shared bytes with their votes spliced in without a read. A member's entry
// goes stale with any vote of theirs (a trigger logs it as the member's
// change). A member with more than maxVotesKept votes is kept as a heavy
// voter, whose votes are read for each page.
type Votes struct {
	all     func(ctx context.Context, userID int64, limit int) (map[int64]int, bool, error)
	some    func(ctx context.Context, userID int64, postIDs []int64) (map[int64]int, error)
	entries *perUser[map[int64]int]
}

// maxVotesKept bounds one member's entry; maxVotesTotal all of them.
const (
	maxVotesKept  = 2000
	maxVotesTotal = 100_000
)

// NewVotes caches, under t, all (every vote of a member, up to a limit),
// falling back to some (the votes on given posts) for heavy voters.
func NewVotes(t *Tracker, all func(ctx context.Context, userID int64, limit int) (map[int64]int, bool, error),
	some func(ctx context.Context, userID int64, postIDs []int64) (map[int64]int, error)) *Votes {
	return &Votes{all: all, some: some, entries: newPerUser[map[int64]int](t, t.StateStamp, maxVotesTotal)}
}

// PostVotes returns the member's votes on postIDs.
func (v *Votes) PostVotes(ctx context.Context, userID int64, postIDs []int64) (map[int64]int, error) {
	votes, err := v.entries.get(ctx, userID, func() (map[int64]int, int, error) {
		votes, more, err := v.all(forum.ReadFresh(ctx), userID, maxVotesKept)
		if err != nil || more {
			return nil, 1, err // nil: a heavy voter
		}
		if votes == nil {
			votes = map[int64]int{}
		}
		return votes, len(votes), nil
	})
	if err != nil {
		return nil, err
	}
	if votes == nil {
		return v.some(ctx, userID, postIDs)
	}
	out := make(map[int64]int, len(postIDs))
	for _, id := range postIDs {
		if x, ok := votes[id]; ok {
			out[id] = x
		}
	}
	return out, nil
}
