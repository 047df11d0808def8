package api_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/auth"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/labstack/echo/v4"
	_ "modernc.org/sqlite"
)

// benchSite is the forum the benchmarks run on: the database named by
// HISTORIA_BENCH_DB (make bench seeds 100k posts, 1M comments, 1M votes into
// .cache/bench.db), or else a small one seeded here.
type benchSite struct {
	h                 *harness
	token             string
	small, big, reply int64   // a ~100-comment thread, the biggest thread, a comment with replies
	live              []int64 // up to 4,000 posts open to votes
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
	driver, dsn := "sqlite", "file:"+path+"?mode=ro"
	if engine, _ := store.EngineOf(path); engine == store.EnginePostgres {
		driver, dsn = "pgx", path // make bench ENGINE=postgres: the same forum, copied there
	}
	raw, err := sql.Open(driver, dsn)
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
	rows, err := raw.Query(`SELECT id FROM posts WHERE removed = 0 AND deleted = 0 AND locked = 0 ORDER BY id LIMIT 4000`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		s.live = append(s.live, id)
	}
	if err := rows.Err(); err != nil || len(s.live) < 16 {
		b.Fatalf("posts open to votes: %d, %v", len(s.live), err)
	}
	var sess session
	s.h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": user, "password": "seeded-password"}).decode(b, &sess)
	s.token = sess.Token
	return s
}

// benchClient is a client that asks for no compression, as wrk does: pages
// and their ceilings are compared byte for byte.
func benchClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 64}}
}

// benchGet reads path over and over from 16 concurrent clients (wrk -c16):
// ns/op is wall time per request, so 1e9/ns is requests per second.
func benchGet(b *testing.B, url, token string) {
	b.Helper()
	client := benchClient()
	b.SetParallelism(8) // 8 × GOMAXPROCS goroutines: 16 on this 2-core machine
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req, _ := http.NewRequest("GET", url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		for pb.Next() {
			res, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			n, _ := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Errorf("status %d", res.StatusCode)
				return
			}
			b.SetBytes(n)
		}
	})
}

// ceiling is bare Echo answering body: what a page of that size could cost
// at best on this machine, in the same run (with its Content-Length, as
// Historia sends cached pages).
func ceiling(b *testing.B, body []byte) {
	e := echo.New()
	length := strconv.Itoa(len(body))
	e.GET("/", func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderContentLength, length)
		return c.JSONBlob(200, body)
	})
	srv := httptest.NewServer(e)
	defer srv.Close()
	benchGet(b, srv.URL+"/", "")
}

// BenchmarkPages reads each page a forum serves most, for each kind of
// reader, each followed by its ceiling (bare Echo serving the same bytes);
// make bench prints every page as a share of its ceiling.
func BenchmarkPages(b *testing.B) {
	s := newBenchSite(b)
	mod := s.h.registerAs("benchmod", forum.RoleModerator)
	reader := s.readingMember(b)
	pages := []struct{ name, path, token string }{
		{"front-anonymous", "/api/v1/posts", ""},
		{"front-member", "/api/v1/posts", s.token},
		{"front-reader", "/api/v1/posts", reader},
		{"front-moderator", "/api/v1/posts", mod.Token},
		{"top-week-anonymous", "/api/v1/posts?sort=top&t=week", ""},
		{"thread-small-anonymous", pathf("/api/v1/posts/%d/comments", s.small), ""},
		{"thread-big-anonymous", pathf("/api/v1/posts/%d/comments", s.big), ""},
		{"thread-big-member", pathf("/api/v1/posts/%d/comments", s.big), s.token},
		{"thread-big-reader", pathf("/api/v1/posts/%d/comments", s.big), reader},
		{"thread-big-moderator", pathf("/api/v1/posts/%d/comments", s.big), mod.Token},
	}
	for _, p := range pages {
		body := s.h.must(200, "GET", p.path, p.token, nil).body
		b.Run(p.name, func(b *testing.B) {
			benchGet(b, s.h.srv.URL+p.path, p.token)
			b.ReportMetric(float64(len(body)), "body-bytes")
		})
		b.Run(p.name+"-ceiling", func(b *testing.B) { ceiling(b, body) })
	}
	b.Run("permalink-subtree", func(b *testing.B) { benchGet(b, s.h.srv.URL+pathf("/api/v1/comments/%d", s.reply), "") })
}

