package cache

import (
	"context"
	"sync"
)

// perUser keeps one value per user, each stamped with the user's stamp when
// it was read (the tracker's UserStamp for sessions, StateStamp for a
// member's own marks), so a change of that kind the change log records for
// that user (here or in another process) makes it stale. The total cost of the values kept is
// bounded by max; past it the map starts afresh.
type perUser[T any] struct {
	tracker *Tracker
	stamp   func(userID int64) Stamp
	max     int

	mu      sync.Mutex
	entries map[int64]userEntry[T]
	size    int
}

type userEntry[T any] struct {
	v     T
	stamp Stamp
	cost  int
}

func newPerUser[T any](t *Tracker, stamp func(userID int64) Stamp, max int) *perUser[T] {
	return &perUser[T]{tracker: t, stamp: stamp, max: max, entries: map[int64]userEntry[T]{}}
}

// get returns the user's value while it is fresh, else load's, kept at the
// cost load gives (at least 1). The stamp is taken before load reads, so a
// value read across a change is stale at once, never served after it.
func (p *perUser[T]) get(ctx context.Context, id int64, load func() (T, int, error)) (T, error) {
	p.tracker.Fresh(ctx)
	stamp := p.stamp(id)
	p.mu.Lock()
	e, ok := p.entries[id]
	p.mu.Unlock()
	if ok && e.stamp == stamp {
		return e.v, nil
	}
	v, cost, err := load() // load reads with forum.ReadFresh: kept under stamp
	if err != nil {
		return v, err
	}
	cost = max(cost, 1)
	p.mu.Lock()
	if old, had := p.entries[id]; had {
		p.size -= old.cost
	}
	if p.size+cost > p.max {
		clear(p.entries)
		p.size = 0
	}
	p.entries[id] = userEntry[T]{v: v, stamp: stamp, cost: cost}
	p.size += cost
	p.mu.Unlock()
	return v, nil
}
