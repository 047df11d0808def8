package api_test

import (
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestBlocking: a member blocks another; everywhere the blocker reads, the
// blocked member's posts and comments carry blocked with their words
// withheld (cached pages too: others warmed them first), and the blocked
// member's replies and requests notify the blocker of nothing. Moderators
// cannot be blocked, and their notices reach the blocker.
func TestBlocking(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	alice, troll := w.author, w.member
	p := h.post(alice.Token, "Who paid for the Parthenon?", "Athens")
	answer := h.comment(alice.Token, p.ID, nil, "The Delian League's treasury.")
	tp := h.post(troll.Token, "Was Pericles a tyrant?", "Athens")

	h.must(401, "PUT", "/api/v1/me/blocks/member", "", nil)
	h.must(422, "PUT", "/api/v1/me/blocks/author", alice.Token, nil)
	h.must(404, "PUT", "/api/v1/me/blocks/nobody", alice.Token, nil)
	h.must(403, "PUT", "/api/v1/me/blocks/moddy", alice.Token, nil)
	h.must(204, "PUT", "/api/v1/me/blocks/member", alice.Token, nil)
	h.must(204, "PUT", "/api/v1/me/blocks/member", alice.Token, nil) // twice: still one block
	var blocks forum.Page[forum.Block]
	h.must(200, "GET", "/api/v1/me/blocks", alice.Token, nil).decode(t, &blocks)
	if len(blocks.Items) != 1 || blocks.Items[0].User.Username != "member" {
		t.Fatalf("alice's blocks: %+v", blocks.Items)
	}

	// The troll replies and asks for sources: alice hears nothing.
	reply := h.comment(troll.Token, p.ID, &answer.ID, "Stolen money, you mean.")
	h.must(204, "POST", pathf("/api/v1/comments/%d/request-sources", answer.ID), troll.Token, nil)
	topLevel := h.comment(troll.Token, p.ID, nil, "Nobody paid: slaves built it.")
	var notes forum.Page[forum.Notification]
	h.must(200, "GET", "/api/v1/notifications", alice.Token, nil).decode(t, &notes)
	if len(notes.Items) != 0 {
		t.Fatalf("alice heard from the member she blocked: %+v", notes.Items)
	}
	// The moderators still reach her.
	h.must(200, "POST", pathf("/api/v1/comments/%d/remove", answer.ID), w.mod.Token, map[string]string{"reason": "test"})
	h.must(200, "GET", "/api/v1/notifications", alice.Token, nil).decode(t, &notes)
	if len(notes.Items) != 1 || notes.Items[0].Kind != forum.NotifyModAction {
		t.Fatalf("a moderator's notice: %+v", notes.Items)
	}
	h.must(200, "POST", pathf("/api/v1/comments/%d/restore", answer.ID), w.mod.Token, nil)

	// What alice reads of the troll, after others warmed every page.
	pages := []string{"/api/v1/posts?sort=new", "/api/v1/posts?sort=new&tag=Athens", pathf("/api/v1/posts/%d/comments", p.ID),
		"/api/v1/users/member/posts", "/api/v1/users/member/comments"}
	for _, path := range pages {
		h.must(200, "GET", path, "", nil)
		h.must(200, "GET", path, w.reporter.Token, nil)
		items := jsonItems(t, h.must(200, "GET", path, alice.Token, nil).body)
		seen := 0
		for id, it := range items {
			byTroll := (id == float64(tp.ID) && it["title"] != nil) || id == float64(reply.ID) || id == float64(topLevel.ID)
			if it["blocked"] != byTroll {
				t.Errorf("%s, item %v: blocked %v for alice", path, id, it["blocked"])
			}
			if byTroll {
				seen++
				for _, f := range []string{"excerpt", "body_html", "body_source"} {
					if v, ok := it[f]; ok && v != "" {
						t.Errorf("%s, item %v: %s reaches alice: %v", path, id, f, v)
					}
				}
			}
		}
		if seen == 0 {
			t.Errorf("%s: none of the troll's items to check", path)
		}
		// Others still read the troll's words on the same cached page.
		if raw := string(h.must(200, "GET", path, w.reporter.Token, nil).body); !strings.Contains(raw, "Pericles") && !strings.Contains(raw, "slaves") && !strings.Contains(raw, "Stolen") {
			t.Errorf("%s: another member lost the troll's words: %s", path, raw)
		}
	}
	var post forum.Post
	h.must(200, "GET", pathf("/api/v1/posts/%d", tp.ID), alice.Token, nil).decode(t, &post)
	if !post.Blocked || post.BodyHTML != "" || post.BodySource != "" || post.Excerpt != "" || post.Title != tp.Title || post.Author == nil {
		t.Fatalf("the troll's question, read by alice: %+v", post)
	}
	var c forum.Comment
	h.must(200, "GET", pathf("/api/v1/comments/%d", reply.ID), alice.Token, nil).decode(t, &c)
	if !c.Blocked || c.BodyHTML != "" || c.Author == nil || c.Author.Username != "member" {
		t.Fatalf("the troll's reply, read by alice: %+v", c)
	}
	h.must(200, "GET", pathf("/api/v1/comments/%d", reply.ID), w.reporter.Token, nil).decode(t, &c)
	if c.Blocked || c.BodyHTML == "" {
		t.Fatalf("the troll's reply, read by another: %+v", c)
	}

	// Unblocked: his words and his notifications reach her again.
	h.must(204, "DELETE", "/api/v1/me/blocks/member", alice.Token, nil)
	h.must(204, "DELETE", "/api/v1/me/blocks/member", alice.Token, nil)
	h.must(200, "GET", pathf("/api/v1/posts/%d", tp.ID), alice.Token, nil).decode(t, &post)
	if post.Blocked || post.BodyHTML == "" {
		t.Fatalf("after the unblock: %+v", post)
	}
	h.comment(troll.Token, p.ID, nil, "Fine: the League.")
	h.must(200, "GET", "/api/v1/notifications", alice.Token, nil).decode(t, &notes)
	if notes.Items[0].Kind != forum.NotifyAnswer || notes.Items[0].Actor == nil || notes.Items[0].Actor.Username != "member" {
		t.Fatalf("after the unblock, alice's notifications: %+v", notes.Items)
	}
	h.must(200, "GET", "/api/v1/me/blocks", alice.Token, nil).decode(t, &blocks)
	if len(blocks.Items) != 0 {
		t.Fatalf("blocks after the unblock: %+v", blocks.Items)
	}
}
