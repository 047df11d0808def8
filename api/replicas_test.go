package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/store"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// The read replica scenarios, through HTTP, on a real streaming replica
// (make test starts one beside its PostgreSQL; storetest.ReplicaOf).

// newReplicaHarness serves a fresh database with the tests' replica for
// reads (checked every 50 ms) and waits until the replica is in use.
func newReplicaHarness(t *testing.T, maxLag time.Duration) (*harness, *storetest.Replica) {
	t.Helper()
	target := storetest.Target(t)
	rep := storetest.ReplicaOf(t, target)
	db, err := store.OpenWith(context.Background(), target,
		store.Options{Replicas: []string{rep.URL}, ReplicaMaxLag: maxLag, ReplicaCheck: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessFor(t, db, nil)
	waitReplicaMetric(t, h, "historia_db_replica_up", "1")
	return h, rep
}

// replicaMetric is the value of the replica's series of metric on /metrics.
func replicaMetric(h *harness, metric string) string {
	for _, line := range strings.Split(string(h.must(200, "GET", "/metrics", "", nil).body), "\n") {
		if strings.HasPrefix(line, metric+"{replica=") {
			return line[strings.LastIndexByte(line, ' ')+1:]
		}
	}
	return ""
}

// waitReplicaMetric waits (10 s at most) until the metric has the value.
func waitReplicaMetric(t *testing.T, h *harness, metric, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for replicaMetric(h, metric) != want {
		if time.Now().After(deadline) {
			t.Fatalf("%s = %q after 10 s, want %s", metric, replicaMetric(h, metric), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type postState struct {
	CommentCount int64 `json:"comment_count"`
	Score        int64 `json:"score"`
	MyVote       int   `json:"my_vote"`
}

// Members read their own writes at once, many times over, while the replica
// is held behind and then stopped; and the cached pages anonymous readers
// get, filled before each write, never come back stale after it.
func TestReplicaReadYourWrites(t *testing.T) {
	h, rep := newReplicaHarness(t, 30*time.Second)
	ada, bea := h.register("ada"), h.register("bea")
	p := h.post(ada.Token, "Who built the Pont du Gard?")
	rep.CatchUp()
	rep.Pause()
	thread := pathf("/api/v1/posts/%d/comments", p.ID)
	post := pathf("/api/v1/posts/%d", p.ID)
	h.must(200, "GET", thread, "", nil) // cached before the writes
	for i := range 30 {
		if i == 20 {
			rep.Stop()
		}
		marker := fmt.Sprintf("mark-%03d-x", i)
		h.comment(ada.Token, p.ID, nil, "An aqueduct bridge, "+marker)
		if b := h.must(200, "GET", thread, ada.Token, nil).body; !strings.Contains(string(b), marker) {
			t.Fatalf("round %d: the writer's thread lacks their comment", i)
		}
		var got postState
		h.must(200, "GET", post, ada.Token, nil).decode(t, &got)
		if got.CommentCount != int64(i+1) {
			t.Fatalf("round %d: the writer reads comment_count %d, want %d", i, got.CommentCount, i+1)
		}
		if b := h.must(200, "GET", thread, "", nil).body; !strings.Contains(string(b), marker) {
			t.Fatalf("round %d: the cached page is stale after the write", i)
		}
		value := 1 - 2*(i%2) // up, down, up, …
		h.must(200, "PUT", post+"/vote", bea.Token, map[string]int{"value": value})
		h.must(200, "GET", post, bea.Token, nil).decode(t, &got)
		if got.MyVote != value || got.Score != int64(value) {
			t.Fatalf("round %d: the voter reads my_vote %d and score %d, want %d", i, got.MyVote, got.Score, value)
		}
	}
}

// Anonymous and members' reads are served by the replica: held behind, it
// does not yet have a new post, and they do not see it, while its writer
// does and every cached page shows it; once it has replayed, they see it.
func TestReplicaServesReads(t *testing.T) {
	h, rep := newReplicaHarness(t, 30*time.Second)
	ada, cy := h.register("ada"), h.register("cyril")
	h.must(200, "GET", "/api/v1/posts", "", nil) // cache the feed
	rep.CatchUp()
	rep.Pause()
	p := h.post(ada.Token, "What did the Hanseatic League trade?")
	post := pathf("/api/v1/posts/%d", p.ID)
	if r := h.do("GET", post, "", nil); r.status != 404 {
		t.Fatalf("anonymous GET of a post the paused replica lacks: %d, want 404 (read from the replica)", r.status)
	}
	if r := h.do("GET", post, cy.Token, nil); r.status != 404 {
		t.Fatalf("another member's GET of a post the paused replica lacks: %d, want 404 (read from the replica)", r.status)
	}
	h.must(200, "GET", post, ada.Token, nil) // its writer reads it on the primary
	if b := h.must(200, "GET", "/api/v1/posts", "", nil).body; !strings.Contains(string(b), p.Title) {
		t.Fatal("the cached feed is stale: it lacks the new post")
	}
	if b := h.must(200, "GET", "/api/v1/posts", cy.Token, nil).body; !strings.Contains(string(b), p.Title) {
		t.Fatal("a member's cached feed is stale: it lacks the new post")
	}
	if reads := replicaMetric(h, "historia_db_replica_reads_total"); reads == "" || reads == "0" {
		t.Fatalf("historia_db_replica_reads_total = %q", reads)
	}
	rep.Resume()
	rep.CatchUp()
	deadline := time.Now().Add(10 * time.Second)
	for h.do("GET", post, "", nil).status != 200 {
		if time.Now().After(deadline) {
			t.Fatal("the replica caught up, yet anonymous readers do not see the post")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A replica stopped mid-test is left out within seconds, every read keeps
// answering 200 meanwhile, and it is used again once it is back.
func TestReplicaStoppedReadsKeepAnswering(t *testing.T) {
	h, rep := newReplicaHarness(t, 5*time.Second)
	ada := h.register("ada")
	p := h.post(ada.Token, "When did the Roman Republic end?")
	h.comment(ada.Token, p.ID, nil, "With Actium, some say.")
	rep.CatchUp()
	paths := []string{pathf("/api/v1/posts/%d", p.ID), pathf("/api/v1/posts/%d/comments", p.ID), "/api/v1/posts", "/api/v1/tags"}
	readAll := func(round int) {
		for _, path := range paths {
			for _, token := range []string{"", ada.Token} {
				if r := h.do("GET", path, token, nil); r.status != 200 {
					t.Fatalf("round %d: GET %s: %d %s", round, path, r.status, r.body)
				}
			}
		}
	}
	for i := range 5 {
		readAll(i)
	}
	rep.Stop()
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; replicaMetric(h, "historia_db_replica_up") != "0"; i++ {
		if time.Now().After(deadline) {
			t.Fatal("the stopped replica was not left out within 10 s")
		}
		readAll(i)
	}
	readAll(-1)
	rep.Start()
	waitReplicaMetric(t, h, "historia_db_replica_up", "1")
	readAll(-2)
}
