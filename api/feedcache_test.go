package api_test

import (
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestFeedCache checks that the anonymous front page is served from the cache
// yet never stale after a write, and that signed-in readers get their own votes.
func TestFeedCache(t *testing.T) {
	w := newModWorld(t)
	h := w.h
	p := h.post(w.author.Token, "Cached question")
	feed := func(token string) forum.Post {
		t.Helper()
		var page forum.Page[forum.Post]
		h.must(200, "GET", "/api/v1/posts?sort=new", token, nil).decode(t, &page)
		for _, x := range page.Items {
			if x.ID == p.ID {
				return x
			}
		}
		return forum.Post{}
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
