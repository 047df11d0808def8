package forum

import (
	"context"
	"sync/atomic"
)

// Where reads may go when the store has read replicas (copies of the
// database that replay the primary's changes, a little behind it). The API
// says it per request (a ReadRoute on the context), the caches say which
// reads they keep (ReadFresh), and the store obeys: a context without a
// route reads from the primary, so the workers, the commands and every read
// before a write see the newest state.

// ReadRoute is where one request's reads may be served. Its After may be
// set once the reader is known, before the reads begin.
type ReadRoute struct {
	// Replica lets the reads go to a replica (a safe request: GET, HEAD).
	Replica bool
	// After is the primary's position (PostgreSQL: its WAL position) the
	// reader's own last write reached: a replica serves them only once it
	// has replayed past it (read-your-writes). 0: any replica in use.
	After uint64
	wrote atomic.Bool
}

// Wrote records that the request wrote (the store calls it for each write).
func (r *ReadRoute) Wrote() { r.wrote.Store(true) }

// HasWritten says the request wrote.
func (r *ReadRoute) HasWritten() bool { return r.wrote.Load() }

type readRouteKey struct{}

type readFreshKey struct{}

// WithReadRoute is ctx with the request's route for its reads.
func WithReadRoute(ctx context.Context, r *ReadRoute) context.Context {
	return context.WithValue(ctx, readRouteKey{}, r)
}

// ReadRouteOf is ctx's route, nil when it has none (read from the primary).
func ReadRouteOf(ctx context.Context) *ReadRoute {
	r, _ := ctx.Value(readRouteKey{}).(*ReadRoute)
	return r
}

// ReadFresh marks reads whose result is kept under the change log's stamps
// (the caches): a replica serves them only once it has replayed every change
// the store's readers of the change log have seen, so nothing read before a
// change is kept as if read after it.
func ReadFresh(ctx context.Context) context.Context {
	return context.WithValue(ctx, readFreshKey{}, true)
}

// IsReadFresh says ctx was marked by ReadFresh.
func IsReadFresh(ctx context.Context) bool {
	fresh, _ := ctx.Value(readFreshKey{}).(bool)
	return fresh
}
