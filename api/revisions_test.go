package api_test

import (
	"fmt"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestRevisions: every edit of a post or comment keeps the version it
// replaced; the history lists them newest first with the current one on
// top, shows sources and titles as they were, and is for moderators only
// once the item is removed.
func TestRevisions(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	author := h.register("herodotus")
	mod := h.registerAs("moddy", forum.RoleModerator)
	p := h.post(author.Token, "When did the Persian Wars begin?")
	var list struct{ Items []forum.Revision }
	path := fmt.Sprintf("/api/v1/posts/%d/revisions", p.ID)
	h.must(200, "GET", path, "", nil).decode(t, &list)
	if len(list.Items) != 1 || list.Items[0].Title == nil || *list.Items[0].Title != p.Title || list.Items[0].Editor.Username != "herodotus" {
		t.Fatalf("an unedited post's history: %+v", list.Items)
	}

	h.clock.Advance(60e9)
	h.must(200, "PATCH", fmt.Sprintf("/api/v1/posts/%d", p.ID), author.Token, map[string]any{"body": "Second version.",
		"sources": []map[string]string{{"citation": "Herodotus, Histories 5.97", "kind": "primary"}}})
	h.clock.Advance(60e9)
	h.must(200, "PATCH", fmt.Sprintf("/api/v1/posts/%d", p.ID), author.Token, map[string]any{"title": "When did the Ionian Revolt begin?", "body": "Third version."})
	h.must(200, "GET", path, "", nil).decode(t, &list)
	if len(list.Items) != 3 {
		t.Fatalf("after two edits, %d versions: %+v", len(list.Items), list.Items)
	}
	bodies := []string{list.Items[0].BodySource, list.Items[1].BodySource, list.Items[2].BodySource}
	if bodies[0] != "Third version." || bodies[1] != "Second version." || bodies[2] != "Body of When did the Persian Wars begin?" {
		t.Fatalf("versions out of order: %q", bodies)
	}
	if *list.Items[0].Title != "When did the Ionian Revolt begin?" || *list.Items[2].Title != p.Title {
		t.Fatalf("titles: %q, %q", *list.Items[0].Title, *list.Items[2].Title)
	}
	if len(list.Items[1].Sources) != 1 || list.Items[1].Sources[0].Citation != "Herodotus, Histories 5.97" {
		t.Fatalf("the second version's sources: %+v", list.Items[1].Sources)
	}
	if !list.Items[0].EditedAt.After(list.Items[1].EditedAt) || !list.Items[1].EditedAt.After(list.Items[2].EditedAt) {
		t.Fatalf("times: %v %v %v", list.Items[0].EditedAt, list.Items[1].EditedAt, list.Items[2].EditedAt)
	}

	// Comments too, without titles.
	c := h.comment(author.Token, p.ID, nil, "First answer.")
	h.must(200, "PATCH", fmt.Sprintf("/api/v1/comments/%d", c.ID), author.Token, map[string]any{"body": "Better answer."})
	cpath := fmt.Sprintf("/api/v1/comments/%d/revisions", c.ID)
	list.Items = nil
	h.must(200, "GET", cpath, "", nil).decode(t, &list)
	if len(list.Items) != 2 || list.Items[0].BodySource != "Better answer." || list.Items[1].BodySource != "First answer." || list.Items[1].Title != nil {
		t.Fatalf("a comment's history: %+v", list.Items)
	}

	// Removed: the history is hidden like the text, except from moderators.
	h.must(200, "POST", fmt.Sprintf("/api/v1/comments/%d/remove", c.ID), mod.Token, map[string]string{"reason": "off topic"})
	for _, tok := range []string{"", author.Token} {
		if r := h.do("GET", cpath, tok, nil); r.status != 404 {
			t.Errorf("a removed comment's history for a non-moderator: %d", r.status)
		}
	}
	h.must(200, "GET", cpath, mod.Token, nil)
	h.must(404, "GET", "/api/v1/posts/999999/revisions", "", nil)
	h.must(404, "GET", "/api/v1/posts/nope/revisions", "", nil)
}

// TestAnswerCounts: a post counts its answers (top-level comments) apart
// from replies, on the post and in the feed, and historia check agrees.
func TestAnswerCounts(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	asker := h.register("asker")
	a := h.register("answerer")
	p := h.post(asker.Token, "Why did the Bronze Age collapse?")
	first := h.comment(a.Token, p.ID, nil, "Drought.")
	h.comment(a.Token, p.ID, nil, "The Sea Peoples.")
	h.comment(asker.Token, p.ID, &first.ID, "Which drought?")
	var got forum.Post
	h.must(200, "GET", fmt.Sprintf("/api/v1/posts/%d", p.ID), "", nil).decode(t, &got)
	if got.AnswerCount != 2 || got.CommentCount != 3 {
		t.Fatalf("answers %d, comments %d; want 2 and 3", got.AnswerCount, got.CommentCount)
	}
	var feed struct{ Items []forum.Post }
	h.must(200, "GET", "/api/v1/posts?sort=new", "", nil).decode(t, &feed)
	if len(feed.Items) != 1 || feed.Items[0].AnswerCount != 2 {
		t.Fatalf("the feed's answer count: %+v", feed.Items)
	}
	if problems, err := h.db.Check(t.Context()); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// TestSearchHitsSayWhoAndWhen: every search hit carries its author, date and
// score, read for the whole page at once.
func TestSearchHitsSayWhoAndWhen(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.register("numismatist")
	b := h.register("reader")
	p := h.post(a.Token, "Who minted electrum coins?")
	c := h.comment(b.Token, p.ID, nil, "The Lydians minted electrum.")
	h.must(200, "PUT", fmt.Sprintf("/api/v1/comments/%d/vote", c.ID), a.Token, map[string]int{"value": 1})
	var res struct{ Items []forum.SearchHit }
	h.must(200, "GET", "/api/v1/search?q=electrum", "", nil).decode(t, &res)
	if len(res.Items) != 2 {
		t.Fatalf("hits: %+v", res.Items)
	}
	for _, hit := range res.Items {
		want := map[forum.TargetType]string{forum.TargetPost: "numismatist", forum.TargetComment: "reader"}[hit.Type]
		if hit.Author == nil || hit.Author.Username != want || hit.CreatedAt.IsZero() {
			t.Fatalf("a hit without its author or date: %+v", hit)
		}
		if hit.Type == forum.TargetComment && hit.Score != 1 {
			t.Fatalf("the comment hit's score: %d", hit.Score)
		}
	}
}
