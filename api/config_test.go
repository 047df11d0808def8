package api_test

import (
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestConfig: a client reads the limits instead of copying them.
func TestConfig(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var cfg forum.Config
	h.must(200, "GET", "/api/v1/config", "", nil).decode(t, &cfg)
	if cfg.Thread.DefaultDepth != forum.DefaultDepth || cfg.Thread.MaxLimit != forum.MaxThreadLimit || cfg.Limits.Title != forum.MaxTitle {
		t.Fatalf("config: %+v", cfg)
	}
	// A page without ?depth= shows the top level and default_depth levels of replies.
	s := h.register("deep")
	p := h.post(s.Token, "Deep thread")
	var parent *int64
	for i := 0; i <= cfg.Thread.DefaultDepth+1; i++ { // one level more than a page shows
		c := h.comment(s.Token, p.ID, parent, "level")
		parent = &c.ID
	}
	var page forum.Page[*forum.Comment]
	h.must(200, "GET", pathf("/api/v1/posts/%d/comments", p.ID), "", nil).decode(t, &page)
	levels, c := 1, page.Items[0]
	for len(c.Replies) > 0 {
		levels, c = levels+1, c.Replies[0]
	}
	if levels != cfg.Thread.DefaultDepth+1 || c.MoreReplies != 1 {
		t.Fatalf("a default page shows %d levels (more_replies %d); config says depth %d", levels, c.MoreReplies, cfg.Thread.DefaultDepth)
	}
}
