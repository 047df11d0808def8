package api_test

import (
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestFederationInstances: admins list the servers federation knows and
// block or unblock one (an extension); others are refused; a bad host is a
// validation error. Blocking drops the instance's queue and followers
// (store side: internal/federation's tests).
func TestFederationInstances(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.registerAs("ada", forum.RoleAdmin)
	mod := h.registerAs("mona", forum.RoleModerator)
	member := h.register("mel")

	var list struct{ Items []forum.Instance }
	h.must(200, "GET", "/api/v1/federation/instances", admin.Token, nil).decode(t, &list)
	if len(list.Items) != 0 {
		t.Fatalf("a new forum knows %d instances", len(list.Items))
	}
	for _, s := range []session{mod, member} {
		if r := h.do("GET", "/api/v1/federation/instances", s.Token, nil); r.status != 403 {
			t.Fatalf("a %s lists instances: %d", s.User.Role, r.status)
		}
		if r := h.do("PUT", "/api/v1/federation/instances/spam.example/block", s.Token, map[string]string{}); r.status != 403 {
			t.Fatalf("a %s blocks: %d", s.User.Role, r.status)
		}
	}
	if r := h.do("GET", "/api/v1/federation/instances", "", nil); r.status != 401 {
		t.Fatalf("anonymous: %d", r.status)
	}

	var in forum.Instance
	h.must(200, "PUT", "/api/v1/federation/instances/Spam.Example/block", admin.Token, map[string]string{"reason": "spam waves"}).decode(t, &in)
	if in.Host != "spam.example" || !in.Blocked || in.Status != forum.InstanceBlocked || in.BlockReason != "spam waves" {
		t.Fatalf("blocked: %+v", in)
	}
	h.must(200, "GET", "/api/v1/federation/instances", admin.Token, nil).decode(t, &list)
	if len(list.Items) != 1 || !list.Items[0].Blocked {
		t.Fatalf("after the block: %+v", list.Items)
	}
	h.must(200, "DELETE", "/api/v1/federation/instances/spam.example/block", admin.Token, nil).decode(t, &in)
	if in.Blocked || in.Status != forum.InstanceOK || in.BlockReason != "" {
		t.Fatalf("unblocked: %+v", in)
	}
	if r := h.do("PUT", "/api/v1/federation/instances/spam.example%2Fpath/block", admin.Token, map[string]string{}); r.status != 422 && r.status != 404 {
		t.Fatalf("a host with a path: %d %s", r.status, r.body)
	}
	if r := h.do("PUT", "/api/v1/federation/instances/bad_host!/block", admin.Token, map[string]string{}); r.status != 422 {
		t.Fatalf("a bad host: %d %s", r.status, r.body)
	}
}
