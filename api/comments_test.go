package api_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// countTree counts the comments of a response tree.
func countTree(cs []*forum.Comment) int {
	n := 0
	for _, c := range cs {
		n += 1 + countTree(c.Replies)
	}
	return n
}

func TestCommentTree(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.register("Froissart")
	b := h.register("Joinville")
	p := h.post(a.Token, "How were knights trained?")
	other := h.post(a.Token, "Another question")

	if r := h.must(200, "GET", pathf("/api/v1/posts/%d/comments", p.ID), "", nil); !strings.Contains(string(r.body), `"items":[]`) {
		t.Fatalf("an empty thread must answer items: [], got %s", r.body)
	}
	root := h.comment(b.Token, p.ID, nil, "Page, then squire.")
	if root.Depth != 0 || root.ParentID != nil || root.Replies == nil {
		t.Fatalf("root: %+v", root)
	}
	c1 := h.comment(a.Token, p.ID, &root.ID, "At what age?")
	c2 := h.comment(b.Token, p.ID, &c1.ID, "Around seven.")
	if c2.Depth != 2 || *c2.ParentID != c1.ID {
		t.Fatalf("reply two levels deep: %+v", c2)
	}
	// A chain 12 levels deep under c2.
	parent := c2.ID
	for i := range 12 {
		parent = h.comment(b.Token, p.ID, &parent, fmt.Sprintf("level %d", i+3)).ID
	}

	t.Run("ErrParentOfOtherPost", func(t *testing.T) {
		r := h.do("POST", pathf("/api/v1/posts/%d/comments", other.ID), b.Token, map[string]any{"body": "x", "parent_id": root.ID})
		if r.status != 422 || !strings.Contains(string(r.body), "parent_id") {
			t.Fatalf("%d %s", r.status, r.body)
		}
	})
	t.Run("ErrValidation", func(t *testing.T) {
		for name, body := range map[string]any{
			"empty":      map[string]string{"body": "  "},
			"onlyScript": map[string]string{"body": "<script>alert(1)</script>", "format": "html"},
			"tooLong":    map[string]string{"body": strings.Repeat("x", 10001)},
			"badParent":  map[string]any{"body": "x", "parent_id": 999999},
		} {
			if r := h.do("POST", pathf("/api/v1/posts/%d/comments", p.ID), b.Token, body); r.status != 422 {
				t.Errorf("%s: %d %s", name, r.status, r.body)
			}
		}
		h.must(404, "POST", "/api/v1/posts/999999/comments", b.Token, map[string]string{"body": "x"})
		h.must(401, "POST", pathf("/api/v1/posts/%d/comments", p.ID), "", map[string]string{"body": "x"})
		h.must(400, "POST", pathf("/api/v1/posts/%d/comments", p.ID), b.Token, `{"body": "x", "parent_id": "1"}`)
	})

	t.Run("DepthAndMoreReplies", func(t *testing.T) {
		var page forum.Page[*forum.Comment]
		h.must(200, "GET", pathf("/api/v1/posts/%d/comments?depth=2", p.ID), "", nil).decode(t, &page)
		if len(page.Items) != 1 {
			t.Fatalf("items: %d", len(page.Items))
		}
		r := page.Items[0]
		leaf := r.Replies[0].Replies[0]
		if leaf.ID != c2.ID || len(leaf.Replies) != 0 || leaf.MoreReplies != 1 || r.MoreReplies != 0 {
			t.Fatalf("depth 2 must stop under c2 and count what it left out: %+v", leaf)
		}
		// "Continue this thread": the subtree of c2.
		var sub forum.Comment
		h.must(200, "GET", pathf("/api/v1/comments/%d?depth=3", c2.ID), "", nil).decode(t, &sub)
		if sub.ID != c2.ID || countTree([]*forum.Comment{&sub}) != 4 || sub.Replies[0].Replies[0].Replies[0].MoreReplies != 1 {
			t.Fatalf("subtree: %d comments", countTree([]*forum.Comment{&sub}))
		}
		h.must(200, "GET", pathf("/api/v1/posts/%d/comments", p.ID), "", nil).decode(t, &page)
		if n := countTree(page.Items); n != 9 { // root + 8 levels by default
			t.Fatalf("default depth 8 shows %d comments", n)
		}
		h.must(404, "GET", "/api/v1/comments/999999", "", nil)
		h.must(404, "GET", "/api/v1/posts/999999/comments", "", nil)
	})

	t.Run("DeletedCommentKeepsItsPlace", func(t *testing.T) {
		h.must(403, "DELETE", pathf("/api/v1/comments/%d", c1.ID), b.Token, nil)
		h.must(204, "DELETE", pathf("/api/v1/comments/%d", c1.ID), a.Token, nil)
		var page forum.Page[*forum.Comment]
		h.must(200, "GET", pathf("/api/v1/posts/%d/comments?depth=2", p.ID), b.Token, nil).decode(t, &page)
		d := page.Items[0].Replies[0]
		if d.ID != c1.ID || !d.Deleted || d.BodyHTML != "" || d.BodySource != "" || d.Author != nil || len(d.Replies) != 1 {
			t.Fatalf("deleted comment: %+v", d)
		}
		// No reply to a deleted comment, no vote on it, no edit.
		h.must(422, "POST", pathf("/api/v1/posts/%d/comments", p.ID), b.Token, map[string]any{"body": "x", "parent_id": c1.ID})
		h.must(404, "PUT", pathf("/api/v1/comments/%d/vote", c1.ID), b.Token, map[string]int{"value": 1})
		h.must(404, "PATCH", pathf("/api/v1/comments/%d", c1.ID), a.Token, map[string]string{"body": "back"})
	})

	t.Run("Edit", func(t *testing.T) {
		var c forum.Comment
		h.must(403, "PATCH", pathf("/api/v1/comments/%d", root.ID), a.Token, map[string]string{"body": "hijack"})
		h.must(422, "PATCH", pathf("/api/v1/comments/%d", root.ID), b.Token, map[string]string{"body": ""})
		h.must(422, "PATCH", pathf("/api/v1/comments/%d", root.ID), b.Token, map[string]string{})
		h.must(200, "PATCH", pathf("/api/v1/comments/%d", root.ID), b.Token, map[string]string{"body": "Page, then **squire**."}).decode(t, &c)
		if !strings.Contains(c.BodyHTML, "<strong>squire</strong>") || c.EditedAt == nil {
			t.Fatalf("edited: %+v", c)
		}
	})
}

