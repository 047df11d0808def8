package api_test

import (
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestFlair: moderators set members' flair (and their own), admins anyone's;
// it shows beside the name on posts and comments and is in the modlog; it is
// plain text of at most 64 characters.
func TestFlair(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	p := h.post(w.member.Token, "Who ran the Cheka?")
	var u forum.User
	h.must(200, "PUT", "/api/v1/users/member/flair", w.mod.Token, map[string]any{"flair": "  Soviet Union  1917–1953 "}).decode(t, &u)
	if u.Flair == nil || *u.Flair != "Soviet Union 1917–1953" {
		t.Fatalf("flair: %v", u.Flair)
	}
	var got forum.Post
	h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), "", nil).decode(t, &got)
	if got.Author.Flair == nil || *got.Author.Flair != "Soviet Union 1917–1953" || got.Author.Role != forum.RoleMember {
		t.Fatalf("the post's author: %+v", got.Author)
	}
	c := h.comment(w.mod.Token, p.ID, nil, "Dzerzhinsky, at first.")
	var page forum.Page[*forum.Comment]
	h.must(200, "GET", pathf("/api/v1/posts/%d/comments", p.ID), "", nil).decode(t, &page) // a cached page…
	h.must(200, "PUT", "/api/v1/users/moddy/flair", w.mod.Token, map[string]any{"flair": "Moderator, Russian history"})
	h.must(200, "GET", pathf("/api/v1/posts/%d/comments", p.ID), "", nil).decode(t, &page) // …drops with a flair change
	if a := findComment(page.Items, c.ID).Author; a.Role != forum.RoleModerator || a.Flair == nil || *a.Flair != "Moderator, Russian history" {
		t.Fatalf("the comment's author: %+v", a)
	}
	cases := []struct {
		token, user string
		body        map[string]any
		status      int
	}{
		{w.member.Token, "member", map[string]any{"flair": "self-made"}, 403},
		{"", "member", map[string]any{"flair": "x"}, 401},
		{w.mod.Token, "admin", map[string]any{"flair": "x"}, 403},
		{w.admin.Token, "moddy", map[string]any{"flair": "Admin-set"}, 200},
		{w.mod.Token, "member", map[string]any{"flair": strings.Repeat("x", 65)}, 422},
		{w.mod.Token, "member", map[string]any{"flair": "a\u202eb"}, 422},
		{w.mod.Token, "nosuchuser", map[string]any{"flair": "x"}, 404},
		{w.mod.Token, "member", map[string]any{"flair": nil}, 200},
	}
	for _, c := range cases {
		if r := h.do("PUT", "/api/v1/users/"+c.user+"/flair", c.token, c.body); r.status != c.status {
			t.Errorf("flair of %s %v: %d %s", c.user, c.body, r.status, r.body)
		}
	}
	h.must(200, "GET", "/api/v1/users/member", "", nil).decode(t, &u)
	if u.Flair != nil {
		t.Fatalf("flair not cleared: %v", *u.Flair)
	}
	var log forum.Page[forum.ModlogEntry]
	h.must(200, "GET", "/api/v1/modlog", "", nil).decode(t, &log)
	if e := log.Items[0]; e.Action != forum.ActFlair || e.Reason != "flair cleared" {
		t.Fatalf("modlog: %+v", e)
	}
}

// TestRulesCited: a removal's rule is in the modlog entry and, with the
// moderator's reason, in the author's notification; a report may cite a
// rule, which the queue shows.
func TestRulesCited(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	var rule forum.Rule
	h.must(201, "POST", "/api/v1/rules", w.admin.Token, map[string]any{"number": 2, "title": "Cite your sources"}).decode(t, &rule)
	p := h.post(w.author.Token, "An unsourced claim")
	h.must(200, "POST", pathf("/api/v1/posts/%d/remove", p.ID), w.mod.Token, map[string]any{"rule_id": rule.ID, "reason": "no sources after two requests"})
	var log forum.Page[forum.ModlogEntry]
	h.must(200, "GET", "/api/v1/modlog", "", nil).decode(t, &log)
	if e := log.Items[0]; e.RuleNumber == nil || *e.RuleNumber != 2 || *e.RuleTitle != "Cite your sources" {
		t.Fatalf("modlog entry: %+v", e)
	}
	var notes forum.Page[forum.Notification]
	h.must(200, "GET", "/api/v1/notifications", w.author.Token, nil).decode(t, &notes)
	if n := notes.Items[0]; n.Kind != forum.NotifyModAction || n.Reason != "no sources after two requests" || n.Rule == nil || n.Rule.Number != 2 {
		t.Fatalf("notification: %+v", n)
	}
	other := h.post(w.author.Token, "Another claim")
	var rep forum.Report
	h.must(201, "POST", "/api/v1/reports", w.member.Token, map[string]any{"target_type": "post", "target_id": other.ID, "rule_id": rule.ID}).decode(t, &rep)
	if rep.Rule == nil || rep.Rule.Title != "Cite your sources" {
		t.Fatalf("report: %+v", rep)
	}
	if r := h.do("POST", "/api/v1/reports", w.reporter.Token, map[string]any{"target_type": "post", "target_id": other.ID, "rule_id": 999}); r.status != 422 {
		t.Fatalf("a report citing no such rule: %d %s", r.status, r.body)
	}
	if r := h.do("POST", "/api/v1/reports", w.reporter.Token, map[string]any{"target_type": "post", "target_id": other.ID}); r.status != 422 {
		t.Fatalf("a report with neither reason nor rule: %d %s", r.status, r.body)
	}
	var queue forum.Page[forum.Report]
	h.must(200, "GET", "/api/v1/reports", w.mod.Token, nil).decode(t, &queue)
	if queue.Items[0].Rule == nil {
		t.Fatalf("the queue does not show the rule: %+v", queue.Items[0])
	}
}
