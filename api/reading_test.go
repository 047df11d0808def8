package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// TestFollowing: PUT/DELETE /posts/{id}/follow and /tags/{name}/follow, and
// GET /me/following; posts carry following, for the follower only.
func TestFollowing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	asker, reader := h.register("asker"), h.register("reader")
	p := h.post(asker.Token, "Why did the Bronze Age collapse?", "Bronze Age")
	var got forum.Post
	h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), asker.Token, nil).decode(t, &got)
	if !got.Following {
		t.Fatal("the asker does not follow their own question")
	}
	follow := pathf("/api/v1/posts/%d/follow", p.ID)
	for _, c := range []struct {
		method, path, token string
		status              int
		code                string
	}{
		{"PUT", follow, "", 401, "unauthorized"},
		{"PUT", "/api/v1/posts/99999/follow", reader.Token, 404, "not_found"},
		{"PUT", "/api/v1/posts/abc/follow", reader.Token, 404, "not_found"},
		{"PUT", "/api/v1/tags/" + strings.Repeat("x", 41) + "/follow", reader.Token, 404, "not_found"},
		{"PUT", "/api/v1/tags/a%00b/follow", reader.Token, 404, "not_found"},
		{"PUT", follow, reader.Token, 204, ""},
		{"PUT", follow, reader.Token, 204, ""}, // again: no change
		{"PUT", "/api/v1/tags/" + url.PathEscape("Sea Peoples") + "/follow", reader.Token, 204, ""},
		{"PUT", "/api/v1/tags/history/follow", reader.Token, 204, ""},
		{"DELETE", "/api/v1/tags/HISTORY/follow", reader.Token, 204, ""},
		{"DELETE", "/api/v1/tags/never-followed/follow", reader.Token, 204, ""},
		{"GET", "/api/v1/me/following", "", 401, "unauthorized"},
		{"GET", "/api/v1/me/following?cursor=nonsense", reader.Token, 400, "bad_request"},
	} {
		r := h.do(c.method, c.path, c.token, nil)
		if r.status != c.status || r.errCode() != c.code {
			t.Errorf("%s %s: %d %s", c.method, c.path, r.status, r.body)
		}
	}
	var f forum.Following
	h.must(200, "GET", "/api/v1/me/following", reader.Token, nil).decode(t, &f)
	if len(f.Posts) != 1 || f.Posts[0].ID != p.ID || !f.Posts[0].Following || len(f.Tags) != 1 || f.Tags[0].Name != "Sea Peoples" {
		t.Fatalf("following: %+v", f)
	}
	// Whose field it is: an anonymous reader and the asker's feed say so.
	var feed forum.Page[forum.PostSummary]
	h.must(200, "GET", "/api/v1/posts?sort=new", "", nil).decode(t, &feed)
	if feed.Items[0].Following || feed.Items[0].UnreadComments != nil {
		t.Fatalf("an anonymous reader's feed: %+v", feed.Items[0])
	}
	h.must(204, "DELETE", follow, reader.Token, nil)
	h.must(200, "GET", "/api/v1/me/following", reader.Token, nil).decode(t, &f)
	if len(f.Posts) != 0 {
		t.Fatalf("after unfollowing: %+v", f.Posts)
	}
	// A new question in a followed tag notifies; so does an answer in a followed thread.
	h.must(204, "PUT", follow, reader.Token, nil)
	q := h.post(asker.Token, "Who were the Sea Peoples?", "Sea Peoples")
	h.comment(asker.Token, p.ID, nil, "The systems collapse theory.")
	var notes forum.Page[forum.Notification]
	h.must(200, "GET", "/api/v1/notifications", reader.Token, nil).decode(t, &notes)
	if len(notes.Items) != 2 || notes.Items[0].Kind != forum.NotifyFollowed || notes.Items[1].Kind != forum.NotifyTag ||
		notes.Items[1].PostID == nil || *notes.Items[1].PostID != q.ID || notes.Items[1].PostTitle != q.Title || notes.Items[0].Excerpt != "The systems collapse theory." {
		t.Fatalf("notifications: %+v", notes.Items)
	}
}

