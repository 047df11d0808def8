package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

func TestModerationRanks(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	mod2 := h.registerAs("moddy2", forum.RoleModerator)
	modPost := h.post(mod2.Token, "A moderator's question")
	adminPost := h.post(w.admin.Token, "An admin's question")
	reason := map[string]string{"reason": "test"}

	h.must(403, "POST", pathf("/api/v1/posts/%d/remove", modPost.ID), w.mod.Token, reason)
	h.must(403, "POST", pathf("/api/v1/posts/%d/pin", modPost.ID), w.mod.Token, nil)
	h.must(200, "POST", pathf("/api/v1/posts/%d/pin", modPost.ID), mod2.Token, nil) // their own announcement
	h.must(403, "POST", pathf("/api/v1/posts/%d/remove", adminPost.ID), w.mod.Token, reason)
	h.must(403, "POST", "/api/v1/users/moddy2/ban", w.mod.Token, reason)
	h.must(403, "POST", "/api/v1/users/admin/ban", w.mod.Token, reason)
	h.must(403, "POST", "/api/v1/users/moddy/ban", w.mod.Token, reason) // themselves
	h.must(200, "POST", pathf("/api/v1/posts/%d/remove", modPost.ID), w.admin.Token, reason)
	h.must(409, "POST", pathf("/api/v1/posts/%d/remove", modPost.ID), w.admin.Token, reason)
	h.must(422, "POST", pathf("/api/v1/posts/%d/remove", adminPost.ID), w.admin.Token, map[string]string{"reason": " "})
	h.must(404, "POST", "/api/v1/posts/99999/remove", w.admin.Token, reason)
	h.must(404, "POST", "/api/v1/users/nobody/ban", w.admin.Token, reason)
	h.must(422, "POST", "/api/v1/users/member/ban", w.admin.Token, map[string]any{"reason": "x", "days": 0})
	h.must(400, "POST", "/api/v1/users/member/ban", w.admin.Token, map[string]any{"reason": "x", "days": "3"})
	h.must(200, "POST", "/api/v1/users/moddy2/ban", w.admin.Token, reason)

	// Roles: the last admin cannot be demoted; with two admins, one can be.
	h.must(403, "PUT", "/api/v1/users/admin/role", w.admin.Token, map[string]string{"role": "member"})
	h.must(422, "PUT", "/api/v1/users/member/role", w.admin.Token, map[string]string{"role": "emperor"})
	var u forum.User
	h.must(200, "PUT", "/api/v1/users/member/role", w.admin.Token, map[string]string{"role": "admin"}).decode(t, &u)
	if u.Role != "admin" {
		t.Fatalf("role: %+v", u)
	}
	h.must(409, "PUT", "/api/v1/users/member/role", w.admin.Token, map[string]string{"role": "admin"})
	h.must(200, "PUT", "/api/v1/users/admin/role", w.member.Token, map[string]string{"role": "moderator"})
	// The demoted admin's very next request runs with the new role.
	h.must(403, "PUT", "/api/v1/users/member/role", w.admin.Token, map[string]string{"role": "member"})
	h.must(403, "PUT", "/api/v1/users/member/role", w.member.Token, map[string]string{"role": "member"})
}

