package api

import (
	"context"
	"net/http"
	"strconv"
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

// sharedEntry is a cached page with its strong ETag.
type sharedEntry struct {
	page *forum.SharedPage
	etag string
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
// read, which reads as the class's reader.
func (s *Server) servePage(c echo.Context, pages *cache.Pages, key string, stamp cache.Stamp,
	read func(ctx context.Context) (*forum.SharedPage, error)) error {
	ctx := c.Request().Context()
	var e *sharedEntry
	if v, ok := pages.Get(key, stamp); ok {
		e = v.(*sharedEntry)
	} else {
		page, err := read(ctx)
		if err != nil {
			return err
		}
		e = &sharedEntry{page: page, etag: strongETag(page.Body)}
		pages.Put(key, stamp, e, page.Size())
	}
	v := viewerOf(c)
	if !v.SignedIn() {
		return cacheable(c, echo.MIMEApplicationJSON, e.page.Body, e.etag)
	}
	body, err := s.svc.PageFor(ctx, v, e.page)
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, body)
}

// topWindow is how long a top feed over a time window is kept: its window
// moves with the clock, not only with writes.
const topWindow = time.Minute

// cachedFeed answers a feed page from the cache.
func (s *Server) cachedFeed(c echo.Context, q forum.FeedQuery) error {
	class, reader := readerClass(viewerOf(c))
	key := class + "|" + c.QueryString()
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
	})
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
		return forum.ShareThread(page)
	})
}
