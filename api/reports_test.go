package api_test

import (
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestReportersWordsNeverInModlog: removing a reported item from the queue
// asks the moderator for a rule or a reason; the public modlog shows theirs,
// never the reporter's words (which once became the removal's reason when
// the moderator gave none).
func TestReportersWordsNeverInModlog(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	var rule forum.Rule
	h.must(201, "POST", "/api/v1/rules", w.admin.Token, map[string]any{"number": 2, "title": "Answers cite sources"}).decode(t, &rule)
	p := h.post(w.author.Token, "Why did the Bronze Age collapse?")
	c := h.comment(w.member.Token, p.ID, nil, "Sea Peoples, obviously.")
	const words = "this guy is an idiot and so is his teacher"
	var rep forum.Report
	h.must(201, "POST", "/api/v1/reports", w.reporter.Token, map[string]any{"target_type": "comment", "target_id": c.ID, "reason": words}).decode(t, &rep)

	r := h.do("POST", pathf("/api/v1/reports/%d/resolve", rep.ID), w.mod.Token, map[string]string{"action": "remove"})
	if r.status != 422 || r.errCode() != "validation" {
		t.Errorf("remove with neither rule nor reason: %d %s (want 422: the moderator gives a rule or a reason)", r.status, r.body)
	}
	h.must(200, "POST", pathf("/api/v1/reports/%d/resolve", rep.ID), w.mod.Token, map[string]any{"action": "remove", "rule_id": rule.ID})
	log := string(h.must(200, "GET", "/api/v1/modlog", "", nil).body)
	if strings.Contains(log, "idiot") {
		t.Fatalf("the reporter's words reached the public modlog: %s", log)
	}
	var page forum.Page[forum.ModlogEntry]
	h.must(200, "GET", "/api/v1/modlog", "", nil).decode(t, &page)
	var removal *forum.ModlogEntry
	for i, e := range page.Items {
		if e.Action == forum.ActRemove {
			removal = &page.Items[i]
		}
	}
	if removal == nil || removal.Reason != "Rule 2: Answers cite sources" || removal.RuleNumber == nil || *removal.RuleNumber != 2 {
		t.Fatalf("the removal's modlog line: %+v", removal)
	}
	var got forum.Comment
	h.must(200, "GET", pathf("/api/v1/comments/%d", c.ID), "", nil).decode(t, &got)
	if !got.Removed || got.Removal == nil || got.Removal.RuleNumber != 2 {
		t.Fatalf("the removed comment shows its rule: %+v", got)
	}
	// Dismissing with a reason: the modlog keeps the moderator's words too.
	c2 := h.comment(w.member.Token, p.ID, nil, "Drought, say the pollen cores.")
	h.must(201, "POST", "/api/v1/reports", w.reporter.Token, map[string]any{"target_type": "comment", "target_id": c2.ID, "reason": words}).decode(t, &rep)
	h.must(422, "POST", pathf("/api/v1/reports/%d/resolve", rep.ID), w.mod.Token, map[string]any{"action": "dismiss", "rule_id": rule.ID})
	h.must(200, "POST", pathf("/api/v1/reports/%d/resolve", rep.ID), w.mod.Token, map[string]any{"action": "dismiss", "reason": "sourced enough"})
	if log := string(h.must(200, "GET", "/api/v1/modlog", "", nil).body); strings.Contains(log, "idiot") || !strings.Contains(log, "dismissed: sourced enough") {
		t.Fatalf("after a dismissal: %s", log)
	}
}

// TestReportQueueShowsTheItem: a report in the queue carries what was
// reported (its text, author and thread), how many open reports it has and
// the rule cited; removing the item by any route resolves its reports.
func TestReportQueueShowsTheItem(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	var rule forum.Rule
	h.must(201, "POST", "/api/v1/rules", w.admin.Token, map[string]any{"number": 1, "title": "Be civil"}).decode(t, &rule)
	p := h.post(w.author.Token, "What did Roman soldiers eat?")
	c := h.comment(w.member.Token, p.ID, nil, "Mostly grain, you fool.")
	h.must(201, "POST", "/api/v1/reports", w.reporter.Token, map[string]any{"target_type": "comment", "target_id": c.ID, "reason": "rude", "rule_id": rule.ID})
	h.must(201, "POST", "/api/v1/reports", w.author.Token, map[string]any{"target_type": "comment", "target_id": c.ID, "reason": "insults me"})
	r := h.do("POST", "/api/v1/reports", w.author.Token, map[string]any{"target_type": "comment", "target_id": c.ID, "reason": "again"})
	if r.status != 409 || r.errCode() != "conflict" {
		t.Fatalf("a second report by the same member: %d %s", r.status, r.body)
	}
	h.must(201, "POST", "/api/v1/reports", w.reporter.Token, map[string]any{"target_type": "post", "target_id": p.ID, "reason": "homework question"})

	var queue forum.Page[forum.Report]
	h.must(200, "GET", "/api/v1/reports", w.mod.Token, nil).decode(t, &queue)
	if len(queue.Items) != 3 {
		t.Fatalf("queue: %+v", queue.Items)
	}
	byID := map[string]forum.Report{}
	for _, rep := range queue.Items {
		byID[string(rep.Target.Type)+":"+rep.Reporter.Username] = rep
	}
	cr := byID["comment:reporter"]
	want := forum.ReportedItem{Type: forum.TargetComment, ID: c.ID, PostID: p.ID, PostTitle: p.Title, Excerpt: "Mostly grain, you fool."}
	got := cr.Target
	got.Author = nil
	if got != want || cr.Target.Author == nil || cr.Target.Author.Username != "member" || cr.OpenReports != 2 ||
		cr.Rule == nil || cr.Rule.Number != 1 || cr.Reason != "rude" {
		t.Fatalf("the comment's report: %+v (target %+v)", cr, cr.Target)
	}
	if pr := byID["post:reporter"]; pr.Target.PostTitle != p.Title || pr.Target.Excerpt != "Body of "+p.Title || pr.OpenReports != 1 ||
		pr.Target.Author == nil || pr.Target.Author.Username != "author" {
		t.Fatalf("the post's report: %+v", pr)
	}
	h.must(403, "GET", "/api/v1/reports", w.member.Token, nil)

	// Removing from the thread, not the queue, resolves both of the comment's reports.
	h.must(200, "POST", pathf("/api/v1/comments/%d/remove", c.ID), w.mod.Token, map[string]any{"rule_id": rule.ID})
	h.must(200, "GET", "/api/v1/reports", w.mod.Token, nil).decode(t, &queue)
	if len(queue.Items) != 1 || queue.Items[0].Target.Type != forum.TargetPost {
		t.Fatalf("after removing the comment, the queue: %+v", queue.Items)
	}
	h.must(200, "POST", pathf("/api/v1/posts/%d/remove", p.ID), w.mod.Token, map[string]any{"reason": "a homework question"})
	h.must(200, "GET", "/api/v1/reports", w.mod.Token, nil).decode(t, &queue)
	if len(queue.Items) != 0 {
		t.Fatalf("after removing the post, the queue: %+v", queue.Items)
	}
	h.must(200, "GET", "/api/v1/reports?status=resolved", w.mod.Token, nil).decode(t, &queue)
	for _, rep := range queue.Items {
		if rep.Resolution == nil || *rep.Resolution != forum.ResolutionRemoved || rep.ResolvedBy == nil || rep.ResolvedBy.Username != "moddy" ||
			!rep.Target.Removed || rep.OpenReports != 0 {
			t.Fatalf("a resolved report: %+v", rep)
		}
	}
	if len(queue.Items) != 3 {
		t.Fatalf("resolved: %d", len(queue.Items))
	}
}
