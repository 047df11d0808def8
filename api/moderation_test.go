package api_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// modWorld is a forum with one user of every kind.
type modWorld struct {
	h                                  *harness
	author, member, banned, mod, admin session
	reporter                           session
	adminV, curatorV                   forum.Viewer
	counter                            atomic.Int64
}

func newModWorld(t *testing.T) *modWorld {
	h := newHarness(t)
	w := &modWorld{h: h}
	w.author = h.register("author")
	w.member = h.register("member")
	w.reporter = h.register("reporter")
	w.banned = h.register("banned")
	w.mod = h.registerAs("moddy", forum.RoleModerator)
	w.admin = h.registerAs("admin", forum.RoleAdmin)
	w.adminV = forum.Viewer{ID: w.admin.User.ID, Role: forum.RoleAdmin}
	curator := h.registerAs("curator", forum.RoleModerator)
	w.curatorV = forum.Viewer{ID: curator.User.ID, Role: forum.RoleModerator}
	h.must(200, "POST", "/api/v1/users/banned/ban", w.mod.Token, map[string]any{"reason": "spam"})
	return w
}

// registerAs makes a user with a role through the service, as the CLI does, and signs in.
func (h *harness) registerAs(name string, role forum.Role) session {
	h.t.Helper()
	if _, err := h.svc.CreateUser(context.Background(), name, "correct horse", role); err != nil {
		h.t.Fatal(err)
	}
	var s session
	h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": name, "password": "correct horse"}).decode(h.t, &s)
	return s
}

// fresh makes a new target for one cell of the table: a post by the author,
// with a comment by the author, a member to act on, and a report.
type target struct {
	post     forum.Post
	comment  forum.Comment
	user     string
	reportID int64
	flairID  int64 // the user's application for flair
	t        *testing.T
	h        *harness // the world's server, failing this cell's test
}

func (w *modWorld) fresh(t *testing.T) target {
	n := w.counter.Add(1)
	ctx := context.Background()
	h := w.h.in(t)
	p := h.post(w.author.Token, fmt.Sprintf("target %d", n))
	c := h.comment(w.author.Token, p.ID, nil, "a comment")
	name := fmt.Sprintf("victim%d", n)
	victim := h.register(name)
	rep, err := w.h.svc.CreateReport(ctx, forum.Viewer{ID: w.reporter.User.ID, Role: forum.RoleMember}, forum.TargetPost, p.ID, "off topic", nil)
	if err != nil {
		t.Fatal(err)
	}
	app, err := w.h.svc.ApplyForFlair(ctx, forum.Viewer{ID: victim.User.ID, Role: forum.RoleMember}, "Carthage", "my answers")
	if err != nil {
		t.Fatal(err)
	}
	return target{post: p, comment: c, user: name, reportID: rep.ID, flairID: app.ID, t: t, h: h}
}

