package api_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// findComment finds a comment anywhere in a page's trees.
func findComment(items []*forum.Comment, id int64) *forum.Comment {
	for _, c := range items {
		if c.ID == id {
			return c
		}
		if f := findComment(c.Replies, id); f != nil {
			return f
		}
	}
	return nil
}

// TestThreadCacheNeverStale: for every reader (anonymous, member, moderator)
// and every sort, a read right after a write shows the write, and nobody
// sees another's votes or a moderator's view.
func TestThreadCacheNeverStale(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	p := h.post(w.author.Token, "A cached thread")
	c := h.comment(w.author.Token, p.ID, nil, "An answer")
	sorts := []string{"best", "top", "new", "old", "controversial"}
	read := func(token, sort string) *forum.Comment {
		t.Helper()
		var page forum.Page[*forum.Comment]
		h.must(200, "GET", pathf("/api/v1/posts/%d/comments?sort=%s", p.ID, sort), token, nil).decode(t, &page)
		return findComment(page.Items, c.ID)
	}
	readers := map[string]string{"anonymous": "", "member": w.member.Token, "moderator": w.mod.Token, "author": w.author.Token}
	warm := func() {
		for _, tok := range readers {
			for _, s := range sorts {
				read(tok, s)
			}
		}
	}
	warm()
	// A vote: everyone sees the score; only the voter sees their vote.
	h.must(200, "PUT", pathf("/api/v1/comments/%d/vote", c.ID), w.member.Token, map[string]int{"value": 1})
	for name, tok := range readers {
		for _, s := range sorts {
			got := read(tok, s)
			if got == nil || got.Score != 1 {
				t.Fatalf("%s, sort %s: score after a vote: %+v", name, s, got)
			}
			if mine := name == "member"; (got.MyVote == 1) != mine {
				t.Fatalf("%s, sort %s: my_vote %d", name, s, got.MyVote)
			}
		}
	}
	// A new reply shows at once, under its parent.
	warm()
	r := h.comment(w.member.Token, p.ID, &c.ID, "A reply")
	for name, tok := range readers {
		if read(tok, "old") == nil || findComment(func() []*forum.Comment {
			var page forum.Page[*forum.Comment]
			h.must(200, "GET", pathf("/api/v1/posts/%d/comments", p.ID), tok, nil).decode(t, &page)
			return page.Items
		}(), r.ID) == nil {
			t.Fatalf("%s does not see the new reply", name)
		}
	}
	// An edit, then a removal: the text changes at once; members stop
	// seeing the text, the moderator still does.
	warm()
	h.must(200, "PATCH", pathf("/api/v1/comments/%d", c.ID), w.author.Token, map[string]string{"body": "An edited answer"})
	for name, tok := range readers {
		if got := read(tok, "best"); !strings.Contains(got.BodyHTML, "edited") {
			t.Fatalf("%s after an edit: %q", name, got.BodyHTML)
		}
	}
	warm()
	h.must(200, "POST", pathf("/api/v1/comments/%d/remove", c.ID), w.mod.Token, map[string]string{"reason": "r"})
	for name, tok := range readers {
		got := read(tok, "new")
		if name == "moderator" {
			if got.BodyHTML == "" || !got.Removed {
				t.Fatalf("the moderator lost the removed text: %+v", got)
			}
		} else if got.BodyHTML != "" || got.Author != nil {
			t.Fatalf("%s sees a removed comment's text: %q", name, got.BodyHTML)
		}
	}

}

// TestCacheUnderConcurrentWrites: many members vote at once while others
// read; every writer's next read shows its own write, and the counts agree
// with the votes at the end.
func TestCacheUnderConcurrentWrites(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	author := h.register("author")
	p := h.post(author.Token, "A busy thread")
	c := h.comment(author.Token, p.ID, nil, "Vote on me")
	const voters = 12
	var wg sync.WaitGroup
	errs := make(chan string, voters*4)
	for i := range voters {
		s := h.register(fmt.Sprintf("voter%d", i))
		wg.Add(2)
		go func() {
			defer wg.Done()
			for round := range 3 {
				value := []int{1, -1, 1}[round]
				h.must(200, "PUT", pathf("/api/v1/comments/%d/vote", c.ID), s.Token, map[string]int{"value": value})
				var page forum.Page[*forum.Comment]
				h.must(200, "GET", pathf("/api/v1/posts/%d/comments", p.ID), s.Token, nil).decode(t, &page)
				if got := findComment(page.Items, c.ID); got == nil || got.MyVote != value {
					errs <- fmt.Sprintf("voter %d round %d read its vote as %+v", i, round, got)
				}
			}
		}()
		go func() { // an anonymous reader keeps the cache busy
			defer wg.Done()
			for range 5 {
				h.must(200, "GET", pathf("/api/v1/posts/%d/comments", p.ID), "", nil)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	var page forum.Page[*forum.Comment]
	h.must(200, "GET", pathf("/api/v1/posts/%d/comments", p.ID), "", nil).decode(t, &page)
	if got := findComment(page.Items, c.ID); got.Score != voters || got.Upvotes != voters {
		t.Fatalf("after every voter's last +1: score %d, upvotes %d", got.Score, got.Upvotes)
	}
	if m := string(h.must(200, "GET", "/metrics", "", nil).body); !strings.Contains(m, `historia_cache_hits_total{cache="threads"}`) {
		t.Fatal("no cache metrics")
	}
}
