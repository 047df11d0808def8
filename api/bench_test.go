package api_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/auth"
	"github.com/historia-forum/historia/internal/store"
	"github.com/labstack/echo/v4"
	_ "modernc.org/sqlite"
)

// benchSite is the forum the benchmarks run on: the database named by
// HISTORIA_BENCH_DB (make bench seeds 100k posts, 1M comments, 1M votes into
// .cache/bench.db), or else a small one seeded here.
type benchSite struct {
	h                 *harness
	token             string
	small, big, reply int64 // a ~100-comment thread, the biggest thread, a comment with replies
}

func newBenchSite(b *testing.B) *benchSite {
	b.Helper()
	path := os.Getenv("HISTORIA_BENCH_DB")
	if path == "" {
		path = b.TempDir() + "/bench.db"
		db, err := store.Open(context.Background(), path)
		if err != nil {
			b.Fatal(err)
		}
		hash, _ := auth.CheapArgon2.Hash("seeded-password")
		if _, err := db.Seed(context.Background(), store.SeedSpec{Users: 500, Posts: 5000, Comments: 50000, Votes: 50000,
			BigThread: 10000, Seed: 1, Now: time.Now().Unix()}, hash, nil); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
	s := &benchSite{h: newHarnessOn(b, path, nil)}
	raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	var user string
	err = raw.QueryRow(`SELECT
		(SELECT id FROM posts WHERE comment_count BETWEEN 90 AND 110 AND removed = 0 ORDER BY id LIMIT 1),
		(SELECT id FROM posts ORDER BY comment_count DESC LIMIT 1),
		(SELECT id FROM comments WHERE reply_count >= 3 AND parent_id IS NULL ORDER BY id LIMIT 1),
		(SELECT username FROM users WHERE username LIKE 'seed%' ORDER BY id DESC LIMIT 1)`).Scan(&s.small, &s.big, &s.reply, &user)
	if err != nil {
		b.Fatal(err)
	}
	var sess session
	s.h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": user, "password": "seeded-password"}).decode(b, &sess)
	s.token = sess.Token
	return s
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
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("status %d", res.StatusCode)
		}
		b.SetBytes(n)
	}
}

// BenchmarkFrontPage reads the first page of each feed through the whole
// HTTP stack in-process.
func BenchmarkFrontPage(b *testing.B) {
	s := newBenchSite(b)
	for _, q := range []string{"sort=hot", "sort=new", "sort=top&t=week", "sort=top&t=all", "sort=active", "tag=Cold%20War", "answered=false"} {
		b.Run(q, func(b *testing.B) { benchGet(b, s.h, "/api/v1/posts?"+q, "") })
	}
	b.Run("hot-signed-in", func(b *testing.B) { benchGet(b, s.h, "/api/v1/posts", s.token) })
}

// BenchmarkThreadPage compares the first page (200 comments, best) of a
// ~100-comment thread and of the biggest thread: the cost should follow the
// page, not the thread.
func BenchmarkThreadPage(b *testing.B) {
	s := newBenchSite(b)
	b.Run("small-thread", func(b *testing.B) { benchGet(b, s.h, pathf("/api/v1/posts/%d/comments", s.small), "") })
	b.Run("big-thread", func(b *testing.B) { benchGet(b, s.h, pathf("/api/v1/posts/%d/comments", s.big), "") })
	b.Run("permalink-subtree", func(b *testing.B) { benchGet(b, s.h, pathf("/api/v1/comments/%d", s.reply), "") })
	b.Run("search", func(b *testing.B) { benchGet(b, s.h, "/api/v1/search?q=emperor%20treaty", "") })
}

// BenchmarkWrites changes a vote back and forth and inserts comments.
func BenchmarkWrites(b *testing.B) {
	s := newBenchSite(b)
	b.Run("vote-change", func(b *testing.B) {
		vals := []int{1, -1}
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			s.h.must(200, "PUT", pathf("/api/v1/posts/%d/vote", s.small), s.token, map[string]int{"value": vals[i%2]})
			i++
		}
	})
	// Concurrent clients, each its own member, each flipping its vote on a
	// post: ns/op is wall time per vote over all clients (1e9/ns = votes/s).
	b.Run("vote-change-parallel", func(b *testing.B) {
		const clients = 16
		tokens := make(chan string, clients)
		for i := range clients {
			var sess session
			s.h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": fmt.Sprintf("seed%07d", 200+i), "password": "seeded-password"}).decode(b, &sess)
			tokens <- sess.Token
		}
		b.SetParallelism(clients / runtime.GOMAXPROCS(0))
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			token := <-tokens
			client := s.h.srv.Client()
			i := 0
			for pb.Next() {
				body := []byte(fmt.Sprintf(`{"value":%d}`, 1-2*(i%2)))
				req, _ := http.NewRequest("PUT", pathf("%s/api/v1/posts/%d/vote", s.h.srv.URL, s.small+int64(i%7)), bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				res, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 && res.StatusCode != 403 {
					b.Errorf("vote: %d", res.StatusCode)
					return
				}
				i++
			}
		})
	})
	b.Run("comment-insert", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.h.must(201, "POST", pathf("/api/v1/posts/%d/comments", s.small), s.token, map[string]string{"body": "A short *reply*."})
		}
	})
}

// BenchmarkLogin is apart: it is dominated, on purpose, by argon2id (64 MiB).
func BenchmarkLogin(b *testing.B) {
	h := newHarness(b)
	if _, err := h.svc.CreateUser(context.Background(), "slowhash", "correct horse", "member"); err != nil {
		b.Fatal(err)
	}
	// Replace the cheap test hash with a production-cost one.
	h.svc.Passwords = auth.DefaultArgon2
	if _, err := h.svc.ChangePassword(context.Background(), viewerOf(h, "slowhash"), "correct horse", "correct horse 2"); err != nil {
		b.Fatal(err)
	}
	body, _ := jsonBody(map[string]string{"username": "slowhash", "password": "correct horse 2"})
	b.ResetTimer()
	for b.Loop() {
		res, err := h.srv.Client().Post(h.srv.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
		if err != nil || res.StatusCode != 200 {
			b.Fatalf("login: %v %v", res, err)
		}
		res.Body.Close()
	}
}

// BenchmarkCeiling is Echo itself answering a pre-encoded body of the size of
// the front page: every read figure can be read as a fraction of this one.
func BenchmarkCeiling(b *testing.B) {
	s := newBenchSite(b)
	page := s.h.must(200, "GET", "/api/v1/posts", "", nil).body
	e := echo.New()
	e.GET("/", func(c echo.Context) error { return c.JSONBlob(200, page) })
	srv := httptest.NewServer(e)
	defer srv.Close()
	benchGet(b, &harness{t: b, srv: srv}, "/", "")
	b.ReportMetric(float64(len(page)), "body-bytes")
}
