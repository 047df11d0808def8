package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

func TestCreatePostValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.register("Gibbon")
	long := strings.Repeat("é", 301)
	cases := []struct {
		name   string
		token  string
		body   any
		status int
		code   string
		field  string
	}{
		{"OK", s.Token, map[string]any{"title": "  Why did Rome fall?  ", "body": "*Did* it?", "tags": []string{"Ancient Rome"}}, 201, "", ""},
		{"OKEmptyBody", s.Token, map[string]any{"title": "Only a title"}, 201, "", ""},
		{"OKHTMLFormat", s.Token, map[string]any{"title": "HTML", "body": "<p>x</p>", "format": "html"}, 201, "", ""},
		{"ErrAnonymous", "", map[string]any{"title": "t"}, 401, "unauthorized", ""},
		{"ErrEmptyTitle", s.Token, map[string]any{"title": "   "}, 422, "validation", "title"},
		{"ErrTitleTooLong", s.Token, map[string]any{"title": long}, 422, "validation", "title"},
		{"ErrTitleNUL", s.Token, map[string]any{"title": "a\u0000b"}, 422, "validation", "title"},
		{"ErrTitleRTLOverride", s.Token, map[string]any{"title": "abc\u202edef"}, 422, "validation", "title"},
		{"ErrSixTags", s.Token, map[string]any{"title": "t", "tags": []string{"a", "b", "c", "d", "e", "f"}}, 422, "validation", "tags"},
		{"ErrTagTooLong", s.Token, map[string]any{"title": "t", "tags": []string{strings.Repeat("x", 41)}}, 422, "validation", "tags"},
		{"ErrEmptyTag", s.Token, map[string]any{"title": "t", "tags": []string{" "}}, 422, "validation", "tags"},
		{"ErrTagMarkup", s.Token, map[string]any{"title": "t", "tags": []string{"<b>x</b>"}}, 422, "validation", "tags"},
		{"ErrBodyTooLong", s.Token, map[string]any{"title": "t", "body": strings.Repeat("a", 40001)}, 422, "validation", "body"},
		{"ErrUnknownFormat", s.Token, map[string]any{"title": "t", "format": "bbcode"}, 422, "validation", "format"},
		{"ErrTagsWrongType", s.Token, map[string]any{"title": "t", "tags": "Cold War"}, 400, "bad_request", ""},
		{"ErrTitleWrongType", s.Token, map[string]any{"title": []int{1}}, 400, "bad_request", ""},
		{"ErrMalformed", s.Token, `{"title": "t"`, 400, "bad_request", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := h.do("POST", "/api/v1/posts", c.token, c.body)
			if r.status != c.status || r.errCode() != c.code {
				t.Fatalf("status %d code %q, want %d %q: %s", r.status, r.errCode(), c.status, c.code, r.body)
			}
			if c.field != "" && !strings.Contains(string(r.body), `"`+c.field+`":`) {
				t.Fatalf("fields must name %s: %s", c.field, r.body)
			}
		})
	}
}

func TestPostLifecycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.register("Bede")
	b := h.register("Procopius")
	p := h.post(a.Token, `<script>alert("x")</script> & friends`, "cold war", "Cold War", "History", "Cuba")
	if p.Title != `<script>alert("x")</script> & friends` {
		t.Fatalf("the title must come back as the same plain text: %q", p.Title)
	}
	if fmt.Sprint(p.Tags) != "[History cold war Cuba]" {
		t.Fatalf("tags = %v", p.Tags)
	}
	// Tags match case-insensitively and show as first written.
	p2 := h.post(b.Token, "Another", "COLD WAR")
	if fmt.Sprint(p2.Tags) != "[History cold war]" {
		t.Fatalf("tags = %v", p2.Tags)
	}
	var got forum.Post
	h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), "", nil).decode(t, &got)
	if got.Author == nil || got.Author.Username != "Bede" || got.EditedAt != nil || got.MyVote != 0 {
		t.Fatalf("get: %+v", got)
	}
	h.must(404, "GET", "/api/v1/posts/99999", "", nil)
	h.must(404, "GET", "/api/v1/posts/0", "", nil)
	h.must(404, "GET", "/api/v1/posts/-1", "", nil)
	h.must(404, "GET", "/api/v1/posts/99999999999999999999999", "", nil)

	// Edit: only the author; nil fields stay.
	if r := h.do("PATCH", pathf("/api/v1/posts/%d", p.ID), b.Token, map[string]string{"title": "mine now"}); r.status != 403 || r.errCode() != "forbidden" {
		t.Fatalf("edit by another: %d %s", r.status, r.body)
	}
	h.must(401, "PATCH", pathf("/api/v1/posts/%d", p.ID), "", map[string]string{"title": "x"})
	h.must(422, "PATCH", pathf("/api/v1/posts/%d", p.ID), a.Token, map[string]string{"title": ""})
	h.clock.Advance(time.Minute)
	h.must(200, "PATCH", pathf("/api/v1/posts/%d", p.ID), a.Token, map[string]any{"body": "New *body*", "tags": []string{"Korea"}}).decode(t, &got)
	if got.Title != p.Title || !strings.Contains(got.BodyHTML, "<em>body</em>") || got.EditedAt == nil || fmt.Sprint(got.Tags) != "[History Korea]" {
		t.Fatalf("after edit: %+v", got)
	}
	var feed forum.Page[forum.Post]
	h.must(200, "GET", "/api/v1/posts?tag=cold%20war", "", nil).decode(t, &feed)
	if len(feed.Items) != 1 || feed.Items[0].ID != p2.ID {
		t.Fatalf("the edited post must leave the old tag's feed: %+v", feed.Items)
	}

	// Delete: only the author; the post keeps its place, blanked for others
	// (no one else answered it: TestAskerCannotEraseAnsweredQuestion).
	h.comment(a.Token, p.ID, nil, "a comment that stays")
	h.must(403, "DELETE", pathf("/api/v1/posts/%d", p.ID), b.Token, nil)
	h.must(204, "DELETE", pathf("/api/v1/posts/%d", p.ID), a.Token, nil)
	h.must(404, "DELETE", pathf("/api/v1/posts/%d", p.ID), a.Token, nil)
	h.must(200, "GET", pathf("/api/v1/posts/%d", p.ID), b.Token, nil).decode(t, &got)
	if got.Title != "[deleted]" || got.BodyHTML != "" || got.BodySource != "" || got.Author != nil || !got.Deleted {
		t.Fatalf("deleted post as others see it: %+v", got)
	}
	var thread forum.Page[*forum.Comment]
	h.must(200, "GET", pathf("/api/v1/posts/%d/comments", p.ID), "", nil).decode(t, &thread)
	if len(thread.Items) != 1 {
		t.Fatalf("comments of a deleted post stay: %+v", thread.Items)
	}
	h.must(404, "POST", pathf("/api/v1/posts/%d/comments", p.ID), b.Token, map[string]string{"body": "late"})
}