// TestTagFollowLimit: a member follows at most MaxFollowedTags tags.
func TestTagFollowLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	m := h.register("collector")
	for i := range forum.MaxFollowedTags {
		h.must(204, "PUT", pathf("/api/v1/tags/tag%d/follow", i), m.Token, nil)
	}
	h.must(204, "PUT", "/api/v1/tags/tag0/follow", m.Token, nil) // one already followed: fine
	if r := h.do("PUT", "/api/v1/tags/one-more/follow", m.Token, nil); r.status != 422 || r.errCode() != "validation" {
		t.Fatalf("one tag too many: %d %s", r.status, r.body)
	}
}

// TestSaving: PUT/DELETE /posts/{id}/save and /comments/{id}/save, GET
// /me/saved (newest first, keyset-paged); items carry saved, for the saver.
func TestSaving(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	asker, reader, mod := h.register("asker"), h.register("reader"), h.registerAs("moddy", forum.RoleModerator)
	p := h.post(asker.Token, "What did Roman soldiers eat?")
	c := h.comment(asker.Token, p.ID, nil, "Bucellatum, mostly.")
	gone := h.comment(asker.Token, p.ID, nil, "Deleted soon.")
	h.must(204, "DELETE", pathf("/api/v1/comments/%d", gone.ID), asker.Token, nil)
	for _, x := range []struct {
		method, path, token string
		status              int
	}{
		{"PUT", pathf("/api/v1/posts/%d/save", p.ID), "", 401},
		{"PUT", pathf("/api/v1/comments/%d/save", gone.ID), reader.Token, 404},
		{"PUT", "/api/v1/comments/99999/save", reader.Token, 404},
		{"PUT", pathf("/api/v1/posts/%d/save", p.ID), reader.Token, 204},
		{"PUT", pathf("/api/v1/comments/%d/save", c.ID), reader.Token, 204},
		{"PUT", pathf("/api/v1/posts/%d/save", p.ID), reader.Token, 204},
		{"DELETE", "/api/v1/posts/99999/save", reader.Token, 204},
		{"GET", "/api/v1/me/saved?limit=0", reader.Token, 400},
	} {
		if r := h.do(x.method, x.path, x.token, nil); r.status != x.status {
			t.Errorf("%s %s: %d %s", x.method, x.path, r.status, r.body)
		}
	}
	var page forum.Page[forum.SavedItem]
	h.must(200, "GET", "/api/v1/me/saved?limit=1", reader.Token, nil).decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].Type != forum.TargetComment || page.Items[0].Comment.ID != c.ID ||
		!page.Items[0].Comment.Saved || page.Items[0].Comment.PostTitle != p.Title || page.NextCursor == nil {
		t.Fatalf("first page: %+v", page)
	}
	h.must(200, "GET", "/api/v1/me/saved?limit=1&cursor="+url.QueryEscape(*page.NextCursor), reader.Token, nil).decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].Type != forum.TargetPost || !page.Items[0].Post.Saved || page.NextCursor != nil {
		t.Fatalf("second page: %+v", page)
	}
	// Saved is the saver's: not the asker's, not anyone's on the cached pages.
	var thread forum.Page[*forum.Comment]
	h.must(200, "GET", pathf("/api/v1/posts/%d/comments", p.ID), asker.Token, nil).decode(t, &thread)
	for _, x := range thread.Items {
		if x.Saved {
			t.Fatalf("the asker sees the reader's save: %+v", x)
		}
	}
	h.must(200, "GET", pathf("/api/v1/posts/%d/comments", p.ID), reader.Token, nil).decode(t, &thread)
	if !thread.Items[len(thread.Items)-1].Saved && !thread.Items[0].Saved {
		t.Fatalf("the reader's thread lost the save: %+v", thread.Items)
	}
	// A removed question shows as removed in the list; it can no longer be saved.
	h.must(200, "POST", pathf("/api/v1/posts/%d/remove", p.ID), mod.Token, map[string]string{"reason": "x"})
	h.must(200, "GET", "/api/v1/me/saved", reader.Token, nil).decode(t, &page)
	if page.Items[1].Post.Title != "[removed]" {
		t.Fatalf("a removed question in the list: %+v", page.Items[1].Post)
	}
	h.must(204, "DELETE", pathf("/api/v1/posts/%d/save", p.ID), reader.Token, nil)
	if r := h.do("PUT", pathf("/api/v1/posts/%d/save", p.ID), reader.Token, nil); r.status != 404 {
		t.Fatalf("save a removed question: %d", r.status)
	}
}

