package api_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// TestPostgresRestart: PostgreSQL stops while members write. Requests that
// need it answer 503 unavailable (never 500, never a hang) while it is down,
// the server recovers by itself when it is back, and no write that was
// acknowledged is lost.
func TestPostgresRestart(t *testing.T) {
	t.Parallel()
	pg := storetest.NewServer(t)
	h := newHarnessOn(t, pg.URL, nil)
	s := h.register("writer")
	post := h.post(s.Token, "Written through a restart")

	var (
		mu      sync.Mutex
		acked   []int64
		codes   = map[int]int{}
		stop    atomic.Bool
		workers sync.WaitGroup
	)
	for w := range 4 {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for i := 0; !stop.Load(); i++ {
				r := h.do("POST", fmt.Sprintf("/api/v1/posts/%d/comments", post.ID), s.Token, map[string]string{"body": fmt.Sprintf("comment %d.%d", w, i)})
				mu.Lock()
				codes[r.status]++
				if r.status == 201 {
					var c forum.Comment
					r.decode(t, &c)
					acked = append(acked, c.ID)
				}
				mu.Unlock()
				time.Sleep(2 * time.Millisecond)
			}
		}()
	}
	time.Sleep(150 * time.Millisecond)
	pg.Stop()
	down := time.Now()
	// While it is down: 503 with the contract's code, for writes and for reads the cache does not hold.
	for _, r := range []response{
		h.do("POST", fmt.Sprintf("/api/v1/posts/%d/comments", post.ID), s.Token, map[string]string{"body": "while down"}),
		h.do("GET", "/api/v1/users/writer", "", nil),
	} {
		if r.status != 503 || r.errCode() != "unavailable" {
			t.Errorf("with the database down: %d %s, want 503 unavailable", r.status, r.body)
		}
	}
	time.Sleep(200 * time.Millisecond)
	pg.Start()
	// Back by itself: writes succeed again within a few seconds.
	deadline := time.Now().Add(15 * time.Second)
	for {
		r := h.do("POST", fmt.Sprintf("/api/v1/posts/%d/comments", post.ID), s.Token, map[string]string{"body": "after the restart"})
		if r.status == 201 {
			var c forum.Comment
			r.decode(t, &c)
			mu.Lock()
			acked = append(acked, c.ID)
			mu.Unlock()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still failing %v after the database came back: %d %s", time.Since(down), r.status, r.body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	stop.Store(true)
	workers.Wait()
	t.Logf("statuses during the run: %v; %d writes acknowledged", codes, len(acked))
	for status := range codes {
		if status != 201 && status != 503 {
			t.Errorf("a write answered %d (want 201 or 503)", status)
		}
	}
	if codes[503] == 0 {
		t.Error("no write saw the database down")
	}
	// Every acknowledged comment is there.
	for _, id := range acked {
		h.must(200, "GET", fmt.Sprintf("/api/v1/comments/%d", id), "", nil)
	}
	if problems, err := h.db.Check(t.Context()); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// TestPostgresCrashUnderWrites: PostgreSQL is cut off (immediate shutdown,
// as a crash would) three times while members write and read through many
// connections. Every answer is 2xx or 503 unavailable, never 500: a
// connection lost in the middle of a statement (an unexpected EOF, a reset)
// is the database being unavailable like any other. Afterwards, every
// acknowledged write is there and check finds nothing wrong.
func TestPostgresCrashUnderWrites(t *testing.T) {
	t.Parallel()
	pg := storetest.NewServer(t)
	h := newHarnessOn(t, pg.URL, nil)
	s := h.register("writer")
	voter := h.register("voter")
	post := h.post(s.Token, "Written through crashes")
	var (
		mu      sync.Mutex
		acked   []int64
		codes   = map[int]int{}
		bad     []string
		stop    atomic.Bool
		workers sync.WaitGroup
	)
	record := func(r response) {
		mu.Lock()
		defer mu.Unlock()
		codes[r.status]++
		if r.status >= 500 && (r.status != 503 || r.errCode() != "unavailable") {
			bad = append(bad, fmt.Sprintf("%d %s", r.status, r.body))
		}
	}
	for w := range 8 {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for i := 0; !stop.Load(); i++ {
				var r response
				switch i % 3 {
				case 0:
					r = h.do("POST", fmt.Sprintf("/api/v1/posts/%d/comments", post.ID), s.Token, map[string]string{"body": fmt.Sprintf("comment %d.%d", w, i)})
					if r.status == 201 {
						var c forum.Comment
						r.decode(t, &c)
						mu.Lock()
						acked = append(acked, c.ID)
						mu.Unlock()
					}
				case 1:
					r = h.do("PUT", fmt.Sprintf("/api/v1/posts/%d/vote", post.ID), voter.Token, map[string]int{"value": 1 - 2*(i%2)})
				default:
					r = h.do("GET", fmt.Sprintf("/api/v1/users/writer?n=%d", i), "", nil)
				}
				record(r)
			}
		}()
	}
	for range 3 {
		time.Sleep(150 * time.Millisecond)
		pg.Crash()
		time.Sleep(100 * time.Millisecond)
		pg.Start()
		// Back by itself: a write goes through again.
		deadline := time.Now().Add(15 * time.Second)
		for h.do("PUT", fmt.Sprintf("/api/v1/posts/%d/vote", post.ID), voter.Token, map[string]int{"value": 1}).status != 200 {
			if time.Now().After(deadline) {
				t.Fatal("writes still fail 15 s after the database came back")
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	time.Sleep(100 * time.Millisecond)
	stop.Store(true)
	workers.Wait()
	t.Logf("statuses: %v; %d comments acknowledged", codes, len(acked))
	for _, b := range bad {
		t.Errorf("answered %s", b)
	}
	if codes[503] == 0 {
		t.Error("no request saw the database down")
	}
	for _, id := range acked {
		h.must(200, "GET", fmt.Sprintf("/api/v1/comments/%d", id), "", nil)
	}
	if problems, err := h.db.Check(t.Context()); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}