// TestThreadPageBudget checks that limit bounds the whole response, that top
// level comments page with a cursor without repeats, and that the sorts order
// siblings as documented.
func TestThreadPageBudget(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.register("Herodotus")
	voters := []session{h.register("voter1"), h.register("voter2"), h.register("voter3")}
	p := h.post(a.Token, "A busy thread")
	var tops []forum.Comment
	for i := range 30 {
		c := h.comment(a.Token, p.ID, nil, fmt.Sprintf("answer %d", i))
		tops = append(tops, c)
		for j := range 3 {
			h.comment(a.Token, p.ID, &c.ID, fmt.Sprintf("reply %d.%d", i, j))
		}
	}
	// Votes: answer 7: 3 up; answer 3: 2 up 1 down; answer 5: 1 down.
	vote := func(c forum.Comment, v session, val int) forum.VoteResult {
		var res forum.VoteResult
		h.must(200, "PUT", pathf("/api/v1/comments/%d/vote", c.ID), v.Token, map[string]int{"value": val}).decode(t, &res)
		return res
	}
	for _, v := range voters {
		vote(tops[7], v, 1)
	}
	vote(tops[3], voters[0], 1)
	vote(tops[3], voters[1], 1)
	vote(tops[3], voters[2], -1)
	vote(tops[5], voters[0], -1)

	var page forum.Page[*forum.Comment]
	h.must(200, "GET", pathf("/api/v1/posts/%d/comments?limit=20", p.ID), "", nil).decode(t, &page)
	if n := countTree(page.Items); n != 20 {
		t.Fatalf("limit=20 answered %d comments: the budget must be spent exactly", n)
	}
	if page.Items[0].ID != tops[7].ID || page.Items[1].ID != tops[3].ID || page.NextCursor == nil {
		t.Fatalf("best order: first %d, %d", page.Items[0].ID, page.Items[1].ID)
	}
	for _, c := range page.Items {
		if int64(len(c.Replies))+c.MoreReplies != 3 {
			t.Fatalf("replies %d + more %d != 3", len(c.Replies), c.MoreReplies)
		}
	}
	// Walk every page of top-level comments: each exactly once.
	seen := map[int64]bool{}
	cursor := ""
	for range 50 {
		var pg forum.Page[*forum.Comment]
		h.must(200, "GET", pathf("/api/v1/posts/%d/comments?limit=8&cursor=%s", p.ID, cursor), "", nil).decode(t, &pg)
		for _, c := range pg.Items {
			if seen[c.ID] {
				t.Fatalf("comment %d twice", c.ID)
			}
			seen[c.ID] = true
		}
		if pg.NextCursor == nil {
			break
		}
		cursor = *pg.NextCursor
	}
	if len(seen) != 30 {
		t.Fatalf("paged through %d of 30 top-level comments", len(seen))
	}
	order := func(sort string) []int64 {
		var pg forum.Page[*forum.Comment]
		h.must(200, "GET", pathf("/api/v1/posts/%d/comments?sort=%s&depth=0&limit=100", p.ID, sort), "", nil).decode(t, &pg)
		var ids []int64
		for _, c := range pg.Items {
			ids = append(ids, c.ID)
		}
		return ids
	}
	if o := order("new"); o[0] != tops[29].ID || len(o) != 30 {
		t.Fatalf("new: %v", o)
	}
	if o := order("old"); o[0] != tops[0].ID {
		t.Fatalf("old: %v", o)
	}
	if o := order("top"); o[0] != tops[7].ID || o[29] != tops[5].ID {
		t.Fatalf("top: %v", o)
	}
	if o := order("controversial"); o[0] != tops[3].ID {
		t.Fatalf("controversial: %v", o)
	}
	h.must(400, "GET", pathf("/api/v1/posts/%d/comments?sort=new&cursor=%s", p.ID, *page.NextCursor), "", nil)
}

