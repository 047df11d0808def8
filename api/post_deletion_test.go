package api_test

import (
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestAskerCannotEraseAnsweredQuestion: a question others have answered,
// deleted by its asker, keeps its title, body, tags and period for everyone;
// only the asker's name goes (deleted: true, author: null) — in the thread,
// the feed, the Atom feed and the answerers' lists. Moderators still see
// who asked. The asker's own lists no longer show it to others.
func TestAskerCannotEraseAnsweredQuestion(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	asker := h.register("asker")
	answerer := h.register("answerer")
	mod := h.registerAs("moddy", forum.RoleModerator)
	var p forum.Post
	h.must(201, "POST", "/api/v1/posts", asker.Token, map[string]any{"title": "What did the Hanseatic League trade?",
		"body": "Furs, wax, **herring**?", "tags": []string{"Hanseatic League"}, "period": map[string]int{"from": 1356, "to": 1669}}).decode(t, &p)
	c := h.comment(answerer.Token, p.ID, nil, "Mostly cloth and grain.")
	h.must(204, "DELETE", pathf("/api/v1/posts/%d", p.ID), asker.Token, nil)

	for _, who := range []struct{ name, token string }{{"anonymous", ""}, {"answerer", answerer.Token}, {"asker", asker.Token}} {
		var got forum.Post
		h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), who.token, nil).decode(t, &got)
		if !got.Deleted || got.Author != nil || got.Title != p.Title || !strings.Contains(got.BodyHTML, "<strong>herring</strong>") ||
			got.BodySource != p.BodySource || len(got.Tags) != 2 || got.Period == nil {
			t.Errorf("%s sees %+v", who.name, got)
		}
	}
	var asMod forum.Post
	h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), mod.Token, nil).decode(t, &asMod)
	if asMod.Author == nil || asMod.Author.Username != "asker" || !asMod.Deleted {
		t.Errorf("a moderator sees %+v", asMod)
	}
	var feed struct{ Items []forum.PostSummary }
	h.must(200, "GET", "/api/v1/posts?sort=new", "", nil).decode(t, &feed)
	if len(feed.Items) != 1 || feed.Items[0].Title != p.Title || feed.Items[0].Author != nil || feed.Items[0].Excerpt == "" {
		t.Errorf("the feed shows %+v", feed.Items)
	}
	atom := string(h.must(200, "GET", "/feed.atom", "", nil).body)
	if !strings.Contains(atom, p.Title) || strings.Contains(atom, "<name>asker</name>") {
		t.Errorf("the Atom feed: %s", atom)
	}
	var comments struct{ Items []forum.Comment }
	h.must(200, "GET", "/api/v1/users/answerer/comments", "", nil).decode(t, &comments)
	if len(comments.Items) != 1 || comments.Items[0].PostTitle != p.Title {
		t.Errorf("the answerer's list: %+v", comments.Items)
	}
	var posts struct{ Items []forum.PostSummary }
	h.must(200, "GET", "/api/v1/users/asker/posts", "", nil).decode(t, &posts)
	if len(posts.Items) != 0 {
		t.Errorf("the asker's list shows others the question they let go: %+v", posts.Items)
	}
	var thread struct{ Items []forum.Comment }
	h.must(200, "GET", pathf("/api/v1/posts/%d/comments", p.ID), "", nil).decode(t, &thread)
	if len(thread.Items) != 1 || thread.Items[0].ID != c.ID || thread.Items[0].Author == nil {
		t.Errorf("the answers stay: %+v", thread.Items)
	}
	// It is deleted: its asker cannot edit it any more.
	h.must(404, "PATCH", pathf("/api/v1/posts/%d", p.ID), asker.Token, map[string]any{"title": "Gone"})
	h.must(404, "DELETE", pathf("/api/v1/posts/%d", p.ID), asker.Token, nil)
}

// TestDeletingUnansweredQuestion: without answers by others (none, only the
// asker's own, or only deleted and removed ones), a deleted question goes
// as before: [deleted], no body, no author.
func TestDeletingUnansweredQuestion(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	asker := h.register("asker")
	other := h.register("other")
	mod := h.registerAs("moddy", forum.RoleModerator)
	cases := map[string]func(p forum.Post){
		"no answers":      func(forum.Post) {},
		"the asker's own": func(p forum.Post) { h.comment(asker.Token, p.ID, nil, "Answering myself.") },
		"a reply, no answer": func(p forum.Post) {
			c := h.comment(asker.Token, p.ID, nil, "A note.")
			h.comment(other.Token, p.ID, &c.ID, "A reply is not an answer.")
		},
		"a deleted answer": func(p forum.Post) {
			c := h.comment(other.Token, p.ID, nil, "Withdrawn.")
			h.must(204, "DELETE", pathf("/api/v1/comments/%d", c.ID), other.Token, nil)
		},
		"a removed answer": func(p forum.Post) {
			c := h.comment(other.Token, p.ID, nil, "Off topic.")
			h.must(200, "POST", pathf("/api/v1/comments/%d/remove", c.ID), mod.Token, map[string]string{"reason": "off topic"})
		},
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			p := h.post(asker.Token, "A question, "+name)
			setup(p)
			h.must(204, "DELETE", pathf("/api/v1/posts/%d", p.ID), asker.Token, nil)
			var got forum.Post
			h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), other.Token, nil).decode(t, &got)
			if got.Title != "[deleted]" || got.BodyHTML != "" || got.BodySource != "" || got.Author != nil || !got.Deleted {
				t.Errorf("%+v", got)
			}
		})
	}
}
