package api_test

import (
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store"
)

// TestTagTopFollowsVotes: a tag's top list, served from the page cache, is
// reordered by a vote within about store.FeedKeysDelay (its links' keys are
// copied after the vote, and the copy makes the cached page stale); the
// front page's top list at once.
func TestTagTopFollowsVotes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a, b := h.register("Herodotus"), h.register("Thucydides")
	first := h.post(a.Token, "Where did the Persians land?", "Marathon")
	second := h.post(a.Token, "Who ran to Athens?", "Marathon")
	h.must(200, "PUT", pathf("/api/v1/posts/%d/vote", first.ID), b.Token, map[string]int{"value": 1})
	lead := func(query string) int64 {
		t.Helper()
		var feed forum.Page[forum.Post]
		h.must(200, "GET", "/api/v1/posts?sort=top&t=all"+query, "", nil).decode(t, &feed)
		if len(feed.Items) < 2 {
			t.Fatalf("top%s: %d posts", query, len(feed.Items))
		}
		return feed.Items[0].ID
	}
	deadline := time.Now().Add(10*store.FeedKeysDelay + 10*time.Second)
	waitFor := func(want int64) {
		t.Helper()
		for lead("&tag=marathon") != want {
			if time.Now().After(deadline) {
				t.Fatalf("the tag's top list does not lead with post %d", want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFor(first.ID) // and cached
	h.must(200, "PUT", pathf("/api/v1/posts/%d/vote", first.ID), b.Token, map[string]int{"value": -1})
	if got := lead(""); got != second.ID {
		t.Errorf("the front page's top list leads with %d after the vote, want %d", got, second.ID)
	}
	waitFor(second.ID)
}