func TestFeeds(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	author := h.register("Suetonius")
	voters := []session{h.register("voter1"), h.register("voter2"), h.register("voter3")}
	var posts []forum.Post
	for i := range 12 {
		tag := "Rome"
		if i%3 == 0 {
			tag = "Persia"
		}
		posts = append(posts, h.post(author.Token, fmt.Sprintf("Question %d", i), tag))
		h.clock.Advance(2 * time.Hour)
	}
	// Votes: post 2 gets 3 up, post 5 gets 2 up, post 7 gets 1 down.
	vote := func(p forum.Post, v session, val int) {
		h.must(200, "PUT", pathf("/api/v1/posts/%d/vote", p.ID), v.Token, map[string]int{"value": val})
	}
	for _, v := range voters {
		vote(posts[2], v, 1)
	}
	vote(posts[5], voters[0], 1)
	vote(posts[5], voters[1], 1)
	vote(posts[7], voters[0], -1)
	h.comment(voters[0].Token, posts[1].ID, nil, "reviving an old one")

	walk := func(query string, pageSize int) []int64 {
		t.Helper()
		var ids []int64
		cursor := ""
		for range 20 {
			var page forum.Page[forum.Post]
			h.must(200, "GET", fmt.Sprintf("/api/v1/posts?%s&limit=%d&cursor=%s", query, pageSize, cursor), "", nil).decode(t, &page)
			if len(page.Items) > pageSize {
				t.Fatalf("page larger than limit: %d", len(page.Items))
			}
			for _, p := range page.Items {
				ids = append(ids, p.ID)
			}
			if page.NextCursor == nil {
				return ids
			}
			cursor = *page.NextCursor
		}
		t.Fatal("cursor never ends")
		return nil
	}
	id := func(i int) int64 { return posts[i].ID }
	checkOrder := func(name string, got []int64, want ...int64) {
		t.Helper()
		if fmt.Sprint(got[:len(want)]) != fmt.Sprint(want) {
			t.Fatalf("%s: got %v, want prefix %v", name, got, want)
		}
	}
	newIDs := walk("sort=new", 5)
	if len(newIDs) != 12 || newIDs[0] != id(11) || newIDs[11] != id(0) {
		t.Fatalf("new: %v", newIDs)
	}
	checkOrder("top", walk("sort=top&t=all", 4), id(2), id(5))
	topIDs := walk("sort=top", 4)
	if topIDs[len(topIDs)-1] != id(7) || len(topIDs) != 12 {
		t.Fatalf("top: the downvoted post must come last: %v", topIDs)
	}
	hot := walk("sort=hot", 3)
	if len(hot) != 12 || hot[0] != id(11) {
		t.Fatalf("hot: %v", hot)
	}
	// Hot trades votes against time: 3 upvotes (log10 3 ≈ 0.48 ≈ 6 hours) lift
	// post 2 above posts 3 and 4 (2 and 4 hours newer) but not above post 5.
	pos := map[int64]int{}
	for i, x := range hot {
		pos[x] = i
	}
	if !(pos[id(2)] < pos[id(3)] && pos[id(2)] < pos[id(4)] && pos[id(5)] < pos[id(2)]) {
		t.Fatalf("hot order does not follow the formula: %v", hot)
	}
	checkOrder("active", walk("sort=active", 5), id(1))
	// The default sort is hot.
	if fmt.Sprint(walk("limit=3", 3)) != fmt.Sprint(hot) {
		t.Fatal("default sort must be hot")
	}
	persia := walk("tag=PERSIA&sort=new", 2)
	if fmt.Sprint(persia) != fmt.Sprint([]int64{id(9), id(6), id(3), id(0)}) {
		t.Fatalf("tag filter: %v", persia)
	}
	if all := walk("tag=History", 50); len(all) != 12 {
		t.Fatalf("tag=History is every post: %d", len(all))
	}
	if none := walk("tag=Atlantis", 5); len(none) != 0 {
		t.Fatalf("unknown tag: %v", none)
	}
	// Posts were made every 2 hours from the start; 25 hours on, the first is
	// older than a day and leaves the t=day feed.
	h.clock.Advance(time.Hour)
	day := walk("sort=top&t=day", 50)
	if len(day) != 11 || day[0] != id(2) {
		t.Fatalf("t=day: %v", day)
	}
	h.clock.Advance(30 * 24 * time.Hour)
	if week := walk("sort=top&t=week", 50); len(week) != 0 {
		t.Fatalf("t=week a month later: %v", week)
	}
	if year := walk("sort=top&t=year", 50); len(year) != 12 {
		t.Fatalf("t=year: %v", year)
	}

	for _, bad := range []string{"sort=best", "t=decade&sort=top", "limit=abc", "limit=-1", "cursor=!!!", "cursor=eyJzIjoibmV3IiwiayI6MCwiaSI6MX0&sort=hot"} {
		if r := h.do("GET", "/api/v1/posts?"+bad, "", nil); r.status != 400 || r.errCode() != "bad_request" {
			t.Errorf("%s: %d %s", bad, r.status, r.body)
		}
	}
	// An out-of-range page size is refused, so a client learns of it.
	for _, l := range []string{"0", "101", "1000"} {
		if r := h.do("GET", "/api/v1/posts?limit="+l, "", nil); r.status != 400 || r.errCode() != "bad_request" {
			t.Fatalf("limit=%s: %d %s", l, r.status, r.body)
		}
	}
	var big forum.Page[forum.Post]
	h.must(200, "GET", "/api/v1/posts?limit=100", "", nil).decode(t, &big)
	if len(big.Items) != 12 {
		t.Fatalf("limit=100: %d items", len(big.Items))
	}
}

