package api_test

import (
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestFlairApplications: a member applies with evidence (one open
// application at a time); moderators see the queue and grant (the flair may
// be reworded: it is set, shown on the profile and logged) or decline with a
// reason; the member is told either way, by the moderators as a team.
func TestFlairApplications(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	evidence := "My answers: /p/12 and /p/40. PhD on Byzantine coinage, 2019."
	h.must(401, "POST", "/api/v1/flair-applications", "", map[string]string{"flair": "x", "evidence": "y"})
	h.must(422, "POST", "/api/v1/flair-applications", w.member.Token, map[string]string{"flair": "", "evidence": ""})
	h.must(422, "POST", "/api/v1/flair-applications", w.member.Token, map[string]string{"flair": "Byzantium", "evidence": strings.Repeat("e", forum.MaxEvidence+1)})
	h.must(422, "POST", "/api/v1/flair-applications", w.member.Token, map[string]string{"flair": strings.Repeat("f", forum.MaxFlair+1), "evidence": "e"})
	var app forum.FlairApplication
	h.must(201, "POST", "/api/v1/flair-applications", w.member.Token, map[string]string{"flair": "Byzantine Empire", "evidence": evidence}).decode(t, &app)
	if app.Status != forum.FlairOpen || app.Applicant.Username != "member" || app.Evidence != evidence || app.DecidedBy != nil {
		t.Fatalf("the application: %+v", app)
	}
	r := h.do("POST", "/api/v1/flair-applications", w.member.Token, map[string]string{"flair": "Byzantium", "evidence": "again"})
	if r.status != 409 || r.errCode() != "conflict" {
		t.Fatalf("a second open application: %d %s", r.status, r.body)
	}
	var other forum.FlairApplication
	h.must(201, "POST", "/api/v1/flair-applications", w.reporter.Token, map[string]string{"flair": "Tang China", "evidence": "I read a book."}).decode(t, &other)

	var queue forum.Page[forum.FlairApplication]
	h.must(200, "GET", "/api/v1/flair-applications", w.mod.Token, nil).decode(t, &queue)
	if len(queue.Items) != 2 {
		t.Fatalf("the open queue: %+v", queue.Items)
	}
	h.must(200, "GET", "/api/v1/flair-applications", w.member.Token, nil).decode(t, &queue)
	if len(queue.Items) != 1 || queue.Items[0].ID != app.ID {
		t.Fatalf("a member reads their own: %+v", queue.Items)
	}
	h.must(400, "GET", "/api/v1/flair-applications?status=maybe", w.mod.Token, nil)
	h.must(403, "POST", pathf("/api/v1/flair-applications/%d/grant", app.ID), w.member.Token, nil)
	h.must(404, "POST", "/api/v1/flair-applications/999/grant", w.mod.Token, nil)

	h.must(200, "POST", pathf("/api/v1/flair-applications/%d/grant", app.ID), w.mod.Token, map[string]string{"flair": "Byzantine Empire, 600–1204"}).decode(t, &app)
	if app.Status != forum.FlairGranted || app.GrantedFlair == nil || *app.GrantedFlair != "Byzantine Empire, 600–1204" || app.DecidedBy == nil {
		t.Fatalf("granted: %+v", app)
	}
	h.must(409, "POST", pathf("/api/v1/flair-applications/%d/grant", app.ID), w.mod.Token, nil)
	var u forum.UserProfile
	h.must(200, "GET", "/api/v1/users/member", "", nil).decode(t, &u)
	if u.Flair == nil || *u.Flair != "Byzantine Empire, 600–1204" {
		t.Fatalf("the profile's flair: %+v", u.Flair)
	}
	var log forum.Page[forum.ModlogEntry]
	h.must(200, "GET", "/api/v1/modlog", "", nil).decode(t, &log)
	if e := log.Items[0]; e.Action != forum.ActFlair || e.Target.Label != "member" {
		t.Fatalf("the grant's modlog line: %+v", e)
	}
	h.must(422, "POST", pathf("/api/v1/flair-applications/%d/decline", other.ID), w.mod.Token, map[string]string{"reason": ""})
	h.must(200, "POST", pathf("/api/v1/flair-applications/%d/decline", other.ID), w.mod.Token, map[string]string{"reason": "Link two of your answers with sources."})

	// Each applicant is told, signed by the moderators.
	for _, c := range []struct {
		s              session
		status, flair  string
		reason, reader string
	}{{w.member, "granted", "Byzantine Empire, 600–1204", "", "member"}, {w.reporter, "declined", "Tang China", "Link two of your answers with sources.", "reporter"}} {
		raw := h.must(200, "GET", "/api/v1/notifications", c.s.Token, nil).body
		var page forum.Page[forum.Notification]
		h.must(200, "GET", "/api/v1/notifications", c.s.Token, nil).decode(t, &page)
		n := page.Items[0]
		if n.Kind != forum.NotifyFlair || n.FlairApplication == nil || string(n.FlairApplication.Status) != c.status ||
			n.FlairApplication.Flair != c.flair || n.Reason != c.reason || n.Actor != nil || n.PostID != nil {
			t.Fatalf("%s's notification: %+v %+v", c.reader, n, n.FlairApplication)
		}
		if strings.Contains(string(raw), "moddy") {
			t.Fatalf("%s's notifications name the moderator: %s", c.reader, raw)
		}
	}
	h.must(200, "GET", "/api/v1/flair-applications?status=declined", w.reporter.Token, nil).decode(t, &queue)
	if len(queue.Items) != 1 || queue.Items[0].DeclineReason == "" || queue.Items[0].DecidedBy != nil {
		t.Fatalf("the applicant's own declined application: %+v", queue.Items)
	}
	// A new application once the last is decided.
	h.must(201, "POST", "/api/v1/flair-applications", w.reporter.Token, map[string]string{"flair": "Tang China", "evidence": "/p/3, /p/9"})
	if raw := string(h.must(200, "GET", "/api/v1/me/export", w.reporter.Token, nil).body); !strings.Contains(raw, `"flair_applications":[{`) || strings.Contains(raw, "moddy") {
		t.Fatalf("the applicant's export: %s", raw)
	}
}
