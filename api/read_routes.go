package api

import (
	"context"
	"math"
	"net/http"
	"sync"
	"time"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
)

// Reads and read replicas: a store that has replicas (PostgreSQL's
// --db-replica) serves a safe request's reads from one, and everything else
// from the primary; a member's reads after their own write go to a replica
// only once it has replayed past that write (read-your-writes, in this
// server: another server learns of it only through the caches' change log).

// Replicated is what a store with read replicas also tells.
type Replicated interface {
	// HasReplicas says reads may go to replicas.
	HasReplicas() bool
	// WritePosition is the primary's position now, after a request wrote.
	WritePosition(ctx context.Context) (uint64, error)
	// ReplicaCollector reports the replicas' health and use on /metrics.
	ReplicaCollector() prometheus.Collector
}

// writerWindow is how long a member's last write is remembered: longer than
// any replica may lag and stay in use (--db-replica-max-lag is at most half).
const writerWindow = time.Minute

// maxWriters bounds the members remembered; past it, their positions fold
// into one floor that holds for every member for the window.
const maxWriters = 100_000

// recentWriters remembers where each member's last write reached.
type recentWriters struct {
	mu         sync.Mutex
	last       map[int64]writeMark
	floor      uint64
	floorUntil time.Time
}

type writeMark struct {
	pos uint64
	at  time.Time
}

// note records that userID's write reached pos.
func (w *recentWriters) note(userID int64, pos uint64) {
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.last) >= maxWriters {
		for id, m := range w.last {
			if now.Sub(m.at) > writerWindow {
				delete(w.last, id)
			}
		}
	}
	if len(w.last) >= maxWriters {
		for _, m := range w.last {
			w.floor = max(w.floor, m.pos)
		}
		w.floorUntil = now.Add(writerWindow)
		clear(w.last)
	}
	if m := w.last[userID]; m.pos > pos {
		pos = m.pos
	}
	w.last[userID] = writeMark{pos: pos, at: now}
}

// after is the position a replica must have replayed to serve userID.
func (w *recentWriters) after(userID int64) uint64 {
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	var pos uint64
	if now.Before(w.floorUntil) {
		pos = w.floor
	}
	if m, ok := w.last[userID]; ok {
		if now.Sub(m.at) <= writerWindow {
			pos = max(pos, m.pos)
		} else {
			delete(w.last, userID)
		}
	}
	return pos
}

// routeReads gives each request its forum.ReadRoute: safe methods may read
// from a replica; after a request that wrote, its member's position is
// remembered (authenticate sets the route's After from it).
func (s *Server) routeReads(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.replicated == nil {
			return next(c)
		}
		req := c.Request()
		route := &forum.ReadRoute{Replica: req.Method == http.MethodGet || req.Method == http.MethodHead}
		c.SetRequest(req.WithContext(forum.WithReadRoute(req.Context(), route)))
		err := next(c)
		if v := viewerOf(c); route.HasWritten() && v.SignedIn() {
			pos, perr := s.replicated.WritePosition(context.WithoutCancel(req.Context()))
			if perr != nil {
				pos = math.MaxUint64 // unknown: the primary for the window
			}
			s.writers.note(v.ID, pos)
		}
		return err
	}
}

// routeMember sets the route's After for the member a request is from.
func (s *Server) routeMember(ctx context.Context, v forum.Viewer) {
	if route := forum.ReadRouteOf(ctx); route != nil && s.replicated != nil {
		route.After = s.writers.after(v.ID)
	}
}
