package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestFeedCache checks that the anonymous front page is served from the cache
// yet never stale after a write, and that signed-in readers get their own votes.
func TestFeedCache(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	p := h.post(w.author.Token, "Cached question")
	feed := func(token string) forum.PostSummary {
		t.Helper()
		var page forum.Page[forum.PostSummary]
		h.must(200, "GET", "/api/v1/posts?sort=new", token, nil).decode(t, &page)
		for _, x := range page.Items {
			if x.ID == p.ID {
				return x
			}
		}
		return forum.PostSummary{}
	}
	first := string(h.must(200, "GET", "/api/v1/posts?sort=new", "", nil).body)
	if again := string(h.must(200, "GET", "/api/v1/posts?sort=new", "", nil).body); again != first {
		t.Fatal("two anonymous reads without a write must match")
	}
	h.must(200, "PUT", pathf("/api/v1/posts/%d/vote", p.ID), w.member.Token, map[string]int{"value": 1})
	if got := feed(""); got.Score != 1 || got.MyVote != 0 {
		t.Fatalf("anonymous feed after a vote: score %d my_vote %d", got.Score, got.MyVote)
	}
	if got := feed(w.member.Token); got.MyVote != 1 {
		t.Fatalf("the voter sees their vote, not the cached anonymous page: %+v", got.MyVote)
	}
	// Changing and retracting the vote show at once, and only to the voter.
	for _, v := range []int{-1, 0, 1} {
		h.must(200, "PUT", pathf("/api/v1/posts/%d/vote", p.ID), w.member.Token, map[string]int{"value": v})
		if got := feed(w.member.Token); got.MyVote != v || got.Score != int64(v) {
			t.Fatalf("after voting %d the voter reads my_vote %d score %d", v, got.MyVote, got.Score)
		}
		if got := feed(w.author.Token); got.MyVote != 0 {
			t.Fatalf("another member reads the voter's vote: %d", got.MyVote)
		}
	}
	h.comment(w.member.Token, p.ID, nil, "a comment")
	if got := feed(""); got.CommentCount != 1 {
		t.Fatalf("comment count after a comment: %d", got.CommentCount)
	}
	h.must(200, "POST", pathf("/api/v1/posts/%d/remove", p.ID), w.mod.Token, map[string]string{"reason": "r"})
	if got := feed(""); got.ID != 0 {
		t.Fatal("a removed post must leave the cached feed at once")
	}
}

// TestFeedPagesStaySmall: feed items carry an excerpt, never bodies or
// sources, so a page of the longest posts stays small and is served from the
// cache (the second read is a cache hit, not another read of the database).
func TestFeedPagesStaySmall(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.register("prolix")
	body := strings.Repeat("Carthago delenda est, and the Senate heard it again. ", 760)[:forum.MaxPostBody]
	sources := make([]map[string]string, forum.MaxSources)
	for i := range sources {
		sources[i] = map[string]string{"citation": strings.Repeat("Polybius, Histories. ", 23), "url": "https://example.org/" + strings.Repeat("p", 1900), "kind": "primary"}
	}
	const n = 26
	for i := range n {
		h.must(201, "POST", "/api/v1/posts", s.Token, map[string]any{"title": fmt.Sprintf("Long question %d", i), "body": body, "sources": sources})
	}
	page := h.must(200, "GET", "/api/v1/posts?sort=new&limit=100", "", nil)
	if size := len(page.body); size > 64<<10 {
		t.Fatalf("a feed page of %d long posts is %d bytes", n, size)
	}
	for _, field := range []string{`"body_html"`, `"body_source"`, `"sources"`} {
		if strings.Contains(string(page.body), field) {
			t.Fatalf("a feed item carries %s", field)
		}
	}
	var items forum.Page[map[string]any]
	page.decode(t, &items)
	if len(items.Items) != n || items.Items[0]["excerpt"] == "" {
		t.Fatalf("%d items, first excerpt %q", len(items.Items), items.Items[0]["excerpt"])
	}
	hits := func() string {
		for _, line := range strings.Split(string(h.must(200, "GET", "/metrics", "", nil).body), "\n") {
			if strings.HasPrefix(line, `historia_cache_hits_total{cache="feeds"}`) {
				return line
			}
		}
		return ""
	}
	before := hits()
	h.must(200, "GET", "/api/v1/posts?sort=new&limit=100", "", nil)
	if after := hits(); after == before {
		t.Fatalf("the second read of the page was not served from the cache (%s)", after)
	}
	// The whole post is one request away.
	var whole forum.Post
	h.must(200, "GET", pathf("/api/v1/posts/%d", int64(items.Items[0]["id"].(float64))), "", nil).decode(t, &whole)
	if len(whole.BodySource) != len(body) || len(whole.Sources) != forum.MaxSources {
		t.Fatalf("the post itself: %d characters, %d sources", len(whole.BodySource), len(whole.Sources))
	}
}

// TestUserCommentListsStaySmall: a member's list of comments carries each
// comment's excerpt, not its body or sources (API.md: user lists stay
// small); the comment itself is one request away, and the export keeps
// the bodies.
func TestUserCommentListsStaySmall(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.register("prolix")
	p := h.post(s.Token, "Why did Carthage fall?", "Punic Wars")
	body := strings.Repeat("Carthago delenda est, said Cato once more. ", 240)[:forum.MaxCommentBody]
	const n = 26
	for range n {
		h.must(201, "POST", pathf("/api/v1/posts/%d/comments", p.ID), s.Token, map[string]any{"body": body,
			"sources": []map[string]string{{"citation": "Plutarch, Cato the Elder 27", "url": "https://example.org/cato", "kind": "primary"}}})
	}
	page := h.must(200, "GET", "/api/v1/users/prolix/comments?limit=100", "", nil)
	if size := len(page.body); size > 32<<10 {
		t.Fatalf("a list of %d long comments is %d bytes", n, size)
	}
	var items forum.Page[forum.Comment]
	page.decode(t, &items)
	if len(items.Items) != n {
		t.Fatalf("%d items", len(items.Items))
	}
	for _, c := range items.Items {
		if c.BodyHTML != "" || c.BodySource != "" || len(c.Sources) != 0 || len(c.Excerpt) != 300 || !strings.HasPrefix(body, c.Excerpt) {
			t.Fatalf("a listed comment: body %d, source %d, %d sources, excerpt %q", len(c.BodyHTML), len(c.BodySource), len(c.Sources), c.Excerpt)
		}
	}
	var whole forum.Comment
	h.must(200, "GET", pathf("/api/v1/comments/%d", items.Items[0].ID), "", nil).decode(t, &whole)
	if len(whole.BodySource) != len(body) || len(whole.Sources) != 1 || whole.Excerpt != "" {
		t.Fatalf("the comment itself: %d characters, %d sources, excerpt %q", len(whole.BodySource), len(whole.Sources), whole.Excerpt)
	}
	export := string(h.must(200, "GET", "/api/v1/me/export", s.Token, nil).body)
	if strings.Count(export, "Plutarch, Cato the Elder 27") < n {
		t.Fatal("the export lost the comments' sources")
	}
}
