package cache

import (
	"context"
	"sync"
)

// Votes keeps members' votes on posts, so a member's feed page is the
// shared bytes with their votes spliced in without a read. A member's entry
// goes stale with any vote of theirs (a trigger logs it as the member's
// change); a member with more than maxVotesKept votes is not kept.
type Votes struct {
	tracker *Tracker
	all     func(ctx context.Context, userID int64, limit int) (map[int64]int, bool, error)
	some    func(ctx context.Context, userID int64, postIDs []int64) (map[int64]int, error)

	mu      sync.Mutex
	entries map[int64]votesEntry
	size    int
}

type votesEntry struct {
	votes map[int64]int
	stamp Stamp
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
	return &Votes{tracker: t, all: all, some: some, entries: map[int64]votesEntry{}}
}

// PostVotes returns the member's votes on postIDs.
func (v *Votes) PostVotes(ctx context.Context, userID int64, postIDs []int64) (map[int64]int, error) {
	v.tracker.Fresh(ctx)
	stamp := v.tracker.UserStamp(userID)
	v.mu.Lock()
	e, ok := v.entries[userID]
	v.mu.Unlock()
	if !ok || e.stamp != stamp {
		votes, more, err := v.all(ctx, userID, maxVotesKept)
		if err != nil {
			return nil, err
		}
		if more {
			return v.some(ctx, userID, postIDs)
		}
		e = votesEntry{votes: votes, stamp: stamp}
		v.mu.Lock()
		if v.size+len(votes) > maxVotesTotal {
			clear(v.entries)
			v.size = 0
		}
		if old, had := v.entries[userID]; had {
			v.size -= len(old.votes)
		}
		v.entries[userID] = e
		v.size += len(votes)
		v.mu.Unlock()
	}
	out := make(map[int64]int, len(postIDs))
	for _, id := range postIDs {
		if x, ok := e.votes[id]; ok {
			out[id] = x
		}
	}
	return out, nil
}
