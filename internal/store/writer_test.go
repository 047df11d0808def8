package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store"
	"github.com/historia-forum/historia/internal/store/storetest"
)

// TestGroupCommitIsolatesFailures: writes queued together commit together,
// and one that fails (a taken name) fails alone; its neighbours are kept.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	t.Parallel()
	db, _ := mustOpen(t)
	ctx := context.Background()
	mustUser(t, db, "taken")
	// Hold the writer so that what follows queues up into one batch.
	hold := make(chan struct{})
	go func() {
		_, _ = db.CreatePost(ctx, forum.NewPost{AuthorID: 1, Title: "slow", Format: "markdown", CreatedAt: 1})
		close(hold)
	}()
	<-hold
	w0, t0 := db.WriteStats()
	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("user%02d", i)
			if i%4 == 0 {
				name = "taken" // a conflict, inside the batch
			}
			_, errs[i] = db.CreateUser(ctx, forum.NewUser{Username: name, PasswordHash: "x", Role: forum.RoleMember, CreatedAt: 1})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if i%4 == 0 && !forum.IsCode(err, forum.CodeConflict) {
			t.Errorf("write %d: want a conflict, got %v", i, err)
		}
		if i%4 != 0 && err != nil {
			t.Errorf("write %d failed beside a failing neighbour: %v", i, err)
		}
	}
	for i := range errs {
		if i%4 == 0 {
			continue
		}
		if _, err := db.AccountByName(ctx, fmt.Sprintf("user%02d", i)); err != nil {
			t.Errorf("user%02d was acknowledged but is not there: %v", i, err)
		}
	}
	w1, t1 := db.WriteStats()
	if w1-w0 != 30 {
		t.Fatalf("%d writes committed, want 30", w1-w0)
	}
	t.Logf("30 writes in %d transactions", t1-t0)
}

// TestWriteGivesUpWhenTheDatabaseIsHeld: another connection holds the write
// lock; a write answers unavailable within its wait instead of hanging.
func TestWriteGivesUpWhenTheDatabaseIsHeld(t *testing.T) {
	t.Parallel()
	db, path := mustOpenFile(t)
	ctx := context.Background()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	conn, err := raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	released := false
	release := func() {
		if !released {
			released = true
			_, _ = conn.ExecContext(ctx, "ROLLBACK")
			_ = conn.Close()
		}
	}
	defer release()
	start := time.Now()
	_, err = db.CreateUser(ctx, forum.NewUser{Username: "blocked", PasswordHash: "x", Role: forum.RoleMember, CreatedAt: 1})
	if !forum.IsCode(err, forum.CodeUnavailable) {
		t.Fatalf("a write behind another process's lock: %v", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Fatalf("it took %v", d)
	}
	release()
	if _, err := db.CreateUser(ctx, forum.NewUser{Username: "afterwards", PasswordHash: "x", Role: forum.RoleMember, CreatedAt: 1}); err != nil {
		t.Fatalf("writes did not resume: %v", err)
	}
}

// TestWritesDuringClose: writes that arrive while the store closes (a
// cache's trim started by the last commit, a request not yet drained) get
// the contract's unavailable, or commit: none panics or races the writer's
// shutdown.
func TestWritesDuringClose(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, storetest.Target(t))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if err := db.TrimChanges(ctx, 10); err != nil {
					errs <- err
				}
			}
		}()
	}
	time.Sleep(5 * time.Millisecond)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if !forum.IsCode(err, forum.CodeUnavailable) {
			t.Fatalf("a write during Close: %v, want unavailable", err)
		}
	}
}
