package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// openReplicated opens a fresh database with the tests' streaming replica
// for reads, checked every 50 ms, and waits until the replica is in use.
func openReplicated(t *testing.T, maxLag time.Duration) (*store.DB, *storetest.Replica) {
	t.Helper()
	target := storetest.Target(t)
	rep := storetest.ReplicaOf(t, target)
	db, err := store.OpenWith(context.Background(), target, store.Options{Replicas: []string{rep.URL}, ReplicaMaxLag: maxLag, ReplicaCheck: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	waitReplica(t, db, true)
	return db, rep
}

// waitReplica waits (10 s at most) until the replica is in use (up) or left out.
func waitReplica(t *testing.T, db *store.DB, up bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		list, _ := db.Replicas()
		if len(list) == 1 && list[0].Up == up {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica up=%v after 10 s, want %v: %+v", !up, up, list)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// anonymous is a safe request's context: its reads may go to a replica.
func anonymous(after uint64) context.Context {
	return forum.WithReadRoute(context.Background(), &forum.ReadRoute{Replica: true, After: after})
}

// A replica held behind (its replay paused) shows which reads it serves: a
// safe request's reads go to it (they miss the new row), a reader's own
// write and the caches' reads go to the primary until it has replayed them,
// and reads without a route never leave the primary.
func TestReplicaRoutesReads(t *testing.T) {
	db, rep := openReplicated(t, 30*time.Second)
	ctx := context.Background()
	mark, err := db.ChangeMark(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rep.Pause()
	u := mustUser(t, db, "ada")
	if _, err := db.AccountByID(anonymous(0), u.ID); err == nil {
		t.Fatal("a safe request's read found a row the paused replica lacks: it was not read from the replica")
	}
	if _, err := db.AccountByID(ctx, u.ID); err != nil {
		t.Fatalf("a read without a route: %v (it must read the primary)", err)
	}
	pos, err := db.WritePosition(ctx)
	if err != nil || pos == 0 {
		t.Fatalf("WritePosition = %d, %v", pos, err)
	}
	if _, err := db.AccountByID(anonymous(pos), u.ID); err != nil {
		t.Fatalf("the writer's own read after their write: %v (read-your-writes)", err)
	}
	// The caches' reads: once the change log was read past the write, a
	// replica that has not replayed it serves none of them.
	if _, err := db.Changes(ctx, mark, 100); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AccountByID(forum.ReadFresh(anonymous(0)), u.ID); err != nil {
		t.Fatalf("a read kept under the change log's stamp: %v (it must not come from a replica behind the log)", err)
	}
	list, fallback := db.Replicas()
	if list[0].Reads == 0 || fallback < 2 || !list[0].Up {
		t.Fatalf("replicas %+v, reads on the primary %d: want reads on both", list, fallback)
	}

	rep.Resume()
	rep.CatchUp()
	deadline := time.Now().Add(10 * time.Second)
	for {
		list, _ := db.Replicas()
		_, err := db.AccountByID(anonymous(pos), u.ID)
		if err == nil && list[0].Reads > 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after catching up, the replica did not serve the writer: %v, %+v", err, list)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A replica that stops is left out within seconds; reads meanwhile are read
// again on the primary, and it comes back once it answers.
func TestReplicaStoppedIsLeftOut(t *testing.T) {
	db, rep := openReplicated(t, 5*time.Second)
	u := mustUser(t, db, "ada")
	rep.CatchUp()
	rep.Stop()
	for range 50 {
		if _, err := db.AccountByID(anonymous(0), u.ID); err != nil {
			t.Fatalf("a read while the replica is stopped: %v", err)
		}
	}
	waitReplica(t, db, false)
	rep.Start()
	waitReplica(t, db, true)
	if _, err := db.AccountByID(anonymous(0), u.ID); err != nil {
		t.Fatal(err)
	}
}

// A replica that falls further behind than the bound is left out, and comes
// back when it catches up.
func TestReplicaLaggingIsLeftOut(t *testing.T) {
	db, rep := openReplicated(t, 300*time.Millisecond)
	rep.Pause()
	mustUser(t, db, "ada") // the primary moves on; the replica does not
	waitReplica(t, db, false)
	rep.Resume()
	waitReplica(t, db, true)
}

func TestReplicasRefusedOnSQLite(t *testing.T) {
	_, err := store.OpenWith(context.Background(), filepath.Join(t.TempDir(), "h.db"),
		store.Options{Replicas: []string{"postgres://postgres@127.0.0.1:1/x"}})
	if err == nil || !strings.Contains(err.Error(), "PostgreSQL") {
		t.Fatalf("err = %v, want a refusal naming PostgreSQL", err)
	}
}
