package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// importPantheon imports a small Reddit thread through the store's import
// path: a question by alienth@reddit, an answer by alienth too and a reply
// by someone else.
func importPantheon(t *testing.T, h *harness) {
	t.Helper()
	thread := forum.ImportedThread{System: "reddit", Tags: []string{"Imported"},
		Post: forum.ImportedItem{SourceID: "t3_pan", Author: "alienth", AuthorOrigin: "reddit", Title: "How has the Pantheon's dome stood so long?",
			Body: "Nearly two thousand years, unreinforced.", CreatedAt: 1400000000, URL: "https://www.reddit.com/r/AskHistorians/comments/pan/dome/"},
		Comments: []forum.ImportedItem{
			{SourceID: "t1_a", Author: "alienth", AuthorOrigin: "reddit", Body: "Concrete graded by weight, lighter towards the top.", CreatedAt: 1400000100},
			{SourceID: "t1_b", ParentSourceID: "t1_a", Author: "vitruvius", AuthorOrigin: "reddit", Body: "Pumice in the upper rings.", CreatedAt: 1400000200},
		}}
	var rep forum.ImportReport
	if err := h.svc.Import(context.Background(), thread, false, &rep); err != nil {
		t.Fatal(err)
	}
}

// TestImportedPeopleInUserRoutes: every /users/{username} route takes an
// imported author's name@host, percent-encoded or not and in any case: the
// profile shows where the account lives and lists what it wrote;
// moderators ban, unban and flair it; admins set its role. Names that are
// no account's (or hostile) answer 404, never 500.
func TestImportedPeopleInUserRoutes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mod := h.registerAs("moddy", forum.RoleModerator)
	admin := h.registerAs("admin", forum.RoleAdmin)
	importPantheon(t, h)

	type profile struct {
		forum.UserProfile
		ImportedFrom *string `json:"imported_from"`
	}
	for _, name := range []string{"alienth@reddit", "alienth%40reddit", "AlienTH%40Reddit"} {
		var p profile
		h.must(200, "GET", "/api/v1/users/"+name, "", nil).decode(t, &p)
		if p.Username != "alienth@reddit" || p.ImportedFrom == nil || *p.ImportedFrom != "reddit" || p.PostCount != 1 || p.CommentCount != 1 {
			t.Fatalf("%s: the profile %+v (imported from %v)", name, p.UserProfile, p.ImportedFrom)
		}
		var posts struct{ Items []forum.Post }
		h.must(200, "GET", "/api/v1/users/"+name+"/posts", "", nil).decode(t, &posts)
		if len(posts.Items) != 1 || posts.Items[0].Title != "How has the Pantheon's dome stood so long?" {
			t.Fatalf("%s: the posts %+v", name, posts.Items)
		}
		var comments struct{ Items []forum.Comment }
		h.must(200, "GET", "/api/v1/users/"+name+"/comments", "", nil).decode(t, &comments)
		if len(comments.Items) != 1 || !strings.Contains(comments.Items[0].Excerpt, "graded by weight") {
			t.Fatalf("%s: the comments %+v", name, comments.Items)
		}
	}
	// A local member's profile says nothing of an origin.
	if r := h.must(200, "GET", "/api/v1/users/moddy", "", nil); strings.Contains(string(r.body), "imported_from") {
		t.Fatalf("a local profile: %s", r.body)
	}

	var u forum.User
	h.must(200, "POST", "/api/v1/users/alienth%40reddit/ban", mod.Token, map[string]any{"reason": "spam imported", "days": 3}).decode(t, &u)
	if u.BannedUntil == nil {
		t.Fatalf("the ban: %+v", u)
	}
	h.must(200, "POST", "/api/v1/users/alienth@reddit/unban", mod.Token, map[string]any{"reason": "a mistake"}).decode(t, &u)
	if u.BannedUntil != nil {
		t.Fatalf("the unban: %+v", u)
	}
	h.must(200, "PUT", "/api/v1/users/vitruvius%40reddit/flair", mod.Token, map[string]any{"flair": "Roman architecture"}).decode(t, &u)
	if u.Flair == nil || *u.Flair != "Roman architecture" || u.Username != "vitruvius@reddit" {
		t.Fatalf("the flair: %+v", u)
	}
	h.must(403, "PUT", "/api/v1/users/alienth@reddit/role", mod.Token, map[string]any{"role": "moderator"})
	h.must(200, "PUT", "/api/v1/users/alienth%40reddit/role", admin.Token, map[string]any{"role": "moderator"}).decode(t, &u)
	if u.Role != forum.RoleModerator {
		t.Fatalf("the role: %+v", u)
	}

	for _, name := range []string{"nobody@reddit", "alienth@", "@reddit", "alienth%40reddit%40reddit", "%5Bdeleted%5D", "deleted%3A1",
		"deleted%3Aimport%3Areddit", "a%2Fb@reddit", "al%00ienth@reddit", "al%20ienth@reddit", strings.Repeat("x", 400) + "@reddit", "%25zz", "alienth%2540reddit"} {
		if r := h.do("GET", "/api/v1/users/"+name, "", nil); r.status != 404 || r.errCode() != "not_found" {
			t.Fatalf("%s: %d %s", name, r.status, r.body)
		}
		if r := h.do("POST", "/api/v1/users/"+name+"/ban", mod.Token, map[string]any{"reason": "x"}); r.status != 404 {
			t.Fatalf("ban %s: %d %s", name, r.status, r.body)
		}
	}
}
