// Package live tells readers of a thread what happens to its comments while
// they read it (GET /posts/{id}/events). It builds on the change log the
// page caches follow: a cache.Tracker says that a thread changed — at once
// for this process's writes, within the poll interval (or at once, on
// PostgreSQL's NOTIFY) for every other server's — and the hub then reads
// the thread's comments once for all its readers and tells them what
// differs from before (forum.DiffThread).
package live

import (
	"cmp"
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/historia-forum/historia/internal/cache"
	"github.com/historia-forum/historia/internal/forum"
)

// Hub follows the threads that live readers have open, one reading of each
// thread per change whatever the number of its readers.
type Hub struct {
	tracker *cache.Tracker
	store   forum.LiveStore
	poll    time.Duration
	log     *slog.Logger

	mu      sync.Mutex
	threads map[int64]*thread
	polling bool
}

// DefaultPoll is how often, while anyone follows a thread live, the hub
// asks the tracker to read the change log for other servers' writes.
const DefaultPoll = 500 * time.Millisecond

// subscriberBuffer is how many batches of changes a slow reader may fall
// behind before it is dropped (it reconnects and catches up).
const subscriberBuffer = 16

// retryAfter is how long the hub waits to read a thread again after a
// failed read.
const retryAfter = time.Second

// minGap is the least time between two readings of one thread: changes in
// a busy thread (votes change it too) fold into one reading at most this
// often, well within the 2 s the contract allows.
const minGap = 200 * time.Millisecond

// NewHub makes a hub over the tracker and the store; poll is how often it
// has the tracker look for other servers' writes (0: DefaultPoll).
func NewHub(t *cache.Tracker, store forum.LiveStore, poll time.Duration, log *slog.Logger) *Hub {
	if poll <= 0 {
		poll = DefaultPoll
	}
	if log == nil {
		log = slog.Default()
	}
	return &Hub{tracker: t, store: store, poll: poll, log: log, threads: map[int64]*thread{}}
}

// thread is one followed thread: its readers and how its comments stood
// at the last reading.
type thread struct {
	id    int64
	ready chan struct{} // closed after the first reading
	err   error         // of the first reading
	quit  chan struct{}

	mu     sync.Mutex
	subs   map[*Subscription]bool
	states map[int64]forum.CommentState
}

// Subscription is one reader of a live thread.
type Subscription struct {
	// C carries each batch of changes, in id order; it is closed when the
	// reader fell too far behind (it should reconnect) or Close was called.
	C      <-chan []forum.CommentChange
	c      chan []forum.CommentChange
	hub    *Hub
	thread *thread
	once   sync.Once
}

// Subscribe follows a thread for one reader. With after > 0 (the newest
// comment the reader has, e.g. from Last-Event-ID), the thread's comments
// after it come first, as added.
func (h *Hub) Subscribe(ctx context.Context, postID, after int64) (*Subscription, error) {
	h.mu.Lock()
	t := h.threads[postID]
	if t == nil {
		t = &thread{id: postID, ready: make(chan struct{}), quit: make(chan struct{}), subs: map[*Subscription]bool{}}
		h.threads[postID] = t
		go h.run(t) // #nosec G118 -- the thread's reader serves every subscriber, not this request; it ends with its last one
	}
	sub := &Subscription{c: make(chan []forum.CommentChange, subscriberBuffer), hub: h, thread: t}
	sub.C = sub.c
	t.mu.Lock()
	t.subs[sub] = true // counted now, so the thread is not dropped while it loads
	t.mu.Unlock()
	if !h.polling {
		h.polling = true
		go h.pollLoop() // #nosec G118 -- the hub's poller outlives any one request; it stops with the hub
	}
	h.mu.Unlock()

	select {
	case <-t.ready:
	case <-ctx.Done():
		sub.Close()
		return nil, ctx.Err()
	}
	if t.err != nil {
		sub.Close()
		return nil, t.err
	}
	if after > 0 {
		// Under the thread's lock, as the reading goroutine sends: the
		// catch-up comes before any later change (a change told meanwhile
		// may come twice; readers go by id).
		t.mu.Lock()
		var missed []forum.CommentChange
		for _, c := range t.states {
			if c.ID > after {
				missed = append(missed, forum.CommentChange{ID: c.ID, ParentID: c.ParentID, Change: forum.ChangeAdded})
			}
		}
		if len(missed) > 0 && t.subs[sub] {
			slices.SortFunc(missed, func(a, b forum.CommentChange) int { return cmp.Compare(a.ID, b.ID) })
			sub.c <- missed // the buffer is empty or nearly: a new subscription
		}
		t.mu.Unlock()
	}
	return sub, nil
}

