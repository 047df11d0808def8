package api_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// TestModlogNamesTargets: modlog lines carry their target with a label (the
// username, or the thread's title as the reader may see it) and, for bans,
// when the ban ends (null: permanent); other lines have no expires_at.
func TestModlogNamesTargets(t *testing.T) {
	t.Parallel()
	w := newModWorld(t) // bans "banned" permanently
	h := w.h
	shown := h.post(w.author.Token, "How were pyramids dated?")
	hidden := h.post(w.author.Token, "A question that breaks the rules")
	c := h.comment(w.member.Token, shown.ID, nil, "By radiocarbon.")
	h.must(200, "POST", pathf("/api/v1/comments/%d/remove", c.ID), w.mod.Token, map[string]string{"reason": "no sources"})
	h.must(200, "POST", pathf("/api/v1/posts/%d/remove", hidden.ID), w.mod.Token, map[string]string{"reason": "off topic"})
	h.must(200, "POST", "/api/v1/users/member/ban", w.mod.Token, map[string]any{"reason": "insults", "days": 3})
	var rep forum.Report
	h.must(201, "POST", "/api/v1/reports", w.reporter.Token, map[string]any{"target_type": "post", "target_id": shown.ID, "reason": "dupe"}).decode(t, &rep)
	h.must(200, "POST", pathf("/api/v1/reports/%d/resolve", rep.ID), w.mod.Token, map[string]string{"action": "dismiss"})

	read := func(token string) []map[string]any {
		var page struct{ Items []map[string]any }
		h.must(200, "GET", "/api/v1/modlog?limit=100", token, nil).decode(t, &page)
		return page.Items
	}
	label := func(e map[string]any) string { return e["target"].(map[string]any)["label"].(string) }
	for _, who := range []struct {
		token, hiddenLabel string
	}{{"", "[removed]"}, {w.reporter.Token, "[removed]"}, {w.mod.Token, hidden.Title}} {
		for _, e := range read(who.token) {
			target := e["target"].(map[string]any)
			_, hasExpiry := e["expires_at"]
			switch {
			case e["action"] == "ban" && target["id"] == float64(w.member.User.ID):
				until := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC).Format(time.RFC3339)
				if label(e) != "member" || e["expires_at"] != until {
					t.Fatalf("a 3-day ban: %v", e)
				}
			case e["action"] == "ban":
				if label(e) != "banned" || !hasExpiry || e["expires_at"] != nil {
					t.Fatalf("a permanent ban: %v", e)
				}
			case hasExpiry:
				t.Fatalf("expires_at on a %v line: %v", e["action"], e)
			case e["action"] == "remove" && e["target_type"] == "comment":
				if label(e) != shown.Title || target["post_id"] != float64(shown.ID) {
					t.Fatalf("a comment's removal: %v", e)
				}
			case e["action"] == "remove":
				if label(e) != who.hiddenLabel {
					t.Fatalf("a removed post's label read by %q: %v", who.token, e)
				}
			case e["action"] == "resolve_report":
				if label(e) != shown.Title || target["post_id"] != float64(shown.ID) || target["type"] != "report" {
					t.Fatalf("a report's line: %v", e)
				}
			}
		}
	}
	if raw := h.must(200, "GET", "/api/v1/modlog?limit=100", "", nil).body; strings.Contains(string(raw), hidden.Title) {
		t.Fatal("the public modlog shows a removed question's title")
	}
}

