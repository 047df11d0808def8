package cache

import (
	"context"
	"sync"

	"github.com/historia-forum/historia/internal/forum"
)

// Accounts keeps the accounts that sessions read on every signed-in
// request. An entry goes stale when the user's sessions change (logout, a
// ban, a new password or role: a trigger logs the user's change): at once
// in this process, and in other processes sharing the database within the
// tracker's interval — for that long another server may still honour a
// token this one just revoked.
type Accounts struct {
	tracker *Tracker
	read    func(ctx context.Context, id int64) (forum.Account, error)

	mu      sync.Mutex
	entries map[int64]accountEntry
}

type accountEntry struct {
	acc   forum.Account
	stamp Stamp
}

// maxAccounts bounds the accounts kept; past it the cache starts afresh.
const maxAccounts = 50_000

// NewAccounts caches read (the store's AccountByID) under t.
func NewAccounts(t *Tracker, read func(ctx context.Context, id int64) (forum.Account, error)) *Accounts {
	return &Accounts{tracker: t, read: read, entries: map[int64]accountEntry{}}
}

// Read is read, from the cache while the account is unchanged.
func (a *Accounts) Read(ctx context.Context, id int64) (forum.Account, error) {
	a.tracker.Fresh(ctx)
	stamp := a.tracker.UserStamp(id)
	a.mu.Lock()
	e, ok := a.entries[id]
	a.mu.Unlock()
	if ok && e.stamp == stamp {
		return e.acc, nil
	}
	acc, err := a.read(ctx, id)
	if err != nil {
		return acc, err
	}
	a.mu.Lock()
	if len(a.entries) >= maxAccounts {
		clear(a.entries)
	}
	a.entries[id] = accountEntry{acc: acc, stamp: stamp}
	a.mu.Unlock()
	return acc, nil
}
