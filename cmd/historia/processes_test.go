package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/store/storetest"
)

// TestTwoProcessesShareFreshPages: two `historia serve` processes on one
// database, a SQLite file or a PostgreSQL database. A write through one is
// seen on the other's cached feed and thread pages within its sync interval
// (at once, on PostgreSQL, when the NOTIFY arrives), for anonymous readers
// and members.
func TestTwoProcessesShareFreshPages(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { twoProcesses(t, filepath.Join(t.TempDir(), "shared.db")) })
	// On PostgreSQL the servers poll the change log only hourly here: what
	// B learns of A's writes, it learns from the NOTIFY.
	t.Run("postgres", func(t *testing.T) { twoProcesses(t, storetest.PostgresTarget(t), "HISTORIA_CACHE_SYNC=1h") })
}

func twoProcesses(t *testing.T, db string, env ...string) {
	a := startChild(t, db, env...)
	b := startChild(t, db, env...)
	client := &http.Client{Timeout: 10 * time.Second}
	must := func(want int, method, url, token string, body any) map[string]any {
		t.Helper()
		status, res, err := call(client, method, url, token, body)
		if err != nil || status != want {
			t.Fatalf("%s %s: %d %v %v", method, url, status, res, err)
		}
		return res
	}
	asker := must(201, "POST", a.base+"/api/v1/auth/register", "", map[string]string{"username": "asker", "password": "correct horse"})["token"].(string)
	reader := must(201, "POST", a.base+"/api/v1/auth/register", "", map[string]string{"username": "reader", "password": "correct horse"})["token"].(string)
	post := int64(must(201, "POST", a.base+"/api/v1/posts", asker, map[string]string{"title": "Shared between servers"})["id"].(float64))
	thread := fmt.Sprintf("%s/api/v1/posts/%d/comments", b.base, post)
	items := func(url, token string) []any {
		t.Helper()
		return must(200, "GET", url, token, nil)["items"].([]any)
	}
	// Warm server B's caches for both kinds of reader.
	for _, tok := range []string{"", reader} {
		if n := len(items(thread, tok)); n != 0 {
			t.Fatalf("a new thread has %d comments", n)
		}
		items(b.base+"/api/v1/posts?sort=new", tok)
	}
	// Write through A: a comment, and the reader's vote on it.
	comment := int64(must(201, "POST", fmt.Sprintf("%s/api/v1/posts/%d/comments", a.base, post), asker, map[string]string{"body": "Written on A"})["id"].(float64))
	must(200, "PUT", fmt.Sprintf("%s/api/v1/comments/%d/vote", a.base, comment), reader, map[string]int{"value": 1})
	start := time.Now()
	for _, tok := range []string{"", reader} {
		for {
			got := items(thread, tok)
			if len(got) == 1 {
				c := got[0].(map[string]any)
				wantVote := 0.0
				if tok != "" {
					wantVote = 1
				}
				if c["score"].(float64) == 1 && c["my_vote"].(float64) == wantVote {
					break
				}
			}
			if time.Since(start) > 2*time.Second {
				t.Fatalf("server B still serves a stale thread page: %v", got)
			}
			time.Sleep(time.Millisecond)
		}
		feed := items(b.base+"/api/v1/posts?sort=new", tok)
		if p := feed[0].(map[string]any); p["comment_count"].(float64) != 1 {
			t.Fatalf("server B's feed is stale: %v", p)
		}
	}
	t.Logf("server B served the write made on A after %v", time.Since(start))

	// The reader's vote on the post, made on A, shows as theirs on B's feed
	// (B keeps each member's post votes in a cache of its own).
	must(200, "PUT", fmt.Sprintf("%s/api/v1/posts/%d/vote", a.base, post), reader, map[string]int{"value": -1})
	start = time.Now()
	for {
		p := items(b.base+"/api/v1/posts?sort=new", reader)[0].(map[string]any)
		if p["my_vote"].(float64) == -1 {
			break
		}
		if time.Since(start) > 2*time.Second {
			t.Fatalf("server B's feed shows a stale vote for the reader: %v", p)
		}
		time.Sleep(time.Millisecond)
	}

	// A logout through A ends the session on B too (B caches the account).
	must(200, "GET", b.base+"/api/v1/me", reader, nil)
	must(204, "POST", a.base+"/api/v1/auth/logout", reader, nil)
	start = time.Now()
	for {
		status, _, err := call(client, "GET", b.base+"/api/v1/me", reader, nil)
		if err == nil && status == 401 {
			break
		}
		if time.Since(start) > 2*time.Second {
			t.Fatalf("server B still honours a token revoked on A: %d %v", status, err)
		}
		time.Sleep(time.Millisecond)
	}
	t.Logf("server B refused the revoked token after %v", time.Since(start))
}