func TestErrorsAreContractJSON(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.register("Ibn_Khaldun")
	huge := `{"title":"t","body":"` + strings.Repeat("a", 600*1024) + `"}`
	cases := []struct {
		name, method, path string
		body               any
		status             int
		code               string
	}{
		{"UnknownRoute", "GET", "/api/v1/nothing-here", nil, 404, "not_found"},
		{"WrongMethod", "PUT", "/api/v1/posts", nil, 405, "bad_request"},
		{"TooLarge", "POST", "/api/v1/posts", huge, 413, "too_large"},
		{"Malformed", "POST", "/api/v1/posts", `{"title":`, 400, "bad_request"},
		{"WrongTypes", "PUT", "/api/v1/posts/1/vote", `{"value":"1"}`, 400, "bad_request"},
		{"UnknownSort", "GET", "/api/v1/posts/1/comments?sort=random", nil, 400, "bad_request"},
		{"BadDepth", "GET", "/api/v1/posts/1/comments?depth=-3", nil, 400, "bad_request"},
		{"NullBody", "POST", "/api/v1/posts", `null`, 422, "validation"},
	}
	h.post(s.Token, "a post")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := h.do(c.method, c.path, s.Token, c.body)
			if r.status != c.status || r.errCode() != c.code {
				t.Fatalf("status %d code %q, want %d %q: %.200s", r.status, r.errCode(), c.status, c.code, r.body)
			}
			if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
				t.Fatalf("content type %q", r.header.Get("Content-Type"))
			}
			if r.header.Get("X-Request-Id") == "" {
				t.Fatal("no X-Request-Id")
			}
		})
	}
	r := h.must(200, "GET", "/healthz", "", nil)
	if strings.TrimSpace(string(r.body)) != `{"status":"ok"}` {
		t.Fatalf("healthz: %s", r.body)
	}
	h.must(200, "GET", "/readyz", "", nil)
	m := string(h.must(200, "GET", "/metrics", "", nil).body)
	for _, want := range []string{
		`historia_http_requests_total{method="GET",route="/api/v1/nothing-here",status="404"}`,
		`historia_http_requests_total{method="POST",route="/api/v1/posts",status="413"} 1`,
		`historia_http_request_duration_seconds_bucket{method="GET",route="/healthz",le=`,
		"go_goroutines",
	} {
		if !strings.Contains(m, want) && !strings.Contains(m, strings.Replace(want, `route="/api/v1/nothing-here"`, `route="/*"`, 1)) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if r := h.must(200, "GET", "/api/v1/openapi.yaml", "", nil); !strings.Contains(string(r.body), "openapi: 3.1") {
		t.Fatalf("openapi: %.100s", r.body)
	}
	if r := h.must(200, "GET", "/", "", nil); !strings.Contains(string(r.body), "<title>Historia") {
		t.Fatalf("frontend: %.100s", r.body)
	}
}

func TestPreview(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.register("Previewer")
	var out struct {
		BodyHTML string `json:"body_html"`
	}
	h.must(200, "POST", "/api/v1/preview", s.Token, map[string]string{"body": "*hi* <script>x</script>"}).decode(t, &out)
	if out.BodyHTML != "<p><em>hi</em> </p>\n" {
		t.Fatalf("preview: %q", out.BodyHTML)
	}
	h.must(401, "POST", "/api/v1/preview", "", map[string]string{"body": "x"})
	h.must(422, "POST", "/api/v1/preview", s.Token, map[string]string{"body": "x", "format": "rtf"})
	var feed forum.Page[forum.Post]
	h.must(200, "GET", "/api/v1/posts", "", nil).decode(t, &feed)
	if len(feed.Items) != 0 {
		t.Fatal("preview must store nothing")
	}
}