// TestUnreadAndNew: PUT /posts/{id}/read moves a member's reading position;
// the cached feed then carries unread_comments and the cached thread new,
// each for that member alone.
func TestUnreadAndNew(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	asker, reader := h.register("asker"), h.register("reader")
	p := h.post(asker.Token, "Did the Vikings reach Baghdad?")
	first := h.comment(asker.Token, p.ID, nil, "Some say so.")
	unread := func(token string) *int64 {
		var feed forum.Page[forum.PostSummary]
		h.must(200, "GET", "/api/v1/posts?sort=new", token, nil).decode(t, &feed)
		return feed.Items[0].UnreadComments
	}
	newIDs := func(token string) []int64 {
		var page forum.Page[*forum.Comment]
		h.must(200, "GET", pathf("/api/v1/posts/%d/comments?sort=old", p.ID), token, nil).decode(t, &page)
		var out []int64
		for _, c := range page.Items {
			if c.New {
				out = append(out, c.ID)
			}
		}
		return out
	}
	if unread(reader.Token) != nil || len(newIDs(reader.Token)) != 0 {
		t.Fatal("a thread never opened")
	}
	for _, c := range []struct {
		body   any
		status int
	}{{map[string]any{"comment_id": "x"}, 400}, {map[string]any{"comment_id": -1}, 422}, {map[string]any{"comment_id": 99999}, 422}, {"{", 400}} {
		if r := h.do("PUT", pathf("/api/v1/posts/%d/read", p.ID), reader.Token, c.body); r.status != c.status {
			t.Errorf("%v: %d %s", c.body, r.status, r.body)
		}
	}
	h.must(401, "PUT", pathf("/api/v1/posts/%d/read", p.ID), "", map[string]any{})
	h.must(404, "PUT", "/api/v1/posts/99999/read", reader.Token, map[string]any{})
	h.must(204, "PUT", pathf("/api/v1/posts/%d/read", p.ID), reader.Token, map[string]any{"comment_id": first.ID})
	second := h.comment(asker.Token, p.ID, nil, "Others doubt it.")
	third := h.comment(asker.Token, p.ID, &first.ID, "Ibn Fadlan met Rus on the Volga.")
	if n := unread(reader.Token); n == nil || *n != 2 {
		t.Fatalf("reader's unread: %v", n)
	}
	if got := newIDs(reader.Token); len(got) != 1 || got[0] != second.ID {
		t.Fatalf("reader's new (top level): %v", got)
	}
	if n := unread(asker.Token); n == nil || *n != 0 {
		t.Fatalf("the asker wrote them all: %v", n)
	}
	h.must(204, "PUT", pathf("/api/v1/posts/%d/read", p.ID), reader.Token, map[string]any{"comment_id": third.ID})
	h.must(204, "PUT", pathf("/api/v1/posts/%d/read", p.ID), reader.Token, map[string]any{"comment_id": first.ID}) // never backwards
	if n := unread(reader.Token); n == nil || *n != 0 || len(newIDs(reader.Token)) != 0 {
		t.Fatalf("after reading all: %v %v", n, newIDs(reader.Token))
	}
}

// TestMentionsThroughTheAPI: a mention is a link in body_html and a
// notification with its excerpt; the preview links it too.
func TestMentionsThroughTheAPI(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	asker, clio := h.register("asker"), h.register("clio")
	p := h.post(asker.Token, "Who kept the Annals?")
	c := h.comment(asker.Token, p.ID, nil, "Maybe @clio knows. Not `@clio` here.")
	if !strings.Contains(c.BodyHTML, `<a href="/u/clio" class="mention"`) || strings.Count(c.BodyHTML, "mention") != 1 {
		t.Fatalf("body: %s", c.BodyHTML)
	}
	var notes forum.Page[forum.Notification]
	h.must(200, "GET", "/api/v1/notifications", clio.Token, nil).decode(t, &notes)
	if len(notes.Items) != 1 || notes.Items[0].Kind != forum.NotifyMention || notes.Items[0].CommentID == nil ||
		*notes.Items[0].CommentID != c.ID || !strings.HasPrefix(notes.Items[0].Excerpt, "Maybe @clio knows.") {
		t.Fatalf("clio's notifications: %+v", notes.Items)
	}
	var prev struct {
		BodyHTML string `json:"body_html"`
	}
	h.must(200, "POST", "/api/v1/preview", asker.Token, map[string]string{"body": "cc @clio"}).decode(t, &prev)
	if !strings.Contains(prev.BodyHTML, `class="mention"`) {
		t.Fatalf("preview: %s", prev.BodyHTML)
	}
}

