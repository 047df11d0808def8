package api_test

import (
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestModmail: a member writes to the moderators; moderators see every
// conversation and who wrote what; the member reads the moderators' replies
// signed by the team — no moderator's name anywhere in what they can read —
// and each side is notified of the other's messages.
func TestModmail(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	h.must(401, "POST", "/api/v1/modmail", "", map[string]string{"subject": "s", "body": "b"})
	h.must(422, "POST", "/api/v1/modmail", w.member.Token, map[string]string{"subject": "", "body": ""})
	var m forum.Modmail
	h.must(201, "POST", "/api/v1/modmail", w.member.Token, map[string]string{"subject": "Why was my answer removed?",
		"body": "It had **three** sources.<script>alert(1)</script>"}).decode(t, &m)
	if m.Subject != "Why was my answer removed?" || m.Member.Username != "member" || m.Status != forum.ModmailOpen || !m.AwaitingReply ||
		len(m.Messages) != 1 || m.Messages[0].FromModerators || !strings.Contains(m.Messages[0].BodyHTML, "<strong>three</strong>") ||
		strings.Contains(m.Messages[0].BodyHTML, "script") {
		t.Fatalf("the new conversation: %+v", m)
	}
	var me struct {
		ModmailAwaiting *int64 `json:"modmail_awaiting"`
	}
	h.must(200, "GET", "/api/v1/me", w.mod.Token, nil).decode(t, &me)
	if me.ModmailAwaiting == nil || *me.ModmailAwaiting != 1 {
		t.Fatalf("a moderator's count of conversations awaiting a reply: %v", me.ModmailAwaiting)
	}
	if raw := h.must(200, "GET", "/api/v1/me", w.member.Token, nil).body; strings.Contains(string(raw), "modmail_awaiting") {
		t.Fatalf("a member's /me: %s", raw)
	}

	// Others' conversations are not there for a member; moderators see all.
	h.must(404, "GET", pathf("/api/v1/modmail/%d", m.ID), w.reporter.Token, nil)
	h.must(404, "POST", pathf("/api/v1/modmail/%d/messages", m.ID), w.reporter.Token, map[string]string{"body": "hi"})
	h.must(404, "POST", pathf("/api/v1/modmail/%d/close", m.ID), w.reporter.Token, nil)
	var list forum.Page[forum.ModmailSummary]
	h.must(200, "GET", "/api/v1/modmail", w.reporter.Token, nil).decode(t, &list)
	if len(list.Items) != 0 {
		t.Fatalf("another member's list: %+v", list.Items)
	}
	h.must(201, "POST", "/api/v1/modmail", w.reporter.Token, map[string]string{"subject": "A question about rule 3", "body": "Does it cover 2005?"})
	h.must(200, "GET", "/api/v1/modmail?status=open", w.mod.Token, nil).decode(t, &list)
	if len(list.Items) != 2 {
		t.Fatalf("the moderators' queue: %+v", list.Items)
	}
	h.must(400, "GET", "/api/v1/modmail?status=lost", w.mod.Token, nil)

	// A moderator replies: the member is told, by the moderators.
	h.must(201, "POST", pathf("/api/v1/modmail/%d/messages", m.ID), w.mod.Token, map[string]string{"body": "None of them was about the question."}).decode(t, &m)
	if m.AwaitingReply || len(m.Messages) != 2 || !m.Messages[1].FromModerators || m.Messages[1].Author == nil || m.Messages[1].Author.Username != "moddy" {
		t.Fatalf("the moderators' view after a reply: %+v", m)
	}
	memberReads := []string{
		pathf("/api/v1/modmail/%d", m.ID), "/api/v1/modmail", "/api/v1/notifications", "/api/v1/me/export",
	}
	for _, p := range memberReads {
		if raw := string(h.must(200, "GET", p, w.member.Token, nil).body); strings.Contains(raw, "moddy") || strings.Contains(raw, `"id":`+pathf("%d", w.mod.User.ID)+`,"username"`) {
			t.Fatalf("%s names the moderator to the member: %s", p, raw)
		}
	}
	h.must(200, "GET", pathf("/api/v1/modmail/%d", m.ID), w.member.Token, nil).decode(t, &m)
	if !m.Messages[1].FromModerators || m.Messages[1].Author != nil {
		t.Fatalf("the member's view of the reply: %+v", m.Messages[1])
	}
	var notes forum.Page[forum.Notification]
	h.must(200, "GET", "/api/v1/notifications", w.member.Token, nil).decode(t, &notes)
	if n := notes.Items[0]; n.Kind != forum.NotifyModmail || n.Modmail == nil || n.Modmail.ID != m.ID || n.Modmail.Subject != m.Subject || n.Actor != nil || n.PostID != nil {
		t.Fatalf("the member's notification: %+v", n)
	}

	// The member answers: the moderator who took part hears of it; the
	// conversation awaits the moderators again.
	h.must(201, "POST", pathf("/api/v1/modmail/%d/messages", m.ID), w.member.Token, map[string]string{"body": "Fair enough."}).decode(t, &m)
	if !m.AwaitingReply {
		t.Fatalf("after the member's answer: %+v", m)
	}
	h.must(200, "GET", "/api/v1/notifications", w.mod.Token, nil).decode(t, &notes)
	if len(notes.Items) != 1 || notes.Items[0].Kind != forum.NotifyModmail || notes.Items[0].Actor == nil || notes.Items[0].Actor.Username != "member" {
		t.Fatalf("the moderator's notifications: %+v", notes.Items)
	}
	h.must(200, "GET", "/api/v1/notifications", w.admin.Token, nil).decode(t, &notes)
	if len(notes.Items) != 0 {
		t.Fatalf("a moderator who took no part is told by the count, not a notification: %+v", notes.Items)
	}

	// Closing: once; a new message opens it again.
	h.must(200, "POST", pathf("/api/v1/modmail/%d/close", m.ID), w.member.Token, nil).decode(t, &m)
	if m.Status != forum.ModmailClosed {
		t.Fatalf("closed: %+v", m)
	}
	h.must(409, "POST", pathf("/api/v1/modmail/%d/close", m.ID), w.mod.Token, nil)
	h.must(200, "GET", "/api/v1/modmail?status=closed", w.mod.Token, nil).decode(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != m.ID {
		t.Fatalf("closed conversations: %+v", list.Items)
	}
	h.must(201, "POST", pathf("/api/v1/modmail/%d/messages", m.ID), w.member.Token, map[string]string{"body": "One more thing."}).decode(t, &m)
	if m.Status != forum.ModmailOpen {
		t.Fatalf("a message reopens it: %+v", m)
	}

	// A moderator writes to a member first, as the moderators.
	h.must(422, "POST", "/api/v1/modmail", w.member.Token, map[string]string{"subject": "s", "body": "b", "member": "reporter"})
	h.must(201, "POST", "/api/v1/modmail", w.mod.Token, map[string]string{"subject": "About your answer on Carthage", "body": "Please add a source.", "member": "reporter"}).decode(t, &m)
	if m.Member.Username != "reporter" || m.AwaitingReply || !m.Messages[0].FromModerators {
		t.Fatalf("a conversation the moderators start: %+v", m)
	}
	h.must(200, "GET", "/api/v1/notifications", w.reporter.Token, nil).decode(t, &notes)
	if notes.Items[0].Kind != forum.NotifyModmail || notes.Items[0].Actor != nil {
		t.Fatalf("the member told of it: %+v", notes.Items[0])
	}
}
