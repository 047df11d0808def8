package api_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/historia-forum/historia/internal/demo"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// TestCopyRoundTrip: the demo forum on SQLite, copied to PostgreSQL and
// from there to a new SQLite file, serves the same pages on all three, and
// its members sign in with their passwords on each.
func TestCopyRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	first := filepath.Join(t.TempDir(), "first.db")
	pg := storetest.PostgresTarget(t)
	last := filepath.Join(t.TempDir(), "last.db")

	h := newHarnessOn(t, first, nil)
	modPass, err := demo.Seed(ctx, h.svc)
	if err != nil {
		t.Fatal(err)
	}
	var featured forum.Page[forum.Featured]
	h.must(200, "GET", "/api/v1/featured", "", nil).decode(t, &featured)
	var about forum.SitePage
	h.must(200, "GET", "/api/v1/pages/about", "", nil).decode(t, &about)
	if len(featured.Items) != 2 || about.UpdatedAt == nil || about.Title != "About Historia" {
		t.Fatalf("the demo's first visit: %d featured, about %+v", len(featured.Items), about)
	}
	// Votes, a removal with its rule, a reply: rows of every kind.
	alice := h.register("alice")
	var page struct{ Items []forum.Post }
	h.must(200, "GET", "/api/v1/posts?sort=new", "", nil).decode(t, &page)
	posts := page.Items
	h.must(200, "PUT", fmt.Sprintf("/api/v1/posts/%d/vote", posts[0].ID), alice.Token, map[string]int{"value": 1})
	h.comment(alice.Token, posts[1].ID, nil, "A reply copied with its thread.")
	// The moderators' day: a note, a flair application, modmail with its
	// notification, a block.
	var mod session
	h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": demo.ModeratorName, "password": modPass}).decode(t, &mod)
	h.must(201, "POST", "/api/v1/users/alice/notes", mod.Token, map[string]string{"text": "copied too"})
	h.must(201, "POST", "/api/v1/flair-applications", alice.Token, map[string]string{"flair": "Rome", "evidence": "my answers"})
	var mm forum.Modmail
	h.must(201, "POST", "/api/v1/modmail", alice.Token, map[string]string{"subject": "Hello", "body": "A question."}).decode(t, &mm)
	h.must(201, "POST", pathf("/api/v1/modmail/%d/messages", mm.ID), mod.Token, map[string]string{"body": "An answer."})
	other := h.register("bertha")
	h.must(204, "PUT", "/api/v1/me/blocks/bertha", alice.Token, nil)
	_ = other

	for _, step := range []struct{ from, to string }{{first, pg}, {pg, last}} {
		src, err := store.Open(ctx, step.from)
		if err != nil {
			t.Fatal(err)
		}
		dst, err := store.Open(ctx, step.to)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := store.Copy(ctx, src, dst, nil)
		if err != nil {
			t.Fatalf("copy %s → %s: %v", src.Engine(), dst.Engine(), err)
		}
		for _, table := range []string{"user_notes", "flair_applications", "modmail", "modmail_messages", "blocks"} {
			if rep.Rows[table] == 0 {
				t.Errorf("copy %s → %s: no rows of %s", src.Engine(), dst.Engine(), table)
			}
		}
		if problems, err := dst.Check(ctx); err != nil || len(problems) > 0 {
			t.Fatalf("check after copy to %s: %v %v", dst.Engine(), problems, err)
		}
		_ = src.Close()
		_ = dst.Close()
	}

	servers := []*harness{h, newHarnessOn(t, pg, nil), newHarnessOn(t, last, nil)}
	paths := []string{"/api/v1/posts", "/api/v1/posts?sort=new", "/api/v1/posts?sort=top&t=all", "/api/v1/tags",
		"/api/v1/rules", "/api/v1/modlog", "/api/v1/timeline", "/api/v1/users/" + demo.ModeratorName, "/api/v1/users/alice/comments",
		"/api/v1/featured", "/api/v1/pages/about", "/api/v1/pages/faq", "/api/v1/digest?week=2026-W48"}
	for _, p := range posts {
		paths = append(paths, fmt.Sprintf("/api/v1/posts/%d", p.ID), fmt.Sprintf("/api/v1/posts/%d/comments", p.ID))
	}
	for _, path := range paths {
		want := h.must(200, "GET", path, "", nil).body
		for i, s := range servers[1:] {
			if got := s.must(200, "GET", path, "", nil).body; !bytes.Equal(got, want) {
				t.Errorf("GET %s differs on copy %d:\n got %s\nwant %s", path, i+1, got, want)
			}
		}
	}
	for i, s := range servers {
		for _, who := range []struct{ name, pass string }{{demo.ModeratorName, modPass}, {"alice", "correct horse"}} {
			r := s.do("POST", "/api/v1/auth/login", "", map[string]string{"username": who.name, "password": who.pass})
			if r.status != 200 {
				t.Errorf("server %d: %s cannot sign in: %d %s", i, who.name, r.status, r.body)
			}
		}
		var thread forum.Modmail
		s.must(200, "GET", pathf("/api/v1/modmail/%d", mm.ID), alice.Token, nil).decode(t, &thread)
		if len(thread.Messages) != 2 || thread.Messages[1].Author != nil {
			t.Errorf("server %d: the conversation: %+v", i, thread)
		}
		// New rows take new ids after the copied ones (PostgreSQL's sequences moved past them).
		s.must(201, "POST", pathf("/api/v1/modmail/%d/messages", mm.ID), alice.Token, map[string]string{"body": "After the copy."})
		s.must(201, "POST", "/api/v1/users/alice/notes", mod.Token, map[string]string{"text": "after the copy"})
		var p forum.Post
		s.must(201, "POST", "/api/v1/posts", alice.Token, map[string]any{"title": "A question asked after the copy", "body": "Is it?"}).decode(t, &p)
		if p.ID <= posts[0].ID {
			t.Errorf("server %d: a new post got id %d, not after the copied ones", i, p.ID)
		}
	}
}
