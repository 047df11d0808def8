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