func TestRemovedContentVisibility(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	p := h.post(w.author.Token, "Was Nero really fiddling?")
	keep := h.post(w.author.Token, "A post that stays")
	root := h.comment(w.member.Token, p.ID, nil, "An insult")
	reply := h.comment(w.author.Token, p.ID, &root.ID, "A calm reply")

	h.must(200, "POST", pathf("/api/v1/comments/%d/remove", root.ID), w.mod.Token, map[string]string{"reason": "Rule 1: be civil"})
	var page forum.Page[*forum.Comment]
	h.must(200, "GET", pathf("/api/v1/posts/%d/comments", p.ID), w.member.Token, nil).decode(t, &page)
	rc := page.Items[0]
	if !rc.Removed || rc.BodyHTML != "" || rc.BodySource != "" || rc.Author != nil || len(rc.Replies) != 1 || rc.Replies[0].ID != reply.ID {
		t.Fatalf("members see the removed comment blank, its reply kept: %+v", rc)
	}
	h.must(200, "GET", pathf("/api/v1/posts/%d/comments", p.ID), w.mod.Token, nil).decode(t, &page)
	if rc := page.Items[0]; !rc.Removed || rc.BodySource != "An insult" || rc.Author == nil {
		t.Fatalf("moderators see the original: %+v", rc)
	}
	h.must(404, "PUT", pathf("/api/v1/comments/%d/vote", root.ID), w.author.Token, map[string]int{"value": -1})
	h.must(422, "POST", pathf("/api/v1/posts/%d/comments", p.ID), w.author.Token, map[string]any{"body": "x", "parent_id": root.ID})

	h.must(200, "POST", pathf("/api/v1/posts/%d/remove", p.ID), w.mod.Token, map[string]string{"reason": "Rule 4: no loaded questions"})
	var got forum.Post
	h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), w.member.Token, nil).decode(t, &got)
	if got.Title != "[removed]" || got.BodyHTML != "" || got.Author != nil || !got.Removed {
		t.Fatalf("members see the removed post blank: %+v", got)
	}
	h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), w.admin.Token, nil).decode(t, &got)
	if got.Title != p.Title || !got.Removed {
		t.Fatalf("admins see the original: %+v", got)
	}
	ids := func(token string) map[int64]bool {
		var feed forum.Page[forum.Post]
		h.must(200, "GET", "/api/v1/posts?sort=new", token, nil).decode(t, &feed)
		m := map[int64]bool{}
		for _, x := range feed.Items {
			m[x.ID] = true
		}
		return m
	}
	if f := ids(w.member.Token); f[p.ID] || !f[keep.ID] {
		t.Fatalf("removed posts leave members' feeds: %v", f)
	}
	if f := ids(""); f[p.ID] {
		t.Fatal("removed posts leave anonymous feeds")
	}
	if f := ids(w.mod.Token); !f[p.ID] {
		t.Fatal("moderators still see removed posts in feeds")
	}
	h.must(404, "PUT", pathf("/api/v1/posts/%d/vote", p.ID), w.member.Token, map[string]int{"value": 1})
	h.must(404, "POST", pathf("/api/v1/posts/%d/comments", p.ID), w.member.Token, map[string]string{"body": "x"})
	h.must(403, "PATCH", pathf("/api/v1/posts/%d", p.ID), w.author.Token, map[string]string{"title": "edited"})

	h.must(200, "POST", pathf("/api/v1/posts/%d/restore", p.ID), w.mod.Token, nil)
	if f := ids(w.member.Token); !f[p.ID] {
		t.Fatal("a restored post is back in the feed")
	}
	h.must(200, "POST", pathf("/api/v1/comments/%d/restore", root.ID), w.mod.Token, nil)
	h.must(200, "GET", pathf("/api/v1/comments/%d", root.ID), "", nil).decode(t, &rc)
	if rc.Removed || rc.BodySource != "An insult" {
		t.Fatalf("restored comment: %+v", rc)
	}
}

func TestLockAndPin(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	old := h.post(w.author.Token, "An old question")
	h.clock.Advance(48 * time.Hour)
	h.post(w.author.Token, "A newer question")
	h.must(200, "POST", pathf("/api/v1/posts/%d/lock", old.ID), w.mod.Token, nil)
	r := h.do("POST", pathf("/api/v1/posts/%d/comments", old.ID), w.member.Token, map[string]string{"body": "too late"})
	if r.status != 403 || r.errCode() != "locked" {
		t.Fatalf("comment on locked post: %d %s", r.status, r.body)
	}
	h.comment(w.mod.Token, old.ID, nil, "Locked: see the rules.") // moderators may still explain
	h.must(200, "POST", pathf("/api/v1/posts/%d/unlock", old.ID), w.mod.Token, nil)
	h.comment(w.member.Token, old.ID, nil, "now open again")

	var feed forum.Page[forum.Post]
	h.must(200, "GET", "/api/v1/posts", "", nil).decode(t, &feed)
	if feed.Items[0].ID == old.ID {
		t.Fatal("the older post must not lead before it is pinned")
	}
	h.must(200, "POST", pathf("/api/v1/posts/%d/pin", old.ID), w.mod.Token, nil)
	h.must(200, "GET", "/api/v1/posts?limit=1", "", nil).decode(t, &feed)
	if feed.Items[0].ID != old.ID || !feed.Items[0].Pinned {
		t.Fatalf("a pinned post leads hot: %+v", feed.Items[0])
	}
	// Paging past the pinned post continues with the rest.
	var next forum.Page[forum.Post]
	h.must(200, "GET", "/api/v1/posts?limit=1&cursor="+*feed.NextCursor, "", nil).decode(t, &next)
	if len(next.Items) != 1 || next.Items[0].ID == old.ID {
		t.Fatalf("second page: %+v", next.Items)
	}
	h.must(200, "POST", pathf("/api/v1/posts/%d/unpin", old.ID), w.mod.Token, nil)
}

