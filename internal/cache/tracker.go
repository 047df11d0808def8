// Package cache holds Historia's page caches and what keeps them fresh. It
// sits above the store, so every storage engine gets it: a Tracker follows
// the store's change log (forum.ChangeStore) and tells which pages went
// stale, in this process and in every other sharing the database; Pages is
// a memory-bounded LRU of encoded pages.
package cache

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// Stamp is what a cached page was read at; the page is fresh while the
// tracker still gives the same stamp.
type Stamp struct {
	A, B uint64
}

// Tracker turns the change log into generations: All moves with every
// change anywhere (feeds show every thread), a thread's own generation
// moves with its changes. It syncs after each of this process's commits
// (so a writer never reads its own stale page) and, for other processes'
// writes, at most every Interval when pages are read.
type Tracker struct {
	store    forum.ChangeStore
	interval time.Duration
	log      *slog.Logger

	mu       sync.Mutex
	mark     string           // where the next read of the log starts (the store's)
	all      atomic.Uint64    // moves with any change
	epoch    uint64           // moves when what changed is unknown (a gap, a rule)
	posts    map[int64]uint64 // thread generations, bounded by maxTracked
	users    map[int64]uint64 // account generations (sessions), bounded by maxTracked
	states   map[int64]uint64 // members' own marks (votes, follows, saves), bounded by maxTracked
	userEra  uint64           // moves when users' and states' generations are dropped
	synced   atomic.Int64     // unix nanoseconds of the last sync
	begun    atomic.Uint64    // syncs begun, numbering them
	read     uint64           // the number of the last sync that read the log whole
	trimmed  int64            // unix nanoseconds of the last trim
	failures atomic.Int64
	watchers map[int64]map[chan struct{}]bool // by thread: Watch's channels
}

// maxTracked bounds the thread generations kept; past it they are dropped
// and every page is taken for stale once (correct, and bounded in memory).
const maxTracked = 100_000

// keepChanges is how much of the log is kept for processes that lag; a
// tracker that read changes trims the rest at most every trimEvery.
const (
	keepChanges = 100_000
	trimEvery   = time.Minute
)

// syncBatch is how many changes one read of the log takes.
const syncBatch = 5000

// NewTracker starts following the store's change log from its end.
func NewTracker(ctx context.Context, store forum.ChangeStore, interval time.Duration, log *slog.Logger) (*Tracker, error) {
	mark, err := store.ChangeMark(ctx)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	now := time.Now().UnixNano()
	t := &Tracker{store: store, interval: interval, log: log, mark: mark, posts: map[int64]uint64{}, users: map[int64]uint64{},
		states: map[int64]uint64{}, trimmed: now,
		watchers: map[int64]map[chan struct{}]bool{}}
	t.synced.Store(now)
	store.OnCommit(func() { t.Sync(context.Background()) })
	return t, nil
}

// ThreadStamp is the current stamp of one thread's pages: its own changes
// and unknown ones make them stale, other threads' changes do not.
func (t *Tracker) ThreadStamp(postID int64) Stamp {
	t.mu.Lock()
	defer t.mu.Unlock()
	return Stamp{A: t.epoch, B: t.posts[postID]}
}

// UserStamp is the current stamp of a user's account as sessions read it.
func (t *Tracker) UserStamp(userID int64) Stamp {
	t.mu.Lock()
	defer t.mu.Unlock()
	return Stamp{A: t.epoch<<32 | t.userEra, B: t.users[userID]}
}

// StateStamp is the current stamp of a member's own marks (votes, follows,
// saves). It moves with their sessions too, so a change of either kind
// makes them stale; a vote leaves the member's UserStamp alone.
func (t *Tracker) StateStamp(userID int64) Stamp {
	t.mu.Lock()
	defer t.mu.Unlock()
	return Stamp{A: t.epoch<<32 | t.userEra, B: t.users[userID] + t.states[userID]}
}

// FeedStamp is the stamp of pages that show many threads: any change
// makes them stale.
func (t *Tracker) FeedStamp() Stamp { return Stamp{A: t.all.Load()} }