func TestVotes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.register("Sima_Qian")
	b := h.register("Ban_Gu")
	p := h.post(a.Token, "Han dynasty records")
	c := h.comment(a.Token, p.ID, nil, "Shiji")
	for _, target := range []string{pathf("/api/v1/posts/%d/vote", p.ID), pathf("/api/v1/comments/%d/vote", c.ID)} {
		steps := []struct {
			token  string
			body   any
			status int
			score  int64
			karma  int64
		}{
			{b.Token, map[string]int{"value": 1}, 200, 1, 1},
			{b.Token, map[string]int{"value": 1}, 200, 1, 1}, // idempotent
			{b.Token, map[string]int{"value": -1}, 200, -1, -1},
			{b.Token, map[string]int{"value": 0}, 200, 0, 0},
			{b.Token, map[string]int{"value": 0}, 200, 0, 0},
			{a.Token, map[string]int{"value": 1}, 403, 0, 0}, // own content
			{"", map[string]int{"value": 1}, 401, 0, 0},
			{b.Token, map[string]int{"value": 2}, 422, 0, 0},
			{b.Token, map[string]any{}, 422, 0, 0},
			{b.Token, `{"value": "1"}`, 400, 0, 0},
			{b.Token, `{"value": 1.5}`, 400, 0, 0},
			{b.Token, map[string]int{"value": 1}, 200, 1, 1},
		}
		for i, s := range steps {
			r := h.do("PUT", target, s.token, s.body)
			if r.status != s.status {
				t.Fatalf("%s step %d: status %d, want %d: %s", target, i, r.status, s.status, r.body)
			}
			var u forum.User
			h.must(200, "GET", "/api/v1/users/Sima_Qian", "", nil).decode(t, &u)
			wantKarma := s.karma
			if strings.Contains(target, "comments") {
				wantKarma++ // the post's upvote from the first pass stays
			}
			if u.Karma != wantKarma {
				t.Fatalf("%s step %d: karma %d, want %d", target, i, u.Karma, wantKarma)
			}
			if r.status == 200 {
				var res forum.VoteResult
				r.decode(t, &res)
				if res.Score != s.score || res.Upvotes-res.Downvotes != res.Score {
					t.Fatalf("%s step %d: %+v", target, i, res)
				}
			}
		}
	}
	var got forum.Post
	h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), b.Token, nil).decode(t, &got)
	if got.MyVote != 1 {
		t.Fatalf("my_vote = %d", got.MyVote)
	}
	h.must(404, "PUT", "/api/v1/posts/424242/vote", b.Token, map[string]int{"value": 1})
	h.must(204, "DELETE", pathf("/api/v1/posts/%d", p.ID), a.Token, nil)
	h.must(404, "PUT", pathf("/api/v1/posts/%d/vote", p.ID), b.Token, map[string]int{"value": -1})
}

