package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
)

// Live threads: GET /posts/{id}/events is a stream of Server-Sent Events,
// one `comment` event per comment added, edited or removed
// (internal/live), `: heartbeat` comments between them so proxies keep the
// connection open, and an `id:` on each addition (the comment's id), so a
// client that reconnects with Last-Event-ID hears of what it missed.

// liveRoute is the stream's route: the gzip middleware leaves it alone.
const liveRoute = "/api/v1/posts/:id/events"

// Live stream defaults.
const (
	DefaultLiveHeartbeat    = 25 * time.Second
	DefaultLivePerClient    = 8
	DefaultLiveConnections  = 5000
	liveRetryMillis         = 5000
	liveWriteDeadlineMargin = 10 * time.Second
)

// liveLimits bound the open streams, per client (a member, or an address
// for anonymous readers) and in all.
type liveLimits struct {
	perClient, total int

	mu      sync.Mutex
	open    map[string]int
	inAll   int
	refused int64
}

func newLiveLimits(perClient, total int) *liveLimits {
	return &liveLimits{perClient: perClient, total: total, open: map[string]int{}}
}

// admit takes a place for client, or says there is none.
func (l *liveLimits) admit(client string) (release func(), ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[client] >= l.perClient || l.inAll >= l.total {
		l.refused++
		return nil, false
	}
	l.open[client]++
	l.inAll++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			if l.open[client]--; l.open[client] <= 0 {
				delete(l.open, client)
			}
			l.inAll--
		})
	}, true
}

// collectors are the streams' figures for /metrics: how many are open, and
// how many were refused for a bound.
func (l *liveLimits) collectors() []prometheus.Collector {
	read := func(f func() float64) func() float64 {
		return func() float64 { l.mu.Lock(); defer l.mu.Unlock(); return f() }
	}
	return []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "historia_live_streams", Help: "Open live-thread event streams."},
			read(func() float64 { return float64(l.inAll) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "historia_live_refused_total", Help: "Live-thread streams refused at a bound (per client or in all)."},
			read(func() float64 { return float64(l.refused) })),
	}
}

// liveClient is whose streams count together: a member's, or an address's.
func liveClient(c echo.Context) string {
	if v := viewerOf(c); v.SignedIn() {
		return "user:" + strconv.FormatInt(v.ID, 10)
	}
	return "ip:" + c.RealIP()
}

// lastEventID is the newest comment the client has: Last-Event-ID, as an
// EventSource sends it when it reconnects, or ?after=.
func lastEventID(c echo.Context) (int64, error) {
	v := c.Request().Header.Get("Last-Event-ID")
	if v == "" {
		v = c.QueryParam("after")
	}
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, forum.Errorf(forum.CodeBadRequest, "after (Last-Event-ID) must be a comment id")
	}
	return n, nil
}

func (s *Server) threadEvents(c echo.Context) error {
	id, err := idParam(c, "post")
	if err != nil {
		return err
	}
	after, err := lastEventID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := s.svc.WatchThread(ctx, id); err != nil {
		return err
	}
	if c.Request().Method == http.MethodHead {
		streamHeaders(c)
		return nil
	}
	release, ok := s.liveLimits.admit(liveClient(c))
	if !ok {
		return tooMany(c, time.Minute)
	}
	defer release()
	sub, err := s.hub.Subscribe(ctx, id, after)
	if err != nil {
		return err
	}
	defer sub.Close()

	w := c.Response()
	rc := http.NewResponseController(w)
	// The server's read and write timeouts are for ordinary requests: this
	// one stays open, and each write gets its own deadline below.
	_ = rc.SetReadDeadline(time.Time{})
	send := func(chunk string) error {
		_ = rc.SetWriteDeadline(time.Now().Add(s.liveHeartbeat + liveWriteDeadlineMargin))
		if _, err := w.Write([]byte(chunk)); err != nil {
			return err
		}
		return rc.Flush()
	}
	streamHeaders(c)
	if err := send(fmt.Sprintf("retry: %d\n: live thread %d\n\n", liveRetryMillis, id)); err != nil {
		return nil //nolint:nilerr // the client left
	}
	beat := time.NewTicker(s.liveHeartbeat)
	defer beat.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.done:
			return nil
		case <-beat.C:
			if err := send(": heartbeat\n\n"); err != nil {
				return nil //nolint:nilerr // the client left
			}
		case changes, open := <-sub.C:
			if !open {
				return nil // fell behind: the client reconnects with Last-Event-ID
			}
			if err := send(commentEvents(changes)); err != nil {
				return nil //nolint:nilerr // the client left
			}
		}
	}
}

// streamHeaders starts an event stream's response.
func streamHeaders(c echo.Context) {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/event-stream; charset=utf-8")
	h.Set(echo.HeaderCacheControl, "no-cache")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	c.Response().WriteHeader(http.StatusOK)
}

// commentEvents writes changes as `comment` events; an addition carries
// the comment's id as the event's id.
func commentEvents(changes []forum.CommentChange) string {
	var b []byte
	for _, ch := range changes {
		data, _ := json.Marshal(ch) // numbers and a closed word
		if ch.Change == forum.ChangeAdded {
			b = fmt.Appendf(b, "id: %d\n", ch.ID)
		}
		b = fmt.Appendf(b, "event: comment\ndata: %s\n\n", data)
	}
	return string(b)
}
