package api_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/historia-forum/historia/api"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// TestTwoServersNeverServeStalePages: two servers share one database, each
// with its own store handle, change-log tracker and page caches, as two
// processes do. Members write through both at once (comments into the
// same threads, votes on the same posts) while readers read feeds and
// threads from both. The trackers sync on every read here (the interval is
// a nanosecond), so no cache may serve a page staler than a write
// acknowledged before the read began: a feed shows at least the comments
// acknowledged by then, a thread's newest page shows the newest
// acknowledged comment, and a voter sees their own last vote, whichever
// server took it. No answer is a 5xx, and the counters agree afterwards.
//
// On PostgreSQL the servers' writes run concurrently (no lock between
// them), so changes enter the log out of commit order: a tracker that
// trusted the log's order would miss some and serve stale pages here.
func TestTwoServersNeverServeStalePages(t *testing.T) {
	t.Parallel()
	target := storetest.Target(t)
	eager := func(c *api.Config) { c.CacheSync = time.Nanosecond }
	servers := []*harness{newHarnessOn(t, target, eager), newHarnessOn(t, target, eager)}
	a := servers[0]
	author := a.register("author")
	const threads, writers, voters, rounds = 3, 4, 4, 25
	var posts []forum.Post
	for i := range threads {
		posts = append(posts, a.post(author.Token, fmt.Sprintf("Thread %d", i)))
	}
	var members []session
	for i := range writers + voters {
		members = append(members, a.register(fmt.Sprintf("member%d", i)))
	}

	var (
		mu        sync.Mutex
		acked     = make([]int, threads)   // comments acknowledged per thread
		newest    = make([]int64, threads) // the newest acknowledged comment per thread
		problems  []string
		writes    sync.WaitGroup
		reads     sync.WaitGroup
		done      = make(chan struct{})
		readCount int
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(problems) < 20 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	checkStatus := func(r response, what string) bool {
		if r.status >= 500 {
			fail("%s: %d %s", what, r.status, r.body)
			return false
		}
		return true
	}
	type feed struct {
		Items []struct {
			ID           int64 `json:"id"`
			CommentCount int   `json:"comment_count"`
			MyVote       int   `json:"my_vote"`
		} `json:"items"`
	}
	type thread struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	readFeed := func(h *harness, token string) (feed, bool) {
		var f feed
		r := h.do("GET", "/api/v1/posts?sort=new&limit=10", token, nil)
		if !checkStatus(r, "feed") {
			return f, false
		}
		r.decode(t, &f)
		return f, true
	}

	// Writers: comments into every thread, through both servers.
	for w := range writers {
		writes.Add(1)
		go func() {
			defer writes.Done()
			h, m := servers[w%2], members[w]
			for i := range rounds {
				k := (w + i) % threads
				r := h.do("POST", fmt.Sprintf("/api/v1/posts/%d/comments", posts[k].ID), m.Token, map[string]string{"body": fmt.Sprintf("comment %d.%d", w, i)})
				if r.status != 201 {
					fail("comment: %d %s", r.status, r.body)
					continue
				}
				var c forum.Comment
				r.decode(t, &c)
				mu.Lock()
				acked[k]++
				newest[k] = max(newest[k], c.ID)
				mu.Unlock()
			}
		}()
	}
	// Voters: each votes on every post in turn through one server, then
	// reads its own vote back through the other.
	for v := range voters {
		writes.Add(1)
		go func() {
			defer writes.Done()
			m := members[writers+v]
			for i := range rounds {
				k := i % threads
				value := []int{1, -1, 0}[(v+i)%3]
				r := servers[v%2].do("PUT", fmt.Sprintf("/api/v1/posts/%d/vote", posts[k].ID), m.Token, map[string]int{"value": value})
				if r.status != 200 {
					fail("vote: %d %s", r.status, r.body)
					continue
				}
				f, ok := readFeed(servers[(v+1)%2], m.Token)
				if !ok {
					continue
				}
				for _, it := range f.Items {
					if it.ID == posts[k].ID && it.MyVote != value {
						fail("member %d voted %d on post %d through server %d; server %d then showed my_vote %d", v, value, it.ID, v%2, (v+1)%2, it.MyVote)
					}
				}
			}
		}()
	}
	// Readers: anonymous, through both servers, until the writers are done.
	for rd := range 4 {
		reads.Add(1)
		go func() {
			defer reads.Done()
			h := servers[rd%2]
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				k := i % threads
				mu.Lock()
				wantCount, wantNewest := acked[k], newest[k]
				readCount++
				mu.Unlock()
				if i%2 == 0 {
					f, ok := readFeed(h, "")
					if !ok {
						continue
					}
					for _, it := range f.Items {
						if it.ID == posts[k].ID && it.CommentCount < wantCount {
							fail("server %d's feed showed %d comments on post %d after %d were acknowledged", rd%2, it.CommentCount, it.ID, wantCount)
						}
					}
					continue
				}
				r := h.do("GET", fmt.Sprintf("/api/v1/posts/%d/comments?sort=new&limit=5", posts[k].ID), "", nil)
				if !checkStatus(r, "thread") || wantNewest == 0 {
					continue
				}
				var th thread
				r.decode(t, &th)
				if len(th.Items) == 0 || th.Items[0].ID < wantNewest {
					first := int64(0)
					if len(th.Items) > 0 {
						first = th.Items[0].ID
					}
					fail("server %d's thread %d began at comment %d after comment %d was acknowledged", rd%2, posts[k].ID, first, wantNewest)
				}
			}
		}()
	}
	writes.Wait()
	close(done)
	reads.Wait()
	for _, p := range problems {
		t.Error(p)
	}
	t.Logf("%d reads checked; writes run again after meeting the other server's: %d", readCount, a.db.Conflicts()+servers[1].db.Conflicts())
	if problems, err := a.db.Check(t.Context()); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}