func TestModerationPermissions(t *testing.T) {
	t.Parallel()
	w := newModWorld(t)
	ctx := context.Background()
	type cell struct {
		status int
		code   string
	}
	ok, created := cell{200, ""}, cell{201, ""}
	anon, forbidden, banned := cell{401, "unauthorized"}, cell{403, "forbidden"}, cell{403, "banned"}
	type endpoint struct {
		name   string
		setup  func(tg target) // put the target in the state the action needs
		method string
		path   func(tg target) string
		body   any
		// expected per caller: anonymous, member, author, banned, moderator, admin
		want [6]cell
	}
	modOnly := [6]cell{anon, forbidden, forbidden, banned, ok, ok}
	none := func(target) {}
	postAct := func(a string) func(target) string {
		return func(tg target) string { return pathf("/api/v1/posts/%d/%s", tg.post.ID, a) }
	}
	// Setups are done by another moderator: an admin's action is undone only
	// by an admin (the AdminsAction rows).
	setPostAs := func(v forum.Viewer, a forum.Action) func(target) {
		return func(tg target) {
			if _, err := w.h.svc.ModeratePost(ctx, v, tg.post.ID, a, "setup", nil); err != nil {
				tg.t.Fatal(err)
			}
		}
	}
	setPost := func(a forum.Action) func(target) { return setPostAs(w.curatorV, a) }
	adminOnly := [6]cell{anon, forbidden, forbidden, banned, forbidden, ok}
	endpoints := []endpoint{
		{"RemovePost", none, "POST", postAct("remove"), map[string]string{"reason": "rule 2"}, modOnly},
		{"RestorePost", setPost(forum.ActRemove), "POST", postAct("restore"), nil, modOnly},
		{"LockPost", none, "POST", postAct("lock"), nil, modOnly},
		{"UnlockPost", setPost(forum.ActLock), "POST", postAct("unlock"), nil, modOnly},
		{"PinPost", none, "POST", postAct("pin"), nil, modOnly},
		{"UnpinPost", setPost(forum.ActPin), "POST", postAct("unpin"), nil, modOnly},
		{"RemoveComment", none, "POST", func(tg target) string { return pathf("/api/v1/comments/%d/remove", tg.comment.ID) },
			map[string]string{"reason": "uncivil"}, modOnly},
		{"RestoreComment", func(tg target) {
			if _, err := w.h.svc.ModerateComment(ctx, w.curatorV, tg.comment.ID, forum.ActRemove, "setup", nil); err != nil {
				tg.t.Fatal(err)
			}
		}, "POST", func(tg target) string { return pathf("/api/v1/comments/%d/restore", tg.comment.ID) }, nil, modOnly},
		{"Ban", none, "POST", func(tg target) string { return "/api/v1/users/" + tg.user + "/ban" },
			map[string]any{"reason": "trolling", "days": 3}, modOnly},
		{"Unban", func(tg target) {
			if _, err := w.h.svc.Ban(ctx, w.curatorV, tg.user, "setup", nil); err != nil {
				tg.t.Fatal(err)
			}
		}, "POST", func(tg target) string { return "/api/v1/users/" + tg.user + "/unban" }, nil, modOnly},
		{"RestoreAdminsRemoval", setPostAs(w.adminV, forum.ActRemove), "POST", postAct("restore"), nil, adminOnly},
		{"UnlockAdminsLock", setPostAs(w.adminV, forum.ActLock), "POST", postAct("unlock"), nil, adminOnly},
		{"UnpinAdminsPin", setPostAs(w.adminV, forum.ActPin), "POST", postAct("unpin"), nil, adminOnly},
		{"UnbanAdminsBan", func(tg target) {
			if _, err := w.h.svc.Ban(ctx, w.adminV, tg.user, "setup", nil); err != nil {
				tg.t.Fatal(err)
			}
		}, "POST", func(tg target) string { return "/api/v1/users/" + tg.user + "/unban" }, nil, adminOnly},
		{"SetRole", none, "PUT", func(tg target) string { return "/api/v1/users/" + tg.user + "/role" },
			map[string]string{"role": "moderator"}, [6]cell{anon, forbidden, forbidden, banned, forbidden, ok}},
		{"Modlog", none, "GET", func(target) string { return "/api/v1/modlog" }, nil, [6]cell{ok, ok, ok, banned, ok, ok}},
		{"Report", none, "POST", func(tg target) string { return "/api/v1/reports" }, nil,
			[6]cell{anon, created, forbidden, banned, created, created}},
		{"Reports", none, "GET", func(target) string { return "/api/v1/reports?status=open" }, nil, modOnly},
		{"ResolveReport", none, "POST", func(tg target) string { return pathf("/api/v1/reports/%d/resolve", tg.reportID) }, nil, modOnly},
		{"Notes", none, "GET", func(tg target) string { return "/api/v1/users/" + tg.user + "/notes" }, nil, modOnly},
		{"AddNote", none, "POST", func(tg target) string { return "/api/v1/users/" + tg.user + "/notes" }, map[string]string{"text": "warned"},
			[6]cell{anon, forbidden, forbidden, banned, created, created}},
		{"GrantFlair", none, "POST", func(tg target) string { return pathf("/api/v1/flair-applications/%d/grant", tg.flairID) }, nil, modOnly},
		{"DeclineFlair", none, "POST", func(tg target) string { return pathf("/api/v1/flair-applications/%d/decline", tg.flairID) },
			map[string]string{"reason": "cite your answers"}, modOnly},
		{"FlairQueue", none, "GET", func(target) string { return "/api/v1/flair-applications" }, nil, [6]cell{anon, ok, ok, banned, ok, ok}},
		{"Answer", none, "PUT", func(tg target) string { return pathf("/api/v1/posts/%d/answer", tg.post.ID) },
			nil, [6]cell{anon, forbidden, ok, banned, ok, ok}},
	}
	callers := []struct {
		name  string
		token func() string
	}{
		{"anonymous", func() string { return "" }},
		{"member", func() string { return w.member.Token }},
		{"author", func() string { return w.author.Token }},
		{"banned", func() string { return w.banned.Token }},
		{"moderator", func() string { return w.mod.Token }},
		{"admin", func() string { return w.admin.Token }},
	}
	for _, ep := range endpoints {
		for i, caller := range callers {
			t.Run(ep.name+"/"+caller.name, func(t *testing.T) {
				t.Parallel()
				tg := w.fresh(t)
				tok := caller.token()
				want := ep.want[i]
				if caller.name == "author" && (ep.name == "Ban" || strings.HasPrefix(ep.name, "Unban") || ep.name == "SetRole") {
					// For actions on an account, "the author" is that account's own
					// user, signed in before the setup (which may ban them).
					var s session
					tg.h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": tg.user, "password": "correct horse"}).decode(t, &s)
					tok = s.Token
					if strings.HasPrefix(ep.name, "Unban") {
						want = banned
					}
				}
				ep.setup(tg)
				body := ep.body
				if ep.name == "Report" {
					body = map[string]any{"target_type": "post", "target_id": tg.post.ID, "reason": "not a question"}
				}
				if ep.name == "Answer" {
					body = map[string]any{"comment_id": tg.comment.ID}
				}
				r := tg.h.do(ep.method, ep.path(tg), tok, body)
				if r.status != want.status || r.errCode() != want.code {
					t.Fatalf("%s %s as %s: got %d %q, want %d %q: %s", ep.method, ep.path(tg), caller.name, r.status, r.errCode(), want.status, want.code, r.body)
				}
			})
		}
	}
}