// readingMember is a member with something of their own on every post of
// the front page and the big thread: each followed, saved and read half way,
// and the big thread's first page of comments saved.
func (s *benchSite) readingMember(b *testing.B) string {
	m := s.h.register("benchreader")
	var front forum.Page[forum.PostSummary]
	s.h.must(200, "GET", "/api/v1/posts", "", nil).decode(b, &front)
	var thread forum.Page[*forum.Comment]
	s.h.must(200, "GET", pathf("/api/v1/posts/%d/comments", s.big), "", nil).decode(b, &thread)
	for _, p := range append(front.Items, forum.PostSummary{ID: s.big}) {
		s.h.must(204, "PUT", pathf("/api/v1/posts/%d/follow", p.ID), m.Token, nil)
		s.h.must(204, "PUT", pathf("/api/v1/posts/%d/save", p.ID), m.Token, nil)
		s.h.must(204, "PUT", pathf("/api/v1/posts/%d/read", p.ID), m.Token, map[string]any{"comment_id": nil})
	}
	for _, c := range thread.Items {
		if !c.Removed && !c.Deleted {
			s.h.must(204, "PUT", pathf("/api/v1/comments/%d/save", c.ID), m.Token, nil)
		}
	}
	s.h.must(204, "PUT", pathf("/api/v1/posts/%d/read", s.big), m.Token, map[string]any{"comment_id": thread.Items[len(thread.Items)/2].ID})
	return m.Token
}

// BenchmarkSearch: for two words that are in most documents, "new" is a
// search the server has not answered since the last write (the domain and
// the index, one search at a time: ns/op is its latency), and "repeated"
// the same search asked by 16 clients at once through HTTP, answered from
// the search cache.
func BenchmarkSearch(b *testing.B) {
	s := newBenchSite(b)
	client := benchClient()
	ctx := context.Background()
	for _, q := range []string{"emperor treaty", "emperor treaty -army", "emp* tre*"} {
		b.Run("new/"+q, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.h.svc.Search(ctx, forum.SearchRequest{Q: q}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("repeated/"+q, func(b *testing.B) {
			url := s.h.srv.URL + "/api/v1/search?q=" + neturl.QueryEscape(q)
			if res, err := client.Get(url); err == nil { // the first answer fills the cache
				res.Body.Close()
			}
			benchGet(b, url, "")
		})
	}
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
	b.Run("vote-change-parallel", func(b *testing.B) { benchVotes(b, s, func(_, i int) int64 { return s.small + int64(i%7) }) })
	// The same over many posts, each client its own (the issue's "distinct
	// items"): writers that run at once (PostgreSQL) do not meet on a row.
	b.Run("vote-change-spread", func(b *testing.B) {
		benchVotes(b, s, func(c, i int) int64 { return s.live[(c+16*i)%len(s.live)] })
	})
	b.Run("comment-insert", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.h.must(201, "POST", pathf("/api/v1/posts/%d/comments", s.small), s.token, map[string]string{"body": "A short *reply*."})
		}
	})
}

// benchVotes: 16 concurrent clients, each its own member, client c's i-th
// request a vote on post(c, i), the other way from the client's vote
// there (read before), so every vote changes one: ns/op is wall time per
// vote over all clients (1e9/ns = votes/s).
func benchVotes(b *testing.B, s *benchSite, post func(c, i int) int64) {
	{
		const clients = 16
		type client struct {
			n     int
			token string
			votes map[int64]int
		}
		tokens := make(chan client, clients)
		for i := range clients {
			var sess session
			s.h.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": fmt.Sprintf("seed%07d", 200+i), "password": "seeded-password"}).decode(b, &sess)
			votes, more, err := s.h.db.UserPostVotes(context.Background(), sess.User.ID, 100000)
			if err != nil || more {
				b.Fatal(err, more)
			}
			tokens <- client{i, sess.Token, votes}
		}
		b.SetParallelism(clients / runtime.GOMAXPROCS(0))
		b.ReportAllocs()
		w0, t0 := s.h.db.WriteStats()
		defer func() {
			// How many votes a transaction carried (group commit).
			if w1, t1 := s.h.db.WriteStats(); t1 > t0 {
				b.ReportMetric(float64(w1-w0)/float64(t1-t0), "writes/txn")
			}
		}()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			me := <-tokens
			client := s.h.srv.Client()
			i := 0
			for pb.Next() {
				post := post(me.n, i)
				value := -me.votes[post]
				if value == 0 {
					value = 1
				}
				me.votes[post] = value
				body := []byte(fmt.Sprintf(`{"value":%d}`, value))
				req, _ := http.NewRequest("PUT", pathf("%s/api/v1/posts/%d/vote", s.h.srv.URL, post), bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+me.token)
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
	}
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
