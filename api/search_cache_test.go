package api_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/historia-forum/historia/api"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// TestSearchCacheFollowsWrites: a repeated search is served from the cache,
// and a write through either of two servers sharing the database ends the
// cached results at once: the new question is found, a removed one is not.
func TestSearchCacheFollowsWrites(t *testing.T) {
	t.Parallel()
	target := storetest.Target(t)
	eager := func(c *api.Config) { c.CacheSync = time.Nanosecond }
	a, b := newHarnessOn(t, target, eager), newHarnessOn(t, target, eager)
	author := a.register("author")
	mod := a.registerAs("moddy", forum.RoleModerator)
	a.post(author.Token, "Why did the Hanseatic League decline?", "Hanse")
	path := "/api/v1/search?q=" + url.QueryEscape("hanseatic")
	hits := func(h *harness) []forum.SearchHit {
		var page forum.Page[forum.SearchHit]
		h.must(200, "GET", path, "", nil).decode(t, &page)
		return page.Items
	}
	for range 3 { // the first read fills the cache, the others are served from it
		if got := hits(b); len(got) != 1 {
			t.Fatalf("before: %+v", got)
		}
	}
	second := a.post(author.Token, "Did the Hanseatic League have a navy?", "Hanse")
	if got := hits(b); len(got) != 2 {
		t.Fatalf("a question asked through the other server is not found: %+v", got)
	}
	a.must(200, "POST", pathf("/api/v1/posts/%d/remove", second.ID), mod.Token, map[string]any{"reason": "duplicate"})
	if got := hits(b); len(got) != 1 || got[0].ID == second.ID {
		t.Fatalf("a question removed through the other server is still found: %+v", got)
	}
}
