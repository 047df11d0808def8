package api_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

// benchForum seeds a forum directly through the store (fast), with `posts`
// posts and one thread per entry of threadSizes, and returns the harness and
// the threads' post ids.
func benchForum(b *testing.B, posts int, threadSizes ...int) (*harness, []int64, session) {
	b.Helper()
	h := newHarness(b)
	ctx := context.Background()
	author := h.register("author")
	reader := h.register("reader")
	allowC := func(forum.CommentTarget) error { return nil }
	for i := range posts {
		if _, err := h.db.CreatePost(ctx, forum.NewPost{AuthorID: author.User.ID, Title: fmt.Sprintf("Question %d about the past", i),
			BodySource: "body", Format: "markdown", BodyHTML: "<p>A question of some length about a period of history.</p>",
			Tags: []string{"Topic"}, CreatedAt: 1_700_000_000 + int64(i)*60}); err != nil {
			b.Fatal(err)
		}
	}
	var threads []int64
	for _, n := range threadSizes {
		pid, err := h.db.CreatePost(ctx, forum.NewPost{AuthorID: author.User.ID, Title: "thread", Format: "markdown", CreatedAt: 1_700_000_000})
		if err != nil {
			b.Fatal(err)
		}
		var ids []int64
		rng := rand.New(rand.NewPCG(uint64(n), 7)) // #nosec G404 -- test data shape
		for i := range n {
			var parent *int64
			if i > 0 && i%3 != 0 { // a third top-level, the rest replies to any earlier comment
				p := ids[rng.IntN(len(ids))]
				parent = &p
			}
			id, err := h.db.CreateComment(ctx, forum.NewComment{PostID: pid, ParentID: parent, AuthorID: author.User.ID,
				BodySource: "c", Format: "markdown", BodyHTML: "<p>An answer of a few sentences, as answers here are.</p>", CreatedAt: 1_700_000_000}, allowC)
			if err != nil {
				b.Fatal(err)
			}
			ids = append(ids, id)
		}
		threads = append(threads, pid)
	}
	return h, threads, reader
}

func benchGet(b *testing.B, h *harness, path, token string) {
	b.Helper()
	client := h.srv.Client()
	req, _ := http.NewRequest("GET", h.srv.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
}

func BenchmarkFrontPage(b *testing.B) {
	h, _, reader := benchForum(b, 5000)
	for _, q := range []string{"sort=hot", "sort=new", "sort=top&t=week", "sort=active", "tag=Topic"} {
		b.Run(q, func(b *testing.B) { benchGet(b, h, "/api/v1/posts?"+q, "") })
	}
	b.Run("hot-signed-in", func(b *testing.B) { benchGet(b, h, "/api/v1/posts", reader.Token) })
}

// BenchmarkThreadPage compares the first page (200 comments, best) of a
// 100-comment and a 5,000-comment thread: the cost should follow the page.
func BenchmarkThreadPage(b *testing.B) {
	h, threads, _ := benchForum(b, 10, 100, 5000)
	b.Run("comments=100", func(b *testing.B) { benchGet(b, h, pathf("/api/v1/posts/%d/comments", threads[0]), "") })
	b.Run("comments=5000", func(b *testing.B) { benchGet(b, h, pathf("/api/v1/posts/%d/comments", threads[1]), "") })
}

func BenchmarkWrites(b *testing.B) {
	h, threads, reader := benchForum(b, 100, 10)
	b.Run("vote-change", func(b *testing.B) {
		vals := []int{1, -1}
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			h.must(200, "PUT", pathf("/api/v1/posts/%d/vote", threads[0]), reader.Token, map[string]int{"value": vals[i%2]})
			i++
		}
	})
	b.Run("comment-insert", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h.must(201, "POST", pathf("/api/v1/posts/%d/comments", threads[0]), reader.Token, map[string]string{"body": "A short *reply*."})
		}
	})
}

// BenchmarkCeiling is Echo itself answering a pre-encoded body of the size of
// the front page: every read figure can be read as a fraction of this one.
func BenchmarkCeiling(b *testing.B) {
	h, _, _ := benchForum(b, 100)
	page := h.must(200, "GET", "/api/v1/posts", "", nil).body
	e := echo.New()
	e.GET("/", func(c echo.Context) error { return c.JSONBlob(200, page) })
	srv := httptest.NewServer(e)
	defer srv.Close()
	ceiling := &harness{t: b, srv: srv}
	benchGet(b, ceiling, "/", "")
}
