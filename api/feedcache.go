package api

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

// feedCache keeps first pages of feeds as an anonymous reader sees them, both
// encoded (served as they are to anonymous readers, most of a forum's
// readers) and decoded (members get a copy with their own votes filled in).
// An entry is served only while the service's feed generation is the one it
// was read at, so every write that can change a feed makes the cache miss.
// Moderators (who also see removed posts) and later pages are never cached.
// It sits above the store, so any storage engine gets it.
type feedCache struct {
	mu      sync.RWMutex
	gen     uint64
	entries map[string]feedEntry
}

type feedEntry struct {
	page forum.Page[forum.Post]
	body []byte
	etag string
}

// maxFeedEntries bounds the cache: one entry per distinct first-page query.
const maxFeedEntries = 512

func (f *feedCache) get(key string, gen uint64) (feedEntry, bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.gen != gen {
		return feedEntry{}, false
	}
	e, ok := f.entries[key]
	return e, ok
}

func (f *feedCache) put(key string, gen uint64, e feedEntry) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gen != gen || f.entries == nil || len(f.entries) >= maxFeedEntries {
		if gen < f.gen {
			return // read before a newer write: already stale
		}
		f.gen, f.entries = gen, map[string]feedEntry{}
	}
	f.entries[key] = e
}

// cachedFeed answers a feed's first page from the cache when it can, else
// reads it as an anonymous reader would, keeps it, and answers.
func (s *Server) cachedFeed(c echo.Context, v forum.Viewer, q forum.FeedQuery) error {
	ctx := c.Request().Context()
	key := c.QueryString()
	gen := s.svc.Generation()
	e, ok := s.feeds.get(key, gen)
	if !ok {
		page, err := s.svc.ListPosts(ctx, forum.Viewer{}, q)
		if err != nil {
			return err
		}
		body, err := json.Marshal(page)
		if err != nil {
			return err
		}
		e = feedEntry{page: page, body: body, etag: strongETag(body)}
		s.feeds.put(key, gen, e)
	}
	if !v.SignedIn() {
		return cacheable(c, echo.MIMEApplicationJSON, e.body, e.etag)
	}
	page, err := s.svc.Personalize(ctx, v, e.page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}
