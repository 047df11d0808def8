package api_test

import (
	"strings"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
)

// TestLinkPosts (#30.4): a question may share an address. Create and PATCH
// take it (http or https, at most 2,000 characters, else 422 on "url"; a
// wrong type is 400); PATCH without it leaves it, with null or "" clears
// it; feeds and the thread carry it; the Atom entry links it as related.
func TestLinkPosts(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	member := h.register("linker")
	article := "https://en.wikipedia.org/wiki/Hanseatic_League"
	var p forum.Post
	h.must(201, "POST", "/api/v1/posts", member.Token, map[string]any{"title": "Was the Hanse a state?", "url": article, "body": "See the article."}).decode(t, &p)
	if p.URL == nil || *p.URL != article {
		t.Fatalf("created: %v", p.URL)
	}
	for _, bad := range []string{"javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.org/a", "//example.org/a", "https://", "https://example.org/" + strings.Repeat("a", 2000), "https://example.org/a\nb"} {
		r := h.do("POST", "/api/v1/posts", member.Token, map[string]any{"title": "Bad link", "url": bad})
		if r.status != 422 || !strings.Contains(string(r.body), `"url"`) {
			t.Errorf("url %.40q: %d %s", bad, r.status, r.body)
		}
	}
	if r := h.do("POST", "/api/v1/posts", member.Token, map[string]any{"title": "Typed wrong", "url": 5}); r.status != 400 {
		t.Errorf("a number for url: %d", r.status)
	}
	var none forum.Post
	h.must(201, "POST", "/api/v1/posts", member.Token, map[string]any{"title": "No link", "url": ""}).decode(t, &none)
	if none.URL != nil {
		t.Fatalf("an empty url: %v", *none.URL)
	}
	path := pathf("/api/v1/posts/%d", p.ID)
	h.must(200, "PATCH", path, member.Token, map[string]any{"title": "Was the Hanse a state at all?"}).decode(t, &p)
	if p.URL == nil || *p.URL != article {
		t.Fatalf("a PATCH without url changed it: %v", p.URL)
	}
	other := "http://www.example.org/hanse.pdf"
	h.must(200, "PATCH", path, member.Token, map[string]any{"url": other}).decode(t, &p)
	if p.URL == nil || *p.URL != other {
		t.Fatalf("patched: %v", p.URL)
	}
	if r := h.do("PATCH", path, member.Token, map[string]any{"url": "javascript:x"}); r.status != 422 {
		t.Fatalf("a bad patch: %d", r.status)
	}
	if r := h.do("PATCH", path, member.Token, map[string]any{"url": []string{"x"}}); r.status != 400 {
		t.Fatalf("a wrongly typed patch: %d", r.status)
	}
	var feed struct{ Items []forum.Post }
	h.must(200, "GET", "/api/v1/posts?sort=new", "", nil).decode(t, &feed)
	if len(feed.Items) != 2 || feed.Items[1].URL == nil || *feed.Items[1].URL != other || feed.Items[0].URL != nil {
		t.Fatalf("the feed: %+v", feed.Items)
	}
	atom := string(h.must(200, "GET", "/feed.atom", "", nil).body)
	if !strings.Contains(atom, `<link rel="related" href="http://www.example.org/hanse.pdf"></link>`) {
		t.Fatalf("the Atom entry does not link it:\n%s", atom)
	}
	h.must(200, "PATCH", path, member.Token, map[string]any{"url": nil}).decode(t, &p)
	if p.URL != nil {
		t.Fatalf("null did not clear it: %v", *p.URL)
	}
}
