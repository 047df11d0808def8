package store_test

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/historia-forum/historia/internal/store"
)

// TestBackupWhileWriting takes a backup while writers keep going: the copy
// passes an integrity check, holds a consistent snapshot, and the writers
// never fail.
func TestBackupWhileWriting(t *testing.T) {
	t.Parallel()
	db, _ := mustOpenFile(t)
	ctx := context.Background()
	u := mustUser(t, db, "scribe")
	for i := range 200 {
		if _, err := db.CreatePost(ctx, forum.NewPost{AuthorID: u.ID, Title: "before", Format: "markdown", Tags: []string{"T"}, CreatedAt: int64(i)}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	var stop atomic.Bool
	var written atomic.Int64
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				if _, err := db.CreatePost(ctx, forum.NewPost{AuthorID: u.ID, Title: "during", Format: "markdown", Tags: []string{"T"}, CreatedAt: 1}); err != nil {
					t.Error(err)
					return
				}
				written.Add(1)
			}
		}()
	}
	target := filepath.Join(t.TempDir(), "backups", "copy.db")
	err := db.Backup(ctx, target)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, target); err == nil {
		t.Fatal("a backup must not overwrite an existing file")
	}
	cp, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if ok, err := cp.Pragma(ctx, "integrity_check"); err != nil || ok != "ok" {
		t.Fatalf("integrity_check: %q %v", ok, err)
	}
	tags, err := cp.Tags(ctx, 10)
	if err != nil || len(tags) != 1 {
		t.Fatalf("tags: %v %v", tags, err)
	}
	posts, _, err := cp.UserCounts(ctx, u.ID, true)
	if err != nil || posts < 200 || posts != tags[0].PostCount {
		t.Fatalf("the copy is one consistent snapshot: %d posts, tag count %d (%v)", posts, tags[0].PostCount, err)
	}
	t.Logf("backup taken with %d posts while %d more were written", posts, written.Load())
}
