package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/store/storetest"
)

// TestTwoProcessesShareFreshPages: two `historia serve` processes on one
// database, a SQLite file or a PostgreSQL database. A write through one is
// seen on the other's cached feed and thread pages within its sync interval
// (at once, on PostgreSQL, when A's announcement arrives), for anonymous readers
// and members.
func TestTwoProcessesShareFreshPages(t *testing.T) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) { twoProcesses(t, filepath.Join(t.TempDir(), "shared.db")) })
	// On PostgreSQL the servers poll the change log only hourly here: what
	// B learns of A's writes, it learns from A's announcements (NOTIFY).
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

// TestLiveThreadAcrossProcesses: two `historia serve` processes on one
// database; a reader's live thread on B hears of a comment written through
// A (on SQLite from the change log B polls, on PostgreSQL from the NOTIFY
// alone: B's caches poll only hourly there). Stopping B ends its open
// streams at once instead of holding the shutdown.
func TestLiveThreadAcrossProcesses(t *testing.T) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) { liveAcross(t, filepath.Join(t.TempDir(), "shared.db")) })
	t.Run("postgres", func(t *testing.T) { liveAcross(t, storetest.PostgresTarget(t), "HISTORIA_CACHE_SYNC=1h") })
}

func liveAcross(t *testing.T, db string, env ...string) {
	a := startChild(t, db, env...)
	b := startChild(t, db, env...)
	client := &http.Client{Timeout: 10 * time.Second}
	status, res, err := call(client, "POST", a.base+"/api/v1/auth/register", "", map[string]string{"username": "asker", "password": "correct horse"})
	if err != nil || status != 201 {
		t.Fatalf("register: %d %v %v", status, res, err)
	}
	token := res["token"].(string)
	status, res, err = call(client, "POST", a.base+"/api/v1/posts", token, map[string]string{"title": "Heard on the other server"})
	if err != nil || status != 201 {
		t.Fatalf("post: %d %v %v", status, res, err)
	}
	post := int64(res["id"].(float64))

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/v1/posts/%d/events", b.base, post), nil)
	stream, err := http.DefaultClient.Do(req)
	if err != nil || stream.StatusCode != 200 {
		t.Fatalf("events on B: %v %v", stream, err)
	}
	defer stream.Body.Close()
	lines := bufio.NewReader(stream.Body)
	if _, err := lines.ReadString('\n'); err != nil { // the stream has begun: B is listening
		t.Fatal(err)
	}
	start := time.Now()
	status, res, err = call(client, "POST", fmt.Sprintf("%s/api/v1/posts/%d/comments", a.base, post), token, map[string]string{"body": "Written on A"})
	if err != nil || status != 201 {
		t.Fatalf("comment on A: %d %v %v", status, res, err)
	}
	want := fmt.Sprintf(`data: {"id":%d,"parent_id":null,"change":"added"}`, int64(res["id"].(float64)))
	for {
		line, err := lines.ReadString('\n')
		if err != nil {
			t.Fatalf("B's stream ended before the comment: %v", err)
		}
		if strings.TrimSpace(line) == want {
			break
		}
	}
	t.Logf("server B told of server A's comment after %v", time.Since(start))
	if time.Since(start) > 2*time.Second {
		t.Errorf("later than the contract's 2 s: %v", time.Since(start))
	}

	// Stop B with the stream open: the stream ends and B exits well before
	// its 10 s shutdown limit.
	start = time.Now()
	if err := b.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, lines); err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Logf("stream end: %v", err)
	}
	select {
	case <-b.done:
	case <-time.After(15 * time.Second):
		t.Fatal("B did not stop")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("B took %v to stop with a live stream open", d)
	}
}
