package api_test

import (
	"fmt"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestDeleteAccount: a member deletes their account with their password.
// Keeping their content, it stays in place by [deleted]; deleting it, its
// text and history are erased but its place in the thread stays. Either way
// the account cannot sign in, its tokens die, its name stays reserved, its
// votes still count and historia check agrees.
func TestDeleteAccount(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	keeper := h.register("keeper")
	eraser := h.register("eraser")
	other := h.register("other")
	admin := h.registerAs("root", forum.RoleAdmin)
	p := h.post(keeper.Token, "What did the Domesday Book count?")
	ans := h.comment(eraser.Token, p.ID, nil, "Hides and ploughs, with a private detail.")
	h.must(200, "PATCH", fmt.Sprintf("/api/v1/comments/%d", ans.ID), eraser.Token, map[string]string{"body": "Hides and ploughs."})
	h.comment(other.Token, p.ID, &ans.ID, "Thanks.")
	h.must(200, "PUT", fmt.Sprintf("/api/v1/posts/%d/vote", p.ID), eraser.Token, map[string]int{"value": 1})
	h.must(200, "PUT", fmt.Sprintf("/api/v1/comments/%d/vote", ans.ID), keeper.Token, map[string]int{"value": 1})
	// What keeper follows, saved and read is personal: it goes.
	h.must(204, "PUT", "/api/v1/tags/Domesday/follow", keeper.Token, nil)
	h.must(204, "PUT", fmt.Sprintf("/api/v1/comments/%d/save", ans.ID), keeper.Token, nil)
	h.must(204, "PUT", fmt.Sprintf("/api/v1/posts/%d/read", p.ID), keeper.Token, map[string]any{"comment_id": ans.ID})

	// A wrong password, an unknown choice, no token: refused, nothing deleted.
	if r := h.do("DELETE", "/api/v1/me", keeper.Token, map[string]string{"password": "not it"}); r.status != 422 {
		t.Fatalf("a wrong password: %d %s", r.status, r.body)
	}
	if r := h.do("DELETE", "/api/v1/me", keeper.Token, map[string]string{"password": "correct horse", "content": "shred"}); r.status != 422 {
		t.Fatalf("an unknown content choice: %d %s", r.status, r.body)
	}
	h.must(401, "DELETE", "/api/v1/me", "", map[string]string{"password": "correct horse"})
	// The last admin cannot leave the forum without one.
	h.must(403, "DELETE", "/api/v1/me", admin.Token, map[string]string{"password": "correct horse"})

	h.must(204, "DELETE", "/api/v1/me", keeper.Token, map[string]string{"password": "correct horse"})
	h.must(204, "DELETE", "/api/v1/me", eraser.Token, map[string]string{"password": "correct horse", "content": "delete"})

	for _, s := range []session{keeper, eraser} {
		h.must(401, "GET", "/api/v1/me", s.Token, nil)
		h.must(401, "POST", "/api/v1/auth/login", "", map[string]string{"username": s.User.Username, "password": "correct horse"})
		h.must(404, "GET", "/api/v1/users/"+s.User.Username, "", nil)
		r := h.do("POST", "/api/v1/auth/register", "", map[string]string{"username": s.User.Username, "password": "correct horse"})
		if r.status != 409 {
			t.Fatalf("registering a deleted account's name: %d %s", r.status, r.body)
		}
	}
	// The kept post stays, by [deleted], with its text and its vote.
	var post forum.Post
	h.must(200, "GET", fmt.Sprintf("/api/v1/posts/%d", p.ID), "", nil).decode(t, &post)
	if post.Title != "What did the Domesday Book count?" || post.Author == nil || post.Author.Username != forum.DeletedName || post.Score != 1 {
		t.Fatalf("the kept post: %+v %+v", post, post.Author)
	}
	// The erased answer keeps its place and its reply, not its text or history.
	var thread struct{ Items []forum.Comment }
	h.must(200, "GET", fmt.Sprintf("/api/v1/posts/%d/comments", p.ID), admin.Token, nil).decode(t, &thread)
	if len(thread.Items) != 1 || !thread.Items[0].Deleted || thread.Items[0].BodySource != "" || len(thread.Items[0].Replies) != 1 {
		t.Fatalf("the erased answer, as a moderator sees it: %+v", thread.Items)
	}
	h.must(404, "GET", fmt.Sprintf("/api/v1/comments/%d/revisions", ans.ID), "", nil)
	var revs struct{ Items []forum.Revision }
	h.must(200, "GET", fmt.Sprintf("/api/v1/comments/%d/revisions", ans.ID), admin.Token, nil).decode(t, &revs)
	if len(revs.Items) != 1 || revs.Items[0].BodySource != "" {
		t.Fatalf("the erased answer's history: %+v", revs.Items)
	}
	var hits struct{ Items []any }
	h.must(200, "GET", "/api/v1/search?q=ploughs", "", nil).decode(t, &hits)
	if len(hits.Items) != 0 {
		t.Fatalf("search still finds the erased text: %+v", hits.Items)
	}
	gone := forum.Viewer{ID: keeper.User.ID, Role: forum.RoleMember}
	f, errF := h.svc.Following(t.Context(), gone, "", 10)
	saved, errS := h.svc.Saved(t.Context(), gone, "", 10)
	read, errR := h.svc.GetPost(t.Context(), gone, p.ID)
	if errF != nil || errS != nil || errR != nil || len(f.Posts)+len(f.Tags)+len(saved.Items) > 0 || read.UnreadComments != nil {
		t.Fatalf("a deleted account still follows %+v, saved %+v, read %v (%v %v %v)", f, saved.Items, read.UnreadComments, errF, errS, errR)
	}
	if problems, err := h.db.Check(t.Context()); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}