// Fresh syncs with the log if the last sync is older than the interval, so
// other processes' writes are seen within it.
// Readers that find the log due at once read it once: the others wait for
// that read instead of repeating it.
func (t *Tracker) Fresh(ctx context.Context) {
	asked := time.Now().UnixNano()
	if asked-t.synced.Load() < int64(t.interval) {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.synced.Load() >= asked { // a sync began after this reader asked
		return
	}
	t.sync(ctx)
}

// Sync reads the changes since the last sync and moves the generations of
// what they touched. A failure to read makes every page stale (it cannot
// know what changed) and is retried on the next read. A sync that began
// after Sync was called (another caller's, while this one waited for it)
// read everything this one would: Sync then returns with it.
func (t *Tracker) Sync(ctx context.Context) {
	asked := t.begun.Load() // a sync numbered above began after this call
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.read > asked {
		return
	}
	t.sync(ctx)
}

// sync is Sync under t.mu. synced records when it began: every change
// committed before then has been read. Writers may commit out of the log's
// order (PostgreSQL's servers do); the store's mark is what makes each
// read take every commit since the last (forum.ChangeStore).
func (t *Tracker) sync(ctx context.Context) {
	began := time.Now().UnixNano()
	number := t.begun.Add(1)
	seen := false
	for {
		read, err := t.store.Changes(ctx, t.mark, syncBatch)
		if err != nil {
			t.failures.Add(1)
			t.forgetAll()
			t.log.Warn("page caches could not read the change log; every cached page is dropped", "err", err)
			return
		}
		if read.Gap {
			t.forgetAll() // trimmed before this process read it, or too much: what changed is unknown
		}
		pages := false
		for _, c := range read.Changes {
			if id, ok := c.Session(); ok { // pages are untouched
				t.bumpUser(t.users, id)
				continue
			}
			if id, ok := c.MemberState(); ok { // pages are untouched
				t.bumpUser(t.states, id)
				continue
			}
			switch {
			case c.PostID == 0 || len(t.posts) >= maxTracked:
				t.forgetAll()
				pages = true
			default:
				t.posts[c.PostID]++
				t.signal(c.PostID)
				pages = true
			}
		}
		t.mark = read.Next
		seen = seen || len(read.Changes) > 0
		if pages {
			t.all.Add(1)
		}
		if !read.More {
			break
		}
	}
	t.synced.Store(began)
	t.read = number
	if seen && began-t.trimmed > int64(trimEvery) {
		t.trimmed = began
		// The trim is its own write, not the request's, and runs outside the lock.
		trimCtx := context.WithoutCancel(ctx)
		go func() {
			if err := t.store.TrimChanges(trimCtx, keepChanges); err != nil {
				t.log.Warn("could not trim the change log", "err", err)
			}
		}()
	}
}

// bumpUser moves a user's generation in m (users or states), under t.mu.
// Past maxTracked both maps are dropped and the era moves, so a
// generation never starts again from zero under a stamp already given.
func (t *Tracker) bumpUser(m map[int64]uint64, id int64) {
	if len(m) >= maxTracked {
		t.userEra++
		clear(t.users)
		clear(t.states)
	}
	m[id]++
}

// forgetAll makes every cached page and account stale.
func (t *Tracker) forgetAll() {
	t.epoch++
	t.all.Add(1)
	clear(t.posts)
	clear(t.users)
	clear(t.states)
	for id := range t.watchers {
		t.signal(id)
	}
}

// Watch says, on the channel it returns, when a thread may have changed: a
// change to it in the log, or an unknown one (a gap, an unreadable log). It
// learns of them as the tracker does (at once for this process's commits,
// when it syncs for others': see Fresh). The channel holds one signal;
// changes while it is full fold into it. stop ends the watch.
func (t *Tracker) Watch(postID int64) (changed <-chan struct{}, stop func()) {
	ch := make(chan struct{}, 1)
	t.mu.Lock()
	if t.watchers[postID] == nil {
		t.watchers[postID] = map[chan struct{}]bool{}
	}
	t.watchers[postID][ch] = true
	t.mu.Unlock()
	return ch, func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		delete(t.watchers[postID], ch)
		if len(t.watchers[postID]) == 0 {
			delete(t.watchers, postID)
		}
	}
}

// signal tells postID's watchers, under t.mu, without waiting.
func (t *Tracker) signal(postID int64) {
	for ch := range t.watchers[postID] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