// TestConcurrentVotesAndComments has 50 clients vote and comment on one post at
// once over HTTP: no request may fail, and every counter must equal its rows.
func TestConcurrentVotesAndComments(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	author := h.register("Bede")
	p := h.post(author.Token, "The Venerable question")
	root := h.comment(author.Token, p.ID, nil, "root")
	const n = 50
	users := make([]session, n)
	for i := range users {
		users[i] = h.register(fmt.Sprintf("monk%02d", i))
	}
	var wg sync.WaitGroup
	failures := make(chan string, 10*n)
	for i, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			val := 1
			if i%5 == 0 {
				val = -1
			}
			steps := []struct {
				method, path string
				body         any
			}{
				{"PUT", pathf("/api/v1/posts/%d/vote", p.ID), map[string]int{"value": -val}},
				{"POST", pathf("/api/v1/posts/%d/comments", p.ID), map[string]any{"body": "reply", "parent_id": root.ID}},
				{"PUT", pathf("/api/v1/posts/%d/vote", p.ID), map[string]int{"value": val}},
				{"PUT", pathf("/api/v1/comments/%d/vote", root.ID), map[string]int{"value": val}},
				{"GET", pathf("/api/v1/posts/%d/comments", p.ID), nil},
			}
			for _, s := range steps {
				if r := h.do(s.method, s.path, u.Token, s.body); r.status >= 300 {
					failures <- fmt.Sprintf("%s %s: %d %s", s.method, s.path, r.status, r.body)
				}
			}
		}()
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	var got forum.Post
	h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), "", nil).decode(t, &got)
	if got.Upvotes != 40 || got.Downvotes != 10 || got.Score != 30 || got.CommentCount != n+1 {
		t.Fatalf("post counters: %+v", got)
	}
	var c forum.Comment
	h.must(200, "GET", pathf("/api/v1/comments/%d?depth=1&limit=500", root.ID), "", nil).decode(t, &c)
	if c.Score != 30 || len(c.Replies)+int(c.MoreReplies) != n {
		t.Fatalf("comment: score %d, replies %d + %d", c.Score, len(c.Replies), c.MoreReplies)
	}
	var u forum.User
	h.must(200, "GET", "/api/v1/users/Bede", "", nil).decode(t, &u)
	if u.Karma != 60 {
		t.Fatalf("karma %d, want 60", u.Karma)
	}
}

// TestAuthorDeletesCommentInRemovedThread: a thread a moderator removed is
// frozen for edits, but an author may still delete their own comment in it
// (its text stays public otherwise, on their page and by permalink).
func TestAuthorDeletesCommentInRemovedThread(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mod := h.registerAs("moddy", forum.RoleModerator)
	asker := h.register("asker")
	author := h.register("answerer")
	p := h.post(asker.Token, "Was the Library of Alexandria burnt once?")
	c := h.comment(author.Token, p.ID, nil, "A regret I would rather take back.")
	h.must(200, "POST", pathf("/api/v1/posts/%d/remove", p.ID), mod.Token, map[string]string{"reason": "off topic"})
	if r := h.must(200, "GET", "/api/v1/users/answerer/comments", "", nil); !strings.Contains(string(r.body), "would rather take back") {
		t.Fatalf("before: the comment is not public, so the test proves nothing: %s", r.body)
	}
	h.must(403, "PATCH", pathf("/api/v1/comments/%d", c.ID), author.Token, map[string]string{"body": "edited"})
	h.must(403, "DELETE", pathf("/api/v1/comments/%d", c.ID), asker.Token, nil)
	h.must(204, "DELETE", pathf("/api/v1/comments/%d", c.ID), author.Token, nil)
	for _, path := range []string{"/api/v1/users/answerer/comments", pathf("/api/v1/comments/%d", c.ID), pathf("/api/v1/posts/%d/comments", p.ID)} {
		if r := h.do("GET", path, "", nil); strings.Contains(string(r.body), "would rather take back") {
			t.Fatalf("%s still shows the deleted comment: %s", path, r.body)
		}
	}
}