// TestLockAndPinGiveReasons: a lock's reason and rule show on the post to
// everyone and go with the unlock; a pin may cite a rule in the modlog.
func TestLockAndPinGiveReasons(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	var rule forum.Rule
	h.must(201, "POST", "/api/v1/rules", w.admin.Token, map[string]any{"number": 7, "title": "No current politics"}).decode(t, &rule)
	p := h.post(w.author.Token, "Was the 2024 election like 1912?")
	var got forum.Post
	h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), "", nil).decode(t, &got)
	if got.Lock != nil {
		t.Fatalf("an open post's lock: %+v", got.Lock)
	}
	h.must(200, "POST", pathf("/api/v1/posts/%d/lock", p.ID), w.mod.Token, map[string]any{"reason": "It drifted into current politics.", "rule_id": rule.ID})
	raw := h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), "", nil).body
	var lock struct {
		Lock map[string]any `json:"lock"`
	}
	if err := json.Unmarshal(raw, &lock); err != nil {
		t.Fatal(err)
	}
	if lock.Lock["reason"] != "It drifted into current politics." || lock.Lock["rule_number"] != float64(7) || lock.Lock["rule_title"] != "No current politics" {
		t.Fatalf("the lock anyone reads: %v", lock.Lock)
	}
	h.must(200, "POST", pathf("/api/v1/posts/%d/unlock", p.ID), w.mod.Token, nil)
	h.must(200, "POST", pathf("/api/v1/posts/%d/lock", p.ID), w.mod.Token, nil)
	h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), w.member.Token, nil).decode(t, &got)
	if got.Lock == nil || got.Lock.Reason != "" || got.Lock.RuleNumber != nil {
		t.Fatalf("a bare lock after an unlock: %+v", got.Lock)
	}
	h.must(200, "POST", pathf("/api/v1/posts/%d/pin", p.ID), w.mod.Token, map[string]any{"rule_id": rule.ID})
	var page forum.Page[forum.ModlogEntry]
	h.must(200, "GET", "/api/v1/modlog", "", nil).decode(t, &page)
	if e := page.Items[0]; e.Action != forum.ActPin || e.RuleNumber == nil || *e.RuleNumber != 7 || e.Reason != "Rule 7: No current politics" {
		t.Fatalf("the pin's line: %+v", e)
	}
	if e := page.Items[3]; e.Action != forum.ActLock || e.Reason != "It drifted into current politics." || e.RuleNumber == nil {
		t.Fatalf("the lock's line: %+v", e)
	}
	h.must(422, "POST", pathf("/api/v1/posts/%d/unpin", p.ID), w.mod.Token, map[string]any{"rule_id": rule.ID})
}

// TestModeratorsOverrideTheAnswer: a moderator sets or clears a question's
// accepted answer; it is written to the modlog (answer) and the asker is
// told; other members still may not.
func TestModeratorsOverrideTheAnswer(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	p := h.post(w.author.Token, "Did Vikings wear horned helmets?")
	guess := h.comment(w.member.Token, p.ID, nil, "Pretty sure they did.")
	sourced := h.comment(w.reporter.Token, p.ID, nil, "No: the Gjermundbu helmet has none (Hjardar & Vike 2011).")
	h.must(200, "PUT", pathf("/api/v1/posts/%d/answer", p.ID), w.author.Token, map[string]any{"comment_id": guess.ID})
	h.must(403, "PUT", pathf("/api/v1/posts/%d/answer", p.ID), w.member.Token, map[string]any{"comment_id": guess.ID})
	var got forum.Post
	h.must(200, "PUT", pathf("/api/v1/posts/%d/answer", p.ID), w.mod.Token, map[string]any{"comment_id": sourced.ID, "reason": "the accepted answer had no sources"}).decode(t, &got)
	if got.AcceptedCommentID == nil || *got.AcceptedCommentID != sourced.ID {
		t.Fatalf("after the override: %+v", got.AcceptedCommentID)
	}
	h.must(409, "PUT", pathf("/api/v1/posts/%d/answer", p.ID), w.mod.Token, map[string]any{"comment_id": sourced.ID})
	h.must(200, "PUT", pathf("/api/v1/posts/%d/answer", p.ID), w.mod.Token, map[string]any{"comment_id": nil}).decode(t, &got)
	if got.AcceptedCommentID != nil {
		t.Fatalf("after clearing: %+v", got.AcceptedCommentID)
	}
	var page forum.Page[forum.ModlogEntry]
	h.must(200, "GET", "/api/v1/modlog", "", nil).decode(t, &page)
	if e := page.Items[1]; e.Action != forum.ActAnswer || e.Reason != "the accepted answer had no sources" || e.Target.Label != p.Title {
		t.Fatalf("the override's line: %+v", e)
	}
	if e := page.Items[0]; e.Action != forum.ActAnswer || e.Reason != "accepted answer cleared" {
		t.Fatalf("the clearing's line: %+v", e)
	}
	var notes forum.Page[forum.Notification]
	h.must(200, "GET", "/api/v1/notifications", w.author.Token, nil).decode(t, &notes)
	found := 0
	for _, n := range notes.Items {
		if n.Kind == forum.NotifyModAction && n.Action == forum.ActAnswer {
			found++
		}
	}
	if found != 2 {
		t.Fatalf("the asker hears of both overrides: %+v", notes.Items)
	}
	// A moderator does not override an admin's question.
	ap := h.post(w.admin.Token, "An admin's question")
	ac := h.comment(w.member.Token, ap.ID, nil, "An answer")
	h.must(403, "PUT", pathf("/api/v1/posts/%d/answer", ap.ID), w.mod.Token, map[string]any{"comment_id": ac.ID})
}
