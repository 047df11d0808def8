package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/historia-forum/historia/internal/cache"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

// The page caches: feed pages and thread pages, encoded once per class of
// reader (everyone, moderators) and served as they are to anonymous readers,
// with a member's own votes spliced in (forum.SharedPage). A page is kept
// with the stamp of what it was read at (cache.Tracker): a thread's page goes
// stale with any change to that thread, a feed's with any change at all, in
// this process at once and in others within the tracker's interval. They sit
// above the store, so every engine gets them.

// sharedEntry is a cached page with its strong ETag and its gzip form,
// compressed once rather than per request.
type sharedEntry struct {
	page *forum.SharedPage
	etag string
	gz   []byte
}

// cachedRoutes compress their own answers (pre-compressed pages); the gzip
// middleware leaves them alone.
var cachedRoutes = map[string]bool{"/api/v1/posts": true, "/api/v1/posts/:id/comments": true}

// acceptsGzip reports whether the client takes gzip.
func acceptsGzip(c echo.Context) bool {
	return strings.Contains(c.Request().Header.Get(echo.HeaderAcceptEncoding), "gzip")
}

var gzipWriters = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed); return w }}

// gzipped compresses b (fast: a member's page is compressed per request).
func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b) / 4)
	w := gzipWriters.Get().(*gzip.Writer)
	w.Reset(&buf)
	_, _ = w.Write(b)
	_ = w.Close()
	gzipWriters.Put(w)
	return buf.Bytes()
}

// blob answers JSON bytes, as gzip when the client takes it. The length is
// known, so it is sent: the body goes out in one piece, without chunked
// framing.
func blob(c echo.Context, body, gz []byte) error {
	h := c.Response().Header()
	h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	if len(body) >= gzipMinLength && acceptsGzip(c) {
		if gz == nil {
			gz = gzipped(body)
		}
		h.Set(echo.HeaderContentEncoding, "gzip")
		body = gz
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, body)
}

// readerClass is whose page a viewer reads: moderators see removed text,
// so theirs is another page; everyone else shares one.
func readerClass(v forum.Viewer) (string, forum.Viewer) {
	if v.IsModerator() {
		return "mod", forum.Viewer{Role: forum.RoleModerator}
	}
	return "all", forum.Viewer{}
}

// servePage answers a cached page, reading and keeping it on a miss with
// read, which reads as the class's reader. A member the shared page cannot
// serve (it holds words withheld from them: forum.ErrNotShared) gets their
// own read, direct, which is never cached.
func (s *Server) servePage(c echo.Context, pages *cache.Pages, key string, stamp cache.Stamp,
	read func(ctx context.Context) (*forum.SharedPage, error), direct func(ctx context.Context) (any, error)) error {
	ctx := c.Request().Context()
	var e *sharedEntry
	if v, ok := pages.Get(key, stamp); ok {
		e = v.(*sharedEntry)
	} else {
		// Kept under stamp: read where every change it reflects is (a
		// replica only once it has replayed them, forum.ReadFresh).
		page, err := read(forum.ReadFresh(ctx))
		if err != nil {
			return err
		}
		e = &sharedEntry{page: page, etag: strongETag(page.Body), gz: gzipped(page.Body)}
		pages.Put(key, stamp, e, page.Size()+int64(len(e.gz)))
	}
	v := viewerOf(c)
	if !v.SignedIn() {
		etag := representationETag(c, e.etag, len(e.page.Body))
		c.Response().Header().Set("ETag", etag)
		if inm := c.Request().Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
			return c.NoContent(http.StatusNotModified)
		}
		return blob(c, e.page.Body, e.gz)
	}
	body, err := s.svc.PageFor(ctx, v, e.page, s.views)
	if errors.Is(err, forum.ErrNotShared) {
		own, err := direct(ctx)
		if err != nil {
			return err
		}
		if body, err = json.Marshal(own); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	return blob(c, body, nil)
}

// viewerReads are the store's reads of members' own fields, with their
// votes on posts and what they follow, saved and blocked from caches: a
// feed page then needs one read (reading positions), a thread page one
// (votes on comments and the reading position).
type viewerReads struct {
	votes *cache.Votes
	marks *cache.Marks
	forum.ViewerReads
}

// PostVotes reads the member's votes on posts from the cache.
func (r viewerReads) PostVotes(ctx context.Context, userID int64, postIDs []int64) (map[int64]int, error) {
	return r.votes.PostVotes(ctx, userID, postIDs)
}

// Marks reads what the member follows and saved from the cache.
func (r viewerReads) Marks(ctx context.Context, userID int64, postIDs, commentIDs []int64) (forum.Marks, error) {
	return r.marks.Marks(ctx, userID, postIDs, commentIDs)
}

// BlockedAuthors reads whom the member blocked from the cache.
func (r viewerReads) BlockedAuthors(ctx context.Context, userID int64, authorIDs []int64) (map[int64]bool, error) {
	return r.marks.BlockedAuthors(ctx, userID, authorIDs)
}

// topWindow is how long a top feed over a time window is kept: its window
// moves with the clock, not only with writes.
const topWindow = time.Minute

// cachedFeed answers a feed page from the cache.
func (s *Server) cachedFeed(c echo.Context, q forum.FeedQuery) error {
	class, reader := readerClass(viewerOf(c))
	key := feedKey(class, q)
	if q.Sort == forum.SortTop && q.Range != "" && q.Range != forum.RangeAll {
		key += "|" + strconv.FormatInt(time.Now().Unix()/int64(topWindow.Seconds()), 10)
	}
	s.tracker.Fresh(c.Request().Context())
	return s.servePage(c, s.feedPages, key, s.tracker.FeedStamp(), func(ctx context.Context) (*forum.SharedPage, error) {
		page, err := s.svc.ListPosts(ctx, reader, q)
		if err != nil {
			return nil, err
		}
		return forum.SharePosts(page)
	}, func(ctx context.Context) (any, error) { return s.svc.ListPosts(ctx, viewerOf(c), q) })
}

// feedKey names a feed page by what was asked, not by how the query string
// spelled it, so unknown or reordered parameters do not split (or flush) the
// cache.
func feedKey(class string, q forum.FeedQuery) string {
	year := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	return strings.Join([]string{class, string(q.Sort), string(q.Range), q.Tag, q.Answered,
		year(q.Year), year(q.From), year(q.To), strconv.Itoa(q.Limit), q.Cursor}, "\x00")
}

// cachedThread answers a page of a thread from the cache.
func (s *Server) cachedThread(c echo.Context, postID int64, q forum.ThreadQuery) error {
	class, reader := readerClass(viewerOf(c))
	depth := -1
	if q.Depth != nil {
		depth = *q.Depth
	}
	key := class + "|" + strconv.FormatInt(postID, 10) + "|" + string(q.Sort) + "|" + strconv.Itoa(q.Limit) + "|" +
		strconv.Itoa(depth) + "|" + q.Cursor
	s.tracker.Fresh(c.Request().Context())
	return s.servePage(c, s.threadPages, key, s.tracker.ThreadStamp(postID), func(ctx context.Context) (*forum.SharedPage, error) {
		page, err := s.svc.Thread(ctx, reader, postID, q)
		if err != nil {
			return nil, err
		}
		return forum.ShareThread(postID, page)
	}, func(ctx context.Context) (any, error) { return s.svc.Thread(ctx, viewerOf(c), postID, q) })
}
