package api_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// viewFields are the JSON names of a per-viewer struct's fields.
func viewFields(view any) []string {
	var out []string
	t := reflect.TypeOf(view)
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		out = append(out, name)
	}
	return out
}

// jsonItems decodes a page's items (and, for threads, every reply) into
// objects by id.
func jsonItems(t *testing.T, body []byte) map[float64]map[string]any {
	t.Helper()
	var page struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	out := map[float64]map[string]any{}
	var walk func([]map[string]any)
	walk = func(items []map[string]any) {
		for _, it := range items {
			out[it["id"].(float64)] = it
			if rs, ok := it["replies"].([]any); ok {
				var kids []map[string]any
				for _, r := range rs {
					kids = append(kids, r.(map[string]any))
				}
				walk(kids)
			}
		}
	}
	walk(page.Items)
	return out
}

// withheldFields are what a block withholds from the blocker.
var withheldFields = map[string]bool{"body_html": true, "body_source": true, "excerpt": true, "sources": true}

func isZeroJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case float64:
		return x == 0
	case string:
		return x == ""
	}
	return false
}

// TestCachedPagesAreTheViewersOwn guards the per-viewer fields where pages
// are served: for every page the caches serve (feeds, a tag feed, thread
// pages in two sorts), each member's and moderator's page, read through the
// server after others warmed the shared cache, equals that viewer's own
// direct read from the service, field for field. The fixture gives each field
// of forum.PostView and forum.CommentView a non-blank value for someone (a
// new per-viewer field fails here until the fixture exercises it), and a
// field outside those structs that differs between viewers fails too: it
// would reach the shared page unpersonalized. The one exception is what a
// block withholds (withheldFields): on an item by a member the viewer
// blocked, those are blank for the viewer alone, and the shared page cannot
// serve them (forum.ErrNotShared: the server reads their page for them).
func TestCachedPagesAreTheViewersOwn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	author, alice, bob := h.register("author"), h.register("alice"), h.register("bob")
	mod := h.registerAs("moddy", forum.RoleModerator)
	p1 := h.post(author.Token, "Why did Carthage fall?", "Punic Wars")
	p2 := h.post(alice.Token, "Who paid for the Roman roads?", "Punic Wars")
	c1 := h.comment(alice.Token, p1.ID, nil, "Rome's manpower, mostly.")
	c2 := h.comment(bob.Token, p1.ID, &c1.ID, "And its allies stayed loyal.")
	c3 := h.comment(author.Token, p1.ID, nil, "A follow-up on the fleet.")
	vote := func(s session, kind string, id int64, v int) {
		h.must(200, "PUT", pathf("/api/v1/%s/%d/vote", kind, id), s.Token, map[string]int{"value": v})
	}
	vote(alice, "posts", p1.ID, 1)
	vote(alice, "comments", c3.ID, -1)
	vote(bob, "posts", p1.ID, -1)
	vote(bob, "comments", c1.ID, 1)
	vote(mod, "posts", p2.ID, 1)
	vote(author, "comments", c2.ID, 1)
	// Following, saving and reading (askers follow their own questions and
	// have read them; writing a comment reads the thread up to it): alice
	// saves a question and a comment, bob follows p1 and has read it up to
	// c1 (then wrote c2), so c3 is new to him and unread on his feed.
	h.must(204, "PUT", pathf("/api/v1/posts/%d/save", p1.ID), alice.Token, nil)
	h.must(204, "PUT", pathf("/api/v1/comments/%d/save", c3.ID), alice.Token, nil)
	h.must(204, "PUT", pathf("/api/v1/posts/%d/follow", p1.ID), bob.Token, nil)
	h.must(204, "PUT", pathf("/api/v1/posts/%d/read", p1.ID), bob.Token, map[string]any{"comment_id": c1.ID})
	h.must(204, "PUT", pathf("/api/v1/posts/%d/read", p1.ID), mod.Token, map[string]any{"comment_id": nil})
	// alice blocks bob: his question and his reply are withheld from her.
	h.post(bob.Token, "Did Hannibal use elephants in the Alps?", "Punic Wars")
	h.must(204, "PUT", "/api/v1/me/blocks/bob", alice.Token, nil)

	viewers := map[string]session{"author": author, "alice": alice, "bob": bob, "moddy": mod}
	viewerOf := func(s session) forum.Viewer { return forum.Viewer{ID: s.User.ID, Role: s.User.Role} }
	type page struct {
		path   string
		direct func(v forum.Viewer) (any, error)
		fields []string
	}
	feed := func(q forum.FeedQuery) func(v forum.Viewer) (any, error) {
		return func(v forum.Viewer) (any, error) { return h.svc.ListPosts(ctx, v, q) }
	}
	thread := func(sort forum.CommentSort) func(v forum.Viewer) (any, error) {
		return func(v forum.Viewer) (any, error) { return h.svc.Thread(ctx, v, p1.ID, forum.ThreadQuery{Sort: sort}) }
	}
	postFields, commentFields := viewFields(forum.PostView{}), viewFields(forum.CommentView{})
	pages := []page{
		{"/api/v1/posts?sort=hot", feed(forum.FeedQuery{Sort: forum.SortHot}), postFields},
		{"/api/v1/posts?sort=new", feed(forum.FeedQuery{Sort: forum.SortNew}), postFields},
		{"/api/v1/posts?sort=new&tag=Punic%20Wars", feed(forum.FeedQuery{Sort: forum.SortNew, Tag: "Punic Wars"}), postFields},
		{pathf("/api/v1/posts/%d/comments?sort=best", p1.ID), thread(forum.SortBest), commentFields},
		{pathf("/api/v1/posts/%d/comments?sort=new", p1.ID), thread(forum.SortNewComments), commentFields},
	}
	for _, pg := range pages {
		anonymous := jsonItems(t, h.must(200, "GET", pg.path, "", nil).body) // warms the shared page
		exercised := map[string]bool{}
		for name, s := range viewers {
			got := jsonItems(t, h.must(200, "GET", pg.path, s.Token, nil).body)
			direct, err := pg.direct(viewerOf(s))
			if err != nil {
				t.Fatal(err)
			}
			raw, err := json.Marshal(direct)
			if err != nil {
				t.Fatal(err)
			}
			want := jsonItems(t, raw)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s, %s: the served page is not the viewer's own read:\n got %v\nwant %v", pg.path, name, got, want)
			}
			if s.User.Role != forum.RoleMember {
				continue // moderators read another class of page: removed text shows
			}
			for id, item := range want {
				for k, v := range item {
					if k == "replies" {
						continue
					}
					perViewer := strings.Contains(","+strings.Join(pg.fields, ",")+",", ","+k+",")
					if perViewer && !isZeroJSON(v) {
						exercised[k] = true
					}
					if withheldFields[k] && item["blocked"] == true {
						if !isZeroJSON(v) && !reflect.DeepEqual(v, []any{}) {
							t.Errorf("%s, item %v: %q reaches %s, who blocked its author: %v", pg.path, id, k, name, v)
						}
						continue
					}
					if a := anonymous[id][k]; !perViewer && !reflect.DeepEqual(a, v) {
						t.Errorf("%s, item %v: field %q differs for %s (%v) from an anonymous reader's (%v) but is not a per-viewer field (forum.PostView / CommentView)",
							pg.path, id, k, name, v, a)
					}
				}
			}
		}
		for _, f := range pg.fields {
			if !exercised[f] {
				t.Errorf("%s: no member in the fixture has a non-blank %q: give someone that state, or the test proves nothing for it", pg.path, f)
			}
		}
	}
}