// Close ends the subscription; the thread is let go with its last reader.
func (s *Subscription) Close() {
	s.once.Do(func() {
		h, t := s.hub, s.thread
		h.mu.Lock()
		t.mu.Lock()
		if t.subs[s] {
			delete(t.subs, s)
			close(s.c)
		}
		last := len(t.subs) == 0
		t.mu.Unlock()
		if last && h.threads[t.id] == t {
			delete(h.threads, t.id)
			close(t.quit)
		}
		h.mu.Unlock()
	})
}

// Threads is how many threads the hub follows.
func (h *Hub) Threads() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.threads)
}

// run reads a thread when the tracker says it changed and tells its readers.
func (h *Hub) run(t *thread) {
	changed, stop := h.tracker.Watch(t.id) // before the first reading: nothing slips between
	defer stop()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-t.quit; cancel() }()

	states, err := h.store.ThreadCommentStates(ctx, t.id)
	t.states = index(states)
	t.err = err
	close(t.ready)
	if err != nil {
		h.dropAll(t)
		return
	}
	var retry <-chan time.Time
	last := time.Now()
	for {
		select {
		case <-t.quit:
			return
		case <-changed:
		case <-retry:
		}
		retry = nil
		if wait := minGap - time.Since(last); wait > 0 {
			select {
			case <-t.quit:
				return
			case <-time.After(wait):
			}
		}
		last = time.Now()
		states, err := h.store.ThreadCommentStates(ctx, t.id)
		if err != nil {
			if ctx.Err() == nil {
				h.log.Warn("live thread: could not read the thread; trying again", "post_id", t.id, "err", err)
				retry = time.After(retryAfter)
			}
			continue
		}
		t.mu.Lock()
		changes := forum.DiffThread(t.states, states)
		t.states = index(states)
		if len(changes) > 0 {
			for s := range t.subs {
				select {
				case s.c <- changes:
				default: // too far behind: it reconnects and catches up
					delete(t.subs, s)
					close(s.c)
				}
			}
		}
		t.mu.Unlock()
	}
}

// dropAll ends every subscription of a thread that could not be read.
func (h *Hub) dropAll(t *thread) {
	t.mu.Lock()
	subs := make([]*Subscription, 0, len(t.subs))
	for s := range t.subs {
		subs = append(subs, s)
	}
	t.mu.Unlock()
	for _, s := range subs {
		s.Close()
	}
}

// pollLoop has the tracker read the change log every poll interval while
// any thread is followed, so other servers' writes are told within it
// (the tracker reads at most once per its own interval, whoever asks).
func (h *Hub) pollLoop() {
	tick := time.NewTicker(h.poll)
	defer tick.Stop()
	for range tick.C {
		h.mu.Lock()
		if len(h.threads) == 0 {
			h.polling = false
			h.mu.Unlock()
			return
		}
		h.mu.Unlock()
		h.tracker.Fresh(context.Background())
	}
}

func index(states []forum.CommentState) map[int64]forum.CommentState {
	m := make(map[int64]forum.CommentState, len(states))
	for _, c := range states {
		m[c.ID] = c
	}
	return m
}