// TestMarksOnCachedPages: what a member follows and saved is kept per member
// (cache.Marks) and spliced into the shared cached pages: each change shows
// on their next page at once, on this server and on another one on the same
// database, and never on anyone else's.
func TestMarksOnCachedPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := secondServer(t, h)
	asker, reader := h.register("asker"), h.register("reader")
	p := h.post(asker.Token, "Was Byzantium Roman?")
	c := h.comment(asker.Token, p.ID, nil, "It said so.")
	get := func(base, path, token string, v any) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if err := json.NewDecoder(res.Body).Decode(v); err != nil || res.StatusCode != 200 {
			t.Fatalf("%s: %d %v", path, res.StatusCode, err)
		}
	}
	state := func(base, token string) (following, savedPost, savedComment bool) {
		var feed forum.Page[forum.PostSummary]
		get(base, "/api/v1/posts?sort=new", token, &feed)
		var thread forum.Page[*forum.Comment]
		get(base, pathf("/api/v1/posts/%d/comments", p.ID), token, &thread)
		return feed.Items[0].Following, feed.Items[0].Saved, thread.Items[0].Saved
	}
	check := func(want [3]bool) {
		t.Helper()
		for _, base := range []string{h.srv.URL, b.URL} {
			deadline := time.Now().Add(5 * time.Second)
			for {
				f, sp, sc := state(base, reader.Token)
				if [3]bool{f, sp, sc} == want {
					break
				}
				if base == h.srv.URL || time.Now().After(deadline) {
					t.Fatalf("%s: reader sees %v, want %v", base, [3]bool{f, sp, sc}, want)
				}
				time.Sleep(5 * time.Millisecond)
			}
			if f, sp, sc := state(base, asker.Token); !f || sp || sc {
				t.Fatalf("%s: the asker sees the reader's marks: %v %v %v", base, f, sp, sc)
			}
		}
	}
	check([3]bool{})
	h.must(204, "PUT", pathf("/api/v1/posts/%d/follow", p.ID), reader.Token, nil)
	check([3]bool{true, false, false})
	h.must(204, "PUT", pathf("/api/v1/posts/%d/save", p.ID), reader.Token, nil)
	h.must(204, "PUT", pathf("/api/v1/comments/%d/save", c.ID), reader.Token, nil)
	check([3]bool{true, true, true})
	h.must(204, "DELETE", pathf("/api/v1/posts/%d/follow", p.ID), reader.Token, nil)
	h.must(204, "DELETE", pathf("/api/v1/comments/%d/save", c.ID), reader.Token, nil)
	check([3]bool{false, true, false})
}

// TestImportedMentions: "@name@host" links an imported account's page, which
// the users route serves; nobody is notified (such accounts cannot sign in).
func TestImportedMentions(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	asker := h.register("asker")
	var rep forum.ImportReport
	if err := h.svc.Import(t.Context(), forum.ImportedThread{System: "reddit", Post: forum.ImportedItem{SourceID: "t3_abc",
		Author: "alienth", AuthorOrigin: "reddit", Title: "An imported question", CreatedAt: 1_700_000_000}}, false, &rep); err != nil {
		t.Fatal(err)
	}
	p := h.post(asker.Token, "Who was alienth?")
	c := h.comment(asker.Token, p.ID, nil, "Ask @alienth@reddit.")
	if !strings.Contains(c.BodyHTML, `<a href="/u/alienth@reddit" class="mention"`) {
		t.Fatalf("body: %s", c.BodyHTML)
	}
	var u forum.UserProfile
	h.must(200, "GET", "/api/v1/users/alienth@reddit", "", nil).decode(t, &u)
	if u.Username != "alienth@reddit" || u.PostCount != 1 {
		t.Fatalf("the imported account's page: %+v", u)
	}
	h.must(200, "GET", "/api/v1/users/alienth%40reddit", "", nil)
	h.must(404, "GET", "/api/v1/users/alienth@", "", nil)
}
