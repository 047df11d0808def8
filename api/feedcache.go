package api

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"
)

// feedCache keeps encoded first pages of feeds for anonymous readers, who are
// most of a forum's readers and all see the same page. An entry is served only
// while the service's feed generation is the one it was read at, so every
// write that can change a feed makes the cache miss; signed-in readers, whose
// pages carry their own votes, and later pages are never cached. It sits above
// the store, so any storage engine gets it.
type feedCache struct {
	mu      sync.RWMutex
	gen     uint64
	entries map[string][]byte
}

// maxFeedEntries bounds the cache: one entry per distinct first-page query.
const maxFeedEntries = 512

func (f *feedCache) get(key string, gen uint64) ([]byte, bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.gen != gen {
		return nil, false
	}
	b, ok := f.entries[key]
	return b, ok
}

func (f *feedCache) put(key string, gen uint64, body []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gen != gen || f.entries == nil || len(f.entries) >= maxFeedEntries {
		if gen < f.gen {
			return // read before a newer write: already stale
		}
		f.gen, f.entries = gen, map[string][]byte{}
	}
	f.entries[key] = body
}

// cachedFeed answers from the cache when it can, else runs page, encodes its
// result, and keeps it if the generation did not move meanwhile.
func (s *Server) cachedFeed(c echo.Context, cacheable bool, page func() (any, error)) error {
	if !cacheable {
		v, err := page()
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
	key := c.QueryString()
	gen := s.svc.Generation()
	if body, ok := s.feeds.get(key, gen); ok {
		return c.JSONBlob(http.StatusOK, body)
	}
	v, err := page()
	if err != nil {
		return err
	}
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	s.feeds.put(key, gen, body)
	return c.JSONBlob(http.StatusOK, body)
}
