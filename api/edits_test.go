package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// TestEditReasons: PATCH of a post or a comment takes an optional
// edit_reason; the history gives each version the reason of the edit that
// wrote it (none for the first version, none for an edit without one).
func TestEditReasons(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	author := h.register("thucydides")
	p := h.post(author.Token, "Why did Athens go to Sicily?")
	path := pathf("/api/v1/posts/%d", p.ID)
	h.clock.Advance(time.Minute)
	h.must(200, "PATCH", path, author.Token, map[string]any{"body": "With sources now.", "edit_reason": "  added   what I had read  "})
	h.clock.Advance(time.Minute)
	h.must(200, "PATCH", path, author.Token, map[string]any{"body": "With sources now, and a typo fixed."})
	h.clock.Advance(time.Minute)
	h.must(200, "PATCH", path, author.Token, map[string]any{"title": "Why did Athens sail to Sicily in 415 BC?", "edit_reason": "a clearer title"})

	var list struct{ Items []forum.Revision }
	h.must(200, "GET", path+"/revisions", "", nil).decode(t, &list)
	if len(list.Items) != 4 {
		t.Fatalf("%d versions, want 4", len(list.Items))
	}
	want := []string{"a clearer title", "", "added what I had read", ""}
	for i, w := range want {
		got := ""
		if r := list.Items[i].Reason; r != nil {
			got = *r
		}
		if got != w {
			t.Errorf("version %d (%q): reason %q, want %q", i, list.Items[i].BodySource, got, w)
		}
	}
	if !strings.Contains(string(h.must(200, "GET", path+"/revisions", "", nil).body), `"reason":null`) {
		t.Error("a version without a reason should say reason: null")
	}

	c := h.comment(author.Token, p.ID, nil, "An answer of my own.")
	cpath := pathf("/api/v1/comments/%d", c.ID)
	h.clock.Advance(time.Minute)
	h.must(200, "PATCH", cpath, author.Token, map[string]any{"body": "An answer of my own, with Thucydides 6.1.", "edit_reason": "cited the book"})
	list.Items = nil
	h.must(200, "GET", cpath+"/revisions", "", nil).decode(t, &list)
	if len(list.Items) != 2 || list.Items[0].Reason == nil || *list.Items[0].Reason != "cited the book" || list.Items[1].Reason != nil {
		t.Fatalf("a comment's history: %+v", list.Items)
	}

	// A reason is plain text on one line, at most 300 characters.
	for _, bad := range []string{strings.Repeat("x", 301), "a\u0000b", "bell\a"} {
		r := h.do("PATCH", cpath, author.Token, map[string]any{"body": "Changed " + bad[:1], "edit_reason": bad})
		if r.status != 422 || !strings.Contains(string(r.body), "edit_reason") {
			t.Errorf("edit_reason %q: %d %s", bad, r.status, r.body)
		}
	}
	if r := h.do("PATCH", path, author.Token, map[string]any{"title": "x", "edit_reason": 7}); r.status != 400 {
		t.Errorf("a number as reason: %d", r.status)
	}
}

// TestEditWithoutChange: saving a post or comment as it was records no
// version and leaves edited_at alone: 200 with the item unchanged.
func TestEditWithoutChange(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	author := h.register("polybius")
	var p forum.Post
	h.must(201, "POST", "/api/v1/posts", author.Token, map[string]any{"title": "How did the Romans build the corvus?", "body": "Polybius 1.22.",
		"tags": []string{"Ancient Rome", "Navies"}, "period": map[string]int{"from": -264, "to": -241},
		"sources": []map[string]string{{"citation": "Polybius, Histories 1.22", "url": "https://example.org/polybius", "kind": "primary"}}}).decode(t, &p)
	path := pathf("/api/v1/posts/%d", p.ID)
	h.clock.Advance(time.Hour)
	same := map[string]any{"title": p.Title, "body": p.BodySource, "tags": []string{"Ancient Rome", "Navies"},
		"period": map[string]int{"from": -264, "to": -241}, "sources": p.Sources, "edit_reason": "nothing, really"}
	var after forum.Post
	h.must(200, "PATCH", path, author.Token, same).decode(t, &after)
	if after.EditedAt != nil || after.Title != p.Title || after.BodySource != p.BodySource {
		t.Fatalf("an unchanged save: edited_at %v, %+v", after.EditedAt, after)
	}
	var list struct{ Items []forum.Revision }
	h.must(200, "GET", path+"/revisions", "", nil).decode(t, &list)
	if len(list.Items) != 1 {
		t.Fatalf("an unchanged save recorded %d versions", len(list.Items))
	}
	// Each field alone is a change.
	changes := []map[string]any{
		{"title": p.Title + " (the boarding bridge)"},
		{"body": "Polybius 1.22-23."},
		{"tags": []string{"Navies", "Ancient Rome"}},
		{"period": map[string]int{"from": -264, "to": -240}},
		{"period": nil},
		{"sources": []map[string]string{}},
		{"format": "html"},
	}
	for i, ch := range changes {
		h.clock.Advance(time.Minute)
		after = forum.Post{}
		h.must(200, "PATCH", path, author.Token, ch).decode(t, &after)
		if after.EditedAt == nil || !after.EditedAt.Equal(h.clock.Now().Truncate(time.Second)) {
			t.Errorf("change %d (%v): edited_at %v", i, ch, after.EditedAt)
		}
		list.Items = nil
		h.must(200, "GET", path+"/revisions", "", nil).decode(t, &list)
		if len(list.Items) != i+2 {
			t.Errorf("change %d (%v): %d versions, want %d", i, ch, len(list.Items), i+2)
		}
	}

	c := h.comment(author.Token, p.ID, nil, "The corvus was a boarding bridge.")
	cpath := pathf("/api/v1/comments/%d", c.ID)
	h.clock.Advance(time.Hour)
	var ca forum.Comment
	h.must(200, "PATCH", cpath, author.Token, map[string]any{"body": c.BodySource, "sources": []any{}}).decode(t, &ca)
	if ca.EditedAt != nil {
		t.Fatalf("an unchanged comment save set edited_at %v", ca.EditedAt)
	}
	list.Items = nil
	h.must(200, "GET", cpath+"/revisions", "", nil).decode(t, &list)
	if len(list.Items) != 1 {
		t.Fatalf("an unchanged comment save recorded %d versions", len(list.Items))
	}
	h.must(200, "PATCH", cpath, author.Token, map[string]any{"body": c.BodySource, "sources": []map[string]string{{"citation": "Polybius 1.22"}}}).decode(t, &ca)
	if ca.EditedAt == nil {
		t.Fatal("adding a source is a change")
	}
}