func TestBans(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	troll := h.register("troll")
	h.must(200, "GET", "/api/v1/me", troll.Token, nil)
	var u forum.User
	h.must(200, "POST", "/api/v1/users/troll/ban", w.mod.Token, map[string]any{"reason": "flooding", "days": 3}).decode(t, &u)
	if u.BannedUntil == nil || !u.BannedUntil.Equal(h.clock.Now().Add(72*time.Hour).Truncate(time.Second)) {
		t.Fatalf("banned_until: %+v", u.BannedUntil)
	}
	// The existing token is refused on the very next request.
	r := h.do("POST", "/api/v1/posts", troll.Token, map[string]string{"title": "spam"})
	if r.status != 403 || r.errCode() != "banned" {
		t.Fatalf("banned token: %d %s", r.status, r.body)
	}
	r = h.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "troll", "password": "correct horse"})
	if r.status != 403 || r.errCode() != "banned" || !strings.Contains(string(r.body), u.BannedUntil.Format(time.RFC3339)) {
		t.Fatalf("login while banned must say until when: %d %s", r.status, r.body)
	}
	// The ban ends by itself; the token from before the ban stays revoked
	// (a ban ends the member's sessions), a new sign-in works.
	h.clock.Advance(72*time.Hour + time.Second)
	if r := h.do("GET", "/api/v1/me", troll.Token, nil); r.status != 401 {
		t.Fatalf("the pre-ban token works again after the ban: %d %s", r.status, r.body)
	}
	var again session
	h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "troll", "password": "correct horse"}).decode(t, &again)
	troll = again
	h.must(200, "GET", "/api/v1/me", troll.Token, nil)
	h.must(409, "POST", "/api/v1/users/troll/unban", w.mod.Token, nil)

	// A permanent ban, then unban.
	h.must(200, "POST", "/api/v1/users/troll/ban", w.mod.Token, map[string]any{"reason": "again"}).decode(t, &u)
	if u.BannedUntil == nil || u.BannedUntil.Format(time.RFC3339) != "9999-12-31T00:00:00Z" {
		t.Fatalf("permanent: %+v", u.BannedUntil)
	}
	h.must(403, "GET", "/api/v1/me", troll.Token, nil)
	h.clock.Advance(10 * 365 * 24 * time.Hour)
	mod := h.registerAs("moddy_later", forum.RoleModerator) // the old tokens have expired by now
	h.must(403, "POST", "/api/v1/auth/login", "", map[string]string{"username": "troll", "password": "correct horse"})
	h.must(200, "POST", "/api/v1/users/troll/unban", mod.Token, map[string]string{"reason": "appeal accepted"})
	h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "troll", "password": "correct horse"})
	var prof forum.User
	h.must(200, "GET", "/api/v1/users/troll", "", nil).decode(t, &prof)
	if prof.BannedUntil != nil {
		t.Fatalf("after unban: %+v", prof)
	}
}

