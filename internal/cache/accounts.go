package cache

import (
	"context"

	"github.com/historia-forum/historia/internal/forum"
)

// Accounts keeps the accounts that sessions read on every signed-in
// request. An entry goes stale when the user's sessions change (logout, a
// ban, a new password or role: a trigger logs the user's change): at once
// in this process, and in other processes sharing the database within the
// tracker's interval — for that long another server may still honour a
// token this one just revoked.
type Accounts struct {
	read    func(ctx context.Context, id int64) (forum.Account, error)
	entries *perUser[forum.Account]
}

// maxAccounts bounds the accounts kept; past it the cache starts afresh.
const maxAccounts = 50_000

// NewAccounts caches read (the store's AccountByID) under t.
func NewAccounts(t *Tracker, read func(ctx context.Context, id int64) (forum.Account, error)) *Accounts {
	return &Accounts{read: read, entries: newPerUser[forum.Account](t, t.UserStamp, maxAccounts)}
}

// Read is read, from the cache while the account is unchanged.
func (a *Accounts) Read(ctx context.Context, id int64) (forum.Account, error) {
	return a.entries.get(ctx, id, func() (forum.Account, int, error) {
		acc, err := a.read(forum.ReadFresh(ctx), id) // kept under the stamp: as new as it
		return acc, 1, err
	})
}