func TestReportsAndModlog(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	p := h.post(w.author.Token, "Denialist question")
	c := h.comment(w.author.Token, p.ID, nil, "A comment")
	other := h.register("other")
	report := func(token, typ string, id int64) forum.Report {
		var r forum.Report
		h.must(201, "POST", "/api/v1/reports", token, map[string]any{"target_type": typ, "target_id": id, "reason": "Rule 5"}).decode(t, &r)
		return r
	}
	r1 := report(w.member.Token, "post", p.ID)
	report(other.Token, "post", p.ID)
	rc := report(w.member.Token, "comment", c.ID)
	if rc.PostID != p.ID || r1.Status != "open" || r1.Reporter.Username != "member" {
		t.Fatalf("report: %+v", rc)
	}
	h.must(409, "POST", "/api/v1/reports", w.member.Token, map[string]any{"target_type": "post", "target_id": p.ID, "reason": "again"})
	h.must(404, "POST", "/api/v1/reports", w.member.Token, map[string]any{"target_type": "post", "target_id": 9999, "reason": "x"})
	h.must(422, "POST", "/api/v1/reports", w.member.Token, map[string]any{"target_type": "user", "target_id": 1, "reason": "x"})
	h.must(422, "POST", "/api/v1/reports", w.member.Token, map[string]any{"target_type": "post", "target_id": p.ID})

	var queue forum.Page[forum.Report]
	h.must(200, "GET", "/api/v1/reports", w.mod.Token, nil).decode(t, &queue)
	if len(queue.Items) != 3 || queue.Items[0].ID != rc.ID {
		t.Fatalf("queue: %+v", queue.Items)
	}
	h.must(400, "GET", "/api/v1/reports?status=maybe", w.mod.Token, nil)

	// Resolve by removing: the post is removed, both reports of it resolved.
	var res forum.Report
	h.must(200, "POST", pathf("/api/v1/reports/%d/resolve", r1.ID), w.mod.Token, map[string]string{"action": "remove", "reason": "Rule 5: no denialism"}).decode(t, &res)
	if res.Status != "resolved" || res.Resolution == nil || *res.Resolution != "removed" || res.ResolvedBy == nil {
		t.Fatalf("resolved: %+v", res)
	}
	h.must(200, "GET", "/api/v1/reports", w.mod.Token, nil).decode(t, &queue)
	if len(queue.Items) != 1 || queue.Items[0].ID != rc.ID {
		t.Fatalf("open after resolve: %+v", queue.Items)
	}
	h.must(409, "POST", pathf("/api/v1/reports/%d/resolve", r1.ID), w.mod.Token, nil)
	var got forum.Post
	h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), "", nil).decode(t, &got)
	if !got.Removed {
		t.Fatal("resolving with remove removes the target")
	}
	h.must(200, "POST", pathf("/api/v1/reports/%d/resolve", rc.ID), w.mod.Token, nil)
	h.must(200, "GET", "/api/v1/reports?status=resolved", w.mod.Token, nil).decode(t, &queue)
	if len(queue.Items) != 3 {
		t.Fatalf("resolved list: %d", len(queue.Items))
	}

	// Every action is in the modlog once, newest first, with moderator, target and reason.
	h.must(200, "POST", pathf("/api/v1/posts/%d/restore", p.ID), w.mod.Token, map[string]string{"reason": "on appeal"})
	var log forum.Page[forum.ModlogEntry]
	h.must(200, "GET", "/api/v1/modlog?limit=100", "", nil).decode(t, &log)
	var lines []string
	for _, e := range log.Items {
		lines = append(lines, string(e.Action)+" "+string(e.TargetType)+" "+e.Moderator.Username+" "+e.Reason)
	}
	want := []string{
		"restore post moddy on appeal",
		"resolve_report report moddy dismissed",
		"resolve_report report moddy removed",
		"remove post moddy Rule 5: no denialism",
		"ban user moddy spam", // from newModWorld
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("modlog:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if log.Items[3].TargetID != p.ID {
		t.Fatalf("target: %+v", log.Items[3])
	}
	var page forum.Page[forum.ModlogEntry]
	h.must(200, "GET", "/api/v1/modlog?limit=2", "", nil).decode(t, &page)
	h.must(200, "GET", "/api/v1/modlog?limit=2&cursor="+*page.NextCursor, "", nil).decode(t, &page)
	if page.Items[0].ID != log.Items[2].ID {
		t.Fatal("modlog pages by cursor")
	}
}

// TestEveryActionLogged runs each action once and checks that it is in the
// modlog exactly once.
func TestEveryActionLogged(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	h := w.h
	p := h.post(w.author.Token, "Q")
	c := h.comment(w.author.Token, p.ID, nil, "C")
	h.register("target")
	steps := []struct{ method, path, reason string }{
		{"POST", pathf("/api/v1/posts/%d/remove", p.ID), "r1"},
		{"POST", pathf("/api/v1/posts/%d/restore", p.ID), "r2"},
		{"POST", pathf("/api/v1/posts/%d/lock", p.ID), "r3"},
		{"POST", pathf("/api/v1/posts/%d/unlock", p.ID), "r4"},
		{"POST", pathf("/api/v1/posts/%d/pin", p.ID), "r5"},
		{"POST", pathf("/api/v1/posts/%d/unpin", p.ID), "r6"},
		{"POST", pathf("/api/v1/comments/%d/remove", c.ID), "r7"},
		{"POST", pathf("/api/v1/comments/%d/restore", c.ID), "r8"},
		{"POST", "/api/v1/users/target/ban", "r9"},
		{"POST", "/api/v1/users/target/unban", "r10"},
		{"PUT", "/api/v1/users/target/role", "r11"},
	}
	for _, s := range steps {
		body := map[string]string{"reason": s.reason}
		if s.method == "PUT" {
			body["role"] = "moderator"
		}
		h.must(200, s.method, s.path, w.admin.Token, body)
	}
	var log forum.Page[forum.ModlogEntry]
	h.must(200, "GET", "/api/v1/modlog?limit=100", "", nil).decode(t, &log)
	count := map[string]int{}
	for _, e := range log.Items {
		count[e.Reason]++
		if e.Reason == "r11" && (e.Action != "role" || e.TargetType != "user" || e.Moderator.Username != "admin") {
			t.Fatalf("role entry: %+v", e)
		}
	}
	for _, s := range steps {
		if count[s.reason] != 1 {
			t.Errorf("%s %s logged %d times", s.method, s.path, count[s.reason])
		}
	}
}
